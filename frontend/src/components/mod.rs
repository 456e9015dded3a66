//! Reusable components, one per file.

pub mod age_filter;
pub mod area_filter;
pub mod chart_export;
pub mod data_table;
pub mod key_figure;
pub mod measure_picker;
pub mod period_filter;
pub mod person_filter;
pub mod save_report;
pub mod scroll_region;
pub mod session;
pub mod sex_filter;

/// The value of the `select` a `change` event came from.
pub fn select_value(e: &yew::Event) -> String {
    use yew::TargetCast;
    e.target_unchecked_into::<web_sys::HtmlSelectElement>()
        .value()
}
