//! The register extracts the ingestion accepts, and their columns.
//!
//! Column names here are the contract between the extract producers (the
//! registers, or our synthetic generator) and the ingestion endpoint.

use serde::{Deserialize, Serialize};

use crate::text::Text;

/// A source register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegisterId {
    /// The Civil Registration System (CPR).
    Cpr,
    /// The National Health Insurance Service Register (Sygesikringsregistret).
    Ssr,
}

/// A column of a register extract.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct ExtractColumn {
    /// Header name in the CSV.
    pub name: &'static str,
    /// What the column holds and its format.
    pub format: &'static str,
}

/// The definition of a register.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Register {
    /// Identifier.
    pub id: RegisterId,
    /// Stable key, used in `/api/ingest/{key}`.
    pub key: &'static str,
    /// Label.
    pub label: Text,
    /// Columns, in the order the generator writes them.
    pub columns: &'static [ExtractColumn],
}

/// Every register.
pub const REGISTERS: &[Register] = &[
    Register {
        id: RegisterId::Cpr,
        key: "cpr",
        label: Text {
            da: "CPR-registret",
            en: "Civil Registration System (CPR)",
        },
        columns: &[
            ExtractColumn {
                name: "cpr",
                format:
                    "CPR number, 10 digits (DDMMYYSSSS, optional hyphen); pseudonymised at the door",
            },
            ExtractColumn {
                name: "birth_date",
                format: "YYYY-MM-DD",
            },
            ExtractColumn {
                name: "sex",
                format: "M or K",
            },
            ExtractColumn {
                name: "municipality",
                format: "three-digit municipality code of residence",
            },
        ],
    },
    Register {
        id: RegisterId::Ssr,
        key: "ssr",
        label: Text {
            da: "Sygesikringsregistret (SSR)",
            en: "Health Insurance Service Register (SSR)",
        },
        columns: &[
            ExtractColumn {
                name: "cpr",
                format: "CPR number, 10 digits; pseudonymised at the door",
            },
            ExtractColumn {
                name: "contact_date",
                format: "YYYY-MM-DD",
            },
            ExtractColumn {
                name: "provider_number",
                format: "ydernummer, 6 digits",
            },
            ExtractColumn {
                name: "contact_type",
                format: "consultation | phone | email | video | other_in_person | home_visit",
            },
        ],
    },
];

impl RegisterId {
    /// The catalogue entry.
    pub fn def(self) -> &'static Register {
        REGISTERS
            .iter()
            .find(|r| r.id == self)
            .expect("every RegisterId has a catalogue entry")
    }

    /// Looks a register up by key (as in `/api/ingest/{key}`).
    pub fn from_key(key: &str) -> Option<RegisterId> {
        REGISTERS.iter().find(|r| r.key == key).map(|r| r.id)
    }

    /// The stable key.
    pub fn key(self) -> &'static str {
        self.def().key
    }
}

/// Kinds of contact with general practice, as coded in SSR extracts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GpContactType {
    /// Consultation at the practice.
    Consultation,
    /// Telephone consultation.
    Phone,
    /// E-mail consultation.
    Email,
    /// Video consultation.
    Video,
    /// Other in-person contact.
    OtherInPerson,
    /// Home visit.
    HomeVisit,
}

impl GpContactType {
    /// Every contact type.
    pub const ALL: [GpContactType; 6] = [
        GpContactType::Consultation,
        GpContactType::Phone,
        GpContactType::Email,
        GpContactType::Video,
        GpContactType::OtherInPerson,
        GpContactType::HomeVisit,
    ];

    /// The code used in extracts.
    pub fn code(self) -> &'static str {
        match self {
            GpContactType::Consultation => "consultation",
            GpContactType::Phone => "phone",
            GpContactType::Email => "email",
            GpContactType::Video => "video",
            GpContactType::OtherInPerson => "other_in_person",
            GpContactType::HomeVisit => "home_visit",
        }
    }

    /// From the extract code.
    pub fn from_code(code: &str) -> Option<GpContactType> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registers_are_found_by_key() {
        assert_eq!(RegisterId::from_key("cpr"), Some(RegisterId::Cpr));
        assert_eq!(RegisterId::from_key("ssr"), Some(RegisterId::Ssr));
        assert_eq!(RegisterId::from_key("lpr"), None);
    }

    #[test]
    fn contact_type_codes_round_trip() {
        for t in GpContactType::ALL {
            assert_eq!(GpContactType::from_code(t.code()), Some(t));
        }
        assert_eq!(GpContactType::from_code("fax"), None);
    }
}
