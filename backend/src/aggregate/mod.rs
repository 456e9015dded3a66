//! Aggregation: person-level facts in the store → pre-aggregated cubes.
//!
//! Each cube is keyed by the stored dimensions of its tile family and holds
//! the family's additive quantities, computed as the catalogue's
//! definitions say (see `shared::measure::QUANTITIES`). Cells come out
//! sorted by key, so the same input always gives the same cube (and the
//! same tile bytes) on either engine.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::Datelike;
use shared::cube::{Cube, CubeError};
use shared::{AgeBand, QuantityId, TileFamilyId};

use crate::store::{Store, StoreError};

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
    /// Contacts whose person is not in the CPR extract (or was not yet
    /// born in the contact's year); they are in no cell.
    pub unmatched_contacts: u64,
}

/// Key of a geography cell: year, municipality, age band, sex.
type CellKey = (u16, u16, u8, u8);

/// Builds the geography cube: citizens and GP contacts by year ×
/// municipality × age band × sex. Years are those with GP contacts; age is
/// age at the end of the year.
pub async fn geography(store: &Store) -> Result<Aggregated, AggregateError> {
    let persons = store.persons().await?;
    let contacts = store.gp_contacts_per_person_year().await?;
    let years: BTreeSet<i32> = contacts.iter().map(|(_, year, _)| *year).collect();
    if years.is_empty() {
        return Err(AggregateError::NoYears);
    }

    let index: HashMap<&str, usize> = persons
        .iter()
        .enumerate()
        .map(|(i, p)| (p.pseudonym.as_str(), i))
        .collect();
    let cell = |person: usize, year: i32| -> Option<CellKey> {
        let p = &persons[person];
        let age = year - p.birth_date.year();
        (age >= 0).then(|| {
            (
                year as u16,
                p.municipality as u16,
                AgeBand::from_age(age as u32).index(),
                p.sex as u8,
            )
        })
    };

    let mut cells: BTreeMap<CellKey, [u64; 2]> = BTreeMap::new();
    for &year in &years {
        for person in 0..persons.len() {
            if let Some(key) = cell(person, year) {
                cells.entry(key).or_default()[0] += 1;
            }
        }
    }
    let mut unmatched_contacts = 0u64;
    for (pseudonym, year, n) in &contacts {
        let n = u64::try_from(*n).unwrap_or(0);
        match index.get(pseudonym.as_str()).and_then(|p| cell(*p, *year)) {
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
