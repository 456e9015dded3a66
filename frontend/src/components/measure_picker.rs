//! The measure picker: a labelled select of every measure of the
//! catalogue, grouped by theme, and the scale switch of the chosen measure
//! (shown only when it offers more than one scale).

use shared::measure::{Scale, Theme, MEASURES};
use shared::{Lang, MeasureId};
use yew::prelude::*;

use super::select_value;
use crate::i18n;

/// Properties of [`MeasurePicker`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct MeasurePickerProps {
    /// The measure shown.
    pub measure: MeasureId,
    /// The scale shown.
    pub scale: Scale,
    /// Called with the new measure (its scale back to the default).
    pub on_measure: Callback<MeasureId>,
    /// Called with the new scale.
    pub on_scale: Callback<Scale>,
    /// Prefix of the controls' ids, unique on the page (`""` for the
    /// page's only picker).
    #[prop_or_default]
    pub id_prefix: AttrValue,
    /// Display language.
    pub lang: Lang,
    /// The scales offered, if not every scale of the measure (a chart
    /// from a tile without citizens has no rates per 1,000 citizens).
    #[prop_or_default]
    pub scales: Option<Vec<Scale>>,
}

/// Measure select and scale radio group.
#[function_component(MeasurePicker)]
pub fn measure_picker(props: &MeasurePickerProps) -> Html {
    let lang = props.lang;
    let onchange = {
        let on_measure = props.on_measure.clone();
        Callback::from(move |e: Event| {
            let value = select_value(&e);
            if let Some(measure) = MeasureId::from_key(&value) {
                on_measure.emit(measure);
            }
        })
    };
    let measure = props.measure.def();
    let prefix = props.id_prefix.clone();
    let scales = props
        .scales
        .clone()
        .unwrap_or_else(|| measure.scales.to_vec());
    html! {
        <>
            <div class="filter">
                <label class="filter-label" for={format!("{prefix}measure")}>{ i18n::MEASURE.get(lang) }</label>
                <select id={format!("{prefix}measure")} {onchange}>
                    // The pages show measures by residence; the medicines
                    // measures (by practice) have pages of their own.
                    { for Theme::ALL.iter().filter(|theme| MEASURES.iter().any(|m| m.theme == **theme && m.by_residence())).map(|theme| html! {
                        <optgroup label={theme.label().get(lang)}>
                            { for MEASURES.iter().filter(|m| m.theme == *theme && m.by_residence()).map(|m| html! {
                                <option value={m.key} selected={m.id == props.measure}>
                                    { m.label().get(lang) }
                                </option>
                            }) }
                        </optgroup>
                    }) }
                </select>
            </div>
            if scales.len() > 1 {
                <fieldset class="filter radio-group">
                    <legend>{ i18n::SCALE.get(lang) }</legend>
                    { for scales.iter().map(|scale| {
                        let on_scale = props.on_scale.clone();
                        let scale = *scale;
                        let id = format!("{prefix}scale-{}", scale.key());
                        html! {
                            <label for={id.clone()}>
                                <input type="radio" name={format!("{prefix}scale")} id={id}
                                    checked={props.scale == scale}
                                    onchange={Callback::from(move |_| on_scale.emit(scale))} />
                                <span>{ scale.label().get(lang) }</span>
                            </label>
                        }
                    }) }
                </fieldset>
            }
        </>
    }
}
