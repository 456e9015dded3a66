//! Pages, one module each, and the hooks they share.

pub mod about;
pub mod advanced;
pub mod overview;

use yew::prelude::*;

use crate::api::cache::Load;
use crate::state::{attribute_values, Filters, FIRST_VALUE};

/// A person attribute chosen without a value (the GP cluster, whose
/// values come from its tile) takes its first value once `load`, a tile
/// split by that attribute, is here.
#[hook]
pub fn use_first_attribute_value(load: &Load, filters: &Filters, on_filters: &Callback<Filters>) {
    let first = match (load, filters.person) {
        (Load::Ready(cube, _), Some((dimension, FIRST_VALUE))) => {
            attribute_values(dimension, Some(cube)).first().copied()
        }
        _ => None,
    };
    let filters = filters.clone();
    let on_filters = on_filters.clone();
    use_effect_with(first, move |first| {
        if let (Some(code), Some((dimension, _))) = (*first, filters.person) {
            on_filters.emit(Filters {
                person: Some((dimension, code)),
                ..filters
            });
        }
    });
}
