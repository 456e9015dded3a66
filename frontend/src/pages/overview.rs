//! The national overview: the chosen measure's key figure for the whole
//! country (or a region next to the country), a bar chart by region (or by
//! the region's municipalities) with its table twin, and filters that
//! re-aggregate the decoded tile in the browser. Each tile family is
//! fetched once; switching measures within a family, or back to a family
//! seen before, fetches nothing.

use std::collections::HashMap;
use std::rc::Rc;

use shared::cube::{Cube, Grouping};
use shared::{geography, DimensionId, Lang};
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::charts::bar::BarChart;
use crate::charts::Datum;
use crate::components::area_filter::AreaFilter;
use crate::components::data_table::DataTable;
use crate::components::key_figure::KeyFigure;
use crate::components::measure_picker::MeasurePicker;
use crate::components::person_filter::PersonFilter;
use crate::components::sex_filter::SexFilter;
use crate::i18n;
use crate::state::{attribute_values, Filters, FIRST_VALUE};

/// Loading state of one tile.
#[derive(Clone, Debug, PartialEq)]
enum Load {
    Loading,
    Failed(ApiError),
    /// The tile, and the id of the release it came from.
    Ready(Rc<Cube>, Rc<str>),
}

/// The tiles of this page by manifest key: fetched once each.
#[derive(Clone, Debug, Default, PartialEq)]
struct Tiles(HashMap<String, Load>);

impl Reducible for Tiles {
    type Action = (String, Load);

    fn reduce(self: Rc<Self>, (key, load): Self::Action) -> Rc<Self> {
        let mut tiles = (*self).clone();
        tiles.0.insert(key, load);
        Rc::new(tiles)
    }
}

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
    let tiles = use_reducer(Tiles::default);
    let filters = &props.filters;
    let measure = filters.measure.def();
    let scale = filters.scale();
    // Tiles are cached per release and tile.
    let tile = filters.tile().key();
    let tile_key = format!("{}/{tile}", filters.release.as_deref().unwrap_or("current"));
    {
        let tiles = tiles.clone();
        let release = filters.release.clone();
        use_effect_with(tile_key.clone(), move |key| {
            let key = key.clone();
            if !tiles.0.contains_key(&key) {
                tiles.dispatch((key.clone(), Load::Loading));
                wasm_bindgen_futures::spawn_local(async move {
                    let result = async {
                        let manifest = api::manifest(release.as_deref()).await?;
                        let entry = manifest.tile(&tile).ok_or_else(|| {
                            ApiError::Decode(format!("the release has no {tile} tile"))
                        })?;
                        Ok::<_, ApiError>((api::tile(entry).await?, manifest.release))
                    }
                    .await;
                    tiles.dispatch((
                        key,
                        match result {
                            Ok((cube, release)) => Load::Ready(Rc::new(cube), release.into()),
                            Err(e) => Load::Failed(e),
                        },
                    ));
                });
            }
        });
    }
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
    let load = tiles.0.get(&tile_key).cloned().unwrap_or(Load::Loading);
    // An attribute chosen without a value (the GP cluster, whose values
    // come from its tile) takes its first value once the tile is here.
    {
        let first = match (&load, filters.person) {
            (Load::Ready(cube, _), Some((dimension, FIRST_VALUE))) => {
                attribute_values(dimension, Some(cube)).first().copied()
            }
            _ => None,
        };
        let filters = filters.clone();
        let on_filters = props.on_filters.clone();
        use_effect_with(first, move |first| {
            if let (Some(code), Some((dimension, _))) = (*first, filters.person) {
                on_filters.emit(Filters {
                    person: Some((dimension, code)),
                    ..filters
                });
            }
        });
    }
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
            let area = filters
                .region
                .and_then(geography::region)
                .map_or(i18n::WHOLE_COUNTRY.get(lang), |r| r.name);
            let mut context = format!("{area}, {}", view.year);
            if let Some(sex) = filters.sex {
                context.push_str(" · ");
                context.push_str(sex.label().get(lang));
            }
            if let Some((dimension, code)) = filters.person.filter(|(_, c)| *c != FIRST_VALUE) {
                context.push_str(" · ");
                context.push_str(&dimension.value_label(code, lang));
            }
            let person_values = filters
                .person
                .map(|(dimension, _)| attribute_values(dimension, Some(cube)))
                .unwrap_or_default();
            let comparison = filters.region.map(|_| {
                (
                    AttrValue::from(i18n::WHOLE_COUNTRY.get(lang)),
                    view.national,
                )
            });
            let (breakdown, by) = match filters.region {
                None => (DimensionId::Region, i18n::BY_REGION.get(lang).to_string()),
                Some(_) => (
                    DimensionId::Municipality,
                    format!("{}, {area}", i18n::BY_MUNICIPALITY.get(lang)),
                ),
            };
            let chart_title = format!("{label} {by}");
            let on_region = {
                let filters = filters.clone();
                props.on_filters.reform(move |region| Filters {
                    region,
                    ..filters.clone()
                })
            };
            let on_sex = {
                let filters = filters.clone();
                props.on_filters.reform(move |sex| Filters {
                    sex,
                    ..filters.clone()
                })
            };
            let on_person = {
                let filters = filters.clone();
                props.on_filters.reform(move |person| Filters {
                    person,
                    ..filters.clone()
                })
            };
            html! {
                <div class="dashboard">
                    <aside class="filters" aria-label={i18n::FILTERS.get(lang)}>
                        <h2>{ i18n::FILTERS.get(lang) }</h2>
                        { picker.clone() }
                        <AreaFilter selected={filters.region} on_change={on_region} lang={lang} />
                        <SexFilter selected={filters.sex} on_change={on_sex} lang={lang} />
                        <PersonFilter selected={filters.person} values={person_values}
                            on_change={on_person} lang={lang} />
                    </aside>
                    <div class="panels">
                        <KeyFigure label={label} value={view.area}
                            decimals={decimals} unit={unit.clone()}
                            context={context} comparison={comparison} lang={lang} />
                        <BarChart title={chart_title.clone()} data={view.breakdown.clone()}
                            decimals={decimals} lang={lang} />
                        <DataTable caption={format!("{}: {chart_title}", i18n::TABLE_OF.get(lang))}
                            category={breakdown.def().label.get(lang)}
                            value_heading={format!("{label}, {unit}")}
                            export_name={export_name(filters)}
                            data={view.breakdown} decimals={decimals} lang={lang} />
                        <p class="definition">{ measure.description().get(lang) }</p>
                        <p class="release" data-testid="release">
                            { format!("{} {}", i18n::RELEASE.get(lang), &release[..12]) }
                            { " · " }
                            <a href={format!("?{}", crate::state::url::render(&crate::state::ViewState {
                                lang,
                                filters: Filters { release: Some(release.to_string()), ..filters.clone() },
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
            { body }
        </>
    }
}

/// `tvaers-<measure>-<scale>-<dimension>[-<filter>]`, so that exports of
/// different views do not overwrite each other.
fn export_name(filters: &Filters) -> String {
    let measure = format!("{}-{}", filters.measure.def().key, filters.scale().key());
    let mut name = match filters.region {
        None => format!("tvaers-{measure}-{}", DimensionId::Region.key()),
        Some(region) => format!(
            "tvaers-{measure}-{}-{}-{region}",
            DimensionId::Municipality.key(),
            DimensionId::Region.key()
        ),
    };
    if let Some(sex) = filters.sex {
        name.push_str(&format!("-{}-{}", DimensionId::Sex.key(), sex.code()));
    }
    if let Some((dimension, code)) = filters.person {
        name.push_str(&format!("-{}-{code}", dimension.key()));
    }
    name
}

/// The numbers on the page for the current filters.
struct View {
    year: u16,
    /// The selected area (region or country).
    area: Option<f64>,
    /// The whole country with the same filters otherwise.
    national: Option<f64>,
    /// By region (whole country) or by municipality (a region).
    breakdown: Vec<Datum>,
}

impl View {
    fn compute(cube: &Cube, filters: &Filters, lang: Lang) -> View {
        // The newest year in the tile; a period filter comes with more years.
        let year = cube
            .codes(DimensionId::Year)
            .ok()
            .and_then(|y| y.last().copied())
            .unwrap_or(0);
        let (measure, scale) = (filters.measure, filters.scale());
        let total = |filter| {
            cube.evaluate(measure, scale, &filter, Grouping::Total)
                .ok()
                .and_then(|p| p.first().and_then(|p| p.value))
        };
        let area = total(filters.cube_filter(year));
        let national = total(filters.population_filter(year));
        let (dimension, codes): (DimensionId, Vec<u16>) = match filters.region {
            None => (
                DimensionId::Region,
                geography::REGIONS.iter().map(|r| r.code).collect(),
            ),
            Some(region) => {
                let mut municipalities: Vec<_> = geography::MUNICIPALITIES
                    .iter()
                    .filter(|m| m.region == region)
                    .collect();
                municipalities.sort_by(|a, b| a.name.cmp(b.name));
                (
                    DimensionId::Municipality,
                    municipalities.iter().map(|m| m.code).collect(),
                )
            }
        };
        let points = cube
            .evaluate(
                measure,
                scale,
                &filters.cube_filter(year),
                Grouping::By(dimension),
            )
            .unwrap_or_default();
        let breakdown = codes
            .into_iter()
            .map(|code| Datum {
                key: code,
                label: dimension.value_label(code, lang),
                value: points
                    .iter()
                    .find(|p| p.key == Some(code))
                    .and_then(|p| p.value),
            })
            .collect();
        View {
            year,
            area,
            national,
            breakdown,
        }
    }
}
