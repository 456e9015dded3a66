//! Diagnosis groups of the catalogue: the nine groups of preventable
//! admissions of elderly citizens (forebyggelige indlæggelser), with their
//! SKS diagnosis codes written down once for the aggregation, the "Om
//! data" page and `GET /api/catalog`.
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
}
