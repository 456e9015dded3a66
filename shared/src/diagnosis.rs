//! Diagnosis groups of the catalogue: the nine groups of preventable
//! admissions of elderly citizens (forebyggelige indlæggelser), with their
//! SKS diagnosis codes written down once for the aggregation, the "Om
//! data" page and `GET /api/catalog`; and the diagnosis groups hospital
//! activity is broken down by, the chapters of ICD-10
//! ([`DIAGNOSIS_CHAPTERS`]).
//!
//! An admission is preventable when it is acute, the citizen is 65 or
//! older in the year, and the action diagnosis of the stay's first contact
//! begins with one of a group's codes (SKS codes are ICD-10 with a leading
//! `D`; a code matches a listed code it begins with, so `DJ189` is in
//! `DJ18`).

use serde::Serialize;

use crate::text::Text;

/// A group of preventable admissions.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct PreventableGroup {
    /// Stable key (the quantity column is `preventable_<key>`).
    pub key: &'static str,
    /// Label.
    pub label: Text,
    /// SKS diagnosis codes; an action diagnosis matches a code it begins with.
    pub codes: &'static [&'static str],
}

const fn group(
    key: &'static str,
    da: &'static str,
    en: &'static str,
    codes: &'static [&'static str],
) -> PreventableGroup {
    PreventableGroup {
        key,
        label: Text { da, en },
        codes,
    }
}

/// The nine groups, in catalogue order.
pub const PREVENTABLE_GROUPS: [PreventableGroup; 9] = [
    group("dehydration", "Dehydrering", "Dehydration", &["DE86"]),
    group("constipation", "Forstoppelse", "Constipation", &["DK590"]),
    group(
        "lower_respiratory",
        "Nedre luftvejssygdom",
        "Lower respiratory disease",
        &[
            "DJ13", "DJ14", "DJ15", "DJ16", "DJ17", "DJ18", "DJ20", "DJ21", "DJ22",
        ],
    ),
    group(
        "cystitis",
        "Blærebetændelse",
        "Cystitis",
        &["DN30", "DN390"],
    ),
    group(
        "gastroenteritis",
        "Mave-tarminfektion",
        "Gastroenteritis",
        &["DA09"],
    ),
    group(
        "fracture",
        "Knoglebrud",
        "Fracture",
        &["DS22", "DS32", "DS42", "DS52", "DS72"],
    ),
    group(
        "nutritional_anaemia",
        "Ernæringsbetinget blodmangel",
        "Nutritional anaemia",
        &["DD50", "DD51", "DD52", "DD53"],
    ),
    group(
        "social",
        "Sociale og plejemæssige forhold",
        "Social and nursing circumstances",
        &["DZ74", "DZ75"],
    ),
    group("pressure_ulcer", "Tryksår", "Pressure ulcer", &["DL89"]),
];

/// Youngest age (reached in the year) of a preventable admission.
pub const PREVENTABLE_MIN_AGE: u32 = 65;

/// The preventable group of an action diagnosis (its index in
/// [`PREVENTABLE_GROUPS`]), if any.
pub fn preventable_group(action_diagnosis: &str) -> Option<usize> {
    PREVENTABLE_GROUPS
        .iter()
        .position(|g| g.codes.iter().any(|c| action_diagnosis.starts_with(c)))
}

/// A chapter of ICD-10: the diagnosis group of hospital activity by
/// diagnosis group (`by_diagnosis`).
#[derive(Clone, Copy, Debug, Serialize)]
pub struct DiagnosisChapter {
    /// The chapter's Roman numeral.
    pub chapter: &'static str,
    /// First ICD-10 category of the chapter (a letter and two digits).
    pub from: &'static str,
    /// Last ICD-10 category of the chapter, inclusive.
    pub to: &'static str,
    /// Label.
    pub label: Text,
}

const fn chapter(
    chapter: &'static str,
    from: &'static str,
    to: &'static str,
    da: &'static str,
    en: &'static str,
) -> DiagnosisChapter {
    DiagnosisChapter {
        chapter,
        from,
        to,
        label: Text { da, en },
    }
}

/// The 22 chapters of ICD-10 (WHO), in order: diagnosis group `i + 1`
/// is chapter `DIAGNOSIS_CHAPTERS[i]`. An SKS diagnosis code is `D`
/// followed by an ICD-10 code; its group is the chapter whose range holds
/// its category (the letter and two digits after the `D`).
pub const DIAGNOSIS_CHAPTERS: [DiagnosisChapter; 22] = [
    chapter(
        "I",
        "A00",
        "B99",
        "Infektionssygdomme",
        "Infectious and parasitic diseases",
    ),
    chapter("II", "C00", "D48", "Kræft og andre svulster", "Neoplasms"),
    chapter(
        "III",
        "D50",
        "D89",
        "Blod og immunsystem",
        "Blood and the immune system",
    ),
    chapter(
        "IV",
        "E00",
        "E90",
        "Hormon-, ernærings- og stofskiftesygdomme",
        "Endocrine, nutritional and metabolic diseases",
    ),
    chapter(
        "V",
        "F00",
        "F99",
        "Psykiske lidelser og adfærdsforstyrrelser",
        "Mental and behavioural disorders",
    ),
    chapter("VI", "G00", "G99", "Nervesystemet", "The nervous system"),
    chapter("VII", "H00", "H59", "Øjet", "The eye"),
    chapter("VIII", "H60", "H95", "Øret", "The ear"),
    chapter("IX", "I00", "I99", "Kredsløbet", "The circulatory system"),
    chapter(
        "X",
        "J00",
        "J99",
        "Åndedrætsorganerne",
        "The respiratory system",
    ),
    chapter(
        "XI",
        "K00",
        "K93",
        "Fordøjelsesorganerne",
        "The digestive system",
    ),
    chapter(
        "XII",
        "L00",
        "L99",
        "Hud og underhud",
        "Skin and subcutaneous tissue",
    ),
    chapter(
        "XIII",
        "M00",
        "M99",
        "Knogler, muskler og bindevæv",
        "The musculoskeletal system",
    ),
    chapter(
        "XIV",
        "N00",
        "N99",
        "Urin- og kønsorganerne",
        "The genitourinary system",
    ),
    chapter(
        "XV",
        "O00",
        "O99",
        "Graviditet, fødsel og barsel",
        "Pregnancy, childbirth and the puerperium",
    ),
    chapter(
        "XVI",
        "P00",
        "P96",
        "Tilstande opstået omkring fødslen",
        "Conditions of the perinatal period",
    ),
    chapter(
        "XVII",
        "Q00",
        "Q99",
        "Medfødte misdannelser",
        "Congenital malformations",
    ),
    chapter(
        "XVIII",
        "R00",
        "R99",
        "Symptomer og unormale fund",
        "Symptoms and abnormal findings",
    ),
    chapter(
        "XIX",
        "S00",
        "T98",
        "Skader og forgiftninger",
        "Injury and poisoning",
    ),
    chapter("XX", "V01", "Y98", "Ydre årsager", "External causes"),
    chapter(
        "XXI",
        "Z00",
        "Z99",
        "Kontakt af andre årsager end sygdom",
        "Contact for reasons other than illness",
    ),
    chapter(
        "XXII",
        "U00",
        "U99",
        "Koder til særlige formål",
        "Codes for special purposes",
    ),
];

/// The diagnosis group of a code in no chapter (a category ICD-10 leaves
/// unused, such as D49 or E95, or a code without a category).
pub const OTHER_DIAGNOSIS_GROUP: u16 = DIAGNOSIS_CHAPTERS.len() as u16 + 1;

/// The diagnosis group of an SKS diagnosis code: its ICD-10 chapter's
/// position + 1, or [`OTHER_DIAGNOSIS_GROUP`].
pub fn diagnosis_group(sks: &str) -> u16 {
    let category = sks.strip_prefix('D').and_then(|icd| icd.get(..3));
    let in_chapter = category.and_then(|c| {
        let b = c.as_bytes();
        if !b[0].is_ascii_uppercase() || !b[1].is_ascii_digit() || !b[2].is_ascii_digit() {
            return None;
        }
        DIAGNOSIS_CHAPTERS
            .iter()
            .position(|ch| ch.from <= c && c <= ch.to)
    });
    in_chapter.map_or(OTHER_DIAGNOSIS_GROUP, |i| i as u16 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnoses_fall_in_their_group_and_others_in_none() {
        let key = |code| preventable_group(code).map(|i| PREVENTABLE_GROUPS[i].key);
        assert_eq!(key("DJ189"), Some("lower_respiratory"));
        assert_eq!(key("DJ13"), Some("lower_respiratory"));
        assert_eq!(key("DJ19"), None, "J19 is not in the list");
        assert_eq!(key("DJ459"), None, "asthma is not");
        assert_eq!(key("DN390"), Some("cystitis"));
        assert_eq!(key("DN391"), None);
        assert_eq!(key("DS720"), Some("fracture"));
        assert_eq!(key("DS609"), None);
        assert_eq!(key("DK590"), Some("constipation"));
        assert_eq!(key("DK591"), None);
        assert_eq!(key("DZ755"), Some("social"));
        assert_eq!(key("DL899"), Some("pressure_ulcer"));
        assert_eq!(key("DE869"), Some("dehydration"));
        assert_eq!(key("DD539"), Some("nutritional_anaemia"));
        assert_eq!(key("DA099"), Some("gastroenteritis"));
    }

    #[test]
    fn no_code_is_in_two_groups() {
        for (i, a) in PREVENTABLE_GROUPS.iter().enumerate() {
            for b in &PREVENTABLE_GROUPS[i + 1..] {
                for x in a.codes {
                    for y in b.codes {
                        assert!(!x.starts_with(y) && !y.starts_with(x), "{x} {y}");
                    }
                }
            }
        }
    }

    #[test]
    fn diagnoses_fall_in_their_chapter() {
        let chapter = |code| {
            let group = diagnosis_group(code);
            DIAGNOSIS_CHAPTERS
                .get(usize::from(group) - 1)
                .map_or("other", |c| c.chapter)
        };
        assert_eq!(chapter("DA419"), "I");
        assert_eq!(chapter("DB99"), "I");
        assert_eq!(chapter("DC349"), "II");
        assert_eq!(chapter("DD489"), "II");
        assert_eq!(chapter("DD50"), "III", "D splits between two chapters");
        assert_eq!(chapter("DE119"), "IV");
        assert_eq!(chapter("DH59"), "VII");
        assert_eq!(chapter("DH601"), "VIII", "so does H");
        assert_eq!(chapter("DJ441"), "X");
        assert_eq!(chapter("DS821"), "XIX");
        assert_eq!(chapter("DT840"), "XIX");
        assert_eq!(chapter("DW19"), "XX");
        assert_eq!(chapter("DZ755"), "XXI");
        assert_eq!(chapter("DU071"), "XXII");
        // Categories ICD-10 leaves unused, and codes that are not SKS
        // diagnoses, fall in no chapter.
        assert_eq!(chapter("DD49"), "other");
        assert_eq!(chapter("DE95"), "other");
        assert_eq!(chapter("DK99"), "other");
        assert_eq!(chapter("J44"), "other");
        assert_eq!(chapter("DJ4"), "other");
        assert_eq!(chapter("DÅ44"), "other");
        assert_eq!(diagnosis_group("DD49"), OTHER_DIAGNOSIS_GROUP);
    }

    #[test]
    fn chapters_are_in_order_and_do_not_overlap() {
        for pair in DIAGNOSIS_CHAPTERS.windows(2) {
            assert!(pair[0].from <= pair[0].to, "{:?}", pair[0]);
            assert!(
                pair[0].to < pair[1].from || pair[1].chapter == "XXII",
                "{pair:?}"
            );
        }
        let mut ranges: Vec<_> = DIAGNOSIS_CHAPTERS.iter().map(|c| (c.from, c.to)).collect();
        ranges.sort_unstable();
        assert!(ranges.windows(2).all(|w| w[0].1 < w[1].0), "{ranges:?}");
    }
}
