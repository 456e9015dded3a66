//! The chart export buttons: the chart as an SVG file, or as a PNG image
//! drawn at twice its size. (The numbers go out as CSV from the table
//! twin.)

use shared::Lang;
use yew::prelude::*;

use crate::{export, i18n};

/// Properties of [`ChartExport`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct ChartExportProps {
    /// The element holding the chart's `svg`.
    pub target: NodeRef,
    /// File name without extension.
    pub name: AttrValue,
    /// Display language.
    pub lang: Lang,
}

/// "Download as SVG" and "Download as PNG".
#[function_component(ChartExport)]
pub fn chart_export(props: &ChartExportProps) -> Html {
    let button =
        |label: shared::Text,
         save: fn(&web_sys::Element, &str) -> Result<(), wasm_bindgen::JsValue>| {
            let (target, name) = (props.target.clone(), props.name.clone());
            let onclick = Callback::from(move |_: MouseEvent| {
                if let Some(element) = target.cast::<web_sys::Element>() {
                    if let Err(e) = save(&element, &name) {
                        web_sys::console::error_1(&e);
                    }
                }
            });
            html! { <button type="button" class="export" {onclick}>{ label.get(props.lang) }</button> }
        };
    html! {
        <div class="chart-export">
            { button(i18n::EXPORT_SVG, export::download_svg) }
            { button(i18n::EXPORT_PNG, export::download_png) }
        </div>
    }
}
