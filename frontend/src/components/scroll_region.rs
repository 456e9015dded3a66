//! A block that scrolls sideways inside its card when what it holds (a
//! wide table on a phone) is wider than the screen, never the page. It
//! is a named region in the tab order, so a keyboard user can reach it
//! and scroll it with the arrow keys (WCAG 2.1.1).

use yew::prelude::*;

/// Properties of [`ScrollRegion`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct ScrollRegionProps {
    /// The accessible name: usually the caption of the table inside.
    pub label: AttrValue,
    /// What scrolls.
    pub children: Html,
}

/// A keyboard-reachable block that scrolls sideways.
#[function_component(ScrollRegion)]
pub fn scroll_region(props: &ScrollRegionProps) -> Html {
    html! {
        <div class="table-scroll" role="region" tabindex="0" aria-label={props.label.clone()}>
            { props.children.clone() }
        </div>
    }
}
