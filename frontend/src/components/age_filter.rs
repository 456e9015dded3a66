//! The age filter: all ages, one of the portal's age groups, or 65 and
//! over.

use shared::Lang;
use yew::prelude::*;

use super::select_value;
use crate::i18n;
use crate::state::{age_range_key, age_range_label, parse_age_range, AGE_RANGES};

/// Properties of [`AgeFilter`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct AgeFilterProps {
    /// The age-group codes chosen (empty: all ages).
    pub selected: Vec<u16>,
    /// Called with the new choice.
    pub on_change: Callback<Vec<u16>>,
    /// Display language.
    pub lang: Lang,
}

/// A labelled select of the age ranges.
#[function_component(AgeFilter)]
pub fn age_filter(props: &AgeFilterProps) -> Html {
    let lang = props.lang;
    let onchange = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| {
            on_change.emit(parse_age_range(&select_value(&e)).unwrap_or_default());
        })
    };
    html! {
        <div class="filter">
            <label class="filter-label" for="age">{ i18n::AGE.get(lang) }</label>
            <select id="age" {onchange}>
                <option value="" selected={props.selected.is_empty()}>{ i18n::ALL_AGES.get(lang) }</option>
                { for AGE_RANGES.iter().map(|codes| html! {
                    <option value={age_range_key(codes)} selected={props.selected == *codes}>
                        { age_range_label(codes, lang) }
                    </option>
                }) }
            </select>
        </div>
    }
}
