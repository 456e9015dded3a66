//! Pages, one module each, and the hooks they share.

pub mod about;
pub mod advanced;
pub mod overview;
pub mod report;

use shared::cube::{Cube, Filter, Grouping};
use shared::measure::Scale;
use shared::{geography, DimensionId, Lang, MeasureId};
use yew::prelude::*;

use crate::api::cache::Load;
use crate::charts::Datum;
use crate::i18n;
use crate::state::{attribute_values, Area, Filters, FIRST_VALUE};

/// A person attribute chosen without a value (the GP cluster, whose
/// values come from its tile) takes its first value once `load`, a tile
/// split by that attribute, is here.
#[hook]
pub fn use_first_attribute_value(load: &Load, filters: &Filters, on_filters: &Callback<Filters>) {
    let first = match (load, filters.person) {
        (Load::Ready(cube, _), Some((dimension, FIRST_VALUE))) => {
            attribute_values(dimension, Some(cube)).first().copied()
        }
        _ => None,
    };
    let filters = filters.clone();
    let on_filters = on_filters.clone();
    use_effect_with(first, move |first| {
        if let (Some(code), Some((dimension, _))) = (*first, filters.person) {
            on_filters.emit(Filters {
                person: Some((dimension, code)),
                ..filters
            });
        }
    });
}

/// The newest year in a tile (a period filter will come with more years).
pub fn latest_year(cube: &Cube) -> u16 {
    cube.codes(DimensionId::Year)
        .ok()
        .and_then(|y| y.last().copied())
        .unwrap_or(0)
}

/// The value of `measure` on `scale` over the cells of `filter`.
pub fn total(cube: &Cube, measure: MeasureId, scale: Scale, filter: &Filter) -> Option<f64> {
    cube.evaluate(measure, scale, filter, Grouping::Total)
        .ok()
        .and_then(|p| p.first().and_then(|p| p.value))
}

/// One datum per code of `dimension`, in the order of `codes` (`None`
/// where the tile has no value).
pub fn series(
    cube: &Cube,
    (measure, scale): (MeasureId, Scale),
    filter: &Filter,
    dimension: DimensionId,
    codes: Vec<u16>,
    lang: Lang,
) -> Vec<Datum> {
    let points = cube
        .evaluate(measure, scale, filter, Grouping::By(dimension))
        .unwrap_or_default();
    codes
        .into_iter()
        .map(|code| Datum {
            key: code,
            label: dimension.value_label(code, lang),
            value: points
                .iter()
                .find(|p| p.key == Some(code))
                .and_then(|p| p.value),
        })
        .collect()
}

/// What the area of `filters` is compared with, with the same filters
/// otherwise: its region (for a municipality or a health cluster) and the
/// whole country (for any area but the country).
pub fn comparisons(
    cube: &Cube,
    (measure, scale): (MeasureId, Scale),
    filters: &Filters,
    year: u16,
    lang: Lang,
) -> Vec<(String, Option<f64>)> {
    let national = filters.population_filter(year);
    let mut out = Vec::new();
    if !matches!(filters.area, Area::Country | Area::Region(_)) {
        if let Some(region) = filters.area.region().and_then(geography::region) {
            let filter = national.clone().with(DimensionId::Region, [region.code]);
            out.push((
                region.name.to_string(),
                total(cube, measure, scale, &filter),
            ));
        }
    }
    if filters.area != Area::Country {
        out.push((
            i18n::WHOLE_COUNTRY.get(lang).to_string(),
            total(cube, measure, scale, &national),
        ));
    }
    out
}
