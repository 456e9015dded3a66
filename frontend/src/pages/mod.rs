//! Pages, one module each.

pub mod about;
pub mod overview;
