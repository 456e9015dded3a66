//! Closed tiles: the exact cubes cut per scope (see `docs/access.md`).
//!
//! Each scope gets its own tiles, holding only the rows of its own
//! municipalities, hospitals or practices: nothing outside a caller's
//! scope is ever in a tile the caller can read. A tile names its scope and
//! the codes it covers in its metadata, so its id is its own.

use std::collections::BTreeSet;

use shared::cube::Cube;
use shared::dimension::{DimensionId, ALL_PRACTICES, REGION_SJAELLAND, SJAELLAND_AS_ONE};
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
/// a practice's tile holds every practice of its GP cluster, to compare
/// with (named only its own, see [`named`]); and every scope's
/// `prescriptions` tile holds the whole country ([`ALL_PRACTICES`]), its
/// national reference (the detail tile has no country rows: the pages
/// break down a practice or a cluster only).
fn covered(
    scope: &Scope,
    family: TileFamilyId,
    hospitals: &[HospitalCode],
    practices: &[PracticeCode],
) -> Option<Vec<u16>> {
    let dimension = family.def().dimension;
    let prescriptions = compares_in_cluster(family);
    // A practice's own GP cluster, looked up once (not per practice).
    let own_cluster = match scope {
        Scope::GpPractice(number) if prescriptions => practices
            .iter()
            .find(|p| p.provider_number == *number)
            .map(|p| p.gp_cluster)
            .filter(|&k| k != 0),
        _ => None,
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
        (DimensionId::Practice, _) => practices
            .iter()
            .filter(|p| match scope {
                Scope::GpCluster(k) => p.gp_cluster == *k,
                Scope::GpPractice(number) => {
                    p.provider_number == *number || own_cluster == Some(p.gp_cluster)
                }
                _ => scope.has_municipality(p.municipality),
            })
            .map(|p| p.code)
            .chain((family == TileFamilyId::Prescriptions).then_some(ALL_PRACTICES))
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
pub fn cut<'a>(
    exact: &'a [Cube],
    hospitals: &'a [HospitalCode],
    practices: &'a [PracticeCode],
) -> impl Iterator<Item = ClosedCube> + 'a {
    scopes(practices).into_iter().flat_map(move |scope| {
        exact.iter().filter_map(move |cube| {
            let family = cube.family();
            let dimension = family.def().dimension;
            let codes = covered(&scope, family, hospitals, practices)?;
            let rows = cube.retain(dimension, |c| codes.binary_search(&c).is_ok())?;
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
        // The detail tile: the same practices, not the country.
        let detail = TileFamilyId::PrescriptionDetail;
        assert_eq!(
            covered(&own, detail, &[], &practices).as_deref(),
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
}
