//! Disclosure control: how a public tile keeps every count of 1–4 persons
//! from being seen, however the browser adds and subtracts its cells.
//!
//! **Method: cell-key random rounding to base 5.** Every pseudonymised
//! person has a stable random *record key* (a 64-bit hash of the
//! pseudonym, so the same person has the same key in every build and
//! release). A cell's *cell key* is the wrapping sum of the record keys
//! of everything counted in it — a person once per unit they add, so a
//! citizen adds their key once to `citizens` and three times to
//! `gp_contacts` for three contacts. Since the record keys are uniform
//! and independent, so is the cell key; and it depends only on what the
//! cell holds, so the same cell gets the same key in every tile, every
//! rebuild and every release.
//!
//! Every count — persons and events alike — is published rounded to a
//! multiple of [`BASE`] by the perturbation table [`ADJUSTMENT`]: a count
//! with remainder *r* = *n* mod 5 rounds up with probability *r*/5 and
//! down otherwise, the draw being the cell key's bucket. Hence:
//!
//! - zeros stay zeros, multiples of 5 stay as they are, and 1–4 become 0
//!   or 5: no published count lies between 1 and 4;
//! - the adjustment lies in −4…+4 and is unbiased (its mean over keys is
//!   0); its variance is *r*(5 − *r*), at most 6.25 and 4 on average over
//!   remainders;
//! - **every sum or difference of published counts is a multiple of 5**,
//!   so no differencing of sub-groups, overlapping geographies, periods or
//!   releases can produce a count of 1–4;
//! - the same cell always shows the same value, so averaging its
//!   repeated appearances gains nothing.
//!
//! **Numerators of rates** (contacts, stays, bed days) are rounded the
//! same way, with their own cell key. A value on screen whose numerator
//! rests on persons ([`persons_behind`]) whose published count is below
//! [`THRESHOLD`] — that is, 0 —, or whose numerator is published as 0
//! (which may hide 1–4), is *suppressed*: shown as protected, never as a
//! number, and never as zero. A ratio with a zero denominator is
//! suppressed too.
//!
//! Closed tiles inside a caller's scope may be exact; a tile says which it
//! is in its schema metadata ([`META_DISCLOSURE`]).

use serde::{Deserialize, Serialize};

use crate::measure::{Counted, QuantityId};
use crate::text::Text;

/// Published counts are multiples of this.
pub const BASE: u64 = 5;

/// The smallest number of persons a shown value may rest on.
pub const THRESHOLD: u64 = 5;

/// Schema metadata key saying how a tile's values are protected
/// ([`Protection::key`]).
pub const META_DISCLOSURE: &str = "tvaers.disclosure";

/// The perturbation table: the adjustment of a count with remainder `r`
/// (row) whose cell key falls in bucket `b` (column, the key's top bits
/// scaled to 0–4). Row `r` adds `5 − r` in `r` of the five buckets and
/// `−r` in the others, so its mean is 0 and a count ending in 1–4 becomes
/// a multiple of 5.
pub const ADJUSTMENT: [[i8; 5]; 5] = [
    [0, 0, 0, 0, 0],
    [4, -1, -1, -1, -1],
    [3, 3, -2, -2, -2],
    [2, 2, 2, -3, -3],
    [1, 1, 1, 1, -4],
];

/// How the values of a tile are protected; every value of the tile has
/// this status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Protection {
    /// True counts (closed tiles in scope, test builds of synthetic data).
    Exact,
    /// Cell-key rounding to base 5 (every public tile).
    #[default]
    CellKey,
}

impl Protection {
    /// The value of [`META_DISCLOSURE`].
    pub fn key(self) -> &'static str {
        match self {
            Protection::Exact => "exact",
            Protection::CellKey => "cell_key_round_5",
        }
    }

    /// The protection named by a [`META_DISCLOSURE`] value.
    pub fn from_key(key: &str) -> Option<Protection> {
        [Protection::Exact, Protection::CellKey]
            .into_iter()
            .find(|p| p.key() == key)
    }
}

/// The status of a value as shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The true value.
    Exact,
    /// Computed from rounded counts (within a few units of the truth).
    Perturbed,
    /// Rests on fewer than [`THRESHOLD`] persons (or on none): not shown.
    Suppressed,
}

impl Status {
    /// The status's key (in CSV exports).
    pub fn key(self) -> &'static str {
        match self {
            Status::Exact => "exact",
            Status::Perturbed => "perturbed",
            Status::Suppressed => "suppressed",
        }
    }

    /// How the status is named to users.
    pub fn label(self) -> Text {
        match self {
            Status::Exact => Text {
                da: "præcis",
                en: "exact",
            },
            Status::Perturbed => Text {
                da: "afrundet",
                en: "rounded",
            },
            Status::Suppressed => Text {
                da: "beskyttet",
                en: "protected",
            },
        }
    }
}

/// The bucket (0–4) of a cell key: its top bits scaled to five equal
/// parts, so each bucket has probability exactly 1/5 over uniform keys.
pub fn bucket(cell_key: u64) -> usize {
    ((u128::from(cell_key) * 5) >> 64) as usize
}

/// The published value of a true `count` whose cell key is `cell_key`.
pub fn round(count: u64, cell_key: u64) -> u64 {
    let r = count % BASE;
    let adjust = i64::from(ADJUSTMENT[r as usize][bucket(cell_key)]);
    count.saturating_add_signed(adjust)
}

/// The count of persons a quantity's value rests on: the quantity itself
/// when it counts persons; for events, the persons who had them.
pub fn persons_behind(quantity: QuantityId) -> QuantityId {
    use QuantityId as Q;
    if quantity.def().counted == Counted::Persons {
        return quantity;
    }
    match quantity {
        Q::GpContacts
        | Q::GpConsultations
        | Q::GpPhone
        | Q::GpEmail
        | Q::GpVideo
        | Q::GpOtherInPerson
        | Q::GpHomeVisits => Q::GpPatients,
        _ => Q::HospitalPatients,
    }
}

/// The method as explained on "Om data".
pub const EXPLANATION: Text = Text {
    da: "Tal i de offentlige data er afrundet til et multiplum af 5 efter \
         cellenøglemetoden: hver person har en fast tilfældig nøgle, og en \
         celles nøgle er summen af nøglerne for dem, der tælles i den. Nøglen \
         afgør, om et tal rundes op eller ned, med en sandsynlighed der gør \
         afrundingen middelret. Nul forbliver nul, tal fra 1 til 4 bliver 0 \
         eller 5, og samme celle får altid samme tal. Derfor kan ingen sum \
         eller forskel af offentlige tal afsløre, om 1-4 personer står bag en \
         celle. En værdi, der hviler på færre end 5 personer, vises som \
         beskyttet, aldrig som nul. Summer af afrundede tal er markeret \
         som afrundede.",
    en: "Counts in the public data are rounded to a multiple of 5 by the \
         cell-key method: every person has a fixed random key, and a cell's \
         key is the sum of the keys of those counted in it. The key decides \
         whether a count is rounded up or down, with a probability that \
         makes the rounding unbiased. Zero stays zero, counts of 1 to 4 \
         become 0 or 5, and the same cell always shows the same number. So \
         no sum or difference of public numbers can reveal whether 1-4 \
         persons stand behind a cell. A value resting on fewer than 5 persons \
         is shown as protected, never as zero. Sums of rounded counts are \
         marked as rounded.",
};

#[cfg(test)]
mod tests {
    use super::*;

    /// Cell keys whose buckets are 0, 1, 2, 3 and 4.
    fn keys() -> [u64; 5] {
        [0, 1, 2, 3, 4].map(|b: u64| (u64::MAX / 5) * b + 7)
    }

    #[test]
    fn buckets_split_the_keys_in_five_equal_parts() {
        assert_eq!(keys().map(bucket), [0, 1, 2, 3, 4]);
        assert_eq!(bucket(u64::MAX), 4);
        assert_eq!(bucket(u64::MAX / 5 - 1), 0);
        assert_eq!(bucket(u64::MAX / 5 + 1), 1);
    }

    #[test]
    fn no_count_of_one_to_four_is_published_and_zeros_stay_zeros() {
        for n in 0..200u64 {
            for key in keys() {
                let published = round(n, key);
                assert_eq!(published % BASE, 0, "{n} → {published}");
                assert!(published.abs_diff(n) <= 4, "{n} → {published}");
                if n == 0 {
                    assert_eq!(published, 0);
                }
                if n % 5 == 0 {
                    assert_eq!(published, n);
                }
            }
        }
    }

    #[test]
    fn the_rounding_is_unbiased_with_the_documented_variance() {
        for n in 0..50u64 {
            let published = keys().map(|k| round(n, k) as f64);
            let mean = published.iter().sum::<f64>() / 5.0;
            assert_eq!(mean, n as f64, "mean of {n}");
            let variance = published
                .iter()
                .map(|p| (p - n as f64).powi(2))
                .sum::<f64>()
                / 5.0;
            let r = (n % 5) as f64;
            assert_eq!(variance, r * (5.0 - r), "variance of {n}");
        }
    }

    #[test]
    fn the_same_key_rounds_a_growing_count_monotonically() {
        // With the key fixed, a larger count never publishes smaller: the
        // table is monotone in the count.
        for key in keys() {
            for n in 0..40u64 {
                let step = round(n + 1, key) as i64 - round(n, key) as i64;
                assert!([0, 5].contains(&step), "{n}: {step}");
            }
        }
    }

    #[test]
    fn events_rest_on_the_persons_who_had_them() {
        assert_eq!(persons_behind(QuantityId::GpPhone), QuantityId::GpPatients);
        assert_eq!(
            persons_behind(QuantityId::BedDays),
            QuantityId::HospitalPatients
        );
        assert_eq!(persons_behind(QuantityId::Citizens), QuantityId::Citizens);
        assert_eq!(
            persons_behind(QuantityId::CareSel83a),
            QuantityId::CareSel83a
        );
    }

    #[test]
    fn protections_round_trip_through_their_keys() {
        for p in [Protection::Exact, Protection::CellKey] {
            assert_eq!(Protection::from_key(p.key()), Some(p));
        }
        assert_eq!(Protection::from_key("nonsense"), None);
    }
}
