//! The application shell: header with the language switch, the page, the
//! footer. (A router joins when there is more than one page.)

use shared::Lang;
use yew::prelude::*;

use crate::i18n;
use crate::pages::overview::Overview;

/// The root component.
#[function_component(App)]
pub fn app() -> Html {
    let lang = use_state(Lang::default);
    {
        let code = lang.code();
        use_effect_with(*lang, move |_| {
            if let Some(root) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
            {
                let _ = root.set_attribute("lang", code);
            }
        });
    }
    let toggle = {
        let lang = lang.clone();
        Callback::from(move |_| {
            lang.set(if *lang == Lang::Da {
                Lang::En
            } else {
                Lang::Da
            })
        })
    };
    let l = *lang;
    html! {
        <>
            <header class="site-header">
                <div class="brand">
                    <span class="logo" aria-hidden="true">{ "T" }</span>
                    <div>
                        <p class="name">{ "Tværs" }</p>
                        <p class="tagline">{ i18n::TITLE.get(l) }</p>
                    </div>
                </div>
                <button class="lang-switch" type="button" onclick={toggle}
                    lang={ if l == Lang::Da { "en" } else { "da" } }>
                    { i18n::SWITCH_LANGUAGE.get(l) }
                </button>
            </header>
            <p class="notice" role="note">{ i18n::SYNTHETIC_NOTICE.get(l) }</p>
            <main id="main">
                <Overview lang={l} />
            </main>
            <footer class="site-footer">
                <p>{ i18n::SOURCES.get(l) }</p>
            </footer>
        </>
    }
}
