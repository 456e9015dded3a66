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

use std::collections::HashMap;

use shared::dimension::MAX_PRACTICES;
use shared::tile::PracticeCode;
use shared::TileFamilyId;

use super::keyed::KeyedTally;
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

/// An empty tally of a family keyed by practice (`by_practice`,
/// `prescriptions`): a slot per practice.
pub fn tally(family: TileFamilyId, practices: &Practices) -> KeyedTally {
    let n = practices.codes.len();
    KeyedTally::new(family, (1..=n as u16).collect(), vec![None; n])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::population::Place;
    use shared::cube::{Filter, Grouping};
    use shared::dimension::DimensionId;
    use shared::disclosure::Protection;
    use shared::QuantityId;

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
        let mut tally = tally(TileFamilyId::ByPractice, &practices);
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
    fn ddd_summed_in_thousandths_become_whole_ddd_halves_up() {
        let practices = Practices::new(&[row("000001"), row("000002")]).expect("numbered");
        let mut tally = tally(TileFamilyId::Prescriptions, &practices);
        let cell = Place::at((2024, 101, 4, 1));
        tally.add(&cell, 1, QuantityId::ListedPatients, 4);
        tally.add(&cell, 1, QuantityId::OpioidDdd, 2_499);
        tally.add(&cell, 1, QuantityId::OpioidDdd, 1);
        tally.add(&cell, 2, QuantityId::OpioidDdd, 1_499);
        tally.add(&cell, 2, QuantityId::SedativeDdd, 500);
        tally.divide(QuantityId::OpioidDdd, 1000);
        let cube = tally.cube(Protection::Exact).expect("cube");
        let sums = cube
            .sums(
                &Filter::all(),
                Grouping::By(DimensionId::Practice),
                &[
                    QuantityId::ListedPatients,
                    QuantityId::OpioidDdd,
                    QuantityId::SedativeDdd,
                ],
            )
            .expect("sums");
        // 2.5 DDD round up to 3, 1.499 down to 1; sedatives not divided.
        assert_eq!(sums, vec![(1, vec![4, 3, 0]), (2, vec![0, 1, 500])]);
    }
}
