//! A block that scrolls sideways inside its card when what it holds (a
//! wide table on a phone) is wider than the screen, never the page. While
//! it scrolls it is in the tab order, so a keyboard user can reach it and
//! scroll it with the arrow keys (WCAG 2.1.1); while its table fits it is
//! not, so Tab does not stop at every table of a page for nothing.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast as _;
use yew::prelude::*;

/// Properties of [`ScrollRegion`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct ScrollRegionProps {
    /// The accessible name: usually the caption of the table inside.
    pub label: AttrValue,
    /// What scrolls.
    pub children: Html,
}

/// A named block that scrolls sideways, keyboard-reachable when it does.
#[function_component(ScrollRegion)]
pub fn scroll_region(props: &ScrollRegionProps) -> Html {
    let node = use_node_ref();
    // After every render: the table inside may have changed.
    {
        let node = node.clone();
        use_effect(move || tab_stop_if_scrolling(&node));
    }
    // And whenever the block's size changes: the window turns or is
    // resized, or the block appears (a table twin opened).
    {
        let node = node.clone();
        use_effect_with((), move |_| {
            let observed = node.cast::<web_sys::Element>().and_then(|element| {
                let node = node.clone();
                let callback = Closure::<dyn FnMut()>::new(move || tab_stop_if_scrolling(&node));
                let observer =
                    web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
                observer.observe(&element);
                Some((observer, callback))
            });
            move || {
                if let Some((observer, _callback)) = observed {
                    observer.disconnect();
                }
            }
        });
    }
    html! {
        <div ref={node} class="table-scroll" role="region" aria-label={props.label.clone()}>
            { props.children.clone() }
        </div>
    }
}

/// Puts the block in the tab order while what it holds is wider than it
/// is, and takes it out when not. The attribute is not rendered by Yew,
/// so a re-render leaves it as this sets it.
fn tab_stop_if_scrolling(node: &NodeRef) {
    let Some(element) = node.cast::<web_sys::Element>() else {
        return;
    };
    let scrolls = element.scroll_width() > element.client_width();
    let result = if scrolls {
        element.set_attribute("tabindex", "0")
    } else {
        element.remove_attribute("tabindex")
    };
    if let Err(e) = result {
        web_sys::console::warn_1(&e);
    }
}
