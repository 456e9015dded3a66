//! Prescriptions in detail: the closed `prescription_detail` tile, the
//! breakdowns of the cluster insight pages' intervention areas.
//!
//! A patient-year in a drug group (the redemptions of a listed citizen
//! in the year, placed at their practice as in `prescriptions`) has a
//! consumption group (its DDD in the group: under 90, 90–365, over 365)
//! and a treatment (continued when the person redeemed in the group the
//! year before, as a listed citizen or not; unknown in the first year of
//! the register's redemptions of the indicator groups). It
//! counts, in its cell, once in each medicine it redeemed — the whole
//! group (medicine 0), each drug (ATC level 5), each product, and the
//! addictive/non-addictive and depot/non-depot products
//! (`shared::drug::Medicine`) — at package size 0 (every size) and at
//! each size it redeemed of that medicine. Packages and DDD add up the
//! same way; DDD are summed in thousandths and rounded to whole DDD per
//! row. The pages break a practice or a cluster down, never the country,
//! so the tile has no rows for the whole country: at national size they
//! would be most of every practice's tile.

use std::collections::{BTreeMap, HashMap, HashSet};

use shared::cube::{Cube, CubeError};
use shared::dimension::consumption_code;
use shared::drug::{DrugGroup, Medicine};
use shared::TileFamilyId;

use super::population::Place;

/// Key columns, in the family's order.
type Key = [u16; 9];

/// What a patient redeemed of a group in a year.
struct PatientYear {
    place: Place,
    /// (product index, package size, DDD in thousandths).
    redeemed: Vec<(usize, u32, u64)>,
}

/// The detail tally.
#[derive(Default)]
pub struct Detail {
    patients: HashMap<(u32, i32, u16), PatientYear>,
    /// Every person, year and group with a redemption, placed or not.
    redeemed: HashSet<(u32, i32, u16)>,
    first_year: Option<i32>,
}

impl Detail {
    /// Notes a redemption of `group` in `year`, placed or not (`person`
    /// when the person is in the population): the first year has no year
    /// before it, and a patient whose person redeemed in the group the
    /// year before continues a treatment.
    pub fn saw(&mut self, person: Option<u32>, year: i32, group: DrugGroup) {
        self.first_year = Some(self.first_year.map_or(year, |y| y.min(year)));
        if let (Some(person), Some(group)) = (person, group.code()) {
            self.redeemed.insert((person, year, group));
        }
    }

    /// Adds a placed redemption of product `product` (index in
    /// `shared::drug::DRUGS`) of `group` by `person` in `year`.
    pub fn add(
        &mut self,
        (person, year, place): (u32, i32, &Place),
        group: DrugGroup,
        (product, package_size, milli): (usize, u32, u64),
    ) {
        let Some(group) = group.code() else {
            return;
        };
        self.patients
            .entry((person, year, group))
            .or_insert_with(|| PatientYear {
                place: *place,
                redeemed: Vec::new(),
            })
            .redeemed
            .push((product, package_size, milli));
    }

    /// The tile's cube (exact: the family is closed only).
    pub fn cube(&self) -> Result<Cube, CubeError> {
        // Per row: patients, packages, DDD in thousandths.
        let mut rows: BTreeMap<Key, [u64; 3]> = BTreeMap::new();
        for (&(person, year, group), py) in &self.patients {
            let milli: u64 = py.redeemed.iter().map(|r| r.2).sum();
            let consumption = consumption_code(milli as f64 / 1000.0);
            let treatment = if self.redeemed.contains(&(person, year - 1, group)) {
                2
            } else if self.first_year.is_some_and(|first| year - 1 < first) {
                3
            } else {
                1
            };
            // Medicine → package size → (packages, DDD).
            let mut medicines: BTreeMap<u16, BTreeMap<u32, (u64, u64)>> = BTreeMap::new();
            for &(product, size, milli) in &py.redeemed {
                let codes = std::iter::once(Medicine::Group.code())
                    .chain(Medicine::codes_of_product(product));
                for code in codes {
                    let at = medicines.entry(code).or_default().entry(size).or_default();
                    at.0 += 1;
                    at.1 += milli;
                }
            }
            let (_, _, band, sex) = py.place.cell;
            let practice = py.place.gp_practice;
            for (&medicine, sizes) in &medicines {
                let mut add = |size: u16, counts: [u64; 3]| {
                    let key = [
                        year as u16,
                        practice,
                        group,
                        medicine,
                        consumption,
                        treatment,
                        size,
                        u16::from(band),
                        u16::from(sex),
                    ];
                    let row = rows.entry(key).or_default();
                    for (r, c) in row.iter_mut().zip(counts) {
                        *r += c;
                    }
                };
                let (packages, milli) =
                    sizes.values().fold((0, 0), |(p, m), (q, n)| (p + q, m + n));
                add(0, [1, packages, milli]);
                for (&size, &(packages, milli)) in sizes {
                    add(
                        u16::try_from(size).unwrap_or(u16::MAX),
                        [1, packages, milli],
                    );
                }
            }
        }
        let mut keys: Vec<Vec<u16>> = (0..9).map(|_| Vec::with_capacity(rows.len())).collect();
        let mut values: Vec<Vec<u64>> = (0..3).map(|_| Vec::with_capacity(rows.len())).collect();
        for (key, counts) in rows {
            for (column, k) in keys.iter_mut().zip(key) {
                column.push(k);
            }
            // DDD: whole DDD per row, halves up.
            let counts = [counts[0], counts[1], (counts[2] + 500) / 1000];
            for (column, v) in values.iter_mut().zip(counts) {
                column.push(v);
            }
        }
        Cube::new(TileFamilyId::PrescriptionDetail, keys, values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::cube::{Filter, Grouping};
    use shared::drug::{drug_by_product, DrugGroup};
    use shared::{DimensionId, QuantityId};

    fn product(name: &str) -> usize {
        drug_by_product(name).expect("in the table").0
    }

    fn place(practice: u16) -> Place {
        let mut place = Place::at((2024, 101, 14, 2));
        place.gp_practice = practice;
        place
    }

    #[test]
    fn a_patient_counts_once_per_medicine_and_size_with_their_consumption_and_treatment() {
        let tramadol = product("Tramadol 50 mg capsules");
        let morphine = product("Morphine 10 mg tablets");
        let mut detail = Detail::default();
        let opioid = DrugGroup::Opioid;
        // Patient 1 redeemed in 2023 (placed or not), patient 2 did not.
        detail.saw(Some(1), 2023, opioid);
        detail.saw(Some(1), 2024, opioid);
        detail.saw(Some(2), 2024, opioid);
        // Patient 1 in 2024: tramadol twice (two sizes), morphine once:
        // 8.35 + 16.7 + 3 = 28.05 DDD, under 90; redeemed in 2023 too.
        detail.add((1, 2024, &place(3)), opioid, (tramadol, 50, 8_350));
        detail.add((1, 2024, &place(3)), opioid, (tramadol, 100, 16_700));
        detail.add((1, 2024, &place(3)), opioid, (morphine, 30, 3_000));
        detail.add((1, 2023, &place(3)), opioid, (morphine, 30, 3_000));
        // A redemption of a person outside the population.
        detail.saw(None, 2024, opioid);
        // Patient 2 in 2024: 400 DDD of tramadol, new.
        detail.add((2, 2024, &place(3)), opioid, (tramadol, 100, 400_000));
        let cube = detail.cube().expect("cube");
        let q = [
            QuantityId::RxPatients,
            QuantityId::RxPackages,
            QuantityId::RxDdd,
        ];
        let sums = |medicine: u16, size: u16, by: DimensionId| {
            let filter = Filter::all()
                .with(DimensionId::Year, [2024])
                .with(DimensionId::Practice, [3])
                .with(DimensionId::DrugGroup, [1])
                .with(DimensionId::Medicine, [medicine])
                .with(DimensionId::PackageSize, [size]);
            cube.sums(&filter, Grouping::By(by), &q).expect("sums")
        };
        let [tramadol_drug, tramadol_product, addictive, _] = Medicine::codes_of_product(tramadol);
        // The group: two patients, four packages, 28 + 400 DDD; one in
        // each consumption group.
        assert_eq!(
            sums(0, 0, DimensionId::Consumption),
            vec![(1, vec![1, 3, 28]), (3, vec![1, 1, 400])]
        );
        // Continued and started.
        assert_eq!(
            sums(0, 0, DimensionId::Treatment),
            vec![(1, vec![1, 1, 400]), (2, vec![1, 3, 28])]
        );
        // Tramadol as a drug and as a product: both patients.
        for code in [tramadol_drug, tramadol_product, addictive] {
            let total: u64 = sums(code, 0, DimensionId::Year)
                .iter()
                .map(|(_, s)| s[0])
                .sum();
            assert_eq!(total, 2, "medicine {code}");
        }
        // By size: 100 units by both patients, 50 by one.
        let filter = Filter::all()
            .with(DimensionId::Practice, [3])
            .with(DimensionId::DrugGroup, [1])
            .with(DimensionId::Medicine, [tramadol_product]);
        let by_size = cube
            .sums(&filter, Grouping::By(DimensionId::PackageSize), &q)
            .expect("sums");
        assert_eq!(
            by_size,
            vec![
                (0, vec![2, 3, 425]),
                (50, vec![1, 1, 8]),
                (100, vec![2, 2, 417])
            ]
        );
        // The first year's treatment is unknown; the country is not in
        // the tile.
        let practices = cube.key_column(DimensionId::Practice).expect("practices");
        assert!(!practices.contains(&shared::dimension::ALL_PRACTICES));
        let first = Filter::all()
            .with(DimensionId::Year, [2023])
            .with(DimensionId::Practice, [3])
            .with(DimensionId::DrugGroup, [1])
            .with(DimensionId::Medicine, [0])
            .with(DimensionId::PackageSize, [0]);
        assert_eq!(
            cube.sums(&first, Grouping::By(DimensionId::Treatment), &q)
                .expect("sums"),
            vec![(3, vec![1, 1, 3])]
        );
    }
}
