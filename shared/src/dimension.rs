//! Dimensions: the ways a measure can be split and filtered.
//!
//! Every dimension value travels as a small unsigned code (`u16`) in tiles
//! and cubes; this module says what the codes mean.

use serde::{Deserialize, Serialize};

use crate::geography;
use crate::register::{self, Code};
use crate::text::{Lang, Text};

/// A dimension of the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DimensionId {
    /// Calendar year.
    Year,
    /// Quarter of the year (1–4): the quarter of an event's date, or a
    /// quarter in which a citizen lived in Denmark. A citizen counts in
    /// each quarter of their year, so quarters add up for events but not
    /// for persons (see [`DimensionId::overlapping`]).
    Quarter,
    /// Month of the year (1–12), counted as quarters are: events in the
    /// month of their date, citizens in each month they lived in Denmark.
    Month,
    /// Municipality of residence (three-digit code).
    Municipality,
    /// Region, a rollup of municipality (code 1081–1085).
    Region,
    /// Health cluster (sundhedsklynge), a rollup of municipality.
    HealthCluster,
    /// Age band (five-year bands, 15–17 and 18–19 split at the age of
    /// majority), age reached in the year.
    AgeBand,
    /// Age group 0–17, 18–64, 65–74, 75–84, 85+, a rollup of age band.
    AgeGroup,
    /// Sex (1 = male, 2 = female, as in Statistics Denmark's tables).
    Sex,
    /// Civil status in the CPR (code = position in
    /// [`register::CIVIL_STATUS`] + 1: 1 = U … 8 = D).
    CivilStatus,
    /// CPR status code, as a number (1 = "01" … 90 = "90").
    CprStatus,
    /// Whether the citizen lived at a nursing-home address (1 = no, 2 = yes).
    NursingHome,
    /// Target group (målgruppe): 1–8 the RUKS chronic groups in the order
    /// of [`register::CHRONIC_GROUPS`], 9 two or more of them, 10
    /// nursing-home residents, 11 elderly medical patients (ÆMI). A person
    /// can be in several groups, so groups never add up (see
    /// [`DimensionId::overlapping`]).
    TargetGroup,
    /// GP cluster (lægeklynge) of the practice the citizen is listed with:
    /// the cluster id from the provider register (1–999), 0 when the
    /// citizen is listed with no general practice in the year. The ids
    /// come from the data, not the catalogue.
    GpCluster,
    /// Hospital (SOR health institution) of a hospital contact: codes
    /// 1–[`MAX_HOSPITALS`] number a release's institutions in the order of
    /// their SOR ids (the tile's metadata names them, see
    /// `tile::META_HOSPITALS`), and [`SJAELLAND_AS_ONE`] is Region
    /// Sjælland's hospitals counted as one. A patient counts at every
    /// hospital they used, so hospitals never add up.
    Hospital,
    /// Diagnosis group of a hospital contact: the ICD-10 chapter of its
    /// action diagnosis (1–22 in the order of
    /// [`crate::diagnosis::DIAGNOSIS_CHAPTERS`], 23 a code in no chapter);
    /// a stay's is its first contact's. A patient counts in each group
    /// they had a contact in, so patients never add up across groups.
    DiagnosisGroup,
    /// Specialty of a hospital contact's unit (position in
    /// [`register::SPECIALTIES`] + 1); a stay's is its first contact's.
    /// Patients never add up across specialties.
    Specialty,
    /// Department type of a hospital contact's unit (position in
    /// [`register::DEPARTMENT_TYPES`] + 1: medical, surgical, …); a
    /// stay's is its first contact's. Patients never add up across types.
    DepartmentType,
    /// General practice (ydernummer) of a GP contact or of a citizen's
    /// listing: codes 1–[`MAX_PRACTICES`] number a release's practices in
    /// the order of their provider numbers (the tile's metadata names
    /// them, see `tile::META_PRACTICES`), [`ALL_PRACTICES`] is every
    /// practice in the country together and [`CLUSTER_PRACTICES`] a
    /// practice's GP cluster together. A citizen in contact with two
    /// practices counts as a patient at both, so practices never add up.
    Practice,
    /// Ordiprax drug group (1–5, [`crate::drug::DrugGroup::INDICATORS`]
    /// order). A patient can redeem drugs of several groups, so groups
    /// never add up.
    DrugGroup,
    /// What in a drug group was redeemed ([`crate::drug::Medicine`]): 0
    /// the whole group, a drug (ATC level 5), a product, or the addictive,
    /// non-addictive, depot or non-depot products. A patient counts in
    /// each, so medicines never add up.
    Medicine,
    /// Consumption group of a patient in a drug group in the year, from
    /// the DDD redeemed: 1 under 90 DDD (under 3 months), 2 90–365 DDD
    /// (3 months to a year), 3 over 365 DDD (over a year).
    Consumption,
    /// Treatment of a patient in a drug group in the year: 1 started (no
    /// redemption in the group the year before), 2 continued, 3 unknown
    /// (the year before is not in the data).
    Treatment,
    /// Package size in units (tablets, patches …); 0 every size. A
    /// patient counts at each size they redeemed, so sizes never add up.
    PackageSize,
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
        id: DimensionId::Quarter,
        key: "quarter",
        label: Text {
            da: "Kvartal",
            en: "Quarter",
        },
        derivation: Derivation::Stored,
    },
    Dimension {
        id: DimensionId::Month,
        key: "month",
        label: Text {
            da: "Måned",
            en: "Month",
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
        id: DimensionId::HealthCluster,
        key: "health_cluster",
        label: Text {
            da: "Sundhedsklynge",
            en: "Health cluster",
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
        id: DimensionId::AgeGroup,
        key: "age_group",
        label: Text {
            da: "Aldersgruppe (bred)",
            en: "Age group (broad)",
        },
        derivation: Derivation::RollupOf(DimensionId::AgeBand),
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
    Dimension {
        id: DimensionId::CivilStatus,
        key: "civil_status",
        label: Text {
            da: "Civilstand",
            en: "Civil status",
        },
        derivation: Derivation::Stored,
    },
    Dimension {
        id: DimensionId::CprStatus,
        key: "cpr_status",
        label: Text {
            da: "CPR-status",
            en: "CPR status",
        },
        derivation: Derivation::Stored,
    },
    Dimension {
        id: DimensionId::NursingHome,
        key: "nursing_home",
        label: Text {
            da: "Plejehjemsbeboer",
            en: "Nursing-home resident",
        },
        derivation: Derivation::Stored,
    },
    Dimension {
        id: DimensionId::TargetGroup,
        key: "target_group",
        label: Text {
            da: "Målgruppe",
            en: "Target group",
        },
        derivation: Derivation::Stored,
    },
    Dimension {
        id: DimensionId::GpCluster,
        key: "gp_cluster",
        label: Text {
            da: "Lægeklynge",
            en: "GP cluster",
        },
        derivation: Derivation::Stored,
    },
    Dimension {
        id: DimensionId::Practice,
        key: "practice",
        label: Text {
            da: "Lægepraksis",
            en: "GP practice",
        },
        derivation: Derivation::Stored,
    },
    Dimension {
        id: DimensionId::Hospital,
        key: "hospital",
        label: Text {
            da: "Sygehus",
            en: "Hospital",
        },
        derivation: Derivation::Stored,
    },
    Dimension {
        id: DimensionId::DiagnosisGroup,
        key: "diagnosis_group",
        label: Text {
            da: "Diagnosegruppe",
            en: "Diagnosis group",
        },
        derivation: Derivation::Stored,
    },
    Dimension {
        id: DimensionId::Specialty,
        key: "specialty",
        label: Text {
            da: "Speciale",
            en: "Specialty",
        },
        derivation: Derivation::Stored,
    },
    Dimension {
        id: DimensionId::DepartmentType,
        key: "department_type",
        label: Text {
            da: "Afdelingstype",
            en: "Department type",
        },
        derivation: Derivation::Stored,
    },
    Dimension {
        id: DimensionId::DrugGroup,
        key: "drug_group",
        label: Text {
            da: "Lægemiddelgruppe",
            en: "Drug group",
        },
        derivation: Derivation::Stored,
    },
    Dimension {
        id: DimensionId::Medicine,
        key: "medicine",
        label: Text {
            da: "Lægemiddel",
            en: "Medicine",
        },
        derivation: Derivation::Stored,
    },
    Dimension {
        id: DimensionId::Consumption,
        key: "consumption",
        label: Text {
            da: "Forbrugsgruppe",
            en: "Consumption group",
        },
        derivation: Derivation::Stored,
    },
    Dimension {
        id: DimensionId::Treatment,
        key: "treatment",
        label: Text {
            da: "Ny eller fortsat behandling",
            en: "Started or continued",
        },
        derivation: Derivation::Stored,
    },
    Dimension {
        id: DimensionId::PackageSize,
        key: "package_size",
        label: Text {
            da: "Pakningsstørrelse",
            en: "Package size",
        },
        derivation: Derivation::Stored,
    },
];

/// The consumption groups' labels (codes 1–3).
pub const CONSUMPTION: [Text; 3] = [
    Text {
        da: "Under 3 måneder (under 90 DDD)",
        en: "Under 3 months (under 90 DDD)",
    },
    Text {
        da: "3 måneder til 1 år (90–365 DDD)",
        en: "3 months to 1 year (90–365 DDD)",
    },
    Text {
        da: "Over 1 år (over 365 DDD)",
        en: "Over 1 year (over 365 DDD)",
    },
];

/// The consumption group (code) of a patient's DDD in a drug group in a
/// year.
pub fn consumption_code(ddd: f64) -> u16 {
    if ddd < 90.0 {
        1
    } else if ddd <= 365.0 {
        2
    } else {
        3
    }
}

/// The treatment labels (codes 1–3).
pub const TREATMENT: [Text; 3] = [
    Text {
        da: "Ny behandling",
        en: "Started",
    },
    Text {
        da: "Fortsat behandling",
        en: "Continued",
    },
    Text {
        da: "Ukendt (året før mangler)",
        en: "Unknown (no data for the year before)",
    },
];

/// Month names, codes 1–12 (Danish in lower case, as in running text).
pub const MONTHS: [Text; 12] = [
    Text {
        da: "januar",
        en: "January",
    },
    Text {
        da: "februar",
        en: "February",
    },
    Text {
        da: "marts",
        en: "March",
    },
    Text {
        da: "april",
        en: "April",
    },
    Text {
        da: "maj",
        en: "May",
    },
    Text {
        da: "juni",
        en: "June",
    },
    Text {
        da: "juli",
        en: "July",
    },
    Text {
        da: "august",
        en: "August",
    },
    Text {
        da: "september",
        en: "September",
    },
    Text {
        da: "oktober",
        en: "October",
    },
    Text {
        da: "november",
        en: "November",
    },
    Text {
        da: "december",
        en: "December",
    },
];

/// Nursing-home codes: 1 = not a resident, 2 = resident.
pub const NURSING_HOME: [Text; 2] = [
    Text {
        da: "Ikke plejehjemsbeboer",
        en: "Not a nursing-home resident",
    },
    Text {
        da: "Plejehjemsbeboer",
        en: "Nursing-home resident",
    },
];

/// Target groups after the eight chronic groups (codes 9, 10, 11).
pub const OTHER_TARGET_GROUPS: [Text; 3] = [
    Text {
        da: "To eller flere kroniske sygdomme",
        en: "Two or more chronic diseases",
    },
    Text {
        da: "Plejehjemsbeboere",
        en: "Nursing-home residents",
    },
    Text {
        da: "Ældre medicinske patienter (ÆMI)",
        en: "Elderly medical patients (ÆMI)",
    },
];

/// How a citizen-year comes into each kind of target group, for "Om data".
pub const TARGET_GROUP_RULES: [(&str, Text); 4] = [
    (
        "1-8",
        Text {
            da: "RUKS-grupperne (astma, demens, KOL, leddegigt, knogleskørhed, type 1- og type 2-diabetes, skizofreni): borgeren er i gruppen fra og med året for den første dato i RUKS.",
            en: "The RUKS groups (asthma, dementia, COPD, rheumatoid arthritis, osteoporosis, type 1 and type 2 diabetes, schizophrenia): the citizen is in the group from the year of the first date in RUKS on.",
        },
    ),
    (
        "9",
        Text {
            da: "To eller flere kroniske sygdomme: i mindst to af de otte RUKS-grupper i året.",
            en: "Two or more chronic diseases: in at least two of the eight RUKS groups in the year.",
        },
    ),
    (
        "10",
        Text {
            da: "Plejehjemsbeboere: bopælen, der placerer borgeren i året, var en plejehjemsadresse (SDS' register) på mindst én dag i året.",
            en: "Nursing-home residents: the residence that places the citizen in the year was a nursing-home address (SDS's register) on at least one day of the year.",
        },
    ),
    (
        "11",
        Text {
            da: "Ældre medicinske patienter (ÆMI): der findes ingen national definition. Standardreglen er 65 år eller derover i året og mindst én indlæggelse, der begynder i året og omfatter en kontakt på en medicinsk afdeling. Reglen kan vælges, når tallene dannes, og den anvendte regel gemmes sammen med tallene.",
            en: "Elderly medical patients (ÆMI): there is no national definition. The default rule is 65 or older in the year and at least one admission starting in the year that includes a contact with a medical department. The rule can be chosen when the figures are built, and the rule used is stored with them.",
        },
    ),
];

/// The GP-cluster label of citizens listed with no general practice.
pub const NOT_LISTED: Text = Text {
    da: "Ikke tilmeldt en lægepraksis",
    en: "Not listed with a GP practice",
};

/// How a citizen-year gets its GP cluster, for "Om data".
pub const GP_CLUSTER_RULE: Text = Text {
    da: "Borgerens lægeklynge i et år er klyngen for den praksis, borgeren er tilmeldt i året ifølge patientlisterne; skifter borgeren praksis i løbet af året, gælder den seneste tilmelding. Klyngen står i Ydernummerregistret. Borgere uden tilmelding i året (fx sikringsgruppe 2) står som \"Ikke tilmeldt en lægepraksis\". Klyngen følger tilmeldingen, ikke bopælen: en borger kan bo i én kommune og høre til en klynge i nabokommunen.",
    en: "A citizen's GP cluster in a year is the cluster of the practice the citizen is listed with in the year according to the patient lists; if the citizen changes practice during the year, the latest listing counts. The cluster is taken from the provider register (YDR). Citizens listed nowhere in the year (e.g. health-insurance group 2) appear as \"Not listed with a GP practice\". The cluster follows the listing, not the residence: a citizen can live in one municipality and belong to a cluster in the next.",
};

/// Highest GP-cluster id (the provider register's range).
pub const MAX_GP_CLUSTER: u16 = 999;

/// Most general practices a release numbers.
pub const MAX_PRACTICES: u16 = 9999;

/// The practice code of every general practice in the country taken
/// together (in the closed prescription tiles, the national reference).
pub const ALL_PRACTICES: u16 = 10000;

/// The practice code of a practice's GP cluster taken together, in the
/// practice's closed detail tile: the cluster's detail comes summed, so the
/// tile holds no other practice's rows.
pub const CLUSTER_PRACTICES: u16 = 10001;

/// The label of [`CLUSTER_PRACTICES`].
pub const CLUSTER_PRACTICES_LABEL: Text = Text {
    da: "Klyngen",
    en: "The cluster",
};

/// The label of [`ALL_PRACTICES`].
pub const ALL_PRACTICES_LABEL: Text = Text {
    da: "Hele landet",
    en: "Whole country",
};

/// Most hospitals a release numbers (codes 1–999).
pub const MAX_HOSPITALS: u16 = 999;

/// The hospital code of Region Sjælland's hospitals counted as one.
pub const SJAELLAND_AS_ONE: u16 = 1000;

/// The region whose hospitals [`SJAELLAND_AS_ONE`] joins.
pub const REGION_SJAELLAND: u16 = 1085;

/// The label of [`SJAELLAND_AS_ONE`].
pub const SJAELLAND_AS_ONE_LABEL: Text = Text {
    da: "Region Sjælland som ét sygehus",
    en: "Region Zealand as one hospital",
};

/// How hospital activity is counted by hospital, for "Om data".
pub const HOSPITAL_RULE: Text = Text {
    da: "Sygehusaktivitet efter sygehus tælles på det sygehus (SOR-sundhedsinstitution), som kontaktens enhed hører under. Et ophold, der omfatter kontakter på flere sygehuse, tælles på sygehuset for opholdets første kontakt, og det samme gælder indlæggelser, sengedage og genindlæggelser. En patient tælles én gang på hvert sygehus, patienten har haft kontakt med i året, så patienter kan ikke lægges sammen på tværs af sygehuse. Region Sjællands sygehuse findes også samlet som ét sygehus, så tal for regionen kan sammenlignes med de andre regioners store sygehuse. Kun borgere (samme regel som for bopælskommune) tælles, med alder og køn i året.",
    en: "Hospital activity by hospital counts at the hospital (SOR health institution) the contact's unit belongs to. A stay with contacts at several hospitals counts at the hospital of its first contact, and so do admissions, bed days and readmissions. A patient counts once at each hospital they had a contact with in the year, so patients cannot be added up across hospitals. Region Zealand's hospitals are also shown together as one hospital, so the region can be compared with the large hospitals of the other regions. Only citizens (the same rule as for the municipality of residence) count, with their age and sex in the year.",
};

/// The label of diagnosis group [`crate::diagnosis::OTHER_DIAGNOSIS_GROUP`].
pub const OTHER_DIAGNOSES: Text = Text {
    da: "Koder uden for kapitlerne",
    en: "Codes outside the chapters",
};

/// How hospital activity is counted by diagnosis group, specialty and
/// department type, for "Om data".
pub const HOSPITAL_BREAKDOWN_RULE: Text = Text {
    da: "Sygehusaktivitet efter diagnosegruppe, speciale og afdelingstype: en kontakt tælles i kapitlet i ICD-10 for sin aktionsdiagnose (SKS-koden uden det foranstillede D) og i specialet og afdelingstypen for sin enhed. Et ophold tælles efter sin første kontakt, og det samme gælder indlæggelser, sengedage og genindlæggelser; derfor lægger kontakter og ophold sig sammen på tværs af grupperne. En patient tælles én gang i hver gruppe, patienten har haft kontakt i i året, så patienter kan ikke lægges sammen på tværs af grupper. Kun borgere tælles, med alder og køn i året.",
    en: "Hospital activity by diagnosis group, specialty and department type: a contact counts in the ICD-10 chapter of its action diagnosis (the SKS code without its leading D) and in the specialty and department type of its unit. A stay counts by its first contact, and so do admissions, bed days and readmissions, so contacts and stays add up across the groups. A patient counts once in each group they had a contact in during the year, so patients cannot be added up across groups. Only citizens count, with their age and sex in the year.",
};

/// How general practice is counted by practice, for "Om data".
pub const PRACTICE_RULE: Text = Text {
    da: "Almen praksis efter lægepraksis: en kontakt tælles i den praksis (ydernummer), der har indberettet ydelsen til Sygesikringsregistret. Tilmeldte patienter er årets borgere, talt i praksis for årets seneste tilmelding ifølge patientlisterne (samme regel som lægeklyngen), så en klynges praksisser tilsammen har klyngens tilmeldte borgere. En borger med kontakt til to praksisser er patient i begge, så patienter kan ikke lægges sammen på tværs af praksisser. Kun borgere tælles, med alder og køn i året.",
    en: "General practice by practice: a contact counts at the practice (provider number) that reported the service to the Health Insurance Service Register. Listed patients are the year's citizens, counted at the practice of their latest listing in the year according to the patient lists (the same rule as the GP cluster), so a cluster's practices together have the cluster's listed citizens. A citizen in contact with two practices is a patient of both, so patients cannot be added up across practices. Only citizens count, with their age and sex in the year.",
};

/// Target-group code of "two or more chronic groups".
pub const TARGET_MULTIMORBID: u16 = 9;
/// Target-group code of nursing-home residents.
pub const TARGET_NURSING_HOME: u16 = 10;
/// Target-group code of elderly medical patients.
pub const TARGET_AEMI: u16 = 11;

/// The tile code of a CPR status code such as "01" or "90".
pub fn cpr_status_code(status: &str) -> Option<u16> {
    register::CPR_STATUS
        .iter()
        .any(|c| c.code == status)
        .then(|| status.parse().ok())
        .flatten()
}

/// The tile code of a civil status letter.
pub fn civil_status_code(letter: &str) -> Option<u16> {
    position_code(register::CIVIL_STATUS, letter)
}

/// The tile code of a hospital unit's specialty.
pub fn specialty_code(specialty: &str) -> Option<u16> {
    position_code(register::SPECIALTIES, specialty)
}

/// The tile code of a hospital unit's department type.
pub fn department_type_code(department_type: &str) -> Option<u16> {
    position_code(register::DEPARTMENT_TYPES, department_type)
}

/// The target-group code of a RUKS chronic group.
pub fn chronic_group_code(group: &str) -> Option<u16> {
    position_code(register::CHRONIC_GROUPS, group)
}

fn position_code(codes: &[Code], code: &str) -> Option<u16> {
    codes
        .iter()
        .position(|c| c.code == code)
        .map(|i| i as u16 + 1)
}

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

    /// Whether a person can have several values at once (target groups):
    /// then values never add up, and a cube must be filtered to one value
    /// or grouped by the dimension.
    pub fn overlapping(self) -> bool {
        matches!(
            self,
            DimensionId::TargetGroup
                | DimensionId::Hospital
                | DimensionId::DiagnosisGroup
                | DimensionId::Specialty
                | DimensionId::DepartmentType
                | DimensionId::Practice
                | DimensionId::Quarter
                | DimensionId::Month
                | DimensionId::DrugGroup
                | DimensionId::Medicine
                | DimensionId::PackageSize
        )
    }

    /// Every code of an enumerated dimension, in order (`None` for year,
    /// geography and age, whose codes come from elsewhere, and for GP
    /// clusters, practices and hospitals, whose codes come from the data).
    pub fn codes(self) -> Option<Vec<u16>> {
        let count = |n: usize| Some((1..=n as u16).collect());
        match self {
            DimensionId::Sex => Some(Sex::ALL.iter().map(|s| s.code()).collect()),
            DimensionId::CivilStatus => count(register::CIVIL_STATUS.len()),
            DimensionId::CprStatus => Some(
                register::CPR_STATUS
                    .iter()
                    .filter_map(|c| cpr_status_code(c.code))
                    .collect(),
            ),
            DimensionId::NursingHome => count(NURSING_HOME.len()),
            DimensionId::Quarter => count(4),
            DimensionId::Month => count(12),
            DimensionId::DiagnosisGroup => count(crate::diagnosis::DIAGNOSIS_CHAPTERS.len() + 1),
            DimensionId::Specialty => count(register::SPECIALTIES.len()),
            DimensionId::DepartmentType => count(register::DEPARTMENT_TYPES.len()),
            DimensionId::DrugGroup => count(crate::drug::DrugGroup::INDICATORS.len()),
            DimensionId::Consumption => count(CONSUMPTION.len()),
            DimensionId::Treatment => count(TREATMENT.len()),
            DimensionId::TargetGroup => {
                count(register::CHRONIC_GROUPS.len() + OTHER_TARGET_GROUPS.len())
            }
            _ => None,
        }
    }

    /// Maps a stored code of `from` to this dimension's code, for rollups.
    /// Returns `None` when this dimension is not a rollup of `from` or the
    /// code is unknown.
    pub fn rollup_code(self, from: DimensionId, code: u16) -> Option<u16> {
        match (self, from) {
            (a, b) if a == b => Some(code),
            (DimensionId::Region, DimensionId::Municipality) => geography::region_of(code),
            (DimensionId::HealthCluster, DimensionId::Municipality) => {
                geography::municipality(code).map(|m| u16::from(m.health_cluster))
            }
            (DimensionId::AgeGroup, DimensionId::AgeBand) => u8::try_from(code)
                .ok()
                .and_then(AgeBand::new)
                .map(|b| b.group().code()),
            _ => None,
        }
    }

    /// A human label for one code of this dimension.
    pub fn value_label(self, code: u16, lang: Lang) -> String {
        match self {
            DimensionId::Year => code.to_string(),
            DimensionId::DrugGroup => crate::drug::DrugGroup::from_code(code)
                .map_or_else(|| code.to_string(), |g| g.label().get(lang).to_string()),
            DimensionId::Medicine => crate::drug::Medicine::from_code(code)
                .map_or_else(|| code.to_string(), |m| m.label(lang)),
            DimensionId::Consumption => usize::from(code)
                .checked_sub(1)
                .and_then(|i| CONSUMPTION.get(i))
                .map_or_else(|| code.to_string(), |t| t.get(lang).to_string()),
            DimensionId::Treatment => usize::from(code)
                .checked_sub(1)
                .and_then(|i| TREATMENT.get(i))
                .map_or_else(|| code.to_string(), |t| t.get(lang).to_string()),
            DimensionId::PackageSize => match (code, lang) {
                (0, Lang::Da) => "Alle størrelser".to_string(),
                (0, Lang::En) => "Every size".to_string(),
                (n, Lang::Da) => format!("{n} stk."),
                (n, Lang::En) => format!("{n} units"),
            },
            DimensionId::Quarter => match lang {
                Lang::Da => format!("{code}. kvartal"),
                Lang::En => format!("Q{code}"),
            },
            DimensionId::Month => MONTHS
                .get(usize::from(code).wrapping_sub(1))
                .map_or_else(|| code.to_string(), |m| m.get(lang).to_string()),
            DimensionId::Municipality => geography::municipality(code)
                .map_or_else(|| code.to_string(), |m| m.name.to_string()),
            DimensionId::Region => geography::region(code)
                .map_or_else(|| code.to_string(), |r| r.short_name.to_string()),
            DimensionId::HealthCluster => geography::HEALTH_CLUSTERS
                .iter()
                .find(|c| u16::from(c.id) == code)
                .map_or_else(|| code.to_string(), |c| c.name.to_string()),
            DimensionId::AgeBand => u8::try_from(code)
                .ok()
                .and_then(AgeBand::new)
                .map_or_else(|| code.to_string(), |b| b.label(lang)),
            DimensionId::AgeGroup => {
                AgeGroup::from_code(code).map_or_else(|| code.to_string(), |g| g.label(lang))
            }
            DimensionId::Sex => Sex::from_code(code)
                .map_or_else(|| code.to_string(), |s| s.label().get(lang).to_string()),
            DimensionId::CivilStatus => code_label(register::CIVIL_STATUS, code, lang),
            DimensionId::CprStatus => register::CPR_STATUS
                .iter()
                .find(|c| cpr_status_code(c.code) == Some(code))
                .map_or_else(
                    || code.to_string(),
                    |c| format!("{} {}", c.code, c.label.get(lang)),
                ),
            DimensionId::NursingHome => usize::from(code)
                .checked_sub(1)
                .and_then(|i| NURSING_HOME.get(i))
                .map_or_else(|| code.to_string(), |t| t.get(lang).to_string()),
            DimensionId::GpCluster => match code {
                0 => NOT_LISTED.get(lang).to_string(),
                _ => format!("{} {code}", DimensionId::GpCluster.def().label.get(lang)),
            },
            // The names of a release's practices and hospitals travel in
            // their tiles.
            DimensionId::Practice => match code {
                ALL_PRACTICES => ALL_PRACTICES_LABEL.get(lang).to_string(),
                CLUSTER_PRACTICES => CLUSTER_PRACTICES_LABEL.get(lang).to_string(),
                _ => format!("{} {code}", DimensionId::Practice.def().label.get(lang)),
            },
            DimensionId::Hospital => match code {
                SJAELLAND_AS_ONE => SJAELLAND_AS_ONE_LABEL.get(lang).to_string(),
                _ => format!("{} {code}", DimensionId::Hospital.def().label.get(lang)),
            },
            DimensionId::DiagnosisGroup => usize::from(code)
                .checked_sub(1)
                .and_then(|i| crate::diagnosis::DIAGNOSIS_CHAPTERS.get(i))
                .map_or_else(
                    || match code {
                        crate::diagnosis::OTHER_DIAGNOSIS_GROUP => {
                            OTHER_DIAGNOSES.get(lang).to_string()
                        }
                        _ => code.to_string(),
                    },
                    |c| c.label.get(lang).to_string(),
                ),
            DimensionId::Specialty => code_label(register::SPECIALTIES, code, lang),
            DimensionId::DepartmentType => code_label(register::DEPARTMENT_TYPES, code, lang),
            DimensionId::TargetGroup => {
                let chronic = register::CHRONIC_GROUPS.len();
                match usize::from(code).checked_sub(1) {
                    Some(i) if i < chronic => code_label(register::CHRONIC_GROUPS, code, lang),
                    Some(i) => OTHER_TARGET_GROUPS
                        .get(i - chronic)
                        .map_or_else(|| code.to_string(), |t| t.get(lang).to_string()),
                    None => code.to_string(),
                }
            }
        }
    }
}

/// The label of the code at position `code - 1` of a code list.
fn code_label(codes: &[Code], code: u16, lang: Lang) -> String {
    usize::from(code)
        .checked_sub(1)
        .and_then(|i| codes.get(i))
        .map_or_else(|| code.to_string(), |c| c.label.get(lang).to_string())
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

/// An age band: five-year bands 0–4, 5–9, 10–14, then 15–17 and 18–19
/// (split at the age of majority, so that 0–17 and 18–64 are unions of
/// bands), then 20–24, …, 80–84 and 85+.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AgeBand(u8);

/// Youngest age of each band, by index.
const BAND_LOWER: [u32; 19] = [
    0, 5, 10, 15, 18, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85,
];

impl AgeBand {
    /// Number of bands.
    pub const COUNT: u8 = BAND_LOWER.len() as u8;

    /// The band with index `index` (0 = 0–4 years).
    pub fn new(index: u8) -> Option<AgeBand> {
        (index < Self::COUNT).then_some(AgeBand(index))
    }

    /// The band of someone aged `age` years.
    pub fn from_age(age: u32) -> AgeBand {
        let index = BAND_LOWER.partition_point(|lower| *lower <= age) - 1;
        AgeBand(index as u8)
    }

    /// The band's index, used as its tile code.
    pub fn index(self) -> u8 {
        self.0
    }

    /// Youngest age in the band.
    pub fn lower(self) -> u32 {
        BAND_LOWER[usize::from(self.0)]
    }

    /// Oldest age in the band; `None` for the open band 85+.
    pub fn upper(self) -> Option<u32> {
        BAND_LOWER.get(usize::from(self.0) + 1).map(|next| next - 1)
    }

    /// The broad age group the band belongs to.
    pub fn group(self) -> AgeGroup {
        AgeGroup::ALL
            .into_iter()
            .rev()
            .find(|g| g.lower() <= self.lower())
            .expect("the first group starts at 0")
    }

    /// Label such as "20-24 år" / "20-24 years", or "85+ år".
    pub fn label(self, lang: Lang) -> String {
        age_label(self.lower(), self.upper(), lang)
    }
}

/// A broad age group, as the real portal reports them: 0–17, 18–64,
/// 65–74, 75–84, 85+ (a union of age bands).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum AgeGroup {
    /// 0–17 years (code 1).
    Children,
    /// 18–64 years (code 2).
    Adults,
    /// 65–74 years (code 3).
    Elderly65,
    /// 75–84 years (code 4).
    Elderly75,
    /// 85 years and over (code 5).
    Elderly85,
}

impl AgeGroup {
    /// Every group, youngest first.
    pub const ALL: [AgeGroup; 5] = [
        AgeGroup::Children,
        AgeGroup::Adults,
        AgeGroup::Elderly65,
        AgeGroup::Elderly75,
        AgeGroup::Elderly85,
    ];

    /// The tile code, 1–5.
    pub fn code(self) -> u16 {
        self as u16 + 1
    }

    /// From a code.
    pub fn from_code(code: u16) -> Option<AgeGroup> {
        AgeGroup::ALL.into_iter().find(|g| g.code() == code)
    }

    /// Youngest age in the group.
    pub fn lower(self) -> u32 {
        match self {
            AgeGroup::Children => 0,
            AgeGroup::Adults => 18,
            AgeGroup::Elderly65 => 65,
            AgeGroup::Elderly75 => 75,
            AgeGroup::Elderly85 => 85,
        }
    }

    /// Label such as "18-64 år".
    pub fn label(self, lang: Lang) -> String {
        let upper = AgeGroup::ALL
            .get(self as usize + 1)
            .map(|next| next.lower() - 1);
        age_label(self.lower(), upper, lang)
    }
}

fn age_label(lower: u32, upper: Option<u32>, lang: Lang) -> String {
    let unit = match lang {
        Lang::Da => "år",
        Lang::En => "years",
    };
    match upper {
        Some(upper) => format!("{lower}-{upper} {unit}"),
        None => format!("{lower}+ {unit}"),
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
        assert_eq!(AgeBand::from_age(15).index(), 3);
        assert_eq!(AgeBand::from_age(17).index(), 3);
        assert_eq!(AgeBand::from_age(18).index(), 4);
        assert_eq!(AgeBand::from_age(20).index(), 5);
        assert_eq!(AgeBand::from_age(84).index(), 17);
        assert_eq!(AgeBand::from_age(85).index(), 18);
        assert_eq!(AgeBand::from_age(110).index(), 18);
        assert_eq!(AgeBand::from_age(85).label(Lang::Da), "85+ år");
        assert_eq!(AgeBand::from_age(22).label(Lang::En), "20-24 years");
        assert_eq!(AgeBand::from_age(16).label(Lang::Da), "15-17 år");
        assert!(AgeBand::new(19).is_none());
        // Consecutive bands leave no gap and no overlap.
        for i in 1..AgeBand::COUNT {
            let (a, b) = (AgeBand(i - 1), AgeBand(i));
            assert_eq!(a.upper().map(|u| u + 1), Some(b.lower()));
        }
    }

    #[test]
    fn age_groups_are_unions_of_bands() {
        let group_of = |age| AgeBand::from_age(age).group();
        assert_eq!(group_of(0), AgeGroup::Children);
        assert_eq!(group_of(17), AgeGroup::Children);
        assert_eq!(group_of(18), AgeGroup::Adults);
        assert_eq!(group_of(64), AgeGroup::Adults);
        assert_eq!(group_of(65), AgeGroup::Elderly65);
        assert_eq!(group_of(84), AgeGroup::Elderly75);
        assert_eq!(group_of(99), AgeGroup::Elderly85);
        assert_eq!(AgeGroup::Adults.label(Lang::Da), "18-64 år");
        assert_eq!(AgeGroup::Elderly85.label(Lang::En), "85+ years");
        assert_eq!(
            DimensionId::AgeGroup.rollup_code(DimensionId::AgeBand, 4),
            Some(AgeGroup::Adults.code())
        );
        for g in AgeGroup::ALL {
            assert_eq!(AgeGroup::from_code(g.code()), Some(g));
        }
    }

    #[test]
    fn health_cluster_is_a_rollup_of_municipality() {
        let cluster = DimensionId::HealthCluster
            .rollup_code(DimensionId::Municipality, 101)
            .expect("København has a cluster");
        assert_eq!(
            DimensionId::HealthCluster.rollup_code(DimensionId::Municipality, 147),
            Some(cluster),
            "Frederiksberg shares København's cluster"
        );
        assert!(DimensionId::HealthCluster
            .value_label(cluster, Lang::Da)
            .contains("Bispebjerg"));
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
    fn enumerated_codes_have_labels_and_round_trip() {
        assert_eq!(cpr_status_code("01"), Some(1));
        assert_eq!(cpr_status_code("90"), Some(90));
        assert_eq!(cpr_status_code("99"), None);
        assert_eq!(civil_status_code("U"), Some(1));
        assert_eq!(civil_status_code("D"), Some(8));
        assert_eq!(chronic_group_code("dementia"), Some(2));
        assert_eq!(
            DimensionId::TargetGroup.codes().map(|c| c.len()),
            Some(usize::from(TARGET_AEMI))
        );
        assert_eq!(
            DimensionId::CprStatus.value_label(80, Lang::Da),
            "80 Inaktiv, udrejst"
        );
        assert_eq!(DimensionId::CivilStatus.value_label(2, Lang::Da), "Gift");
        assert_eq!(
            DimensionId::TargetGroup.value_label(TARGET_AEMI, Lang::En),
            "Elderly medical patients (ÆMI)"
        );
        assert_eq!(DimensionId::TargetGroup.value_label(3, Lang::Da), "KOL");
        for d in [
            DimensionId::CivilStatus,
            DimensionId::CprStatus,
            DimensionId::NursingHome,
            DimensionId::TargetGroup,
        ] {
            for code in d.codes().expect("enumerated") {
                assert_ne!(d.value_label(code, Lang::Da), code.to_string());
            }
        }
        assert!(DimensionId::TargetGroup.overlapping());
        assert!(DimensionId::Quarter.overlapping());
        assert!(!DimensionId::CivilStatus.overlapping());
        assert_eq!(DimensionId::Quarter.value_label(3, Lang::Da), "3. kvartal");
        assert_eq!(DimensionId::Quarter.value_label(3, Lang::En), "Q3");
        assert!(DimensionId::Month.overlapping());
        assert_eq!(DimensionId::Month.value_label(1, Lang::Da), "januar");
        assert_eq!(DimensionId::Month.value_label(12, Lang::En), "December");
        assert_eq!(DimensionId::Month.value_label(13, Lang::Da), "13");
    }

    #[test]
    fn keys_are_unique() {
        let mut keys: Vec<_> = DIMENSIONS.iter().map(|d| d.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), DIMENSIONS.len());
    }
}
