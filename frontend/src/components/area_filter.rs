//! The geography filter: the whole country, a region, a health cluster or
//! a municipality.

use shared::{geography, Lang};
use yew::prelude::*;

use super::select_value;
use crate::i18n;
use crate::state::Area;

/// Properties of [`AreaFilter`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct AreaFilterProps {
    /// The chosen area.
    pub selected: Area,
    /// Called with the new choice.
    pub on_change: Callback<Area>,
    /// Display language.
    pub lang: Lang,
}

/// The option value of an area: `r1084`, `h3`, `m751`, or empty for the
/// country.
fn option_value(area: Area) -> String {
    match area {
        Area::Country => String::new(),
        Area::Region(code) => format!("r{code}"),
        Area::HealthCluster(code) => format!("h{code}"),
        Area::Municipality(code) => format!("m{code}"),
    }
}

fn parse_option(value: &str) -> Area {
    let code = value.get(1..).and_then(|c| c.parse().ok());
    match (value.chars().next(), code) {
        (Some('r'), Some(code)) => Area::Region(code),
        (Some('h'), Some(code)) => Area::HealthCluster(code),
        (Some('m'), Some(code)) => Area::Municipality(code),
        _ => Area::Country,
    }
}

/// A labelled select of the country, then the regions, the health
/// clusters and the municipalities, each group in the order of its names.
#[function_component(AreaFilter)]
pub fn area_filter(props: &AreaFilterProps) -> Html {
    let lang = props.lang;
    let onchange = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| {
            let value = select_value(&e);
            on_change.emit(parse_option(&value));
        })
    };
    let option = |area: Area, name: &str| {
        html! {
            <option value={option_value(area)} selected={props.selected == area}>{ name.to_string() }</option>
        }
    };
    let mut clusters: Vec<_> = geography::HEALTH_CLUSTERS.iter().collect();
    clusters.sort_by(|a, b| a.name.cmp(b.name));
    let mut municipalities: Vec<_> = geography::MUNICIPALITIES.iter().collect();
    municipalities.sort_by(|a, b| a.name.cmp(b.name));
    html! {
        <div class="filter">
            <label class="filter-label" for="area">{ i18n::AREA.get(lang) }</label>
            <select id="area" {onchange}>
                { option(Area::Country, i18n::WHOLE_COUNTRY.get(lang)) }
                <optgroup label={i18n::REGIONS.get(lang)}>
                    { for geography::REGIONS.iter().map(|r| option(Area::Region(r.code), r.name)) }
                </optgroup>
                <optgroup label={i18n::HEALTH_CLUSTERS.get(lang)}>
                    { for clusters.iter().map(|c| option(Area::HealthCluster(u16::from(c.id)), c.name)) }
                </optgroup>
                <optgroup label={i18n::MUNICIPALITIES.get(lang)}>
                    { for municipalities.iter().map(|m| option(Area::Municipality(m.code), m.name)) }
                </optgroup>
            </select>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn option_values_round_trip() {
        for area in [
            Area::Country,
            Area::Region(1084),
            Area::HealthCluster(3),
            Area::Municipality(101),
        ] {
            assert_eq!(parse_option(&option_value(area)), area);
        }
        assert_eq!(parse_option("x12"), Area::Country);
    }
}
