//! A report of the advanced tool: up to four charts, each a measure on a
//! scale, broken down by a dimension and drawn as bars, a map or a table,
//! over the filters of the view. A report is a plain, serialisable value:
//! the address carries it (`chart=gp_contacts.per_1000.region.bar`, once
//! per chart, in order), and a saved report is the same value.

use serde::{Deserialize, Serialize};
use shared::measure::Scale;
use shared::tile::{Split, TileFamily, TileKind, TileRef, TILE_FAMILIES};
use shared::{DimensionId, Lang, MeasureId, Text};

use super::Filters;

/// At most this many charts in a report (a dashboard of four).
pub const MAX_CHARTS: usize = 4;

/// How a chart is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Bars, one per value of the breakdown.
    Bar,
    /// A choropleth map (municipalities or regions only).
    Map,
    /// A table.
    Table,
    /// A line through the years (a time series).
    Line,
    /// Stacked bars: each category's count as men and women (counts
    /// only, as only they add up).
    Stacked,
}

impl ChartKind {
    /// Every kind, in the order the tool offers them.
    pub const ALL: [ChartKind; 5] = [
        ChartKind::Bar,
        ChartKind::Stacked,
        ChartKind::Line,
        ChartKind::Map,
        ChartKind::Table,
    ];

    /// Key in the address.
    pub fn key(self) -> &'static str {
        match self {
            ChartKind::Bar => "bar",
            ChartKind::Map => "map",
            ChartKind::Table => "table",
            ChartKind::Line => "line",
            ChartKind::Stacked => "stacked",
        }
    }

    /// The kind with `key`.
    pub fn from_key(key: &str) -> Option<ChartKind> {
        ChartKind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// Label in the tool.
    pub fn label(self) -> Text {
        match self {
            ChartKind::Bar => Text {
                da: "Søjlediagram",
                en: "Bar chart",
            },
            ChartKind::Stacked => Text {
                da: "Stablede søjler",
                en: "Stacked bars",
            },
            ChartKind::Map => Text {
                da: "Kort",
                en: "Map",
            },
            ChartKind::Table => Text {
                da: "Tabel",
                en: "Table",
            },
            ChartKind::Line => Text {
                da: "Udvikling over tid",
                en: "Development over time",
            },
        }
    }

    /// Whether a chart broken down by `by` on `scale` can be drawn this
    /// way: a map needs municipalities or regions, a line the years, and
    /// stacked bars (men and women) counts of another breakdown than sex.
    pub fn fits(self, by: DimensionId, scale: Scale) -> bool {
        match self {
            ChartKind::Map => matches!(by, DimensionId::Municipality | DimensionId::Region),
            ChartKind::Line => {
                matches!(
                    by,
                    DimensionId::Year | DimensionId::Quarter | DimensionId::Month
                )
            }
            ChartKind::Stacked => by != DimensionId::Sex && scale == Scale::Count,
            ChartKind::Bar | ChartKind::Table => true,
        }
    }

    /// How a chart broken down by `by` is drawn when the user has not
    /// said: a line through the years or the months, else bars.
    pub fn default_for(by: DimensionId) -> ChartKind {
        if matches!(by, DimensionId::Year | DimensionId::Month) {
            ChartKind::Line
        } else {
            ChartKind::Bar
        }
    }
}

/// What a chart can be broken down by, in the order the tool offers them:
/// the years, the geographies, sex and age from every tile, then the
/// person attributes, each from its split tile, then the hospitals and the groups of
/// hospital contacts, each from its tile of hospital activity
/// ([`activity_family`]).
pub const BREAKDOWNS: [DimensionId; 18] = [
    DimensionId::Year,
    DimensionId::Quarter,
    DimensionId::Month,
    DimensionId::Region,
    DimensionId::HealthCluster,
    DimensionId::Municipality,
    DimensionId::Sex,
    DimensionId::AgeGroup,
    DimensionId::AgeBand,
    DimensionId::TargetGroup,
    DimensionId::GpCluster,
    DimensionId::CivilStatus,
    DimensionId::NursingHome,
    DimensionId::CprStatus,
    DimensionId::Hospital,
    DimensionId::DiagnosisGroup,
    DimensionId::Specialty,
    DimensionId::DepartmentType,
];

/// The tile family a breakdown by hospital or by a group of hospital
/// contacts (diagnosis group, specialty, department type) reads instead of
/// the measure's: the country's hospital activity by hospital or by that
/// group, age and sex. `None` for every other breakdown.
pub fn activity_family(by: DimensionId) -> Option<&'static TileFamily> {
    matches!(
        by,
        DimensionId::Hospital
            | DimensionId::DiagnosisGroup
            | DimensionId::Specialty
            | DimensionId::DepartmentType
    )
    .then(|| TILE_FAMILIES.iter().find(|f| f.dimension == by))
    .flatten()
}

/// The scales of `measure` a chart broken down by `by` can show: all of
/// them, but from a tile of hospital activity only those whose quantities
/// it has (no citizens, so no rate per 1,000 citizens).
fn scales_of(measure: MeasureId, by: DimensionId) -> Vec<Scale> {
    let def = measure.def();
    def.scales
        .iter()
        .copied()
        .filter(|s| {
            activity_family(by)
                .is_none_or(|f| def.quantities(*s).iter().all(|q| f.quantities.contains(q)))
        })
        .collect()
}

/// One chart of a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChartSpec {
    /// The measure.
    pub measure: MeasureId,
    /// Its scale; `None` for the measure's default.
    pub scale: Option<Scale>,
    /// The breakdown: one of [`BREAKDOWNS`].
    pub by: DimensionId,
    /// How it is drawn.
    pub kind: ChartKind,
}

/// Why a chart cannot be drawn with the filters in force.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// The person attribute the chart is broken down by.
    pub by: DimensionId,
    /// The person attribute (or the period) the view is restricted by.
    pub filter: DimensionId,
}

impl Conflict {
    /// What to tell the user.
    pub fn message(self, lang: Lang) -> String {
        let (by, filter) = (
            self.by.def().label.get(lang),
            self.filter.def().label.get(lang),
        );
        if self.by == DimensionId::Hospital && self.filter == DimensionId::Municipality {
            return match lang {
                Lang::Da => format!(
                    "Sygehusaktivitet efter sygehus opgøres for hele landet eller for en \
                     regions eller sundhedsklynges sygehuse og kan ikke afgrænses efter {}. \
                     Vælg hele landet, en region eller en sundhedsklynge, eller vælg en \
                     anden opdeling.",
                    filter.to_lowercase()
                ),
                Lang::En => format!(
                    "Hospital activity by hospital is counted for the whole country or the \
                     hospitals of a region or health cluster and cannot be restricted by {}. \
                     Choose the whole country, a region or a health cluster, or another \
                     breakdown.",
                    filter.to_lowercase()
                ),
            };
        }
        if activity_family(self.by).is_some() {
            return match lang {
                Lang::Da => format!(
                    "Sygehusaktivitet efter {} opgøres for hele landet og kan ikke \
                     afgrænses efter {}. Vælg hele landet, eller vælg en anden opdeling.",
                    by.to_lowercase(),
                    filter.to_lowercase()
                ),
                Lang::En => format!(
                    "Hospital activity by {} is counted for the whole country and cannot \
                     be restricted by {}. Choose the whole country, or another breakdown.",
                    by.to_lowercase(),
                    filter.to_lowercase()
                ),
            };
        }
        match lang {
            Lang::Da => format!(
                "En opdeling efter {} kan ikke kombineres med en afgrænsning efter {}: \
                 hver af dem har sin egen tabel. Vælg en anden opdeling, \
                 eller fjern afgrænsningen.",
                by.to_lowercase(),
                filter.to_lowercase()
            ),
            Lang::En => format!(
                "A breakdown by {} cannot be combined with a restriction by {}: each \
                 has a table of its own. Choose another breakdown, or \
                 remove the restriction.",
                by.to_lowercase(),
                filter.to_lowercase()
            ),
        }
    }
}

impl ChartSpec {
    /// The scale in force: the chosen one if the chart offers it (see
    /// [`ChartSpec::scales`]), else the measure's default if it does, else
    /// the first it offers.
    pub fn scale(&self) -> Scale {
        let scales = self.scales();
        let default = self.measure.def().default_scale();
        self.scale
            .filter(|s| scales.contains(s))
            .or_else(|| scales.contains(&default).then_some(default))
            .or_else(|| scales.first().copied())
            .unwrap_or(default)
    }

    /// The scales the chart offers: the measure's, less those its tile
    /// cannot compute (see [`activity_family`]).
    pub fn scales(&self) -> Vec<Scale> {
        scales_of(self.measure, self.by)
    }

    /// The kind in force: the chosen one where it fits, else the
    /// breakdown's default.
    pub fn kind(&self) -> ChartKind {
        if self.kind.fits(self.by, self.scale()) {
            self.kind
        } else {
            ChartKind::default_for(self.by)
        }
    }

    /// The tile the chart reads with `filters`: its measure's family,
    /// split by the person attribute it is broken down by or restricted
    /// by — which cannot be two different ones.
    ///
    /// A breakdown by a group of hospital contacts reads its tile of
    /// hospital activity, which is the country's and has no periods or
    /// person attributes: an area, a period or a person attribute
    /// conflicts with it.
    ///
    /// Restricted by the person attribute or period, not broken down by
    /// it, the chart reads the split tile's part of that value.
    pub fn tile(&self, filters: &Filters) -> Result<TileRef, Conflict> {
        if let Some(family) = activity_family(self.by) {
            // The tile by hospital knows where each hospital is: a region
            // or a health cluster shows its own hospitals.
            let own = |d: &DimensionId| {
                self.by == DimensionId::Hospital
                    && matches!(d, DimensionId::Region | DimensionId::HealthCluster)
            };
            let restriction = filters
                .area
                .filter()
                .map(|(d, _)| d)
                .filter(|d| !own(d))
                .or_else(|| filters.split().map(|(d, _)| d));
            return match restriction {
                Some(filter) => Err(Conflict {
                    by: self.by,
                    filter,
                }),
                None => Ok(TileKind::from(family.id).into()),
            };
        }
        let family = self.measure.def().family().id;
        let by = Split::of(self.by).map(|split| (self.by, split));
        let filter = filters.split();
        let (split, part) = match (by, filter) {
            (Some((by, a)), Some((filter, b))) if a != b => return Err(Conflict { by, filter }),
            (Some((_, split)), _) => (split, None),
            (None, Some((_, split))) => (split, filters.restriction()),
            (None, None) => (Split::None, None),
        };
        let kind = TileKind { family, split };
        Ok(part.map_or(kind.into(), |code| TileRef::part(kind, code)))
    }

    /// The address form: `measure.scale.by.kind`, the scale empty for the
    /// measure's default.
    pub fn render(&self) -> String {
        let scale = self
            .scale
            .filter(|s| *s != self.measure.def().default_scale())
            .map_or("", |s| s.key());
        format!(
            "{}.{scale}.{}.{}",
            self.measure.def().key,
            self.by.key(),
            self.kind.key()
        )
    }

    /// Whether `measure`'s tiles can be broken down by `by`: a breakdown
    /// by a split needs the family's tile of that split (the medicines
    /// measures have none), and one by a group of hospital contacts a
    /// scale of the measure its tile of hospital activity can compute.
    pub fn offers(measure: MeasureId, by: DimensionId) -> bool {
        if activity_family(by).is_some() {
            return !scales_of(measure, by).is_empty();
        }
        Split::of(by).is_none_or(|split| measure.def().family().splits.contains(&split))
    }

    /// Reads the address form; `None` for anything not a valid chart.
    pub fn parse(value: &str) -> Option<ChartSpec> {
        let mut parts = value.split('.');
        let measure = MeasureId::from_key(parts.next()?).filter(|m| m.def().by_residence())?;
        let scale = match parts.next()? {
            "" => None,
            key => Some(Scale::from_key(key).filter(|s| measure.def().scales.contains(s))?),
        };
        let by_key = parts.next()?;
        let by = BREAKDOWNS
            .into_iter()
            .find(|d| d.key() == by_key && ChartSpec::offers(measure, *d))?;
        let kind = ChartKind::from_key(parts.next()?)?;
        if parts.next().is_some() {
            return None;
        }
        let scale = scale.filter(|s| *s != measure.def().default_scale());
        Some(ChartSpec {
            measure,
            scale,
            by,
            kind,
        })
    }
}

/// The report the tool opens with when the address names no chart: GP
/// contacts on the map and by age, hospital admissions by region and by
/// sex.
pub fn default_report() -> Vec<ChartSpec> {
    let chart = |measure, by, kind| ChartSpec {
        measure,
        scale: None,
        by,
        kind,
    };
    vec![
        chart(
            MeasureId::GpContacts,
            DimensionId::Municipality,
            ChartKind::Map,
        ),
        chart(MeasureId::GpContacts, DimensionId::AgeGroup, ChartKind::Bar),
        chart(MeasureId::Admissions, DimensionId::Region, ChartKind::Bar),
        chart(MeasureId::Admissions, DimensionId::Sex, ChartKind::Table),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_breakdown_by_diagnosis_group_reads_the_countrys_hospital_activity() {
        let spec = |measure, scale| ChartSpec {
            measure,
            scale,
            by: DimensionId::DiagnosisGroup,
            kind: ChartKind::Table,
        };
        let admissions = spec(MeasureId::Admissions, None);
        assert_eq!(
            admissions.tile(&Filters::default()),
            Ok(TileKind::from(shared::TileFamilyId::ByDiagnosis).into())
        );
        // No citizens in that tile: counts, not rates per 1,000 citizens,
        // even when a rate is asked for.
        assert!(MeasureId::Admissions
            .def()
            .scales
            .contains(&Scale::PerThousand));
        assert_eq!(admissions.scales(), vec![Scale::Count]);
        let asked = spec(MeasureId::Admissions, Some(Scale::PerThousand));
        assert_eq!(asked.scale(), Scale::Count);
        // A mean length of stay has its numerator and denominator there.
        let mean = spec(MeasureId::MeanLengthOfStay, None);
        assert_eq!(
            mean.scale(),
            MeasureId::MeanLengthOfStay.def().default_scale()
        );
        // Measures of other sectors, and citizens, are not offered.
        assert!(!ChartSpec::offers(
            MeasureId::GpContacts,
            DimensionId::Specialty
        ));
        assert!(ChartSpec::offers(
            MeasureId::HospitalContacts,
            DimensionId::Specialty
        ));
        assert!(ChartSpec::parse("gp_contacts..specialty.bar").is_none());
        // An area, a quarter or a person attribute conflicts with it.
        let conflict = |filters: Filters| admissions.tile(&filters).map_err(|c| c.filter);
        let area = Filters {
            area: crate::state::Area::Municipality(101),
            ..Filters::default()
        };
        assert_eq!(conflict(area), Err(DimensionId::Municipality));
        let quarter = Filters {
            period: Some((DimensionId::Quarter, 2)),
            ..Filters::default()
        };
        assert_eq!(conflict(quarter), Err(DimensionId::Quarter));
        let month = Filters {
            period: Some((DimensionId::Month, 2)),
            ..Filters::default()
        };
        assert_eq!(conflict(month), Err(DimensionId::Month));
        let person = Filters {
            person: Some((DimensionId::NursingHome, 2)),
            ..Filters::default()
        };
        assert_eq!(conflict(person), Err(DimensionId::NursingHome));
        let message = admissions
            .tile(&Filters {
                area: crate::state::Area::Region(1081),
                ..Filters::default()
            })
            .map_err(|c| c.message(Lang::Da));
        assert_eq!(
            message,
            Err(
                "Sygehusaktivitet efter diagnosegruppe opgøres for hele landet og kan ikke \
                 afgrænses efter region. Vælg hele landet, eller vælg en anden opdeling."
                    .to_string()
            )
        );
        // A breakdown by hospital takes a region (its own hospitals), not
        // a municipality.
        let by_hospital = ChartSpec {
            by: DimensionId::Hospital,
            ..admissions
        };
        let region = Filters {
            area: crate::state::Area::Region(1082),
            ..Filters::default()
        };
        assert_eq!(
            by_hospital.tile(&region),
            Ok(TileKind::from(shared::TileFamilyId::ByHospital).into())
        );
        let municipality = by_hospital
            .tile(&Filters {
                area: crate::state::Area::Municipality(751),
                ..Filters::default()
            })
            .map_err(|c| c.message(Lang::Da));
        assert_eq!(
            municipality,
            Err(
                "Sygehusaktivitet efter sygehus opgøres for hele landet eller for en regions \
                 eller sundhedsklynges sygehuse og kan ikke afgrænses efter kommune. Vælg \
                 hele landet, en region eller en sundhedsklynge, eller vælg en anden opdeling."
                    .to_string()
            )
        );
        let cluster = Filters {
            area: crate::state::Area::HealthCluster(3),
            ..Filters::default()
        };
        assert!(by_hospital.tile(&cluster).is_ok());
        // A diagnosis group has no place: a region conflicts.
        assert_eq!(conflict(region.clone()), Err(DimensionId::Region));
        // Sex and age are in the tile: no conflict.
        let women_65 = Filters {
            sex: Some(shared::dimension::Sex::Female),
            age: vec![3, 4, 5],
            ..Filters::default()
        };
        assert!(admissions.tile(&women_65).is_ok());
    }

    #[test]
    fn a_chart_round_trips_through_its_address_form() {
        for measure in [MeasureId::GpContacts, MeasureId::MeanLengthOfStay] {
            for scale in measure.def().scales.iter().copied().map(Some).chain([None]) {
                for by in BREAKDOWNS
                    .into_iter()
                    .filter(|by| ChartSpec::offers(measure, *by))
                {
                    for kind in ChartKind::ALL {
                        let spec = ChartSpec {
                            measure,
                            scale: scale.filter(|s| *s != measure.def().default_scale()),
                            by,
                            kind,
                        };
                        assert_eq!(ChartSpec::parse(&spec.render()), Some(spec));
                    }
                }
            }
        }
        assert_eq!(
            ChartSpec::parse("gp_contacts..region.bar").map(|s| s.render()),
            Some("gp_contacts..region.bar".to_string())
        );
    }

    #[test]
    fn rejects_what_is_no_chart() {
        for bad in [
            "",
            "gp_contacts",
            "nope..region.bar",
            "gp_contacts..practice.bar",
            "gp_contacts..region.pie",
            "gp_contacts..region.bar.extra",
            "mean_length_of_stay.count.region.bar",
        ] {
            assert_eq!(ChartSpec::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_map_needs_municipalities_or_regions() {
        let spec = |by| ChartSpec {
            measure: MeasureId::GpContacts,
            scale: None,
            by,
            kind: ChartKind::Map,
        };
        assert_eq!(spec(DimensionId::Municipality).kind(), ChartKind::Map);
        assert_eq!(spec(DimensionId::Region).kind(), ChartKind::Map);
        assert_eq!(spec(DimensionId::Sex).kind(), ChartKind::Bar);
        assert_eq!(spec(DimensionId::Year).kind(), ChartKind::Line);
        let line = |by| ChartSpec {
            kind: ChartKind::Line,
            ..spec(by)
        };
        assert_eq!(line(DimensionId::Year).kind(), ChartKind::Line);
        assert_eq!(line(DimensionId::Region).kind(), ChartKind::Bar);
        // The periods of a year can be drawn as a line; months are by
        // default, quarters as bars.
        assert_eq!(line(DimensionId::Quarter).kind(), ChartKind::Line);
        assert_eq!(ChartKind::default_for(DimensionId::Month), ChartKind::Line);
        assert_eq!(ChartKind::default_for(DimensionId::Quarter), ChartKind::Bar);
    }

    #[test]
    fn only_counts_are_stacked_and_never_by_sex() {
        let stacked = |scale, by| ChartSpec {
            measure: MeasureId::GpContacts,
            scale: Some(scale),
            by,
            kind: ChartKind::Stacked,
        };
        let counts = stacked(Scale::Count, DimensionId::Region);
        assert_eq!(counts.kind(), ChartKind::Stacked);
        assert_eq!(ChartSpec::parse(&counts.render()), Some(counts));
        assert_eq!(counts.render(), "gp_contacts.count.region.stacked");
        assert_eq!(
            stacked(Scale::PerThousand, DimensionId::Region).kind(),
            ChartKind::Bar
        );
        assert_eq!(
            stacked(Scale::Count, DimensionId::Sex).kind(),
            ChartKind::Bar
        );
    }

    #[test]
    fn a_chart_reads_the_split_of_its_breakdown_or_of_the_filter_never_two() {
        let spec = ChartSpec {
            measure: MeasureId::GpContacts,
            scale: None,
            by: DimensionId::CivilStatus,
            kind: ChartKind::Bar,
        };
        let family = MeasureId::GpContacts.def().family().id;
        let none = Filters::default();
        let civil_status = TileKind {
            family,
            split: Split::of(DimensionId::CivilStatus).expect("a split"),
        };
        assert_eq!(spec.tile(&none), Ok(civil_status.into()));
        // Broken down by the attribute it is restricted by: the whole
        // split tile, every value.
        let same = Filters {
            person: Some((DimensionId::CivilStatus, 2)),
            ..Filters::default()
        };
        assert_eq!(spec.tile(&same), Ok(civil_status.into()));
        let other = Filters {
            person: Some((DimensionId::TargetGroup, 1)),
            ..Filters::default()
        };
        assert_eq!(
            spec.tile(&other),
            Err(Conflict {
                by: DimensionId::CivilStatus,
                filter: DimensionId::TargetGroup
            })
        );
        let by_region = ChartSpec {
            by: DimensionId::Region,
            ..spec
        };
        // Restricted, not broken down: the part of the one target group.
        let target_groups = TileKind {
            family,
            split: Split::of(DimensionId::TargetGroup).expect("a split"),
        };
        assert_eq!(by_region.tile(&other), Ok(TileRef::part(target_groups, 1)));
        // By month: the whole month tile, with a month chosen too; a
        // quarter is another tile.
        let by_month = ChartSpec {
            by: DimensionId::Month,
            ..spec
        };
        let months = TileKind {
            family,
            split: Split::Month,
        };
        let may = Filters {
            period: Some((DimensionId::Month, 5)),
            ..Filters::default()
        };
        assert_eq!(by_month.tile(&may), Ok(months.into()));
        let second_quarter = Filters {
            period: Some((DimensionId::Quarter, 2)),
            ..Filters::default()
        };
        assert_eq!(
            by_month.tile(&second_quarter),
            Err(Conflict {
                by: DimensionId::Month,
                filter: DimensionId::Quarter
            })
        );
    }
}
