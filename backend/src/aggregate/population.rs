//! The citizen rule: who counts in a year, and in which cell.
//!
//! A person is a citizen in a year when one of their periods of residence
//! overlaps it and the CPR number is not cancelled, deleted or changed
//! (status 30, 50, 60). They are placed by the last such period (its
//! municipality) and counted at the age reached in the year, by sex.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use shared::{AgeBand, Sex};

use crate::store::ResidenceRow;

/// CPR status codes of numbers that do not stand for a person of their
/// own (cancelled, deleted duplicate, changed number).
const NOT_COUNTED: &[&str] = &["30", "50", "60"];

/// Key of a cell: year, municipality, age band, sex (tile codes).
pub type CellKey = (u16, u16, u8, u8);

/// Everybody in the CPR register, with their periods of residence.
pub struct Population<'a> {
    index: HashMap<&'a str, u32>,
    /// Each person's periods, in order of their start.
    periods: Vec<Vec<&'a ResidenceRow>>,
}

impl<'a> Population<'a> {
    /// Indexes the residence periods by person.
    pub fn new(rows: &'a [ResidenceRow]) -> Population<'a> {
        let mut index = HashMap::new();
        let mut periods: Vec<Vec<&ResidenceRow>> = Vec::new();
        for r in rows {
            if NOT_COUNTED.contains(&r.status.as_str()) {
                continue;
            }
            let id = *index.entry(r.pseudonym.as_str()).or_insert_with(|| {
                periods.push(Vec::new());
                (periods.len() - 1) as u32
            });
            periods[id as usize].push(r);
        }
        for p in &mut periods {
            p.sort_by_key(|r| r.valid_from);
        }
        Population { index, periods }
    }

    /// Number of persons.
    pub fn len(&self) -> usize {
        self.periods.len()
    }

    /// Whether nobody is in the register.
    pub fn is_empty(&self) -> bool {
        self.periods.is_empty()
    }

    /// The person's number in this population.
    pub fn id(&self, pseudonym: &str) -> Option<u32> {
        self.index.get(pseudonym).copied()
    }

    /// The cell of a person in `year`, if they are a citizen then.
    pub fn cell(&self, pseudonym: &str, year: i32) -> Option<CellKey> {
        self.cell_of(self.id(pseudonym)?, year)
    }

    /// The person's number and cell in `year`, if they are a citizen then.
    pub fn placed(&self, pseudonym: &str, year: i32) -> Option<(u32, CellKey)> {
        let id = self.id(pseudonym)?;
        Some((id, self.cell_of(id, year)?))
    }

    /// The cell of person `id` in `year`.
    pub fn cell_of(&self, id: u32, year: i32) -> Option<CellKey> {
        let first = NaiveDate::from_ymd_opt(year, 1, 1)?;
        let last = NaiveDate::from_ymd_opt(year, 12, 31)?;
        let p = self
            .periods
            .get(id as usize)?
            .iter()
            .rev()
            .find(|r| r.valid_from <= last && r.valid_to.is_none_or(|to| to > first))?;
        let age = u32::try_from(year - p.birth_date.year()).ok()?;
        let sex = Sex::from_letter(&p.sex)?;
        Some((
            u16::try_from(year).ok()?,
            u16::try_from(p.municipality).ok()?,
            AgeBand::from_age(age).index(),
            sex.code() as u8,
        ))
    }

    /// The cell of every citizen of `year`.
    pub fn cells(&self, year: i32) -> impl Iterator<Item = CellKey> + '_ {
        (0..self.periods.len() as u32).filter_map(move |id| self.cell_of(id, year))
    }
}

/// A set of (person, year) pairs, one bit each.
#[derive(Default)]
pub struct Seen {
    years: HashMap<i32, Vec<u64>>,
}

impl Seen {
    /// Adds the pair; `true` if it was not there yet.
    pub fn insert(&mut self, id: u32, year: i32) -> bool {
        let bits = self.years.entry(year).or_default();
        let (word, bit) = (id as usize / 64, id % 64);
        if bits.len() <= word {
            bits.resize(word + 1, 0);
        }
        let fresh = bits[word] & (1 << bit) == 0;
        bits[word] |= 1 << bit;
        fresh
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn period(
        who: &str,
        municipality: i16,
        from: NaiveDate,
        to: Option<NaiveDate>,
        status: &str,
    ) -> ResidenceRow {
        ResidenceRow {
            pseudonym: who.into(),
            birth_date: date(1950, 6, 1),
            sex: "K".into(),
            municipality,
            valid_from: from,
            valid_to: to,
            status: status.into(),
        }
    }

    #[test]
    fn a_mover_counts_once_where_the_year_ends() {
        let rows = vec![
            period("a", 101, date(2024, 5, 1), None, "01"),
            period("a", 851, date(2000, 1, 1), Some(date(2024, 5, 1)), "01"),
            // Left at the first day of 2024: not a citizen of 2024.
            period("b", 101, date(2000, 1, 1), Some(date(2024, 1, 1)), "01"),
            // Cancelled number.
            period("c", 101, date(2000, 1, 1), None, "30"),
        ];
        let population = Population::new(&rows);
        assert_eq!(population.len(), 2);
        assert_eq!(population.cell("a", 2024), Some((2024, 101, 15, 2)));
        assert_eq!(population.cell("a", 2023), Some((2023, 851, 15, 2)));
        assert_eq!(population.cell("b", 2024), None);
        assert_eq!(population.cell("b", 2023).map(|c| c.1), Some(101));
        assert_eq!(population.cell("c", 2024), None);
        assert_eq!(population.cells(2024).count(), 1);
        // Not born yet.
        assert_eq!(population.cell("a", 1949), None);
    }

    #[test]
    fn seen_counts_each_pair_once() {
        let mut seen = Seen::default();
        assert!(seen.insert(3, 2024));
        assert!(!seen.insert(3, 2024));
        assert!(seen.insert(3, 2023));
        assert!(seen.insert(200, 2024));
        assert!(!seen.insert(200, 2024));
    }
}
