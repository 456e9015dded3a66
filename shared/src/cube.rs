//! The in-memory cube: a decoded tile as typed columns, and the one
//! filter → group → sum → evaluate routine both sides use.
//!
//! The browser slices cubes with this module after decoding a tile; the
//! backend's tests use it to check what they wrote. Every key is a `u16`
//! code (see [`crate::dimension`]), every quantity a `u64` count. Grouping
//! or filtering by a rollup dimension (region) maps the stored column
//! (municipality) through the catalogue.

use std::collections::BTreeMap;
use std::fmt;

use crate::dimension::{Derivation, DimensionId};
use crate::disclosure::{self, Protection, Status};
use crate::measure::{MeasureId, QuantityId, Scale};
use crate::tile::{TileFamilyId, TileKind};

/// Why a cube could not be built or queried.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CubeError {
    /// The number of key or quantity columns differs from the family's.
    ColumnCount {
        /// Columns the family defines.
        expected: usize,
        /// Columns given.
        found: usize,
    },
    /// A column's length differs from the first key column's.
    RaggedColumn {
        /// Column name.
        column: &'static str,
        /// Rows expected.
        expected: usize,
        /// Rows found.
        found: usize,
    },
    /// The dimension is neither stored in this tile nor a rollup of a
    /// stored one.
    DimensionNotInTile(DimensionId),
    /// The quantity is not a column of this tile.
    QuantityNotInTile(QuantityId),
    /// An overlapping dimension (target group) is neither grouped by nor
    /// filtered to one value, so its values would be added up.
    Overlapping(DimensionId),
}

impl fmt::Display for CubeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CubeError::ColumnCount { expected, found } => {
                write!(f, "expected {expected} columns, found {found}")
            }
            CubeError::RaggedColumn {
                column,
                expected,
                found,
            } => {
                write!(f, "column {column} has {found} rows, expected {expected}")
            }
            CubeError::DimensionNotInTile(d) => {
                write!(f, "dimension {} is not in this tile", d.key())
            }
            CubeError::QuantityNotInTile(q) => {
                write!(f, "quantity {} is not in this tile", q.def().column)
            }
            CubeError::Overlapping(d) => write!(
                f,
                "{} values overlap and cannot be added up: choose one",
                d.key()
            ),
        }
    }
}

impl std::error::Error for CubeError {}

/// A decoded tile: key columns and quantity columns of equal length.
#[derive(Clone, Debug, PartialEq)]
pub struct Cube {
    kind: TileKind,
    dimensions: Vec<DimensionId>,
    keys: Vec<Vec<u16>>,
    values: Vec<Vec<u64>>,
    protection: Protection,
    /// Rows laid over a protected cube from a closed tile, which are exact
    /// (see [`Cube::overlay`]); `None`: every row as `protection` says.
    exact_rows: Option<Vec<bool>>,
    /// Names of codes of the family's own dimension, from the tile's
    /// dictionary (a release's hospitals); see [`Cube::with_names`].
    names: BTreeMap<u16, String>,
    /// Regions of codes of the family's own dimension, from the same
    /// dictionary (where a hospital is); see [`Cube::with_regions`].
    regions: BTreeMap<u16, u16>,
    /// Municipalities of those codes, where the dictionary gives them
    /// (a hospital's address); see [`Cube::with_municipalities`].
    municipalities: BTreeMap<u16, u16>,
}

/// Which rows to keep: each condition keeps rows whose code for the
/// dimension is in the given set. An empty filter keeps every row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    conditions: Vec<(DimensionId, Vec<u16>)>,
}

impl Filter {
    /// Keeps every row.
    pub fn all() -> Filter {
        Filter::default()
    }

    /// Adds a condition: `dimension` must take one of `codes`.
    pub fn with(mut self, dimension: DimensionId, codes: impl IntoIterator<Item = u16>) -> Filter {
        self.conditions
            .push((dimension, codes.into_iter().collect()));
        self
    }
}

/// How rows are grouped before summing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grouping {
    /// One group: the total of the filtered rows.
    Total,
    /// One group per code of the dimension.
    By(DimensionId),
}

/// One evaluated group.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// The group's code (`None` for [`Grouping::Total`]).
    pub key: Option<u16>,
    /// Summed numerator.
    pub numerator: u64,
    /// Summed denominator, for ratios.
    pub denominator: Option<u64>,
    /// The measure's value; `None` when a ratio's denominator is 0 or
    /// the value is suppressed.
    pub value: Option<f64>,
    /// Exact, perturbed (from rounded counts) or suppressed (resting on
    /// fewer than `disclosure::THRESHOLD` persons).
    pub status: Status,
    /// A perturbed value summed partly from exact rows laid over the
    /// cube (see [`Cube::overlay`]): a signed-in user's own area within a
    /// larger one.
    pub partly_exact: bool,
}

/// A stored column and a table from its codes to the codes of the
/// dimension asked for (`None`: the code maps to nothing).
struct Mapped<'a> {
    column: &'a [u16],
    table: Vec<Option<u16>>,
}

impl Cube {
    /// Builds a cube, checking the columns against the tile's schema.
    pub fn new(
        kind: impl Into<TileKind>,
        keys: Vec<Vec<u16>>,
        values: Vec<Vec<u64>>,
    ) -> Result<Cube, CubeError> {
        let kind = kind.into();
        let def = kind.family.def();
        let dimensions = kind.keys();
        let given = keys.len() + values.len();
        let expected = dimensions.len() + def.quantities.len();
        if keys.len() != dimensions.len() || values.len() != def.quantities.len() {
            return Err(CubeError::ColumnCount {
                expected,
                found: given,
            });
        }
        let rows = keys.first().map_or(0, Vec::len);
        let names = dimensions
            .iter()
            .map(|d| d.key())
            .chain(def.quantities.iter().map(|q| q.def().column));
        let lengths = keys.iter().map(Vec::len).chain(values.iter().map(Vec::len));
        for (column, found) in names.zip(lengths) {
            if found != rows {
                return Err(CubeError::RaggedColumn {
                    column,
                    expected: rows,
                    found,
                });
            }
        }
        Ok(Cube {
            kind,
            dimensions,
            keys,
            values,
            protection: Protection::Exact,
            exact_rows: None,
            names: BTreeMap::new(),
            regions: BTreeMap::new(),
            municipalities: BTreeMap::new(),
        })
    }

    /// The same cube, saying its values are protected by `protection`.
    pub fn with_protection(mut self, protection: Protection) -> Cube {
        self.protection = protection;
        self
    }

    /// The same cube, naming codes of its family's own dimension (a
    /// release's hospitals, whose names travel in the tile's dictionary).
    pub fn with_names(mut self, names: BTreeMap<u16, String>) -> Cube {
        self.names = names;
        self
    }

    /// The cube with the regions of its family's own codes (where a
    /// release's hospitals are, from the tile's dictionary).
    pub fn with_regions(mut self, regions: BTreeMap<u16, u16>) -> Cube {
        self.regions = regions;
        self
    }

    /// The region the tile gives `code` of its family's own dimension, if
    /// any.
    pub fn region_of(&self, code: u16) -> Option<u16> {
        self.regions.get(&code).copied()
    }

    /// The cube with the municipalities of its family's own codes (the
    /// address of a release's hospitals, from the tile's dictionary).
    pub fn with_municipalities(mut self, municipalities: BTreeMap<u16, u16>) -> Cube {
        self.municipalities = municipalities;
        self
    }

    /// The municipality the tile gives `code` of its family's own
    /// dimension, if any.
    pub fn municipality_of(&self, code: u16) -> Option<u16> {
        self.municipalities.get(&code).copied()
    }

    /// The name the tile gives `code` of its family's own dimension, if
    /// any.
    pub fn name_of(&self, code: u16) -> Option<&str> {
        self.names.get(&code).map(String::as_str)
    }

    /// How the values are protected.
    pub fn protection(&self) -> Protection {
        self.protection
    }

    /// The rows whose stored code of `dimension` passes `keep`, as a cube
    /// of their own (same tile, same protection); `None` when the tile
    /// does not store `dimension`.
    pub fn retain(&self, dimension: DimensionId, keep: impl Fn(u16) -> bool) -> Option<Cube> {
        let column = self.key_column(dimension)?;
        let rows: Vec<u32> = (0..self.rows())
            .filter(|&r| keep(column[r]))
            .map(|r| r as u32)
            .collect();
        Some(self.select(&rows))
    }

    /// The rows numbered `rows` (in that order), as a cube of their own
    /// (same tile, same protection).
    ///
    /// # Panics
    /// When a row number is out of range.
    pub fn select(&self, rows: &[u32]) -> Cube {
        let pick = |c: &Vec<u16>| rows.iter().map(|&r| c[r as usize]).collect::<Vec<_>>();
        Cube {
            kind: self.kind,
            dimensions: self.dimensions.clone(),
            keys: self.keys.iter().map(pick).collect(),
            values: self
                .values
                .iter()
                .map(|c| rows.iter().map(|&r| c[r as usize]).collect())
                .collect(),
            protection: self.protection,
            exact_rows: self
                .exact_rows
                .as_ref()
                .map(|exact| rows.iter().map(|&r| exact[r as usize]).collect()),
            names: self.names.clone(),
            regions: self.regions.clone(),
            municipalities: self.municipalities.clone(),
        }
    }

    /// This cube's rows added up into rows whose code of `dimension` is
    /// `code`: one row per combination of the other keys, in key order.
    /// `None` when the tile does not store `dimension`.
    pub fn summed(&self, dimension: DimensionId, code: u16) -> Option<Cube> {
        let at = self.dimensions.iter().position(|d| *d == dimension)?;
        // The rows in the order of their other keys; equal neighbours add up.
        let other = |row: usize| {
            self.keys
                .iter()
                .enumerate()
                .filter(move |(i, _)| *i != at)
                .map(move |(_, column)| column[row])
        };
        let mut order: Vec<usize> = (0..self.rows()).collect();
        order.sort_unstable_by(|&a, &b| other(a).cmp(other(b)));
        let mut keys = vec![Vec::new(); self.keys.len()];
        let mut values: Vec<Vec<u64>> = vec![Vec::new(); self.values.len()];
        let mut previous: Option<usize> = None;
        for row in order {
            if previous.is_some_and(|p| other(p).eq(other(row))) {
                for (out, column) in values.iter_mut().zip(&self.values) {
                    *out.last_mut().expect("a row before") += column[row];
                }
            } else {
                for (i, (out, column)) in keys.iter_mut().zip(&self.keys).enumerate() {
                    out.push(if i == at { code } else { column[row] });
                }
                for (out, column) in values.iter_mut().zip(&self.values) {
                    out.push(column[row]);
                }
            }
            previous = Some(row);
        }
        Some(Cube {
            kind: self.kind,
            dimensions: self.dimensions.clone(),
            keys,
            values,
            protection: self.protection,
            exact_rows: None,
            names: self.names.clone(),
            regions: self.regions.clone(),
            municipalities: self.municipalities.clone(),
        })
    }

    /// This cube with the rows of `more`, a cube of the same kind and
    /// protection with no overlaid rows, after its own; `None` when
    /// `more` differs so.
    pub fn appended(mut self, more: &Cube) -> Option<Cube> {
        if more.kind != self.kind
            || more.protection != self.protection
            || self.exact_rows.is_some()
            || more.exact_rows.is_some()
        {
            return None;
        }
        for (out, column) in self.keys.iter_mut().zip(&more.keys) {
            out.extend_from_slice(column);
        }
        for (out, column) in self.values.iter_mut().zip(&more.values) {
            out.extend_from_slice(column);
        }
        Some(self)
    }

    /// This public cube with the rows of `codes` (of the family's own
    /// dimension: municipality, hospital or practice) replaced by the rows
    /// of `closed`, a closed tile of the same kind covering those codes.
    /// The closed rows are exact; values resting on them alone are shown
    /// as exact, any other as this cube's protection says. `None` when
    /// `closed` is of another kind.
    pub fn overlay(&self, closed: &Cube, codes: &[u16]) -> Option<Cube> {
        if closed.kind != self.kind {
            return None;
        }
        let dimension = self.kind.family.def().dimension;
        let mut kept = self.retain(dimension, |c| !codes.contains(&c))?;
        let public_rows = kept.rows();
        for (out, column) in kept.keys.iter_mut().zip(&closed.keys) {
            out.extend_from_slice(column);
        }
        for (out, column) in kept.values.iter_mut().zip(&closed.values) {
            out.extend_from_slice(column);
        }
        let mut exact = kept
            .exact_rows
            .take()
            .unwrap_or_else(|| vec![false; public_rows]);
        exact.resize(public_rows + closed.rows(), true);
        kept.exact_rows = Some(exact);
        Some(kept)
    }

    /// The tile family.
    pub fn family(&self) -> TileFamilyId {
        self.kind.family
    }

    /// The tile (family and split).
    pub fn kind(&self) -> TileKind {
        self.kind
    }

    /// Number of cells.
    pub fn rows(&self) -> usize {
        self.keys.first().map_or(0, Vec::len)
    }

    /// The stored key column of `dimension`.
    pub fn key_column(&self, dimension: DimensionId) -> Option<&[u16]> {
        let i = self.dimensions.iter().position(|d| *d == dimension)?;
        Some(&self.keys[i])
    }

    /// The column of `quantity`.
    pub fn quantity_column(&self, quantity: QuantityId) -> Result<&[u64], CubeError> {
        let i = self
            .kind
            .family
            .def()
            .quantities
            .iter()
            .position(|q| *q == quantity)
            .ok_or(CubeError::QuantityNotInTile(quantity))?;
        Ok(&self.values[i])
    }

    /// The distinct codes `dimension` takes in this cube, sorted.
    pub fn codes(&self, dimension: DimensionId) -> Result<Vec<u16>, CubeError> {
        let mapped = self.mapped(dimension)?;
        let present: std::collections::BTreeSet<u16> = mapped
            .column
            .iter()
            .filter_map(|c| mapped.table[usize::from(*c)])
            .collect();
        Ok(present.into_iter().collect())
    }

    /// Resolves `dimension` to a stored column plus a code table.
    fn mapped(&self, dimension: DimensionId) -> Result<Mapped<'_>, CubeError> {
        let source = match dimension.def().derivation {
            Derivation::Stored => dimension,
            Derivation::RollupOf(from) => from,
        };
        let column = self
            .key_column(source)
            .ok_or(CubeError::DimensionNotInTile(dimension))?;
        let max = column.iter().copied().max().unwrap_or(0);
        let table = (0..=max)
            .map(|code| dimension.rollup_code(source, code))
            .collect();
        Ok(Mapped { column, table })
    }

    /// Sums `quantities` over the rows kept by `filter`, per group. Groups
    /// come sorted by code; [`Grouping::Total`] yields one group keyed 0
    /// (also when no row is kept).
    pub fn sums(
        &self,
        filter: &Filter,
        grouping: Grouping,
        quantities: &[QuantityId],
    ) -> Result<Vec<(u16, Vec<u64>)>, CubeError> {
        let columns = quantities
            .iter()
            .map(|q| self.quantity_column(*q))
            .collect::<Result<Vec<_>, _>>()?;
        self.sum_columns(filter, grouping, &columns)
    }

    /// [`Cube::sums`] over given value columns (one value per row each).
    fn sum_columns(
        &self,
        filter: &Filter,
        grouping: Grouping,
        value_columns: &[&[u64]],
    ) -> Result<Vec<(u16, Vec<u64>)>, CubeError> {
        for d in self.dimensions.iter().filter(|d| d.overlapping()) {
            let grouped = grouping == Grouping::By(*d);
            let pinned = filter
                .conditions
                .iter()
                .any(|(c, codes)| c == d && codes.len() == 1);
            if !grouped && !pinned {
                return Err(CubeError::Overlapping(*d));
            }
        }
        let predicates = filter
            .conditions
            .iter()
            .map(|(dimension, codes)| {
                let mapped = self.mapped(*dimension)?;
                let allowed: Vec<bool> = mapped
                    .table
                    .iter()
                    .map(|c| c.is_some_and(|c| codes.contains(&c)))
                    .collect();
                Ok((mapped.column, allowed))
            })
            .collect::<Result<Vec<_>, CubeError>>()?;

        // Groups are dense slots; `slot_of[stored code]` says which.
        let (group_column, slot_of, slot_codes) = match grouping {
            Grouping::Total => (None, Vec::new(), vec![0u16]),
            Grouping::By(dimension) => {
                let mapped = self.mapped(dimension)?;
                let mut codes: Vec<u16> = mapped.table.iter().flatten().copied().collect();
                codes.sort_unstable();
                codes.dedup();
                let slot_of: Vec<Option<usize>> = mapped
                    .table
                    .iter()
                    .map(|c| c.and_then(|c| codes.binary_search(&c).ok()))
                    .collect();
                (Some(mapped.column), slot_of, codes)
            }
        };

        let width = value_columns.len();
        let mut totals = vec![0u64; slot_codes.len() * width];
        let mut touched = vec![grouping == Grouping::Total; slot_codes.len()];
        'rows: for row in 0..self.rows() {
            for (column, allowed) in &predicates {
                if !allowed[usize::from(column[row])] {
                    continue 'rows;
                }
            }
            let slot = match group_column {
                None => 0,
                Some(column) => match slot_of[usize::from(column[row])] {
                    Some(slot) => slot,
                    None => continue,
                },
            };
            touched[slot] = true;
            let acc = &mut totals[slot * width..(slot + 1) * width];
            for (sum, column) in acc.iter_mut().zip(value_columns) {
                *sum += column[row];
            }
        }
        Ok(slot_codes
            .into_iter()
            .enumerate()
            .filter(|(slot, _)| touched[*slot])
            .map(|(slot, code)| (code, totals[slot * width..(slot + 1) * width].to_vec()))
            .collect())
    }

    /// Evaluates `measure` on `scale` on the rows kept by `filter`, per
    /// group: sums numerator and denominator first, then applies the
    /// formula. On a protected cube a value is perturbed, or suppressed
    /// when the persons behind its numerator sum to less than the
    /// threshold, or its numerator to 0 (which may hide 1–4), or a ratio
    /// has no denominator (see [`crate::disclosure`]).
    pub fn evaluate(
        &self,
        measure: MeasureId,
        scale: Scale,
        filter: &Filter,
        grouping: Grouping,
    ) -> Result<Vec<Point>, CubeError> {
        let def = measure.def();
        let mut quantities = def.quantities(scale);
        let given = quantities.len();
        let persons = disclosure::persons_behind(def.numerator);
        let protected = self.protection != Protection::Exact;
        if protected && self.quantity_column(persons).is_ok() {
            quantities.push(persons);
        }
        let mut columns = quantities
            .iter()
            .map(|q| self.quantity_column(*q))
            .collect::<Result<Vec<_>, _>>()?;
        // With closed rows laid over, count the protected and the exact
        // rows behind each group: a group with no protected row is exact,
        // one with both is partly so.
        let (protected_rows, exact_rows): (Option<Vec<u64>>, Option<Vec<u64>>) = self
            .exact_rows
            .as_ref()
            .filter(|_| protected)
            .map(|exact| {
                (
                    exact.iter().map(|e| u64::from(!e)).collect(),
                    exact.iter().map(|e| u64::from(*e)).collect(),
                )
            })
            .unzip();
        if let (Some(protected), Some(exact)) = (&protected_rows, &exact_rows) {
            columns.push(protected);
            columns.push(exact);
        }
        let sums = self.sum_columns(filter, grouping, &columns)?;
        Ok(sums
            .into_iter()
            .map(|(code, sums)| {
                let numerator = sums[0];
                let denominator = sums[1..given].first().copied();
                let with_persons = given + usize::from(quantities.len() > given);
                let behind = sums[given..with_persons]
                    .first()
                    .copied()
                    .unwrap_or(numerator);
                let all_exact = protected_rows.is_some() && sums[with_persons] == 0;
                let some_exact = protected_rows.is_some() && sums[with_persons + 1] > 0;
                let value = def.evaluate(scale, numerator, denominator);
                let status = if !protected || all_exact {
                    Status::Exact
                } else if behind < disclosure::THRESHOLD || numerator == 0 || value.is_none() {
                    Status::Suppressed
                } else {
                    Status::Perturbed
                };
                Point {
                    key: (grouping != Grouping::Total).then_some(code),
                    numerator,
                    denominator,
                    value: value.filter(|_| status != Status::Suppressed),
                    status,
                    partly_exact: status == Status::Perturbed && some_exact,
                }
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dimension::Sex;

    /// Two municipalities in different regions (101 → 1084, 851 → 1081),
    /// two sexes, one age band, one year.
    fn sample() -> Cube {
        Cube::new(
            TileFamilyId::Geography,
            vec![
                vec![2024, 2024, 2024, 2024],
                vec![101, 101, 851, 851],
                vec![3, 3, 3, 3],
                vec![1, 2, 1, 2],
            ],
            [vec![100, 120, 50, 40], vec![500, 900, 300, 200]]
                .into_iter()
                .chain((2..9).map(|_| vec![0; 4]))
                .collect(),
        )
        .expect("valid cube")
    }

    #[test]
    fn values_of_protected_cubes_are_perturbed_or_suppressed() {
        let status = |cube: &Cube, measure| {
            let points = cube
                .evaluate(measure, Scale::Count, &Filter::all(), Grouping::Total)
                .expect("evaluates");
            (points[0].status, points[0].value)
        };
        let exact = sample();
        assert_eq!(
            status(&exact, MeasureId::GpContacts),
            (Status::Exact, Some(1900.0))
        );
        // No persons with a contact published: the contacts are suppressed.
        let protected = sample().with_protection(Protection::CellKey);
        assert_eq!(
            status(&protected, MeasureId::GpContacts),
            (Status::Suppressed, None)
        );
        assert_eq!(
            status(&protected, MeasureId::Citizens),
            (Status::Perturbed, Some(310.0))
        );
        // A published 0 may hide 1-4: suppressed, never shown as zero.
        assert_eq!(
            status(&protected, MeasureId::GpVideo),
            (Status::Suppressed, None)
        );
    }

    #[test]
    fn closed_rows_laid_over_a_protected_cube_are_exact_on_their_own() {
        let public = sample().with_protection(Protection::CellKey);
        // The closed tile of municipality 101: its true counts.
        let closed = sample()
            .retain(DimensionId::Municipality, |c| c == 101)
            .expect("stored")
            .overlay_source_with_citizens(&[103, 121]);
        let laid = public.overlay(&closed, &[101]).expect("same kind");
        assert_eq!(laid.rows(), 4);
        let points = laid
            .evaluate(
                MeasureId::Citizens,
                Scale::Count,
                &Filter::all(),
                Grouping::By(DimensionId::Municipality),
            )
            .expect("evaluates");
        let by_code: Vec<_> = points
            .iter()
            .map(|p| (p.key, p.value, p.status, p.partly_exact))
            .collect();
        // 101 rests on its exact rows alone, 851 on rounded ones alone.
        assert_eq!(
            by_code,
            vec![
                (Some(101), Some(224.0), Status::Exact, false),
                (Some(851), Some(90.0), Status::Perturbed, false),
            ]
        );
        let total = laid
            .evaluate(
                MeasureId::Citizens,
                Scale::Count,
                &Filter::all(),
                Grouping::Total,
            )
            .expect("evaluates");
        // The total sums both: rounded, and partly exact.
        assert_eq!(
            (total[0].value, total[0].status, total[0].partly_exact),
            (Some(314.0), Status::Perturbed, true)
        );
        // Names given by the public tile's dictionary stay through the
        // overlay.
        let named = public
            .clone()
            .with_names(BTreeMap::from([(101, "København".to_string())]))
            .with_regions(BTreeMap::from([(101, 1084)]))
            .with_municipalities(BTreeMap::from([(101, 101)]));
        let laid = named.overlay(&closed, &[101]).expect("same kind");
        assert_eq!(laid.name_of(101), Some("København"));
        assert_eq!(laid.name_of(851), None);
        assert_eq!(laid.region_of(101), Some(1084));
        assert_eq!(laid.region_of(851), None);
        assert_eq!(laid.municipality_of(101), Some(101));
        // A closed tile of another kind is not laid over.
        let other =
            Cube::new(TileFamilyId::ByPractice, vec![vec![]; 4], vec![vec![]; 9]).expect("empty");
        assert!(public.overlay(&other, &[101]).is_none());
    }

    impl Cube {
        /// The same cube with the citizens column replaced (test data).
        fn overlay_source_with_citizens(mut self, citizens: &[u64]) -> Cube {
            self.values[0] = citizens.to_vec();
            self
        }
    }

    #[test]
    fn total_ratio_is_ratio_of_sums() {
        let points = sample()
            .evaluate(
                MeasureId::GpContacts,
                Scale::PerThousand,
                &Filter::all(),
                Grouping::Total,
            )
            .expect("evaluates");
        assert_eq!(points.len(), 1);
        assert_eq!(points[0].numerator, 1900);
        assert_eq!(points[0].denominator, Some(310));
        let expected = 1900.0 / 310.0 * 1000.0;
        assert!((points[0].value.expect("value") - expected).abs() < 1e-9);
    }

    #[test]
    fn filters_by_sex_and_groups_by_region() {
        let filter = Filter::all().with(DimensionId::Sex, [Sex::Female.code()]);
        let points = sample()
            .evaluate(
                MeasureId::GpContacts,
                Scale::PerThousand,
                &filter,
                Grouping::By(DimensionId::Region),
            )
            .expect("evaluates");
        let got: Vec<(Option<u16>, u64, Option<u64>)> = points
            .iter()
            .map(|p| (p.key, p.numerator, p.denominator))
            .collect();
        assert_eq!(
            got,
            vec![(Some(1081), 200, Some(40)), (Some(1084), 900, Some(120))]
        );
    }

    #[test]
    fn count_scale_reads_only_the_numerator() {
        let points = sample()
            .evaluate(
                MeasureId::GpContacts,
                Scale::Count,
                &Filter::all(),
                Grouping::By(DimensionId::HealthCluster),
            )
            .expect("evaluates");
        let total: u64 = points.iter().map(|p| p.numerator).sum();
        assert_eq!(total, 1900);
        assert!(points.iter().all(|p| p.denominator.is_none()));
        assert!(points.iter().all(|p| p.value == Some(p.numerator as f64)));
        assert_eq!(
            points.len(),
            2,
            "København and Aalborg are in different clusters"
        );
    }

    #[test]
    fn filters_on_a_rollup_dimension() {
        let filter = Filter::all().with(DimensionId::Region, [1081]);
        let sums = sample()
            .sums(&filter, Grouping::Total, &[QuantityId::Citizens])
            .expect("sums");
        assert_eq!(sums, vec![(0, vec![90])]);
    }

    #[test]
    fn empty_selection_has_no_ratio() {
        let filter = Filter::all().with(DimensionId::Year, [1999]);
        let points = sample()
            .evaluate(
                MeasureId::GpContacts,
                Scale::PerThousand,
                &filter,
                Grouping::Total,
            )
            .expect("evaluates");
        assert_eq!(points[0].numerator, 0);
        assert_eq!(points[0].value, None);
    }

    #[test]
    fn lists_codes_present() {
        assert_eq!(
            sample().codes(DimensionId::Region).expect("codes"),
            vec![1081, 1084]
        );
        assert_eq!(sample().codes(DimensionId::Sex).expect("codes"), vec![1, 2]);
    }

    #[test]
    fn overlapping_groups_are_never_added_up() {
        use crate::tile::Split;
        let kind = TileKind {
            family: TileFamilyId::Geography,
            split: Split::TargetGroup,
        };
        // One citizen in groups 2 and 9.
        let cube = Cube::new(
            kind,
            vec![
                vec![2024, 2024],
                vec![101, 101],
                vec![3, 3],
                vec![1, 1],
                vec![2, 9],
            ],
            [vec![1, 1], vec![4, 4]]
                .into_iter()
                .chain((2..9).map(|_| vec![0; 2]))
                .collect(),
        )
        .expect("valid cube");
        let q = [QuantityId::Citizens];
        assert_eq!(
            cube.sums(&Filter::all(), Grouping::Total, &q),
            Err(CubeError::Overlapping(DimensionId::TargetGroup))
        );
        assert_eq!(
            cube.sums(
                &Filter::all().with(DimensionId::TargetGroup, [2, 9]),
                Grouping::Total,
                &q
            ),
            Err(CubeError::Overlapping(DimensionId::TargetGroup))
        );
        assert_eq!(
            cube.sums(
                &Filter::all().with(DimensionId::TargetGroup, [9]),
                Grouping::Total,
                &q
            ),
            Ok(vec![(0, vec![1])])
        );
        assert_eq!(
            cube.sums(&Filter::all(), Grouping::By(DimensionId::TargetGroup), &q),
            Ok(vec![(2, vec![1]), (9, vec![1])])
        );
    }

    #[test]
    fn rejects_ragged_columns() {
        let err = Cube::new(
            TileFamilyId::Geography,
            vec![vec![2024], vec![101], vec![3], vec![1, 2]],
            (0..9).map(|_| vec![1]).collect(),
        )
        .expect_err("ragged");
        assert_eq!(
            err,
            CubeError::RaggedColumn {
                column: "sex",
                expected: 1,
                found: 2
            }
        );
    }
}
