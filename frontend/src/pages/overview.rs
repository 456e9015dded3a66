//! The national overview: the chosen measure's key figure for the whole
//! country (or a region next to the country), a bar chart by region (or by
//! the region's municipalities) with its table twin, and filters that
//! re-aggregate the decoded tile in the browser. Each tile family is
//! fetched once; switching measures within a family, or back to a family
//! seen before, fetches nothing.

use shared::cube::{Cube, Point};
use shared::{geography, DimensionId, Lang};
use yew::prelude::*;

use super::report::ThemeCards;
use super::{
    comparisons, context, latest_year, previous_year, series, set_filter, total, total_point,
    use_person_tile,
};
use crate::api::cache::Load;
use crate::charts::bar::BarChart;
use crate::charts::map::ChoroplethMap;
use crate::charts::Datum;
use crate::components::age_filter::AgeFilter;
use crate::components::area_filter::AreaFilter;
use crate::components::data_table::DataTable;
use crate::components::key_figure::KeyFigure;
use crate::components::measure_picker::MeasurePicker;
use crate::components::period_filter::PeriodFilter;
use crate::components::person_filter::PersonFilter;
use crate::components::sex_filter::SexFilter;
use crate::i18n;
use crate::state::{splits_offered, Area, Filters, MapLevel};

/// Properties of [`Overview`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct OverviewProps {
    /// Display language.
    pub lang: Lang,
    /// The filters in force.
    pub filters: Filters,
    /// Called with the filters the user chose.
    pub on_filters: Callback<Filters>,
}

/// The national overview page.
#[function_component(Overview)]
pub fn overview(props: &OverviewProps) -> Html {
    let lang = props.lang;
    let split = splits_offered([props.filters.measure]);
    let filters = &props.filters.offered(split);
    let measure = filters.measure.def();
    let scale = filters.scale();
    let (load, person_values) = use_person_tile(
        filters.measure.def().family().id,
        filters,
        &props.on_filters,
    );
    let on_measure = {
        let filters = filters.clone();
        props.on_filters.reform(move |measure| Filters {
            measure,
            scale: None,
            ..filters.clone()
        })
    };
    let on_scale = {
        let filters = filters.clone();
        props.on_filters.reform(move |scale| Filters {
            scale: Some(scale),
            ..filters.clone()
        })
    };
    let picker = html! {
        <MeasurePicker measure={filters.measure} scale={scale}
            on_measure={on_measure} on_scale={on_scale} lang={lang} />
    };
    let body = match &load {
        Load::Loading => html! {
            <div class="dashboard">
                <aside class="filters" aria-label={i18n::FILTERS.get(lang)}>{ picker.clone() }</aside>
                <p class="status" role="status">{ i18n::LOADING.get(lang) }</p>
            </div>
        },
        Load::Failed(e) => html! {
            <div class="dashboard">
                <aside class="filters" aria-label={i18n::FILTERS.get(lang)}>{ picker.clone() }</aside>
                <p class="status error" role="alert">{ format!("{}: {e}", i18n::LOAD_FAILED.get(lang)) }</p>
            </div>
        },
        Load::Ready(cube, release) => {
            let view = View::compute(cube, filters, lang);
            let decimals = scale.decimals();
            let label = measure.label().get(lang);
            let unit = measure.unit(scale, lang);
            let area = filters.area.name().unwrap_or(i18n::WHOLE_COUNTRY.get(lang));
            let context = context(area, &view.year.to_string(), filters, lang);
            let comparisons: Vec<(AttrValue, Option<f64>)> = view
                .comparisons
                .iter()
                .map(|(name, value)| (AttrValue::from(name.clone()), *value))
                .collect();
            let (breakdown, by) = match filters.area {
                Area::Country => (DimensionId::Region, i18n::BY_REGION.get(lang).to_string()),
                Area::Municipality(code) => (
                    DimensionId::Municipality,
                    format!(
                        "{}, {}",
                        i18n::BY_MUNICIPALITY.get(lang),
                        geography::region_of(code)
                            .and_then(geography::region)
                            .map_or(area, |r| r.name)
                    ),
                ),
                _ => (
                    DimensionId::Municipality,
                    format!("{}, {area}", i18n::BY_MUNICIPALITY.get(lang)),
                ),
            };
            let highlight = match filters.area {
                Area::Municipality(code) => Some(code),
                _ => None,
            };
            let chart_title = format!("{label} {by}");
            let map_level = filters.map_level;
            let map_title = format!(
                "{}: {label} {}",
                i18n::MAP.get(lang),
                match map_level {
                    MapLevel::Municipality => i18n::BY_MUNICIPALITY.get(lang),
                    MapLevel::Region => i18n::BY_REGION.get(lang),
                },
            );
            let map_selected = match (map_level, filters.area) {
                (MapLevel::Municipality, Area::Municipality(code)) => Some(code),
                (MapLevel::Region, Area::Region(code)) => Some(code),
                _ => None,
            };
            let with = |f: fn(Filters, Area) -> Filters| {
                let filters = filters.clone();
                move |area| f(filters.clone(), area)
            };
            let on_area = props
                .on_filters
                .reform(with(|f, area| Filters { area, ..f }));
            // Clicking the selected area again selects the whole country.
            let on_map_select = {
                let on_area = on_area.clone();
                Callback::from(move |code: u16| {
                    let area = match map_level {
                        MapLevel::Municipality => Area::Municipality(code),
                        MapLevel::Region => Area::Region(code),
                    };
                    on_area.emit(if map_selected == Some(code) {
                        Area::Country
                    } else {
                        area
                    });
                })
            };
            let on_map_level = {
                let filters = filters.clone();
                props.on_filters.reform(move |regions: bool| Filters {
                    map_level: if regions {
                        MapLevel::Region
                    } else {
                        MapLevel::Municipality
                    },
                    ..filters.clone()
                })
            };
            let on_sex = set_filter(filters, &props.on_filters, |f, sex| f.sex = sex);
            let on_age = set_filter(filters, &props.on_filters, |f, age| f.age = age);
            let on_person = set_filter(filters, &props.on_filters, |f, person| f.person = person);
            let on_period = set_filter(filters, &props.on_filters, |f, period| f.period = period);
            let map_dimension = map_level.dimension();
            html! {
                <div class="dashboard">
                    <aside class="filters" aria-label={i18n::FILTERS.get(lang)}>
                        <h2>{ i18n::FILTERS.get(lang) }</h2>
                        { picker.clone() }
                        <AreaFilter selected={filters.area} on_change={on_area} lang={lang} />
                        <SexFilter selected={filters.sex} on_change={on_sex} lang={lang} />
                        <AgeFilter selected={filters.age.clone()} on_change={on_age} lang={lang} />
                        <PeriodFilter selected={filters.period} locked={filters.person.is_some()}
                            unavailable={!split} on_change={on_period} lang={lang} />
                        <PersonFilter selected={filters.person} values={person_values}
                            locked={filters.period.is_some()} unavailable={!split}
                            on_change={on_person} lang={lang} />
                    </aside>
                    <div class="panels">
                        <KeyFigure label={label} value={view.area.and_then(|p| p.value)}
                            protection={cube.protection()} status={view.area.map(|p| p.status)}
                            partly_exact={view.area.is_some_and(|p| p.partly_exact)}
                            decimals={decimals} unit={unit.clone()}
                            context={context} comparisons={comparisons} lang={lang}
                            previous={previous_year(cube, (filters.measure, scale), filters)} />
                        <BarChart title={chart_title.clone()} data={view.breakdown.clone()}
                            reference={view.national.map(|v| (AttrValue::from(i18n::WHOLE_COUNTRY.get(lang)), v))}
                            highlight={highlight} decimals={decimals} lang={lang}
                            export_name={export_name(filters, breakdown)} />
                        <DataTable caption={format!("{}: {chart_title}", i18n::TABLE_OF.get(lang))}
                            category={breakdown.def().label.get(lang)}
                            value_heading={format!("{label}, {unit}")}
                            export_name={export_name(filters, breakdown)}
                            data={view.breakdown} highlight={highlight} decimals={decimals} lang={lang}
                            testid="breakdown-table" />
                        <ChoroplethMap title={map_title.clone()} data={view.map.clone()}
                            regions={map_level == MapLevel::Region} selected={map_selected}
                            decimals={decimals} unit={unit.clone()} lang={lang}
                            export_name={format!("{}-map", export_name(&Filters { area: Area::Country, ..filters.clone() }, map_dimension))}
                            on_select={on_map_select} on_level={on_map_level} />
                        <details class="table-twin" data-testid="map-table">
                            <summary>{ format!("{}: {map_title}", i18n::TABLE_OF.get(lang)) }</summary>
                            <DataTable caption={format!("{}: {map_title}", i18n::TABLE_OF.get(lang))}
                                category={map_dimension.def().label.get(lang)}
                                value_heading={format!("{label}, {unit}")}
                                export_name={export_name(&Filters { area: Area::Country, ..filters.clone() }, map_dimension)}
                                data={view.map} highlight={map_selected} decimals={decimals} lang={lang}
                                testid="map-data-table" />
                        </details>
                        <p class="definition">{ measure.description().get(lang) }</p>
                        <p class="release" data-testid="release">
                            { format!("{} {}", i18n::RELEASE.get(lang), &release[..12]) }
                            { " · " }
                            <a href={format!("?{}", crate::state::url::render(&crate::state::ViewState {
                                lang,
                                filters: Filters { release: Some(release.to_string()), ..filters.clone() },
                                ..Default::default()
                            }))}>{ i18n::PERMALINK.get(lang) }</a>
                        </p>
                    </div>
                </div>
            }
        }
    };
    html! {
        <>
            <h1>{ i18n::OVERVIEW.get(lang) }</h1>
            <ThemeCards lang={lang} release={filters.release.clone()}
                ready={matches!(load, Load::Ready(..))} />
            { body }
        </>
    }
}

/// `tvaers-<measure>-<scale>-<dimension>[-<area>][-<filter>]`, so that
/// exports of different views do not overwrite each other.
fn export_name(filters: &Filters, breakdown: DimensionId) -> String {
    let measure = format!("{}-{}", filters.measure.def().key, filters.scale().key());
    let mut name = format!("tvaers-{measure}-{}", breakdown.key());
    if let Some((dimension, code)) = filters.area.filter() {
        name.push_str(&format!("-{}-{code}", dimension.key()));
    }
    if let Some(sex) = filters.sex {
        name.push_str(&format!("-{}-{}", DimensionId::Sex.key(), sex.code()));
    }
    if !filters.age.is_empty() {
        let codes: Vec<String> = filters.age.iter().map(u16::to_string).collect();
        name.push_str(&format!(
            "-{}-{}",
            DimensionId::AgeGroup.key(),
            codes.join("-")
        ));
    }
    if let Some((dimension, code)) = filters.person {
        name.push_str(&format!("-{}-{code}", dimension.key()));
    }
    name
}

/// The numbers on the page for the current filters.
struct View {
    year: u16,
    /// The selected area (or the country): its value and how it is
    /// shown (exact, rounded, protected).
    area: Option<Point>,
    /// What the area is compared with: its region (for a municipality or
    /// a health cluster) and the whole country, with the same filters
    /// otherwise.
    comparisons: Vec<(String, Option<f64>)>,
    /// By region (whole country) or by municipality (of the area, or of
    /// a municipality's region).
    breakdown: Vec<Datum>,
    /// Every municipality or region, for the map.
    map: Vec<Datum>,
    /// The whole country, the line every bar is compared with.
    national: Option<f64>,
}

impl View {
    fn compute(cube: &Cube, filters: &Filters, lang: Lang) -> View {
        let year = latest_year(cube);
        let what = (filters.measure, filters.scale());
        let national = filters.population_filter(year);
        let area = total_point(cube, what.0, what.1, &filters.cube_filter(year));
        let comparisons = comparisons(cube, what, filters, year, lang);
        let by = |dimension: DimensionId, filter: &shared::cube::Filter, codes: Vec<u16>| {
            series(cube, what, filter, dimension, codes, lang)
        };
        let region_codes = || geography::REGIONS.iter().map(|r| r.code).collect();
        let breakdown = match filters.area {
            Area::Country => by(DimensionId::Region, &national, region_codes()),
            // A municipality among those of its region: the filter
            // without the municipality.
            Area::Municipality(_) => {
                let region = filters.area.region().unwrap_or(0);
                let codes = filters
                    .area
                    .municipalities()
                    .iter()
                    .map(|m| m.code)
                    .collect();
                let filter = national.clone().with(DimensionId::Region, [region]);
                by(DimensionId::Municipality, &filter, codes)
            }
            _ => {
                let codes = filters
                    .area
                    .municipalities()
                    .iter()
                    .map(|m| m.code)
                    .collect();
                by(DimensionId::Municipality, &filters.cube_filter(year), codes)
            }
        };
        let map = match filters.map_level {
            MapLevel::Region => by(DimensionId::Region, &national, region_codes()),
            MapLevel::Municipality => {
                let mut all: Vec<_> = geography::MUNICIPALITIES.iter().collect();
                all.sort_by(|a, b| a.name.cmp(b.name));
                by(
                    DimensionId::Municipality,
                    &national,
                    all.iter().map(|m| m.code).collect(),
                )
            }
        };
        View {
            year,
            area,
            comparisons,
            breakdown,
            map,
            national: total(cube, what.0, what.1, &national),
        }
    }
}
