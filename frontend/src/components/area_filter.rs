//! The geography filter: the whole country or one region.

use shared::{geography, Lang};
use yew::prelude::*;

use crate::i18n;

/// Properties of [`AreaFilter`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct AreaFilterProps {
    /// Chosen region code (`None`: the whole country).
    pub selected: Option<u16>,
    /// Called with the new choice.
    pub on_change: Callback<Option<u16>>,
    /// Display language.
    pub lang: Lang,
}

/// A labelled select of the country and the five regions.
#[function_component(AreaFilter)]
pub fn area_filter(props: &AreaFilterProps) -> Html {
    let onchange = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            on_change.emit(value.parse().ok());
        })
    };
    html! {
        <div class="filter">
            <label class="filter-label" for="area">{ i18n::AREA.get(props.lang) }</label>
            <select id="area" {onchange}>
                <option value="" selected={props.selected.is_none()}>{ i18n::WHOLE_COUNTRY.get(props.lang) }</option>
                { for geography::REGIONS.iter().map(|r| html! {
                    <option value={r.code.to_string()} selected={props.selected == Some(r.code)}>{ r.name }</option>
                }) }
            </select>
        </div>
    }
}
