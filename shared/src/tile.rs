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

/// Schema metadata key holding the split's dimension key (split tiles only).
pub const META_SPLIT: &str = "tvaers.split";

/// Schema metadata key of a closed tile's scope (e.g. `municipality:0751`;
/// see `docs/access.md`). Public tiles have none.
pub const META_SCOPE: &str = "tvaers.scope";

/// Schema metadata key of the codes a closed tile covers, in the family's
/// dimension (municipality, hospital or practice): a JSON array. The
/// browser replaces the public rows of these codes with the closed ones.
pub const META_SCOPE_CODES: &str = "tvaers.scope_codes";

/// Schema metadata key of the hospital dictionary (tiles keyed by
/// hospital): a JSON array of [`HospitalCode`]s.
pub const META_HOSPITALS: &str = "tvaers.hospitals";

/// One hospital of a release: its code in the tiles and what it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HospitalCode {
    /// The `hospital` key code (1–999).
    pub code: u16,
    /// The SOR id of the health institution.
    pub sor_id: String,
    /// Its name in the SOR register.
    pub name: String,
    /// Its region (1081–1085).
    pub region: u16,
    /// The municipality of its address, when the SOR extract gives it.
    #[serde(default)]
    pub municipality: Option<u16>,
}

/// Schema metadata key of the practice dictionary (tiles keyed by
/// practice): a JSON array of [`PracticeCode`]s.
pub const META_PRACTICES: &str = "tvaers.practices";

/// One general practice of a release: its code in the tiles and what it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeCode {
    /// The `practice` key code.
    pub code: u16,
    /// Its provider number (ydernummer).
    pub provider_number: String,
    /// Its name in the provider register.
    pub name: String,
    /// Its municipality.
    pub municipality: u16,
    /// Its GP cluster (0: none).
    pub gp_cluster: u16,
}

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
    /// Citizens by the sectors they were in contact with, by year ×
    /// municipality × age band × sex.
    Sectors,
    /// Hospital activity by year × hospital × age band × sex.
    ByHospital,
    /// Hospital activity by year × diagnosis group × age band × sex.
    ByDiagnosis,
    /// Hospital activity by year × specialty × age band × sex.
    BySpecialty,
    /// Hospital activity by year × department type × age band × sex.
    ByDepartment,
    /// General practice by year × practice × age band × sex.
    ByPractice,
    /// Prescriptions of the Ordiprax drug groups by year × practice × age
    /// band × sex; closed only, with the whole country as one more
    /// practice ([`crate::dimension::ALL_PRACTICES`]).
    Prescriptions,
    /// The same by year × municipality of the practice × age band × sex:
    /// the public face of `Prescriptions`.
    PrescriptionsGeo,
    /// Prescriptions in detail, closed only: by year × practice × drug
    /// group × medicine × consumption group × treatment × package size ×
    /// age band × sex (the breakdowns of the intervention pages).
    PrescriptionDetail,
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
    /// Its tiles: the base tile, then a tile per further split.
    pub splits: &'static [Split],
    /// Label.
    pub label: Text,
    /// Whether the public release carries it (protected); a family that
    /// is not public has closed tiles only.
    pub public: bool,
}

/// The quantities of hospital activity keyed by an organisation or a
/// group of contacts (`by_hospital`, `by_diagnosis`, …): no citizens, since
/// a hospital or a diagnosis group has no population.
const HOSPITAL_ACTIVITY: &[QuantityId] = &[
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
];

/// A public family of hospital activity by a hospital or a group of
/// contacts: `keys`
/// are year × the group × age band × sex, one tile without splits.
const fn hospital_activity(
    id: TileFamilyId,
    keys: &'static [DimensionId],
    key: &'static str,
    label: Text,
) -> TileFamily {
    TileFamily {
        id,
        key,
        dimension: keys[1],
        keys,
        quantities: HOSPITAL_ACTIVITY,
        splits: &[Split::None],
        label,
        public: true,
    }
}

/// Key columns of the geography families.
const GEOGRAPHY_KEYS: &[DimensionId] = &[
    DimensionId::Year,
    DimensionId::Municipality,
    DimensionId::AgeBand,
    DimensionId::Sex,
];

/// Every split: families of citizens by residence have them all.
const ALL_SPLITS: &[Split] = &Split::ALL;

/// The keys of the families by practice.
const PRACTICE_KEYS: &[DimensionId] = &[
    DimensionId::Year,
    DimensionId::Practice,
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
        splits: ALL_SPLITS,
        public: true,
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
            QuantityId::AdmissionsPriorGp,
            QuantityId::AdmissionsPriorCare,
            QuantityId::RehabilitationPlans,
            QuantityId::Citizens65Plus,
            QuantityId::PreventableAdmissions,
            QuantityId::PreventableDehydration,
            QuantityId::PreventableConstipation,
            QuantityId::PreventableLowerRespiratory,
            QuantityId::PreventableCystitis,
            QuantityId::PreventableGastroenteritis,
            QuantityId::PreventableFracture,
            QuantityId::PreventableNutritionalAnaemia,
            QuantityId::PreventableSocial,
            QuantityId::PreventablePressureUlcer,
        ],
        splits: ALL_SPLITS,
        public: true,
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
            QuantityId::CareRecipients,
        ],
        splits: ALL_SPLITS,
        public: true,
        label: Text {
            da: "Borgere og kommunale ydelser efter kommune, alder og køn",
            en: "Citizens and municipal care by municipality, age and sex",
        },
    },
    TileFamily {
        id: TileFamilyId::Sectors,
        key: "sectors",
        dimension: DimensionId::Municipality,
        keys: GEOGRAPHY_KEYS,
        quantities: &[
            QuantityId::Citizens,
            QuantityId::GpPatients,
            QuantityId::HospitalPatients,
            QuantityId::CareRecipients,
            QuantityId::SectorsNone,
            QuantityId::SectorsGpOnly,
            QuantityId::SectorsHospitalOnly,
            QuantityId::SectorsCareOnly,
            QuantityId::SectorsGpHospital,
            QuantityId::SectorsGpCare,
            QuantityId::SectorsHospitalCare,
            QuantityId::SectorsAll,
            QuantityId::SectorsTwoPlus,
        ],
        splits: ALL_SPLITS,
        public: true,
        label: Text {
            da: "Borgere efter kontakt til almen praksis, sygehus og kommune, efter kommune, alder og køn",
            en: "Citizens by contact with general practice, hospital and municipality, by municipality, age and sex",
        },
    },
    hospital_activity(
        TileFamilyId::ByHospital,
        &[
            DimensionId::Year,
            DimensionId::Hospital,
            DimensionId::AgeBand,
            DimensionId::Sex,
        ],
        "by_hospital",
        Text {
            da: "Sygehusaktivitet efter sygehus, alder og køn",
            en: "Hospital activity by hospital, age and sex",
        },
    ),
    hospital_activity(
        TileFamilyId::ByDiagnosis,
        &[
            DimensionId::Year,
            DimensionId::DiagnosisGroup,
            DimensionId::AgeBand,
            DimensionId::Sex,
        ],
        "by_diagnosis",
        Text {
            da: "Sygehusaktivitet efter diagnosegruppe, alder og køn",
            en: "Hospital activity by diagnosis group, age and sex",
        },
    ),
    hospital_activity(
        TileFamilyId::BySpecialty,
        &[
            DimensionId::Year,
            DimensionId::Specialty,
            DimensionId::AgeBand,
            DimensionId::Sex,
        ],
        "by_specialty",
        Text {
            da: "Sygehusaktivitet efter speciale, alder og køn",
            en: "Hospital activity by specialty, age and sex",
        },
    ),
    hospital_activity(
        TileFamilyId::ByDepartment,
        &[
            DimensionId::Year,
            DimensionId::DepartmentType,
            DimensionId::AgeBand,
            DimensionId::Sex,
        ],
        "by_department",
        Text {
            da: "Sygehusaktivitet efter afdelingstype, alder og køn",
            en: "Hospital activity by department type, age and sex",
        },
    ),
    TileFamily {
        id: TileFamilyId::ByPractice,
        key: "by_practice",
        dimension: DimensionId::Practice,
        keys: PRACTICE_KEYS,
        quantities: &[
            QuantityId::ListedPatients,
            QuantityId::GpContacts,
            QuantityId::GpConsultations,
            QuantityId::GpPhone,
            QuantityId::GpEmail,
            QuantityId::GpVideo,
            QuantityId::GpOtherInPerson,
            QuantityId::GpHomeVisits,
            QuantityId::GpPatients,
        ],
        splits: &[Split::None],
        public: true,
        label: Text {
            da: "Almen praksis efter lægepraksis, alder og køn",
            en: "General practice by practice, age and sex",
        },
    },
    TileFamily {
        id: TileFamilyId::PrescriptionsGeo,
        key: "prescriptions_geo",
        dimension: DimensionId::Municipality,
        keys: GEOGRAPHY_KEYS,
        quantities: PRESCRIPTION_QUANTITIES,
        splits: &[Split::None],
        public: true,
        label: Text {
            da: "Lægemidler efter lægepraksis' kommune, alder og køn",
            en: "Prescriptions by the practice's municipality, age and sex",
        },
    },
    TileFamily {
        id: TileFamilyId::Prescriptions,
        key: "prescriptions",
        dimension: DimensionId::Practice,
        keys: PRACTICE_KEYS,
        quantities: PRESCRIPTION_QUANTITIES,
        splits: &[Split::None],
        public: false,
        label: Text {
            da: "Lægemidler efter lægepraksis, alder og køn",
            en: "Prescriptions by practice, age and sex",
        },
    },
    TileFamily {
        id: TileFamilyId::PrescriptionDetail,
        key: "prescription_detail",
        dimension: DimensionId::Practice,
        keys: DETAIL_KEYS,
        quantities: &[
            QuantityId::RxPatients,
            QuantityId::RxPackages,
            QuantityId::RxDdd,
        ],
        splits: &[Split::None],
        public: false,
        label: Text {
            da: "Lægemidler i detaljer efter lægepraksis",
            en: "Prescriptions in detail by practice",
        },
    },
];

/// The keys of the detail tile of prescriptions.
const DETAIL_KEYS: &[DimensionId] = &[
    DimensionId::Year,
    DimensionId::Practice,
    DimensionId::DrugGroup,
    DimensionId::Medicine,
    DimensionId::Consumption,
    DimensionId::Treatment,
    DimensionId::PackageSize,
    DimensionId::AgeBand,
    DimensionId::Sex,
];

/// The quantities of the prescription families: listed patients, and the
/// patients and DDD of each Ordiprax drug group.
const PRESCRIPTION_QUANTITIES: &[QuantityId] = &[
    QuantityId::ListedPatients,
    QuantityId::OpioidPatients,
    QuantityId::OpioidDdd,
    QuantityId::SedativePatients,
    QuantityId::SedativeDdd,
    QuantityId::AntipsychoticPatients,
    QuantityId::AntipsychoticDdd,
    QuantityId::StimulantPatients,
    QuantityId::StimulantDdd,
    QuantityId::AntidepressantPatients,
    QuantityId::AntidepressantDdd,
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

/// A further person attribute a family's tile is split by, beyond year,
/// municipality, age band and sex. Each split is a tile of its own,
/// fetched only when a filter on that attribute is in use (see
/// ARCHITECTURE.md, Tiling).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Split {
    /// The family's base tile.
    None,
    /// By civil status.
    CivilStatus,
    /// By CPR status code.
    CprStatus,
    /// By nursing-home residence.
    NursingHome,
    /// By target group (overlapping: a person counts in each of theirs).
    TargetGroup,
    /// By the GP cluster of the practice the citizen is listed with.
    GpCluster,
    /// By quarter: events in the quarter of their date, citizens in each
    /// quarter they lived in Denmark, at their cell of the year.
    Quarter,
    /// By month, counted as by quarter.
    Month,
}

impl Split {
    /// Every split, base first.
    pub const ALL: [Split; 8] = [
        Split::None,
        Split::CivilStatus,
        Split::CprStatus,
        Split::NursingHome,
        Split::TargetGroup,
        Split::GpCluster,
        Split::Quarter,
        Split::Month,
    ];

    /// The extra key dimension.
    pub fn dimension(self) -> Option<DimensionId> {
        match self {
            Split::None => None,
            Split::CivilStatus => Some(DimensionId::CivilStatus),
            Split::CprStatus => Some(DimensionId::CprStatus),
            Split::NursingHome => Some(DimensionId::NursingHome),
            Split::TargetGroup => Some(DimensionId::TargetGroup),
            Split::GpCluster => Some(DimensionId::GpCluster),
            Split::Quarter => Some(DimensionId::Quarter),
            Split::Month => Some(DimensionId::Month),
        }
    }

    /// The split whose extra key is `dimension`.
    pub fn of(dimension: DimensionId) -> Option<Split> {
        Split::ALL
            .into_iter()
            .find(|s| s.dimension() == Some(dimension))
    }
}

/// One tile of a release: a family, possibly split by one more attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileKind {
    /// The family: which quantities.
    pub family: TileFamilyId,
    /// The extra key, if any.
    pub split: Split,
}

impl From<TileFamilyId> for TileKind {
    fn from(family: TileFamilyId) -> TileKind {
        TileKind {
            family,
            split: Split::None,
        }
    }
}

impl TileKind {
    /// Every tile of a release, in manifest order: family by family, the
    /// base tile before its splits.
    pub fn all() -> impl Iterator<Item = TileKind> {
        TILE_FAMILIES.iter().flat_map(|f| {
            f.splits.iter().map(move |&split| TileKind {
                family: f.id,
                split,
            })
        })
    }

    /// Manifest key: the family key, then `.` and the split dimension's
    /// key for split tiles (`hospital.target_group`).
    pub fn key(self) -> String {
        let family = self.family.def().key;
        match self.split.dimension() {
            None => family.to_string(),
            Some(d) => format!("{family}.{}", d.key()),
        }
    }

    /// Parses [`TileKind::key`].
    pub fn from_key(key: &str) -> Option<TileKind> {
        TileKind::all().find(|k| k.key() == key)
    }

    /// Key columns, in order: the family's, then the split's.
    pub fn keys(self) -> Vec<DimensionId> {
        let mut keys = self.family.def().keys.to_vec();
        keys.extend(self.split.dimension());
        keys
    }

    /// The Arrow schema of this tile.
    pub fn schema(self) -> Schema {
        let family = self.family.def();
        let keys = self
            .keys()
            .into_iter()
            .map(|d| Field::new(d.key(), key_data_type(d), false));
        let values = family
            .quantities
            .iter()
            .map(|q| Field::new(q.def().column, quantity_data_type(*q), false));
        let mut metadata = BTreeMap::from([
            (META_FORMAT_VERSION.to_string(), FORMAT_VERSION.to_string()),
            (META_FAMILY.to_string(), family.key.to_string()),
        ]);
        if let Some(d) = self.split.dimension() {
            metadata.insert(META_SPLIT.to_string(), d.key().to_string());
        }
        Schema::new_with_metadata(keys.chain(values).collect::<Vec<_>>(), metadata)
    }
}

/// Schema metadata key of a part: the code of its split that the part
/// holds (see [`TileRef`]).
pub const META_PART: &str = "tvaers.part";

/// A tile a view reads: a whole tile, or a *part* of a split tile — its
/// rows of one code of the split (one civil status, target group, GP
/// cluster or quarter), published as a tile of its own.
///
/// A filter on a person attribute or a quarter needs one code only, so
/// it reads the part: a split tile holds every code and at national size
/// is 100–330 KB brotli, each part a fraction of that. A breakdown by the
/// attribute reads the whole split tile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TileRef {
    /// The tile the part is of.
    pub kind: TileKind,
    /// The code of `kind`'s split the part holds; `None` for the whole
    /// tile.
    pub part: Option<u16>,
}

impl From<TileKind> for TileRef {
    fn from(kind: TileKind) -> TileRef {
        TileRef { kind, part: None }
    }
}

impl TileRef {
    /// The part of `kind` holding `code` of its split; the whole tile for
    /// a base tile, which has no parts.
    pub fn part(kind: TileKind, code: u16) -> TileRef {
        TileRef {
            kind,
            part: (kind.split != Split::None).then_some(code),
        }
    }

    /// Manifest key: the tile's key, then `=` and the code for a part
    /// (`hospital.target_group=3`).
    pub fn key(self) -> String {
        match self.part {
            None => self.kind.key(),
            Some(code) => format!("{}={code}", self.kind.key()),
        }
    }

    /// Parses [`TileRef::key`].
    pub fn from_key(key: &str) -> Option<TileRef> {
        let (kind, part) = match key.split_once('=') {
            None => (key, None),
            Some((kind, code)) => (kind, Some(code.parse().ok()?)),
        };
        let kind = TileKind::from_key(kind)?;
        if part.is_some() && kind.split == Split::None {
            return None;
        }
        Some(TileRef { kind, part })
    }

    /// The split dimension and code of a part.
    pub fn restriction(self) -> Option<(DimensionId, u16)> {
        Some((self.kind.split.dimension()?, self.part?))
    }
}

/// Arrow type of a dimension's key column: the narrowest unsigned integer
/// that holds every code.
pub fn key_data_type(dimension: DimensionId) -> DataType {
    match dimension {
        DimensionId::Year
        | DimensionId::Municipality
        | DimensionId::Region
        | DimensionId::GpCluster
        | DimensionId::Hospital
        | DimensionId::Practice
        | DimensionId::Medicine
        | DimensionId::PackageSize => DataType::UInt16,
        DimensionId::HealthCluster
        | DimensionId::AgeBand
        | DimensionId::AgeGroup
        | DimensionId::Sex
        | DimensionId::CivilStatus
        | DimensionId::CprStatus
        | DimensionId::NursingHome
        | DimensionId::TargetGroup
        | DimensionId::Quarter
        | DimensionId::Month
        | DimensionId::DrugGroup
        | DimensionId::Consumption
        | DimensionId::Treatment
        | DimensionId::DiagnosisGroup
        | DimensionId::Specialty
        | DimensionId::DepartmentType => DataType::UInt8,
    }
}

/// Arrow type of a quantity column.
pub fn quantity_data_type(_quantity: QuantityId) -> DataType {
    // Counts per cell stay far below 2^32 even at national size (a cell is
    // one municipality × age band × sex × year); sums are taken in u64.
    DataType::UInt32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geography_schema_is_derived_from_the_catalogue() {
        let schema = TileKind::from(TileFamilyId::Geography).schema();
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
        assert!(!schema.metadata().contains_key(META_SPLIT));
    }

    #[test]
    fn a_part_is_named_by_its_tile_and_code() {
        let kind = TileKind {
            family: TileFamilyId::Hospital,
            split: Split::GpCluster,
        };
        let part = TileRef::part(kind, 17);
        assert_eq!(part.key(), "hospital.gp_cluster=17");
        assert_eq!(TileRef::from_key("hospital.gp_cluster=17"), Some(part));
        assert_eq!(part.restriction(), Some((DimensionId::GpCluster, 17)));
        assert_eq!(TileRef::from_key("hospital.gp_cluster"), Some(kind.into()));
        // A base tile has no parts, and a code is a number.
        let base = TileKind::from(TileFamilyId::Hospital);
        assert_eq!(TileRef::part(base, 17), TileRef::from(base));
        assert_eq!(TileRef::from_key("hospital=17"), None);
        assert_eq!(TileRef::from_key("hospital.gp_cluster=x"), None);
        assert_eq!(TileRef::from(base).restriction(), None);
    }

    #[test]
    fn split_tiles_add_one_key_and_name_it() {
        let kind = TileKind {
            family: TileFamilyId::Hospital,
            split: Split::TargetGroup,
        };
        assert_eq!(kind.key(), "hospital.target_group");
        assert_eq!(TileKind::from_key("hospital.target_group"), Some(kind));
        assert_eq!(
            TileKind::from_key("hospital"),
            Some(TileFamilyId::Hospital.into())
        );
        assert_eq!(TileKind::from_key("hospital.sex"), None);
        let schema = kind.schema();
        assert_eq!(schema.field(4).name(), "target_group");
        assert_eq!(schema.field(5).name(), "citizens");
        assert_eq!(schema.metadata()[META_SPLIT], "target_group");
        assert_eq!(
            TileKind::all().count(),
            TILE_FAMILIES.iter().map(|f| f.splits.len()).sum::<usize>()
        );
        for s in Split::ALL {
            if let Some(d) = s.dimension() {
                assert_eq!(Split::of(d), Some(s));
                // Every split but the GP cluster (ids from the data) has
                // its codes in the catalogue.
                assert_eq!(
                    d.codes().is_some(),
                    d != DimensionId::GpCluster,
                    "{d:?} codes"
                );
            }
        }
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
        // Families of citizens by residence carry the citizens, the
        // practice families (also by the practice's municipality) their
        // listed patients; the hospital family has no population (its
        // first column is the contacts).
        for f in TILE_FAMILIES {
            let first = match f.dimension {
                _ if f.quantities.contains(&QuantityId::ListedPatients) => {
                    QuantityId::ListedPatients
                }
                // The detail tile's denominator is in `prescriptions`.
                _ if f.id == TileFamilyId::PrescriptionDetail => QuantityId::RxPatients,
                DimensionId::Municipality => QuantityId::Citizens,
                _ => QuantityId::HospitalContacts,
            };
            assert_eq!(f.quantities[0], first, "{}", f.key);
            assert_eq!(f.splits[0], Split::None, "{}", f.key);
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
