//! Aggregation: person-level facts in the store → pre-aggregated cubes.
//!
//! Every person is placed, for each year, in one cell (municipality × age
//! band × sex) by the citizen rule (see [`population`]). Each tile family
//! is then a tally of its quantities per cell: the year's citizens, and
//! the events of the year's citizens as the catalogue defines them
//! (`shared::measure::QUANTITIES`). Events stream from the store; cells
//! are kept sorted by key, so the same input always gives the same cube
//! (and the same tile bytes) on either engine.

pub mod hospital;
pub mod population;

use std::collections::{BTreeMap, BTreeSet};

use chrono::Datelike;
use shared::cube::{Cube, CubeError};
use shared::tile::TileFamily;
use shared::{QuantityId, TileFamilyId};

use crate::store::{LprContact, Store, StoreError};
use hospital::{Contact, Sector};
use population::{CellKey, Population, Seen};

/// Why the cubes could not be built.
#[derive(Debug, thiserror::Error)]
pub enum AggregateError {
    /// Reading the store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// There is nothing to aggregate.
    #[error(
        "no events have been ingested, so no year can be built: ingest SSR, LPR or EOJ extracts first"
    )]
    NoYears,
    /// A cube did not match its family (a bug).
    #[error("internal error building a cube: {0}")]
    Cube(#[from] CubeError),
}

/// Events that are in no cell: their person was no citizen in the
/// event's year (not in the CPR register, not yet born, or gone).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Unplaced {
    /// GP contacts.
    pub gp_contacts: u64,
    /// Hospital contacts.
    pub hospital_contacts: u64,
    /// Person-years with municipal care.
    pub care_person_years: u64,
}

/// The built cubes, one per tile family, and what was left out.
#[derive(Debug)]
pub struct Aggregated {
    /// The cubes, in the order of `shared::tile::TILE_FAMILIES`.
    pub cubes: Vec<Cube>,
    /// Events in no cell.
    pub unplaced: Unplaced,
}

/// A person's number and cell in a year, if they are a citizen then.
type Placed = Option<(u32, CellKey)>;

/// One family's tally, the years its events fall in, and what it left out.
struct Part {
    tally: Tally,
    years: BTreeSet<i32>,
    unplaced: Unplaced,
}

impl Part {
    fn new(family: TileFamilyId) -> Part {
        Part {
            tally: Tally::new(family),
            years: BTreeSet::new(),
            unplaced: Unplaced::default(),
        }
    }
}

/// The result of a scoped thread; its panic goes on unwinding here.
fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Runs a stage to completion on this (non-async) thread. The SQLite
/// stages never wait on anything but the file, so a small runtime of
/// their own suffices.
fn blocking<T>(stage: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime starts")
        .block_on(stage)
}

/// The hospital and municipal-care parts, one after the other.
async fn hospital_and_care(
    store: &Store,
    population: &Population<'_>,
) -> Result<(Part, Part), AggregateError> {
    Ok((
        hospital_use(store, population).await?,
        municipal_care(store, population).await?,
    ))
}

/// A family's quantities per cell.
struct Tally {
    family: &'static TileFamily,
    cells: BTreeMap<CellKey, Vec<u64>>,
}

impl Tally {
    fn new(family: TileFamilyId) -> Tally {
        Tally {
            family: family.def(),
            cells: BTreeMap::new(),
        }
    }

    /// The column index of `quantity` in this family.
    fn column(&self, quantity: QuantityId) -> usize {
        self.family
            .quantities
            .iter()
            .position(|q| *q == quantity)
            .expect("the quantity belongs to the family")
    }

    fn add(&mut self, cell: CellKey, column: usize, n: u64) {
        let width = self.family.quantities.len();
        self.cells.entry(cell).or_insert_with(|| vec![0; width])[column] += n;
    }

    fn into_cube(self) -> Result<Cube, CubeError> {
        let mut keys: Vec<Vec<u16>> = (0..4)
            .map(|_| Vec::with_capacity(self.cells.len()))
            .collect();
        let mut values: Vec<Vec<u64>> = (0..self.family.quantities.len())
            .map(|_| Vec::with_capacity(self.cells.len()))
            .collect();
        for ((year, municipality, band, sex), counts) in self.cells {
            keys[0].push(year);
            keys[1].push(municipality);
            keys[2].push(u16::from(band));
            keys[3].push(u16::from(sex));
            for (column, n) in values.iter_mut().zip(counts) {
                column.push(n);
            }
        }
        Cube::new(self.family.id, keys, values)
    }
}

/// Builds every family's cube from what the store holds. Years are those
/// with GP contacts, hospital contacts or municipal care.
pub async fn build(store: &Store) -> Result<Aggregated, AggregateError> {
    let started = std::time::Instant::now();
    let stage = |what: &str| {
        log::info!(
            "aggregate: {what} ({:.1} s)",
            started.elapsed().as_secs_f64()
        );
    };
    let residences = store.residences().await?;
    let population = Population::new(&residences);
    stage(&format!("{} persons in the CPR register", population.len()));
    // General practice is the largest scan; on SQLite it runs on a thread
    // of its own beside the hospital and municipal-care scans (each with
    // its own read-only connection). PostgreSQL does its grouping in the
    // server, so there the stages simply follow each other.
    let (general, rest) = if store.is_sqlite() {
        // Both on threads of their own: this thread may be inside an async
        // runtime, where another cannot be started.
        std::thread::scope(|scope| {
            let general = scope.spawn(|| blocking(general_practice(store, &population)));
            let rest = scope.spawn(|| blocking(hospital_and_care(store, &population)));
            (joined(general), joined(rest))
        })
    } else {
        (
            general_practice(store, &population).await,
            hospital_and_care(store, &population).await,
        )
    };
    let general = general?;
    stage("general practice");
    let (hospital, care) = rest?;
    stage("hospital contacts and stays, municipal care");
    let mut years = BTreeSet::new();
    let mut unplaced = Unplaced::default();
    for part in [&general, &hospital, &care] {
        years.extend(part.years.iter().copied());
        unplaced.gp_contacts += part.unplaced.gp_contacts;
        unplaced.hospital_contacts += part.unplaced.hospital_contacts;
        unplaced.care_person_years += part.unplaced.care_person_years;
    }
    if years.is_empty() {
        return Err(AggregateError::NoYears);
    }

    let mut tallies = [general.tally, hospital.tally, care.tally];
    for year in years {
        for cell in population.cells(year) {
            for tally in &mut tallies {
                let citizens = tally.column(QuantityId::Citizens);
                tally.add(cell, citizens, 1);
            }
        }
    }
    stage("citizens");
    let cubes = tallies
        .into_iter()
        .map(Tally::into_cube)
        .collect::<Result<Vec<_>, _>>()?;
    debug_assert!(cubes
        .iter()
        .map(Cube::family)
        .eq(shared::tile::TILE_FAMILIES.iter().map(|f| f.id)));
    Ok(Aggregated { cubes, unplaced })
}

/// GP contacts by type, and persons with any.
async fn general_practice(
    store: &Store,
    population: &Population<'_>,
) -> Result<Part, AggregateError> {
    let mut part = Part::new(TileFamilyId::Geography);
    let Part {
        tally,
        years,
        unplaced,
    } = &mut part;
    let all = tally.column(QuantityId::GpContacts);
    let patients = tally.column(QuantityId::GpPatients);
    let by_type = [
        ("consultation", QuantityId::GpConsultations),
        ("phone", QuantityId::GpPhone),
        ("email", QuantityId::GpEmail),
        ("video", QuantityId::GpVideo),
        ("other_in_person", QuantityId::GpOtherInPerson),
        ("home_visit", QuantityId::GpHomeVisits),
    ]
    .map(|(code, q)| (code, tally.column(q)));
    // Rows are per person, year and type: a person-year is a patient once.
    let mut patient_years = Seen::default();
    let mut last: Option<(String, i32, Placed)> = None;
    store
        .gp_contacts(|pseudonym, year, contact_type, n| {
            years.insert(year);
            // A person's contacts mostly come together: remember the last
            // person's place.
            let placed = match &last {
                Some((who, when, placed)) if who == pseudonym && *when == year => *placed,
                _ => {
                    let placed = population.placed(pseudonym, year);
                    last = Some((pseudonym.to_string(), year, placed));
                    placed
                }
            };
            let Some((person, cell)) = placed else {
                unplaced.gp_contacts += n;
                return;
            };
            tally.add(cell, all, n);
            if let Some((_, column)) = by_type.iter().find(|(code, _)| *code == contact_type) {
                tally.add(cell, *column, n);
            }
            if patient_years.insert(person, year) {
                tally.add(cell, patients, 1);
            }
        })
        .await?;
    Ok(part)
}

/// Hospital contacts, stays, admissions and readmissions.
async fn hospital_use(store: &Store, population: &Population<'_>) -> Result<Part, AggregateError> {
    let mut part = Part::new(TileFamilyId::Hospital);
    let Part {
        tally,
        years,
        unplaced,
    } = &mut part;
    let mut person: Option<String> = None;
    let mut contacts: Vec<Contact> = Vec::new();
    let mut flush = |pseudonym: &str, contacts: &mut Vec<Contact>, tally: &mut Tally| {
        for c in contacts.iter() {
            years.insert(c.start.year());
        }
        unplaced.hospital_contacts += person_hospital_use(population, pseudonym, contacts, tally);
        contacts.clear();
    };
    store
        .lpr_contacts(|row: LprContact| {
            if person.as_deref() != Some(row.pseudonym.as_str()) {
                if let Some(previous) = person.take() {
                    flush(&previous, &mut contacts, tally);
                }
                person = Some(row.pseudonym.clone());
            }
            contacts.push(Contact {
                id: row.contact_id,
                start: row.start_time,
                end: row.end_time,
                acute: row.priority == "acute",
                sector: if row.sector == "psychiatric" {
                    Sector::Psychiatric
                } else {
                    Sector::Somatic
                },
                rehabilitation_plan: row.rehabilitation_plan == 1,
            });
        })
        .await?;
    if let Some(previous) = person {
        flush(&previous, &mut contacts, tally);
    }
    Ok(part)
}

/// Adds one person's hospital use to the tally; returns the contacts that
/// fell in no cell.
fn person_hospital_use(
    population: &Population<'_>,
    pseudonym: &str,
    contacts: &mut [Contact],
    tally: &mut Tally,
) -> u64 {
    use QuantityId as Q;
    let column = |q| tally.column(q);
    let [contacts_col, patients, plans, stays_col, admissions, outpatient, bed_days] = [
        Q::HospitalContacts,
        Q::HospitalPatients,
        Q::RehabilitationPlans,
        Q::Stays,
        Q::Admissions,
        Q::OutpatientStays,
        Q::BedDays,
    ]
    .map(column);
    let [acute, planned, somatic, psychiatric, both, readmissions, re_somatic, re_psychiatric] = [
        Q::AdmissionsAcute,
        Q::AdmissionsPlanned,
        Q::AdmissionsSomatic,
        Q::AdmissionsPsychiatric,
        Q::AdmissionsBoth,
        Q::Readmissions,
        Q::ReadmissionsSomatic,
        Q::ReadmissionsPsychiatric,
    ]
    .map(column);

    // The person is looked up once; each contact and stay then only
    // needs the person's cell in its year.
    let Some(person) = population.id(pseudonym) else {
        return contacts.len() as u64;
    };
    let stays = hospital::stays(contacts);
    let mut unplaced = 0;
    let mut patient_years = BTreeSet::new();
    for c in contacts.iter() {
        let year = c.start.year();
        let Some(cell) = population.cell_of(person, year) else {
            unplaced += 1;
            continue;
        };
        tally.add(cell, contacts_col, 1);
        tally.add(cell, plans, u64::from(c.rehabilitation_plan));
        if patient_years.insert(year) {
            tally.add(cell, patients, 1);
        }
    }
    for (i, stay) in stays.iter().enumerate() {
        let Some(cell) = population.cell_of(person, stay.year()) else {
            continue;
        };
        tally.add(cell, stays_col, 1);
        if !stay.is_admission() {
            tally.add(cell, outpatient, 1);
            continue;
        }
        tally.add(cell, admissions, 1);
        tally.add(cell, bed_days, stay.bed_days());
        tally.add(cell, if stay.acute { acute } else { planned }, 1);
        let sector = match stay.sector {
            Sector::Somatic => somatic,
            Sector::Psychiatric => psychiatric,
            Sector::Both => both,
        };
        tally.add(cell, sector, 1);
        if hospital::readmitted(&stays, i, None) {
            tally.add(cell, readmissions, 1);
        }
        match stay.sector {
            Sector::Somatic if hospital::readmitted(&stays, i, Some(Sector::Somatic)) => {
                tally.add(cell, re_somatic, 1);
            }
            Sector::Psychiatric if hospital::readmitted(&stays, i, Some(Sector::Psychiatric)) => {
                tally.add(cell, re_psychiatric, 1);
            }
            _ => {}
        }
    }
    unplaced
}

/// Persons receiving each municipal service, and home help of either kind.
async fn municipal_care(
    store: &Store,
    population: &Population<'_>,
) -> Result<Part, AggregateError> {
    let mut part = Part::new(TileFamilyId::MunicipalCare);
    let Part {
        tally,
        years,
        unplaced,
    } = &mut part;
    use QuantityId as Q;
    let services = [
        ("sel83_practical", Q::CareSel83Practical),
        ("sel83_personal", Q::CareSel83Personal),
        ("sel83a", Q::CareSel83a),
        ("sel86_1", Q::CareSel86_1),
        ("sel86_2", Q::CareSel86_2),
        ("sel79a", Q::CareSel79a),
        ("sul138", Q::CareSul138),
        ("sul140", Q::CareSul140),
    ]
    .map(|(code, q)| (code, tally.column(q)));
    let home_help = tally.column(Q::CareHomeHelp);
    let mut home_help_years = Seen::default();
    let mut unplaced_years = BTreeSet::new();
    let mut service_years = [(); 8].map(|_| Seen::default());
    store
        .care_services(|pseudonym, year, service| {
            years.insert(year);
            let Some((person, cell)) = population.placed(pseudonym, year) else {
                if unplaced_years.insert((pseudonym.to_string(), year)) {
                    unplaced.care_person_years += 1;
                }
                return;
            };
            // A person-year may come with a service more than once.
            if let Some(i) = services.iter().position(|(code, _)| *code == service) {
                if service_years[i].insert(person, year) {
                    tally.add(cell, services[i].1, 1);
                }
            }
            if service.starts_with("sel83_") && home_help_years.insert(person, year) {
                tally.add(cell, home_help, 1);
            }
        })
        .await?;
    Ok(part)
}
