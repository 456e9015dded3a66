//! The period filter: the whole year, one of its quarters or one of its
//! months. Periods come from tiles of their own (as each person attribute
//! does), so the filter is locked while citizens are restricted by a
//! person attribute, and says so.

use shared::{DimensionId, Lang};
use yew::prelude::*;

use super::select_value;
use crate::i18n;
use crate::state::{is_period, PERIODS};

/// Properties of [`PeriodFilter`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct PeriodFilterProps {
    /// The period chosen: a quarter or a month, and its code (`None`: the
    /// whole year).
    pub selected: Option<(DimensionId, u16)>,
    /// Whether a person attribute is in use (the filter is then locked).
    pub locked: bool,
    /// Whether the measures shown have no tiles by period (the filter is
    /// then off, and says so).
    #[prop_or_default]
    pub unavailable: bool,
    /// Called with the new choice.
    pub on_change: Callback<Option<(DimensionId, u16)>>,
    /// Display language.
    pub lang: Lang,
}

/// The option value of a period: `quarter=2`, `month=11`.
fn option_value((dimension, code): (DimensionId, u16)) -> String {
    format!("{}={code}", dimension.key())
}

/// The period of an option value (`None`: the whole year, or anything
/// that is no period).
fn parse_option(value: &str) -> Option<(DimensionId, u16)> {
    let (key, code) = value.split_once('=')?;
    let dimension = PERIODS.into_iter().find(|d| d.key() == key)?;
    let code = code.parse().ok()?;
    is_period(dimension, code).then_some((dimension, code))
}

/// A labelled select: the whole year, then the quarters and the months,
/// each kind in a group of its own.
#[function_component(PeriodFilter)]
pub fn period_filter(props: &PeriodFilterProps) -> Html {
    let lang = props.lang;
    let onchange = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| on_change.emit(parse_option(&select_value(&e))))
    };
    let hint = if props.unavailable {
        i18n::NOT_FOR_THESE_MEASURES
    } else if props.locked {
        i18n::NOT_WITH_ATTRIBUTE
    } else {
        i18n::PERIOD_HINT
    };
    html! {
        <div class="filter">
            <label class="filter-label" for="period">{ i18n::PERIOD.get(lang) }</label>
            <select id="period" {onchange} disabled={props.locked || props.unavailable}
                aria-describedby="period-hint">
                <option value="" selected={props.selected.is_none()}>{ i18n::WHOLE_YEAR.get(lang) }</option>
                { for PERIODS.into_iter().map(|dimension| html! {
                    <optgroup label={dimension.def().label.get(lang)}>
                        { for dimension.codes().unwrap_or_default().into_iter().map(|code| {
                            let period = (dimension, code);
                            html! {
                                <option value={option_value(period)}
                                    selected={props.selected == Some(period)}>
                                    { dimension.value_label(code, lang) }
                                </option>
                            }
                        }) }
                    </optgroup>
                }) }
            </select>
            <p class="hint" id="period-hint">{ hint.get(lang) }</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_option_value_reads_back_as_its_period() {
        for dimension in PERIODS {
            for code in dimension.codes().unwrap_or_default() {
                let period = (dimension, code);
                assert_eq!(parse_option(&option_value(period)), Some(period));
            }
        }
        assert_eq!(option_value((DimensionId::Month, 11)), "month=11");
        assert_eq!(parse_option(""), None);
        assert_eq!(parse_option("quarter=5"), None);
        assert_eq!(parse_option("sex=1"), None);
    }
}
