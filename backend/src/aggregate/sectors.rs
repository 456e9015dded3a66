//! Contact across sectors: which of general practice, hospital and
//! municipal care a citizen was in contact with, in a year and in each
//! quarter and month.
//!
//! Each stage records the persons its sector reached ([`Reached`]) as its
//! rows stream past; when the citizens are counted, a citizen's three
//! marks give one combination ([`combination`]), so the eight
//! combinations are disjoint and add up to the citizens of the year.

use chrono::{Datelike, NaiveDate};
use shared::QuantityId;

use super::population::Seen;
use super::Period;

/// The sectors, one bit each, in the order of [`Reached`] in a build.
pub const GENERAL_PRACTICE: u8 = 1;
/// A hospital contact.
pub const HOSPITAL: u8 = 2;
/// A month of municipal care.
pub const MUNICIPAL_CARE: u8 = 4;

/// The persons one sector (or one service) reached: in a year, and in
/// each quarter and month of it.
#[derive(Default)]
pub struct Reached {
    years: Seen,
    periods: [Seen; 2],
}

/// Whether a contact was the person's first: in its year, and in its
/// period of each kind (in the order of [`Period::ALL`], with the
/// period's code).
pub struct First {
    pub year: bool,
    pub periods: [(u8, bool); 2],
}

impl Reached {
    /// Records a contact of person `id` on `date`; whether it is the
    /// person's first in the year, and in the quarter and month.
    pub fn insert(&mut self, id: u32, date: NaiveDate) -> First {
        let year = date.year();
        First {
            year: self.years.insert(id, year),
            periods: std::array::from_fn(|i| {
                let period = Period::ALL[i];
                let code = period.of(date);
                (code, self.periods[i].insert(id, period.key(year, code)))
            }),
        }
    }

    /// Whether the sector reached the person in `year`, or with a period
    /// (and its code) in that period.
    fn contains(&self, id: u32, year: i32, period: Option<(Period, u8)>) -> bool {
        match period {
            None => self.years.contains(id, year),
            Some((p, code)) => self.periods[p as usize].contains(id, p.key(year, code)),
        }
    }
}

/// The sectors (bits) that reached a citizen in a year, and in each
/// period of it, looked up while the citizens come in person order (the
/// marks are by person number) for counting in another order.
pub struct CitizenSectors {
    /// In the year.
    pub year: u8,
    /// In each period of each kind (in the order of [`Period::ALL`]), by
    /// the period's code from 1.
    pub periods: [[u8; 12]; 2],
}

impl CitizenSectors {
    /// The sectors that reached person `id` in `year` and its periods.
    pub fn of(reached: [&Reached; 3], id: u32, year: i32) -> CitizenSectors {
        CitizenSectors {
            year: sectors_of(reached, id, year, None),
            periods: std::array::from_fn(|p| {
                let period = Period::ALL[p];
                std::array::from_fn(|i| {
                    let code = i as u8 + 1;
                    if code > period.count() {
                        0
                    } else {
                        sectors_of(reached, id, year, Some((period, code)))
                    }
                })
            }),
        }
    }
}

/// The sectors (bits) that reached person `id` in `year`, or with a
/// period in that period; `reached` in the order of the bits.
fn sectors_of(reached: [&Reached; 3], id: u32, year: i32, period: Option<(Period, u8)>) -> u8 {
    reached
        .iter()
        .enumerate()
        .filter(|(_, r)| r.contains(id, year, period))
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
    fn a_sector_reaches_a_person_in_the_year_quarter_and_month_of_the_contact() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a date");
        // Whether first in the year, quarter and month, with the codes.
        let firsts = |first: First| {
            let [(quarter, in_quarter), (month, in_month)] = first.periods;
            (first.year, (quarter, in_quarter), (month, in_month))
        };
        let (mut gp, mut hospital, care) =
            (Reached::default(), Reached::default(), Reached::default());
        assert_eq!(
            firsts(gp.insert(3, day(2024, 3, 31))),
            (true, (1, true), (3, true))
        );
        assert_eq!(
            firsts(gp.insert(3, day(2024, 2, 1))),
            (false, (1, false), (2, true))
        );
        assert_eq!(
            firsts(gp.insert(3, day(2024, 2, 29))),
            (false, (1, false), (2, false))
        );
        assert_eq!(
            firsts(gp.insert(3, day(2024, 4, 1))),
            (false, (2, true), (4, true))
        );
        assert_eq!(
            firsts(hospital.insert(3, day(2023, 12, 31))),
            (true, (4, true), (12, true))
        );
        let all = [&gp, &hospital, &care];
        let (quarter, month) = (|q| Some((Period::Quarter, q)), |m| Some((Period::Month, m)));
        assert_eq!(sectors_of(all, 3, 2024, None), GENERAL_PRACTICE);
        assert_eq!(sectors_of(all, 3, 2023, None), HOSPITAL);
        assert_eq!(sectors_of(all, 3, 2023, quarter(4)), HOSPITAL);
        assert_eq!(sectors_of(all, 3, 2023, month(12)), HOSPITAL);
        assert_eq!(sectors_of(all, 3, 2023, month(11)), 0);
        assert_eq!(sectors_of(all, 3, 2024, quarter(1)), GENERAL_PRACTICE);
        assert_eq!(sectors_of(all, 3, 2024, quarter(3)), 0);
        assert_eq!(sectors_of(all, 3, 2024, month(1)), 0);
        assert_eq!(sectors_of(all, 3, 2024, month(4)), GENERAL_PRACTICE);
        // December 2023 is not December 2024.
        assert_eq!(sectors_of(all, 3, 2024, month(12)), 0);
        assert_eq!(sectors_of(all, 4, 2024, None), 0, "another person");
    }
}
