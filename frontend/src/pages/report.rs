//! A standard report (`/rapporter/<theme>`): the theme's key figures over
//! its four charts, with filters for all of them; and the theme cards the
//! overview shows, each with the report's first key figure for the whole
//! country and a link into the report.

use shared::Lang;
use yew::prelude::*;
use yew_router::prelude::*;
use yew_router::query::Raw;

use super::advanced::ReportChart;
use super::{
    comparisons, context, latest_year, previous_year, set_filter, total_point, use_person_values,
};
use crate::api::cache::{use_tile, Load};
use crate::app::Route;
use crate::components::age_filter::AgeFilter;
use crate::components::area_filter::AreaFilter;
use crate::components::key_figure::KeyFigure;
use crate::components::period_filter::PeriodFilter;
use crate::components::person_filter::PersonFilter;
use crate::components::sex_filter::SexFilter;
use crate::i18n;
use crate::state::themes::{KeyFigureSpec, ThemeId};
use crate::state::{age_range_label, splits_offered, url, Filters, ViewState};

/// The filters of a report: the address's, with the theme's age range
/// where it has one.
fn report_filters(theme: ThemeId, filters: &Filters) -> Filters {
    let report = theme.report();
    let age = report.age;
    let filters = &filters.offered(report_splits(theme));
    Filters {
        age: if age.is_empty() {
            filters.age.clone()
        } else {
            age.to_vec()
        },
        ..filters.clone()
    }
}

/// Whether every figure and chart of a theme's report has tiles split by
/// quarter and person attribute.
fn report_splits(theme: ThemeId) -> bool {
    let report = theme.report();
    splits_offered(
        report
            .key_figures
            .iter()
            .map(|f| f.measure)
            .chain(report.charts.iter().map(|c| c.measure)),
    )
}

/// Properties of [`Report`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct ReportProps {
    /// Display language.
    pub lang: Lang,
    /// Which report.
    pub theme: ThemeId,
    /// The filters in the address.
    pub filters: Filters,
    /// Called with the filters the user chose.
    pub on_filters: Callback<Filters>,
}

/// A standard report's page.
#[function_component(Report)]
pub fn report(props: &ReportProps) -> Html {
    let lang = props.lang;
    let report = props.theme.report();
    let filters = report_filters(props.theme, &props.filters);
    let split = report_splits(props.theme);
    // The first chart's tile gives the person attribute's values.
    let family = report.charts[0].measure.def().family().id;
    let person_values = use_person_values(family, &filters, &props.on_filters);
    let on_area = set_filter(&props.filters, &props.on_filters, |f, area| f.area = area);
    let on_sex = set_filter(&props.filters, &props.on_filters, |f, sex| f.sex = sex);
    let on_person = set_filter(&props.filters, &props.on_filters, |f, person| {
        f.person = person
    });
    let on_period = set_filter(&props.filters, &props.on_filters, |f, period| {
        f.period = period
    });
    let figures = report.key_figures.iter().enumerate().map(|(i, spec)| {
        html! {
            <div class="theme-figure" data-testid={format!("figure-{}", i + 1)}>
                <ThemeFigure spec={*spec} filters={filters.clone()} lang={lang} />
            </div>
        }
    });
    let charts = report.charts.iter().enumerate().map(|(i, spec)| {
        html! {
            <ReportChart number={i + 1} spec={*spec} filters={filters.clone()} lang={lang}
                on_change={Callback::noop()} on_remove={None::<Callback<()>>}
                on_area={on_area.clone()} fixed=true />
        }
    });
    let on_age = set_filter(&props.filters, &props.on_filters, |f, age| f.age = age);
    // A theme of an age range shows it; the others offer the age filter.
    let age = if report.age.is_empty() {
        html! { <AgeFilter selected={filters.age.clone()} on_change={on_age} lang={lang} /> }
    } else {
        html! {
            <p class="fixed-filter">
                <span class="filter-label">{ i18n::AGE.get(lang) }</span>
                { age_range_label(report.age, lang) }
            </p>
        }
    };
    html! {
        <>
            <h1>{ report.title.get(lang) }</h1>
            <p class="lead">{ report.intro.get(lang) }</p>
            <div class="dashboard">
                <aside class="filters" aria-label={i18n::FILTERS.get(lang)}>
                    <h2>{ i18n::FILTERS.get(lang) }</h2>
                    <AreaFilter selected={filters.area} on_change={on_area.clone()} lang={lang} />
                    <SexFilter selected={filters.sex} on_change={on_sex} lang={lang} />
                    { age }
                    <PeriodFilter selected={filters.period} locked={filters.person.is_some()}
                        unavailable={!split} on_change={on_period} lang={lang} />
                    <PersonFilter selected={filters.person} values={person_values}
                        locked={filters.period.is_some()} unavailable={!split}
                        on_change={on_person} lang={lang} />
                </aside>
                <div class="panels report">
                    <div class="figures">{ for figures }</div>
                    { for charts }
                </div>
            </div>
        </>
    }
}

/// Properties of [`ThemeFigure`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct ThemeFigureProps {
    /// The figure.
    pub spec: KeyFigureSpec,
    /// The filters in force (the figure's own person attribute wins).
    pub filters: Filters,
    /// Display language.
    pub lang: Lang,
}

/// A key figure of a report, from its own tile, beside the area's region
/// and the country.
#[function_component(ThemeFigure)]
pub fn theme_figure(props: &ThemeFigureProps) -> Html {
    let (lang, spec) = (props.lang, props.spec);
    let filters = Filters {
        person: spec.person.or(props.filters.person),
        ..props.filters.clone()
    };
    let kind = filters.tile_of(spec.measure.def().family().id);
    let load = use_tile(filters.release.clone(), kind);
    let scale = spec.measure.def().scale_or_default(spec.scale);
    let label = spec.label(lang);
    let unit = spec.measure.def().unit(scale, lang);
    match &load {
        Load::Loading => html! { <p class="status" role="status">{ i18n::LOADING.get(lang) }</p> },
        Load::Failed(e) => html! {
            <p class="status error" role="alert">{ format!("{}: {e}", i18n::LOAD_FAILED.get(lang)) }</p>
        },
        Load::Ready(cube, _) => {
            let year = latest_year(cube);
            let point = total_point(cube, spec.measure, scale, &filters.cube_filter(year));
            let value = point.and_then(|p| p.value);
            let comparisons: Vec<(AttrValue, Option<f64>)> =
                comparisons(cube, (spec.measure, scale), &filters, year, lang)
                    .into_iter()
                    .map(|(name, value)| (AttrValue::from(name), value))
                    .collect();
            let area = filters.area.name().unwrap_or(i18n::WHOLE_COUNTRY.get(lang));
            // The figure's own attribute is in its label already.
            let context = context(area, &year.to_string(), &props.filters, lang);
            html! {
                <KeyFigure label={label} value={value} decimals={scale.decimals()} unit={unit}
                    protection={cube.protection()}
                    status={point.map(|p| p.status)}
                    partly_exact={point.is_some_and(|p| p.partly_exact)}
                    context={context} comparisons={comparisons} lang={lang} testid="theme-figure"
                    previous={previous_year(cube, (spec.measure, scale), &filters)} />
            }
        }
    }
}

/// Properties of [`ThemeCards`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct ThemeCardsProps {
    /// Display language.
    pub lang: Lang,
    /// The release shown (`None`: the current one).
    pub release: Option<String>,
    /// Whether to fetch the cards' tiles: only once the page's own chart
    /// is drawn, so that the cards never delay it.
    pub ready: bool,
}

/// The overview's key figures: one card per theme, with its report's
/// first key figure for the whole country and a link into the report.
#[function_component(ThemeCards)]
pub fn theme_cards(props: &ThemeCardsProps) -> Html {
    let lang = props.lang;
    let navigator = use_navigator();
    let cards = ThemeId::ALL.into_iter().map(|theme| {
        let report = theme.report();
        let state = ViewState {
            lang,
            filters: Filters {
                release: props.release.clone(),
                ..Filters::default()
            },
            ..ViewState::default()
        };
        let query = url::render(&state);
        let route = Route::Report { theme };
        let href = if query.is_empty() {
            route.to_path()
        } else {
            format!("{}?{query}", route.to_path())
        };
        let onclick = {
            let navigator = navigator.clone();
            Callback::from(move |e: MouseEvent| {
                if let Some(navigator) = &navigator {
                    e.prevent_default();
                    let _ = navigator.push_with_query(&route, Raw(query.clone()));
                }
            })
        };
        let filters = report_filters(theme, &state.filters);
        html! {
            <li class="theme-card" data-testid={format!("theme-{}", theme.slug())}>
                <h3><a href={href} {onclick}>{ report.title.get(lang) }</a></h3>
                if props.ready {
                    <ThemeFigure spec={report.key_figures[0]} filters={filters} lang={lang} />
                } else {
                    <p class="status" role="status">{ i18n::LOADING.get(lang) }</p>
                }
            </li>
        }
    });
    html! {
        <section class="themes" aria-labelledby="themes-heading">
            <h2 id="themes-heading">{ i18n::KEY_FIGURES.get(lang) }</h2>
            <ul class="theme-cards">{ for cards }</ul>
        </section>
    }
}
