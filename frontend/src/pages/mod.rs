//! Pages, one module each.

pub mod overview;
