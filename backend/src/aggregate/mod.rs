//! Aggregation: person-level facts in the store → pre-aggregated cubes.
//!
//! Every person is placed, for each year, in one cell (municipality × age
//! band × sex) by the citizen rule, with their civil status, CPR status,
//! nursing-home residence and target groups (see [`population`]). Each
//! tile family is then a tally of its quantities per cell: the year's
//! citizens, and the events of the year's citizens as the catalogue
//! defines them (`shared::measure::QUANTITIES`) — once in the base tile
//! and once more in each split tile, under the person's code of that
//! split (under every target group they are in). Events stream from the
//! store into dense arrays laid out in key order, so the same input always
//! gives the same cubes (and the same tile bytes) on either engine.
//!
//! Elderly medical patients (ÆMI) are found from hospital stays, so the
//! hospital stage runs first; general practice and municipal care follow,
//! and mark the admissions their contacts precede (cross-sector, see
//! [`prior`]). Each stage also records the persons its sector reached, so
//! the citizens can be counted by the sectors they were in contact with
//! ([`sectors`]).

pub mod by_hospital;
pub mod by_practice;
pub mod detail;
pub mod disclosure;
pub mod hospital;
pub mod keyed;
pub mod population;
pub mod prior;
pub mod sectors;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use shared::cube::{Cube, CubeError};
use shared::dimension::TARGET_AEMI;
use shared::disclosure::Protection;
use shared::drug::DrugGroup;
use shared::geography::MUNICIPALITIES;
use shared::register::CPR_STATUS;
use shared::tile::{HospitalCode, PracticeCode, Split, TileFamily, TileKind};
use shared::{AgeBand, QuantityId, TileFamilyId};

use crate::store::{LprContact, Store, StoreError};
use by_hospital::{Hospitals, HospitalsError};
use by_practice::{Practices, PracticesError, Prescribing};
use hospital::{Contact, Sector};
use keyed::KeyedTally;
use population::{
    target_bit, CellKey, Listing, Place, Population, PopulationBuilder, Seen, SeenAt,
};
use prior::Admissions;
use sectors::{CitizenSectors, First, Reached};

/// The rule that makes a citizen an elderly medical patient (ÆMI) in a
/// year. There is no national definition; the default is the common one:
/// 65 or older, with at least one admission in the year that includes a
/// contact with a medical department.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AemiRule {
    /// Youngest age (reached in the year).
    pub min_age: u32,
    /// Department types that make an admission count
    /// (`shared::register::DEPARTMENT_TYPES` codes).
    pub department_types: Vec<String>,
    /// Fewest such admissions starting in the year.
    pub min_admissions: u32,
}

impl Default for AemiRule {
    fn default() -> AemiRule {
        AemiRule {
            min_age: 65,
            department_types: vec!["medical".to_string()],
            min_admissions: 1,
        }
    }
}

impl AemiRule {
    /// The rule as written into the target-group tiles' metadata.
    pub fn describe(&self) -> String {
        format!(
            "age >= {}; admissions >= {}; department types: {}",
            self.min_age,
            self.min_admissions,
            self.department_types.join(", ")
        )
    }

    fn departments(&self) -> u16 {
        self.department_types
            .iter()
            .map(|d| hospital::department_bit(d))
            .fold(0, |a, b| a | b)
    }
}

/// The configurable rules of a build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rules {
    /// Who is an elderly medical patient.
    pub aemi: AemiRule,
    /// Days before an admission in which a contact with general practice
    /// or municipal care counts as prior to it.
    pub prior_window_days: u32,
    /// How the tiles' values are protected (public tiles: cell-key
    /// rounding; exact only for closed tiles and test builds).
    pub disclosure: Protection,
    /// Also keep the exact cubes, to measure what protection costs.
    pub measure_utility: bool,
}

/// The default window of prior contacts.
pub const PRIOR_WINDOW_DAYS: u32 = 30;

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            aemi: AemiRule::default(),
            prior_window_days: PRIOR_WINDOW_DAYS,
            disclosure: Protection::CellKey,
            measure_utility: false,
        }
    }
}

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
    /// The SOR register cannot be numbered.
    #[error(transparent)]
    Hospitals(#[from] HospitalsError),
    /// The provider register cannot be numbered.
    #[error(transparent)]
    Practices(#[from] PracticesError),
    /// The ÆMI rule names a department type that does not exist.
    #[error("unknown department type {0:?} in the ÆMI rule; known: {1}")]
    UnknownDepartment(String, String),
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

/// The built cubes, one per tile, and what was left out.
#[derive(Debug)]
pub struct Aggregated {
    /// The cubes, in the order of `TileKind::all()`.
    pub cubes: Vec<Cube>,
    /// The same cubes exact, for the closed tiles.
    pub exact: Vec<Cube>,
    /// Events in no cell.
    pub unplaced: Unplaced,
    /// The hospitals of the `by_hospital` tile, by code.
    pub hospitals: Vec<HospitalCode>,
    /// The practices of the `by_practice` tile, by code.
    pub practices: Vec<PracticeCode>,
    /// The error protection adds (when asked for, and the cubes are
    /// protected).
    pub utility: Vec<disclosure::Utility>,
}

/// A person's number and place in a year, if they are a citizen then.
type Placed = Option<(u32, Place)>;

/// The place in `year` of the person with this number (if they are in the
/// population), with the ÆMI group when they are one.
fn placed(population: &Population, aemi: &Seen, id: Option<u32>, year: i32) -> Placed {
    let id = id?;
    let place = population.place_of(id, year)?;
    Some((id, with_aemi(aemi, id, year, place)))
}

/// The place with the ÆMI group added when the person is one in `year`.
fn with_aemi(aemi: &Seen, id: u32, year: i32, mut place: Place) -> Place {
    if aemi.contains(id, year) {
        place.groups |= target_bit(TARGET_AEMI);
    }
    place
}

/// One family's tally, the years its events fall in, and what it left out;
/// which admissions its contacts precede (GP and care stages); and the
/// citizens its sector reached.
struct Part {
    tally: Tally,
    years: BTreeSet<i32>,
    unplaced: Unplaced,
    marks: Vec<bool>,
    reached: Reached,
}

impl Part {
    /// A part with room to mark `admissions` admissions (0 for a stage
    /// that marks none).
    fn new(family: TileFamilyId, layout: &Arc<GpLayout>, admissions: usize) -> Part {
        Part {
            tally: Tally::new(family, Arc::clone(layout)),
            years: BTreeSet::new(),
            unplaced: Unplaced::default(),
            marks: vec![false; admissions],
            reached: Reached::default(),
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

/// Base cells of a year: municipality × age band × sex.
const BASE_CELLS: usize = MUNICIPALITIES.len() * AgeBand::COUNT as usize * 2;

/// Number of splits, the base tile's included.
const SPLITS: usize = Split::ALL.len();

/// A period within a year that has a split tile of its own: persons
/// count once in each period they lived in or were reached in, events in
/// the period of their date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// Quarters 1–4.
    Quarter,
    /// Months 1–12.
    Month,
}

impl Period {
    /// Every period, in the order of their splits.
    pub const ALL: [Period; 2] = [Period::Quarter, Period::Month];

    /// Periods in a year.
    pub(crate) fn count(self) -> u8 {
        match self {
            Period::Quarter => 4,
            Period::Month => 12,
        }
    }

    /// The period (1–4 or 1–12) of a date.
    pub(crate) fn of(self, date: NaiveDate) -> u8 {
        match self {
            Period::Quarter => (date.month0() / 3 + 1) as u8,
            Period::Month => date.month() as u8,
        }
    }

    /// A (year, period) pair as one number, for sets of person-periods.
    fn key(self, year: i32, period: u8) -> i32 {
        year * i32::from(self.count()) + i32::from(period) - 1
    }

    /// The periods (one bit each, bit 0 the first) that overlap any of
    /// `months` (one bit each, bit 0 January).
    pub(crate) fn of_months(self, months: u16) -> u16 {
        match self {
            Period::Month => months,
            Period::Quarter => (0..4).fold(0, |bits, q| {
                if months & (0b111 << (3 * q)) != 0 {
                    bits | 1 << q
                } else {
                    bits
                }
            }),
        }
    }
}

/// Position of each period's split in `Split::ALL`, in the order of
/// `Period::ALL`.
const PERIOD_SPLITS: [usize; 2] = [SPLITS - 2, SPLITS - 1];
const _: () = assert!(matches!(Split::ALL[PERIOD_SPLITS[0]], Split::Quarter));
const _: () = assert!(matches!(Split::ALL[PERIOD_SPLITS[1]], Split::Month));

/// The code slots of each split, one after the other: the base tile's one
/// slot, then one per code of each split dimension, in code order.
struct Slots {
    /// First slot of each split, in the order of `Split::ALL`.
    first: [usize; SPLITS],
    /// Codes of each split (none for the GP cluster, whose ids come from
    /// the data: its cells are laid out by [`GpLayout`]).
    codes: [Vec<u16>; SPLITS],
    /// Position of a CPR status code among the CPR status codes.
    cpr_status: [u8; 100],
    /// Slots in all.
    count: usize,
}

impl Slots {
    fn new() -> Slots {
        let codes = Split::ALL.map(|s| {
            s.dimension()
                .map_or(vec![0], |d| d.codes().unwrap_or_default())
        });
        let mut first = [0; SPLITS];
        let mut count = 0;
        for (i, c) in codes.iter().enumerate() {
            first[i] = count;
            count += c.len();
        }
        let mut cpr_status = [u8::MAX; 100];
        for (i, c) in CPR_STATUS.iter().enumerate() {
            if let Ok(code) = c.code.parse::<usize>() {
                cpr_status[code] = i as u8;
            }
        }
        Slots {
            first,
            codes,
            cpr_status,
            count,
        }
    }

    /// The slot of a period's code (1–4 or 1–12).
    fn period(&self, period: Period, code: u8) -> usize {
        debug_assert!((1..=period.count()).contains(&code));
        self.first[PERIOD_SPLITS[period as usize]] + usize::from(code) - 1
    }

    /// Every slot a citizen with these attributes counts in, whatever the
    /// period (the period splits' slots are filled by
    /// [`Tally::add_in_period`]).
    fn of(&self, place: &Place, out: &mut Vec<usize>) {
        out.clear();
        out.push(self.first[0]);
        if place.civil_status > 0 {
            out.push(self.first[1] + usize::from(place.civil_status) - 1);
        }
        let status = self.cpr_status[usize::from(place.cpr_status).min(99)];
        if status != u8::MAX {
            out.push(self.first[2] + usize::from(status));
        }
        out.push(self.first[3] + usize::from(place.nursing_home));
        let mut groups = place.groups;
        while groups != 0 {
            let bit = groups.trailing_zeros() as usize;
            out.push(self.first[4] + bit);
            groups &= groups - 1;
        }
    }
}

/// The catalogue position of a stored municipality (a table lookup: every
/// addition to a tally asks).
fn municipality_index(code: u16) -> usize {
    shared::geography::municipality_index(code)
        .expect("stored municipalities are validated against the catalogue")
}

/// The index of a cell's age band and sex within its municipality.
fn band_sex_index(band: u8, sex: u8) -> usize {
    usize::from(band) * 2 + usize::from(sex) - 1
}

/// The dense index of a cell's municipality, age band and sex.
fn base_index((_, municipality, band, sex): CellKey) -> usize {
    municipality_index(municipality) * AgeBand::COUNT as usize * 2 + band_sex_index(band, sex)
}

/// Where the GP-cluster split's cells lie in a year's block: a
/// municipality's cells come together, age band × sex × its clusters, in
/// key order. Only the clusters its citizens are listed in get cells: a
/// municipality's practices belong to a few of the ~100 clusters, so a
/// dense municipality × cluster array would be mostly zeros.
struct GpLayout {
    /// Per municipality, in catalogue order: its first row and its
    /// clusters in order.
    municipalities: Vec<(usize, Vec<u16>)>,
    /// Rows of a year.
    rows: usize,
}

impl GpLayout {
    /// The layout of these (municipality, cluster) pairs; every
    /// municipality needs cluster 0.
    fn new(pairs: &BTreeSet<(u16, u16)>) -> GpLayout {
        let cells = AgeBand::COUNT as usize * 2;
        let mut rows = 0;
        let municipalities = MUNICIPALITIES
            .iter()
            .map(|m| {
                let codes: Vec<u16> = pairs
                    .range((m.code, 0)..=(m.code, u16::MAX))
                    .map(|(_, c)| *c)
                    .collect();
                let first = rows;
                rows += codes.len() * cells;
                (first, codes)
            })
            .collect();
        GpLayout {
            municipalities,
            rows,
        }
    }

    /// The row of a cell and cluster.
    fn row(&self, (_, municipality, band, sex): CellKey, cluster: u16) -> usize {
        let (first, codes) = &self.municipalities[municipality_index(municipality)];
        let i = codes
            .binary_search(&cluster)
            .expect("the layout has every municipality and cluster of the population");
        first + band_sex_index(band, sex) * codes.len() + i
    }
}

/// Municipality, age band and sex codes of a dense base index (the
/// inverse of [`base_index`]).
fn base_cell(base: usize) -> (u16, u16, u16) {
    let bands = AgeBand::COUNT as usize;
    (
        MUNICIPALITIES[base / (bands * 2)].code,
        ((base / 2) % bands) as u16,
        (base % 2 + 1) as u16,
    )
}

/// A family's quantities per cell and split code, in dense arrays laid
/// out in key order: per year, base cell × slot × column; beside each
/// count, its cell key (the wrapping sum of the record keys of what it
/// counts, see `shared::disclosure`).
struct Tally {
    family: &'static TileFamily,
    width: usize,
    slots: Slots,
    years: BTreeMap<u16, Counts>,
    /// The GP-cluster split, per year: layout row × column.
    layout: Arc<GpLayout>,
    clusters: BTreeMap<u16, Counts>,
    /// Scratch: the slots of the last place.
    scratch: Vec<usize>,
}

impl Tally {
    fn new(family: TileFamilyId, layout: Arc<GpLayout>) -> Tally {
        let family = family.def();
        Tally {
            family,
            width: family.quantities.len(),
            slots: Slots::new(),
            years: BTreeMap::new(),
            layout,
            clusters: BTreeMap::new(),
            scratch: Vec::with_capacity(16),
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

    /// The counts of `year`, base cell × slot × column (made on first use).
    fn year_block(&mut self, year: u16) -> &mut Counts {
        let len = BASE_CELLS * self.slots.count * self.width;
        self.years.entry(year).or_insert_with(|| Counts::new(len))
    }

    /// Adds `n` to `column` of the place's cell in every tile.
    fn add(&mut self, place: &Place, column: usize, n: u64) {
        if n == 0 {
            return;
        }
        let (width, count) = (self.width, self.slots.count);
        let row = base_index(place.cell) * count;
        let mut scratch = std::mem::take(&mut self.scratch);
        self.slots.of(place, &mut scratch);
        let block = self.year_block(place.cell.0);
        for slot in &scratch {
            block.add((row + slot) * width + column, place.record, n);
        }
        self.scratch = scratch;
        let rows = self.layout.rows;
        let block = self
            .clusters
            .entry(place.cell.0)
            .or_insert_with(|| Counts::new(rows * width));
        block.add(
            self.layout.row(place.cell, place.gp_cluster) * width + column,
            place.record,
            n,
        );
    }

    /// Adds `n` to `column` of the place's cell in one period split only,
    /// at `code` (persons once per period; events go through
    /// [`Tally::add_event`]).
    fn add_in_period(&mut self, place: &Place, period: Period, code: u8, column: usize, n: u64) {
        if n == 0 {
            return;
        }
        let (width, count) = (self.width, self.slots.count);
        let row = base_index(place.cell) * count + self.slots.period(period, code);
        let block = self.year_block(place.cell.0);
        block.add(row * width + column, place.record, n);
    }

    /// Adds one person to `column` of the place's cell in each quarter
    /// and each month that overlaps `months` (one bit each, bit 0
    /// January).
    fn add_in_months(&mut self, place: &Place, months: u16, column: usize) {
        for period in Period::ALL {
            let bits = period.of_months(months);
            for code in 1..=period.count() {
                if bits & (1 << (code - 1)) != 0 {
                    self.add_in_period(place, period, code, column, 1);
                }
            }
        }
    }

    /// Adds `n` events on `date` to `column` of the place's cell: in every
    /// tile, and in each period split at the date's period.
    fn add_event(&mut self, place: &Place, date: NaiveDate, column: usize, n: u64) {
        self.add(place, column, n);
        for period in Period::ALL {
            self.add_in_period(place, period, period.of(date), column, n);
        }
    }

    /// Adds one person to `column` of the place's cell where `first` says
    /// it is the person's first: in every tile for the year, in a period
    /// split for that period.
    fn add_first(&mut self, place: &Place, first: &First, column: usize) {
        if first.year {
            self.add(place, column, 1);
        }
        for (period, (code, fresh)) in Period::ALL.into_iter().zip(first.periods) {
            if fresh {
                self.add_in_period(place, period, code, column, 1);
            }
        }
    }

    /// One cube per split, in the order of `Split::ALL`, its values
    /// protected by `protection`. Only cells with a published value are
    /// kept (every event is a citizen's, so these are cells with
    /// citizens when the values are exact).
    fn cubes(&self, protection: Protection) -> Result<Vec<Cube>, CubeError> {
        let (width, count) = (self.width, self.slots.count);
        let mut cubes = Vec::with_capacity(Split::ALL.len());
        let mut cell = vec![0; width];
        for (s, split) in Split::ALL.into_iter().enumerate() {
            if split == Split::GpCluster {
                cubes.push(self.gp_cluster_cube(protection)?);
                continue;
            }
            let codes = &self.slots.codes[s];
            let key_columns = 4 + usize::from(split != Split::None);
            let mut keys: Vec<Vec<u16>> = vec![Vec::new(); key_columns];
            let mut values: Vec<Vec<u64>> = vec![Vec::new(); width];
            for (year, block) in &self.years {
                for base in 0..BASE_CELLS {
                    let (municipality, band, sex) = base_cell(base);
                    for (i, code) in codes.iter().enumerate() {
                        let at = (base * count + self.slots.first[s] + i) * width;
                        if !block.published(at, protection, &mut cell) {
                            continue;
                        }
                        keys[0].push(*year);
                        keys[1].push(municipality);
                        keys[2].push(band);
                        keys[3].push(sex);
                        if split != Split::None {
                            keys[4].push(*code);
                        }
                        for (column, n) in values.iter_mut().zip(&cell) {
                            column.push(*n);
                        }
                    }
                }
            }
            cubes.push(
                Cube::new(
                    TileKind {
                        family: self.family.id,
                        split,
                    },
                    keys,
                    values,
                )?
                .with_protection(protection),
            );
        }
        Ok(cubes)
    }

    /// The GP-cluster split's cube, in key order.
    fn gp_cluster_cube(&self, protection: Protection) -> Result<Cube, CubeError> {
        let width = self.width;
        let mut cell = vec![0; width];
        let mut keys: Vec<Vec<u16>> = vec![Vec::new(); 5];
        let mut values: Vec<Vec<u64>> = vec![Vec::new(); width];
        for (year, block) in &self.clusters {
            for (m, (first, codes)) in MUNICIPALITIES.iter().zip(&self.layout.municipalities) {
                for band in 0..AgeBand::COUNT {
                    for sex in 1..=2u8 {
                        let row = first + band_sex_index(band, sex) * codes.len();
                        for (i, code) in codes.iter().enumerate() {
                            let at = (row + i) * width;
                            if !block.published(at, protection, &mut cell) {
                                continue;
                            }
                            let key = [*year, m.code, u16::from(band), u16::from(sex), *code];
                            for (column, k) in keys.iter_mut().zip(key) {
                                column.push(k);
                            }
                            for (column, n) in values.iter_mut().zip(&cell) {
                                column.push(*n);
                            }
                        }
                    }
                }
            }
        }
        Ok(Cube::new(
            TileKind {
                family: self.family.id,
                split: Split::GpCluster,
            },
            keys,
            values,
        )?
        .with_protection(protection))
    }
}

/// Dense counts with their cell keys.
pub(crate) struct Counts {
    /// Per cell: its count and its cell key, side by side, so that adding
    /// to a cell touches one cache line (the tallies are tens of MB and
    /// written at random; two arrays made every addition two misses).
    cells: Vec<[u64; 2]>,
}

impl Counts {
    /// `len` zero counts.
    pub(crate) fn new(len: usize) -> Counts {
        Counts {
            cells: vec![[0; 2]; len],
        }
    }

    /// Adds `n` units of the person with record key `record` at `at`.
    pub(crate) fn add(&mut self, at: usize, record: u64, n: u64) {
        let [count, key] = &mut self.cells[at];
        *count += n;
        *key = key.wrapping_add(record.wrapping_mul(n));
    }

    /// Divides the counts at `from`, `from + step`, … by `divisor`,
    /// rounding halves up; their cell keys stay.
    pub(crate) fn divide(&mut self, from: usize, step: usize, divisor: u64) {
        for [n, _] in self.cells.iter_mut().skip(from).step_by(step) {
            *n = (*n + divisor / 2) / divisor;
        }
    }

    /// Fills `cell` with the values published for the `cell.len()` counts
    /// from `at`; whether any of them is not zero.
    pub(crate) fn published(&self, at: usize, protection: Protection, cell: &mut [u64]) -> bool {
        let cells = &self.cells[at..at + cell.len()];
        for (out, [n, key]) in cell.iter_mut().zip(cells) {
            *out = match protection {
                Protection::Exact => *n,
                Protection::CellKey => shared::disclosure::round(*n, *key),
            };
        }
        cell.iter().any(|n| *n != 0)
    }
}

/// Builds every tile's cube from what the store holds, with the default
/// rules. Years are those with GP contacts, hospital contacts or
/// municipal care.
pub async fn build(store: &Store) -> Result<Aggregated, AggregateError> {
    build_with(store, &Rules::default()).await
}

/// Builds every tile's cube with the given rules.
pub async fn build_with(store: &Store, rules: &Rules) -> Result<Aggregated, AggregateError> {
    let rule = &rules.aemi;
    let departments = rule.departments();
    if let Some(unknown) = rule
        .department_types
        .iter()
        .find(|d| hospital::department_bit(d) == 0)
    {
        let known: Vec<&str> = shared::register::DEPARTMENT_TYPES
            .iter()
            .map(|d| d.code)
            .collect();
        return Err(AggregateError::UnknownDepartment(
            unknown.clone(),
            known.join(", "),
        ));
    }
    let started = std::time::Instant::now();
    let stage = |what: &str| {
        log::info!(
            "aggregate: {what} ({:.1} s)",
            started.elapsed().as_secs_f64()
        );
    };
    // The CPR register streams into compact periods: at national size
    // its rows would take gigabytes.
    let nursing_homes = store.nursing_home_addresses().await?;
    let mut builder = PopulationBuilder::new(&nursing_homes);
    let mut residences = 0usize;
    store
        .each_residence(|row| {
            residences += 1;
            builder.add(&row);
        })
        .await?;
    let chronic = store.chronic_groups().await?;
    let mut population = builder.finish(&chronic);
    let practices = Practices::new(&store.general_practices().await?)?;
    let mut listings = Vec::new();
    store
        .gp_listings(|pseudonym, cluster, provider, from, to| {
            if let Some(id) = population.id(pseudonym) {
                let practice = practices.code_of(provider);
                listings.push((
                    id,
                    Listing {
                        cluster,
                        practice,
                        from,
                        to,
                    },
                ));
            }
        })
        .await?;
    let listed = listings.len();
    population.set_listings(listings);
    let layout = Arc::new(GpLayout::new(&population.municipality_clusters()));
    stage(&format!(
        "{} persons in the CPR register ({residences} periods), {} nursing-home addresses, {} chronic-group records, {listed} listings with a practice",
        population.len(),
        nursing_homes.len(),
        chronic.len()
    ));
    // What the population holds of them is all the stages need.
    drop((nursing_homes, chronic));
    let population = population;
    let hospitals = Hospitals::new(&store.sor().await?)?;
    // Hospital use comes first: it finds the elderly medical patients the
    // other stages need.
    let aemi_rule = AemiCheck {
        min_age: rule.min_age,
        departments,
        min_admissions: rule.min_admissions,
    };
    let (mut hospital, found) =
        hospital_use(store, &population, &aemi_rule, &layout, &hospitals).await?;
    let HospitalFindings {
        aemi,
        admissions,
        by_contact,
    } = found;
    let admissions = Admissions::new(admissions, rules.prior_window_days);
    stage("hospital contacts and stays");
    // General practice is the largest scan; on SQLite it runs on a thread
    // of its own beside the municipal-care scan (each with its own
    // read-only connection). PostgreSQL does its grouping in the server,
    // so there the stages simply follow each other.
    let (general, care) = if store.is_sqlite() {
        // Both on threads of their own: this thread may be inside an async
        // runtime, where another cannot be started.
        std::thread::scope(|scope| {
            let general = scope.spawn(|| {
                blocking(general_practice(
                    store,
                    &population,
                    &aemi,
                    &layout,
                    &admissions,
                    &practices,
                ))
            });
            let care = scope.spawn(|| {
                blocking(municipal_care(
                    store,
                    &population,
                    &aemi,
                    &layout,
                    &admissions,
                ))
            });
            (joined(general), joined(care))
        })
    } else {
        (
            general_practice(store, &population, &aemi, &layout, &admissions, &practices).await,
            municipal_care(store, &population, &aemi, &layout, &admissions).await,
        )
    };
    let ((general, mut by_practice), care) = (general?, care?);
    stage("general practice, municipal care");
    let (mut prescribing, details) = prescriptions(store, &population, &aemi, &practices).await?;
    let details = details.cube()?;
    stage("prescriptions");
    // Admissions preceded by a contact with either sector.
    let prior = [
        (&general.marks, QuantityId::AdmissionsPriorGp),
        (&care.marks, QuantityId::AdmissionsPriorCare),
    ];
    for (marks, quantity) in prior {
        let column = hospital.tally.column(quantity);
        for ((_, day, place), marked) in admissions.iter().zip(marks) {
            if *marked {
                hospital
                    .tally
                    .add_event(place, prior::date(*day), column, 1);
            }
        }
    }
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

    let reached = [&general.reached, &hospital.reached, &care.reached];
    let mut tallies = [
        general.tally,
        hospital.tally,
        care.tally,
        Tally::new(TileFamilyId::Sectors, Arc::clone(&layout)),
    ];
    let elderly = tallies[1].column(QuantityId::Citizens65Plus);
    // The sectors tile's columns of each combination of sectors, looked
    // up once rather than per citizen.
    let sector_columns: [Vec<usize>; 8] = std::array::from_fn(|sectors| {
        sectors::combination(sectors as u8)
            .map(|q| tallies[3].column(q))
            .collect()
    });
    for year in years {
        // Citizens in the order of their cells, not of their person
        // numbers: each counts in a few dozen places of its cell's block
        // of every tally, and a block stays in the cache while its
        // citizens come one after another. In person order every one of
        // those additions was a miss into tallies of tens of MB. The
        // counts and cell keys are sums, so the order changes nothing
        // else. What is looked up by person number is looked up before
        // the sort.
        let mut citizens: Vec<(Place, u16, CitizenSectors)> = population
            .places(year)
            .map(|(id, place)| {
                let place = with_aemi(&aemi, id, year, place);
                let months = population.months_of(id, year);
                (place, months, CitizenSectors::of(reached, id, year))
            })
            .collect();
        citizens.sort_unstable_by_key(|(place, _, _)| {
            (place.cell, place.gp_cluster, place.gp_practice)
        });
        for (place, months, sectors) in citizens {
            for tally in &mut tallies {
                let citizens = tally.column(QuantityId::Citizens);
                tally.add(&place, citizens, 1);
                tally.add_in_months(&place, months, citizens);
            }
            if is_elderly(&place) {
                tallies[1].add(&place, elderly, 1);
                tallies[1].add_in_months(&place, months, elderly);
            }
            count_sectors(&mut tallies[3], &sector_columns, &sectors, &place, months);
            by_practice.add(&place, place.gp_practice, QuantityId::ListedPatients, 1);
            prescribing.add(&place, place.gp_practice, QuantityId::ListedPatients, 1);
        }
    }
    stage("citizens");
    let cubes_as = |protection: Protection| -> Result<Vec<Cube>, CubeError> {
        let mut cubes = Vec::new();
        for tally in &tallies {
            cubes.extend(tally.cubes(protection)?);
        }
        for keyed in &by_contact {
            cubes.push(keyed.cube(protection)?);
        }
        cubes.push(by_practice.cube(protection)?);
        cubes.push(prescribing.by_municipality.cube(protection)?);
        cubes.push(prescribing.by_practice.cube(protection)?);
        // Closed only, so exact whatever the protection.
        cubes.push(details.clone());
        debug_assert!(cubes.iter().map(Cube::kind).eq(TileKind::all()));
        Ok(cubes)
    };
    let cubes = cubes_as(rules.disclosure)?;
    let exact = if rules.disclosure == Protection::Exact {
        cubes.clone()
    } else {
        cubes_as(Protection::Exact)?
    };
    let utility = if rules.measure_utility && rules.disclosure != Protection::Exact {
        disclosure::utility(&exact, &cubes)
    } else {
        Vec::new()
    };
    Ok(Aggregated {
        cubes,
        exact,
        unplaced,
        hospitals: hospitals.codes,
        practices: practices.codes,
        utility,
    })
}

/// Counts a citizen of a year by the sectors that reached them: in the
/// year, and in each quarter and month they lived in or were reached in
/// (a citizen reached by no sector counts as such only in the periods
/// they lived in, the persons of a period being counted as in the other
/// families). `columns` are the tally's columns of each combination (by
/// its bits); `months` the months lived in (bit 0 January).
fn count_sectors(
    tally: &mut Tally,
    columns: &[Vec<usize>; 8],
    reached: &CitizenSectors,
    place: &Place,
    months: u16,
) {
    for &column in &columns[usize::from(reached.year)] {
        tally.add(place, column, 1);
    }
    for (period, by_code) in Period::ALL.into_iter().zip(&reached.periods) {
        let lived = period.of_months(months);
        for code in 1..=period.count() {
            let sectors = by_code[usize::from(code) - 1];
            if sectors == 0 && lived & (1 << (code - 1)) == 0 {
                continue;
            }
            for &column in &columns[usize::from(sectors)] {
                tally.add_in_period(place, period, code, column, 1);
            }
        }
    }
}

/// Whether the citizen's age band starts at 65 or later (the age of
/// preventable admissions).
fn is_elderly(place: &Place) -> bool {
    AgeBand::new(place.cell.2).is_some_and(|b| b.lower() >= shared::diagnosis::PREVENTABLE_MIN_AGE)
}

/// The ÆMI rule with its department types as bits.
struct AemiCheck {
    min_age: u32,
    departments: u16,
    min_admissions: u32,
}

/// GP contacts by type, and persons with any: by residence and by
/// practice.
async fn general_practice(
    store: &Store,
    population: &Population,
    aemi: &Seen,
    layout: &Arc<GpLayout>,
    admissions: &Admissions,
    practices: &Practices,
) -> Result<(Part, KeyedTally), AggregateError> {
    let mut part = Part::new(TileFamilyId::Geography, layout, admissions.len());
    let mut by_practice = by_practice::tally(practices);
    let mut practice_patients = SeenAt::default();
    let Part {
        tally,
        years,
        unplaced,
        marks,
        reached,
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
    .map(|(code, q)| (code, tally.column(q), q));
    let mut last: Option<(String, i32, Option<u32>, Placed)> = None;
    store
        .gp_contacts(|pseudonym, date, contact_type, provider, n| {
            let year = date.year();
            years.insert(year);
            // A person's contacts mostly come together: remember the last
            // person's number and place.
            let (id, placed) = match &last {
                Some((who, when, id, placed)) if who == pseudonym && *when == year => {
                    (*id, *placed)
                }
                _ => {
                    let id = population.id(pseudonym);
                    let placed = placed(population, aemi, id, year);
                    last = Some((pseudonym.to_string(), year, id, placed));
                    (id, placed)
                }
            };
            // Any contact of the person counts as prior to an admission,
            // in whichever year it falls.
            if let Some(id) = id {
                admissions.mark_gp_contact(id, date, marks);
            }
            let Some((person, place)) = placed else {
                unplaced.gp_contacts += n;
                return;
            };
            tally.add_event(&place, date, all, n);
            let practice = practices.code_of(provider);
            by_practice.add(&place, practice, QuantityId::GpContacts, n);
            if let Some((_, column, quantity)) =
                by_type.iter().find(|(code, _, _)| *code == contact_type)
            {
                tally.add_event(&place, date, *column, n);
                by_practice.add(&place, practice, *quantity, n);
            }
            // A person is a patient once a year, and once in each quarter
            // and month.
            let first = reached.insert(person, date);
            tally.add_first(&place, &first, patients);
            if practice > 0 && practice_patients.insert(person, year, practice) {
                by_practice.add(&place, practice, QuantityId::GpPatients, 1);
            }
        })
        .await?;
    Ok((part, by_practice))
}

/// Redeemed prescriptions of the Ordiprax drug groups by the practice the
/// patient is listed with: a redemption counts in the year of its date
/// when its person is a citizen of that year listed with a practice (the
/// practice of the year's latest listing, as for listed patients). A
/// patient counts once per year and group; DDD are summed in thousandths
/// and rounded to whole DDD per cell at the end.
async fn prescriptions(
    store: &Store,
    population: &Population,
    aemi: &Seen,
    practices: &Practices,
) -> Result<(Prescribing, detail::Detail), AggregateError> {
    const MILLI: u64 = 1000;
    let mut tally = Prescribing::new(practices);
    let mut details = detail::Detail::default();
    let mut patients: HashMap<DrugGroup, Seen> = HashMap::new();
    let mut last: Option<(String, i32, Placed)> = None;
    store
        .redemptions(|r| {
            let (pseudonym, date, ddd) = (r.pseudonym, r.date, r.ddd);
            let group = DrugGroup::of_atc(r.atc);
            let Some((patient_quantity, ddd_quantity)) = group.quantities() else {
                return;
            };
            let year = date.year();
            let id = population.id(pseudonym);
            details.saw(id, year, group);
            let placed = match &last {
                Some((who, when, placed)) if who == pseudonym && *when == year => *placed,
                _ => {
                    let placed = placed(population, aemi, id, year);
                    last = Some((pseudonym.to_string(), year, placed));
                    placed
                }
            };
            let Some((person, place)) = placed else {
                return;
            };
            if place.gp_practice == 0 {
                return;
            }
            let milli = (ddd * MILLI as f64).round().max(0.0) as u64;
            tally.add(&place, place.gp_practice, ddd_quantity, milli);
            // The product by its name; a product outside the table
            // counts in the group only through `prescriptions`.
            if let Some((product, _)) = shared::drug::drug_by_product(r.product) {
                details.add(
                    (person, year, &place),
                    group,
                    (product, r.package_size, milli),
                );
            }
            if patients.entry(group).or_default().insert(person, year) {
                tally.add(&place, place.gp_practice, patient_quantity, 1);
            }
        })
        .await?;
    for group in DrugGroup::INDICATORS {
        if let Some((_, ddd)) = group.quantities() {
            tally.divide(ddd, MILLI);
        }
    }
    Ok((tally, details))
}

/// What the hospital stage finds beside the residence tiles' tally.
struct HospitalFindings {
    /// The elderly medical patients of each year.
    aemi: Seen,
    /// Every admission of a citizen: person, day of admission, place.
    admissions: Vec<(u32, i32, Place)>,
    /// Hospital activity by hospital, diagnosis group, specialty and
    /// department type (the families of [`hospital::BY_CONTACT`]).
    by_contact: [KeyedTally; hospital::BY_CONTACT.len()],
}

/// Hospital contacts, stays, admissions and readmissions, by residence and
/// by hospital; and the elderly medical patients of each year.
async fn hospital_use(
    store: &Store,
    population: &Population,
    rule: &AemiCheck,
    layout: &Arc<GpLayout>,
    hospitals: &Hospitals,
) -> Result<(Part, HospitalFindings), AggregateError> {
    let mut part = Part::new(TileFamilyId::Hospital, layout, 0);
    let mut found = HospitalFindings {
        aemi: Seen::default(),
        admissions: Vec::new(),
        by_contact: hospital::BY_CONTACT.map(|family| match family {
            TileFamilyId::ByHospital => by_hospital::tally(hospitals),
            _ => by_hospital::group_tally(family),
        }),
    };
    let Part {
        tally,
        years,
        unplaced,
        reached,
        ..
    } = &mut part;
    let mut person: Option<String> = None;
    let mut contacts: Vec<Contact> = Vec::new();
    let mut flush = |pseudonym: &str, contacts: &mut Vec<Contact>, tally: &mut Tally| {
        for c in contacts.iter() {
            years.insert(c.start.year());
        }
        let into = (&mut *tally, &mut *reached);
        unplaced.hospital_contacts +=
            person_hospital_use(population, rule, &mut found, pseudonym, contacts, into);
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
                department: hospital::department_bit(&row.department_type),
                preventable: shared::diagnosis::preventable_group(&row.action_diagnosis)
                    .map(|g| g as u8),
                keys: [
                    hospitals.code_of(&row.sor_unit),
                    shared::diagnosis::diagnosis_group(&row.action_diagnosis),
                    shared::dimension::specialty_code(&row.specialty).unwrap_or(0),
                    shared::dimension::department_type_code(&row.department_type).unwrap_or(0),
                ],
            });
        })
        .await?;
    if let Some(previous) = person {
        flush(&previous, &mut contacts, tally);
    }
    Ok((part, found))
}

/// Adds one person's hospital use to the tally, and the person to those
/// the hospitals reached; returns the contacts that fell in no cell.
fn person_hospital_use(
    population: &Population,
    rule: &AemiCheck,
    found: &mut HospitalFindings,
    pseudonym: &str,
    contacts: &mut [Contact],
    (tally, reached): (&mut Tally, &mut Reached),
) -> u64 {
    use QuantityId as Q;
    let column = |q| tally.column(q);
    let [contacts_col, patients, plans, stays_col, admissions_col, outpatient, bed_days] = [
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

    let all_preventable = column(Q::PreventableAdmissions);
    let preventable_groups = [
        Q::PreventableDehydration,
        Q::PreventableConstipation,
        Q::PreventableLowerRespiratory,
        Q::PreventableCystitis,
        Q::PreventableGastroenteritis,
        Q::PreventableFracture,
        Q::PreventableNutritionalAnaemia,
        Q::PreventableSocial,
        Q::PreventablePressureUlcer,
    ]
    .map(column);

    // The person is looked up once; each contact and stay then only
    // needs the person's cell in its year.
    let Some(person) = population.id(pseudonym) else {
        return contacts.len() as u64;
    };
    let stays = hospital::stays(contacts);
    // The person's places, by year, with the ÆMI group where the rule
    // holds: enough admissions with a department of the rule's types.
    let mut places: BTreeMap<i32, Option<Place>> = BTreeMap::new();
    let mut place_in = |year: i32| -> Option<Place> {
        *places.entry(year).or_insert_with(|| {
            let mut place = population.place_of(person, year)?;
            let old_enough = population
                .age_of(person, year)
                .is_some_and(|age| age >= rule.min_age);
            let admissions = stays
                .iter()
                .filter(|s| {
                    s.year() == year && s.is_admission() && s.departments & rule.departments != 0
                })
                .count();
            if old_enough && admissions as u64 >= u64::from(rule.min_admissions) {
                place.groups |= target_bit(TARGET_AEMI);
                found.aemi.insert(person, year);
            }
            Some(place)
        })
    };
    let mut unplaced = 0;
    // By hospital (and diagnosis group …), a person-year is a patient once
    // per slot of each tally.
    let mut patient_years = BTreeSet::new();
    for c in contacts.iter() {
        let year = c.start.year();
        let Some(place) = place_in(year) else {
            unplaced += 1;
            continue;
        };
        let cell = &place;
        let date = c.start.date();
        tally.add_event(cell, date, contacts_col, 1);
        tally.add_event(cell, date, plans, u64::from(c.rehabilitation_plan));
        let first = reached.insert(person, date);
        tally.add_first(cell, &first, patients);
        let plan = u64::from(c.rehabilitation_plan);
        for (t, (keyed, &code)) in found.by_contact.iter_mut().zip(&c.keys).enumerate() {
            keyed.add(cell, code, Q::HospitalContacts, 1);
            keyed.add(cell, code, Q::RehabilitationPlans, plan);
            for slot in keyed.slots_of(code).into_iter().flatten() {
                if patient_years.insert((t, year, slot)) {
                    keyed.add_to_slot(cell, slot, Q::HospitalPatients, 1);
                }
            }
        }
    }
    for (i, stay) in stays.iter().enumerate() {
        let Some(place) = place_in(stay.year()) else {
            continue;
        };
        let cell = &place;
        let date = stay.start.date();
        // Each stay quantity, by residence and at the stay's hospital,
        // diagnosis group, specialty and department type.
        let mut count = |column: usize, quantity: QuantityId, n: u64| {
            tally.add_event(cell, date, column, n);
            for (keyed, &code) in found.by_contact.iter_mut().zip(&stay.keys) {
                keyed.add(cell, code, quantity, n);
            }
        };
        count(stays_col, Q::Stays, 1);
        if !stay.is_admission() {
            count(outpatient, Q::OutpatientStays, 1);
            continue;
        }
        count(admissions_col, Q::Admissions, 1);
        count(bed_days, Q::BedDays, stay.bed_days());
        if stay.acute {
            count(acute, Q::AdmissionsAcute, 1);
        } else {
            count(planned, Q::AdmissionsPlanned, 1);
        }
        match stay.sector {
            Sector::Somatic => count(somatic, Q::AdmissionsSomatic, 1),
            Sector::Psychiatric => count(psychiatric, Q::AdmissionsPsychiatric, 1),
            Sector::Both => count(both, Q::AdmissionsBoth, 1),
        }
        if hospital::readmitted(&stays, i, None) {
            count(readmissions, Q::Readmissions, 1);
        }
        match stay.sector {
            Sector::Somatic if hospital::readmitted(&stays, i, Some(Sector::Somatic)) => {
                count(re_somatic, Q::ReadmissionsSomatic, 1);
            }
            Sector::Psychiatric if hospital::readmitted(&stays, i, Some(Sector::Psychiatric)) => {
                count(re_psychiatric, Q::ReadmissionsPsychiatric, 1);
            }
            _ => {}
        }
        found
            .admissions
            .push((person, prior::day(stay.start.date()), place));
        if let Some(group) = stay.preventable.filter(|_| stay.acute && is_elderly(cell)) {
            tally.add_event(cell, date, all_preventable, 1);
            tally.add_event(cell, date, preventable_groups[usize::from(group)], 1);
        }
    }
    unplaced
}

/// Persons receiving each municipal service, home help of either kind,
/// and any service.
async fn municipal_care(
    store: &Store,
    population: &Population,
    aemi: &Seen,
    layout: &Arc<GpLayout>,
    admissions: &Admissions,
) -> Result<Part, AggregateError> {
    let mut part = Part::new(TileFamilyId::MunicipalCare, layout, admissions.len());
    let Part {
        tally,
        years,
        unplaced,
        marks,
        reached,
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
    let recipients = tally.column(Q::CareRecipients);
    // A person counts once a year, once a quarter and once a month for
    // each service.
    let mut home_help_persons = Reached::default();
    let mut unplaced_years = BTreeSet::new();
    let mut service_persons = [(); 8].map(|_| Reached::default());
    store
        .care_services(|pseudonym, year, month, service| {
            years.insert(year);
            let id = population.id(pseudonym);
            if let Some(id) = id {
                admissions.mark_care_month(id, year, month, marks);
            }
            let Some((person, place)) = placed(population, aemi, id, year) else {
                if unplaced_years.insert((pseudonym.to_string(), year)) {
                    unplaced.care_person_years += 1;
                }
                return;
            };
            // The store gives months 1-12 (`year_month`).
            let first_day = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default();
            let first = reached.insert(person, first_day);
            tally.add_first(&place, &first, recipients);
            // A person-year may come with a service more than once.
            if let Some(i) = services.iter().position(|(code, _)| *code == service) {
                let first = service_persons[i].insert(person, first_day);
                tally.add_first(&place, &first, services[i].1);
            }
            if service.starts_with("sel83_") {
                let first = home_help_persons.insert(person, first_day);
                tally.add_first(&place, &first, home_help);
            }
        })
        .await?;
    Ok(part)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::DimensionId;

    #[test]
    fn gp_layout_rows_are_distinct_and_in_key_order() {
        let pairs = BTreeSet::from([(101, 0), (101, 4), (101, 9), (851, 0), (851, 4), (147, 0)]);
        let pairs: BTreeSet<(u16, u16)> = pairs
            .into_iter()
            .chain(MUNICIPALITIES.iter().map(|m| (m.code, 0)))
            .collect();
        let layout = GpLayout::new(&pairs);
        assert_eq!(layout.rows, pairs.len() * AgeBand::COUNT as usize * 2);
        // Rows in key order: municipality (catalogue order), age band, sex,
        // cluster.
        let mut keys = Vec::new();
        for m in MUNICIPALITIES {
            for band in 0..AgeBand::COUNT {
                for sex in 1..=2 {
                    for (_, cluster) in pairs.range((m.code, 0)..=(m.code, u16::MAX)) {
                        keys.push(layout.row((2024, m.code, band, sex), *cluster));
                    }
                }
            }
        }
        assert_eq!(keys, (0..layout.rows).collect::<Vec<_>>());
    }

    #[test]
    fn events_count_in_their_period_and_persons_in_each_of_theirs() {
        let pairs: BTreeSet<(u16, u16)> = MUNICIPALITIES.iter().map(|m| (m.code, 0)).collect();
        let mut tally = Tally::new(TileFamilyId::Geography, Arc::new(GpLayout::new(&pairs)));
        let place = Place::at((2024, 101, 15, 2));
        let (citizens, contacts) = (
            tally.column(QuantityId::Citizens),
            tally.column(QuantityId::GpContacts),
        );
        tally.add(&place, citizens, 1);
        // Lived in January and April: the first and second quarters.
        tally.add_in_months(&place, 0b1001, citizens);
        let day = |m, d| NaiveDate::from_ymd_opt(2024, m, d).expect("a date");
        tally.add_event(&place, day(3, 31), contacts, 2);
        tally.add_event(&place, day(4, 1), contacts, 1);
        tally.add_event(&place, day(12, 31), contacts, 4);
        assert_eq!(Period::Quarter.of(day(1, 1)), 1);
        assert_eq!(Period::Quarter.of(day(10, 1)), 4);
        assert_eq!(Period::Month.of(day(10, 1)), 10);
        let cubes = tally.cubes(Protection::Exact).expect("cubes");
        let of = |split: Split| {
            cubes
                .iter()
                .find(|c| c.kind().split == split)
                .expect("every split has a cube")
        };
        let base = of(Split::None);
        assert_eq!(
            base.quantity_column(QuantityId::Citizens).ok(),
            Some(&[1][..])
        );
        assert_eq!(
            base.quantity_column(QuantityId::GpContacts).ok(),
            Some(&[7][..])
        );
        let quarters = of(Split::Quarter);
        assert_eq!(
            quarters.key_column(DimensionId::Quarter),
            Some(&[1, 2, 4][..])
        );
        assert_eq!(
            quarters.quantity_column(QuantityId::Citizens).ok(),
            Some(&[1, 1, 0][..])
        );
        assert_eq!(
            quarters.quantity_column(QuantityId::GpContacts).ok(),
            Some(&[2, 1, 4][..])
        );
        let months = of(Split::Month);
        assert_eq!(
            months.key_column(DimensionId::Month),
            Some(&[1, 3, 4, 12][..])
        );
        assert_eq!(
            months.quantity_column(QuantityId::Citizens).ok(),
            Some(&[1, 0, 1, 0][..])
        );
        assert_eq!(
            months.quantity_column(QuantityId::GpContacts).ok(),
            Some(&[0, 2, 1, 4][..])
        );
        // Other splits never see the periods' slots.
        let nursing = of(Split::NursingHome);
        assert_eq!(
            nursing.quantity_column(QuantityId::GpContacts).ok(),
            Some(&[7][..])
        );
    }

    #[test]
    fn base_cells_invert_base_index_in_key_order() {
        let mut previous = None;
        for base in 0..BASE_CELLS {
            let (municipality, band, sex) = base_cell(base);
            assert_eq!(
                base_index((2024, municipality, band as u8, sex as u8)),
                base
            );
            // Dense order is key order, so cubes come out sorted.
            let key = (municipality, band, sex);
            assert!(previous < Some(key));
            previous = Some(key);
        }
    }
}
