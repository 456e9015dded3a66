//! The period filter: the whole year or one of its quarters. Quarters
//! come from a tile of their own (as each person attribute does), so the
//! filter is locked while citizens are restricted by a person attribute,
//! and says so.

use shared::{DimensionId, Lang};
use yew::prelude::*;

use super::select_value;
use crate::i18n;

/// Properties of [`PeriodFilter`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct PeriodFilterProps {
    /// The quarter chosen (`None`: the whole year).
    pub selected: Option<u16>,
    /// Whether a person attribute is in use (the filter is then locked).
    pub locked: bool,
    /// Whether the measures shown have no tiles by quarter (the filter is
    /// then off, and says so).
    #[prop_or_default]
    pub unavailable: bool,
    /// Called with the new choice.
    pub on_change: Callback<Option<u16>>,
    /// Display language.
    pub lang: Lang,
}

/// A labelled select: the whole year, or a quarter.
#[function_component(PeriodFilter)]
pub fn period_filter(props: &PeriodFilterProps) -> Html {
    let lang = props.lang;
    let onchange = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| on_change.emit(select_value(&e).parse().ok()))
    };
    let quarters = DimensionId::Quarter.codes().unwrap_or_default();
    let hint = if props.unavailable {
        i18n::NOT_FOR_THESE_MEASURES
    } else if props.locked {
        i18n::NOT_WITH_ATTRIBUTE
    } else {
        i18n::QUARTER_HINT
    };
    html! {
        <div class="filter">
            <label class="filter-label" for="period">{ i18n::PERIOD.get(lang) }</label>
            <select id="period" {onchange} disabled={props.locked || props.unavailable}
                aria-describedby="period-hint">
                <option value="" selected={props.selected.is_none()}>{ i18n::WHOLE_YEAR.get(lang) }</option>
                { for quarters.into_iter().map(|q| html! {
                    <option value={q.to_string()} selected={props.selected == Some(q)}>
                        { DimensionId::Quarter.value_label(q, lang) }
                    </option>
                }) }
            </select>
            <p class="hint" id="period-hint">{ hint.get(lang) }</p>
        </div>
    }
}
