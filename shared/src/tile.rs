//! Tile families and their Arrow schemas, derived from the catalogue.
//!
//! A tile is one Arrow IPC stream: one key column per stored dimension of
//! its family, then one column per additive quantity. The schema is never
//! written by hand: it is computed here from the dimension and quantity
//! tables, and carries the format version and family in its metadata.
//! Renaming a key or column is a breaking change and bumps
//! [`FORMAT_VERSION`].

use std::collections::BTreeMap;

use arrow_schema::{DataType, Field, Schema};
use serde::{Deserialize, Serialize};

use crate::dimension::DimensionId;
use crate::measure::QuantityId;
use crate::text::Text;

/// Version of the tile format; part of every tile's schema metadata.
pub const FORMAT_VERSION: u32 = 1;

/// Schema metadata key holding [`FORMAT_VERSION`].
pub const META_FORMAT_VERSION: &str = "tvaers.format_version";

/// Schema metadata key holding the family key.
pub const META_FAMILY: &str = "tvaers.family";

/// Media type of a tile.
pub const MEDIA_TYPE: &str = "application/vnd.apache.arrow.stream";

/// A family of tiles sharing one schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TileFamilyId {
    /// Citizens and general practice by year × municipality × age band × sex.
    Geography,
    /// Citizens and hospital use by year × municipality × age band × sex.
    Hospital,
    /// Citizens and municipal care by year × municipality × age band × sex.
    MunicipalCare,
}

/// The definition of a tile family.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct TileFamily {
    /// Identifier.
    pub id: TileFamilyId,
    /// Stable key, in the manifest and schema metadata.
    pub key: &'static str,
    /// The geographic (or organisational) dimension the tile is cut by.
    pub dimension: DimensionId,
    /// Key columns, in order.
    pub keys: &'static [DimensionId],
    /// Quantity columns, in order.
    pub quantities: &'static [QuantityId],
    /// Label.
    pub label: Text,
}

/// Key columns of the geography families.
const GEOGRAPHY_KEYS: &[DimensionId] = &[
    DimensionId::Year,
    DimensionId::Municipality,
    DimensionId::AgeBand,
    DimensionId::Sex,
];

/// Every tile family.
pub const TILE_FAMILIES: &[TileFamily] = &[
    TileFamily {
        id: TileFamilyId::Geography,
        key: "geography",
        dimension: DimensionId::Municipality,
        keys: GEOGRAPHY_KEYS,
        quantities: &[
            QuantityId::Citizens,
            QuantityId::GpContacts,
            QuantityId::GpConsultations,
            QuantityId::GpPhone,
            QuantityId::GpEmail,
            QuantityId::GpVideo,
            QuantityId::GpOtherInPerson,
            QuantityId::GpHomeVisits,
            QuantityId::GpPatients,
        ],
        label: Text {
            da: "Borgere og almen praksis efter kommune, alder og køn",
            en: "Citizens and general practice by municipality, age and sex",
        },
    },
    TileFamily {
        id: TileFamilyId::Hospital,
        key: "hospital",
        dimension: DimensionId::Municipality,
        keys: GEOGRAPHY_KEYS,
        quantities: &[
            QuantityId::Citizens,
            QuantityId::HospitalContacts,
            QuantityId::HospitalPatients,
            QuantityId::Stays,
            QuantityId::Admissions,
            QuantityId::OutpatientStays,
            QuantityId::BedDays,
            QuantityId::AdmissionsAcute,
            QuantityId::AdmissionsPlanned,
            QuantityId::AdmissionsSomatic,
            QuantityId::AdmissionsPsychiatric,
            QuantityId::AdmissionsBoth,
            QuantityId::Readmissions,
            QuantityId::ReadmissionsSomatic,
            QuantityId::ReadmissionsPsychiatric,
            QuantityId::RehabilitationPlans,
        ],
        label: Text {
            da: "Borgere og sygehusforbrug efter bopælskommune, alder og køn",
            en: "Citizens and hospital use by municipality of residence, age and sex",
        },
    },
    TileFamily {
        id: TileFamilyId::MunicipalCare,
        key: "municipal_care",
        dimension: DimensionId::Municipality,
        keys: GEOGRAPHY_KEYS,
        quantities: &[
            QuantityId::Citizens,
            QuantityId::CareHomeHelp,
            QuantityId::CareSel83Practical,
            QuantityId::CareSel83Personal,
            QuantityId::CareSel83a,
            QuantityId::CareSel86_1,
            QuantityId::CareSel86_2,
            QuantityId::CareSel79a,
            QuantityId::CareSul138,
            QuantityId::CareSul140,
        ],
        label: Text {
            da: "Borgere og kommunale ydelser efter kommune, alder og køn",
            en: "Citizens and municipal care by municipality, age and sex",
        },
    },
];

impl TileFamilyId {
    /// The catalogue entry.
    pub fn def(self) -> &'static TileFamily {
        TILE_FAMILIES
            .iter()
            .find(|f| f.id == self)
            .expect("every TileFamilyId has a catalogue entry")
    }

    /// Looks a family up by key.
    pub fn from_key(key: &str) -> Option<TileFamilyId> {
        TILE_FAMILIES.iter().find(|f| f.key == key).map(|f| f.id)
    }
}

/// Arrow type of a dimension's key column: the narrowest unsigned integer
/// that holds every code.
pub fn key_data_type(dimension: DimensionId) -> DataType {
    match dimension {
        DimensionId::Year | DimensionId::Municipality | DimensionId::Region => DataType::UInt16,
        DimensionId::HealthCluster
        | DimensionId::AgeBand
        | DimensionId::AgeGroup
        | DimensionId::Sex => DataType::UInt8,
    }
}

/// Arrow type of a quantity column.
pub fn quantity_data_type(_quantity: QuantityId) -> DataType {
    // Counts per cell stay far below 2^32 even at national size (a cell is
    // one municipality × age band × sex × year); sums are taken in u64.
    DataType::UInt32
}

impl TileFamily {
    /// The Arrow schema of this family's tiles.
    pub fn schema(&self) -> Schema {
        let keys = self
            .keys
            .iter()
            .map(|d| Field::new(d.key(), key_data_type(*d), false));
        let values = self
            .quantities
            .iter()
            .map(|q| Field::new(q.def().column, quantity_data_type(*q), false));
        let metadata = BTreeMap::from([
            (META_FORMAT_VERSION.to_string(), FORMAT_VERSION.to_string()),
            (META_FAMILY.to_string(), self.key.to_string()),
        ]);
        Schema::new_with_metadata(keys.chain(values).collect::<Vec<_>>(), metadata)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geography_schema_is_derived_from_the_catalogue() {
        let schema = TileFamilyId::Geography.def().schema();
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(
            names,
            [
                "year",
                "municipality",
                "age_band",
                "sex",
                "citizens",
                "gp_contacts",
                "gp_consultations",
                "gp_phone",
                "gp_email",
                "gp_video",
                "gp_other_in_person",
                "gp_home_visits",
                "gp_patients",
            ]
        );
        assert_eq!(
            schema.metadata()[META_FORMAT_VERSION],
            FORMAT_VERSION.to_string()
        );
        assert_eq!(schema.metadata()[META_FAMILY], "geography");
        assert_eq!(schema.field(1).data_type(), &DataType::UInt16);
        assert_eq!(schema.field(3).data_type(), &DataType::UInt8);
    }

    #[test]
    fn every_quantity_is_in_a_family_and_families_carry_their_denominator() {
        for q in crate::measure::QUANTITIES {
            assert!(
                TILE_FAMILIES.iter().any(|f| f.quantities.contains(&q.id)),
                "{}",
                q.column
            );
        }
        for f in TILE_FAMILIES {
            assert_eq!(f.quantities[0], QuantityId::Citizens, "{}", f.key);
        }
    }

    #[test]
    fn families_only_key_on_stored_dimensions() {
        for f in TILE_FAMILIES {
            assert_eq!(TileFamilyId::from_key(f.key), Some(f.id));
            for d in f.keys {
                assert_eq!(
                    d.def().derivation,
                    crate::dimension::Derivation::Stored,
                    "{}",
                    f.key
                );
            }
        }
    }
}
