//! Closed tiles: the exact cubes cut per scope (see `docs/access.md`).
//!
//! Each scope gets its own tiles, holding only the rows of its own
//! municipalities, hospitals or practices: nothing outside a caller's
//! scope is ever in a tile the caller can read. A tile names its scope and
//! the codes it covers in its metadata, so its id is its own.

use std::collections::BTreeSet;

use shared::cube::Cube;
use shared::dimension::{DimensionId, REGION_SJAELLAND, SJAELLAND_AS_ONE};
use shared::geography;
use shared::tile::{HospitalCode, PracticeCode, META_SCOPE, META_SCOPE_CODES};

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

/// The codes of `dimension` that `scope` covers; `None` when the scope has
/// no tiles of a family cut by it.
fn covered(
    scope: &Scope,
    dimension: DimensionId,
    hospitals: &[HospitalCode],
    practices: &[PracticeCode],
) -> Option<Vec<u16>> {
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
        (DimensionId::Practice, _) => practices
            .iter()
            .filter(|p| match scope {
                Scope::GpCluster(k) => p.gp_cluster == *k,
                Scope::GpPractice(number) => p.provider_number == *number,
                _ => scope.has_municipality(p.municipality),
            })
            .map(|p| p.code)
            .collect(),
        _ => return None,
    };
    let mut codes = codes;
    codes.sort_unstable();
    codes.dedup();
    (!codes.is_empty()).then_some(codes)
}

/// The closed tiles of every scope, cut from the exact cubes.
pub fn cut(
    exact: &[Cube],
    hospitals: &[HospitalCode],
    practices: &[PracticeCode],
) -> Vec<ClosedCube> {
    let mut closed = Vec::new();
    for scope in scopes(practices) {
        for cube in exact {
            let dimension = cube.family().def().dimension;
            let Some(codes) = covered(&scope, dimension, hospitals, practices) else {
                continue;
            };
            let Some(rows) = cube.retain(dimension, |c| codes.binary_search(&c).is_ok()) else {
                continue;
            };
            closed.push(ClosedCube {
                metadata: vec![
                    (META_SCOPE, scope.to_string()),
                    (
                        META_SCOPE_CODES,
                        serde_json::to_string(&codes).expect("codes serialise"),
                    ),
                ],
                scope: scope.clone(),
                cube: rows,
                codes,
            });
        }
    }
    closed
}
