//! Who is signed in, for every component: a context filled from
//! `GET /api/session` once per visit and replaced on sign-in and
//! sign-out; and the header's sign-in menu.

use std::rc::Rc;

use shared::api::SessionInfo;
use shared::Lang;
use yew::prelude::*;

use crate::api::session as api;
use crate::i18n;

/// The session as the context hands it out.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    /// `None` until the server has answered.
    pub info: Option<Rc<SessionInfo>>,
    /// Replaces the session (after signing in or out).
    pub set: Callback<SessionInfo>,
}

impl Session {
    /// The scope of closed tiles the user may read, once known.
    pub fn scope(&self) -> Option<&str> {
        self.info.as_ref()?.scope.as_deref()
    }

    /// Whether someone is signed in.
    pub fn signed_in(&self) -> bool {
        self.info.as_ref().is_some_and(|i| i.signed_in)
    }
}

/// Properties of [`SessionProvider`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct SessionProviderProps {
    /// The app.
    pub children: Html,
}

/// Asks the server who is signed in, and hands the answer to everything
/// inside it. A failed request counts as signed out.
#[function_component(SessionProvider)]
pub fn session_provider(props: &SessionProviderProps) -> Html {
    let info = use_state(|| None::<Rc<SessionInfo>>);
    {
        let info = info.clone();
        use_effect_with((), move |()| {
            wasm_bindgen_futures::spawn_local(async move {
                let answer = api::current().await.unwrap_or_default();
                info.set(Some(Rc::new(answer)));
            });
        });
    }
    let set = {
        let info = info.clone();
        Callback::from(move |answer: SessionInfo| info.set(Some(Rc::new(answer))))
    };
    let session = Session {
        info: (*info).clone(),
        set,
    };
    html! {
        <ContextProvider<Session> context={session}>{ props.children.clone() }</ContextProvider<Session>>
    }
}

/// Properties of [`SessionMenu`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct SessionMenuProps {
    /// Display language.
    pub lang: Lang,
    /// Link to the closed view.
    pub closed_link: Html,
}

/// The header's sign-in menu: demo users when signed out, the user and a
/// sign-out button when signed in.
#[function_component(SessionMenu)]
pub fn session_menu(props: &SessionMenuProps) -> Html {
    let session = use_context::<Session>().expect("inside a SessionProvider");
    let error = use_state(|| None::<String>);
    let lang = props.lang;
    let Some(info) = session.info.clone() else {
        return html! {};
    };
    let failed = error.as_ref().map(|e| {
        html! { <p class="session-error" role="alert">{ format!("{} {e}", i18n::REQUEST_FAILED.get(lang)) }</p> }
    });
    if info.signed_in {
        let sign_out = {
            let (set, error) = (session.set.clone(), error.clone());
            Callback::from(move |_| {
                let (set, error) = (set.clone(), error.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match api::sign_out().await {
                        Ok(()) => set.emit(api::current().await.unwrap_or_default()),
                        Err(e) => error.set(Some(e.to_string())),
                    }
                });
            })
        };
        let who = info
            .scope_label_in(lang)
            .map(str::to_string)
            .or_else(|| info.name.clone())
            .or_else(|| info.role.clone())
            .unwrap_or_default();
        return html! {
            <div class="session" data-testid="session">
                <span class="who" data-testid="signed-in-as">{ who }</span>
                if info.demo {
                    <span class="demo-badge">{ i18n::DEMO.get(lang) }</span>
                }
                { props.closed_link.clone() }
                <button type="button" onclick={sign_out}>{ i18n::SIGN_OUT.get(lang) }</button>
                { failed }
            </div>
        };
    }
    if info.demo_users.is_empty() {
        return html! {};
    }
    let users = info.demo_users.iter().map(|user| {
        let (set, error) = (session.set.clone(), error.clone());
        let (role, org) = (user.role.clone(), user.org.clone());
        let onclick = Callback::from(move |_| {
            let (set, error, role, org) = (set.clone(), error.clone(), role.clone(), org.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match api::demo(&role, org.as_deref()).await {
                    Ok(answer) => set.emit(answer),
                    Err(e) => error.set(Some(e.to_string())),
                }
            });
        });
        html! {
            <li><button type="button" onclick={onclick}
                data-role={user.role.clone()} data-org={user.org.clone()}>{ user.label_in(lang) }</button></li>
        }
    });
    html! {
        <details class="session sign-in" data-testid="sign-in">
            <summary>{ i18n::SIGN_IN_DEMO.get(lang) }</summary>
            <div class="sign-in-menu">
                <p class="demo-note">{ i18n::DEMO_NOTE.get(lang) }</p>
                <ul>{ for users }</ul>
            </div>
            { failed }
        </details>
    }
}
