//! View state: language, measure and scale, and filters. The URL is its single home (see
//! [`url`]): pages read it from the location and change it by navigating,
//! so a copied link reproduces the view and back/forward just work.

pub mod report;
pub mod themes;
pub mod url;

use shared::cube::{Cube, Filter};
use shared::measure::Scale;
use shared::tile::{Split, TileKind, TileRef};
use shared::{geography, DimensionId, Lang, MeasureId, Sex, TileFamilyId};

pub use shared::measure::DEFAULT_MEASURE;

/// What the overview shows: a measure on a scale, and the filters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filters {
    /// The measure.
    pub measure: MeasureId,
    /// Its scale; `None` for the measure's default.
    pub scale: Option<Scale>,
    /// Restrict to one area, or the whole country.
    pub area: Area,
    /// Restrict to one sex, or both (`None`).
    pub sex: Option<Sex>,
    /// Restrict to an age range: one of [`AGE_RANGES`] (empty: all ages).
    pub age: Vec<u16>,
    /// Restrict to citizens with one value of one person attribute:
    /// target group, civil status, CPR status or nursing-home residence
    /// (a dimension with a split tile, and its code). One at a time: each
    /// comes from its own tile.
    pub person: Option<(DimensionId, u16)>,
    /// Restrict to one period of the year: a quarter (1–4) or a month
    /// (1–12) — one of [`PERIODS`] and its code —, or the whole year
    /// (`None`). Periods come from tiles of their own, so a period and a
    /// person attribute are not chosen together.
    pub period: Option<(DimensionId, u16)>,
    /// The data release to show (its id), or the current one (`None`). A
    /// link with a release id shows the same numbers for as long as the
    /// server keeps the release.
    pub release: Option<String>,
    /// What the map colours: municipalities or regions.
    pub map_level: MapLevel,
}

/// The geography a view is restricted to: a region, a health cluster or
/// a municipality, each a dimension the tiles can filter by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Area {
    /// No restriction.
    #[default]
    Country,
    /// A region, by code (1081–1085).
    Region(u16),
    /// A health cluster, by id.
    HealthCluster(u16),
    /// A municipality, by code.
    Municipality(u16),
}

impl Area {
    /// The area of `code` of the geography `dimension`, if it is one.
    pub fn of(dimension: DimensionId, code: u16) -> Option<Area> {
        let valid = |area: Area| area.name().is_some().then_some(area);
        match dimension {
            DimensionId::Region => valid(Area::Region(code)),
            DimensionId::HealthCluster => valid(Area::HealthCluster(code)),
            DimensionId::Municipality => valid(Area::Municipality(code)),
            _ => None,
        }
    }

    /// The dimension and code the tiles filter by (`None`: the country).
    pub fn filter(self) -> Option<(DimensionId, u16)> {
        match self {
            Area::Country => None,
            Area::Region(code) => Some((DimensionId::Region, code)),
            Area::HealthCluster(code) => Some((DimensionId::HealthCluster, code)),
            Area::Municipality(code) => Some((DimensionId::Municipality, code)),
        }
    }

    /// The area's name (`None` for the country, and for a code that is no
    /// area).
    pub fn name(self) -> Option<&'static str> {
        match self {
            Area::Country => None,
            Area::Region(code) => geography::region(code).map(|r| r.name),
            Area::HealthCluster(code) => geography::HEALTH_CLUSTERS
                .iter()
                .find(|c| u16::from(c.id) == code)
                .map(|c| c.name),
            Area::Municipality(code) => geography::municipality(code).map(|m| m.name),
        }
    }

    /// The region the area lies in: itself, its municipality's, or for a
    /// health cluster the region of its municipalities (each cluster lies
    /// in one region).
    pub fn region(self) -> Option<u16> {
        match self {
            Area::Country => None,
            Area::Region(code) => Some(code),
            Area::Municipality(code) => geography::region_of(code),
            Area::HealthCluster(_) => {
                let mut regions = self.municipalities().into_iter().map(|m| m.region);
                let first = regions.next()?;
                regions.all(|r| r == first).then_some(first)
            }
        }
    }

    /// The municipalities the area's chart breaks down into, by name: the
    /// region's, the cluster's, or for a municipality those of its region.
    pub fn municipalities(self) -> Vec<&'static geography::Municipality> {
        let keep = |m: &geography::Municipality| match self {
            Area::Country => false,
            Area::Region(code) => m.region == code,
            Area::HealthCluster(code) => u16::from(m.health_cluster) == code,
            Area::Municipality(code) => Some(m.region) == geography::region_of(code),
        };
        let mut list: Vec<_> = geography::MUNICIPALITIES
            .iter()
            .filter(|m| keep(m))
            .collect();
        list.sort_by(|a, b| a.name.cmp(b.name));
        list
    }
}

/// What the map colours.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MapLevel {
    /// The 98 municipalities.
    #[default]
    Municipality,
    /// The five regions.
    Region,
}

impl MapLevel {
    /// The dimension whose values the map shows.
    pub fn dimension(self) -> DimensionId {
        match self {
            MapLevel::Municipality => DimensionId::Municipality,
            MapLevel::Region => DimensionId::Region,
        }
    }
}

/// The age ranges a view can be restricted to, as age-group codes, in
/// the order the filter offers them: each group, and 65 and over.
pub const AGE_RANGES: [&[u16]; 6] = [&[1], &[2], &[3, 4, 5], &[3], &[4], &[5]];

/// The written form of an age range, as in the address: `3,4,5`.
pub fn age_range_key(codes: &[u16]) -> String {
    let codes: Vec<String> = codes.iter().map(u16::to_string).collect();
    codes.join(",")
}

/// The age range of a written form (`3,4,5`), if it is one of
/// [`AGE_RANGES`].
pub fn parse_age_range(text: &str) -> Option<Vec<u16>> {
    let codes: Vec<u16> = text.split(',').filter_map(|c| c.parse().ok()).collect();
    AGE_RANGES.contains(&codes.as_slice()).then_some(codes)
}

/// The label of an age range of consecutive age groups: "65+ år",
/// "18-64 år".
pub fn age_range_label(codes: &[u16], lang: Lang) -> String {
    use shared::dimension::AgeGroup;
    let first = codes.first().and_then(|c| AgeGroup::from_code(*c));
    let last = codes.last().and_then(|c| AgeGroup::from_code(*c));
    match (first, last) {
        (Some(first), Some(last)) if first == last => first.label(lang),
        (Some(first), Some(last)) => {
            let (lower, upper) = (first.label(lang), last.label(lang));
            let from = lower.split('-').next().unwrap_or_default();
            match upper.split_once('-') {
                Some((_, to)) => format!("{from}-{to}"),
                // The last group is open: "85+ år" → "65+ år".
                None => upper.replacen(&last.lower().to_string(), from, 1),
            }
        }
        _ => String::new(),
    }
}

/// The periods within a year a view can be restricted to, in the order
/// the period filter offers them.
pub const PERIODS: [DimensionId; 2] = [DimensionId::Quarter, DimensionId::Month];

/// Whether `code` is a period of `dimension`, one of [`PERIODS`].
pub fn is_period(dimension: DimensionId, code: u16) -> bool {
    PERIODS.contains(&dimension) && dimension.codes().is_some_and(|c| c.contains(&code))
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
    attribute_order(
        cube.and_then(|c| c.codes(dimension).ok())
            .unwrap_or_default(),
    )
}

/// Codes of a person attribute in the order a filter offers them: by
/// code, "unknown" (0) last.
pub fn attribute_order(mut codes: Vec<u16>) -> Vec<u16> {
    codes.sort_by_key(|c| (*c == 0, *c));
    codes
}

impl Default for Filters {
    fn default() -> Filters {
        Filters {
            measure: DEFAULT_MEASURE,
            scale: None,
            area: Area::Country,
            sex: None,
            age: Vec::new(),
            person: None,
            period: None,
            release: None,
            map_level: MapLevel::Municipality,
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
        let filter = self.population_filter(year);
        match self.area.filter() {
            Some((dimension, code)) => filter.with(dimension, [code]),
            None => filter,
        }
    }

    /// The same filter for the whole country: the comparison the page
    /// shows next to an area.
    pub fn population_filter(&self, year: u16) -> Filter {
        self.restrict(Filter::all().with(DimensionId::Year, [year]))
    }

    /// The area's cells of every year: a development over time.
    pub fn every_year_filter(&self) -> Filter {
        let filter = self.restrict(Filter::all());
        match self.area.filter() {
            Some((dimension, code)) => filter.with(dimension, [code]),
            None => filter,
        }
    }

    /// `filter` restricted by period, sex, age and person attribute.
    fn restrict(&self, mut filter: Filter) -> Filter {
        if let Some((dimension, code)) = self.period {
            filter = filter.with(dimension, [code]);
        }
        if let Some(sex) = self.sex {
            filter = filter.with(DimensionId::Sex, [sex.code()]);
        }
        if !self.age.is_empty() {
            filter = filter.with(DimensionId::AgeGroup, self.age.iter().copied());
        }
        if let Some((dimension, code)) = self.person {
            filter = filter.with(dimension, [code]);
        }
        filter
    }

    /// These choices as tiles of families without splits can honour
    /// them: without a period or person attribute unless `split` (see
    /// [`splits_offered`]); their filters then say they are unavailable.
    pub fn offered(&self, split: bool) -> Filters {
        if split {
            self.clone()
        } else {
            Filters {
                period: None,
                person: None,
                ..self.clone()
            }
        }
    }

    /// The tile these choices read: the measure's family, split by the
    /// person attribute in use — the part of its value.
    pub fn tile(&self) -> TileRef {
        self.tile_of(self.measure.def().family().id)
    }

    /// The tile of `family` these choices read: split by the period or
    /// the person attribute in use, and of that split tile the part
    /// holding the chosen period or value (the whole split tile while
    /// the value is still to be chosen).
    pub fn tile_of(&self, family: TileFamilyId) -> TileRef {
        let kind = TileKind {
            family,
            split: self.split().map_or(Split::None, |(_, split)| split),
        };
        match self.restriction() {
            Some(code) => TileRef::part(kind, code),
            None => kind.into(),
        }
    }

    /// The code of the period or person attribute in use, once chosen.
    pub fn restriction(&self) -> Option<u16> {
        match (self.period, self.person) {
            (Some((_, code)), _) => Some(code),
            (None, Some((_, code))) if code != FIRST_VALUE => Some(code),
            _ => None,
        }
    }

    /// The restriction that needs a split tile, if any: the period, or
    /// the person attribute (never both), with that tile's split.
    pub fn split(&self) -> Option<(DimensionId, Split)> {
        let dimension = match (self.period, self.person) {
            (Some((d, _)), _) => d,
            (None, Some((d, _))) => d,
            (None, None) => return None,
        };
        Split::of(dimension).map(|split| (dimension, split))
    }
}

/// Whether every one of `measures` has tiles split by period and by
/// each person attribute (the medicines measures, by practice, have
/// not).
pub fn splits_offered(measures: impl IntoIterator<Item = MeasureId>) -> bool {
    measures
        .into_iter()
        .all(|m| m.def().family().splits.len() == Split::ALL.len())
}

/// Everything the URL carries besides the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewState {
    /// Display language.
    pub lang: Lang,
    /// Filters.
    pub filters: Filters,
    /// The advanced tool's charts (one to four).
    pub charts: Vec<report::ChartSpec>,
}

impl Default for ViewState {
    fn default() -> ViewState {
        ViewState {
            lang: Lang::default(),
            filters: Filters::default(),
            charts: report::default_report(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_ranges_are_labelled_from_their_groups() {
        assert_eq!(age_range_label(&[3, 4, 5], Lang::Da), "65+ år");
        assert_eq!(age_range_label(&[3, 4, 5], Lang::En), "65+ years");
        assert_eq!(age_range_label(&[1], Lang::Da), "0-17 år");
        assert_eq!(age_range_label(&[4], Lang::Da), "75-84 år");
        assert_eq!(age_range_label(&[2, 3], Lang::Da), "18-74 år");
        assert_eq!(age_range_label(&[], Lang::Da), "");
    }

    #[test]
    fn a_period_reads_its_split_tile_and_pins_the_period() {
        let filters = Filters {
            period: Some((DimensionId::Quarter, 2)),
            measure: MeasureId::Admissions,
            ..Filters::default()
        };
        // The quarter tile's part of the second quarter.
        let quarters = TileKind {
            family: TileFamilyId::Hospital,
            split: Split::Quarter,
        };
        assert_eq!(filters.tile(), TileRef::part(quarters, 2));
        assert_eq!(filters.tile().key(), "hospital.quarter=2");
        assert_eq!(
            filters.population_filter(2024),
            Filter::all()
                .with(DimensionId::Year, [2024])
                .with(DimensionId::Quarter, [2])
        );
        assert_eq!(Filters::default().split(), None);
        // A month: the month tile's part of that month.
        let may = Filters {
            period: Some((DimensionId::Month, 5)),
            ..filters
        };
        assert_eq!(may.tile().key(), "hospital.month=5");
        assert_eq!(may.split(), Some((DimensionId::Month, Split::Month)));
        assert_eq!(
            may.population_filter(2024),
            Filter::all()
                .with(DimensionId::Year, [2024])
                .with(DimensionId::Month, [5])
        );
        assert!(is_period(DimensionId::Month, 12));
        assert!(!is_period(DimensionId::Month, 13));
        assert!(!is_period(DimensionId::Quarter, 5));
        assert!(!is_period(DimensionId::Sex, 1));
    }

    #[test]
    fn a_person_attribute_reads_the_part_of_its_value_once_chosen() {
        let clusters = TileKind {
            family: TileFamilyId::Geography,
            split: Split::GpCluster,
        };
        let chosen = Filters {
            person: Some((DimensionId::GpCluster, 7)),
            ..Filters::default()
        };
        assert_eq!(chosen.tile(), TileRef::part(clusters, 7));
        // A cluster still to be chosen: the whole split tile, whose
        // clusters the filter offers.
        let unchosen = Filters {
            person: Some((DimensionId::GpCluster, FIRST_VALUE)),
            ..Filters::default()
        };
        assert_eq!(unchosen.tile(), TileRef::from(clusters));
        assert_eq!(
            Filters::default().tile(),
            TileRef::from(TileKind::from(TileFamilyId::Geography))
        );
    }

    #[test]
    fn the_age_range_filters_the_age_groups() {
        let filters = Filters {
            age: vec![3, 4, 5],
            ..Filters::default()
        };
        assert_eq!(
            filters.population_filter(2024),
            Filter::all()
                .with(DimensionId::Year, [2024])
                .with(DimensionId::AgeGroup, [3, 4, 5])
        );
    }
}
