//! Dimensions: the ways a measure can be split and filtered.
//!
//! Every dimension value travels as a small unsigned code (`u16`) in tiles
//! and cubes; this module says what the codes mean.

use serde::{Deserialize, Serialize};

use crate::geography;
use crate::text::{Lang, Text};

/// A dimension of the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DimensionId {
    /// Calendar year.
    Year,
    /// Municipality of residence (three-digit code).
    Municipality,
    /// Region, a rollup of municipality (code 1081–1085).
    Region,
    /// Five-year age band, age at the end of the year.
    AgeBand,
    /// Sex (1 = male, 2 = female, as in Statistics Denmark's tables).
    Sex,
}

/// How the values of a dimension are obtained.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "from")]
pub enum Derivation {
    /// Stored as a key column in the tiles.
    Stored,
    /// Computed from another dimension's code (a rollup).
    RollupOf(DimensionId),
}

/// The definition of a dimension.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Dimension {
    /// Identifier.
    pub id: DimensionId,
    /// Stable key, used as the tile column name and in URLs.
    pub key: &'static str,
    /// Label.
    pub label: Text,
    /// Stored or derived.
    pub derivation: Derivation,
}

/// Every dimension, in catalogue order.
pub const DIMENSIONS: &[Dimension] = &[
    Dimension {
        id: DimensionId::Year,
        key: "year",
        label: Text {
            da: "År",
            en: "Year",
        },
        derivation: Derivation::Stored,
    },
    Dimension {
        id: DimensionId::Municipality,
        key: "municipality",
        label: Text {
            da: "Kommune",
            en: "Municipality",
        },
        derivation: Derivation::Stored,
    },
    Dimension {
        id: DimensionId::Region,
        key: "region",
        label: Text {
            da: "Region",
            en: "Region",
        },
        derivation: Derivation::RollupOf(DimensionId::Municipality),
    },
    Dimension {
        id: DimensionId::AgeBand,
        key: "age_band",
        label: Text {
            da: "Aldersgruppe",
            en: "Age group",
        },
        derivation: Derivation::Stored,
    },
    Dimension {
        id: DimensionId::Sex,
        key: "sex",
        label: Text {
            da: "Køn",
            en: "Sex",
        },
        derivation: Derivation::Stored,
    },
];

impl DimensionId {
    /// The catalogue entry.
    pub fn def(self) -> &'static Dimension {
        DIMENSIONS
            .iter()
            .find(|d| d.id == self)
            .expect("every DimensionId has a catalogue entry")
    }

    /// The stable key.
    pub fn key(self) -> &'static str {
        self.def().key
    }

    /// Maps a stored code of `from` to this dimension's code, for rollups.
    /// Returns `None` when this dimension is not a rollup of `from` or the
    /// code is unknown.
    pub fn rollup_code(self, from: DimensionId, code: u16) -> Option<u16> {
        match (self, from) {
            (a, b) if a == b => Some(code),
            (DimensionId::Region, DimensionId::Municipality) => geography::region_of(code),
            _ => None,
        }
    }

    /// A human label for one code of this dimension.
    pub fn value_label(self, code: u16, lang: Lang) -> String {
        match self {
            DimensionId::Year => code.to_string(),
            DimensionId::Municipality => geography::municipality(code)
                .map_or_else(|| code.to_string(), |m| m.name.to_string()),
            DimensionId::Region => geography::region(code)
                .map_or_else(|| code.to_string(), |r| r.short_name.to_string()),
            DimensionId::AgeBand => u8::try_from(code)
                .ok()
                .and_then(AgeBand::new)
                .map_or_else(|| code.to_string(), |b| b.label(lang)),
            DimensionId::Sex => Sex::from_code(code)
                .map_or_else(|| code.to_string(), |s| s.label().get(lang).to_string()),
        }
    }
}

/// Sex, as recorded in the CPR register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Male (code 1, "M" in extracts).
    Male,
    /// Female (code 2, "K" in extracts).
    Female,
}

impl Sex {
    /// Both sexes, in code order.
    pub const ALL: [Sex; 2] = [Sex::Male, Sex::Female];

    /// The tile code.
    pub fn code(self) -> u16 {
        match self {
            Sex::Male => 1,
            Sex::Female => 2,
        }
    }

    /// From a tile code.
    pub fn from_code(code: u16) -> Option<Sex> {
        match code {
            1 => Some(Sex::Male),
            2 => Some(Sex::Female),
            _ => None,
        }
    }

    /// The letter used in register extracts: `M` (mand) or `K` (kvinde).
    pub fn letter(self) -> &'static str {
        match self {
            Sex::Male => "M",
            Sex::Female => "K",
        }
    }

    /// From the extract letter.
    pub fn from_letter(letter: &str) -> Option<Sex> {
        match letter {
            "M" => Some(Sex::Male),
            "K" => Some(Sex::Female),
            _ => None,
        }
    }

    /// Label (plural, as used in filters: "Mænd", "Kvinder").
    pub fn label(self) -> Text {
        match self {
            Sex::Male => Text {
                da: "Mænd",
                en: "Men",
            },
            Sex::Female => Text {
                da: "Kvinder",
                en: "Women",
            },
        }
    }
}

/// A five-year age band: 0–4, 5–9, …, 80–84, 85+.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AgeBand(u8);

impl AgeBand {
    /// Number of bands.
    pub const COUNT: u8 = 18;

    /// The band with index `index` (0 = 0–4 years).
    pub fn new(index: u8) -> Option<AgeBand> {
        (index < Self::COUNT).then_some(AgeBand(index))
    }

    /// The band of someone aged `age` years.
    pub fn from_age(age: u32) -> AgeBand {
        AgeBand((age / 5).min(u32::from(Self::COUNT - 1)) as u8)
    }

    /// The band's index, used as its tile code.
    pub fn index(self) -> u8 {
        self.0
    }

    /// Youngest age in the band.
    pub fn lower(self) -> u32 {
        u32::from(self.0) * 5
    }

    /// Label such as "20-24 år" / "20-24 years", or "85+ år".
    pub fn label(self, lang: Lang) -> String {
        let unit = match lang {
            Lang::Da => "år",
            Lang::En => "years",
        };
        if self.0 == Self::COUNT - 1 {
            format!("{}+ {unit}", self.lower())
        } else {
            format!("{}-{} {unit}", self.lower(), self.lower() + 4)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_bands_cover_all_ages() {
        assert_eq!(AgeBand::from_age(0).index(), 0);
        assert_eq!(AgeBand::from_age(4).index(), 0);
        assert_eq!(AgeBand::from_age(5).index(), 1);
        assert_eq!(AgeBand::from_age(84).index(), 16);
        assert_eq!(AgeBand::from_age(85).index(), 17);
        assert_eq!(AgeBand::from_age(110).index(), 17);
        assert_eq!(AgeBand::from_age(85).label(Lang::Da), "85+ år");
        assert_eq!(AgeBand::from_age(22).label(Lang::En), "20-24 years");
        assert!(AgeBand::new(18).is_none());
    }

    #[test]
    fn sex_codes_and_letters_round_trip() {
        for s in Sex::ALL {
            assert_eq!(Sex::from_code(s.code()), Some(s));
            assert_eq!(Sex::from_letter(s.letter()), Some(s));
        }
        assert_eq!(Sex::from_letter("X"), None);
    }

    #[test]
    fn region_is_a_rollup_of_municipality() {
        assert_eq!(
            DimensionId::Region.rollup_code(DimensionId::Municipality, 101),
            Some(1084)
        );
        assert_eq!(DimensionId::Region.rollup_code(DimensionId::Sex, 1), None);
        assert_eq!(
            DimensionId::Region.def().derivation,
            Derivation::RollupOf(DimensionId::Municipality)
        );
    }

    #[test]
    fn keys_are_unique() {
        let mut keys: Vec<_> = DIMENSIONS.iter().map(|d| d.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), DIMENSIONS.len());
    }
}
