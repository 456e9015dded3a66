//! Quantities and measures.
//!
//! A *quantity* is an additive count stored in tiles (citizens, GP
//! contacts): summing it over any set of cells is meaningful. A *measure* is
//! what users see: a quantity, or a ratio of two quantities with a scale.
//! Ratios are always computed from summed numerators and denominators after
//! filtering, never by averaging ratios; [`Measure::evaluate`] is the one
//! formula both the backend and the browser use.

use serde::{Deserialize, Serialize};

use crate::register::RegisterId;
use crate::text::Text;

/// An additive quantity stored as a tile column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuantityId {
    /// Persons resident at the end of the year.
    Citizens,
    /// Contacts with general practice (all contact types).
    GpContacts,
}

/// What a quantity counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Counted {
    /// Distinct persons.
    Persons,
    /// Events (contacts, stays, redemptions).
    Events,
}

/// The definition of a quantity.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Quantity {
    /// Identifier.
    pub id: QuantityId,
    /// Tile column name.
    pub column: &'static str,
    /// Label.
    pub label: Text,
    /// Persons or events.
    pub counted: Counted,
    /// How the backend derives it from the registers.
    pub derivation: Text,
    /// Registers it is computed from.
    pub sources: &'static [RegisterId],
}

/// Every quantity.
pub const QUANTITIES: &[Quantity] = &[
    Quantity {
        id: QuantityId::Citizens,
        column: "citizens",
        label: Text { da: "Borgere", en: "Citizens" },
        counted: Counted::Persons,
        derivation: Text {
            da: "Personer i CPR-udtrækket med bopæl i en af de 98 kommuner, født senest i året; alder ved årets udgang.",
            en: "Persons in the CPR extract resident in one of the 98 municipalities, born no later than the year; age at the end of the year.",
        },
        sources: &[RegisterId::Cpr],
    },
    Quantity {
        id: QuantityId::GpContacts,
        column: "gp_contacts",
        label: Text { da: "Kontakter til almen praksis", en: "Contacts with general practice" },
        counted: Counted::Events,
        derivation: Text {
            da: "Ydelser i Sygesikringsregistret (SSR) i året, alle kontakttyper, for borgere i CPR-udtrækket.",
            en: "Services in the National Health Insurance Service Register (SSR) in the year, all contact types, for citizens in the CPR extract.",
        },
        sources: &[RegisterId::Ssr],
    },
];

impl QuantityId {
    /// The catalogue entry.
    pub fn def(self) -> &'static Quantity {
        QUANTITIES
            .iter()
            .find(|q| q.id == self)
            .expect("every QuantityId has a catalogue entry")
    }
}

/// How a ratio is scaled for display.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// The plain count.
    Count,
    /// Numerator per 1,000 of the denominator.
    PerThousand,
    /// Numerator as a percentage of the denominator.
    Percent,
}

impl Scale {
    /// The factor a ratio is multiplied by.
    pub fn factor(self) -> f64 {
        match self {
            Scale::Count => 1.0,
            Scale::PerThousand => 1000.0,
            Scale::Percent => 100.0,
        }
    }
}

/// A measure of the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureId {
    /// Number of citizens.
    Citizens,
    /// GP contacts per 1,000 citizens.
    GpContactsPer1000,
}

/// The definition of a measure.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Measure {
    /// Identifier.
    pub id: MeasureId,
    /// Stable key, used in URLs and the API.
    pub key: &'static str,
    /// Label.
    pub label: Text,
    /// Unit, as shown next to values.
    pub unit: Text,
    /// What the measure means, for "Om data".
    pub description: Text,
    /// The summed quantity on top of the fraction.
    pub numerator: QuantityId,
    /// The summed quantity below it, for ratios.
    pub denominator: Option<QuantityId>,
    /// Scale applied to the ratio.
    pub scale: Scale,
    /// Decimals shown.
    pub decimals: usize,
}

/// Every measure, in catalogue order.
pub const MEASURES: &[Measure] = &[
    Measure {
        id: MeasureId::Citizens,
        key: "citizens",
        label: Text { da: "Borgere", en: "Citizens" },
        unit: Text { da: "personer", en: "persons" },
        description: Text {
            da: "Antal borgere med bopæl i området ved årets udgang.",
            en: "Number of citizens resident in the area at the end of the year.",
        },
        numerator: QuantityId::Citizens,
        denominator: None,
        scale: Scale::Count,
        decimals: 0,
    },
    Measure {
        id: MeasureId::GpContactsPer1000,
        key: "gp_contacts_per_1000",
        label: Text {
            da: "Kontakter til almen praksis pr. 1.000 borgere",
            en: "GP contacts per 1,000 citizens",
        },
        unit: Text { da: "pr. 1.000 borgere", en: "per 1,000 citizens" },
        description: Text {
            da: "Alle kontakter til almen praksis (konsultation, telefon, e-mail, video, sygebesøg m.m.) i året, pr. 1.000 borgere i den valgte befolkning.",
            en: "All contacts with general practice (consultation, phone, e-mail, video, home visit etc.) in the year, per 1,000 citizens of the selected population.",
        },
        numerator: QuantityId::GpContacts,
        denominator: Some(QuantityId::Citizens),
        scale: Scale::PerThousand,
        decimals: 1,
    },
];

impl MeasureId {
    /// The catalogue entry.
    pub fn def(self) -> &'static Measure {
        MEASURES
            .iter()
            .find(|m| m.id == self)
            .expect("every MeasureId has a catalogue entry")
    }

    /// Looks a measure up by its stable key.
    pub fn from_key(key: &str) -> Option<MeasureId> {
        MEASURES.iter().find(|m| m.key == key).map(|m| m.id)
    }
}

impl Measure {
    /// The quantities this measure reads, numerator first.
    pub fn quantities(&self) -> Vec<QuantityId> {
        let mut q = vec![self.numerator];
        q.extend(self.denominator);
        q
    }

    /// The measure's value from summed numerator and denominator. `None`
    /// when a ratio has an empty denominator.
    pub fn evaluate(&self, numerator: u64, denominator: Option<u64>) -> Option<f64> {
        match (self.denominator, denominator) {
            (None, _) => Some(numerator as f64 * self.scale.factor()),
            (Some(_), Some(d)) if d > 0 => Some(numerator as f64 / d as f64 * self.scale.factor()),
            (Some(_), _) => None,
        }
    }

    /// The formula in words, over tile columns, e.g.
    /// `sum(gp_contacts) / sum(citizens) × 1000`.
    pub fn formula(&self) -> String {
        let num = self.numerator.def().column;
        match (self.denominator.map(|d| d.def().column), self.scale) {
            (None, _) => format!("sum({num})"),
            (Some(den), Scale::Count) => format!("sum({num}) / sum({den})"),
            (Some(den), scale) => format!("sum({num}) / sum({den}) × {}", scale.factor()),
        }
    }

    /// Registers the measure is computed from.
    pub fn sources(&self) -> Vec<RegisterId> {
        let mut s: Vec<RegisterId> = self
            .quantities()
            .iter()
            .flat_map(|q| q.def().sources.iter().copied())
            .collect();
        s.sort();
        s.dedup();
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_is_computed_from_sums() {
        let m = MeasureId::GpContactsPer1000.def();
        assert_eq!(m.evaluate(7_000, Some(1_000)), Some(7_000.0));
        assert_eq!(m.evaluate(3, Some(4)), Some(750.0));
        assert_eq!(m.evaluate(3, Some(0)), None);
        assert_eq!(m.evaluate(3, None), None);
    }

    #[test]
    fn formulas_name_the_tile_columns() {
        assert_eq!(MeasureId::Citizens.def().formula(), "sum(citizens)");
        assert_eq!(
            MeasureId::GpContactsPer1000.def().formula(),
            "sum(gp_contacts) / sum(citizens) × 1000"
        );
    }

    #[test]
    fn count_measure_ignores_denominator() {
        assert_eq!(MeasureId::Citizens.def().evaluate(42, None), Some(42.0));
    }

    #[test]
    fn every_measure_is_reachable_by_key_and_has_sources() {
        for m in MEASURES {
            assert_eq!(MeasureId::from_key(m.key), Some(m.id));
            assert!(!m.sources().is_empty(), "{}", m.key);
            assert!(!m.label.da.is_empty() && !m.label.en.is_empty());
        }
    }

    #[test]
    fn quantity_columns_are_unique() {
        let mut cols: Vec<_> = QUANTITIES.iter().map(|q| q.column).collect();
        cols.sort_unstable();
        cols.dedup();
        assert_eq!(cols.len(), QUANTITIES.len());
    }
}
