//! Saving the advanced tool's report: name, description, shared or not.
//! The saved view is the page's own address, so opening it reproduces the
//! view; it carries no authority (see `docs/access.md`).

use shared::api::NewReport;
use shared::Lang;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::session::Session;
use crate::api::session as api;
use crate::i18n;

/// Properties of [`SaveReport`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct SaveReportProps {
    /// Display language.
    pub lang: Lang,
}

/// What became of the last save.
#[derive(Clone, Debug, PartialEq)]
enum Outcome {
    Saved,
    /// The name is empty or only spaces: said before asking the server.
    Unnamed,
    Failed(String),
}

/// The save form; nothing for visitors who are not signed in.
#[function_component(SaveReport)]
pub fn save_report(props: &SaveReportProps) -> Html {
    let session = use_context::<Session>().expect("inside a SessionProvider");
    let name = use_node_ref();
    let description = use_node_ref();
    let shared = use_node_ref();
    let outcome = use_state(|| None::<Outcome>);
    let lang = props.lang;
    if !session.signed_in() {
        return html! {};
    }
    let onsubmit = {
        let (name, description, shared, outcome) = (
            name.clone(),
            description.clone(),
            shared.clone(),
            outcome.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let view = web_sys::window()
                .map(|w| w.location())
                .and_then(|l| Some(format!("{}{}", l.pathname().ok()?, l.search().ok()?)))
                .unwrap_or_else(|| "/avanceret".into());
            let name = name
                .cast::<HtmlInputElement>()
                .map(|i| i.value().trim().to_string())
                .unwrap_or_default();
            if name.is_empty() {
                outcome.set(Some(Outcome::Unnamed));
                return;
            }
            let report = NewReport {
                name,
                description: description
                    .cast::<HtmlTextAreaElement>()
                    .map(|t| t.value())
                    .unwrap_or_default(),
                view,
                shared: shared
                    .cast::<HtmlInputElement>()
                    .is_some_and(|c| c.checked()),
            };
            let outcome = outcome.clone();
            wasm_bindgen_futures::spawn_local(async move {
                outcome.set(Some(match api::save(&report).await {
                    Ok(_) => Outcome::Saved,
                    Err(e) => Outcome::Failed(e.to_string()),
                }));
            });
        })
    };
    let message = match &*outcome {
        Some(Outcome::Saved) => html! {
            <p class="saved" role="status" data-testid="report-saved">{ i18n::REPORT_SAVED.get(lang) }</p>
        },
        Some(Outcome::Unnamed) => html! {
            <p class="error" role="alert">{ i18n::REPORT_UNNAMED.get(lang) }</p>
        },
        Some(Outcome::Failed(e)) => html! {
            <p class="error" role="alert">{ format!("{} {e}", i18n::REQUEST_FAILED.get(lang)) }</p>
        },
        None => html! {},
    };
    html! {
        <form class="save-report" onsubmit={onsubmit} data-testid="save-report">
            <h2>{ i18n::SAVE_REPORT.get(lang) }</h2>
            <label>{ i18n::REPORT_NAME.get(lang) }
                <input ref={name} name="name" required=true maxlength="120" />
            </label>
            <label>{ i18n::REPORT_DESCRIPTION.get(lang) }
                <textarea ref={description} name="description" maxlength="2000" rows="2" />
            </label>
            <label class="check">
                <input ref={shared} type="checkbox" name="shared" />
                { i18n::SHARE_REPORT.get(lang) }
            </label>
            <button type="submit">{ i18n::SAVE_REPORT.get(lang) }</button>
            { message }
        </form>
    }
}
