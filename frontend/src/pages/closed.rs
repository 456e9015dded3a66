//! The closed view: what a signed-in organisation sees beyond the public
//! portal — its general practices one by one, from the exact closed tile
//! of its scope, and its saved reports. Signed out, it says how to get in.

use std::rc::Rc;

use shared::api::ReportEntry;
use shared::cube::{Cube, Filter, Grouping};
use shared::tile::{PracticeCode, Split, TileKind, META_PRACTICES};
use shared::{DimensionId, Lang, QuantityId, TileFamilyId};
use yew::prelude::*;

use crate::api::{self, session as session_api, ApiError};
use crate::components::scroll_region::ScrollRegion;
use crate::components::session::Session;
use crate::i18n;

/// Properties of [`Closed`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct ClosedProps {
    /// Display language.
    pub lang: Lang,
}

/// The closed view's page.
#[function_component(Closed)]
pub fn closed(props: &ClosedProps) -> Html {
    let session = use_context::<Session>().expect("inside a SessionProvider");
    let lang = props.lang;
    let Some(info) = session.info.clone() else {
        return html! { <p class="loading">{ i18n::LOADING.get(lang) }</p> };
    };
    let title = html! { <h1>{ i18n::CLOSED_VIEW.get(lang) }</h1> };
    if !info.signed_in {
        return html! {
            <>
                { title }
                <p class="lead" data-testid="closed-signed-out">{ i18n::SIGN_IN_FOR_CLOSED.get(lang) }</p>
            </>
        };
    }
    let label = info.scope_label.clone().unwrap_or_default();
    html! {
        <>
            <h1>{ format!("{}: {label}", i18n::CLOSED_VIEW.get(lang)) }</h1>
            <p class="lead">{ i18n::CLOSED_INTRO.get(lang) }</p>
            if let Some(scope) = info.scope.clone() {
                <Practices lang={lang} scope={scope} />
            }
            <SavedReports lang={lang} />
        </>
    }
}

/// Properties of [`Practices`].
#[derive(Clone, Debug, PartialEq, Properties)]
struct PracticesProps {
    lang: Lang,
    scope: String,
}

/// A closed tile keyed by practice of the scope, with its dictionary.
pub type PracticeTile = Option<(Cube, Vec<PracticeCode>)>;

/// The current release's closed tile of `family` (keyed by practice) for
/// `scope`, with the practices it names; `None` when there is none.
pub async fn practice_tile(family: TileFamilyId, scope: &str) -> Result<PracticeTile, ApiError> {
    practice_tile_in(&api::manifest(None).await?, family, scope).await
}

/// [`practice_tile`] of `scope`, another scope than the caller's own that
/// the caller's covers (the national scope covers every scope).
pub async fn practice_tile_of(family: TileFamilyId, scope: &str) -> Result<PracticeTile, ApiError> {
    practice_tile_in(&api::manifest_of_scope(scope).await?, family, scope).await
}

/// The tile of `family` for `scope` in `manifest`.
async fn practice_tile_in(
    manifest: &shared::api::Manifest,
    family: TileFamilyId,
    scope: &str,
) -> Result<PracticeTile, ApiError> {
    let kind = TileKind {
        family,
        split: Split::None,
    };
    let Some(entry) = manifest.closed_tile(&kind.key(), scope) else {
        return Ok(None);
    };
    let (cube, metadata) = api::tile_with_metadata(entry).await?;
    let practices = metadata
        .get(META_PRACTICES)
        .and_then(|p| serde_json::from_str(p).ok())
        .unwrap_or_default();
    Ok(Some((cube, practices)))
}

/// Listed patients and contacts of every practice in the scope, latest
/// year, exact.
#[function_component(Practices)]
fn practices(props: &PracticesProps) -> Html {
    let lang = props.lang;
    let tile = use_state(|| None::<Result<Rc<PracticeTile>, ApiError>>);
    {
        let tile = tile.clone();
        use_effect_with(props.scope.clone(), move |scope| {
            let scope = scope.clone();
            wasm_bindgen_futures::spawn_local(async move {
                tile.set(Some(
                    practice_tile(TileFamilyId::ByPractice, &scope)
                        .await
                        .map(Rc::new),
                ));
            });
        });
    }
    let heading = html! { <h2 id="practices">{ i18n::PRACTICES.get(lang) }</h2> };
    let body = match &*tile {
        None => html! { <p class="loading">{ i18n::LOADING.get(lang) }</p> },
        Some(Err(e)) => html! { <p class="error" role="alert">{ e.to_string() }</p> },
        Some(Ok(found)) => match found.as_ref() {
            None => html! { <p>{ i18n::NO_PRACTICES.get(lang) }</p> },
            Some((cube, dictionary)) => practice_table(cube, dictionary, lang),
        },
    };
    html! { <section class="panel" aria-labelledby="practices">{ heading }{ body }</section> }
}

fn practice_table(cube: &Cube, dictionary: &[PracticeCode], lang: Lang) -> Html {
    let Some(year) = cube
        .codes(DimensionId::Year)
        .ok()
        .and_then(|y| y.last().copied())
    else {
        return html! { <p>{ i18n::NO_PRACTICES.get(lang) }</p> };
    };
    let filter = Filter::all().with(DimensionId::Year, [year]);
    let quantities = [QuantityId::ListedPatients, QuantityId::GpContacts];
    let Ok(sums) = cube.sums(&filter, Grouping::By(DimensionId::Practice), &quantities) else {
        return html! { <p>{ i18n::NO_PRACTICES.get(lang) }</p> };
    };
    let rows = sums.into_iter().map(|(code, sums)| {
        let practice = dictionary.iter().find(|p| p.code == code);
        let number = practice.map_or_else(|| code.to_string(), |p| p.provider_number.clone());
        let name = practice.map_or_else(String::new, |p| p.name.clone());
        let per_listed = (sums[0] > 0).then(|| sums[1] as f64 / sums[0] as f64);
        html! {
            <tr data-provider={number.clone()} data-listed={sums[0].to_string()}
                data-contacts={sums[1].to_string()}>
                <th scope="row">{ number }</th>
                <td>{ name }</td>
                <td class="num">{ i18n::format_value(Some(sums[0] as f64), 0, lang) }</td>
                <td class="num">{ i18n::format_value(Some(sums[1] as f64), 0, lang) }</td>
                <td class="num">{ i18n::format_value(per_listed, 1, lang) }</td>
            </tr>
        }
    });
    let caption = format!("{} {year}", i18n::FIGURES_FOR.get(lang));
    html! {
        <ScrollRegion label={caption.clone()}>
            <table class="data-table" data-testid="practice-table" data-year={year.to_string()}>
                <caption>{ caption }</caption>
                <thead><tr>
                    <th scope="col">{ i18n::PROVIDER_NUMBER.get(lang) }</th>
                    <th scope="col">{ i18n::NAME.get(lang) }</th>
                    <th scope="col" class="num">{ i18n::LISTED_PATIENTS.get(lang) }</th>
                    <th scope="col" class="num">{ i18n::GP_CONTACTS.get(lang) }</th>
                    <th scope="col" class="num">{ i18n::CONTACTS_PER_LISTED.get(lang) }</th>
                </tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </ScrollRegion>
    }
}

/// Properties of [`SavedReports`].
#[derive(Clone, Debug, PartialEq, Properties)]
struct SavedReportsProps {
    lang: Lang,
}

/// The user's reports and those shared with the organisation.
#[function_component(SavedReports)]
fn saved_reports(props: &SavedReportsProps) -> Html {
    let lang = props.lang;
    let reports = use_state(|| None::<Result<Vec<ReportEntry>, ApiError>>);
    let reload = {
        let reports = reports.clone();
        Callback::from(move |()| {
            let reports = reports.clone();
            wasm_bindgen_futures::spawn_local(async move {
                reports.set(Some(session_api::reports().await));
            });
        })
    };
    {
        let reload = reload.clone();
        use_effect_with((), move |()| reload.emit(()));
    }
    let body = match &*reports {
        None => html! { <p class="loading">{ i18n::LOADING.get(lang) }</p> },
        Some(Err(e)) => html! { <p class="error" role="alert">{ e.to_string() }</p> },
        Some(Ok(list)) if list.is_empty() => html! { <p>{ i18n::NO_REPORTS.get(lang) }</p> },
        Some(Ok(list)) => {
            let items = list.iter().map(|r| {
                html! { <SavedReportItem key={r.id.clone()} report={r.clone()} lang={lang} on_change={reload.clone()} /> }
            });
            html! { <ul class="saved-reports" data-testid="saved-reports">{ for items }</ul> }
        }
    };
    html! {
        <section class="panel" aria-labelledby="saved-reports">
            <h2 id="saved-reports">{ i18n::SAVED_REPORTS.get(lang) }</h2>
            { body }
        </section>
    }
}

/// Properties of [`SavedReportItem`].
#[derive(Clone, Debug, PartialEq, Properties)]
struct SavedReportItemProps {
    report: ReportEntry,
    lang: Lang,
    /// Called after a rename or delete.
    on_change: Callback<()>,
}

/// One saved report: a link to its view; its owner may rename or delete it.
#[function_component(SavedReportItem)]
fn saved_report_item(props: &SavedReportItemProps) -> Html {
    let (r, lang) = (&props.report, props.lang);
    let renaming = use_state(|| false);
    let input = use_node_ref();
    let error = use_state(|| None::<String>);
    let owner_tools = r.mine.then(|| {
        let delete = {
            let (id, done, error) = (r.id.clone(), props.on_change.clone(), error.clone());
            Callback::from(move |_| {
                let (id, done, error) = (id.clone(), done.clone(), error.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match session_api::delete(&id).await {
                        Ok(()) => done.emit(()),
                        Err(e) => error.set(Some(e.to_string())),
                    }
                });
            })
        };
        let start = {
            let renaming = renaming.clone();
            Callback::from(move |_| renaming.set(true))
        };
        html! {
            <>
                <button type="button" class="link" onclick={start}>{ i18n::RENAME.get(lang) }</button>
                <button type="button" class="link" onclick={delete}>{ i18n::DELETE.get(lang) }</button>
            </>
        }
    });
    let rename_form = (*renaming).then(|| {
        let onsubmit = {
            let (id, input, done, renaming, error) = (
                r.id.clone(),
                input.clone(),
                props.on_change.clone(),
                renaming.clone(),
                error.clone(),
            );
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                let name = input
                    .cast::<web_sys::HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default();
                let (id, done, renaming, error) = (id.clone(), done.clone(), renaming.clone(), error.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match session_api::rename(&id, &name).await {
                        Ok(_) => {
                            renaming.set(false);
                            done.emit(());
                        }
                        Err(e) => error.set(Some(e.to_string())),
                    }
                });
            })
        };
        html! {
            <form class="rename" onsubmit={onsubmit}>
                <label>{ i18n::REPORT_NAME.get(lang) }
                    <input ref={input} name="rename" value={r.name.clone()} required=true maxlength="120" />
                </label>
                <button type="submit">{ i18n::RENAME.get(lang) }</button>
            </form>
        }
    });
    html! {
        <li data-report={r.id.clone()}>
            <a href={r.view.clone()}>{ &r.name }</a>
            if r.shared { <span class="tag">{ i18n::SHARED.get(lang) }</span> }
            if !r.description.is_empty() { <p class="description">{ &r.description }</p> }
            { owner_tools }
            { rename_form }
            if let Some(e) = &*error {
                <p class="error" role="alert">{ format!("{} {e}", i18n::REQUEST_FAILED.get(lang)) }</p>
            }
        </li>
    }
}
