//! Danish geography: regions, municipalities and health clusters.
//!
//! The table is generated at build time from
//! `shared/data/kommuner_regioner_sundhedsklynger.csv` (see the attribution
//! file beside it), so the browser gets it with no parsing.

/// One of the five regions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    /// Region code, 1081–1085.
    pub code: u16,
    /// Full name, e.g. "Region Hovedstaden".
    pub name: &'static str,
    /// Name without the "Region " prefix, for chart axes.
    pub short_name: &'static str,
}

/// A health cluster (sundhedsklynge).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HealthCluster {
    /// Our own stable id, 1-based.
    pub id: u8,
    /// Descriptive name (our label, not an official one).
    pub name: &'static str,
}

/// One of the 98 municipalities.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Municipality {
    /// Three-digit municipality code (e.g. 101 København).
    pub code: u16,
    /// Name.
    pub name: &'static str,
    /// Code of the region it belongs to.
    pub region: u16,
    /// Id of its health cluster.
    pub health_cluster: u8,
}

include!(concat!(env!("OUT_DIR"), "/geography_table.rs"));

/// Codes below which every municipality code lies.
const CODES: usize = 1000;

/// Per code below [`CODES`]: one more than the place of its municipality
/// in [`MUNICIPALITIES`], or 0. A register's every row names a
/// municipality: one load, where a binary search of the 98 took a few
/// mispredicted branches (almost 2 % of a CPR extract's ingestion).
const MUNICIPALITY_AT: [u8; CODES] = {
    let mut at = [0u8; CODES];
    let mut i = 0;
    while i < MUNICIPALITIES.len() {
        let code = MUNICIPALITIES[i].code as usize;
        assert!(code < CODES && i < u8::MAX as usize);
        at[code] = (i + 1) as u8;
        i += 1;
    }
    at
};

/// The municipality with `code`, if it is one of the 98.
pub fn municipality(code: u16) -> Option<&'static Municipality> {
    municipality_index(code).map(|i| &MUNICIPALITIES[i])
}

/// The place of the municipality with `code` in [`MUNICIPALITIES`], if it
/// is one of the 98.
pub fn municipality_index(code: u16) -> Option<usize> {
    match MUNICIPALITY_AT.get(usize::from(code)) {
        Some(&at) if at > 0 => Some(usize::from(at) - 1),
        _ => None,
    }
}

/// The region with `code`.
pub fn region(code: u16) -> Option<&'static Region> {
    REGIONS.iter().find(|r| r.code == code)
}

/// Code of the region a municipality belongs to.
pub fn region_of(municipality_code: u16) -> Option<u16> {
    municipality(municipality_code).map(|m| m.region)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_98_municipalities_in_5_regions() {
        assert_eq!(MUNICIPALITIES.len(), 98);
        assert_eq!(REGIONS.len(), 5);
        let codes: Vec<u16> = REGIONS.iter().map(|r| r.code).collect();
        assert_eq!(codes, vec![1081, 1082, 1083, 1084, 1085]);
        assert!(MUNICIPALITIES.iter().all(|m| region(m.region).is_some()));
    }

    #[test]
    fn every_code_finds_its_own_municipality_and_no_other_code_one() {
        let found: Vec<u16> = (0..=u16::MAX)
            .filter(|code| municipality(*code).is_some_and(|m| m.code == *code))
            .collect();
        let mut codes: Vec<u16> = MUNICIPALITIES.iter().map(|m| m.code).collect();
        codes.sort_unstable();
        assert_eq!(found, codes);
        assert_eq!(
            (0..=u16::MAX)
                .filter(|c| municipality(*c).is_some())
                .count(),
            98
        );
    }

    #[test]
    fn christianso_is_not_a_municipality() {
        assert!(municipality(411).is_none());
    }

    #[test]
    fn looks_up_by_code() {
        let cph = municipality(101).expect("København");
        assert_eq!(cph.name, "København");
        assert_eq!(region_of(101), Some(1084));
        assert_eq!(region_of(851), Some(1081)); // Aalborg
        assert!(region(1085).expect("Sjælland").name.contains("Sjælland"));
    }

    #[test]
    fn every_municipality_has_a_health_cluster() {
        assert!(HEALTH_CLUSTERS.len() >= 20);
        for m in MUNICIPALITIES {
            let c = HEALTH_CLUSTERS.iter().find(|c| c.id == m.health_cluster);
            assert!(c.is_some_and(|c| !c.name.is_empty()), "{}", m.name);
        }
    }
}
