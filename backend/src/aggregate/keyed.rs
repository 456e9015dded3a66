//! A tally keyed by an organisation instead of the citizen's residence:
//! per year, a slot per organisation code × age band × sex, in dense
//! arrays laid out in key order (the `by_hospital` and `by_practice`
//! tiles).

use std::collections::BTreeMap;

use shared::cube::{Cube, CubeError};
use shared::disclosure::Protection;
use shared::tile::TileFamily;
use shared::{AgeBand, QuantityId, TileFamilyId};

use super::population::Place;
use super::Counts;

/// Cells per slot in a year.
const CELLS: usize = AgeBand::COUNT as usize * 2;

/// A family's quantities per year × slot × age band × sex.
pub struct KeyedTally {
    family: &'static TileFamily,
    /// Column of each quantity (by `QuantityId as usize`).
    columns: Vec<Option<usize>>,
    /// The key code of each slot, ascending.
    codes: Vec<u16>,
    /// A further slot each slot also counts in (a combined organisation).
    also: Vec<Option<usize>>,
    years: BTreeMap<u16, Counts>,
}

impl KeyedTally {
    /// An empty tally of `family` with a slot per code (ascending); slot
    /// `i` also counts in slot `also[i]` when that is given.
    pub fn new(family: TileFamilyId, codes: Vec<u16>, also: Vec<Option<usize>>) -> KeyedTally {
        debug_assert!(codes.windows(2).all(|w| w[0] < w[1]));
        debug_assert_eq!(codes.len(), also.len());
        let family = family.def();
        let mut columns = Vec::new();
        for (i, q) in family.quantities.iter().enumerate() {
            let at = *q as usize;
            if columns.len() <= at {
                columns.resize(at + 1, None);
            }
            columns[at] = Some(i);
        }
        KeyedTally {
            family,
            columns,
            codes,
            also,
            years: BTreeMap::new(),
        }
    }

    /// The slots code `code` (1-based, the slot's position + 1) counts in:
    /// its own and the combined one it belongs to. None for code 0.
    pub fn slots_of(&self, code: u16) -> [Option<usize>; 2] {
        let own = usize::from(code)
            .checked_sub(1)
            .filter(|i| *i < self.codes.len());
        [own, own.and_then(|i| self.also[i])]
    }

    /// Adds `n` of `quantity` of the person at `place` at the slots of
    /// `code` (see [`KeyedTally::slots_of`]); quantities not in the family
    /// are ignored.
    pub fn add(&mut self, place: &Place, code: u16, quantity: QuantityId, n: u64) {
        for slot in self.slots_of(code).into_iter().flatten() {
            self.add_to_slot(place, slot, quantity, n);
        }
    }

    /// Adds `n` of `quantity` of the person at `place` to their cell in one
    /// slot.
    pub fn add_to_slot(&mut self, place: &Place, slot: usize, quantity: QuantityId, n: u64) {
        let Some(column) = self.columns.get(quantity as usize).copied().flatten() else {
            return;
        };
        if n == 0 {
            return;
        }
        let width = self.family.quantities.len();
        let size = self.codes.len() * CELLS * width;
        let block = self
            .years
            .entry(place.cell.0)
            .or_insert_with(|| Counts::new(size));
        let (_, _, band, sex) = place.cell;
        let row = slot * CELLS + usize::from(band) * 2 + usize::from(sex) - 1;
        block.add(row * width + column, place.record, n);
    }

    /// Divides every count of `quantity` by `divisor`, rounding halves up
    /// (DDD summed in thousandths become whole DDD).
    pub fn divide(&mut self, quantity: QuantityId, divisor: u64) {
        let Some(column) = self.columns.get(quantity as usize).copied().flatten() else {
            return;
        };
        let width = self.family.quantities.len();
        for block in self.years.values_mut() {
            block.divide(column, width, divisor);
        }
    }

    /// The tile's cube, in key order, its values protected by
    /// `protection`: the cells with anything published.
    pub fn cube(&self, protection: Protection) -> Result<Cube, CubeError> {
        let width = self.family.quantities.len();
        let mut cell = vec![0; width];
        let mut keys: Vec<Vec<u16>> = vec![Vec::new(); 4];
        let mut values: Vec<Vec<u64>> = vec![Vec::new(); width];
        for (year, block) in &self.years {
            for (slot, code) in self.codes.iter().enumerate() {
                for band in 0..AgeBand::COUNT {
                    for sex in 1..=2u16 {
                        let row = slot * CELLS + usize::from(band) * 2 + usize::from(sex) - 1;
                        if !block.published(row * width, protection, &mut cell) {
                            continue;
                        }
                        for (column, key) in keys.iter_mut().zip([*year, *code, band.into(), sex]) {
                            column.push(key);
                        }
                        for (column, n) in values.iter_mut().zip(&cell) {
                            column.push(*n);
                        }
                    }
                }
            }
        }
        Ok(Cube::new(self.family.id, keys, values)?.with_protection(protection))
    }
}
