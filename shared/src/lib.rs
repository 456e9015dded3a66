//! The one catalogue of Tværs, shared by the backend and the browser.
//!
//! Everything both sides must agree on is defined here exactly once:
//! geography ([`geography`]), dimensions ([`dimension`]), additive
//! quantities and the measures computed from them ([`measure`]), the
//! register extracts the ingestion accepts ([`register`]), the Arrow schema
//! of every tile family ([`tile`]), the in-memory cube both sides slice
//! ([`cube`]), how public values are protected ([`disclosure`]) and the
//! JSON wire types of the HTTP API ([`api`]).
//!
//! The crate has no I/O and knows nothing of actix, sqlx, yew or plotters;
//! it builds for native targets and for `wasm32-unknown-unknown`.

pub mod api;
pub mod cube;
pub mod diagnosis;
pub mod dimension;
pub mod disclosure;
pub mod drug;
pub mod funnel;
pub mod geography;
pub mod measure;
pub mod register;
pub mod text;
pub mod tile;

pub use dimension::{AgeBand, AgeGroup, DimensionId, Sex};
pub use measure::{MeasureId, QuantityId};
pub use text::{Lang, Text};
pub use tile::TileFamilyId;
