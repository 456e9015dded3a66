//! View state: language, measure and scale, and filters. The URL is its single home (see
//! [`url`]): pages read it from the location and change it by navigating,
//! so a copied link reproduces the view and back/forward just work.

pub mod url;

use shared::cube::{Cube, Filter};
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
pub const PERSON_ATTRIBUTES: [DimensionId; 5] = [
    DimensionId::TargetGroup,
    DimensionId::GpCluster,
    DimensionId::CivilStatus,
    DimensionId::NursingHome,
    DimensionId::CprStatus,
];

/// The code an attribute whose values come from the data (the GP cluster)
/// takes when it is chosen: "its first value", replaced by that value
/// once its tile is loaded. The address writes it as an empty value
/// (`gp_cluster=`).
pub const FIRST_VALUE: u16 = u16::MAX;

/// Whether `code` can be a value of the person attribute `dimension`: one
/// of the catalogue's codes, or for the GP cluster any cluster id (the
/// tile then says whether it has that cluster).
pub fn is_attribute_value(dimension: DimensionId, code: u16) -> bool {
    match dimension.codes() {
        Some(codes) => codes.contains(&code),
        None => dimension == DimensionId::GpCluster && code <= shared::dimension::MAX_GP_CLUSTER,
    }
}

/// The values the filter offers for a person attribute: the catalogue's
/// codes, or for the GP cluster those in its tile `cube` — the clusters
/// in order, then "not listed" (0).
pub fn attribute_values(dimension: DimensionId, cube: Option<&Cube>) -> Vec<u16> {
    if let Some(codes) = dimension.codes() {
        return codes;
    }
    let mut codes = cube
        .and_then(|c| c.codes(dimension).ok())
        .unwrap_or_default();
    codes.sort_by_key(|c| (*c == 0, *c));
    codes
}

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
