//! Pages, one module each, and the hooks they share.

pub mod about;
pub mod advanced;
pub mod closed;
pub mod insight;
pub mod overview;
pub mod report;

use shared::cube::{Cube, Filter, Grouping, Point};
use shared::disclosure::{Protection, Status};
use shared::measure::Scale;
use shared::{geography, DimensionId, Lang, MeasureId};
use yew::prelude::*;

use crate::api::cache::Load;
use crate::charts::Datum;
use crate::i18n;
use crate::state::{attribute_order, attribute_values, Area, Filters, FIRST_VALUE};

/// A person attribute chosen without a value (the GP cluster, whose
/// values come from the data) takes the first of `values` once they are
/// known.
#[hook]
pub fn use_first_attribute_value(
    values: &[u16],
    filters: &Filters,
    on_filters: &Callback<Filters>,
) {
    let first = match filters.person {
        Some((_, FIRST_VALUE)) => values.first().copied(),
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
    total_point(cube, measure, scale, filter).and_then(|p| p.value)
}

/// [`total`] with how it is shown: exact, rounded (perhaps partly) or
/// protected (`None` when the tile has no cell for `filter`).
pub fn total_point(
    cube: &Cube,
    measure: MeasureId,
    scale: Scale,
    filter: &Filter,
) -> Option<Point> {
    cube.evaluate(measure, scale, filter, Grouping::Total)
        .ok()
        .and_then(|p| p.into_iter().next())
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
    // A code without a cell in a protected tile has only counts that
    // were published as 0: protected, never shown as zero.
    let missing = match cube.protection() {
        Protection::Exact => Status::Exact,
        Protection::CellKey => Status::Suppressed,
    };
    codes
        .into_iter()
        .map(|code| {
            let point = points.iter().find(|p| p.key == Some(code));
            Datum {
                key: code,
                // A release's hospitals are named by their tile.
                label: cube
                    .name_of(code)
                    .filter(|_| dimension == cube.family().def().dimension)
                    .map_or_else(|| dimension.value_label(code, lang), String::from),
                value: point.and_then(|p| p.value),
                status: point.map_or(missing, |p| p.status),
            }
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

/// A callback that emits `filters` with one choice changed by `set`.
pub fn set_filter<T: 'static>(
    filters: &Filters,
    on_filters: &Callback<Filters>,
    set: fn(&mut Filters, T),
) -> Callback<T> {
    let filters = filters.clone();
    on_filters.reform(move |value| {
        let mut filters = filters.clone();
        set(&mut filters, value);
        filters
    })
}

/// The tile of `family` that `filters` read, and the values the person
/// filter offers. The GP clusters come from the data: from the parts the
/// release's manifest lists, or else from the split tile. An attribute
/// chosen without a value takes the first.
#[hook]
pub fn use_person_tile(
    family: shared::TileFamilyId,
    filters: &Filters,
    on_filters: &Callback<Filters>,
) -> (Load, Vec<u16>) {
    let wanted = filters.tile_of(family);
    let parts = crate::api::cache::use_parts(filters.release.clone(), wanted.kind)
        .filter(|_| wanted.kind.split.dimension() == filters.person.map(|(d, _)| d));
    // A value still to be chosen: the first value's part, read next anyway.
    let tile = match (filters.person, parts.as_deref()) {
        (Some((_, FIRST_VALUE)), Some(codes)) => attribute_order(codes.to_vec())
            .first()
            .map_or(wanted, |first| {
                shared::tile::TileRef::part(wanted.kind, *first)
            }),
        _ => wanted,
    };
    let load = crate::api::cache::use_tile(filters.release.clone(), tile);
    let cube = match &load {
        Load::Ready(cube, _) => Some(cube.clone()),
        _ => None,
    };
    let values = filters
        .person
        .map(|(d, _)| match (d.codes(), parts) {
            (None, Some(parts)) => attribute_order(parts),
            _ => attribute_values(d, cube.as_deref()),
        })
        .unwrap_or_default();
    use_first_attribute_value(&values, filters, on_filters);
    (load, values)
}

/// The values the person filter offers, from the tile of `family` split by
/// the attribute in use (see [`use_person_tile`]).
#[hook]
pub fn use_person_values(
    family: shared::TileFamilyId,
    filters: &Filters,
    on_filters: &Callback<Filters>,
) -> Vec<u16> {
    use_person_tile(family, filters, on_filters).1
}

/// Where, when and whom a figure covers: "Aarhus, 2024 · Kvinder · 65+ år
/// · Gift"; `period` is a year or a span of years.
pub fn context(area: &str, period: &str, filters: &Filters, lang: Lang) -> String {
    let mut parts = vec![format!("{area}, {period}")];
    if let Some((dimension, code)) = filters.period {
        parts.push(dimension.value_label(code, lang));
    }
    if let Some(sex) = filters.sex {
        parts.push(sex.label().get(lang).to_string());
    }
    if !filters.age.is_empty() {
        parts.push(crate::state::age_range_label(&filters.age, lang));
    }
    if let Some((dimension, code)) = filters.person.filter(|(_, c)| *c != FIRST_VALUE) {
        parts.push(dimension.value_label(code, lang));
    }
    parts.join(" · ")
}

/// The value of the year before the tile's newest, for the area of
/// `filters` (`None` when the tile has one year).
pub fn previous_year(
    cube: &Cube,
    (measure, scale): (MeasureId, Scale),
    filters: &Filters,
) -> Option<(u16, Option<f64>)> {
    let years = cube.codes(DimensionId::Year).ok()?;
    let previous = *years.iter().rev().nth(1)?;
    Some((
        previous,
        total(cube, measure, scale, &filters.cube_filter(previous)),
    ))
}

#[cfg(test)]
mod tests {
    use shared::Sex;

    use super::*;

    #[test]
    fn context_names_every_restriction_in_order() {
        let filters = Filters {
            sex: Some(Sex::Female),
            age: vec![3, 4, 5],
            person: Some((DimensionId::CivilStatus, 2)),
            ..Filters::default()
        };
        assert_eq!(
            context("Aarhus", "2024", &filters, Lang::Da),
            "Aarhus, 2024 · Kvinder · 65+ år · Gift"
        );
        let quarter = Filters {
            period: Some((DimensionId::Quarter, 2)),
            ..Filters::default()
        };
        assert_eq!(
            context("Aarhus", "2024", &quarter, Lang::Da),
            "Aarhus, 2024 · 2. kvartal"
        );
        let month = Filters {
            period: Some((DimensionId::Month, 5)),
            ..Filters::default()
        };
        assert_eq!(
            context("Aarhus", "2024", &month, Lang::En),
            "Aarhus, 2024 · May"
        );
        assert_eq!(
            context("Hele landet", "2022-2024", &Filters::default(), Lang::Da),
            "Hele landet, 2022-2024"
        );
        // An attribute still waiting for its first value is not named.
        let waiting = Filters {
            person: Some((DimensionId::GpCluster, FIRST_VALUE)),
            ..Filters::default()
        };
        assert_eq!(
            context("Hele landet", "2024", &waiting, Lang::En),
            "Hele landet, 2024"
        );
    }
}
