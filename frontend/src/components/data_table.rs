//! The accessible twin of a chart: the same numbers as a table.

use shared::text::format_number;
use shared::Lang;
use yew::prelude::*;

use crate::charts::Datum;
use crate::i18n;

/// Properties of [`DataTable`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct DataTableProps {
    /// Caption (what the table shows).
    pub caption: AttrValue,
    /// Heading of the category column.
    pub category: AttrValue,
    /// Rows.
    pub data: Vec<Datum>,
    /// Decimals shown.
    pub decimals: usize,
    /// Display language.
    pub lang: Lang,
}

/// A table with one row per category; exact values in `data-value`.
#[function_component(DataTable)]
pub fn data_table(props: &DataTableProps) -> Html {
    html! {
        <table class="data-table">
            <caption>{ props.caption.clone() }</caption>
            <thead>
                <tr>
                    <th scope="col">{ props.category.clone() }</th>
                    <th scope="col" class="num">{ i18n::VALUE.get(props.lang) }</th>
                </tr>
            </thead>
            <tbody>
                { for props.data.iter().map(|d| {
                    let shown = d.value.map_or_else(
                        || i18n::NO_VALUE.get(props.lang).to_string(),
                        |v| format_number(v, props.decimals, props.lang),
                    );
                    html! {
                        <tr data-key={d.key.to_string()}>
                            <th scope="row">{ d.label.clone() }</th>
                            <td class="num" data-value={d.value.map(|v| v.to_string()).unwrap_or_default()}>{ shown }</td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}
