//! A key figure card: one big number with its label and context.

use shared::disclosure::{Protection, Status};
use shared::text::format_number;
use shared::Lang;
use yew::prelude::*;

use crate::i18n;

/// Properties of [`KeyFigure`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct KeyFigureProps {
    /// What the number is.
    pub label: AttrValue,
    /// The value (`None`: no value for this selection).
    pub value: Option<f64>,
    /// Decimals shown.
    pub decimals: usize,
    /// Unit line under the number.
    pub unit: AttrValue,
    /// Where and when, e.g. "Hele landet, 2024 · Kvinder".
    pub context: AttrValue,
    /// Values to compare with, e.g. the region and the whole country next
    /// to a municipality.
    #[prop_or_default]
    pub comparisons: Vec<(AttrValue, Option<f64>)>,
    /// The value of an earlier year (the trend), with the year.
    #[prop_or_default]
    pub previous: Option<(u16, Option<f64>)>,
    /// How the tile's values are protected: on a protected tile a missing
    /// value is a suppressed one, and the card says the figure is rounded.
    #[prop_or_default]
    pub protection: Protection,
    /// How the value itself is shown, where the page knows it (from the
    /// evaluated point); else as `protection` says.
    #[prop_or_default]
    pub status: Option<Status>,
    /// Whether the value, rounded, is summed partly from exact figures (a
    /// signed-in user's own area within a larger one).
    #[prop_or_default]
    pub partly_exact: bool,
    /// The `data-testid` of the card.
    #[prop_or(AttrValue::Static("key-figure"))]
    pub testid: AttrValue,
    /// Display language.
    pub lang: Lang,
}

/// A key figure (nøgletal). The exact value is also in `data-value`, for
/// tools and tests that should not parse formatted text.
#[function_component(KeyFigure)]
pub fn key_figure(props: &KeyFigureProps) -> Html {
    let status = |value: Option<f64>| match (props.protection, value) {
        (Protection::Exact, _) => Status::Exact,
        (_, None) => Status::Suppressed,
        (_, Some(_)) => Status::Perturbed,
    };
    let show =
        |value: Option<f64>| i18n::format_shown(value, status(value), props.decimals, props.lang);
    let raw = props.value.map(|v| v.to_string()).unwrap_or_default();
    let own = props.status.unwrap_or_else(|| status(props.value));
    let shown = i18n::format_shown(props.value, own, props.decimals, props.lang);
    let note = match own {
        Status::Perturbed if props.partly_exact => {
            Some(i18n::PARTLY_ROUNDED.get(props.lang).to_string())
        }
        Status::Perturbed => Some(format!(
            "{} · {}",
            own.label().get(props.lang),
            i18n::ROUNDED_HINT.get(props.lang)
        )),
        // Exact on a protected tile: the signed-in user's own area.
        Status::Exact if props.protection != Protection::Exact => Some(format!(
            "{} · {}",
            own.label().get(props.lang),
            i18n::EXACT_HINT.get(props.lang)
        )),
        _ => None,
    };
    html! {
        <section class="key-figure" data-testid={props.testid.clone()} aria-live="polite">
            <h2 class="label">{ props.label.clone() }</h2>
            <p class={classes!("value", (own != Status::Exact).then_some(own.key()))}
                data-value={raw} data-status={own.key()}>{ shown }</p>
            if let Some(note) = note {
                <p class="protection-note" data-testid="protection-note"
                    title={i18n::PROTECTION_NOTE.get(props.lang)}>{ note }</p>
            }
            <p class="unit">{ props.unit.clone() }</p>
            <p class="context">{ props.context.clone() }</p>
            { for props.previous.map(|(year, value)| {
                let shown = show(value);
                let change = match (props.value, value) {
                    (Some(now), Some(before)) if before != 0.0 => {
                        // As shown, to one decimal: a change that rounds to
                        // nothing is no change.
                        let percent = ((now - before) / before * 1000.0).round() / 10.0;
                        let sign = if percent > 0.0 { "+" } else { "" };
                        let arrow = if percent > 0.0 { "▲" } else if percent < 0.0 { "▼" } else { "■" };
                        format!(" ({arrow} {sign}{} %)", format_number(percent, 1, props.lang))
                    }
                    _ => String::new(),
                };
                html! {
                    <p class="trend" data-testid="trend"
                        data-value={value.map(|v| v.to_string()).unwrap_or_default()}>
                        { format!("{year}: {shown}{change}") }
                    </p>
                }
            }) }
            { for props.comparisons.iter().map(|(label, value)| {
                let shown = show(*value);
                html! {
                    <p class="comparison" data-testid="comparison"
                        data-value={value.map(|v| v.to_string()).unwrap_or_default()}>
                        { format!("{label}: {shown}") }
                    </p>
                }
            }) }
        </section>
    }
}
