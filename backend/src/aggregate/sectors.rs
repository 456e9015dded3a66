//! Contact across sectors: which of general practice, hospital and
//! municipal care a citizen was in contact with, in a year and in each
//! quarter.
//!
//! Each stage records the persons its sector reached ([`Reached`]) as its
//! rows stream past; when the citizens are counted, a citizen's three
//! marks give one combination ([`combination`]), so the eight
//! combinations are disjoint and add up to the citizens of the year.

use chrono::{Datelike, NaiveDate};
use shared::QuantityId;

use super::population::Seen;
use super::year_quarter;

/// The sectors, one bit each, in the order of [`Reached`] in a build.
pub const GENERAL_PRACTICE: u8 = 1;
/// A hospital contact.
pub const HOSPITAL: u8 = 2;
/// A month of municipal care.
pub const MUNICIPAL_CARE: u8 = 4;

/// The persons one sector reached: in a year, and in a quarter of it.
#[derive(Default)]
pub struct Reached {
    years: Seen,
    quarters: Seen,
}

impl Reached {
    /// Records a contact of person `id` on `date`; whether it is the
    /// person's first in the year, and in the quarter.
    pub fn insert(&mut self, id: u32, date: NaiveDate) -> (bool, bool) {
        (
            self.years.insert(id, date.year()),
            self.quarters.insert(id, year_quarter(date)),
        )
    }

    /// Whether the sector reached the person in `year`, or with a quarter
    /// (1–4) in that quarter.
    fn contains(&self, id: u32, year: i32, quarter: Option<u8>) -> bool {
        match quarter {
            None => self.years.contains(id, year),
            Some(q) => self.quarters.contains(id, year * 4 + i32::from(q) - 1),
        }
    }
}

/// The sectors (bits) that reached person `id` in `year`, or with a
/// quarter in that quarter; `reached` in the order of the bits.
pub fn sectors_of(reached: [&Reached; 3], id: u32, year: i32, quarter: Option<u8>) -> u8 {
    reached
        .iter()
        .enumerate()
        .filter(|(_, r)| r.contains(id, year, quarter))
        .fold(0, |bits, (i, _)| bits | 1 << i)
}

/// The quantities of the `sectors` family a citizen reached by these
/// sectors counts in: each sector's own, its one combination, and the
/// citizens of several sectors.
pub fn combination(sectors: u8) -> impl Iterator<Item = QuantityId> {
    use QuantityId as Q;
    let own = [
        (GENERAL_PRACTICE, Q::GpPatients),
        (HOSPITAL, Q::HospitalPatients),
        (MUNICIPAL_CARE, Q::CareRecipients),
    ]
    .into_iter()
    .filter(move |(bit, _)| sectors & bit != 0)
    .map(|(_, q)| q);
    let one = match sectors & 7 {
        0 => Q::SectorsNone,
        GENERAL_PRACTICE => Q::SectorsGpOnly,
        HOSPITAL => Q::SectorsHospitalOnly,
        MUNICIPAL_CARE => Q::SectorsCareOnly,
        3 => Q::SectorsGpHospital,
        5 => Q::SectorsGpCare,
        6 => Q::SectorsHospitalCare,
        _ => Q::SectorsAll,
    };
    let several = (sectors.count_ones() >= 2).then_some(Q::SectorsTwoPlus);
    own.chain(std::iter::once(one)).chain(several)
}

#[cfg(test)]
mod tests {
    use super::*;
    use QuantityId as Q;

    #[test]
    fn every_citizen_is_in_exactly_one_combination() {
        let combinations = [
            Q::SectorsNone,
            Q::SectorsGpOnly,
            Q::SectorsHospitalOnly,
            Q::SectorsCareOnly,
            Q::SectorsGpHospital,
            Q::SectorsGpCare,
            Q::SectorsHospitalCare,
            Q::SectorsAll,
        ];
        let mut seen = Vec::new();
        for sectors in 0..8u8 {
            let quantities: Vec<_> = combination(sectors).collect();
            let ones: Vec<_> = quantities
                .iter()
                .filter(|q| combinations.contains(q))
                .collect();
            assert_eq!(ones.len(), 1, "{sectors:03b}: {quantities:?}");
            seen.push(*ones[0]);
            assert_eq!(
                quantities.contains(&Q::SectorsTwoPlus),
                sectors.count_ones() >= 2,
                "{sectors:03b}"
            );
            assert_eq!(
                quantities.contains(&Q::HospitalPatients),
                sectors & HOSPITAL != 0
            );
        }
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 8, "each combination once");
        assert_eq!(combination(0).collect::<Vec<_>>(), [Q::SectorsNone]);
        assert_eq!(
            combination(GENERAL_PRACTICE | MUNICIPAL_CARE).collect::<Vec<_>>(),
            [
                Q::GpPatients,
                Q::CareRecipients,
                Q::SectorsGpCare,
                Q::SectorsTwoPlus
            ]
        );
    }

    #[test]
    fn a_sector_reaches_a_person_in_the_year_and_quarter_of_the_contact() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a date");
        let (mut gp, mut hospital, care) =
            (Reached::default(), Reached::default(), Reached::default());
        assert_eq!(gp.insert(3, day(2024, 3, 31)), (true, true));
        assert_eq!(gp.insert(3, day(2024, 2, 1)), (false, false));
        assert_eq!(gp.insert(3, day(2024, 4, 1)), (false, true));
        assert_eq!(hospital.insert(3, day(2023, 12, 31)), (true, true));
        let all = [&gp, &hospital, &care];
        assert_eq!(sectors_of(all, 3, 2024, None), GENERAL_PRACTICE);
        assert_eq!(sectors_of(all, 3, 2023, None), HOSPITAL);
        assert_eq!(sectors_of(all, 3, 2023, Some(4)), HOSPITAL);
        assert_eq!(sectors_of(all, 3, 2024, Some(1)), GENERAL_PRACTICE);
        assert_eq!(sectors_of(all, 3, 2024, Some(3)), 0);
        assert_eq!(sectors_of(all, 4, 2024, None), 0, "another person");
    }
}
