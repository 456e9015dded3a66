//! The accessible twin of a chart: the same numbers as a table.

use shared::disclosure::Status;
use shared::Lang;
use yew::prelude::*;

use crate::charts::Datum;
use crate::components::scroll_region::ScrollRegion;
use crate::{export, i18n};

/// Properties of [`DataTable`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct DataTableProps {
    /// Caption (what the table shows).
    pub caption: AttrValue,
    /// Heading of the category column.
    pub category: AttrValue,
    /// Heading of the value column (the measure).
    pub value_heading: AttrValue,
    /// File name of the CSV export, without extension.
    pub export_name: AttrValue,
    /// Rows.
    pub data: Vec<Datum>,
    /// The `data-testid` of the table.
    #[prop_or(AttrValue::Static("data-table"))]
    pub testid: AttrValue,
    /// The key of a row to mark as the selected area.
    #[prop_or_default]
    pub highlight: Option<u16>,
    /// Decimals shown.
    pub decimals: usize,
    /// Each row's exact 95 % confidence interval, when the values have
    /// one (empty: no interval column).
    #[prop_or_default]
    pub intervals: Vec<Option<(f64, f64)>>,
    /// Display language.
    pub lang: Lang,
}

/// A table with one row per category; exact values in `data-value`, and a
/// CSV export of the values as shown.
#[function_component(DataTable)]
pub fn data_table(props: &DataTableProps) -> Html {
    let on_export = {
        let props = props.clone();
        Callback::from(move |_| {
            let text = if props.intervals.is_empty() {
                export::csv(
                    &props.category,
                    &props.value_heading,
                    &props.data,
                    props.decimals,
                    props.lang,
                )
            } else {
                let lang = props.lang;
                let headers = vec![
                    props.category.to_string(),
                    props.value_heading.to_string(),
                    i18n::LOWER_LIMIT.get(lang).to_string(),
                    i18n::UPPER_LIMIT.get(lang).to_string(),
                ];
                let number = |v: Option<f64>| export::csv_number(v, props.decimals, lang);
                let rows: Vec<Vec<String>> = props
                    .data
                    .iter()
                    .zip(&props.intervals)
                    .map(|(d, i)| {
                        vec![
                            d.label.clone(),
                            number(d.value),
                            number(i.map(|i| i.0)),
                            number(i.map(|i| i.1)),
                        ]
                    })
                    .collect();
                export::csv_table(&headers, &rows, lang)
            };
            let file = format!("{}.csv", props.export_name);
            if let Err(e) = export::download_text(&file, &text, "text/csv;charset=utf-8") {
                web_sys::console::error_1(&e);
            }
        })
    };
    html! {
      <div class="table-block">
        <ScrollRegion label={props.caption.clone()}>
            <table class={classes!("data-table", props.intervals.is_empty().then_some("name-value"))}
                data-testid={props.testid.clone()}>
                <caption>{ props.caption.clone() }</caption>
                <thead>
                    <tr>
                        <th scope="col">{ props.category.clone() }</th>
                        <th scope="col" class="num">{ props.value_heading.clone() }</th>
                        if !props.intervals.is_empty() {
                            <th scope="col" class="num">{ i18n::CONFIDENCE_95.get(props.lang) }</th>
                        }
                    </tr>
                </thead>
                <tbody>
                    { for props.data.iter().enumerate().map(|(i, d)| {
                        let interval = props.intervals.get(i).copied().flatten();
                        let limits = interval.map(|(low, high)| format!(
                            "{}–{}",
                            shared::text::format_number(low, props.decimals, props.lang),
                            shared::text::format_number(high, props.decimals, props.lang),
                        ));
                        let shown = i18n::format_shown(d.value, d.status, props.decimals, props.lang);
                        let class = classes!("num", (d.status != Status::Exact).then_some(d.status.key()));
                        let title = (d.status != Status::Exact).then(|| d.status.label().get(props.lang));
                        html! {
                            <tr data-key={d.key.to_string()}
                                class={(props.highlight == Some(d.key)).then_some("selected")}
                                aria-current={(props.highlight == Some(d.key)).then_some("true")}>
                                <th scope="row">{ breakable(&d.label) }</th>
                                <td class={class} title={title} data-status={d.status.key()}
                                    data-value={d.value.map(|v| v.to_string()).unwrap_or_default()}>{ shown }</td>
                                if !props.intervals.is_empty() {
                                    <td class="num interval"
                                        data-low={interval.map(|i| i.0.to_string()).unwrap_or_default()}
                                        data-high={interval.map(|i| i.1.to_string()).unwrap_or_default()}>
                                        { limits.unwrap_or_else(|| i18n::NO_VALUE.get(props.lang).to_string()) }
                                    </td>
                                }
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </ScrollRegion>
        if props.data.iter().any(|d| d.status != Status::Exact) {
            <p class="protection-note" data-testid="protection-note">{ i18n::PROTECTION_NOTE.get(props.lang) }</p>
        }
        <button type="button" class="export" onclick={on_export}>{ i18n::EXPORT_CSV.get(props.lang) }</button>
      </div>
    }
}

/// A label with a line break allowed after each slash, so that a phone
/// wraps "(Slagelse/Ringsted/Næstved Sygehuse)" at a slash rather than
/// inside a name (`wbr` adds nothing to the text).
fn breakable(label: &str) -> Html {
    label
        .split_inclusive('/')
        .map(|part| {
            html! {
                <>{ part.to_string() }if part.ends_with('/') { <wbr/> }</>
            }
        })
        .collect()
}
