//! Charts drawn with plotters into SVG. Components hand them typed series;
//! charts never see tiles.

pub mod bar;
pub mod line;
pub mod map;

/// One labelled value of a chart series; `None` draws no bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Datum {
    /// Stable key of the category (e.g. the region code).
    pub key: u16,
    /// Category label.
    pub label: String,
    /// The value.
    pub value: Option<f64>,
}
