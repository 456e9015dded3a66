//! Tværs in the browser.
//!
//! ```text
//! api (fetch manifest + tiles, decode Arrow) → state (filters) → pages → components / charts
//! ```
//!
//! Only [`api::tiles`] reads Arrow bytes; everything after it works on
//! `shared::cube::Cube` and typed series. Slicing and re-aggregation run
//! here, in WebAssembly, with the catalogue's formulas from `shared`.

pub mod api;
pub mod app;
pub mod bench;
pub mod charts;
pub mod components;
pub mod export;
pub mod i18n;
pub mod insight;
pub mod pages;
pub mod state;

/// Mounts the app on the page's body.
pub fn start() {
    yew::Renderer::<app::App>::new().render();
}
