//! The register extracts the ingestion accepts: one schema per register.
//!
//! Column names, types, code lists and references here are the contract
//! between the extract producers (the registers, or our synthetic
//! generator) and the ingestion endpoint. The backend validates every row
//! against this catalogue and stores each register in a table of the same
//! columns; the "Om data" page lists them.

use serde::{Deserialize, Serialize};

use crate::text::Text;
use crate::Lang;

/// A source register.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegisterId {
    /// The Civil Registration System (CPR): residence periods.
    Cpr,
    /// Nursing-home addresses.
    NursingHomes,
    /// The health-care classification system SOR: hospitals and units.
    Sor,
    /// The provider register (Ydernummerregistret).
    Ydr,
    /// Which GP practice each person is listed with.
    PatientList,
    /// The National Patient Register, third version (LPR3).
    Lpr,
    /// The National Health Insurance Service Register (Sygesikringsregistret).
    Ssr,
    /// Municipal care records (EOJ, FSIII).
    Eoj,
    /// The Register of Selected Chronic Diseases (RUKS).
    Ruks,
    /// The Register of Medicinal Product Statistics (prescriptions).
    Lsr,
    /// Clinical data from general practice (AIM).
    Aim,
    /// Specialist practice (Sentinel).
    Sentinel,
}

/// The type of a column's values, which decides validation and storage.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum ColumnType {
    /// A CPR number (10 digits, optional hyphen after six), replaced by its
    /// keyed pseudonym at the door; stored in the column `pseudonym`.
    Cpr,
    /// A date, `YYYY-MM-DD`.
    Date,
    /// A moment, `YYYY-MM-DDTHH:MM` (seconds optional; a space instead of
    /// `T` is accepted).
    Timestamp,
    /// A calendar month, `YYYY-MM`.
    Month,
    /// A whole number within bounds.
    Integer {
        /// Smallest allowed value.
        min: i64,
        /// Largest allowed value.
        max: i64,
    },
    /// A decimal number with `.` as decimal point, within bounds.
    Decimal {
        /// Smallest allowed value.
        min: f64,
        /// Largest allowed value.
        max: f64,
    },
    /// `1` (yes) or `0` (no).
    Flag,
    /// One of the codes of a code list.
    Code {
        /// The allowed codes.
        codes: &'static [Code],
    },
    /// One of the 98 three-digit municipality codes.
    Municipality,
    /// One of the five four-digit region codes.
    Region,
    /// A value of a given shape.
    Shaped {
        /// The shape.
        shape: Shape,
    },
    /// Free text up to a length.
    Text {
        /// Maximum length in characters.
        max_len: usize,
    },
}

/// Value shapes checked at the door.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// Provider number (ydernummer): six digits.
    ProviderNumber,
    /// SOR id: 6–18 digits.
    SorId,
    /// ATC code at level 5: letter, two digits, two letters, two digits
    /// (e.g. `N02AA01`).
    Atc,
    /// An SKS diagnosis code: `D`, a letter, two digits, then up to four
    /// letters or digits (e.g. `DJ189`).
    SksDiagnosis,
    /// Several SKS diagnosis codes separated by `|`.
    SksDiagnosisList,
    /// An address id: 1–36 letters, digits or `-`.
    AddressId,
    /// A short code: 1–32 letters, digits, `.`, `_` or `-`.
    ShortCode,
    /// Several short codes separated by `|`.
    ShortCodeList,
}

/// The bytes an address id may hold: ASCII letters, digits and `-`.
const ADDRESS_BYTES: [bool; 256] = {
    let mut ok = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        ok[c] = b.is_ascii_alphanumeric() || b == b'-';
        c += 1;
    }
    ok
};

/// The bytes a short code may hold: ASCII letters, digits, `.`, `_` and
/// `-`.
const CODE_BYTES: [bool; 256] = {
    let mut ok = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        ok[c] = b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-');
        c += 1;
    }
    ok
};

/// The longest short code.
const SHORT_CODE_MAX: usize = 32;

impl Shape {
    /// Whether `value` has this shape.
    pub fn accepts(self, value: &str) -> bool {
        let b = value.as_bytes();
        let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
        let sks = |s: &[u8]| {
            (4..=8).contains(&s.len())
                && s[0] == b'D'
                && s[1].is_ascii_uppercase()
                && digits(&s[2..4])
                && s[4..]
                    .iter()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        };
        match self {
            Shape::ProviderNumber => b.len() == 6 && digits(b),
            Shape::SorId => (6..=18).contains(&b.len()) && digits(b),
            Shape::Atc => {
                b.len() == 7
                    && b[0].is_ascii_uppercase()
                    && digits(&b[1..3])
                    && b[3].is_ascii_uppercase()
                    && b[4].is_ascii_uppercase()
                    && digits(&b[5..7])
            }
            Shape::SksDiagnosis => sks(b),
            Shape::SksDiagnosisList => value.split('|').all(|c| sks(c.as_bytes())),
            Shape::AddressId => {
                // Without a branch per byte: every CPR row has one.
                (1..=36).contains(&b.len())
                    && b.iter()
                        .fold(true, |ok, c| ok & ADDRESS_BYTES[usize::from(*c)])
            }
            Shape::ShortCode => {
                (1..=SHORT_CODE_MAX).contains(&b.len())
                    && b.iter().all(|c| CODE_BYTES[usize::from(*c)])
            }
            Shape::ShortCodeList => {
                // One pass over the bytes, not a split into codes and a
                // pass over each (a fiftieth of a municipal care batch).
                let mut len = 0;
                for &c in b {
                    if c == b'|' {
                        if !(1..=SHORT_CODE_MAX).contains(&len) {
                            return false;
                        }
                        len = 0;
                    } else if CODE_BYTES[usize::from(c)] {
                        len += 1;
                    } else {
                        return false;
                    }
                }
                (1..=SHORT_CODE_MAX).contains(&len)
            }
        }
    }

    /// The shape in words, for error messages (in English) and the data
    /// page.
    pub fn describe(self, lang: Lang) -> &'static str {
        let text = match self {
            Shape::ProviderNumber => Text {
                da: "et ydernummer på 6 cifre",
                en: "a provider number of 6 digits",
            },
            Shape::SorId => Text {
                da: "et SOR-id på 6–18 cifre",
                en: "a SOR id of 6–18 digits",
            },
            Shape::Atc => Text {
                da: "en ATC-kode på niveau 5, fx N02AA01",
                en: "an ATC code at level 5 such as N02AA01",
            },
            Shape::SksDiagnosis => Text {
                da: "en SKS-diagnosekode, fx DJ189",
                en: "an SKS diagnosis code such as DJ189",
            },
            Shape::SksDiagnosisList => Text {
                da: "SKS-diagnosekoder adskilt af |",
                en: "SKS diagnosis codes separated by |",
            },
            Shape::AddressId => Text {
                da: "et adresse-id på 1–36 bogstaver, cifre eller -",
                en: "an address id of 1–36 letters, digits or -",
            },
            Shape::ShortCode => Text {
                da: "en kode på 1–32 bogstaver, cifre, '.', '_' eller '-'",
                en: "a code of 1–32 letters, digits, '.', '_' or '-'",
            },
            Shape::ShortCodeList => Text {
                da: "koder adskilt af |",
                en: "codes separated by |",
            },
        };
        text.get(lang)
    }
}

/// A code of a code list, with its label.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Code {
    /// The code as it appears in extracts.
    pub code: &'static str,
    /// What it means.
    pub label: Text,
}

const fn code(code: &'static str, da: &'static str, en: &'static str) -> Code {
    Code {
        code,
        label: Text { da, en },
    }
}

/// A column of a register extract.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Column {
    /// Header name in the CSV (and field name in an Arrow stream).
    pub name: &'static str,
    /// The values' type.
    #[serde(flatten)]
    pub kind: ColumnType,
    /// Whether a value is required; otherwise empty means "none".
    pub required: bool,
    /// Another register's column every value must exist in (checked
    /// against the store at ingestion).
    pub references: Option<(RegisterId, &'static str)>,
    /// What the column holds.
    pub doc: Text,
}

impl Column {
    /// The column's name in the store: CPR numbers are stored only as
    /// their pseudonym.
    pub fn stored_name(&self) -> &'static str {
        match self.kind {
            ColumnType::Cpr => "pseudonym",
            _ => self.name,
        }
    }
}

/// A rule across columns of one row.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(rename_all = "snake_case", tag = "rule")]
pub enum RowRule {
    /// `later` (when given) is not before `earlier`.
    NotBefore {
        /// The column that must not come first.
        later: &'static str,
        /// The column it is compared with.
        earlier: &'static str,
    },
    /// `column` is required when `when` has one of the `codes`.
    RequiredWhen {
        /// The column that becomes required.
        column: &'static str,
        /// The column whose value decides.
        when: &'static str,
        /// The codes that make it required.
        codes: &'static [&'static str],
    },
}

/// The definition of a register.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Register {
    /// Identifier.
    pub id: RegisterId,
    /// Stable key, used in `/api/ingest/{key}`, file names and tables.
    pub key: &'static str,
    /// Label.
    pub label: Text,
    /// What one row is.
    pub row: &'static str,
    /// Columns, in the order the generator writes them.
    pub columns: &'static [Column],
    /// Columns that identify a row: a later batch with the same key
    /// replaces the row, and a key may appear once per batch. Empty for
    /// event registers, whose batches only add rows.
    pub key_columns: &'static [&'static str],
    /// Rules across columns.
    pub rules: &'static [RowRule],
}

impl Register {
    /// The table that holds the register in the store.
    pub fn table(&self) -> String {
        format!("reg_{}", self.key)
    }

    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Position of the column named `name`.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    /// Registers that must be ingested before this one (referenced).
    pub fn depends_on(&self) -> Vec<RegisterId> {
        let mut deps: Vec<RegisterId> = self
            .columns
            .iter()
            .filter_map(|c| c.references.map(|(r, _)| r))
            .filter(|r| *r != self.id)
            .collect();
        deps.sort();
        deps.dedup();
        deps
    }
}

/// Civil status codes of the CPR.
pub const CIVIL_STATUS: &[Code] = &[
    code("U", "Ugift", "Unmarried"),
    code("G", "Gift", "Married"),
    code("F", "Fraskilt", "Divorced"),
    code("E", "Enke/enkemand", "Widowed"),
    code("P", "Registreret partnerskab", "Registered partnership"),
    code(
        "O",
        "Ophævet partnerskab",
        "Dissolved registered partnership",
    ),
    code("L", "Længstlevende partner", "Surviving registered partner"),
    code("D", "Død", "Deceased"),
];

/// CPR status codes.
pub const CPR_STATUS: &[Code] = &[
    code(
        "01",
        "Aktiv, bopæl i dansk folkeregister",
        "Active, resident in Denmark",
    ),
    code("03", "Aktiv, speciel vejkode", "Active, special road code"),
    code(
        "05",
        "Aktiv, bopæl i grønlandsk folkeregister",
        "Active, resident in Greenland",
    ),
    code(
        "07",
        "Aktiv, speciel vejkode i grønlandsk folkeregister",
        "Active, special road code in Greenland",
    ),
    code(
        "20",
        "Inaktiv, uden bopæl i dansk/grønlandsk folkeregister",
        "Inactive, no residence in Denmark or Greenland",
    ),
    code(
        "30",
        "Inaktiv, annulleret personnummer",
        "Inactive, cancelled CPR number",
    ),
    code(
        "50",
        "Inaktiv, slettet personnummer ved dobbeltnummer",
        "Inactive, deleted duplicate number",
    ),
    code(
        "60",
        "Inaktiv, ændret personnummer",
        "Inactive, changed CPR number",
    ),
    code("70", "Inaktiv, forsvundet", "Inactive, disappeared"),
    code("80", "Inaktiv, udrejst", "Inactive, emigrated"),
    code("90", "Inaktiv, død", "Inactive, deceased"),
];

/// CPR status codes that end residence and need a date.
pub const CPR_STATUS_ENDING: &[&str] = &["70", "80", "90"];

/// Sex codes in extracts.
pub const SEX: &[Code] = &[code("M", "Mand", "Man"), code("K", "Kvinde", "Woman")];

/// Provider types in the provider register.
pub const PROVIDER_TYPES: &[Code] = &[
    code("general_practice", "Almen praksis", "General practice"),
    code(
        "specialist_practice",
        "Speciallægepraksis",
        "Specialist practice",
    ),
];

/// Medical specialties (of practices and hospital units).
pub const SPECIALTIES: &[Code] = &[
    code("general_practice", "Almen medicin", "General medicine"),
    code("internal_medicine", "Intern medicin", "Internal medicine"),
    code("geriatrics", "Geriatri", "Geriatrics"),
    code("cardiology", "Kardiologi", "Cardiology"),
    code("pulmonology", "Lungemedicin", "Pulmonology"),
    code("endocrinology", "Endokrinologi", "Endocrinology"),
    code("surgery", "Kirurgi", "Surgery"),
    code("orthopaedics", "Ortopædkirurgi", "Orthopaedic surgery"),
    code(
        "gynaecology",
        "Gynækologi og obstetrik",
        "Gynaecology and obstetrics",
    ),
    code("paediatrics", "Pædiatri", "Paediatrics"),
    code("psychiatry", "Psykiatri", "Psychiatry"),
    code("neurology", "Neurologi", "Neurology"),
    code("ophthalmology", "Øjenlægevidenskab", "Ophthalmology"),
    code(
        "otorhinolaryngology",
        "Øre-næse-halskirurgi",
        "Otorhinolaryngology",
    ),
    code("dermatology", "Dermato-venerologi", "Dermatology"),
    code("rheumatology", "Reumatologi", "Rheumatology"),
    code("emergency_medicine", "Akutmedicin", "Emergency medicine"),
];

/// SOR levels in the extract.
pub const SOR_LEVELS: &[Code] = &[
    code(
        "institution",
        "Sundhedsinstitution (sygehus)",
        "Health institution (hospital)",
    ),
    code("unit", "Enhed (afdeling)", "Unit (department)"),
];

/// Department types of hospital units.
pub const DEPARTMENT_TYPES: &[Code] = &[
    code("medical", "Medicinsk", "Medical"),
    code("surgical", "Kirurgisk", "Surgical"),
    code("psychiatric", "Psykiatrisk", "Psychiatric"),
    code("paediatric", "Pædiatrisk", "Paediatric"),
    code(
        "gynaecology_obstetrics",
        "Gynækologisk-obstetrisk",
        "Gynaecology and obstetrics",
    ),
    code("emergency", "Akutmodtagelse", "Emergency department"),
    code("other", "Andet", "Other"),
];

/// Priorities of hospital contacts.
pub const PRIORITIES: &[Code] = &[
    code("acute", "Akut", "Acute"),
    code("planned", "Planlagt", "Planned"),
];

/// Somatic or psychiatric.
pub const SECTORS: &[Code] = &[
    code("somatic", "Somatisk", "Somatic"),
    code("psychiatric", "Psykiatrisk", "Psychiatric"),
];

/// Kinds of contact with general practice, as coded in SSR extracts (the
/// order of [`GpContactType::ALL`]).
pub const GP_CONTACT_TYPES: &[Code] = &[
    code("consultation", "Konsultation", "Consultation"),
    code("phone", "Telefonkonsultation", "Telephone consultation"),
    code("email", "E-mailkonsultation", "E-mail consultation"),
    code("video", "Videokonsultation", "Video consultation"),
    code(
        "other_in_person",
        "Anden fremmøde",
        "Other in-person contact",
    ),
    code("home_visit", "Sygebesøg", "Home visit"),
];

/// Municipal care services (EOJ).
pub const CARE_SERVICES: &[Code] = &[
    code(
        "sel83_practical",
        "Praktisk hjælp (SEL § 83)",
        "Practical home help (SEL §83)",
    ),
    code(
        "sel83_personal",
        "Personlig pleje (SEL § 83)",
        "Personal care (SEL §83)",
    ),
    code(
        "sel83a",
        "Rehabiliteringsforløb (SEL § 83 a)",
        "Reablement (SEL §83a)",
    ),
    code(
        "sel86_1",
        "Genoptræning (SEL § 86, stk. 1)",
        "Rehabilitation training (SEL §86(1))",
    ),
    code(
        "sel86_2",
        "Vedligeholdelsestræning (SEL § 86, stk. 2)",
        "Maintenance training (SEL §86(2))",
    ),
    code(
        "sel79a",
        "Forebyggende hjemmebesøg (SEL § 79 a)",
        "Preventive home visits (SEL §79a)",
    ),
    code(
        "sul138",
        "Hjemmesygepleje (SUL § 138)",
        "Home nursing (SUL §138)",
    ),
    code(
        "sul140",
        "Genoptræning efter udskrivning (SUL § 140)",
        "Rehabilitation after discharge (SUL §140)",
    ),
];

/// The eight RUKS chronic groups.
pub const CHRONIC_GROUPS: &[Code] = &[
    code("asthma", "Astma", "Asthma"),
    code("dementia", "Demens", "Dementia"),
    code("copd", "KOL", "COPD"),
    code("rheumatoid_arthritis", "Leddegigt", "Rheumatoid arthritis"),
    code("osteoporosis", "Knogleskørhed", "Osteoporosis"),
    code("type1_diabetes", "Type 1-diabetes", "Type 1 diabetes"),
    code("type2_diabetes", "Type 2-diabetes", "Type 2 diabetes"),
    code("schizophrenia", "Skizofreni", "Schizophrenia"),
];

/// Kinds of AIM records.
pub const AIM_KINDS: &[Code] = &[
    code("diagnosis", "Diagnose", "Diagnosis"),
    code("examination", "Undersøgelse", "Examination"),
];

/// Where a specialist-practice patient was referred from.
pub const REFERRAL_SOURCES: &[Code] = &[
    code("gp", "Almen praksis", "General practice"),
    code("specialist", "Speciallæge", "Specialist"),
    code("hospital", "Sygehus", "Hospital"),
    code("none", "Uden henvisning", "No referral"),
];

const fn column(name: &'static str, kind: ColumnType, doc: Text) -> Column {
    Column {
        name,
        kind,
        required: true,
        references: None,
        doc,
    }
}

const fn optional(name: &'static str, kind: ColumnType, doc: Text) -> Column {
    Column {
        name,
        kind,
        required: false,
        references: None,
        doc,
    }
}

const fn reference(
    name: &'static str,
    kind: ColumnType,
    to: (RegisterId, &'static str),
    doc: Text,
) -> Column {
    Column {
        name,
        kind,
        required: true,
        references: Some(to),
        doc,
    }
}

const CPR_COLUMN: Column = column(
    "cpr",
    ColumnType::Cpr,
    Text { da: "CPR-nummer, 10 cifre (DDMMYYSSSS, evt. med bindestreg); pseudonymiseres ved modtagelsen", en: "CPR number, 10 digits (DDMMYYSSSS, optional hyphen); pseudonymised at the door" },
);
const PROVIDER: ColumnType = ColumnType::Shaped {
    shape: Shape::ProviderNumber,
};
const SOR_ID: ColumnType = ColumnType::Shaped {
    shape: Shape::SorId,
};
const YDR_PROVIDER: (RegisterId, &str) = (RegisterId::Ydr, "provider_number");

/// Every register, in an order in which they can be ingested (a register
/// comes after those it references).
pub const REGISTERS: &[Register] = &[
    Register {
        id: RegisterId::Sor,
        key: "sor",
        label: Text {
            da: "Sundhedsvæsenets Organisationsregister (SOR)",
            en: "Health-care organisation register (SOR)",
        },
        row: "a hospital (SOR health institution) or one of its units",
        columns: &[
            column("sor_id", SOR_ID, Text { da: "SOR-id for institutionen eller enheden", en: "SOR id of the institution or unit" }),
            column("name", ColumnType::Text { max_len: 200 }, Text { da: "navn", en: "name" }),
            column("level", ColumnType::Code { codes: SOR_LEVELS }, Text { da: "institution eller enhed", en: "institution or unit" }),
            column(
                "institution_id",
                SOR_ID,
                Text { da: "den SOR-sundhedsinstitution (det sygehus), enheden hører under; for en institution dens eget id", en: "the SOR health institution (hospital) the unit belongs to; its own id for an institution" },
            ),
            column("region", ColumnType::Region, Text { da: "firecifret regionskode", en: "four-digit region code" }),
            column(
                "municipality",
                ColumnType::Municipality,
                Text { da: "kommunen, institutionen har adresse i (for enheder: deres institutions)", en: "municipality of the institution's address (units: their institution's)" },
            ),
            optional(
                "department_type",
                ColumnType::Code { codes: DEPARTMENT_TYPES },
                Text { da: "afdelingstype (enheder)", en: "type of department (units)" },
            ),
            optional(
                "specialty",
                ColumnType::Code { codes: SPECIALTIES },
                Text { da: "hovedspeciale (enheder)", en: "main specialty (units)" },
            ),
        ],
        key_columns: &["sor_id"],
        rules: &[RowRule::RequiredWhen {
            column: "department_type",
            when: "level",
            codes: &["unit"],
        }],
    },
    Register {
        id: RegisterId::Ydr,
        key: "ydr",
        label: Text {
            da: "Ydernummerregistret (YDR)",
            en: "Provider register (YDR)",
        },
        row: "a provider (practice) with its active period",
        columns: &[
            column("provider_number", PROVIDER, Text { da: "ydernummer", en: "ydernummer" }),
            column("name", ColumnType::Text { max_len: 200 }, Text { da: "praksisnavn", en: "practice name" }),
            column(
                "provider_type",
                ColumnType::Code { codes: PROVIDER_TYPES },
                Text { da: "almen praksis eller speciallægepraksis", en: "general or specialist practice" },
            ),
            column(
                "specialty",
                ColumnType::Code { codes: SPECIALTIES },
                Text { da: "speciale (general_practice for almen praksis)", en: "specialty (general_practice for GPs)" },
            ),
            column("municipality", ColumnType::Municipality, Text { da: "kommunen, praksis ligger i", en: "municipality of the practice" }),
            optional(
                "gp_cluster",
                ColumnType::Integer { min: 1, max: 999 },
                Text { da: "lægeklyngens id; skal udfyldes for almen praksis", en: "GP cluster (klynge) id; required for general practice" },
            ),
            column("valid_from", ColumnType::Date, Text { da: "første aktive dag", en: "first active day" }),
            optional("valid_to", ColumnType::Date, Text { da: "første dag, hvor yderen ikke længere er aktiv; tom, så længe den er aktiv", en: "first day no longer active; empty while active" }),
        ],
        key_columns: &["provider_number"],
        rules: &[
            RowRule::NotBefore { later: "valid_to", earlier: "valid_from" },
            RowRule::RequiredWhen {
                column: "gp_cluster",
                when: "provider_type",
                codes: &["general_practice"],
            },
        ],
    },
    Register {
        id: RegisterId::NursingHomes,
        key: "nursing_homes",
        label: Text {
            da: "Plejehjemsadresser (SDS)",
            en: "Nursing-home addresses (SDS)",
        },
        row: "an address that is a nursing home",
        columns: &[
            column("address_id", ColumnType::Shaped { shape: Shape::AddressId }, Text { da: "adresse-id (som i CPR)", en: "address id (as in CPR)" }),
            column("municipality", ColumnType::Municipality, Text { da: "plejehjemmets kommune", en: "municipality of the nursing home" }),
            column("name", ColumnType::Text { max_len: 200 }, Text { da: "plejehjemmets navn", en: "name of the nursing home" }),
            column("valid_from", ColumnType::Date, Text { da: "første dag, hvor adressen er en plejebolig", en: "first day the address is a nursing home" }),
            optional("valid_to", ColumnType::Date, Text { da: "første dag, hvor den ikke længere er det; tom, så længe den er det", en: "first day it no longer is; empty while it is" }),
        ],
        key_columns: &["address_id"],
        rules: &[RowRule::NotBefore { later: "valid_to", earlier: "valid_from" }],
    },
    Register {
        id: RegisterId::Cpr,
        key: "cpr",
        label: Text {
            da: "CPR-registret",
            en: "Civil Registration System (CPR)",
        },
        row: "a period of residence of a person, with the person's facts",
        columns: &[
            CPR_COLUMN,
            column("birth_date", ColumnType::Date, Text { da: "YYYY-MM-DD", en: "YYYY-MM-DD" }),
            column("sex", ColumnType::Code { codes: SEX }, Text { da: "M eller K", en: "M or K" }),
            column("municipality", ColumnType::Municipality, Text { da: "bopælskommune i perioden", en: "municipality of residence in the period" }),
            column("address_id", ColumnType::Shaped { shape: Shape::AddressId }, Text { da: "boligens adresse-id", en: "address id of the residence" }),
            column("valid_from", ColumnType::Date, Text { da: "første dag på adressen", en: "first day of the residence" }),
            optional(
                "valid_to",
                ColumnType::Date,
                Text { da: "dagen, hvor bopælen ophørte (flyttedag eller dato for død, udvandring eller forsvinden); tom for den nuværende", en: "the day the residence ended (moving day, or date of death, emigration or disappearance); empty while current" },
            ),
            column("civil_status", ColumnType::Code { codes: CIVIL_STATUS }, Text { da: "civilstand", en: "civil status" }),
            column("status", ColumnType::Code { codes: CPR_STATUS }, Text { da: "CPR-statuskode", en: "CPR status code" }),
            optional("status_date", ColumnType::Date, Text { da: "dato for død, udvandring eller forsvinden", en: "date of death, emigration or disappearance" }),
        ],
        key_columns: &["cpr", "valid_from"],
        rules: &[
            RowRule::NotBefore { later: "valid_to", earlier: "valid_from" },
            RowRule::NotBefore { later: "valid_from", earlier: "birth_date" },
            RowRule::RequiredWhen {
                column: "status_date",
                when: "status",
                codes: CPR_STATUS_ENDING,
            },
        ],
    },
    Register {
        id: RegisterId::PatientList,
        key: "patient_list",
        label: Text {
            da: "Patientlister (tilmelding til almen praksis)",
            en: "Patient lists (registration with a GP practice)",
        },
        row: "a period in which a person is listed with a practice",
        columns: &[
            CPR_COLUMN,
            reference("provider_number", PROVIDER, YDR_PROVIDER, Text { da: "praksis", en: "the practice" }),
            column("valid_from", ColumnType::Date, Text { da: "første dag som tilmeldt", en: "first listed day" }),
            optional("valid_to", ColumnType::Date, Text { da: "første dag, hvor personen ikke længere er tilmeldt; tom, så længe personen er tilmeldt", en: "first day no longer listed; empty while listed" }),
        ],
        key_columns: &["cpr", "valid_from"],
        rules: &[RowRule::NotBefore { later: "valid_to", earlier: "valid_from" }],
    },
    Register {
        id: RegisterId::Lpr,
        key: "lpr",
        label: Text {
            da: "Landspatientregistret (LPR3)",
            en: "National Patient Register (LPR3)",
        },
        row: "a hospital contact",
        columns: &[
            column("contact_id", ColumnType::Shaped { shape: Shape::ShortCode }, Text { da: "kontaktens id", en: "the contact's id" }),
            CPR_COLUMN,
            column("start_time", ColumnType::Timestamp, Text { da: "kontaktens start", en: "start of the contact" }),
            column("end_time", ColumnType::Timestamp, Text { da: "kontaktens afslutning", en: "end of the contact" }),
            reference("sor_unit", SOR_ID, (RegisterId::Sor, "sor_id"), Text { da: "den ansvarlige enhed (SOR)", en: "the unit (SOR) responsible" }),
            column("specialty", ColumnType::Code { codes: SPECIALTIES }, Text { da: "enhedens speciale", en: "the unit's specialty" }),
            column(
                "department_type",
                ColumnType::Code { codes: DEPARTMENT_TYPES },
                Text { da: "medicinsk, kirurgisk, psykiatrisk …", en: "medical, surgical, psychiatric …" },
            ),
            column("priority", ColumnType::Code { codes: PRIORITIES }, Text { da: "akut eller planlagt", en: "acute or planned" }),
            column("sector", ColumnType::Code { codes: SECTORS }, Text { da: "somatisk eller psykiatrisk", en: "somatic or psychiatric" }),
            column(
                "action_diagnosis",
                ColumnType::Shaped { shape: Shape::SksDiagnosis },
                Text { da: "aktionsdiagnose, SKS-kode", en: "action diagnosis (aktionsdiagnose), SKS code" },
            ),
            optional(
                "secondary_diagnoses",
                ColumnType::Shaped { shape: Shape::SksDiagnosisList },
                Text { da: "bidiagnoser, adskilt af |", en: "secondary diagnoses (bidiagnoser), separated by |" },
            ),
            column("rehabilitation_plan", ColumnType::Flag, Text { da: "1, hvis der blev udarbejdet en genoptræningsplan", en: "1 if a rehabilitation plan (genoptræningsplan) was issued" }),
        ],
        key_columns: &["contact_id"],
        rules: &[RowRule::NotBefore { later: "end_time", earlier: "start_time" }],
    },
    Register {
        id: RegisterId::Ssr,
        key: "ssr",
        label: Text {
            da: "Sygesikringsregistret (SSR)",
            en: "Health Insurance Service Register (SSR)",
        },
        row: "a service from general or specialist practice",
        columns: &[
            CPR_COLUMN,
            column("contact_date", ColumnType::Date, Text { da: "YYYY-MM-DD", en: "YYYY-MM-DD" }),
            reference("provider_number", PROVIDER, YDR_PROVIDER, Text { da: "yderen (ydernummer)", en: "the provider (ydernummer)" }),
            column(
                "contact_type",
                ColumnType::Code { codes: GP_CONTACT_TYPES },
                Text { da: "consultation | phone | email | video | other_in_person | home_visit (konsultation, telefon, e-mail, video, andet fremmøde, sygebesøg)", en: "consultation | phone | email | video | other_in_person | home_visit" },
            ),
        ],
        key_columns: &[],
        rules: &[],
    },
    Register {
        id: RegisterId::Eoj,
        key: "eoj",
        label: Text {
            da: "Kommunale omsorgsdata (EOJ/FSIII)",
            en: "Municipal care records (EOJ/FSIII)",
        },
        row: "a citizen's month of one municipal service",
        columns: &[
            CPR_COLUMN,
            column("month", ColumnType::Month, Text { da: "YYYY-MM", en: "YYYY-MM" }),
            column("municipality", ColumnType::Municipality, Text { da: "den indberettende kommune", en: "the reporting municipality" }),
            column("service", ColumnType::Code { codes: CARE_SERVICES }, Text { da: "ydelsen (lovparagraf)", en: "the service (paragraph of the law)" }),
            optional(
                "hours",
                ColumnType::Decimal { min: 0.0, max: 744.0 },
                Text { da: "visiterede timer i måneden (hjemmehjælp)", en: "visited hours in the month (home help)" },
            ),
            optional(
                "conditions",
                ColumnType::Shaped { shape: Shape::ShortCodeList },
                Text { da: "FSIII-tilstande, adskilt af |", en: "FSIII conditions (tilstande), separated by |" },
            ),
            optional(
                "interventions",
                ColumnType::Shaped { shape: Shape::ShortCodeList },
                Text { da: "FSIII-indsatser, adskilt af |", en: "FSIII interventions (indsatser), separated by |" },
            ),
        ],
        key_columns: &["cpr", "month", "service"],
        rules: &[RowRule::RequiredWhen {
            column: "hours",
            when: "service",
            codes: &["sel83_practical", "sel83_personal"],
        }],
    },
    Register {
        id: RegisterId::Ruks,
        key: "ruks",
        label: Text {
            da: "Register for Udvalgte Kroniske Sygdomme (RUKS)",
            en: "Register of Selected Chronic Diseases (RUKS)",
        },
        row: "a person in a chronic group",
        columns: &[
            CPR_COLUMN,
            column("chronic_group", ColumnType::Code { codes: CHRONIC_GROUPS }, Text { da: "den kroniske gruppe", en: "the chronic group" }),
            column("first_date", ColumnType::Date, Text { da: "dato, hvor personen første gang opfyldte gruppens kriterier", en: "date the person first met the group's criteria" }),
        ],
        key_columns: &["cpr", "chronic_group"],
        rules: &[],
    },
    Register {
        id: RegisterId::Lsr,
        key: "lsr",
        label: Text {
            da: "Lægemiddelstatistikregistret (LSR)",
            en: "Register of Medicinal Product Statistics (LSR)",
        },
        row: "a redeemed prescription",
        columns: &[
            CPR_COLUMN,
            column("redemption_date", ColumnType::Date, Text { da: "YYYY-MM-DD", en: "YYYY-MM-DD" }),
            column("atc", ColumnType::Shaped { shape: Shape::Atc }, Text { da: "ATC-kode, niveau 5", en: "ATC code, level 5" }),
            column("product", ColumnType::Text { max_len: 200 }, Text { da: "produktnavn", en: "product name" }),
            column("package_size", ColumnType::Integer { min: 1, max: 10_000 }, Text { da: "antal enheder i pakningen", en: "units in the package" }),
            column(
                "ddd",
                ColumnType::Decimal { min: 0.0, max: 100_000.0 },
                Text { da: "definerede døgndoser i pakningen (illustrativ DDD-tabel)", en: "defined daily doses in the package (illustrative DDD table)" },
            ),
            Column {
                required: false,
                ..reference("prescriber", PROVIDER, YDR_PROVIDER, Text { da: "ordinerende yder; tom, hvis det ikke er en praksis", en: "prescribing provider, empty if not a practice" })
            },
            column("depot", ColumnType::Flag, Text { da: "1 for et depotpræparat", en: "1 for a depot formulation" }),
        ],
        key_columns: &[],
        rules: &[],
    },
    Register {
        id: RegisterId::Aim,
        key: "aim",
        label: Text {
            da: "Kliniske data fra almen praksis (AIM)",
            en: "Clinical data from general practice (AIM)",
        },
        row: "a diagnosis or examination recorded in general practice",
        columns: &[
            CPR_COLUMN,
            column("record_date", ColumnType::Date, Text { da: "YYYY-MM-DD", en: "YYYY-MM-DD" }),
            reference("provider_number", PROVIDER, YDR_PROVIDER, Text { da: "praksis", en: "the practice" }),
            column("kind", ColumnType::Code { codes: AIM_KINDS }, Text { da: "diagnose eller undersøgelse", en: "diagnosis or examination" }),
            column(
                "code",
                ColumnType::Shaped { shape: Shape::ShortCode },
                Text { da: "ICPC-2-diagnosekode eller undersøgelse (hba1c, spirometry_fev1_fvc, systolic_bp …)", en: "ICPC-2 diagnosis code, or examination (hba1c, spirometry_fev1_fvc, systolic_bp …)" },
            ),
            optional(
                "value",
                ColumnType::Decimal { min: -1.0e9, max: 1.0e9 },
                Text { da: "undersøgelsens resultat", en: "the examination's result" },
            ),
            optional("unit", ColumnType::Text { max_len: 20 }, Text { da: "resultatets enhed", en: "the result's unit" }),
        ],
        key_columns: &[],
        rules: &[RowRule::RequiredWhen {
            column: "value",
            when: "kind",
            codes: &["examination"],
        }],
    },
    Register {
        id: RegisterId::Sentinel,
        key: "sentinel",
        label: Text {
            da: "Speciallægepraksis (Sentinel)",
            en: "Specialist practice (Sentinel)",
        },
        row: "a contact with a specialist practice",
        columns: &[
            CPR_COLUMN,
            column("contact_date", ColumnType::Date, Text { da: "YYYY-MM-DD", en: "YYYY-MM-DD" }),
            reference("provider_number", PROVIDER, YDR_PROVIDER, Text { da: "speciallægepraksis", en: "the specialist practice" }),
            column("specialty", ColumnType::Code { codes: SPECIALTIES }, Text { da: "praksissens speciale", en: "the practice's specialty" }),
            optional(
                "diagnosis",
                ColumnType::Shaped { shape: Shape::SksDiagnosis },
                Text { da: "diagnose, SKS-kode", en: "diagnosis, SKS code" },
            ),
            column(
                "referral_from",
                ColumnType::Code { codes: REFERRAL_SOURCES },
                Text { da: "hvem der henviste patienten", en: "who referred the patient" },
            ),
        ],
        key_columns: &[],
        rules: &[],
    },
];

impl RegisterId {
    /// Every register, in ingestion order.
    pub fn all() -> impl Iterator<Item = RegisterId> {
        REGISTERS.iter().map(|r| r.id)
    }

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
        GP_CONTACT_TYPES[self as usize].code
    }

    /// From the extract code.
    pub fn from_code(code: &str) -> Option<GpContactType> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }
}

impl ColumnType {
    /// The type in words, for documentation.
    pub fn describe(&self, lang: Lang) -> String {
        let da = lang == Lang::Da;
        let pick = |da_text: &str, en_text: &str| if da { da_text } else { en_text }.to_string();
        match self {
            ColumnType::Cpr => pick(
                "CPR-nummer (pseudonymiseres ved modtagelsen)",
                "CPR number (pseudonymised at the door)",
            ),
            ColumnType::Date => pick("dato `YYYY-MM-DD`", "date `YYYY-MM-DD`"),
            ColumnType::Timestamp => pick(
                "tidspunkt `YYYY-MM-DDTHH:MM[:SS]`",
                "timestamp `YYYY-MM-DDTHH:MM[:SS]`",
            ),
            ColumnType::Month => pick("måned `YYYY-MM`", "month `YYYY-MM`"),
            ColumnType::Integer { min, max } => {
                format!("{} {min}–{max}", pick("heltal", "whole number"))
            }
            ColumnType::Decimal { min, max } => format!(
                "{} {min}–{max} ({})",
                pick("decimaltal", "decimal number"),
                pick("`.` som decimaltegn", "`.` as decimal point")
            ),
            ColumnType::Flag => pick("`0` eller `1`", "`0` or `1`"),
            ColumnType::Code { codes } => {
                let list: Vec<String> = codes.iter().map(|c| format!("`{}`", c.code)).collect();
                format!("{}: {}", pick("kode", "code"), list.join(", "))
            }
            ColumnType::Municipality => pick(
                "kommunekode (en af de 98)",
                "municipality code (one of the 98)",
            ),
            ColumnType::Region => pick("regionskode (1081–1085)", "region code (1081–1085)"),
            ColumnType::Shaped { shape } => shape.describe(lang).into(),
            ColumnType::Text { max_len } => format!(
                "{} {max_len} {}",
                pick("tekst, højst", "text, at most"),
                pick("tegn", "characters")
            ),
        }
    }
}

/// The register formats as Markdown (the source of `docs/registers.md`).
pub fn markdown() -> String {
    let mut out = String::from(
        "# Register extracts\n\n\
         Generated from the catalogue (`shared/src/register.rs`) by `tvaers registers`; \
         do not edit by hand.\n\n\
         Every register is ingested with `POST /api/ingest/{register}` (or `tvaers ingest \
         {register} FILE`) as CSV with a header row (`text/csv`) or as an Arrow IPC stream \
         with the same column names (`application/vnd.apache.arrow.stream`). Columns may \
         come in any order; extra columns are ignored. An empty field is \"none\" and is \
         allowed only where the column is optional. Registers are listed in an order in \
         which they can be ingested: a register comes after the registers it references.\n\n",
    );
    for r in REGISTERS {
        out.push_str(&format!("## `{}` — {}\n\n", r.key, r.label.en));
        out.push_str(&format!("Danish: {}. One row is {}.", r.label.da, r.row));
        if r.key_columns.is_empty() {
            out.push_str(" Batches add rows (events).\n\n");
        } else {
            out.push_str(&format!(
                " Key: ({}) — unique within a batch; a later batch replaces the row.\n\n",
                r.key_columns.join(", ")
            ));
        }
        out.push_str("| column | required | type | meaning |\n|---|---|---|---|\n");
        for c in r.columns {
            let mut meaning = c.doc.en.to_string();
            if let Some((to, name)) = c.references {
                meaning.push_str(&format!("; must exist in `{}`.`{name}`", to.key()));
            }
            out.push_str(&format!(
                "| `{}` | {} | {} | {} |\n",
                c.name,
                if c.required { "yes" } else { "no" },
                c.kind.describe(Lang::En).replace('|', "\\|"),
                meaning.replace('|', "\\|")
            ));
        }
        if !r.rules.is_empty() {
            out.push_str("\nRules:\n\n");
            for rule in r.rules {
                out.push_str(&match rule {
                    RowRule::NotBefore { later, earlier } => {
                        format!("- `{later}`, when given, is not before `{earlier}`.\n")
                    }
                    RowRule::RequiredWhen {
                        column,
                        when,
                        codes,
                    } => format!(
                        "- `{column}` is required when `{when}` is {}.\n",
                        codes
                            .iter()
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ),
                });
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registers_are_found_by_key() {
        assert_eq!(RegisterId::from_key("cpr"), Some(RegisterId::Cpr));
        assert_eq!(RegisterId::from_key("ssr"), Some(RegisterId::Ssr));
        assert_eq!(
            RegisterId::from_key("patient_list"),
            Some(RegisterId::PatientList)
        );
        assert_eq!(RegisterId::from_key("lpr2"), None);
        assert_eq!(RegisterId::all().count(), 12);
    }

    #[test]
    fn contact_type_codes_round_trip() {
        for t in GpContactType::ALL {
            assert_eq!(GpContactType::from_code(t.code()), Some(t));
        }
        assert_eq!(GpContactType::from_code("fax"), None);
        assert_eq!(GpContactType::HomeVisit.code(), "home_visit");
    }

    #[test]
    fn catalogue_is_consistent() {
        for (i, r) in REGISTERS.iter().enumerate() {
            // Keys, rules and references name real columns.
            for k in r.key_columns {
                assert!(r.column(k).is_some(), "{}: key {k}", r.key);
            }
            for rule in r.rules {
                let names: Vec<&str> = match rule {
                    RowRule::NotBefore { later, earlier } => vec![later, earlier],
                    RowRule::RequiredWhen { column, when, .. } => vec![column, when],
                };
                for n in names {
                    assert!(r.column(n).is_some(), "{}: rule column {n}", r.key);
                }
            }
            // A register comes after every register it references.
            for dep in r.depends_on() {
                let at = REGISTERS.iter().position(|o| o.id == dep).expect("listed");
                assert!(at < i, "{} must come after {}", r.key, dep.key());
            }
            for c in r.columns {
                if let Some((to, name)) = c.references {
                    assert!(to.def().column(name).is_some(), "{}.{}", r.key, c.name);
                }
            }
            let mut names: Vec<&str> = r.columns.iter().map(|c| c.stored_name()).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), r.columns.len(), "{}: duplicate columns", r.key);
        }
    }

    #[test]
    fn shapes_accept_and_refuse() {
        assert!(Shape::Atc.accepts("N02AA01"));
        assert!(!Shape::Atc.accepts("N02A"));
        assert!(!Shape::Atc.accepts("n02aa01"));
        assert!(Shape::SksDiagnosis.accepts("DJ189"));
        assert!(Shape::SksDiagnosis.accepts("DE11"));
        assert!(!Shape::SksDiagnosis.accepts("J189"));
        assert!(!Shape::SksDiagnosis.accepts("DJ1"));
        assert!(Shape::SksDiagnosisList.accepts("DJ189|DE119"));
        assert!(!Shape::SksDiagnosisList.accepts("DJ189|"));
        assert!(Shape::ProviderNumber.accepts("012345"));
        assert!(!Shape::ProviderNumber.accepts("12345"));
        assert!(Shape::SorId.accepts("6008101"));
        assert!(!Shape::SorId.accepts("60081x1"));
        assert!(Shape::ShortCodeList.accepts("J1.1|K2"));
        assert!(Shape::ShortCodeList.accepts("a_b-c"));
        let longest = "x".repeat(32);
        assert!(Shape::ShortCode.accepts(&longest));
        assert!(Shape::ShortCodeList.accepts(&format!("K2|{longest}|K3")));
        for bad in ["", "|", "K2|", "|K2", "K2||K3", "K2|a b", "K2|æ", "K2;K3"] {
            assert!(!Shape::ShortCodeList.accepts(bad), "{bad:?}");
        }
        assert!(!Shape::ShortCode.accepts(&format!("{longest}x")));
        assert!(!Shape::ShortCodeList.accepts(&format!("K2|{longest}x")));
        assert!(!Shape::ShortCodeList.accepts(&format!("{longest}x|K2")));
        assert!(!Shape::ShortCode.accepts("a b"));
        assert!(Shape::AddressId.accepts("63221396-445a-42bc-b8e2-eab7a16f4aa3"));
        assert!(!Shape::AddressId.accepts("63221396-445a-42bc-b8e2-eab7a16f4aa3f"));
        assert!(!Shape::AddressId.accepts(""));
        for c in (0..=127u8).map(char::from).chain(['æ', 'Ø']) {
            let expected = c.is_ascii_alphanumeric() || c == '-';
            assert_eq!(
                Shape::AddressId.accepts(&format!("A-{c}1")),
                expected,
                "{c:?}"
            );
        }
    }

    #[test]
    fn every_column_is_described_in_danish_too() {
        // A format or a Danish term reads the same in both languages.
        let same = ["ydernummer", "YYYY-MM", "YYYY-MM-DD"];
        for r in REGISTERS {
            for c in r.columns {
                assert!(!c.doc.da.is_empty(), "{}.{}", r.key, c.name);
                assert!(
                    c.doc.da != c.doc.en || same.contains(&c.doc.en),
                    "{}.{}: {:?} is not translated",
                    r.key,
                    c.name,
                    c.doc.en
                );
                assert_ne!(
                    c.kind.describe(Lang::Da),
                    c.kind.describe(Lang::En),
                    "{}.{}",
                    r.key,
                    c.name
                );
            }
        }
    }

    #[test]
    fn docs_registers_md_is_current() {
        // Regenerate with `cargo run -p tvaers-backend -- registers > docs/registers.md`.
        assert!(
            include_str!("../../docs/registers.md") == markdown(),
            "docs/registers.md is out of date: run `cargo run -p tvaers-backend -- registers > docs/registers.md`"
        );
    }

    #[test]
    fn markdown_documents_every_column_and_rule() {
        let doc = markdown();
        for r in REGISTERS {
            assert!(doc.contains(&format!("## `{}`", r.key)));
            for c in r.columns {
                assert!(
                    doc.contains(&format!("| `{}` |", c.name)),
                    "{}.{}",
                    r.key,
                    c.name
                );
            }
        }
        assert!(doc.contains("- `status_date` is required when `status` is `70` or `80` or `90`."));
        assert!(doc.contains("must exist in `ydr`.`provider_number`"));
    }
}
