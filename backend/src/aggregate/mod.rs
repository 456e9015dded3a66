//! Aggregation: person-level facts in the store → pre-aggregated cubes.
//!
//! Each cube is keyed by the stored dimensions of its tile family and holds
//! the family's additive quantities, computed as the catalogue's
//! definitions say (see `shared::measure::QUANTITIES`). Cells come out
//! sorted by key, so the same input always gives the same cube (and the
//! same tile bytes) on either engine.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate};
use shared::cube::{Cube, CubeError};
use shared::{AgeBand, QuantityId, Sex, TileFamilyId};

use crate::store::{ResidenceRow, Store, StoreError};

/// CPR status codes of numbers that do not stand for a person of their
/// own (cancelled, deleted duplicate, changed number).
const NOT_COUNTED: &[&str] = &["30", "50", "60"];

/// Why a cube could not be built.
#[derive(Debug, thiserror::Error)]
pub enum AggregateError {
    /// Reading the store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// There is nothing to aggregate.
    #[error(
        "no GP contacts have been ingested, so no year can be built: ingest an SSR extract first"
    )]
    NoYears,
    /// The cube did not match its family (a bug).
    #[error("internal error building the cube: {0}")]
    Cube(#[from] CubeError),
}

/// A built cube and what was left out of it.
#[derive(Debug)]
pub struct Aggregated {
    /// The cube.
    pub cube: Cube,
    /// Contacts whose person was no citizen in the contact's year (not in
    /// the CPR register, not yet born, or gone); they are in no cell.
    pub unmatched_contacts: u64,
}

/// Key of a geography cell: year, municipality, age band, sex.
type CellKey = (u16, u16, u8, u8);

/// Builds the geography cube: citizens and GP contacts by year ×
/// municipality × age band × sex. Years are those with GP contacts. A
/// person is a citizen in a year when one of their periods of residence
/// overlaps it (and the CPR number is not cancelled, deleted or changed),
/// and is counted — with the year's contacts — in the municipality of the
/// last such period; age is the age reached in the year.
pub async fn geography(store: &Store) -> Result<Aggregated, AggregateError> {
    let residences = store.residences().await?;
    let contacts = store.gp_contacts_per_person_year().await?;
    let years: BTreeSet<i32> = contacts.iter().map(|(_, year, _)| *year).collect();
    if years.is_empty() {
        return Err(AggregateError::NoYears);
    }

    // Each person's periods, in order of their start.
    let mut persons: HashMap<&str, Vec<&ResidenceRow>> = HashMap::new();
    for r in &residences {
        if !NOT_COUNTED.contains(&r.status.as_str()) {
            persons.entry(r.pseudonym.as_str()).or_default().push(r);
        }
    }
    for periods in persons.values_mut() {
        periods.sort_by_key(|r| r.valid_from);
    }
    let cell = |periods: &[&ResidenceRow], year: i32| -> Option<CellKey> {
        let first = NaiveDate::from_ymd_opt(year, 1, 1)?;
        let last = NaiveDate::from_ymd_opt(year, 12, 31)?;
        let p = periods
            .iter()
            .rev()
            .find(|r| r.valid_from <= last && r.valid_to.is_none_or(|to| to > first))?;
        let age = year - p.birth_date.year();
        let sex = Sex::from_letter(&p.sex)?;
        (age >= 0).then(|| {
            (
                year as u16,
                p.municipality as u16,
                AgeBand::from_age(age as u32).index(),
                sex.code() as u8,
            )
        })
    };

    let mut cells: BTreeMap<CellKey, [u64; 2]> = BTreeMap::new();
    for &year in &years {
        for periods in persons.values() {
            if let Some(key) = cell(periods, year) {
                cells.entry(key).or_default()[0] += 1;
            }
        }
    }
    let mut unmatched_contacts = 0u64;
    for (pseudonym, year, n) in &contacts {
        let n = u64::try_from(*n).unwrap_or(0);
        match persons
            .get(pseudonym.as_str())
            .and_then(|periods| cell(periods, *year))
        {
            Some(key) => cells.entry(key).or_default()[1] += n,
            None => unmatched_contacts += n,
        }
    }

    // The family's quantity order decides the column order.
    let family = TileFamilyId::Geography.def();
    debug_assert_eq!(
        family.quantities,
        [QuantityId::Citizens, QuantityId::GpContacts]
    );
    let mut keys: Vec<Vec<u16>> = (0..4).map(|_| Vec::with_capacity(cells.len())).collect();
    let mut values: Vec<Vec<u64>> = (0..2).map(|_| Vec::with_capacity(cells.len())).collect();
    for ((year, municipality, band, sex), [citizens, gp_contacts]) in cells {
        keys[0].push(year);
        keys[1].push(municipality);
        keys[2].push(u16::from(band));
        keys[3].push(u16::from(sex));
        values[0].push(citizens);
        values[1].push(gp_contacts);
    }
    Ok(Aggregated {
        cube: Cube::new(TileFamilyId::Geography, keys, values)?,
        unmatched_contacts,
    })
}
