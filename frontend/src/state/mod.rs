//! View state: language, measure and scale, and filters. The URL is its single home (see
//! [`url`]): pages read it from the location and change it by navigating,
//! so a copied link reproduces the view and back/forward just work.

pub mod url;

use shared::cube::Filter;
use shared::measure::Scale;
use shared::tile::{Split, TileKind};
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
    /// Restrict to citizens with one value of one person attribute:
    /// target group, civil status, CPR status or nursing-home residence
    /// (a dimension with a split tile, and its code). One at a time: each
    /// comes from its own tile.
    pub person: Option<(DimensionId, u16)>,
    /// The data release to show (its id), or the current one (`None`). A
    /// link with a release id shows the same numbers for as long as the
    /// server keeps the release.
    pub release: Option<String>,
}

/// The person attributes a view can be restricted by, in the order the
/// filter offers them.
pub const PERSON_ATTRIBUTES: [DimensionId; 4] = [
    DimensionId::TargetGroup,
    DimensionId::CivilStatus,
    DimensionId::NursingHome,
    DimensionId::CprStatus,
];

impl Default for Filters {
    fn default() -> Filters {
        Filters {
            measure: DEFAULT_MEASURE,
            scale: None,
            region: None,
            sex: None,
            person: None,
            release: None,
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
        let mut filter = Filter::all().with(DimensionId::Year, [year]);
        if let Some(sex) = self.sex {
            filter = filter.with(DimensionId::Sex, [sex.code()]);
        }
        if let Some((dimension, code)) = self.person {
            filter = filter.with(dimension, [code]);
        }
        filter
    }

    /// The tile these choices read: the measure's family, split by the
    /// person attribute in use.
    pub fn tile(&self) -> TileKind {
        TileKind {
            family: self.measure.def().family().id,
            split: self
                .person
                .and_then(|(d, _)| Split::of(d))
                .unwrap_or(Split::None),
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
