//! General practice by practice: the `by_practice` tile.
//!
//! A GP contact counts at the practice (ydernummer) that reported it; a
//! citizen-year counts as a listed patient at the practice of their latest
//! listing in the year (the listing that gives their GP cluster). A
//! citizen in contact with two practices is a patient of both, so
//! practices overlap. Cells are citizens' age band and sex in the year.
//!
//! Practice codes are a release's own: its general practices numbered 1,
//! 2, … in the order of their provider numbers; the tile carries the
//! dictionary in its metadata (`tile::META_PRACTICES`).

use std::collections::{BTreeSet, HashMap};

use shared::dimension::{ALL_PRACTICES, MAX_PRACTICES};
use shared::tile::PracticeCode;
use shared::{QuantityId, TileFamilyId};

use super::keyed::KeyedTally;
use super::population::Place;
use crate::store::PracticeRow;

/// A release's general practices.
#[derive(Clone, Debug, Default)]
pub struct Practices {
    /// Practice `code` is at position `code - 1`.
    pub codes: Vec<PracticeCode>,
    of_provider: HashMap<String, u16>,
}

/// Why the practices could not be numbered.
#[derive(Debug, thiserror::Error)]
pub enum PracticesError {
    /// More practices than codes.
    #[error("the provider register has {0} general practices; the practice tiles number at most {MAX_PRACTICES}")]
    TooMany(usize),
}

impl Practices {
    /// Numbers the general practices by provider number (as text: the
    /// numbers keep their leading zeros).
    pub fn new(rows: &[PracticeRow]) -> Result<Practices, PracticesError> {
        let mut rows: Vec<&PracticeRow> = rows.iter().collect();
        rows.sort_by(|a, b| a.provider_number.cmp(&b.provider_number));
        if rows.len() > usize::from(MAX_PRACTICES) {
            return Err(PracticesError::TooMany(rows.len()));
        }
        let codes: Vec<PracticeCode> = rows
            .iter()
            .zip(1u16..)
            .map(|(r, code)| PracticeCode {
                code,
                provider_number: r.provider_number.clone(),
                name: r.name.clone(),
                municipality: r.municipality,
                gp_cluster: r.gp_cluster,
            })
            .collect();
        let of_provider = codes
            .iter()
            .map(|p| (p.provider_number.clone(), p.code))
            .collect();
        Ok(Practices { codes, of_provider })
    }

    /// The code of a provider number (0 when it is no general practice).
    pub fn code_of(&self, provider_number: &str) -> u16 {
        self.of_provider.get(provider_number).copied().unwrap_or(0)
    }
}

/// An empty tally of the `by_practice` family: a slot per practice.
pub fn tally(practices: &Practices) -> KeyedTally {
    let n = practices.codes.len();
    KeyedTally::new(
        TileFamilyId::ByPractice,
        (1..=n as u16).collect(),
        vec![None; n],
    )
}

/// The prescription tallies: by practice, with every practice also
/// counted in the whole country ([`ALL_PRACTICES`], the closed tiles'
/// national reference), and by the practice's municipality (the public
/// tile). A patient counts at one practice a year, so both add up.
pub struct Prescribing {
    /// `prescriptions`: a slot per practice, and the country's.
    pub by_practice: KeyedTally,
    /// `prescriptions_geo`: a slot per municipality with a practice.
    pub by_municipality: KeyedTally,
    /// The `by_municipality` slot of practice code `i + 1`.
    municipality_slot: Vec<usize>,
}

impl Prescribing {
    /// Empty tallies for `practices`.
    pub fn new(practices: &Practices) -> Prescribing {
        let n = practices.codes.len();
        let by_practice = KeyedTally::new(
            TileFamilyId::Prescriptions,
            (1..=n as u16).chain([ALL_PRACTICES]).collect(),
            vec![Some(n); n].into_iter().chain([None]).collect(),
        );
        let municipalities: BTreeSet<u16> =
            practices.codes.iter().map(|p| p.municipality).collect();
        let municipalities: Vec<u16> = municipalities.into_iter().collect();
        let municipality_slot = practices
            .codes
            .iter()
            .map(|p| {
                municipalities
                    .binary_search(&p.municipality)
                    .expect("every practice's municipality has a slot")
            })
            .collect();
        let by_municipality = KeyedTally::new(
            TileFamilyId::PrescriptionsGeo,
            municipalities.clone(),
            vec![None; municipalities.len()],
        );
        Prescribing {
            by_practice,
            by_municipality,
            municipality_slot,
        }
    }

    /// Adds `n` of `quantity` of the person at `place` to practice `code`
    /// (nothing for code 0, no practice), the country and the practice's
    /// municipality.
    pub fn add(&mut self, place: &Place, code: u16, quantity: QuantityId, n: u64) {
        let Some(&slot) = usize::from(code)
            .checked_sub(1)
            .and_then(|i| self.municipality_slot.get(i))
        else {
            return;
        };
        self.by_practice.add(place, code, quantity, n);
        self.by_municipality.add_to_slot(place, slot, quantity, n);
    }

    /// Divides every count of `quantity` by `divisor`, halves up (see
    /// [`KeyedTally::divide`]).
    pub fn divide(&mut self, quantity: QuantityId, divisor: u64) {
        self.by_practice.divide(quantity, divisor);
        self.by_municipality.divide(quantity, divisor);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::cube::{Filter, Grouping};
    use shared::dimension::DimensionId;
    use shared::disclosure::Protection;

    fn row(provider_number: &str) -> PracticeRow {
        PracticeRow {
            provider_number: provider_number.to_string(),
            name: format!("Lægehuset {provider_number}"),
            municipality: 101,
            gp_cluster: 6,
        }
    }

    #[test]
    fn practices_are_numbered_by_provider_number_as_text() {
        let practices =
            Practices::new(&[row("595483"), row("037386"), row("100000")]).expect("numbered");
        let order: Vec<(&str, u16)> = practices
            .codes
            .iter()
            .map(|p| (p.provider_number.as_str(), p.code))
            .collect();
        assert_eq!(order, [("037386", 1), ("100000", 2), ("595483", 3)]);
        assert_eq!(practices.code_of("595483"), 3);
        assert_eq!(practices.code_of("37386"), 0, "leading zeros matter");
    }

    #[test]
    fn listed_patients_add_up_and_cells_without_any_count_are_left_out() {
        let practices = Practices::new(&[row("000001"), row("000002")]).expect("numbered");
        let mut tally = tally(&practices);
        let cell = Place::at((2024, 101, 4, 1));
        tally.add(&cell, 1, QuantityId::ListedPatients, 3);
        tally.add(&cell, 2, QuantityId::GpContacts, 5);
        tally.add(&Place::at((2024, 101, 5, 1)), 2, QuantityId::GpContacts, 0);
        let cube = tally.cube(Protection::Exact).expect("cube");
        assert_eq!(cube.rows(), 2, "a cell with contacts only is kept");
        let sums = cube
            .sums(
                &Filter::all(),
                Grouping::By(DimensionId::Practice),
                &[QuantityId::ListedPatients, QuantityId::GpContacts],
            )
            .expect("sums");
        assert_eq!(sums, vec![(1, vec![3, 0]), (2, vec![0, 5])]);
    }

    #[test]
    fn ddd_summed_in_thousandths_become_whole_ddd_halves_up_in_practices_country_and_municipalities(
    ) {
        let mut other = row("000002");
        other.municipality = 751;
        let practices = Practices::new(&[row("000001"), other, row("000003")]).expect("numbered");
        let mut tally = Prescribing::new(&practices);
        let cell = Place::at((2024, 101, 4, 1));
        tally.add(&cell, 1, QuantityId::ListedPatients, 4);
        tally.add(&cell, 1, QuantityId::OpioidDdd, 2_499);
        tally.add(&cell, 1, QuantityId::OpioidDdd, 1);
        tally.add(&cell, 2, QuantityId::OpioidDdd, 1_499);
        tally.add(&cell, 2, QuantityId::SedativeDdd, 500);
        tally.add(&cell, 3, QuantityId::OpioidDdd, 600);
        // No practice: counted nowhere.
        tally.add(&cell, 0, QuantityId::OpioidDdd, 9_000);
        tally.divide(QuantityId::OpioidDdd, 1000);
        let quantities = [
            QuantityId::ListedPatients,
            QuantityId::OpioidDdd,
            QuantityId::SedativeDdd,
        ];
        let sums = |tally: &KeyedTally, by| {
            let cube = tally.cube(Protection::Exact).expect("cube");
            cube.sums(&Filter::all(), Grouping::By(by), &quantities)
                .expect("sums")
        };
        // 2.5 DDD round up to 3, 1.499 down to 1, 0.6 up to 1; the
        // country is rounded from its own sum (4.599 to 5); sedatives not
        // divided.
        assert_eq!(
            sums(&tally.by_practice, DimensionId::Practice),
            vec![
                (1, vec![4, 3, 0]),
                (2, vec![0, 1, 500]),
                (3, vec![0, 1, 0]),
                (ALL_PRACTICES, vec![4, 5, 500]),
            ]
        );
        // Practices 1 and 3 are in municipality 101 (3.1 DDD), practice 2
        // in 751: each cell is rounded from its own thousandths.
        assert_eq!(
            sums(&tally.by_municipality, DimensionId::Municipality),
            vec![(101, vec![4, 3, 0]), (751, vec![0, 1, 500])]
        );
    }
}
