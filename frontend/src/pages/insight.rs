//! The cluster insight pages (Ordiprax+): for a GP cluster and for one
//! practice, where it differs from the country ("indsigt"), and one
//! chosen area followed closely ("indsats"). They read the caller's
//! closed prescription tile (see [`crate::insight`]); signed out, or
//! without a scope, they say how to get in and show nothing.
//!
//! Every value is per 1,000 listed patients with its exact 95 %
//! confidence interval; differences from the country are flagged as
//! statistically clear by the Benjamini–Hochberg procedure over the
//! comparisons the page shows, and the page says so.

use std::rc::Rc;

use shared::funnel::{self, Comparison};
use shared::{DimensionId, Lang, MeasureId, TileFamilyId};
use yew::prelude::*;
use yew_router::prelude::*;
use yew_router::query::Raw;

use crate::api::ApiError;
use crate::app::Route;
use crate::charts::bar::BarChart;
use crate::charts::funnel::{FunnelChart, FunnelPoint};
use crate::charts::line::LineChart;
use crate::charts::Datum;
use crate::components::age_filter::AgeFilter;
use crate::components::data_table::DataTable;
use crate::components::key_figure::KeyFigure;
use crate::components::scroll_region::ScrollRegion;
use crate::components::select_value;
use crate::components::session::Session;
use crate::components::sex_filter::SexFilter;
use crate::export;
use crate::i18n;
use crate::insight::{
    breakdown, insight_measure, interval, model, shown, Breakdown, Caller, Cells, Focus, Practices,
    MEASURES, SCALE,
};
use crate::state::{url, Filters, ViewState};

/// The four closed pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InsightPage {
    /// Cluster insight: every drug group for the cluster.
    Cluster,
    /// Cluster intervention area: one measure for the cluster.
    ClusterArea,
    /// Provider insight: every drug group for one practice.
    Practice,
    /// Provider intervention area: one measure for one practice.
    PracticeArea,
}

impl InsightPage {
    /// Every page, in the order of their tabs.
    pub const ALL: [InsightPage; 4] = [
        InsightPage::Cluster,
        InsightPage::ClusterArea,
        InsightPage::Practice,
        InsightPage::PracticeArea,
    ];

    /// Its route.
    pub fn route(self) -> Route {
        match self {
            InsightPage::Cluster => Route::ClusterInsight,
            InsightPage::ClusterArea => Route::ClusterArea,
            InsightPage::Practice => Route::PracticeInsight,
            InsightPage::PracticeArea => Route::PracticeArea,
        }
    }

    /// Its title.
    pub fn title(self) -> shared::Text {
        match self {
            InsightPage::Cluster => i18n::CLUSTER_INSIGHT,
            InsightPage::ClusterArea => i18n::CLUSTER_AREA,
            InsightPage::Practice => i18n::PRACTICE_INSIGHT,
            InsightPage::PracticeArea => i18n::PRACTICE_AREA,
        }
    }

    fn about_practice(self) -> bool {
        matches!(self, InsightPage::Practice | InsightPage::PracticeArea)
    }

    fn one_measure(self) -> bool {
        matches!(self, InsightPage::ClusterArea | InsightPage::PracticeArea)
    }
}

/// What the insight pages keep in the address beyond the portal's view
/// state: the year (`aar`), and the GP cluster (`klynge`) and practice
/// (`praksis`, its code in the release) where the caller may choose.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Choice {
    /// The year (`None`: the newest).
    pub year: Option<u16>,
    /// The GP cluster.
    pub cluster: Option<u16>,
    /// The practice.
    pub practice: Option<u16>,
    /// What the intervention pages break the measure down by.
    pub by: Breakdown,
}

const BY: &str = "fordel";
const YEAR: &str = "aar";
const CLUSTER: &str = "klynge";
const PRACTICE: &str = "praksis";

impl Choice {
    /// Reads the query string; what is not a number is left out.
    pub fn parse(query: &str) -> Choice {
        let mut choice = Choice::default();
        for pair in query.trim_start_matches('?').split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let number = value.parse().ok();
            match key {
                YEAR => choice.year = number,
                CLUSTER => choice.cluster = number,
                PRACTICE => choice.practice = number,
                BY => choice.by = Breakdown::from_key(value).unwrap_or_default(),
                _ => {}
            }
        }
        choice
    }

    /// The query string of `state` and this choice.
    pub fn query(&self, state: &ViewState) -> String {
        let mut pairs: Vec<String> = Some(url::render(state))
            .filter(|q| !q.is_empty())
            .into_iter()
            .collect();
        for (key, value) in [
            (YEAR, self.year),
            (CLUSTER, self.cluster),
            (PRACTICE, self.practice),
        ] {
            if let Some(value) = value {
                pairs.push(format!("{key}={value}"));
            }
        }
        if self.by != Breakdown::AgeGroup {
            pairs.push(format!("{BY}={}", self.by.key()));
        }
        pairs.join("&")
    }
}

/// The address of `page` for `state` and `choice`.
fn href(page: InsightPage, state: &ViewState, choice: &Choice) -> String {
    let query = choice.query(state);
    let path = page.route().to_path();
    if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    }
}

/// A link to `page` for `state` and `choice` that the router follows
/// without reloading the page.
fn page_link(
    navigator: &Option<Navigator>,
    (page, state, choice): (InsightPage, &ViewState, &Choice),
    attributes: &[Attribute],
    content: Html,
) -> Html {
    let query = choice.query(state);
    let onclick = navigator.clone().map(|navigator| {
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            let _ = navigator.push_with_query(&page.route(), Raw(query.clone()));
        })
    });
    let mut all = vec![("href", href(page, state, choice))];
    all.extend(attributes.iter().cloned());
    let mut link = yew::virtual_dom::VTag::new("a");
    for (name, value) in &all {
        link.add_attribute(name, value.clone());
    }
    if let Some(onclick) = onclick {
        link.add_listener(std::rc::Rc::new(yew::html::onclick::Wrapper::new(onclick)));
    }
    link.add_child(content);
    link.into()
}

/// Properties of [`Insight`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct InsightProps {
    /// Which page.
    pub page: InsightPage,
    /// The view state in the address (language, measure, sex, age).
    pub state: ViewState,
}

/// One of the closed insight pages.
#[function_component(Insight)]
pub fn insight(props: &InsightProps) -> Html {
    let session = use_context::<Session>().expect("inside a SessionProvider");
    let location = use_location();
    let lang = props.state.lang;
    let choice = Choice::parse(location.as_ref().map_or("", |l| l.query_str()));
    let heading = html! { <h1>{ props.page.title().get(lang) }</h1> };
    let Some(info) = session.info.clone() else {
        return html! { <>{ heading }<p class="loading">{ i18n::LOADING.get(lang) }</p></> };
    };
    let scope = info.scope.clone().filter(|_| info.signed_in);
    let Some(scope) = scope else {
        return html! {
            <>
                { heading }
                <p class="lead" data-testid="insight-signed-out">{ i18n::SIGN_IN_FOR_INSIGHT.get(lang) }</p>
                <p><a href={format!("/rapporter/medicin{}", lang_query(lang))}>
                    { i18n::MEDICINES_OVERVIEW.get(lang) }</a></p>
            </>
        };
    };
    html! {
        <>
            { heading }
            <Tabs page={props.page} state={props.state.clone()} choice={choice} />
            <InsightBody page={props.page} state={props.state.clone()} choice={choice} scope={scope} />
        </>
    }
}

/// `?lang=en` in English, nothing in Danish.
fn lang_query(lang: Lang) -> &'static str {
    match lang {
        Lang::Da => "",
        Lang::En => "?lang=en",
    }
}

/// Properties of [`Tabs`].
#[derive(Clone, Debug, PartialEq, Properties)]
struct TabsProps {
    page: InsightPage,
    state: ViewState,
    choice: Choice,
}

/// The national overview and the four closed pages, the current one
/// marked.
#[function_component(Tabs)]
fn tabs(props: &TabsProps) -> Html {
    let lang = props.state.lang;
    let navigator = use_navigator();
    let links = InsightPage::ALL.into_iter().map(|page| {
        let mut attributes = vec![(
            "data-testid",
            format!(
                "tab-{}",
                page.route()
                    .to_path()
                    .trim_start_matches('/')
                    .replace('/', "-")
            ),
        )];
        if page == props.page {
            attributes.push(("aria-current", "page".to_string()));
        }
        page_link(
            &navigator,
            (page, &props.state, &props.choice),
            &attributes,
            html! { { page.title().get(lang) } },
        )
    });
    html! {
        <nav class="insight-tabs" aria-label={i18n::INSIGHT_PAGES.get(lang)}>
            <a href={format!("/rapporter/medicin{}", lang_query(lang))} data-testid="tab-overview">
                { i18n::MEDICINES_OVERVIEW.get(lang) }
            </a>
            { for links }
        </nav>
    }
}

/// Properties of [`InsightBody`].
#[derive(Clone, Debug, PartialEq, Properties)]
struct InsightBodyProps {
    page: InsightPage,
    state: ViewState,
    choice: Choice,
    scope: String,
}

type Loaded = Option<Result<Option<Rc<Practices>>, ApiError>>;

/// The scope of the national caller.
const NATIONAL: &str = "national";

/// The detail tile, once asked for: `None` while it loads.
type Detail = Option<Result<Option<Rc<shared::cube::Cube>>, ApiError>>;

#[function_component(InsightBody)]
fn insight_body(props: &InsightBodyProps) -> Html {
    let lang = props.state.lang;
    let tile = use_state(|| None as Loaded);
    {
        let tile = tile.clone();
        use_effect_with(props.scope.clone(), move |scope| {
            let scope = scope.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let loaded =
                    super::closed::practice_tile(TileFamilyId::Prescriptions, &scope).await;
                let caller = Caller::of_scope(&scope);
                tile.set(Some(loaded.map(|found| {
                    found.map(|(cube, named)| Rc::new(Practices::new(cube, named, caller)))
                })));
            });
        });
    }
    // The detail tile, for the intervention pages' breakdowns: the scope's
    // own, but for the country the focused GP cluster's (the country's
    // holds every practice: some 150 MB at national size).
    let read = match &*tile {
        Some(Ok(Some(practices))) if props.scope == NATIONAL => Some(
            practices
                .focus(props.choice.cluster, props.choice.practice)
                .cluster
                .map_or_else(|| props.scope.clone(), |k| format!("gp_cluster:{k}")),
        ),
        _ if props.scope == NATIONAL => None,
        _ => Some(props.scope.clone()),
    };
    // The scope whose detail tile `detail` holds, and the one last asked
    // for (a late answer for another cluster is dropped).
    let detail = use_state(|| (String::new(), None as Detail));
    let asked = use_mut_ref(String::new);
    {
        let detail = detail.clone();
        let wanted = props.page.one_measure() && props.choice.by.detailed();
        let own = props.scope.clone();
        use_effect_with((read.clone(), wanted), move |(read, wanted)| {
            if let (Some(read), true) = (read.clone(), *wanted) {
                if *asked.borrow() != read {
                    asked.replace(read.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        let family = TileFamilyId::PrescriptionDetail;
                        let loaded = if read == own {
                            super::closed::practice_tile(family, &read).await
                        } else {
                            super::closed::practice_tile_of(family, &read).await
                        };
                        if *asked.borrow() == read {
                            detail.set((
                                read,
                                Some(loaded.map(|found| found.map(|(cube, _)| Rc::new(cube)))),
                            ));
                        }
                    });
                }
            }
        });
    }
    let detail: Detail = match (&*detail, &read) {
        ((of, loaded), Some(read)) if of == read => loaded.clone(),
        _ => None,
    };
    let navigator = use_navigator();
    let links = navigator.clone();
    match &*tile {
        None => html! { <p class="loading" role="status">{ i18n::LOADING.get(lang) }</p> },
        Some(Err(e)) => {
            html! { <p class="error" role="alert">{ format!("{}: {e}", i18n::LOAD_FAILED.get(lang)) }</p> }
        }
        Some(Ok(None)) => html! { <p>{ i18n::NO_PRACTICES.get(lang) }</p> },
        Some(Ok(Some(practices))) => {
            let go = {
                let (page, state) = (props.page, props.state.clone());
                Callback::from(move |(state_change, choice): (Option<ViewState>, Choice)| {
                    let state = state_change.unwrap_or_else(|| state.clone());
                    if let Some(navigator) = &navigator {
                        let _ = navigator.push_with_query(&page.route(), Raw(choice.query(&state)));
                    }
                })
            };
            view(props, practices, go, links, &detail)
        }
    }
}

/// Emits a new view state or choice.
type Go = Callback<(Option<ViewState>, Choice)>;

/// The page once the tile is here.
fn view(
    props: &InsightBodyProps,
    practices: &Rc<Practices>,
    go: Go,
    navigator: Option<Navigator>,
    detail: &Detail,
) -> Html {
    let lang = props.state.lang;
    let page = props.page;
    let years = practices.years();
    let Some(&newest) = years.last() else {
        return html! { <p>{ i18n::NO_PRACTICES.get(lang) }</p> };
    };
    let year = props
        .choice
        .year
        .filter(|y| years.contains(y))
        .unwrap_or(newest);
    let choice = Choice {
        year: Some(year).filter(|&y| y != newest),
        ..props.choice
    };
    let focus = practices.focus(choice.cluster, choice.practice);
    let filters = &props.state.filters;
    let cells = Cells {
        year: Some(year),
        sex: filters.sex,
        age: filters.age.clone(),
        only: None,
    };
    // The unit the page is about: the practice, or the cluster.
    let (unit, unit_label) = match (page.about_practice(), focus.practice) {
        (true, Some(code)) => (vec![code], practices.label(code, lang)),
        (true, None) => return html! { <p>{ i18n::NO_PRACTICES.get(lang) }</p> },
        (false, _) => (focus.cluster_codes.clone(), cluster_label(&focus, lang)),
    };
    if unit.is_empty() {
        return html! { <p>{ i18n::NO_PRACTICES.get(lang) }</p> };
    }
    let ctx = Ctx {
        lang,
        practices,
        focus: &focus,
        cells: &cells,
        unit: &unit,
        unit_label: &unit_label,
        state: &props.state,
        choice,
        navigator: &navigator,
        detail,
        go: &go,
    };
    let body = if page.one_measure() {
        area_view(&ctx, page)
    } else {
        overview_table(&ctx, page)
    };
    html! {
        <div class="dashboard">
            <aside class="filters" aria-label={i18n::FILTERS.get(lang)}>
                <h2>{ i18n::FILTERS.get(lang) }</h2>
                { choosers(&ctx, page, &years, &go) }
            </aside>
            <div class="panels insight" data-testid="insight" data-unit={unit_label.clone()}
                data-year={year.to_string()}>
                { body }
            </div>
        </div>
    }
}

/// What every part of a page reads.
struct Ctx<'a> {
    lang: Lang,
    practices: &'a Practices,
    focus: &'a Focus,
    cells: &'a Cells,
    /// The practices of the unit the page is about.
    unit: &'a [u16],
    unit_label: &'a str,
    state: &'a ViewState,
    choice: Choice,
    /// For links the router follows.
    navigator: &'a Option<Navigator>,
    /// The detail tile, when asked for.
    detail: &'a Detail,
    /// Navigates to another view state or choice.
    go: &'a Go,
}

/// "Lægeklynge 7", or the practice's own area when it is in no cluster.
fn cluster_label(focus: &Focus, lang: Lang) -> String {
    match focus.cluster {
        Some(k) => DimensionId::GpCluster.value_label(k, lang),
        None => i18n::NO_CLUSTER.get(lang).to_string(),
    }
}

/// The filters: the measure (on the intervention pages), the year, sex
/// and age, and the cluster and practice where the caller may choose.
fn choosers(ctx: &Ctx<'_>, page: InsightPage, years: &[u16], go: &Go) -> Html {
    let lang = ctx.lang;
    let state = ctx.state.clone();
    let choice = ctx.choice;
    let on_filters = go.reform(move |filters: Filters| {
        (
            Some(ViewState {
                filters,
                ..state.clone()
            }),
            choice,
        )
    });
    let filters = &ctx.state.filters;
    let on_sex = super::set_filter(filters, &on_filters, |f, sex| f.sex = sex);
    let on_age = super::set_filter(filters, &on_filters, |f, age| f.age = age);
    let on_measure = super::set_filter(filters, &on_filters, |f, measure| {
        f.measure = measure;
        f.scale = None;
    })
    .reform(|e: Event| MeasureId::from_key(&select_value(&e)).unwrap_or(MEASURES[0]));
    let number_select = |set: fn(&mut Choice, Option<u16>)| {
        let go = go.clone();
        Callback::from(move |e: Event| {
            let mut next = choice;
            set(&mut next, select_value(&e).parse().ok());
            go.emit((None, next))
        })
    };
    let newest = years.last().copied();
    let year = ctx.cells.year;
    let measure = insight_measure(ctx.state.filters.measure);
    let measure_select = page.one_measure().then(|| {
        html! {
            <div class="filter">
                <label class="filter-label" for="insight-measure">{ i18n::MEASURE.get(lang) }</label>
                <select id="insight-measure" onchange={on_measure}>
                    { for MEASURES.iter().map(|m| html! {
                        <option value={m.def().key} selected={*m == measure}>{ m.def().label().get(lang) }</option>
                    }) }
                </select>
            </div>
        }
    });
    let clusters = ctx.practices.clusters();
    let cluster_select = (ctx.practices.caller == Caller::Area && !clusters.is_empty()).then(|| {
        html! {
            <div class="filter">
                <label class="filter-label" for="insight-cluster">{ DimensionId::GpCluster.def().label.get(lang) }</label>
                <select id="insight-cluster" onchange={number_select(|c, v| { c.cluster = v; c.practice = None; })}>
                    { for clusters.iter().map(|k| html! {
                        <option value={k.to_string()} selected={ctx.focus.cluster == Some(*k)}>
                            { DimensionId::GpCluster.value_label(*k, lang) }
                        </option>
                    }) }
                </select>
            </div>
        }
    });
    let practice_select = (page.about_practice() && ctx.practices.caller != Caller::Practice)
        .then(|| {
            html! {
                <div class="filter">
                    <label class="filter-label" for="insight-practice">{ i18n::PRACTICE.get(lang) }</label>
                    <select id="insight-practice" onchange={number_select(|c, v| c.practice = v)}>
                        { for ctx.focus.cluster_codes.iter().map(|code| html! {
                            <option value={code.to_string()} selected={ctx.focus.practice == Some(*code)}>
                                { ctx.practices.label(*code, lang) }
                            </option>
                        }) }
                    </select>
                </div>
            }
        });
    html! {
        <>
            { for measure_select }
            <div class="filter">
                <label class="filter-label" for="insight-year">{ i18n::YEAR.get(lang) }</label>
                <select id="insight-year" onchange={number_select(|c, v| c.year = v)}>
                    { for years.iter().rev().map(|y| html! {
                        <option value={if Some(*y) == newest { String::new() } else { y.to_string() }}
                            selected={year == Some(*y)}>{ y.to_string() }</option>
                    }) }
                </select>
            </div>
            <SexFilter selected={ctx.state.filters.sex} on_change={on_sex} lang={lang} />
            <AgeFilter selected={ctx.state.filters.age.clone()} on_change={on_age} lang={lang} />
            { for cluster_select }
            { for practice_select }
        </>
    }
}

/// A value per 1,000, formatted.
fn per_thousand(value: Option<f64>, lang: Lang) -> String {
    i18n::format_value(value.map(shown), 1, lang)
}

/// "12,3–15,0".
fn interval_text(c: &Comparison, lang: Lang) -> String {
    c.interval.map_or_else(
        || i18n::NO_VALUE.get(lang).to_string(),
        |(low, high)| {
            format!(
                "{}–{}",
                per_thousand(Some(low), lang),
                per_thousand(Some(high), lang)
            )
        },
    )
}

/// "0,012" or "< 0,001".
fn p_text(p: Option<f64>, lang: Lang) -> String {
    match p {
        None => i18n::NO_VALUE.get(lang).to_string(),
        Some(p) if p < 0.001 => format!("<\u{a0}{}", shared::text::format_number(0.001, 3, lang)),
        Some(p) => shared::text::format_number(p, 3, lang),
    }
}

/// The verdict of a comparison: higher or lower than the country when
/// clear, else no clear difference.
fn verdict(
    c: &Comparison,
    national: Option<f64>,
    clear: bool,
    lang: Lang,
) -> (&'static str, String) {
    match (clear, c.value, national) {
        (true, Some(v), Some(n)) if v > n => ("higher", i18n::CLEARLY_HIGHER.get(lang).to_string()),
        (true, Some(_), Some(_)) => ("lower", i18n::CLEARLY_LOWER.get(lang).to_string()),
        _ => ("none", i18n::NO_CLEAR_DIFFERENCE.get(lang).to_string()),
    }
}

/// The data attributes of a comparison, for tools and tests: the counts
/// and every value at full precision, per 1,000.
fn comparison_attributes(c: &Comparison) -> [Attribute; 6] {
    let number = |v: Option<f64>| v.map(|v| shown(v).to_string()).unwrap_or_default();
    [
        ("data-x", c.x.to_string()),
        ("data-n", c.n.to_string()),
        ("data-value", number(c.value)),
        ("data-low", number(c.interval.map(|i| i.0))),
        ("data-high", number(c.interval.map(|i| i.1))),
        ("data-p", c.p.map(|p| p.to_string()).unwrap_or_default()),
    ]
}

/// An attribute of an element built with [`element`].
type Attribute = (&'static str, String);

/// An element `tag` with `attributes` around `child`.
fn element(tag: &'static str, attributes: &[Attribute], child: Html) -> Html {
    let mut element = yew::virtual_dom::VTag::new(tag);
    for (name, value) in attributes {
        element.add_attribute(name, value.clone());
    }
    element.add_child(child);
    element.into()
}

/// The export button of a table.
fn export_button(name: String, headers: Vec<String>, rows: Vec<Vec<String>>, lang: Lang) -> Html {
    let onclick = Callback::from(move |_| {
        let text = export::csv_table(&headers, &rows, lang);
        if let Err(e) =
            export::download_text(&format!("{name}.csv"), &text, "text/csv;charset=utf-8")
        {
            web_sys::console::error_1(&e);
        }
    });
    html! { <button type="button" class="export" {onclick}>{ i18n::EXPORT_CSV.get(lang) }</button> }
}

/// The method, stated on every page.
fn method(lang: Lang, comparisons: usize) -> Html {
    html! {
        <p class="method" data-testid="method">
            { i18n::INSIGHT_METHOD.get(lang).replace("{m}", &comparisons.to_string()) }
        </p>
    }
}

/// "Lægeklynge 7, 2024 · Kvinder · 65+ år".
fn context_of(ctx: &Ctx<'_>) -> String {
    let period = ctx.cells.year.map(|y| y.to_string()).unwrap_or_default();
    super::context(ctx.unit_label, &period, &ctx.state.filters, ctx.lang)
}

/// The insight pages' table: every measure for the unit, with its
/// interval, the cluster's value (for a practice), the country's and the
/// verdict.
fn overview_table(ctx: &Ctx<'_>, page: InsightPage) -> Html {
    let lang = ctx.lang;
    let p = ctx.practices;
    let rows: Vec<(MeasureId, Comparison, Option<f64>, Option<f64>)> = MEASURES
        .iter()
        .map(|&m| {
            let c = p.compare(m, ctx.cells, ctx.unit);
            let cluster = page.about_practice().then(|| {
                let (x, n) = p.counts(m, ctx.cells, &ctx.focus.cluster_codes);
                (n > 0).then(|| x as f64 / n as f64)
            });
            (m, c, cluster.flatten(), p.national(m, ctx.cells))
        })
        .collect();
    let comparisons: Vec<Comparison> = rows.iter().map(|r| r.1).collect();
    let clear = funnel::clear(&comparisons);
    let with_cluster = page.about_practice();
    let area_page = if with_cluster {
        InsightPage::PracticeArea
    } else {
        InsightPage::ClusterArea
    };
    let mut headers = vec![
        i18n::MEASURE.get(lang).to_string(),
        i18n::NUMBER.get(lang).to_string(),
        ctx.unit_label.to_string(),
        i18n::CONFIDENCE_95.get(lang).to_string(),
    ];
    if with_cluster {
        headers.push(cluster_label(ctx.focus, lang));
    }
    headers.extend([
        i18n::WHOLE_COUNTRY.get(lang).to_string(),
        i18n::P_VALUE.get(lang).to_string(),
        i18n::ASSESSMENT.get(lang).to_string(),
    ]);
    let mut csv_rows = Vec::new();
    let body = rows.iter().zip(&clear).map(|((m, c, cluster, national), clear)| {
        let (key, verdict_text) = verdict(c, *national, *clear, lang);
        let label = m.def().label().get(lang);
        let state = ViewState {
            filters: Filters {
                measure: *m,
                scale: None,
                ..ctx.state.filters.clone()
            },
            ..ctx.state.clone()
        };
        let mut csv_row = vec![
            label.to_string(),
            c.x.to_string(),
            export::csv_number(c.value.map(shown), 1, lang),
            interval_text(c, lang),
        ];
        if with_cluster {
            csv_row.push(export::csv_number(cluster.map(shown), 1, lang));
        }
        csv_row.extend([
            export::csv_number(national.map(shown), 1, lang),
            p_text(c.p, lang),
            verdict_text.clone(),
        ]);
        csv_rows.push(csv_row);
        let mut attributes = vec![
            ("data-measure", m.def().key.to_string()),
            ("data-national", national.map(|v| shown(v).to_string()).unwrap_or_default()),
            ("data-cluster", cluster.map(|v| shown(v).to_string()).unwrap_or_default()),
            ("data-clear", clear.to_string()),
            ("data-verdict", key.to_string()),
        ];
        attributes.extend(comparison_attributes(c));
        element("tr", &attributes, html! {
            <>
                <th scope="row">{ page_link(ctx.navigator, (area_page, &state, &ctx.choice), &[], html! { { label } }) }</th>
                <td class="num">{ i18n::format_value(Some(c.x as f64), 0, lang) }</td>
                <td class="num">{ per_thousand(c.value, lang) }</td>
                <td class="num">{ interval_text(c, lang) }</td>
                if with_cluster { <td class="num">{ per_thousand(*cluster, lang) }</td> }
                <td class="num">{ per_thousand(*national, lang) }</td>
                <td class="num">{ p_text(c.p, lang) }</td>
                <td class={classes!("verdict", key)}>{ verdict_text }</td>
            </>
        })
    }).collect::<Html>();
    let title = format!("{}: {}", page.title().get(lang), context_of(ctx));
    let export_name = format!(
        "tvaers-{}-{}",
        page.route()
            .to_path()
            .trim_start_matches('/')
            .replace('/', "-"),
        ctx.cells.year.unwrap_or(0)
    );
    html! {
        <section class="panel" aria-labelledby="insight-table-title">
            <h2 id="insight-table-title">{ title }</h2>
            <p class="unit-note">{ i18n::PER_THOUSAND_LISTED.get(lang) }</p>
            <ScrollRegion label={i18n::INSIGHT_TABLE_CAPTION.get(lang)}>
                <table class="data-table insight-table" data-testid="insight-table">
                    <caption>{ i18n::INSIGHT_TABLE_CAPTION.get(lang) }</caption>
                    <thead><tr>
                        { for headers.iter().enumerate().map(|(i, h)| html! {
                            <th scope="col" class={(i > 0).then_some("num")}>{ h.clone() }</th>
                        }) }
                    </tr></thead>
                    <tbody>{ body }</tbody>
                </table>
            </ScrollRegion>
            { export_button(export_name, headers, csv_rows, lang) }
            { method(lang, MEASURES.len()) }
        </section>
    }
}

/// The intervention pages: one measure for the unit, against its
/// cluster's practices in a funnel plot, over the years, and by age.
fn area_view(ctx: &Ctx<'_>, page: InsightPage) -> Html {
    let lang = ctx.lang;
    let p = ctx.practices;
    let measure = insight_measure(ctx.state.filters.measure);
    let def = measure.def();
    let label = def.label().get(lang);
    let unit = def.unit(SCALE, lang);
    let model = model(measure);
    let own = p.compare(measure, ctx.cells, ctx.unit);
    let national = p.national(measure, ctx.cells);
    let cluster_value = {
        let (x, n) = p.counts(measure, ctx.cells, &ctx.focus.cluster_codes);
        (n > 0).then(|| x as f64 / n as f64)
    };
    let mut comparisons: Vec<(AttrValue, Option<f64>)> = Vec::new();
    if page.about_practice() {
        comparisons.push((
            cluster_label(ctx.focus, lang).into(),
            cluster_value.map(shown),
        ));
    }
    comparisons.push((i18n::WHOLE_COUNTRY.get(lang).into(), national.map(shown)));
    let years = p.years();
    let previous = ctx.cells.year.and_then(|y| {
        let before = years.iter().rev().find(|&&v| v < y)?;
        let c = p.compare(measure, &ctx.cells.in_year(*before), ctx.unit);
        Some((*before, c.value.map(shown)))
    });
    // The unit's own comparison: one on this part of the page.
    let own_clear = funnel::clear(&[own])[0];
    let (verdict_key, verdict_text) = verdict(&own, national, own_clear, lang);
    let mut own_attributes = vec![
        ("data-testid", "own-comparison".to_string()),
        ("class", "interval".to_string()),
        ("data-verdict", verdict_key.to_string()),
        (
            "data-national",
            national.map(|v| shown(v).to_string()).unwrap_or_default(),
        ),
        (
            "data-cluster",
            cluster_value
                .map(|v| shown(v).to_string())
                .unwrap_or_default(),
        ),
    ];
    own_attributes.extend(comparison_attributes(&own));
    let own_line = element(
        "p",
        &own_attributes,
        html! {
            { format!(
                "{}: {} · {} {} · {}",
                i18n::CONFIDENCE_95.get(lang),
                interval_text(&own, lang),
                i18n::P_VALUE.get(lang),
                p_text(own.p, lang),
                verdict_text,
            ) }
        },
    );

    // The funnel: the cluster's practices with listed patients in the
    // cells (nothing to compare without).
    let funnel_rows: Vec<(u16, Comparison)> = ctx
        .focus
        .cluster_codes
        .iter()
        .map(|&code| (code, p.compare(measure, ctx.cells, &[code])))
        .filter(|(_, c)| c.n > 0)
        .collect();
    let funnel_clear = funnel::clear(&funnel_rows.iter().map(|r| r.1).collect::<Vec<_>>());
    // The practice the page is about, or on the cluster's page the
    // caller's own practice.
    let highlight = if page.about_practice() {
        Some(ctx.unit[0])
    } else {
        ctx.focus.practice.filter(|_| p.caller == Caller::Practice)
    };
    let points: Vec<FunnelPoint> = funnel_rows
        .iter()
        .map(|(code, c)| FunnelPoint {
            label: p.label(*code, lang),
            x: c.x,
            n: c.n,
            highlight: highlight == Some(*code),
        })
        .collect();
    let zone = |c: &Comparison| -> &'static str {
        let (Some(theta), Some(v)) = (national, c.value) else {
            return "none";
        };
        match funnel::funnel_limits(model, c.n, theta) {
            Some(l) if v < l[0] || v > l[3] => "outside_998",
            Some(l) if v < l[1] || v > l[2] => "outside_95",
            Some(_) => "inside",
            None => "none",
        }
    };
    let zones: Vec<&str> = funnel_rows.iter().map(|(_, c)| zone(c)).collect();
    let outside_95 = zones.iter().filter(|z| z.starts_with("outside")).count();
    let outside_998 = zones.iter().filter(|z| **z == "outside_998").count();
    let funnel_summary = i18n::FUNNEL_SUMMARY
        .get(lang)
        .replace("{n}", &funnel_rows.len().to_string())
        .replace("{a}", &outside_95.to_string())
        .replace("{b}", &outside_998.to_string());
    let funnel_title = format!(
        "{}: {label}, {}",
        i18n::FUNNEL_PLOT.get(lang),
        context_of(&Ctx {
            unit_label: &cluster_label(ctx.focus, lang),
            ..*ctx
        })
    );
    let funnel_table = format!("{}: {funnel_title}", i18n::TABLE_OF.get(lang));
    let base_name = format!("tvaers-{}-{}", def.key, ctx.cells.year.unwrap_or(0));
    let funnel_headers = vec![
        i18n::PRACTICE.get(lang).to_string(),
        i18n::LISTED_PATIENTS.get(lang).to_string(),
        def.numerator.def().label.get(lang).to_string(),
        format!("{label}, {unit}"),
        i18n::CONFIDENCE_95.get(lang).to_string(),
        i18n::P_VALUE.get(lang).to_string(),
        i18n::ASSESSMENT.get(lang).to_string(),
    ];
    let mut funnel_csv = Vec::new();
    let funnel_body = funnel_rows
        .iter()
        .zip(&funnel_clear)
        .zip(&zones)
        .map(|(((code, c), clear), zone)| {
            let (key, text) = verdict(c, national, *clear, lang);
            let name = p.label(*code, lang);
            funnel_csv.push(vec![
                name.clone(),
                c.n.to_string(),
                c.x.to_string(),
                export::csv_number(c.value.map(shown), 1, lang),
                interval_text(c, lang),
                p_text(c.p, lang),
                text.clone(),
            ]);
            let mut attributes = vec![
                ("data-practice", name.clone()),
                ("data-own", (highlight == Some(*code)).to_string()),
                ("data-clear", clear.to_string()),
                ("data-verdict", key.to_string()),
                ("data-zone", zone.to_string()),
            ];
            attributes.extend(comparison_attributes(c));
            element(
                "tr",
                &attributes,
                html! {
                    <>
                        <th scope="row">{ name }</th>
                        <td class="num">{ i18n::format_value(Some(c.n as f64), 0, lang) }</td>
                        <td class="num">{ i18n::format_value(Some(c.x as f64), 0, lang) }</td>
                        <td class="num">{ per_thousand(c.value, lang) }</td>
                        <td class="num">{ interval_text(c, lang) }</td>
                        <td class="num">{ p_text(c.p, lang) }</td>
                        <td class={classes!("verdict", key)}>{ text }</td>
                    </>
                },
            )
        })
        .collect::<Html>();

    // Over the years: the unit, its cluster (for a practice) and the
    // country.
    let over_years = |codes: &[u16]| -> Vec<Datum> {
        years
            .iter()
            .map(|&y| {
                let (x, n) = p.counts(measure, &ctx.cells.in_year(y), codes);
                Datum::exact(
                    y,
                    y.to_string(),
                    (n > 0).then(|| shown(x as f64 / n as f64)),
                )
            })
            .collect()
    };
    let mut series = vec![(ctx.unit_label.to_string(), over_years(ctx.unit))];
    let years_intervals: Vec<Option<(f64, f64)>> = years
        .iter()
        .map(|&y| interval(measure, p.counts(measure, &ctx.cells.in_year(y), ctx.unit)))
        .collect();
    if page.about_practice() {
        series.push((
            cluster_label(ctx.focus, lang),
            over_years(&ctx.focus.cluster_codes),
        ));
    }
    series.push((
        i18n::WHOLE_COUNTRY.get(lang).to_string(),
        over_years(&[shared::dimension::ALL_PRACTICES]),
    ));
    let line_title = format!(
        "{label}, {} {}",
        ctx.unit_label,
        i18n::OVER_THE_YEARS.get(lang)
    );
    // The breakdown: age groups, beside the country's value, or from
    // the detail tile.
    let by = ctx.choice.by;
    let on_by = {
        let (go, choice) = (ctx.go.clone(), ctx.choice);
        Callback::from(move |e: Event| {
            let by = Breakdown::from_key(&select_value(&e)).unwrap_or_default();
            go.emit((None, Choice { by, ..choice }))
        })
    };
    let parts: Option<Vec<(Datum, (u64, u64))>> = match (by, ctx.detail) {
        (by, _) if !by.detailed() => Some(
            by.categories(ctx.cells, lang)
                .into_iter()
                .map(|(code, label, cells)| {
                    let (x, n) = p.counts(measure, &cells, ctx.unit);
                    let value = (n > 0).then(|| shown(x as f64 / n as f64));
                    (Datum::exact(code, label, value), (x, n))
                })
                .collect(),
        ),
        (_, Some(Ok(Some(detail)))) => Some(breakdown(
            p,
            detail,
            (measure, by),
            ctx.cells,
            ctx.unit,
            lang,
        )),
        (_, Some(Ok(None))) => Some(Vec::new()),
        _ => None,
    };
    let parts_intervals: Vec<Option<(f64, f64)>> = parts
        .iter()
        .flatten()
        .map(|(_, counts)| interval(measure, *counts))
        .collect();
    let parts: Option<Vec<Datum>> = parts.map(|parts| parts.into_iter().map(|(d, _)| d).collect());
    let parts_title = format!(
        "{label}, {} {} {}",
        ctx.unit_label,
        i18n::BY.get(lang),
        by.label(lang).to_lowercase()
    );
    let value_heading = format!("{label}, {unit}");
    html! {
        <>
            <KeyFigure label={label} value={own.value.map(shown)} decimals={1} unit={unit.clone()}
                context={context_of(ctx)} comparisons={comparisons} previous={previous}
                protection={shared::disclosure::Protection::Exact}
                testid="insight-key-figure" lang={lang} />
            { own_line }
            <FunnelChart title={funnel_title.clone()} points={points} model={model}
                theta={national.unwrap_or(0.0)} factor={SCALE.factor()} decimals={1}
                summary={funnel_summary} lang={lang} testid="funnel"
                export_name={format!("{base_name}-funnel")} />
            <details class="table-twin" open=true>
                <summary>{ funnel_table.clone() }</summary>
                <ScrollRegion label={funnel_table.clone()}>
                    <table class="data-table" data-testid="funnel-table">
                        <caption>{ funnel_table }</caption>
                        <thead><tr>
                            { for funnel_headers.iter().enumerate().map(|(i, h)| html! {
                                <th scope="col" class={(i > 0).then_some("num")}>{ h.clone() }</th>
                            }) }
                        </tr></thead>
                        <tbody>{ funnel_body }</tbody>
                    </table>
                </ScrollRegion>
                { export_button(format!("{base_name}-funnel"), funnel_headers, funnel_csv, lang) }
            </details>
            { method(lang, funnel_rows.len()) }
            <LineChart title={line_title.clone()} series={series.clone()} decimals={1} lang={lang}
                testid="insight-years" export_name={format!("{base_name}-years")} />
            <DataTable caption={format!("{}: {line_title}", i18n::TABLE_OF.get(lang))}
                category={DimensionId::Year.def().label.get(lang)} value_heading={value_heading.clone()}
                export_name={format!("{base_name}-years")} data={series[0].1.clone()}
                intervals={years_intervals}
                decimals={1} lang={lang} testid="insight-years-table" />
            <div class="filter breakdown-choice">
                <label class="filter-label" for="insight-by">{ i18n::BREAK_DOWN_BY.get(lang) }</label>
                <select id="insight-by" onchange={on_by}>
                    { for Breakdown::ALL.iter().map(|b| html! {
                        <option value={b.key()} selected={*b == by}>{ b.label(lang) }</option>
                    }) }
                </select>
            </div>
            if let Some(parts) = parts {
                <BarChart title={parts_title.clone()} data={parts.clone()} decimals={1} lang={lang}
                    reference={(!by.detailed()).then(|| national.map(|v| (AttrValue::from(i18n::WHOLE_COUNTRY.get(lang)), shown(v)))).flatten()}
                    export_name={format!("{base_name}-{}", by.key())} />
                <div data-testid="insight-parts" data-by={by.key()}>
                    <DataTable caption={format!("{}: {parts_title}", i18n::TABLE_OF.get(lang))}
                        category={by.label(lang)} value_heading={value_heading}
                        export_name={format!("{base_name}-{}", by.key())} data={parts}
                        intervals={parts_intervals}
                        decimals={1} lang={lang} testid="insight-parts-table" />
                </div>
            } else {
                <p class="loading" role="status">{ i18n::LOADING.get(lang) }</p>
            }
        </>
    }
}
