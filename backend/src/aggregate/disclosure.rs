//! Disclosure control in the aggregation stage: what protecting the public
//! tiles costs (utility), and the audit of a release's public tiles.
//!
//! The protection itself — cell-key rounding of every count to base 5 —
//! is applied as the tallies become cubes (`Counts::published`), by the
//! rule in `shared::disclosure`. Because every published count is a
//! multiple of 5, every sum and difference the browser (or an adversary)
//! can form is one too; the audit checks that, and tries the differencing
//! attacks on what the release shows.

use std::collections::BTreeMap;

use shared::cube::{Cube, Filter, Grouping};
use shared::disclosure::{Protection, BASE};
use shared::measure::{Counted, MEASURES};
use shared::tile::{Split, TileKind};
use shared::{DimensionId, QuantityId, TileFamilyId};

/// The error protection adds to one measure on one scale, over every
/// municipality and year.
#[derive(Clone, Debug, PartialEq)]
pub struct Utility {
    /// The measure's key.
    pub measure: &'static str,
    /// The scale's key.
    pub scale: &'static str,
    /// Municipality-years compared (with a value in the exact data).
    pub cells: usize,
    /// Mean absolute difference between the published and the true value.
    pub mean_absolute: f64,
    /// Mean of |published − true| / true, over values with a true value
    /// above 0.
    pub mean_relative: f64,
    /// Municipality-years whose value is suppressed.
    pub suppressed: usize,
}

/// The utility cost of protection per measure and scale at municipality
/// level, from the exact and the protected cubes of the same build.
pub fn utility(exact: &[Cube], protected: &[Cube]) -> Vec<Utility> {
    let base = |cubes: &[Cube], family: TileFamilyId| -> Option<usize> {
        cubes.iter().position(|c| {
            c.kind()
                == TileKind {
                    family,
                    split: Split::None,
                }
        })
    };
    let mut out = Vec::new();
    for measure in MEASURES {
        let family = measure.family().id;
        let (Some(e), Some(p)) = (base(exact, family), base(protected, family)) else {
            continue;
        };
        let (exact, protected) = (&exact[e], &protected[p]);
        let Ok(years) = exact.codes(DimensionId::Year) else {
            continue;
        };
        for scale in measure.scales {
            let mut row = Utility {
                measure: measure.key,
                scale: scale.key(),
                cells: 0,
                mean_absolute: 0.0,
                mean_relative: 0.0,
                suppressed: 0,
            };
            let mut relative = (0.0, 0usize);
            for year in &years {
                let filter = Filter::all().with(DimensionId::Year, [*year]);
                let grouping = Grouping::By(DimensionId::Municipality);
                let (Ok(truth), Ok(shown)) = (
                    exact.evaluate(measure.id, *scale, &filter, grouping),
                    protected.evaluate(measure.id, *scale, &filter, grouping),
                ) else {
                    continue;
                };
                let shown: BTreeMap<Option<u16>, Option<f64>> =
                    shown.iter().map(|p| (p.key, p.value)).collect();
                for t in &truth {
                    let Some(true_value) = t.value else { continue };
                    row.cells += 1;
                    match shown.get(&t.key).copied().flatten() {
                        Some(v) => {
                            let error = (v - true_value).abs();
                            row.mean_absolute += error;
                            if true_value > 0.0 {
                                relative.0 += error / true_value;
                                relative.1 += 1;
                            }
                        }
                        None => row.suppressed += 1,
                    }
                }
            }
            let shown = row.cells - row.suppressed;
            if shown > 0 {
                row.mean_absolute /= shown as f64;
            }
            if relative.1 > 0 {
                row.mean_relative = relative.0 / relative.1 as f64;
            }
            out.push(row);
        }
    }
    out
}

/// One line of the audit: a check, how many values or derived values it
/// looked at, and how many of them break the rule (must be 0).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    /// What was checked.
    pub name: String,
    /// Values (or derived values) looked at.
    pub checked: u64,
    /// Those that reveal a count of 1–4 (or break the check).
    pub violations: u64,
}

/// Whether a derived count would reveal 1–4 persons.
fn small(value: i64) -> bool {
    (1..BASE as i64).contains(&value.abs())
}

/// A cube's rows as (key columns but `skip`, the value of `quantity`).
fn rows_by(cube: &Cube, skip: Option<DimensionId>, quantity: QuantityId) -> Vec<(Vec<u16>, u64)> {
    let dims: Vec<DimensionId> = cube.kind().keys();
    let columns: Vec<&[u16]> = dims
        .iter()
        .map(|d| cube.key_column(*d).expect("a key of the tile"))
        .collect();
    let values = cube
        .quantity_column(quantity)
        .expect("a quantity of the tile");
    let at = skip.and_then(|s| dims.iter().position(|d| *d == s));
    (0..cube.rows())
        .map(|row| {
            let key = columns
                .iter()
                .enumerate()
                .filter(|(i, _)| Some(*i) != at)
                .map(|(_, c)| c[row])
                .collect();
            (key, values[row])
        })
        .collect()
}

/// A cube's cells: key → the value of `quantity`.
fn cells(cube: &Cube, quantity: QuantityId) -> BTreeMap<Vec<u16>, u64> {
    rows_by(cube, None, quantity).into_iter().collect()
}

/// A cube's values of `quantity` grouped by every key column but `skip`.
fn groups(cube: &Cube, skip: DimensionId, quantity: QuantityId) -> BTreeMap<Vec<u16>, Vec<u64>> {
    let mut groups: BTreeMap<Vec<u16>, Vec<u64>> = BTreeMap::new();
    for (key, v) in rows_by(cube, Some(skip), quantity) {
        groups.entry(key).or_default().push(v);
    }
    groups
}

/// Checks each total minus all its parts but one (the part a subtraction
/// would reveal): a total of `totals` and its parts in `groups`, by the
/// same key.
fn all_parts_but_one(
    check: &mut Check,
    totals: &BTreeMap<Vec<u16>, u64>,
    groups: &BTreeMap<Vec<u16>, Vec<u64>>,
) {
    for (key, parts) in groups {
        let total = totals.get(key).copied().unwrap_or(0) as i64;
        let sum: i64 = parts.iter().map(|v| *v as i64).sum();
        for part in parts {
            check.checked += 1;
            check.violations += u64::from(small(total - (sum - *part as i64)));
        }
    }
}

/// Audits the public tiles of a release: every value, and the
/// differencing attacks an adversary with only these tiles can run
/// (against `previous`, the tiles of an earlier release, when given).
/// Tiles that are exact are skipped (they are not public).
pub fn audit(tiles: &[Cube], previous: &[Cube]) -> Vec<Check> {
    let public: Vec<&Cube> = tiles
        .iter()
        .filter(|c| c.protection() != Protection::Exact)
        .collect();
    let mut checks = Vec::new();

    // Every published value.
    let mut values = Check {
        name: "published counts of 1-4".into(),
        checked: 0,
        violations: 0,
    };
    let mut multiples = Check {
        name: format!("published counts not a multiple of {BASE}"),
        checked: 0,
        violations: 0,
    };
    for cube in &public {
        for q in cube.family().def().quantities {
            for v in cube.quantity_column(*q).expect("a quantity of the tile") {
                values.checked += 1;
                multiples.checked += 1;
                values.violations += u64::from(small(*v as i64));
                multiples.violations += u64::from(v % BASE != 0);
            }
        }
    }
    checks.push(values);
    checks.push(multiples);

    // Sub-groups subtracted from a total: a split tile's cells of one base
    // cell, all but one, from the base tile's cell (civil status, CPR
    // status, nursing home, GP cluster: each person is in one code).
    let base_of = |family: TileFamilyId| {
        public.iter().find(|c| {
            c.kind()
                == TileKind {
                    family,
                    split: Split::None,
                }
        })
    };
    let mut geography = Check {
        name: "overlapping geographies: municipality minus its GP-cluster cells but one".into(),
        checked: 0,
        violations: 0,
    };
    let mut subgroups = Check {
        name:
            "sub-groups: base cell minus its civil-status, CPR-status, nursing-home cells but one"
                .into(),
        checked: 0,
        violations: 0,
    };
    let mut base_cells: BTreeMap<(TileFamilyId, QuantityId), BTreeMap<Vec<u16>, u64>> =
        BTreeMap::new();
    for split_cube in public.iter().filter(|c| {
        matches!(
            c.kind().split,
            Split::CivilStatus | Split::CprStatus | Split::NursingHome | Split::GpCluster
        )
    }) {
        let Some(base) = base_of(split_cube.family()) else {
            continue;
        };
        let Some(dimension) = split_cube.kind().split.dimension() else {
            continue;
        };
        let check = if split_cube.kind().split == Split::GpCluster {
            &mut geography
        } else {
            &mut subgroups
        };
        for q in split_cube.family().def().quantities {
            // The base tile's cells, read once per family and quantity.
            let totals = base_cells
                .entry((split_cube.family(), *q))
                .or_insert_with(|| cells(base, *q));
            all_parts_but_one(check, totals, &groups(split_cube, dimension, *q));
        }
    }
    checks.push(subgroups);
    checks.push(geography);

    // Periods within a year: a base cell's events minus its quarters but
    // one, or its months but one, and a quarter's events minus its months
    // but one (events add up over periods; persons, counted in each
    // period they qualify in, do not, and are left out).
    let mut quarters = Check {
        name: "periods: year minus its quarters but one".into(),
        checked: 0,
        violations: 0,
    };
    let mut months = Check {
        name: "periods: year minus its months but one".into(),
        checked: 0,
        violations: 0,
    };
    let mut months_of_quarters = Check {
        name: "periods: quarter minus its months but one".into(),
        checked: 0,
        violations: 0,
    };
    let split_of = |family: TileFamilyId, split: Split| {
        public
            .iter()
            .find(|c| c.family() == family && c.kind().split == split)
    };
    for cube in &public {
        let (family, split) = (cube.family(), cube.kind().split);
        let (check, dimension) = match split {
            Split::Quarter => (&mut quarters, DimensionId::Quarter),
            Split::Month => (&mut months, DimensionId::Month),
            _ => continue,
        };
        let Some(base) = base_of(family) else {
            continue;
        };
        let quarter_cube = split_of(family, Split::Quarter).filter(|_| split == Split::Month);
        for q in family.def().quantities {
            if q.def().counted != Counted::Events {
                continue;
            }
            all_parts_but_one(check, &cells(base, *q), &groups(cube, dimension, *q));
            let Some(quarter_cube) = quarter_cube else {
                continue;
            };
            // The months of each quarter, keyed as the quarter's cell.
            let mut by_quarter: BTreeMap<Vec<u16>, Vec<u64>> = BTreeMap::new();
            for (mut key, v) in cells(cube, *q) {
                if let Some(month) = key.last_mut() {
                    *month = (*month - 1) / 3 + 1;
                }
                by_quarter.entry(key).or_default().push(v);
            }
            let totals = cells(quarter_cube, *q);
            all_parts_but_one(&mut months_of_quarters, &totals, &by_quarter);
        }
    }
    checks.extend([quarters, months, months_of_quarters]);

    // Periods: a municipality's sum over the years minus all years but
    // one; and the ages: its sum over age bands minus all bands but one.
    for (dimension, name) in [
        (
            DimensionId::Year,
            "periods: all years minus all years but one",
        ),
        (
            DimensionId::AgeBand,
            "age bands: all ages minus all bands but one",
        ),
    ] {
        let mut check = Check {
            name: name.into(),
            checked: 0,
            violations: 0,
        };
        for cube in public.iter().filter(|c| c.kind().split == Split::None) {
            if cube.key_column(DimensionId::Municipality).is_none() {
                continue;
            }
            for q in cube.family().def().quantities {
                for parts in groups(cube, dimension, *q).values() {
                    let total: i64 = parts.iter().map(|v| *v as i64).sum();
                    for part in parts {
                        check.checked += 1;
                        check.violations += u64::from(small(total - (total - *part as i64)));
                    }
                }
            }
        }
        checks.push(check);
    }

    // Repeated appearances: the citizens of a cell are in every family's
    // tile of the same split; each appearance must show the same value,
    // or averaging them would narrow the noise.
    let mut repeated = Check {
        name: "repeated appearances of a cell that differ".into(),
        checked: 0,
        violations: 0,
    };
    let mut seen: BTreeMap<(Split, Vec<u16>), u64> = BTreeMap::new();
    for cube in public
        .iter()
        .filter(|c| c.family().def().quantities.contains(&QuantityId::Citizens))
    {
        for (key, v) in rows_by(cube, None, QuantityId::Citizens) {
            repeated.checked += 1;
            let first = *seen.entry((cube.kind().split, key)).or_insert(v);
            repeated.violations += u64::from(first != v);
        }
    }
    checks.push(repeated);

    // Releases: the same tile's cells in the previous release subtracted.
    let mut releases = Check {
        name: "release differences: this release minus the previous".into(),
        checked: 0,
        violations: 0,
    };
    for cube in &public {
        let Some(before) = previous
            .iter()
            .find(|c| c.kind() == cube.kind() && c.protection() != Protection::Exact)
        else {
            continue;
        };
        for q in cube.family().def().quantities {
            let old = cells(before, *q);
            for (key, v) in rows_by(cube, None, *q) {
                releases.checked += 1;
                let was = old.get(&key).copied().unwrap_or(0);
                releases.violations += u64::from(small(v as i64 - was as i64));
            }
        }
    }
    checks.push(releases);
    checks
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::disclosure::round;

    /// A geography tile of one municipality-year in two age bands, with
    /// these citizens and 1 of every other quantity.
    fn geography(citizens: [u64; 2], protection: Protection) -> Cube {
        let width = TileFamilyId::Geography.def().quantities.len();
        let mut values = vec![citizens.to_vec()];
        values.extend((1..width).map(|_| vec![5, 5]));
        Cube::new(
            TileFamilyId::Geography,
            vec![vec![2024, 2024], vec![101, 101], vec![3, 4], vec![1, 1]],
            values,
        )
        .expect("cube")
        .with_protection(protection)
    }

    #[test]
    fn the_audit_finds_small_counts_only_where_they_are() {
        let bad = audit(&[geography([3, 10], Protection::CellKey)], &[]);
        assert_eq!(bad[0].violations, 1, "{bad:?}");
        assert_eq!(bad[1].violations, 1, "{bad:?}");
        let good = audit(&[geography([5, 10], Protection::CellKey)], &[]);
        assert!(good.iter().all(|c| c.violations == 0), "{good:?}");
        // Exact tiles are not public, so they are not audited.
        let exact = audit(&[geography([3, 10], Protection::Exact)], &[]);
        assert_eq!(exact[0].checked, 0);
    }

    #[test]
    fn the_audit_catches_a_release_difference_of_one_person() {
        let before = geography([10, 10], Protection::CellKey);
        let after = geography([10, 11], Protection::CellKey);
        let checks = audit(&[after], &[before]);
        let releases = checks.last().expect("release check");
        assert_eq!(releases.violations, 1, "{checks:?}");
    }

    /// A period split of the geography family for age band 3, men: 20
    /// citizens in each of `codes`, and `events` of every event.
    fn periods(split: Split, codes: &[u16], events: &[u64]) -> Cube {
        let n = codes.len();
        let width = TileFamilyId::Geography.def().quantities.len();
        let mut values = vec![vec![20; n]];
        values.extend((1..width).map(|_| events.to_vec()));
        Cube::new(
            TileKind {
                family: TileFamilyId::Geography,
                split,
            },
            vec![
                vec![2024; n],
                vec![101; n],
                vec![3; n],
                vec![1; n],
                codes.to_vec(),
            ],
            values,
        )
        .expect("cube")
        .with_protection(Protection::CellKey)
    }

    /// The events of the geography family.
    fn event_columns() -> u64 {
        TileFamilyId::Geography
            .def()
            .quantities
            .iter()
            .filter(|q| q.def().counted == Counted::Events)
            .count() as u64
    }

    /// The audit's check whose name contains `name`.
    fn named(checks: Vec<Check>, name: &str) -> Check {
        checks
            .into_iter()
            .find(|c| c.name.contains(name))
            .expect("the check")
    }

    #[test]
    fn the_audit_subtracts_quarters_from_the_year_for_events_only() {
        // The year's cells hold 5 of every event; its quarters 1-3 of the
        // first age band hold 2 + 0 + 0 of them, so the fourth quarter
        // would be derived as 3.
        let check = |events| {
            let quarters = periods(Split::Quarter, &[1, 2, 3], &[events, 0, 0]);
            let checks = audit(&[geography([20, 20], Protection::CellKey), quarters], &[]);
            named(checks, "its quarters")
        };
        let leaky = check(2);
        assert_eq!(
            leaky.checked,
            3 * event_columns(),
            "persons are not subtracted"
        );
        // Each event column: 5 - 2 = 3 for either empty quarter (two
        // violations), 5 - 0 = 5 for the first.
        assert_eq!(leaky.violations, 2 * event_columns(), "{leaky:?}");
        assert_eq!(check(5).violations, 0);
    }

    #[test]
    fn the_audit_subtracts_months_from_the_year_and_from_their_quarter() {
        // The year and each of its first two quarters hold 5 of every
        // event; January and February hold `january` + 0 of them, April 3.
        let checks = |january| {
            let year = geography([20, 20], Protection::CellKey);
            let quarters = periods(Split::Quarter, &[1, 2], &[5, 5]);
            let months = periods(Split::Month, &[1, 2, 4], &[january, 0, 3]);
            audit(&[year, quarters, months], &[])
        };
        let leaky = checks(2);
        // February derived from the first quarter: 5 - 2 = 3; January
        // 5 - 0 and April 5 - 0 are safe. For each event column.
        let of_quarters = named(leaky.clone(), "quarter minus its months");
        assert_eq!(
            of_quarters.checked,
            3 * event_columns(),
            "persons are not subtracted"
        );
        assert_eq!(of_quarters.violations, event_columns(), "{of_quarters:?}");
        // From the year: 5 - 3 = 2 for January, 5 - 5 = 0 for February,
        // 5 - 2 = 3 for April.
        let of_year = named(leaky, "year minus its months");
        assert_eq!(of_year.checked, 3 * event_columns());
        assert_eq!(of_year.violations, 2 * event_columns(), "{of_year:?}");
        let safe = named(checks(5), "quarter minus its months");
        assert_eq!(safe.violations, 0, "{safe:?}");
    }

    #[test]
    fn utility_is_the_error_of_rounding() {
        let exact = [geography([12, 0], Protection::Exact)];
        let key = 0;
        let published = round(12, key);
        let protected = [geography([published, 0], Protection::CellKey)];
        let rows = utility(&exact, &protected);
        let citizens = rows
            .iter()
            .find(|r| r.measure == "citizens" && r.scale == "count")
            .expect("citizens counted");
        assert_eq!(citizens.cells, 1);
        assert_eq!(citizens.mean_absolute, (published as f64 - 12.0).abs());
    }
}
