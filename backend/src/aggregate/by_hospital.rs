//! Hospital activity by hospital: the `by_hospital` tile; and the
//! tallies of the tiles by diagnosis group, specialty and department type,
//! which count the same way by a code of the contact instead.
//!
//! A contact counts at the hospital (SOR health institution) its unit
//! belongs to; a stay, and everything derived from it, at the hospital of
//! its first contact. A patient counts once at each hospital they used, and
//! once more at Region Sjælland's hospitals taken as one (see
//! `shared::dimension::HOSPITAL_RULE`). Cells are citizens' age band and
//! sex in the year, as in the residence tiles.
//!
//! Hospital codes are a release's own: its institutions numbered 1, 2, …
//! in the order of their SOR ids (which do not fit a `u16` key). The tile
//! carries the dictionary in its metadata (`tile::META_HOSPITALS`).

use std::collections::HashMap;

use shared::dimension::{MAX_HOSPITALS, REGION_SJAELLAND, SJAELLAND_AS_ONE};
use shared::tile::HospitalCode;
use shared::TileFamilyId;

use super::keyed::KeyedTally;
use crate::store::SorRow;

/// A release's hospitals, and the hospital of every SOR unit.
#[derive(Clone, Debug, Default)]
pub struct Hospitals {
    /// Hospital `code` is at position `code - 1`.
    pub codes: Vec<HospitalCode>,
    /// Hospital code of every SOR id (units and institutions).
    of_unit: HashMap<String, u16>,
}

/// Why the hospitals could not be numbered.
#[derive(Debug, thiserror::Error)]
pub enum HospitalsError {
    /// More institutions than codes.
    #[error("the SOR register has {0} health institutions; the hospital tiles number at most {MAX_HOSPITALS}")]
    TooMany(usize),
}

impl Hospitals {
    /// Numbers the institutions of the SOR register by SOR id (as a
    /// number; ties, which only leading zeros can make, by text) and maps
    /// each unit to its institution's code.
    pub fn new(rows: &[SorRow]) -> Result<Hospitals, HospitalsError> {
        let mut institutions: Vec<&SorRow> = rows.iter().filter(|r| r.institution).collect();
        institutions.sort_by_cached_key(|r| {
            (
                r.sor_id.parse::<u64>().unwrap_or(u64::MAX),
                r.sor_id.clone(),
            )
        });
        if institutions.len() > usize::from(MAX_HOSPITALS) {
            return Err(HospitalsError::TooMany(institutions.len()));
        }
        let codes: Vec<HospitalCode> = institutions
            .iter()
            .zip(1u16..)
            .map(|(r, code)| HospitalCode {
                code,
                sor_id: r.sor_id.clone(),
                name: r.name.clone(),
                region: r.region,
                municipality: r.municipality,
            })
            .collect();
        let code_of_institution: HashMap<&str, u16> =
            codes.iter().map(|h| (h.sor_id.as_str(), h.code)).collect();
        let of_unit = rows
            .iter()
            .filter_map(|r| {
                let code = code_of_institution.get(r.institution_id.as_str())?;
                Some((r.sor_id.clone(), *code))
            })
            .collect();
        Ok(Hospitals { codes, of_unit })
    }

    /// The hospital code of a SOR unit (0 when the unit has none).
    pub fn code_of(&self, sor_unit: &str) -> u16 {
        self.of_unit.get(sor_unit).copied().unwrap_or(0)
    }

    /// Whether hospital `code` is one of Region Sjælland's.
    fn in_sjaelland(&self, code: u16) -> bool {
        usize::from(code)
            .checked_sub(1)
            .and_then(|i| self.codes.get(i))
            .is_some_and(|h| h.region == REGION_SJAELLAND)
    }
}

/// An empty by-hospital tally: a slot per hospital code, then Region
/// Sjælland as one, which its hospitals also count in.
pub fn tally(hospitals: &Hospitals) -> KeyedTally {
    let n = hospitals.codes.len();
    let codes = (1..=n as u16).chain([SJAELLAND_AS_ONE]).collect();
    let also = (1..=n as u16)
        .map(|c| hospitals.in_sjaelland(c).then_some(n))
        .chain([None])
        .collect();
    KeyedTally::new(TileFamilyId::ByHospital, codes, also)
}

/// An empty tally of hospital activity by a group of contacts
/// (`by_diagnosis`, `by_specialty`, `by_department`): a slot per code of
/// the family's dimension, none counting in another.
pub fn group_tally(family: TileFamilyId) -> KeyedTally {
    let codes = family.def().dimension.codes().unwrap_or_default();
    let also = vec![None; codes.len()];
    KeyedTally::new(family, codes, also)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::population::Place;
    use shared::cube::{Filter, Grouping};
    use shared::dimension::DimensionId;
    use shared::disclosure::Protection;
    use shared::QuantityId;

    fn sor(id: &str, institution: &str, region: u16) -> SorRow {
        SorRow {
            sor_id: id.to_string(),
            name: format!("SOR {id}"),
            institution: id == institution,
            institution_id: institution.to_string(),
            region,
            municipality: None,
        }
    }

    fn hospitals() -> Hospitals {
        Hospitals::new(&[
            sor("900", "900", 1085),
            sor("901", "900", 1085),
            sor("1000", "1000", 1081),
            sor("1001", "1000", 1081),
            sor("800", "800", 1085),
        ])
        .expect("numbered")
    }

    #[test]
    fn institutions_are_numbered_by_sor_id_as_a_number() {
        let h = hospitals();
        let ids: Vec<(&str, u16)> = h
            .codes
            .iter()
            .map(|c| (c.sor_id.as_str(), c.code))
            .collect();
        // "1000" sorts after "900" as a number, not as text.
        assert_eq!(ids, [("800", 1), ("900", 2), ("1000", 3)]);
        assert_eq!(h.code_of("901"), 2);
        assert_eq!(h.code_of("1001"), 3);
        assert_eq!(h.code_of("1000"), 3);
        assert_eq!(h.code_of("5"), 0);
    }

    #[test]
    fn too_many_institutions_are_refused() {
        let rows: Vec<SorRow> = (0..=MAX_HOSPITALS)
            .map(|i| {
                let id = format!("{}", 100_000 + u32::from(i));
                sor(&id, &id, 1081)
            })
            .collect();
        assert!(matches!(
            Hospitals::new(&rows),
            Err(HospitalsError::TooMany(1000))
        ));
    }

    #[test]
    fn sjaelland_hospitals_also_count_as_one() {
        let h = hospitals();
        let mut tally = tally(&h);
        let cell = Place::at((2024, 0, 3, 2));
        tally.add(&cell, 1, QuantityId::HospitalContacts, 2);
        tally.add(&cell, 2, QuantityId::HospitalContacts, 3);
        tally.add(&cell, 3, QuantityId::HospitalContacts, 5);
        tally.add(&cell, 3, QuantityId::BedDays, 4);
        // Not a column of the tile: ignored.
        tally.add(&cell, 3, QuantityId::Citizens, 7);
        // Code 0 (a unit of no known hospital) counts nowhere.
        tally.add(&cell, 0, QuantityId::HospitalContacts, 11);
        let cube = tally.cube(Protection::Exact).expect("cube");
        let points = cube
            .sums(
                &Filter::all(),
                Grouping::By(DimensionId::Hospital),
                &[QuantityId::HospitalContacts, QuantityId::BedDays],
            )
            .expect("sums");
        assert_eq!(
            points,
            vec![
                (1, vec![2, 0]),
                (2, vec![3, 0]),
                (3, vec![5, 4]),
                (SJAELLAND_AS_ONE, vec![5, 0]),
            ]
        );
        // Hospitals overlap, so they are never added up.
        assert!(cube
            .sums(&Filter::all(), Grouping::Total, &[QuantityId::BedDays])
            .is_err());
    }

    #[test]
    fn a_group_counts_in_its_own_slot_only() {
        let mut tally = group_tally(TileFamilyId::ByDepartment);
        let cell = Place::at((2024, 0, 3, 2));
        tally.add(&cell, 1, QuantityId::Admissions, 2);
        tally.add(&cell, 7, QuantityId::Admissions, 3);
        // No such department type: counted nowhere.
        tally.add(&cell, 0, QuantityId::Admissions, 11);
        tally.add(&cell, 8, QuantityId::Admissions, 13);
        let cube = tally.cube(Protection::Exact).expect("cube");
        let by_type = cube
            .sums(
                &Filter::all(),
                Grouping::By(DimensionId::DepartmentType),
                &[QuantityId::Admissions],
            )
            .expect("sums");
        assert_eq!(by_type, vec![(1, vec![2]), (7, vec![3])]);
        assert_eq!(
            cube.kind().keys(),
            [
                DimensionId::Year,
                DimensionId::DepartmentType,
                DimensionId::AgeBand,
                DimensionId::Sex
            ]
        );
    }
}
