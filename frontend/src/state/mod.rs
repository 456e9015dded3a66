//! View state: language, measure and scale, and filters. The URL is its single home (see
//! [`url`]): pages read it from the location and change it by navigating,
//! so a copied link reproduces the view and back/forward just work.

pub mod url;

use shared::cube::Filter;
use shared::measure::Scale;
use shared::{DimensionId, Lang, MeasureId, Sex};

/// The measure shown when the address names none.
pub const DEFAULT_MEASURE: MeasureId = MeasureId::GpContacts;

/// What the overview shows: a measure on a scale, and the filters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filters {
    /// The measure.
    pub measure: MeasureId,
    /// Its scale; `None` for the measure's default.
    pub scale: Option<Scale>,
    /// Restrict to one region (its code), or the whole country (`None`).
    pub region: Option<u16>,
    /// Restrict to one sex, or both (`None`).
    pub sex: Option<Sex>,
}

impl Default for Filters {
    fn default() -> Filters {
        Filters {
            measure: DEFAULT_MEASURE,
            scale: None,
            region: None,
            sex: None,
        }
    }
}

impl Filters {
    /// The scale in force: the chosen one if the measure offers it, else
    /// the measure's default.
    pub fn scale(&self) -> Scale {
        self.measure.def().scale_or_default(self.scale)
    }

    /// The cube filter for these choices, restricted to `year`.
    pub fn cube_filter(&self, year: u16) -> Filter {
        let mut filter = self.population_filter(year);
        if let Some(region) = self.region {
            filter = filter.with(DimensionId::Region, [region]);
        }
        filter
    }

    /// The same filter for the whole country: the comparison the page
    /// shows next to a region.
    pub fn population_filter(&self, year: u16) -> Filter {
        let filter = Filter::all().with(DimensionId::Year, [year]);
        match self.sex {
            Some(sex) => filter.with(DimensionId::Sex, [sex.code()]),
            None => filter,
        }
    }
}

/// Everything the URL carries besides the page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ViewState {
    /// Display language.
    pub lang: Lang,
    /// Filters.
    pub filters: Filters,
}
