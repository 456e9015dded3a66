//! The advanced tool: the user builds a report of up to four charts —
//! measure, scale, breakdown and chart type each — over filters shared by
//! all of them, and sees every chart update as they change. The report
//! lives in the address (see [`crate::state::report`]); every chart asks
//! the tile cache for its tile, so charts of one tile share one request.

use shared::cube::{Cube, Grouping};
use shared::tile::{Split, TileKind};
use shared::{geography, DimensionId, Lang, Sex};
use yew::prelude::*;

use super::{context, latest_year, series, set_filter, total, use_person_values};
use crate::api::cache::{use_tile, Load};
use crate::charts::bar::BarChart;
use crate::charts::line::LineChart;
use crate::charts::map::ChoroplethMap;
use crate::charts::stacked::StackedBarChart;
use crate::charts::Datum;
use crate::components::age_filter::AgeFilter;
use crate::components::area_filter::AreaFilter;
use crate::components::data_table::DataTable;
use crate::components::measure_picker::MeasurePicker;
use crate::components::period_filter::PeriodFilter;
use crate::components::person_filter::PersonFilter;
use crate::components::save_report::SaveReport;
use crate::components::select_value;
use crate::components::sex_filter::SexFilter;
use crate::i18n;
use crate::state::report::{ChartKind, ChartSpec, BREAKDOWNS, MAX_CHARTS};
use crate::state::{attribute_values, splits_offered, Area, Filters, DEFAULT_MEASURE};

/// Properties of [`Advanced`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct AdvancedProps {
    /// Display language.
    pub lang: Lang,
    /// The filters in force, shared by every chart.
    pub filters: Filters,
    /// The report's charts.
    pub charts: Vec<ChartSpec>,
    /// Called with the filters the user chose.
    pub on_filters: Callback<Filters>,
    /// Called with the charts the user chose.
    pub on_charts: Callback<Vec<ChartSpec>>,
}

/// The advanced tool's page.
#[function_component(Advanced)]
pub fn advanced(props: &AdvancedProps) -> Html {
    let lang = props.lang;
    let split = splits_offered(props.charts.iter().map(|c| c.measure));
    let filters = &props.filters.offered(split);
    // The first chart's tile, split by the person attribute in use, gives
    // that attribute's values (the GP clusters come from the data).
    let family = props
        .charts
        .first()
        .map_or(filters.measure, |c| c.measure)
        .def()
        .family()
        .id;
    let person_values = use_person_values(family, filters, &props.on_filters);
    let on_area = set_filter(filters, &props.on_filters, |f, area| f.area = area);
    let on_sex = set_filter(filters, &props.on_filters, |f, sex| f.sex = sex);
    let on_age = set_filter(filters, &props.on_filters, |f, age| f.age = age);
    let on_person = set_filter(filters, &props.on_filters, |f, person| f.person = person);
    let on_period = set_filter(filters, &props.on_filters, |f, period| f.period = period);
    let charts: Vec<Html> = props.charts.iter().enumerate().map(|(i, spec)| {
        let on_change = {
            let (charts, on_charts) = (props.charts.clone(), props.on_charts.clone());
            Callback::from(move |spec: ChartSpec| {
                let mut charts = charts.clone();
                charts[i] = spec;
                on_charts.emit(charts);
            })
        };
        let on_remove = (props.charts.len() > 1).then(|| {
            let (charts, on_charts) = (props.charts.clone(), props.on_charts.clone());
            Callback::from(move |()| {
                let mut charts = charts.clone();
                charts.remove(i);
                on_charts.emit(charts);
            })
        });
        html! {
            <ReportChart key={i} number={i + 1} spec={*spec} filters={filters.clone()} lang={lang}
                on_change={on_change} on_remove={on_remove} on_area={on_area.clone()} />
        }
    }).collect();
    let add = (props.charts.len() < MAX_CHARTS).then(|| {
        let (charts, on_charts) = (props.charts.clone(), props.on_charts.clone());
        let onclick = Callback::from(move |_: MouseEvent| {
            let mut charts = charts.clone();
            let measure = charts.last().map_or(DEFAULT_MEASURE, |c| c.measure);
            charts.push(ChartSpec {
                measure,
                scale: None,
                by: DimensionId::Region,
                kind: ChartKind::Bar,
            });
            on_charts.emit(charts);
        });
        html! {
            <button type="button" class="add-chart" {onclick}>{ i18n::ADD_CHART.get(lang) }</button>
        }
    });
    html! {
        <>
            <h1>{ i18n::ADVANCED.get(lang) }</h1>
            <p class="lead">{ i18n::ADVANCED_INTRO.get(lang) }</p>
            <div class="dashboard">
                <aside class="filters" aria-label={i18n::FILTERS.get(lang)}>
                    <h2>{ i18n::FILTERS_ALL_CHARTS.get(lang) }</h2>
                    <AreaFilter selected={filters.area} on_change={on_area.clone()} lang={lang} />
                    <SexFilter selected={filters.sex} on_change={on_sex} lang={lang} />
                        <AgeFilter selected={filters.age.clone()} on_change={on_age} lang={lang} />
                    <PeriodFilter selected={filters.period} locked={filters.person.is_some()}
                        unavailable={!split} on_change={on_period} lang={lang} />
                    <PersonFilter selected={filters.person} values={person_values}
                        locked={filters.period.is_some()} unavailable={!split}
                        on_change={on_person} lang={lang} />
                    <SaveReport lang={lang} />
                </aside>
                <div class="panels report">
                    { for charts }
                    { for add }
                </div>
            </div>
        </>
    }
}

/// Properties of [`ReportChart`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct ReportChartProps {
    /// 1-based position in the report.
    pub number: usize,
    /// What to draw.
    pub spec: ChartSpec,
    /// The filters in force.
    pub filters: Filters,
    /// Display language.
    pub lang: Lang,
    /// Called with the chart the user chose.
    pub on_change: Callback<ChartSpec>,
    /// Removes the chart (`None`: the report's only chart stays).
    pub on_remove: Option<Callback<()>>,
    /// Called with an area clicked on a map.
    pub on_area: Callback<Area>,
    /// A chart of a standard report: no controls.
    #[prop_or_default]
    pub fixed: bool,
}

/// One chart of the report: its controls, the chart, its table twin.
#[function_component(ReportChart)]
pub fn report_chart(props: &ReportChartProps) -> Html {
    let (lang, spec, filters, n) = (props.lang, props.spec, &props.filters, props.number);
    let tile = spec.tile(filters);
    // A conflict draws no chart, but the hook is called all the same.
    let fallback = TileKind {
        family: spec.measure.def().family().id,
        split: Split::None,
    };
    let load = use_tile(filters.release.clone(), tile.unwrap_or(fallback.into()));
    let prefix = format!("c{n}-");
    // A breakdown the new measure does not offer gives way to regions.
    let on_measure = props.on_change.reform(move |measure| {
        let by = if ChartSpec::offers(measure, spec.by) {
            spec.by
        } else {
            DimensionId::Region
        };
        let kind = if spec.kind.fits(by, spec.scale()) {
            spec.kind
        } else {
            ChartKind::default_for(by)
        };
        ChartSpec {
            measure,
            scale: None,
            by,
            kind,
        }
    });
    let on_scale = props.on_change.reform(move |scale| ChartSpec {
        scale: Some(scale),
        ..spec
    });
    let on_by = props.on_change.reform(move |e: Event| {
        let key = select_value(&e);
        let by = BREAKDOWNS
            .into_iter()
            .find(|d| d.key() == key)
            .unwrap_or(spec.by);
        // The old breakdown's default kind gives way to the new one's.
        let kind =
            if spec.kind == ChartKind::default_for(spec.by) || !spec.kind.fits(by, spec.scale()) {
                ChartKind::default_for(by)
            } else {
                spec.kind
            };
        ChartSpec { by, kind, ..spec }
    });
    let on_kind = props.on_change.reform(move |e: Event| {
        let key = select_value(&e);
        ChartSpec {
            kind: ChartKind::from_key(&key).unwrap_or(spec.kind),
            ..spec
        }
    });
    let remove = props.on_remove.clone().map(|on_remove| {
        html! {
            <button type="button" class="remove-chart"
                aria-label={format!("{} {n}", i18n::REMOVE_CHART.get(lang))}
                onclick={on_remove.reform(|_: MouseEvent| ())}>{ i18n::REMOVE.get(lang) }</button>
        }
    });
    let controls = html! {
        <div class="chart-controls">
            <MeasurePicker measure={spec.measure} scale={spec.scale()} scales={spec.scales()}
                id_prefix={prefix.clone()}
                on_measure={on_measure} on_scale={on_scale} lang={lang} />
            <div class="filter">
                <label class="filter-label" for={format!("{prefix}by")}>{ i18n::BREAK_DOWN_BY.get(lang) }</label>
                <select id={format!("{prefix}by")} onchange={on_by}>
                    { for BREAKDOWNS.iter().filter(|d| ChartSpec::offers(spec.measure, **d)).map(|d| html! {
                        <option value={d.key()} selected={*d == spec.by}>{ d.def().label.get(lang) }</option>
                    }) }
                </select>
            </div>
            <div class="filter">
                <label class="filter-label" for={format!("{prefix}kind")}>{ i18n::CHART_TYPE.get(lang) }</label>
                <select id={format!("{prefix}kind")} onchange={on_kind}>
                    { for ChartKind::ALL.iter().filter(|k| k.fits(spec.by, spec.scale())).map(|k| html! {
                        <option value={k.key()} selected={*k == spec.kind()}>{ k.label().get(lang) }</option>
                    }) }
                </select>
            </div>
            { for remove }
        </div>
    };
    let body = match (tile, &load) {
        (Err(conflict), _) => html! {
            <p class="status error" role="alert">{ conflict.message(lang) }</p>
        },
        (Ok(_), Load::Loading) => html! {
            <p class="status" role="status">{ i18n::LOADING.get(lang) }</p>
        },
        (Ok(_), Load::Failed(e)) => html! {
            <p class="status error" role="alert">{ format!("{}: {e}", i18n::LOAD_FAILED.get(lang)) }</p>
        },
        (Ok(_), Load::Ready(cube, _)) => chart(cube, props),
    };
    html! {
        <section class="report-chart" data-testid={format!("chart-{n}")}
            aria-label={format!("{} {n}", i18n::CHART.get(lang))}>
            if !props.fixed {
                { controls }
            }
            { body }
        </section>
    }
}

/// The chart of `props` drawn from `cube`, with its table twin.
fn chart(cube: &Cube, props: &ReportChartProps) -> Html {
    let (lang, spec, filters, n) = (props.lang, props.spec, &props.filters, props.number);
    let series = Series::compute(cube, spec, filters, lang);
    let measure = spec.measure.def();
    let scale = spec.scale();
    let decimals = scale.decimals();
    let label = measure.label().get(lang);
    let unit = measure.unit(scale, lang);
    let by_label = spec.by.def().label.get(lang);
    let title = format!("{label} {} {}", i18n::BY.get(lang), by_label.to_lowercase());
    let context = context(&series.area, &series.period, filters, lang);
    let file = format!("tvaers-{}-{}-{}", measure.key, scale.key(), spec.by.key());
    let table = |highlight| {
        html! {
            <DataTable caption={format!("{}: {title}", i18n::TABLE_OF.get(lang))}
                category={by_label} value_heading={format!("{label}, {unit}")}
                export_name={file.clone()}
                data={series.data.clone()} highlight={highlight} decimals={decimals} lang={lang}
                testid={format!("chart-{n}-table")} />
        }
    };
    let twin = |highlight| {
        html! {
            <details class="table-twin">
                <summary>{ format!("{}: {title}", i18n::TABLE_OF.get(lang)) }</summary>
                { table(highlight) }
            </details>
        }
    };
    let drawn = match spec.kind() {
        ChartKind::Table => table(series.highlight),
        ChartKind::Line => {
            let mut lines = vec![(series.area.clone(), series.data.clone())];
            lines.extend(series.comparison.clone());
            html! {
                <>
                    <LineChart title={title.clone()} series={lines} decimals={decimals} lang={lang}
                        testid={format!("chart-{n}-line")} export_name={file.clone()} />
                    { twin(None) }
                </>
            }
        }
        ChartKind::Bar => html! {
            <>
                <BarChart title={title.clone()} data={series.data.clone()} highlight={series.highlight}
                    reference={series.national.map(|v| (AttrValue::from(whole_country_label(lang)), v))}
                    decimals={decimals} lang={lang} testid={format!("chart-{n}-bars")}
                    export_name={file.clone()} />
                { twin(series.highlight) }
            </>
        },
        ChartKind::Stacked => {
            // Men and women (or the one sex the filter keeps), each
            // computed as the chart of that sex.
            let sexes: Vec<Sex> = [Sex::Male, Sex::Female]
                .into_iter()
                .filter(|s| filters.sex.is_none_or(|chosen| chosen == *s))
                .collect();
            let segments: Vec<(String, Vec<Datum>)> = sexes
                .iter()
                .map(|s| {
                    let of_sex = Filters {
                        sex: Some(*s),
                        ..filters.clone()
                    };
                    let data = Series::compute(cube, spec, &of_sex, lang).data;
                    (s.label().get(lang).to_string(), data)
                })
                .collect();
            // The table twin: a row per category and sex, keyed by the
            // category's code × 2 plus the sex code − 1.
            let rows: Vec<Datum> = segments
                .first()
                .map(|(_, first)| {
                    (0..first.len())
                        .flat_map(|i| {
                            segments
                                .iter()
                                .zip(&sexes)
                                .filter_map(move |((name, data), sex)| {
                                    let d = data.get(i)?;
                                    Some(Datum {
                                        key: d.key.saturating_mul(2).saturating_add(sex.code() - 1),
                                        label: format!("{} · {name}", d.label),
                                        ..d.clone()
                                    })
                                })
                        })
                        .collect()
                })
                .unwrap_or_default();
            html! {
                <>
                    <StackedBarChart title={title.clone()} segments={segments} decimals={decimals}
                        lang={lang} testid={format!("chart-{n}-stacked")} export_name={file.clone()} />
                    <details class="table-twin">
                        <summary>{ format!("{}: {title}", i18n::TABLE_OF.get(lang)) }</summary>
                        <DataTable caption={format!("{}: {title}", i18n::TABLE_OF.get(lang))}
                            category={format!("{by_label} · {}", DimensionId::Sex.def().label.get(lang))}
                            value_heading={format!("{label}, {unit}")}
                            export_name={file.clone()}
                            data={rows} highlight={None::<u16>} decimals={decimals} lang={lang}
                            testid={format!("chart-{n}-table")} />
                    </details>
                </>
            }
        }
        ChartKind::Map => {
            let regions = spec.by == DimensionId::Region;
            let selected = series.highlight;
            let on_select =
                props
                    .on_area
                    .reform(move |code: u16| match (selected == Some(code), regions) {
                        (true, _) => Area::Country,
                        (false, true) => Area::Region(code),
                        (false, false) => Area::Municipality(code),
                    });
            html! {
                <>
                    <ChoroplethMap title={title.clone()} data={series.data.clone()} regions={regions}
                        selected={selected} id_prefix={format!("c{n}-map")} level_switch={false}
                        decimals={decimals} unit={unit.clone()} lang={lang} export_name={file.clone()}
                        on_select={on_select} on_level={Callback::noop()} />
                    { twin(series.highlight) }
                </>
            }
        }
    };
    html! {
        <>
            <p class="chart-context">{ format!("{unit} · {context}") }</p>
            { drawn }
        </>
    }
}

/// Hospitals by name, Region Sjælland as one last (other groups of
/// contacts have no names in the tile, and keep their order).
fn sort_hospitals(cube: &Cube, codes: &mut [u16]) {
    codes.sort_by_cached_key(|c| {
        let name = cube.name_of(*c).unwrap_or_default().to_lowercase();
        (*c == shared::dimension::SJAELLAND_AS_ONE, name, *c)
    });
}

fn whole_country_label(lang: Lang) -> String {
    i18n::WHOLE_COUNTRY.get(lang).to_string()
}

/// A chart's numbers.
struct Series {
    /// The year shown, or the span of years of a development over time.
    period: String,
    /// What the values cover: the area, or the whole country for a
    /// breakdown by a geography (which shows the area among its peers).
    area: String,
    data: Vec<Datum>,
    /// The code of the selected area, when the chart shows it.
    highlight: Option<u16>,
    /// The whole country's values beside an area's development over the
    /// years (named), for a line chart.
    comparison: Option<(String, Vec<Datum>)>,
    /// The whole country's value, the line a geography's bars are
    /// compared with.
    national: Option<f64>,
}

impl Series {
    fn compute(cube: &Cube, spec: ChartSpec, filters: &Filters, lang: Lang) -> Series {
        let year = latest_year(cube);
        let (measure, scale, by) = (spec.measure, spec.scale(), spec.by);
        let whole_country = i18n::WHOLE_COUNTRY.get(lang).to_string();
        let area_name = filters
            .area
            .name()
            .map_or(whole_country.clone(), String::from);
        let national = filters.population_filter(year);
        // A geography is shown among its peers, the selected one marked;
        // other breakdowns cover the selected area.
        let (filter, codes, highlight, area): (_, Vec<u16>, _, _) = match by {
            // The area's development over every year in the tile.
            DimensionId::Year => (
                filters.every_year_filter(),
                cube.codes(DimensionId::Year).unwrap_or_default(),
                None,
                area_name.clone(),
            ),
            DimensionId::Region => (
                national,
                geography::REGIONS.iter().map(|r| r.code).collect(),
                filters
                    .area
                    .region()
                    .filter(|_| filters.area != Area::Country),
                whole_country,
            ),
            DimensionId::HealthCluster => {
                let mut clusters: Vec<_> = geography::HEALTH_CLUSTERS.iter().collect();
                clusters.sort_by(|a, b| a.name.cmp(b.name));
                let highlight = match filters.area {
                    Area::HealthCluster(code) => Some(code),
                    Area::Municipality(code) => {
                        geography::municipality(code).map(|m| u16::from(m.health_cluster))
                    }
                    _ => None,
                };
                (
                    national,
                    clusters.iter().map(|c| u16::from(c.id)).collect(),
                    highlight,
                    whole_country,
                )
            }
            DimensionId::Municipality => {
                let highlight = match filters.area {
                    Area::Municipality(code) => Some(code),
                    _ => None,
                };
                let mut municipalities = filters.area.municipalities();
                if spec.kind() == ChartKind::Map || municipalities.is_empty() {
                    municipalities = geography::MUNICIPALITIES.iter().collect();
                    municipalities.sort_by(|a, b| a.name.cmp(b.name));
                }
                let area = match filters.area {
                    _ if spec.kind() == ChartKind::Map => whole_country,
                    Area::Municipality(code) => geography::region_of(code)
                        .and_then(geography::region)
                        .map_or(area_name, |r| r.name.to_string()),
                    _ => area_name,
                };
                (
                    national,
                    municipalities.iter().map(|m| m.code).collect(),
                    highlight,
                    area,
                )
            }
            // A region's or health cluster's hospitals: their activity,
            // wherever the patients live (the tile has no residence).
            DimensionId::Hospital
                if matches!(filters.area, Area::Region(_) | Area::HealthCluster(_)) =>
            {
                let municipalities: Vec<u16> = filters
                    .area
                    .municipalities()
                    .iter()
                    .map(|m| m.code)
                    .collect();
                let own = |c: u16| match filters.area {
                    Area::Region(region) => {
                        let of = match c {
                            shared::dimension::SJAELLAND_AS_ONE => {
                                Some(shared::dimension::REGION_SJAELLAND)
                            }
                            _ => cube.region_of(c),
                        };
                        of == Some(region)
                    }
                    _ => cube
                        .municipality_of(c)
                        .is_some_and(|m| municipalities.contains(&m)),
                };
                let mut codes: Vec<u16> = cube
                    .evaluate(measure, scale, &national, Grouping::By(by))
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|p| p.key)
                    .filter(|c| own(*c))
                    .collect();
                sort_hospitals(cube, &mut codes);
                let area = match lang {
                    Lang::Da => format!("Sygehuse i {area_name}"),
                    Lang::En => format!("Hospitals in {area_name}"),
                };
                (national, codes, None, area)
            }
            _ => {
                let filter = filters.cube_filter(year);
                let codes = match by.codes() {
                    Some(codes) => codes,
                    None if by == DimensionId::GpCluster => attribute_values(by, Some(cube)),
                    None => {
                        let mut codes: Vec<u16> = cube
                            .evaluate(measure, scale, &filter, Grouping::By(by))
                            .unwrap_or_default()
                            .iter()
                            .filter_map(|p| p.key)
                            .collect();
                        sort_hospitals(cube, &mut codes);
                        codes
                    }
                };
                (filter, codes, None, area_name)
            }
        };
        // Over time (the years, or the periods of a year), an area is
        // drawn beside the whole country.
        let over_time = matches!(
            by,
            DimensionId::Year | DimensionId::Quarter | DimensionId::Month
        );
        let comparison = (over_time && filters.area != Area::Country).then(|| {
            let country = Filters {
                area: Area::Country,
                ..filters.clone()
            };
            let filter = if by == DimensionId::Year {
                country.every_year_filter()
            } else {
                country.cube_filter(year)
            };
            let values = series(cube, (measure, scale), &filter, by, codes.clone(), lang);
            (whole_country_label(lang), values)
        });
        let data = series(cube, (measure, scale), &filter, by, codes, lang);
        let years = cube.codes(DimensionId::Year).unwrap_or_default();
        let period = match (by, years.first(), years.last()) {
            (DimensionId::Year, Some(first), Some(last)) if first != last => {
                format!("{first}–{last}")
            }
            _ => year.to_string(),
        };
        let national = matches!(
            by,
            DimensionId::Region | DimensionId::HealthCluster | DimensionId::Municipality
        )
        .then(|| total(cube, measure, scale, &filters.population_filter(year)))
        .flatten();
        Series {
            period,
            area,
            data,
            highlight,
            comparison,
            national,
        }
    }
}
