//! Cross-sector: was an admission preceded by a contact with another
//! sector?
//!
//! An admission starting on day `s` has a prior contact with general
//! practice when the same person had a GP contact on a day `d` with
//! `s - window ≤ d ≤ s`, and prior municipal care when they received a
//! municipal service in a month overlapping `[s - window, s]` (the care
//! register is monthly). The admissions are collected by the hospital
//! stage; the GP and care stages mark them as their contacts stream past.

use std::ops::Range;

use chrono::{Datelike, NaiveDate};

use super::population::Place;

/// The admissions of the citizens, by person and start day.
pub struct Admissions {
    /// (person, start day, the person's place in the start year), sorted.
    list: Vec<(u32, i32, Place)>,
    /// Where each person's admissions begin in `list`, by person number
    /// (one more entry at the end): a contact finds its person's few
    /// admissions at once, not by searching them all.
    offsets: Vec<u32>,
    /// Days before the start that still count.
    window: i32,
}

/// Day number of a date (days since the common era).
pub fn day(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

/// The date of a [`day`] number.
pub fn date(day: i32) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day).expect("a day number made by `day`")
}

impl Admissions {
    /// Indexes the admissions, given as (person, start day, place).
    pub fn new(mut list: Vec<(u32, i32, Place)>, window_days: u32) -> Admissions {
        list.sort_unstable_by_key(|(person, day, place)| (*person, *day, place.cell));
        let persons = list.last().map_or(0, |(person, _, _)| *person as usize + 1);
        let mut offsets = vec![0u32; persons + 1];
        for (person, _, _) in &list {
            offsets[*person as usize + 1] += 1;
        }
        for i in 1..offsets.len() {
            offsets[i] += offsets[i - 1];
        }
        Admissions {
            list,
            offsets,
            window: i32::try_from(window_days).unwrap_or(i32::MAX),
        }
    }

    /// Number of admissions.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The admissions, in index order.
    pub fn iter(&self) -> impl Iterator<Item = &(u32, i32, Place)> {
        self.list.iter()
    }

    /// Indices of `person`'s admissions starting on a day in `from..=until`.
    fn starting(&self, person: u32, from: i32, until: i32) -> Range<usize> {
        let person = person as usize;
        let (Some(&first), Some(&end)) = (self.offsets.get(person), self.offsets.get(person + 1))
        else {
            return 0..0;
        };
        let (first, end) = (first as usize, end as usize);
        let own = &self.list[first..end];
        let lower = first + own.partition_point(|(_, d, _)| *d < from);
        let upper = first + own.partition_point(|(_, d, _)| *d <= until);
        lower..upper.max(lower)
    }

    /// Marks the admissions that a GP contact of `person` on `date`
    /// precedes.
    pub fn mark_gp_contact(&self, person: u32, date: NaiveDate, marks: &mut [bool]) {
        let d = day(date);
        for i in self.starting(person, d, d.saturating_add(self.window)) {
            marks[i] = true;
        }
    }

    /// Marks the admissions that municipal care of `person` in the month
    /// `(year, month)` precedes.
    pub fn mark_care_month(&self, person: u32, year: i32, month: u32, marks: &mut [bool]) {
        let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else {
            return;
        };
        let next = first
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(first);
        let last = day(next) - 1;
        for i in self.starting(person, day(first), last.saturating_add(self.window)) {
            marks[i] = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn place() -> Place {
        Place {
            cell: (2024, 101, 10, 1),
            civil_status: 1,
            cpr_status: 1,
            nursing_home: false,
            groups: 0,
            gp_cluster: 0,
            gp_practice: 0,
            record: 0,
        }
    }

    #[test]
    fn a_contact_counts_from_the_window_before_to_the_day_of_admission() {
        let start = date(2024, 3, 31);
        let admissions =
            Admissions::new(vec![(7, day(start), place()), (3, day(start), place())], 30);
        let marked = |person, on| {
            let mut marks = vec![false; admissions.len()];
            admissions.mark_gp_contact(person, on, &mut marks);
            marks
        };
        // Index 1 is person 7 (sorted by person).
        assert_eq!(marked(7, start), [false, true], "the same day");
        assert_eq!(marked(7, date(2024, 3, 1)), [false, true], "30 days before");
        assert_eq!(
            marked(7, date(2024, 2, 29)),
            [false, false],
            "31 days before"
        );
        assert_eq!(marked(7, date(2024, 4, 1)), [false, false], "the day after");
        assert_eq!(marked(3, start), [true, false], "another person");
        assert_eq!(marked(5, start), [false, false], "a person without any");
        assert_eq!(marked(8, start), [false, false], "past the last person");
    }

    #[test]
    fn a_month_of_care_counts_when_it_overlaps_the_window() {
        let admissions = Admissions::new(
            vec![
                (1, day(date(2024, 3, 5)), place()),
                (1, day(date(2024, 4, 1)), place()),
            ],
            30,
        );
        let marked = |year, month| {
            let mut marks = vec![false; admissions.len()];
            admissions.mark_care_month(1, year, month, &mut marks);
            marks
        };
        assert_eq!(
            marked(2024, 3),
            [true, true],
            "the month itself and 1 April"
        );
        // February (to the 29th in 2024) overlaps the 30 days before
        // 5 March, not those before 1 April (from 2 March)…
        assert_eq!(marked(2024, 2), [true, false]);
        // …and January ends 34 days before 5 March: outside.
        assert_eq!(marked(2024, 1), [false, false]);
        assert_eq!(marked(2024, 4), [false, true]);
        assert_eq!(marked(2024, 5), [false, false], "care after the admission");
    }
}
