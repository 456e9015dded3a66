//! Closed tiles: the exact cubes cut per scope (see `docs/access.md`).
//!
//! Each scope gets its own tiles, holding only the rows of its own
//! municipalities, hospitals or practices: nothing outside a caller's
//! scope is ever in a tile the caller can read. A tile names its scope and
//! the codes it covers in its metadata, so its id is its own.

use std::cell::RefCell;
use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use shared::cube::Cube;
use shared::dimension::{
    DimensionId, ALL_PRACTICES, CLUSTER_PRACTICES, REGION_SJAELLAND, SJAELLAND_AS_ONE,
};
use shared::geography;
use shared::tile::{HospitalCode, PracticeCode, META_SCOPE, META_SCOPE_CODES};
use shared::TileFamilyId;

use crate::auth::Scope;

/// One closed tile before encoding.
#[derive(Debug)]
pub struct ClosedCube {
    /// Its scope.
    pub scope: Scope,
    /// The rows of the scope.
    pub cube: Cube,
    /// The codes of the family's dimension it covers, sorted.
    pub codes: Vec<u16>,
    /// The codes its dictionary names, sorted: all it covers, but in a
    /// practice's prescription tile only the practice itself (the other
    /// practices of its cluster are there, anonymous).
    pub named: Vec<u16>,
    /// Metadata naming the scope and the codes it covers.
    pub metadata: Vec<(&'static str, String)>,
}

/// Every scope a release has closed tiles for: the country, the regions,
/// municipalities and health clusters, and the GP clusters and practices
/// of the practice dictionary.
pub fn scopes(practices: &[PracticeCode]) -> Vec<Scope> {
    let mut scopes = vec![Scope::National];
    scopes.extend(geography::REGIONS.iter().map(|r| Scope::Region(r.code)));
    scopes.extend(
        geography::MUNICIPALITIES
            .iter()
            .map(|m| Scope::Municipality(m.code)),
    );
    scopes.extend(
        geography::HEALTH_CLUSTERS
            .iter()
            .map(|c| Scope::HealthCluster(u16::from(c.id))),
    );
    let clusters: BTreeSet<u16> = practices
        .iter()
        .map(|p| p.gp_cluster)
        .filter(|&c| c != 0)
        .collect();
    scopes.extend(clusters.into_iter().map(Scope::GpCluster));
    scopes.extend(
        practices
            .iter()
            .map(|p| Scope::GpPractice(p.provider_number.clone())),
    );
    scopes
}

/// The codes of `family`'s dimension that `scope` covers; `None` when the
/// scope has no tiles of the family.
///
/// The prescription tiles by practice (issue 8's cluster pages) differ:
/// a practice's `prescriptions` tile holds every practice of its GP
/// cluster, to compare with (named only its own, see [`named`]), and
/// every scope's holds the whole country ([`ALL_PRACTICES`]), its
/// national reference. A practice's detail tile holds its cluster summed
/// ([`CLUSTER_PRACTICES`], see [`cut`]): the pages break the cluster down
/// but compare no practice of it in detail, and at national size every
/// practice's rows would make each tile many times its own size. The
/// detail tile has no country rows: the pages break down a practice or a
/// cluster only.
fn covered(
    scope: &Scope,
    family: TileFamilyId,
    hospitals: &[HospitalCode],
    practices: &[PracticeCode],
) -> Option<Vec<u16>> {
    let dimension = family.def().dimension;
    let prescriptions = compares_in_cluster(family);
    // A practice's own GP cluster, looked up once (not per practice).
    let cluster = if prescriptions {
        own_cluster(scope, practices)
    } else {
        None
    };
    let codes: Vec<u16> = match (dimension, scope) {
        (DimensionId::Municipality, Scope::GpCluster(_) | Scope::GpPractice(_)) => return None,
        (DimensionId::Municipality, _) => geography::MUNICIPALITIES
            .iter()
            .map(|m| m.code)
            .filter(|&c| scope.has_municipality(c))
            .collect(),
        // Region Sjælland as one hospital is the region's own.
        (DimensionId::Hospital, Scope::National) => hospitals
            .iter()
            .map(|h| h.code)
            .chain([SJAELLAND_AS_ONE])
            .collect(),
        (DimensionId::Hospital, Scope::Region(r)) => hospitals
            .iter()
            .filter(|h| h.region == *r)
            .map(|h| h.code)
            .chain((*r == REGION_SJAELLAND).then_some(SJAELLAND_AS_ONE))
            .collect(),
        // A health cluster's hospitals are those in its municipalities.
        (DimensionId::Hospital, Scope::HealthCluster(_)) => hospitals
            .iter()
            .filter(|h| h.municipality.is_some_and(|m| scope.has_municipality(m)))
            .map(|h| h.code)
            .collect(),
        (DimensionId::Hospital, _) => return None,
        // Activity by diagnosis group, specialty and department type is
        // the country's: exact for the national scope only (no other
        // scope's hospitals can be told apart in it).
        (
            DimensionId::DiagnosisGroup | DimensionId::Specialty | DimensionId::DepartmentType,
            Scope::National,
        ) => dimension.codes().unwrap_or_default(),
        (DimensionId::Practice, _) => practices
            .iter()
            .filter(|p| match scope {
                Scope::GpCluster(k) => p.gp_cluster == *k,
                Scope::GpPractice(number) => {
                    p.provider_number == *number
                        || (family == TileFamilyId::Prescriptions && cluster == Some(p.gp_cluster))
                }
                _ => scope.has_municipality(p.municipality),
            })
            .map(|p| p.code)
            .chain((family == TileFamilyId::Prescriptions).then_some(ALL_PRACTICES))
            .chain(
                (family == TileFamilyId::PrescriptionDetail && cluster.is_some())
                    .then_some(CLUSTER_PRACTICES),
            )
            .collect(),
        _ => return None,
    };
    let mut codes = codes;
    codes.sort_unstable();
    codes.dedup();
    (!codes.is_empty()).then_some(codes)
}

/// Whether a family's closed tiles hold, for a practice, its cluster:
/// the prescription families of the cluster insight pages (of which
/// `prescriptions` also holds the whole country, see [`covered`]).
fn compares_in_cluster(family: TileFamilyId) -> bool {
    matches!(
        family,
        TileFamilyId::Prescriptions | TileFamilyId::PrescriptionDetail
    )
}

/// The codes of `codes` a closed tile of `family` for `scope` names in its
/// dictionary: all but the other practices in a practice's prescription
/// tile.
fn named(
    scope: &Scope,
    family: TileFamilyId,
    codes: &[u16],
    practices: &[PracticeCode],
) -> Vec<u16> {
    match scope {
        Scope::GpPractice(number) if compares_in_cluster(family) => practices
            .iter()
            .filter(|p| p.provider_number == *number)
            .map(|p| p.code)
            .collect(),
        _ => codes.to_vec(),
    }
}

/// The closed tiles of every scope, cut from the exact cubes one at a
/// time as they are asked for: at national size they add up to gigabytes,
/// so a caller encodes each and lets it go before the next is cut.
/// A practice's detail tile gets the rows of its GP cluster's practices
/// added up into rows of [`CLUSTER_PRACTICES`].
pub fn cut<'a>(
    exact: &'a [Cube],
    hospitals: &'a [HospitalCode],
    practices: &'a [PracticeCode],
) -> impl Iterator<Item = ClosedCube> + 'a {
    // Each cube's rows by the code of its family's dimension, found once:
    // every scope takes a few codes of cubes with millions of rows.
    let indices: Vec<HashMap<u16, Vec<u32>>> = exact.iter().map(rows_by_code).collect();
    // A GP cluster's summed detail, shared by the cluster's practices.
    let sums: RefCell<HashMap<(usize, u16), Cube>> = RefCell::default();
    let shared = Rc::new((indices, sums));
    scopes(practices).into_iter().flat_map(move |scope| {
        let shared = Rc::clone(&shared);
        exact.iter().enumerate().filter_map(move |(at, cube)| {
            let (indices, sums) = &*shared;
            let family = cube.family();
            let codes = covered(&scope, family, hospitals, practices)?;
            let mut rows = cube.select(&rows_of(&indices[at], &codes));
            if codes.contains(&CLUSTER_PRACTICES) {
                let cluster = own_cluster(&scope, practices)?;
                let mut sums = sums.borrow_mut();
                let summed = match sums.entry((at, cluster)) {
                    Entry::Occupied(e) => e.into_mut(),
                    Entry::Vacant(e) => {
                        let members: Vec<u16> = practices
                            .iter()
                            .filter(|p| p.gp_cluster == cluster)
                            .map(|p| p.code)
                            .collect();
                        let rows = cube.select(&rows_of(&indices[at], &members));
                        e.insert(rows.summed(DimensionId::Practice, CLUSTER_PRACTICES)?)
                    }
                };
                rows = rows.appended(summed)?;
            }
            Some(ClosedCube {
                metadata: vec![
                    (META_SCOPE, scope.to_string()),
                    (
                        META_SCOPE_CODES,
                        serde_json::to_string(&codes).expect("codes serialise"),
                    ),
                ],
                named: named(&scope, family, &codes, practices),
                scope: scope.clone(),
                cube: rows,
                codes,
            })
        })
    })
}

/// The row numbers of `cube` by the code of its family's dimension.
fn rows_by_code(cube: &Cube) -> HashMap<u16, Vec<u32>> {
    let mut index: HashMap<u16, Vec<u32>> = HashMap::new();
    if let Some(column) = cube.key_column(cube.family().def().dimension) {
        for (row, code) in column.iter().enumerate() {
            index.entry(*code).or_default().push(row as u32);
        }
    }
    index
}

/// The rows of `codes`, in the cube's order.
fn rows_of(index: &HashMap<u16, Vec<u32>>, codes: &[u16]) -> Vec<u32> {
    let mut rows: Vec<u32> = codes
        .iter()
        .filter_map(|c| index.get(c))
        .flatten()
        .copied()
        .collect();
    rows.sort_unstable();
    rows
}

/// The GP cluster of the practice `scope`, when it has one.
fn own_cluster(scope: &Scope, practices: &[PracticeCode]) -> Option<u16> {
    let Scope::GpPractice(number) = scope else {
        return None;
    };
    practices
        .iter()
        .find(|p| p.provider_number == *number)
        .map(|p| p.gp_cluster)
        .filter(|&k| k != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn practice(code: u16, municipality: u16, gp_cluster: u16) -> PracticeCode {
        PracticeCode {
            code,
            provider_number: format!("{code:06}"),
            name: format!("Lægehuset {code}"),
            municipality,
            gp_cluster,
        }
    }

    #[test]
    fn a_practice_sees_its_cluster_anonymously_and_every_scope_the_country_in_prescriptions() {
        // Practices 1 and 2 in cluster 7 (Aarhus and Skanderborg), 3 in
        // cluster 8 (Aarhus), 4 in no cluster.
        let practices = [
            practice(1, 751, 7),
            practice(2, 746, 7),
            practice(3, 751, 8),
            practice(4, 751, 0),
        ];
        let own = Scope::GpPractice("000001".into());
        let rx = TileFamilyId::Prescriptions;
        let codes = covered(&own, rx, &[], &practices).expect("covered");
        assert_eq!(codes, [1, 2, ALL_PRACTICES]);
        assert_eq!(named(&own, rx, &codes, &practices), [1]);
        // The general-practice tile stays the practice's own.
        let gp = covered(&own, TileFamilyId::ByPractice, &[], &practices);
        assert_eq!(gp.as_deref(), Some(&[1][..]));
        // A practice in no cluster compares with the country only.
        let alone = Scope::GpPractice("000004".into());
        assert_eq!(
            covered(&alone, rx, &[], &practices).as_deref(),
            Some(&[4, ALL_PRACTICES][..])
        );
        let cluster = Scope::GpCluster(7);
        let codes = covered(&cluster, rx, &[], &practices).expect("covered");
        assert_eq!(codes, [1, 2, ALL_PRACTICES]);
        assert_eq!(named(&cluster, rx, &codes, &practices), codes);
        let aarhus = Scope::Municipality(751);
        assert_eq!(
            covered(&aarhus, rx, &[], &practices).as_deref(),
            Some(&[1, 3, 4, ALL_PRACTICES][..])
        );
        // The detail tile: the practice and its cluster summed, not the
        // country; a practice in no cluster has only its own.
        let detail = TileFamilyId::PrescriptionDetail;
        assert_eq!(
            covered(&own, detail, &[], &practices).as_deref(),
            Some(&[1, CLUSTER_PRACTICES][..])
        );
        assert_eq!(
            covered(&alone, detail, &[], &practices).as_deref(),
            Some(&[4][..])
        );
        assert_eq!(
            covered(&cluster, detail, &[], &practices).as_deref(),
            Some(&[1, 2][..])
        );
        assert_eq!(
            covered(&aarhus, detail, &[], &practices).as_deref(),
            Some(&[1, 3, 4][..])
        );
        // The public face by municipality is cut by municipality.
        let geo = TileFamilyId::PrescriptionsGeo;
        assert_eq!(covered(&own, geo, &[], &practices), None);
        assert_eq!(
            covered(&aarhus, geo, &[], &practices).as_deref(),
            Some(&[751][..])
        );
    }

    #[test]
    fn a_practice_detail_tile_holds_its_own_rows_and_its_cluster_summed() {
        let practices = [
            practice(1, 751, 7),
            practice(2, 746, 7),
            practice(3, 751, 8),
        ];
        // (practice, medicine, patients, packages, DDD) in 2024, opioids,
        // consumption 1, treatment 1, every size, age band 14, women.
        let rows = [
            (1, 0, 5, 9, 100),
            (1, 7, 2, 3, 40),
            (2, 0, 4, 4, 60),
            (2, 9, 1, 1, 10),
            (3, 0, 50, 90, 900),
        ];
        let mut keys = vec![Vec::new(); 9];
        let mut values = vec![Vec::new(); 3];
        for (practice, medicine, patients, packages, ddd) in rows {
            for (k, v) in keys
                .iter_mut()
                .zip([2024, practice, 1, medicine, 1, 1, 0, 14, 2])
            {
                k.push(v);
            }
            for (column, v) in values.iter_mut().zip([patients, packages, ddd]) {
                column.push(v);
            }
        }
        let cube = Cube::new(TileFamilyId::PrescriptionDetail, keys, values).expect("cube");
        let tiles: Vec<ClosedCube> = cut(std::slice::from_ref(&cube), &[], &practices)
            .filter(|c| c.scope == Scope::GpPractice("000001".into()))
            .collect();
        assert_eq!(tiles.len(), 1);
        let tile = &tiles[0];
        assert_eq!(tile.codes, [1, CLUSTER_PRACTICES]);
        assert_eq!(tile.named, [1]);
        let column = |q| tile.cube.quantity_column(q).expect("column").to_vec();
        let practice_column = tile.cube.key_column(DimensionId::Practice).expect("key");
        let medicine_column = tile.cube.key_column(DimensionId::Medicine).expect("key");
        let found: Vec<(u16, u16, u64, u64, u64)> = (0..tile.cube.rows())
            .map(|r| {
                (
                    practice_column[r],
                    medicine_column[r],
                    column(shared::QuantityId::RxPatients)[r],
                    column(shared::QuantityId::RxPackages)[r],
                    column(shared::QuantityId::RxDdd)[r],
                )
            })
            .collect();
        // Its own rows, then the cluster's (1 and 2, not 3) per key.
        assert_eq!(
            found,
            [
                (1, 0, 5, 9, 100),
                (1, 7, 2, 3, 40),
                (CLUSTER_PRACTICES, 0, 9, 13, 160),
                (CLUSTER_PRACTICES, 7, 2, 3, 40),
                (CLUSTER_PRACTICES, 9, 1, 1, 10),
            ]
        );
    }
}
