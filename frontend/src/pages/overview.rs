//! The national overview: the key figure "GP contacts per 1,000 citizens"
//! for the whole country, a bar chart by region, and a sex filter that
//! re-aggregates the decoded tile in the browser without a new request.

use std::rc::Rc;

use shared::cube::{Cube, Grouping};
use shared::{geography, DimensionId, Lang, MeasureId};
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::charts::bar::BarChart;
use crate::charts::Datum;
use crate::components::area_filter::AreaFilter;
use crate::components::data_table::DataTable;
use crate::components::key_figure::KeyFigure;
use crate::components::sex_filter::SexFilter;
use crate::i18n;
use crate::state::Filters;

/// The measure this page shows.
const MEASURE: MeasureId = MeasureId::GpContactsPer1000;

/// Loading state of the page's tile.
#[derive(Clone, Debug, PartialEq)]
enum Load {
    Loading,
    Failed(ApiError),
    Ready(Rc<Cube>),
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
    let load = use_state(|| Load::Loading);
    let filters = &props.filters;
    {
        let load = load.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let result = async {
                    let manifest = api::manifest().await?;
                    let family = shared::TileFamilyId::Geography.def().key;
                    let entry = manifest.tile(family).ok_or_else(|| {
                        ApiError::Decode(format!("the release has no {family} tile"))
                    })?;
                    api::tile(entry).await
                }
                .await;
                load.set(match result {
                    Ok(cube) => Load::Ready(Rc::new(cube)),
                    Err(e) => Load::Failed(e),
                });
            });
        });
    }
    let measure = MEASURE.def();
    let body = match &*load {
        Load::Loading => html! { <p class="status" role="status">{ i18n::LOADING.get(lang) }</p> },
        Load::Failed(e) => html! {
            <p class="status error" role="alert">{ format!("{}: {e}", i18n::LOAD_FAILED.get(lang)) }</p>
        },
        Load::Ready(cube) => {
            let view = View::compute(cube, filters, lang);
            let area = filters
                .region
                .and_then(geography::region)
                .map_or(i18n::WHOLE_COUNTRY.get(lang), |r| r.name);
            let mut context = format!("{area}, {}", view.year);
            if let Some(sex) = filters.sex {
                context.push_str(" · ");
                context.push_str(sex.label().get(lang));
            }
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
            let chart_title = format!("{} {by}", measure.label.get(lang));
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
            html! {
                <div class="dashboard">
                    <aside class="filters" aria-label={i18n::FILTERS.get(lang)}>
                        <h2>{ i18n::FILTERS.get(lang) }</h2>
                        <AreaFilter selected={filters.region} on_change={on_region} lang={lang} />
                        <SexFilter selected={filters.sex} on_change={on_sex} lang={lang} />
                    </aside>
                    <div class="panels">
                        <KeyFigure label={measure.label.get(lang)} value={view.area}
                            decimals={measure.decimals} unit={measure.unit.get(lang)}
                            context={context} comparison={comparison} lang={lang} />
                        <BarChart title={chart_title.clone()} data={view.breakdown.clone()}
                            decimals={measure.decimals} lang={lang} />
                        <DataTable caption={format!("{}: {chart_title}", i18n::TABLE_OF.get(lang))}
                            category={breakdown.def().label.get(lang)}
                            value_heading={measure.label.get(lang)}
                            export_name={export_name(filters)}
                            data={view.breakdown} decimals={measure.decimals} lang={lang} />
                        <p class="definition">{ measure.description.get(lang) }</p>
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

/// `tvaers-<measure>-<dimension>[-<filter>]`, so that exports of
/// different views do not overwrite each other.
fn export_name(filters: &Filters) -> String {
    let mut name = match filters.region {
        None => format!("tvaers-{}-{}", MEASURE.def().key, DimensionId::Region.key()),
        Some(region) => format!(
            "tvaers-{}-{}-{}-{region}",
            MEASURE.def().key,
            DimensionId::Municipality.key(),
            DimensionId::Region.key()
        ),
    };
    if let Some(sex) = filters.sex {
        name.push_str(&format!("-{}-{}", DimensionId::Sex.key(), sex.code()));
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
        let total = |filter| {
            cube.evaluate(MEASURE, &filter, Grouping::Total)
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
            .evaluate(MEASURE, &filters.cube_filter(year), Grouping::By(dimension))
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
