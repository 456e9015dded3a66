//! The application shell: routes, header with navigation and the language
//! switch, the page, the footer. The view state is read from the URL on
//! every render and changed only by navigating.

use shared::Lang;
use yew::prelude::*;
use yew_router::prelude::*;
use yew_router::query::Raw;

use crate::api::cache::TileCacheProvider;
use crate::components::session::{Session, SessionMenu, SessionProvider};
use crate::i18n;
use crate::pages::about::About;
use crate::pages::advanced::Advanced;
use crate::pages::closed::Closed;
use crate::pages::insight::{Choice, Insight, InsightPage};
use crate::pages::overview::Overview;
use crate::pages::report::Report;
use crate::state::themes::ThemeId;
use crate::state::{url, ViewState};

/// The portal's pages. Paths are Danish, as the portal's audience is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Routable)]
pub enum Route {
    /// National overview.
    #[at("/")]
    Overview,
    /// The advanced tool: a report of up to four charts.
    #[at("/avanceret")]
    Advanced,
    /// A standard report of a theme.
    #[at("/rapporter/:theme")]
    Report {
        /// The theme.
        theme: ThemeId,
    },
    /// About the data: every definition from the catalogue.
    #[at("/om-data")]
    About,
    /// The closed view of a signed-in organisation.
    #[at("/lukket")]
    Closed,
    /// Cluster insight (closed): every drug group for a GP cluster.
    #[at("/klyngeindsigt")]
    ClusterInsight,
    /// The cluster's intervention area (closed): one measure.
    #[at("/klyngeindsigt/indsats")]
    ClusterArea,
    /// Practice insight (closed): every drug group for a practice.
    #[at("/praksisindsigt")]
    PracticeInsight,
    /// The practice's intervention area (closed): one measure.
    #[at("/praksisindsigt/indsats")]
    PracticeArea,
    /// Anything else.
    #[not_found]
    #[at("/ikke-fundet")]
    NotFound,
}

impl Route {
    /// Whether it is one of the cluster insight pages.
    fn is_insight(self) -> bool {
        matches!(
            self,
            Route::ClusterInsight
                | Route::ClusterArea
                | Route::PracticeInsight
                | Route::PracticeArea
        )
    }

    fn title(self) -> shared::Text {
        match self {
            Route::Overview => i18n::OVERVIEW,
            Route::Advanced => i18n::ADVANCED,
            Route::Report { theme } => theme.report().title,
            Route::About => i18n::ABOUT,
            Route::Closed => i18n::CLOSED_VIEW,
            Route::ClusterInsight => i18n::CLUSTER_INSIGHT,
            Route::ClusterArea => i18n::CLUSTER_AREA,
            Route::PracticeInsight => i18n::PRACTICE_INSIGHT,
            Route::PracticeArea => i18n::PRACTICE_AREA,
            Route::NotFound => i18n::NOT_FOUND,
        }
    }
}

/// The root component.
#[function_component(App)]
pub fn app() -> Html {
    html! {
        <BrowserRouter>
            <SessionProvider>
                <TileCacheProvider>
                    <Shell />
                </TileCacheProvider>
            </SessionProvider>
        </BrowserRouter>
    }
}

/// Navigates to `route` with `state` in the query string (a new history
/// entry, unless nothing changes or the current entry only waits for a
/// value).
fn go(navigator: &Option<Navigator>, current: &Option<Location>, route: Route, state: &ViewState) {
    let Some(navigator) = navigator else { return };
    // The insight pages keep their year, cluster and practice.
    let query = if route.is_insight() {
        let current = current.as_ref().map_or("", |l| l.query_str());
        Choice::parse(current).query(state)
    } else {
        url::render(state)
    };
    let same_query = current
        .as_ref()
        .is_some_and(|l| l.query_str().trim_start_matches('?') == query);
    let same_path = current
        .as_ref()
        .is_some_and(|l| l.path() == route.to_path());
    if same_query && same_path {
        return;
    }
    // An address that asks for an attribute's first value (`gp_cluster=`)
    // is replaced by the one naming it, so that back does not return to
    // it (and from there straight forward again).
    let replace = current.as_ref().is_some_and(|l| {
        url::parse(l.query_str())
            .filters
            .person
            .is_some_and(|(_, code)| code == crate::state::FIRST_VALUE)
    });
    match (query.is_empty(), replace) {
        (true, false) => navigator.push(&route),
        (true, true) => navigator.replace(&route),
        // Infallible: the query is written by `url::render`.
        (false, false) => drop(navigator.push_with_query(&route, Raw(query))),
        (false, true) => drop(navigator.replace_with_query(&route, Raw(query))),
    }
}

#[function_component(Shell)]
fn shell() -> Html {
    let location = use_location();
    let navigator = use_navigator();
    let route = use_route::<Route>().unwrap_or(Route::NotFound);
    let state = url::parse(location.as_ref().map_or("", |l| l.query_str()));
    let lang = state.lang;
    let session = use_context::<Session>().expect("inside a SessionProvider");

    use_effect_with((lang, route), |(lang, route)| {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            if let Some(root) = document.document_element() {
                let _ = root.set_attribute("lang", lang.code());
            }
            document.set_title(&format!("{} – Tværs", route.title().get(*lang)));
        }
    });

    let navigate = {
        let (navigator, location) = (navigator.clone(), location.clone());
        Callback::from(move |(route, state): (Route, ViewState)| {
            go(&navigator, &location, route, &state)
        })
    };
    let toggle = {
        let (navigate, state) = (navigate.clone(), state.clone());
        Callback::from(move |_| {
            let lang = if state.lang == Lang::Da {
                Lang::En
            } else {
                Lang::Da
            };
            navigate.emit((
                route,
                ViewState {
                    lang,
                    ..state.clone()
                },
            ));
        })
    };
    let on_filters = {
        let (navigate, state) = (navigate.clone(), state.clone());
        Callback::from(move |filters| {
            navigate.emit((
                route,
                ViewState {
                    filters,
                    ..state.clone()
                },
            ))
        })
    };
    let on_charts = {
        let (navigate, state) = (navigate.clone(), state.clone());
        Callback::from(move |charts| {
            navigate.emit((
                route,
                ViewState {
                    charts,
                    ..state.clone()
                },
            ))
        })
    };
    let nav_link = |target: Route| {
        let (navigate, state) = (navigate.clone(), state.clone());
        let query = url::render(&state);
        let href = if query.is_empty() {
            target.to_path()
        } else {
            format!("{}?{query}", target.to_path())
        };
        let onclick = Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            navigate.emit((target, state.clone()));
        });
        let current = (route == target).then_some("page");
        html! {
            <a href={href} onclick={onclick} aria-current={current}>{ target.title().get(lang) }</a>
        }
    };
    let page = match route {
        Route::Overview => {
            html! { <Overview lang={lang} filters={state.filters.clone()} on_filters={on_filters} /> }
        }
        Route::Advanced => html! {
            <Advanced lang={lang} filters={state.filters.clone()} charts={state.charts.clone()}
                on_filters={on_filters} on_charts={on_charts} />
        },
        Route::Report { theme } => html! {
            <Report lang={lang} theme={theme} filters={state.filters.clone()} on_filters={on_filters} />
        },
        Route::About => html! { <About lang={lang} /> },
        Route::Closed => html! { <Closed lang={lang} /> },
        Route::ClusterInsight => {
            html! { <Insight page={InsightPage::Cluster} state={state.clone()} /> }
        }
        Route::ClusterArea => {
            html! { <Insight page={InsightPage::ClusterArea} state={state.clone()} /> }
        }
        Route::PracticeInsight => {
            html! { <Insight page={InsightPage::Practice} state={state.clone()} /> }
        }
        Route::PracticeArea => {
            html! { <Insight page={InsightPage::PracticeArea} state={state.clone()} /> }
        }
        Route::NotFound => html! {
            <>
                <h1>{ i18n::NOT_FOUND.get(lang) }</h1>
                <p>{ nav_link(Route::Overview) }</p>
            </>
        },
    };
    html! {
        <>
            <a class="skip-link" href="#main">{ i18n::SKIP_TO_CONTENT.get(lang) }</a>
            <header class="site-header">
                <div class="brand">
                    <span class="logo" aria-hidden="true">{ "T" }</span>
                    <div>
                        <p class="name">{ "Tværs" }</p>
                        <p class="tagline">{ i18n::TITLE.get(lang) }</p>
                    </div>
                </div>
                <div class="header-tools">
                    <SessionMenu lang={lang} closed_link={nav_link(Route::Closed)} />
                    <button class="lang-switch" type="button" onclick={toggle}
                        lang={ if lang == Lang::Da { "en" } else { "da" } }>
                        { i18n::SWITCH_LANGUAGE.get(lang) }
                    </button>
                </div>
            </header>
            <nav class="site-nav" aria-label={i18n::NAVIGATION.get(lang)}>
                { nav_link(Route::Overview) }
                { nav_link(Route::Advanced) }
                { nav_link(Route::ClusterInsight) }
                { nav_link(Route::About) }
            </nav>
            <aside class="notices" aria-label={i18n::NOTICES.get(lang)}>
                <p class="notice" role="note">{ i18n::SYNTHETIC_NOTICE.get(lang) }</p>
                if let Some(label) = session.info.as_ref().and_then(|i| i.scope_label_in(lang)) {
                    <p class="notice closed-banner" role="note" data-testid="closed-banner">
                        { format!("{} {label}", i18n::EXACT_BANNER.get(lang)) }
                    </p>
                }
            </aside>
            <main id="main">{ page }</main>
            <footer class="site-footer">
                <p>{ i18n::SOURCES.get(lang) }</p>
            </footer>
        </>
    }
}
