//! The person-attribute filter: restrict the citizens to one target
//! group, GP cluster, civil status, nursing-home residence or CPR status. Each
//! attribute comes from a tile of its own, so one is chosen at a time;
//! the control says so rather than ignoring a second choice.

use shared::{DimensionId, Lang};
use yew::prelude::*;

use super::select_value;
use crate::i18n;
use crate::state::{FIRST_VALUE, PERSON_ATTRIBUTES};

/// Properties of [`PersonFilter`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct PersonFilterProps {
    /// Current choice: attribute and code.
    pub selected: Option<(DimensionId, u16)>,
    /// The values of the chosen attribute, in the order to offer them.
    pub values: Vec<u16>,
    /// Called with the new choice.
    pub on_change: Callback<Option<(DimensionId, u16)>>,
    /// Whether a quarter or month is chosen (the filter is then locked:
    /// periods and person attributes each have a tile of their own).
    #[prop_or_default]
    pub locked: bool,
    /// Whether the measures shown have no tiles split by person
    /// attributes (the filter is then off, and says so).
    #[prop_or_default]
    pub unavailable: bool,
    /// Display language.
    pub lang: Lang,
}

/// Two labelled selects: the attribute, then its value.
#[function_component(PersonFilter)]
pub fn person_filter(props: &PersonFilterProps) -> Html {
    let lang = props.lang;
    let on_attribute = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| {
            let key = select_value(&e);
            // A new attribute starts at its first value (for the GP
            // cluster, the first in its tile, once that is loaded).
            on_change.emit(
                PERSON_ATTRIBUTES
                    .into_iter()
                    .find(|d| d.key() == key)
                    .map(|d| {
                        let first = d.codes().and_then(|c| c.first().copied());
                        (d, first.unwrap_or(FIRST_VALUE))
                    }),
            );
        })
    };
    let attribute = props.selected.map(|(d, _)| d);
    let values = props.values.clone();
    let value_select = props.selected.map(|(dimension, code)| {
        let on_change = props.on_change.clone();
        let onchange = Callback::from(move |e: Event| {
            let value = select_value(&e);
            if let Ok(code) = value.parse() {
                on_change.emit(Some((dimension, code)));
            }
        });
        html! {
            <>
                <label class="filter-label" for="person-value">{ dimension.def().label.get(lang) }</label>
                <select id="person-value" {onchange}>
                    { for values.iter().copied().map(|c| html! {
                        <option value={c.to_string()} selected={c == code}>
                            { dimension.value_label(c, lang) }
                        </option>
                    }) }
                </select>
            </>
        }
    });
    html! {
        <div class="filter">
            <label class="filter-label" for="person-attribute">{ i18n::RESTRICT_BY.get(lang) }</label>
            <select id="person-attribute" onchange={on_attribute} aria-describedby="person-hint"
                disabled={props.locked || props.unavailable}>
                <option value="" selected={attribute.is_none()}>{ i18n::NO_RESTRICTION.get(lang) }</option>
                { for PERSON_ATTRIBUTES.into_iter().map(|d| html! {
                    <option value={d.key()} selected={attribute == Some(d)}>{ d.def().label.get(lang) }</option>
                }) }
            </select>
            { value_select.unwrap_or_default() }
            <p class="hint" id="person-hint">{
                if props.unavailable {
                    i18n::NOT_FOR_THESE_MEASURES
                } else if props.locked {
                    i18n::NOT_WITH_PERIOD
                } else {
                    i18n::ONE_ATTRIBUTE
                }.get(lang)
            }</p>
        </div>
    }
}
