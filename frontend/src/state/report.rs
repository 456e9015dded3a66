//! A report of the advanced tool: up to four charts, each a measure on a
//! scale, broken down by a dimension and drawn as bars, a map or a table,
//! over the filters of the view. A report is a plain, serialisable value:
//! the address carries it (`chart=gp_contacts.per_1000.region.bar`, once
//! per chart, in order), and a saved report is the same value.

use serde::{Deserialize, Serialize};
use shared::measure::Scale;
use shared::tile::{Split, TileKind};
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
            ChartKind::Line => by == DimensionId::Year,
            ChartKind::Stacked => by != DimensionId::Sex && scale == Scale::Count,
            ChartKind::Bar | ChartKind::Table => true,
        }
    }

    /// How a chart broken down by `by` is drawn when the user has not
    /// said: a line through the years, else bars.
    pub fn default_for(by: DimensionId) -> ChartKind {
        if by == DimensionId::Year {
            ChartKind::Line
        } else {
            ChartKind::Bar
        }
    }
}

/// What a chart can be broken down by, in the order the tool offers them:
/// the years, the geographies, sex and age from every tile, then the
/// person attributes, each from its split tile.
pub const BREAKDOWNS: [DimensionId; 13] = [
    DimensionId::Year,
    DimensionId::Quarter,
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
];

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
    /// The person attribute (or the quarter) the view is restricted by.
    pub filter: DimensionId,
}

impl Conflict {
    /// What to tell the user.
    pub fn message(self, lang: Lang) -> String {
        let (by, filter) = (
            self.by.def().label.get(lang),
            self.filter.def().label.get(lang),
        );
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
    /// The scale in force: the chosen one if the measure offers it, else
    /// the measure's default.
    pub fn scale(&self) -> Scale {
        self.measure.def().scale_or_default(self.scale)
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
    pub fn tile(&self, filters: &Filters) -> Result<TileKind, Conflict> {
        let family = self.measure.def().family().id;
        let by = Split::of(self.by).map(|split| (self.by, split));
        let filter = filters.split();
        let split = match (by, filter) {
            (Some((by, a)), Some((filter, b))) if a != b => return Err(Conflict { by, filter }),
            (Some((_, split)), _) | (None, Some((_, split))) => split,
            (None, None) => Split::None,
        };
        Ok(TileKind { family, split })
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
    /// measures have none).
    pub fn offers(measure: MeasureId, by: DimensionId) -> bool {
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
    fn a_chart_round_trips_through_its_address_form() {
        for measure in [MeasureId::GpContacts, MeasureId::MeanLengthOfStay] {
            for scale in measure.def().scales.iter().copied().map(Some).chain([None]) {
                for by in BREAKDOWNS {
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
        assert_eq!(
            spec.tile(&none),
            Ok(TileKind {
                family,
                split: Split::of(DimensionId::CivilStatus).expect("a split")
            })
        );
        let same = Filters {
            person: Some((DimensionId::CivilStatus, 2)),
            ..Filters::default()
        };
        assert!(spec.tile(&same).is_ok());
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
        assert_eq!(
            by_region.tile(&other),
            Ok(TileKind {
                family,
                split: Split::of(DimensionId::TargetGroup).expect("a split")
            })
        );
    }
}
