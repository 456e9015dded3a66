//! The citizen rule: who counts in a year, and in which cell.
//!
//! A person is a citizen in a year when one of their periods of residence
//! overlaps it and the CPR number is not cancelled, deleted or changed
//! (status 30, 50, 60). They are placed by the last such period (its
//! municipality) and counted at the age reached in the year, by sex.
//!
//! The same period gives the person's civil status and CPR status in the
//! year; they are a nursing-home resident in the year when that period's
//! address was a nursing-home address on some day of the period within
//! the year. They are in a RUKS chronic group from the year of its first
//! date on. Their GP cluster in the year is that of the practice of their
//! latest listing overlapping the year (0 when there is none).

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use shared::dimension::{
    chronic_group_code, civil_status_code, cpr_status_code, TARGET_MULTIMORBID, TARGET_NURSING_HOME,
};
use shared::{AgeBand, Sex};

use crate::store::{ChronicRow, NursingHomeRow, ResidenceRow};

/// CPR status codes of numbers that do not stand for a person of their
/// own (cancelled, deleted duplicate, changed number).
const NOT_COUNTED: &[&str] = &["30", "50", "60"];

/// Key of a cell: year, municipality, age band, sex (tile codes).
pub type CellKey = (u16, u16, u8, u8);

/// The bit of a target-group code in [`Place::groups`].
pub const fn target_bit(code: u16) -> u16 {
    1 << (code - 1)
}

/// Where a citizen counts in a year, and their attributes then.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place {
    /// Year, municipality, age band, sex.
    pub cell: CellKey,
    /// Civil status code (see `shared::dimension`).
    pub civil_status: u8,
    /// CPR status code.
    pub cpr_status: u8,
    /// Lived at a nursing-home address.
    pub nursing_home: bool,
    /// Target groups, one bit per code ([`target_bit`]); the stage that
    /// knows about elderly medical patients adds theirs.
    pub groups: u16,
    /// GP cluster of the practice the citizen is listed with (0: none).
    pub gp_cluster: u16,
    /// Code of that practice (0: none).
    pub gp_practice: u16,
    /// The person's record key (see `shared::disclosure`).
    pub record: u64,
}

impl Place {
    /// A citizen in `cell` with no attributes and record key 1 (tests).
    #[cfg(test)]
    pub fn at(cell: CellKey) -> Place {
        Place {
            cell,
            civil_status: 0,
            cpr_status: 0,
            nursing_home: false,
            groups: 0,
            gp_cluster: 0,
            gp_practice: 0,
            record: 1,
        }
    }
}

/// A period in which a person is listed with a practice of a GP cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Listing {
    /// GP cluster of the practice (0: the practice has none).
    pub cluster: u16,
    /// The practice's code in the `by_practice` tile (0: none).
    pub practice: u16,
    /// First listed day.
    pub from: NaiveDate,
    /// First day no longer listed (`None`: still listed).
    pub to: Option<NaiveDate>,
}

/// One period of residence with what the rules need from it, compact:
/// a national register is held as these, not as rows.
#[derive(Clone, Copy)]
struct Period {
    birth_date: NaiveDate,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
    municipality: i16,
    /// Sex code (`Sex::code`), 0 when the letter is none of the known.
    sex: u8,
    civil_status: u8,
    cpr_status: u8,
    /// The days of the period at a nursing-home address (from, until).
    nursing_home: Option<(NaiveDate, Option<NaiveDate>)>,
}

/// Person numbers by pseudonym. Pseudonyms are 32 lowercase hex digits
/// (`ingest::pseudonym`), held as a `u128` each; anything else (tests,
/// older stores) goes to a map of strings.
#[derive(Default)]
struct PersonIndex {
    /// Hashed with foldhash: the keys are HMAC outputs, which no one can
    /// choose to collide, and every contact of every register is looked
    /// up here.
    hex: HashMap<u128, u32, foldhash::fast::RandomState>,
    other: HashMap<Box<str>, u32>,
}

impl PersonIndex {
    /// The pseudonym as a number, when it is 32 lowercase hex digits (so
    /// that the number stands for exactly one pseudonym).
    fn packed(pseudonym: &str) -> Option<u128> {
        let bytes = pseudonym.as_bytes();
        if bytes.len() != 32 || !bytes.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return None;
        }
        u128::from_str_radix(pseudonym, 16).ok()
    }

    /// The person's number.
    fn get(&self, pseudonym: &str) -> Option<u32> {
        match Self::packed(pseudonym) {
            Some(n) => self.hex.get(&n).copied(),
            None => self.other.get(pseudonym).copied(),
        }
    }

    /// The person's number, given the next free one when new; whether
    /// they are new.
    fn get_or_insert(&mut self, pseudonym: &str, next: u32) -> (u32, bool) {
        let id = match Self::packed(pseudonym) {
            Some(n) => *self.hex.entry(n).or_insert(next),
            None => match self.other.get(pseudonym) {
                Some(id) => *id,
                None => *self.other.entry(pseudonym.into()).or_insert(next),
            },
        };
        // Every number given so far is below `next`.
        (id, id == next)
    }
}

/// Everybody in the CPR register, with their periods of residence.
pub struct Population {
    index: PersonIndex,
    /// Everybody's periods, by person number and then start; person
    /// `id`'s are `periods[starts[id]..starts[id + 1]]`.
    periods: Vec<Period>,
    starts: Vec<u32>,
    /// Each person's chronic groups: (target-group bit, first year).
    chronic: Vec<Vec<(u16, i32)>>,
    /// Everybody's listings, by person number; person `id`'s are
    /// `listings[listed[id]..listed[id + 1]]` (flat, as most people have
    /// one).
    listings: Vec<Listing>,
    listed: Vec<u32>,
    /// Each person's record key.
    records: Vec<u64>,
}

/// A person's record key: a stable, uniformly random 64-bit number derived
/// from the pseudonym (itself a keyed hash of the CPR number), so the same
/// person has the same key in every build and release.
pub fn record_key(pseudonym: &str) -> u64 {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(b"tvaers record key\0")
        .chain_update(pseudonym.as_bytes())
        .finalize();
    u64::from_le_bytes(
        digest[..8]
            .try_into()
            .expect("a SHA-256 digest has 8 bytes"),
    )
}

/// The later of two optional ends (`None` = open).
fn earlier_end(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, None) => a,
        (None, b) => b,
    }
}

/// Builds a [`Population`] from periods of residence given one at a time.
pub struct PopulationBuilder<'h> {
    homes: HashMap<&'h str, &'h NursingHomeRow>,
    index: PersonIndex,
    records: Vec<u64>,
    /// (person, period), in the order given.
    periods: Vec<(u32, Period)>,
}

impl<'h> PopulationBuilder<'h> {
    /// A builder that knows the nursing-home addresses.
    pub fn new(nursing_homes: &'h [NursingHomeRow]) -> PopulationBuilder<'h> {
        PopulationBuilder {
            homes: nursing_homes
                .iter()
                .map(|h| (h.address_id.as_str(), h))
                .collect(),
            index: PersonIndex::default(),
            records: Vec::new(),
            periods: Vec::new(),
        }
    }

    /// Adds one period of residence (periods of cancelled, deleted or
    /// changed numbers are left out).
    pub fn add(&mut self, r: &ResidenceRow) {
        if NOT_COUNTED.contains(&r.status.as_str()) {
            return;
        }
        let (id, new) = self
            .index
            .get_or_insert(&r.pseudonym, self.records.len() as u32);
        if new {
            self.records.push(record_key(&r.pseudonym));
        }
        let nursing_home = self.homes.get(r.address_id.as_str()).and_then(|h| {
            let from = r.valid_from.max(h.valid_from);
            let until = earlier_end(r.valid_to, h.valid_to);
            until.is_none_or(|u| u > from).then_some((from, until))
        });
        self.periods.push((
            id,
            Period {
                birth_date: r.birth_date,
                valid_from: r.valid_from,
                valid_to: r.valid_to,
                municipality: r.municipality,
                sex: Sex::from_letter(&r.sex).map_or(0, |s| s.code() as u8),
                civil_status: civil_status_code(&r.civil_status).map_or(0, |c| c as u8),
                cpr_status: cpr_status_code(&r.status).map_or(0, |c| c as u8),
                nursing_home,
            },
        ));
    }

    /// The population, with everybody's chronic groups.
    pub fn finish(self, chronic: &[ChronicRow]) -> Population {
        let persons = self.records.len();
        let mut periods = self.periods;
        // Stable: periods starting the same day keep the order given.
        periods.sort_by_key(|(id, p)| (*id, p.valid_from));
        let mut starts = vec![0u32; persons + 1];
        for (id, _) in &periods {
            starts[*id as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let periods = periods.into_iter().map(|(_, p)| p).collect();
        let mut groups: Vec<Vec<(u16, i32)>> = (0..persons).map(|_| Vec::new()).collect();
        for c in chronic {
            if let (Some(id), Some(code)) =
                (self.index.get(&c.pseudonym), chronic_group_code(&c.group))
            {
                groups[id as usize].push((target_bit(code), c.first_date.year()));
            }
        }
        Population {
            index: self.index,
            periods,
            starts,
            chronic: groups,
            listings: Vec::new(),
            listed: vec![0; persons + 1],
            records: self.records,
        }
    }
}

impl Population {
    /// Indexes the residence periods and chronic groups by person.
    pub fn new(
        rows: &[ResidenceRow],
        nursing_homes: &[NursingHomeRow],
        chronic: &[ChronicRow],
    ) -> Population {
        let mut builder = PopulationBuilder::new(nursing_homes);
        for r in rows {
            builder.add(r);
        }
        builder.finish(chronic)
    }

    /// Person `id`'s periods, by start.
    fn periods_of(&self, id: u32) -> &[Period] {
        let i = id as usize;
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(from), Some(to)) => &self.periods[*from as usize..*to as usize],
            _ => &[],
        }
    }

    /// Sets everybody's listings with practices; those of persons not in
    /// the CPR register are left out.
    pub fn set_listings(&mut self, mut listings: Vec<(u32, Listing)>) {
        listings.retain(|(id, _)| (*id as usize) < self.len());
        listings.sort_unstable_by_key(|(id, l)| (*id, l.from));
        let mut listed = vec![0u32; self.len() + 1];
        for (id, _) in &listings {
            listed[*id as usize + 1] += 1;
        }
        for i in 1..listed.len() {
            listed[i] += listed[i - 1];
        }
        self.listings = listings.into_iter().map(|(_, l)| l).collect();
        self.listed = listed;
    }

    /// Person `id`'s listings, by first day.
    fn listings_of(&self, id: u32) -> &[Listing] {
        let i = id as usize;
        &self.listings[self.listed[i] as usize..self.listed[i + 1] as usize]
    }

    /// Every (municipality, GP cluster) pair a citizen could be placed in:
    /// each municipality with cluster 0, and each municipality a person
    /// ever lived in with each cluster they were ever listed in.
    pub fn municipality_clusters(&self) -> BTreeSet<(u16, u16)> {
        let mut pairs = BTreeSet::new();
        for m in shared::geography::MUNICIPALITIES {
            pairs.insert((m.code, 0));
        }
        for id in 0..self.len() as u32 {
            let listings = self.listings_of(id);
            for p in self.periods_of(id) {
                let Ok(m) = u16::try_from(p.municipality) else {
                    continue;
                };
                for l in listings {
                    pairs.insert((m, l.cluster));
                }
            }
        }
        pairs
    }

    /// Number of persons.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether nobody is in the register.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The person's number in this population.
    pub fn id(&self, pseudonym: &str) -> Option<u32> {
        self.index.get(pseudonym)
    }

    /// The cell of a person in `year`, if they are a citizen then.
    pub fn cell(&self, pseudonym: &str, year: i32) -> Option<CellKey> {
        Some(self.place_of(self.id(pseudonym)?, year)?.cell)
    }

    /// The person's number and place in `year`, if they are a citizen then.
    pub fn placed(&self, pseudonym: &str, year: i32) -> Option<(u32, Place)> {
        let id = self.id(pseudonym)?;
        Some((id, self.place_of(id, year)?))
    }

    /// The place of person `id` in `year`.
    pub fn place_of(&self, id: u32, year: i32) -> Option<Place> {
        let first = NaiveDate::from_ymd_opt(year, 1, 1)?;
        let next = NaiveDate::from_ymd_opt(year + 1, 1, 1)?;
        let p = self
            .periods_of(id)
            .iter()
            .rev()
            .find(|p| p.valid_from < next && p.valid_to.is_none_or(|to| to > first))?;
        let age = u32::try_from(year - p.birth_date.year()).ok()?;
        if p.sex == 0 {
            return None;
        }
        let nursing_home = p
            .nursing_home
            .is_some_and(|(from, until)| from < next && until.is_none_or(|u| u > first));
        let mut groups = 0;
        let mut chronic = 0;
        for (bit, since) in &self.chronic[id as usize] {
            if *since <= year && groups & bit == 0 {
                groups |= bit;
                chronic += 1;
            }
        }
        if chronic >= 2 {
            groups |= target_bit(TARGET_MULTIMORBID);
        }
        if nursing_home {
            groups |= target_bit(TARGET_NURSING_HOME);
        }
        // Listings are in order of their first day: the last overlapping
        // one is the latest.
        let (gp_cluster, gp_practice) = self
            .listings_of(id)
            .iter()
            .rev()
            .find(|l| l.from < next && l.to.is_none_or(|to| to > first))
            .map_or((0, 0), |l| (l.cluster, l.practice));
        Some(Place {
            cell: (
                u16::try_from(year).ok()?,
                u16::try_from(p.municipality).ok()?,
                AgeBand::from_age(age).index(),
                p.sex,
            ),
            civil_status: p.civil_status,
            cpr_status: p.cpr_status,
            nursing_home,
            groups,
            gp_cluster,
            gp_practice,
            record: self.records[id as usize],
        })
    }

    /// The age person `id` reaches in `year` (by their first period).
    pub fn age_of(&self, id: u32, year: i32) -> Option<u32> {
        let p = self.periods_of(id).first()?;
        u32::try_from(year - p.birth_date.year()).ok()
    }

    /// The months of `year` in which person `id` has a period that the
    /// citizen rule counts, one bit each (bit 0: January); a citizen of
    /// the year has at least one. A quarter is lived in when one of its
    /// months is (`Period::of_months`).
    pub fn months_of(&self, id: u32, year: i32) -> u16 {
        let periods = self.periods_of(id);
        let mut months = 0;
        for m in 0..12u32 {
            let (Some(first), Some(next)) = (
                NaiveDate::from_ymd_opt(year, m + 1, 1),
                NaiveDate::from_ymd_opt(year + i32::from(m == 11), (m + 1) % 12 + 1, 1),
            ) else {
                continue;
            };
            if periods
                .iter()
                .any(|p| p.valid_from < next && p.valid_to.is_none_or(|to| to > first))
            {
                months |= 1 << m;
            }
        }
        months
    }

    /// The person number and place of every citizen of `year`.
    pub fn places(&self, year: i32) -> impl Iterator<Item = (u32, Place)> + '_ {
        (0..self.len() as u32).filter_map(move |id| Some((id, self.place_of(id, year)?)))
    }
}

/// A set of (person, year) pairs, one bit each.
#[derive(Default)]
pub struct Seen {
    /// Hashed with foldhash: a year, or a period's key, is hashed on
    /// every look-up.
    years: HashMap<i32, Vec<u64>, foldhash::fast::RandomState>,
}

impl Seen {
    /// Whether the pair is in the set.
    pub fn contains(&self, id: u32, year: i32) -> bool {
        self.years.get(&year).is_some_and(|bits| {
            bits.get(id as usize / 64)
                .is_some_and(|word| word & (1 << (id % 64)) != 0)
        })
    }

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

/// A set of (person, year, code) triples, for persons who mostly have one
/// code a year (their practice): the first code of a person-year takes
/// two bytes in a per-year array, only further codes take a hash entry.
#[derive(Default)]
pub struct SeenAt {
    first: HashMap<i32, Vec<u16>, foldhash::fast::RandomState>,
    more: HashSet<(u32, i32, u16)>,
}

impl SeenAt {
    /// Adds the triple (code > 0); `true` if it was not there yet.
    pub fn insert(&mut self, id: u32, year: i32, code: u16) -> bool {
        debug_assert!(code > 0);
        let first = self.first.entry(year).or_default();
        if first.len() <= id as usize {
            first.resize(id as usize + 1, 0);
        }
        match first[id as usize] {
            0 => {
                first[id as usize] = code;
                true
            }
            c if c == code => false,
            _ => self.more.insert((id, year, code)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seen_at_counts_each_triple_once() {
        let mut seen = SeenAt::default();
        assert!(seen.insert(7, 2024, 3));
        assert!(!seen.insert(7, 2024, 3));
        assert!(seen.insert(7, 2024, 5), "a second practice");
        assert!(!seen.insert(7, 2024, 5));
        assert!(seen.insert(7, 2023, 5), "another year");
        assert!(seen.insert(2, 2024, 3), "another person");
    }

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
            civil_status: "G".into(),
            address_id: format!("{who}-{municipality}"),
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
        let population = Population::new(&rows, &[], &[]);
        assert_eq!(population.len(), 2);
        assert_eq!(population.cell("a", 2024), Some((2024, 101, 15, 2)));
        assert_eq!(population.cell("a", 2023), Some((2023, 851, 15, 2)));
        assert_eq!(population.cell("b", 2024), None);
        assert_eq!(population.cell("b", 2023).map(|c| c.1), Some(101));
        assert_eq!(population.cell("c", 2024), None);
        assert_eq!(population.places(2024).count(), 1);
        // Not born yet.
        assert_eq!(population.cell("a", 1949), None);
    }

    #[test]
    fn a_citizen_counts_in_the_months_and_quarters_they_lived_here() {
        use crate::aggregate::Period;
        let rows = vec![
            // Emigrated on 1 April: January to March, the first quarter.
            period("a", 101, date(2000, 1, 1), Some(date(2024, 4, 1)), "80"),
            // Away from 15 May to 1 October: January to May and October
            // to December, the first, second and fourth quarters.
            period("b", 101, date(2000, 1, 1), Some(date(2024, 5, 15)), "01"),
            period("b", 101, date(2024, 10, 1), None, "01"),
            // Came on 31 December.
            period("c", 851, date(2024, 12, 31), None, "01"),
            // Cancelled number: no month.
            period("d", 101, date(2000, 1, 1), None, "30"),
        ];
        let population = Population::new(&rows, &[], &[]);
        let lived = |who: &str, year: i32| {
            let months = population
                .id(who)
                .map_or(0, |id| population.months_of(id, year));
            (months, Period::Quarter.of_months(months))
        };
        assert_eq!(lived("a", 2024), (0b0000_0000_0111, 0b0001));
        assert_eq!(lived("a", 2023), (0b1111_1111_1111, 0b1111));
        assert_eq!(lived("b", 2024), (0b1110_0001_1111, 0b1011));
        assert_eq!(lived("c", 2024), (0b1000_0000_0000, 0b1000));
        assert_eq!(lived("c", 2025), (0b1111_1111_1111, 0b1111));
        assert_eq!(lived("d", 2024), (0, 0));
        // Every citizen of a year has a month in it.
        for year in 2023..=2025 {
            for (id, _) in population.places(year) {
                assert_ne!(population.months_of(id, year), 0);
            }
        }
    }

    #[test]
    fn attributes_come_from_the_placing_period() {
        let mut home = period("a", 851, date(2022, 7, 1), None, "90");
        home.civil_status = "E".into();
        let rows = vec![
            period("a", 851, date(2000, 1, 1), Some(date(2022, 7, 1)), "01"),
            home,
        ];
        // The address became a nursing home in 2023 and stopped being one
        // on the first day of 2024.
        let homes = [NursingHomeRow {
            address_id: "a-851".into(),
            valid_from: date(2023, 3, 1),
            valid_to: Some(date(2024, 1, 1)),
        }];
        let chronic = [
            ChronicRow {
                pseudonym: "a".into(),
                group: "dementia".into(),
                first_date: date(2023, 12, 31),
            },
            ChronicRow {
                pseudonym: "a".into(),
                group: "copd".into(),
                first_date: date(2010, 1, 1),
            },
            ChronicRow {
                pseudonym: "nobody".into(),
                group: "copd".into(),
                first_date: date(2010, 1, 1),
            },
        ];
        let population = Population::new(&rows, &homes, &chronic);
        let place = |year| population.placed("a", year).expect("a citizen").1;
        let (y2022, y2023, y2024) = (place(2022), place(2023), place(2024));
        assert_eq!((y2022.civil_status, y2022.cpr_status), (4, 90));
        assert!(!y2022.nursing_home, "not yet a nursing home");
        assert!(y2023.nursing_home);
        assert!(!y2024.nursing_home, "no longer a nursing home");
        let copd = target_bit(3);
        let dementia = target_bit(2);
        assert_eq!(y2022.groups, copd);
        assert_eq!(
            y2023.groups,
            copd | dementia | target_bit(TARGET_MULTIMORBID) | target_bit(TARGET_NURSING_HOME)
        );
        assert_eq!(
            y2024.groups,
            copd | dementia | target_bit(TARGET_MULTIMORBID)
        );
        assert_eq!(population.age_of(0, 2024), Some(74));
    }

    #[test]
    fn the_gp_cluster_is_that_of_the_latest_listing_in_the_year() {
        let rows = vec![
            period("a", 851, date(2000, 1, 1), Some(date(2023, 6, 1)), "01"),
            period("a", 101, date(2023, 6, 1), None, "01"),
            period("b", 101, date(2000, 1, 1), None, "01"),
        ];
        let mut population = Population::new(&rows, &[], &[]);
        let a = population.id("a").expect("a");
        let listing = |cluster, from, to| Listing {
            cluster,
            practice: cluster * 10,
            from,
            to,
        };
        population.set_listings(vec![
            // Given out of order, and ending on the first day of 2024.
            (a, listing(7, date(2023, 8, 1), Some(date(2024, 1, 1)))),
            (a, listing(3, date(2010, 1, 1), Some(date(2023, 8, 1)))),
            // A person number the population does not have.
            (99, listing(5, date(2010, 1, 1), None)),
        ]);
        let cluster = |who, year| {
            population
                .placed(who, year)
                .expect("a citizen")
                .1
                .gp_cluster
        };
        assert_eq!(cluster("a", 2022), 3);
        assert_eq!(cluster("a", 2023), 7, "the later of two listings in 2023");
        let practice = population
            .placed("a", 2023)
            .expect("a citizen")
            .1
            .gp_practice;
        assert_eq!(practice, 70, "and its practice");
        assert_eq!(cluster("a", 2024), 0, "no longer listed in 2024");
        assert_eq!(cluster("b", 2024), 0, "never listed");
        let pairs = population.municipality_clusters();
        for pair in [(851, 3), (851, 7), (101, 3), (101, 7), (101, 0), (147, 0)] {
            assert!(pairs.contains(&pair), "{pair:?}");
        }
        assert!(!pairs.contains(&(101, 5)));
        assert_eq!(pairs.len(), shared::geography::MUNICIPALITIES.len() + 4);
    }

    #[test]
    fn pseudonyms_of_hex_digits_and_others_each_get_their_own_number() {
        let hex = "0123456789abcdef0123456789abcdef";
        let mut index = PersonIndex::default();
        assert_eq!(
            PersonIndex::packed(hex),
            Some(0x0123456789abcdef0123456789abcdef)
        );
        // Upper case, another length or a sign would pack to the same
        // number as some other spelling: they are kept as strings.
        for other in [
            "0123456789ABCDEF0123456789ABCDEF",
            "+123456789abcdef0123456789abcdef",
            "0123456789abcdef",
            "a",
        ] {
            assert_eq!(PersonIndex::packed(other), None, "{other}");
        }
        let names = [hex, "0123456789ABCDEF0123456789ABCDEF", "a", "b"];
        for (i, name) in names.iter().enumerate() {
            assert_eq!(index.get_or_insert(name, i as u32), (i as u32, true));
        }
        for (i, name) in names.iter().enumerate() {
            assert_eq!(index.get_or_insert(name, 99), (i as u32, false));
            assert_eq!(index.get(name), Some(i as u32));
        }
        assert_eq!(index.get("c"), None);
        assert_eq!(index.get("1123456789abcdef0123456789abcdef"), None);
    }

    #[test]
    fn seen_counts_each_pair_once() {
        let mut seen = Seen::default();
        assert!(seen.insert(3, 2024));
        assert!(!seen.insert(3, 2024));
        assert!(seen.insert(3, 2023));
        assert!(seen.insert(200, 2024));
        assert!(!seen.insert(200, 2024));
        assert!(seen.contains(200, 2024));
        assert!(!seen.contains(200, 2022));
        assert!(!seen.contains(199, 2024));
        assert!(!seen.contains(9999, 2024));
    }
}
