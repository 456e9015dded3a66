//! The national overview: the key figure "GP contacts per 1,000 citizens"
//! for the whole country, a bar chart by region, and a sex filter that
//! re-aggregates the decoded tile in the browser without a new request.

use std::rc::Rc;

use shared::cube::{Cube, Grouping};
use shared::{geography, DimensionId, Lang, MeasureId, Sex};
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::charts::bar::BarChart;
use crate::charts::Datum;
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
    /// Called when the user picks a sex (or both).
    pub on_sex: Callback<Option<Sex>>,
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
            let mut context = format!("{}, {}", i18n::WHOLE_COUNTRY.get(lang), view.year);
            if let Some(sex) = filters.sex {
                context.push_str(" · ");
                context.push_str(sex.label().get(lang));
            }
            let chart_title = format!("{} {}", measure.label.get(lang), i18n::BY_REGION.get(lang));
            html! {
                <div class="dashboard">
                    <aside class="filters" aria-label={i18n::FILTERS.get(lang)}>
                        <h2>{ i18n::FILTERS.get(lang) }</h2>
                        <SexFilter selected={filters.sex} on_change={props.on_sex.clone()} lang={lang} />
                    </aside>
                    <div class="panels">
                        <KeyFigure label={measure.label.get(lang)} value={view.national}
                            decimals={measure.decimals} unit={measure.unit.get(lang)}
                            context={context} lang={lang} />
                        <BarChart title={chart_title.clone()} data={view.by_region.clone()}
                            decimals={measure.decimals} lang={lang} />
                        <DataTable caption={format!("{}: {chart_title}", i18n::TABLE_OF.get(lang))}
                            category={DimensionId::Region.def().label.get(lang)}
                            value_heading={measure.label.get(lang)}
                            export_name={export_name(filters)}
                            data={view.by_region} decimals={measure.decimals} lang={lang} />
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
    let mut name = format!("tvaers-{}-{}", MEASURE.def().key, DimensionId::Region.key());
    if let Some(sex) = filters.sex {
        name.push_str(&format!("-{}-{}", DimensionId::Sex.key(), sex.code()));
    }
    name
}

/// The numbers on the page for the current filters.
struct View {
    year: u16,
    national: Option<f64>,
    by_region: Vec<Datum>,
}

impl View {
    fn compute(cube: &Cube, filters: &Filters, lang: Lang) -> View {
        // The newest year in the tile; a period filter comes with more years.
        let year = cube
            .codes(DimensionId::Year)
            .ok()
            .and_then(|y| y.last().copied())
            .unwrap_or(0);
        let filter = filters.cube_filter(year);
        let national = cube
            .evaluate(MEASURE, &filter, Grouping::Total)
            .ok()
            .and_then(|p| p.first().and_then(|p| p.value));
        let points = cube
            .evaluate(MEASURE, &filter, Grouping::By(DimensionId::Region))
            .unwrap_or_default();
        let by_region = geography::REGIONS
            .iter()
            .map(|r| Datum {
                key: r.code,
                label: DimensionId::Region.value_label(r.code, lang),
                value: points
                    .iter()
                    .find(|p| p.key == Some(r.code))
                    .and_then(|p| p.value),
            })
            .collect();
        View {
            year,
            national,
            by_region,
        }
    }
}
