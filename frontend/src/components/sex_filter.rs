//! The sex filter: a labelled radio group (all / men / women).

use shared::{DimensionId, Lang, Sex};
use yew::prelude::*;

use crate::i18n;

/// Properties of [`SexFilter`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct SexFilterProps {
    /// Current choice (`None`: both).
    pub selected: Option<Sex>,
    /// Called with the new choice.
    pub on_change: Callback<Option<Sex>>,
    /// Display language.
    pub lang: Lang,
}

/// Radio buttons for sex, keyboard-accessible as a native radio group.
#[function_component(SexFilter)]
pub fn sex_filter(props: &SexFilterProps) -> Html {
    let options: Vec<(Option<Sex>, &str, &str)> = vec![
        (None, "all", i18n::ALL.get(props.lang)),
        (Some(Sex::Male), "male", Sex::Male.label().get(props.lang)),
        (
            Some(Sex::Female),
            "female",
            Sex::Female.label().get(props.lang),
        ),
    ];
    html! {
        <fieldset class="filter radio-group">
            <legend>{ DimensionId::Sex.def().label.get(props.lang) }</legend>
            { for options.into_iter().map(|(value, id, label)| {
                let on_change = props.on_change.clone();
                let id = format!("sex-{id}");
                html! {
                    <label for={id.clone()}>
                        <input type="radio" name="sex" id={id}
                            checked={props.selected == value}
                            onchange={Callback::from(move |_| on_change.emit(value))} />
                        <span>{ label }</span>
                    </label>
                }
            }) }
        </fieldset>
    }
}
