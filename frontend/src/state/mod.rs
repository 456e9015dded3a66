//! View state: language and filters. The URL is its single home (see
//! [`url`]): pages read it from the location and change it by navigating,
//! so a copied link reproduces the view and back/forward just work.

pub mod url;

use shared::cube::Filter;
use shared::{DimensionId, Lang, Sex};

/// The filters of the overview.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    /// Restrict to one region (its code), or the whole country (`None`).
    pub region: Option<u16>,
    /// Restrict to one sex, or both (`None`).
    pub sex: Option<Sex>,
}

impl Filters {
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
