//! Turns the geography CSV into a `const` table, so the catalogue carries
//! the 98 municipalities, 5 regions and the health clusters with no parsing
//! at run time (and none in the browser).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

const SOURCE: &str = "data/kommuner_regioner_sundhedsklynger.csv";

fn main() {
    println!("cargo:rerun-if-changed={SOURCE}");
    let text = std::fs::read_to_string(SOURCE).unwrap_or_else(|e| panic!("{SOURCE}: {e}"));
    let mut lines = text.lines().enumerate();
    let (_, header) = lines.next().expect("geography CSV has a header");
    let header = split_csv_line(header);
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{SOURCE}: missing column {name}"))
    };
    let (c_code, c_name, c_region, c_region_name, c_cluster, c_is_muni) = (
        col("komkode"),
        col("kommune"),
        col("regionskode"),
        col("region"),
        col("sundhedsklynge"),
        col("er_kommune"),
    );

    let mut regions: BTreeMap<u16, String> = BTreeMap::new();
    let mut clusters: Vec<String> = Vec::new();
    let mut municipalities = Vec::new();
    for (index, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let f = split_csv_line(line);
        let at = |c: usize| {
            f.get(c)
                .unwrap_or_else(|| panic!("{SOURCE}:{}: too few fields", index + 1))
                .as_str()
        };
        if at(c_is_muni) != "ja" {
            continue;
        }
        let code: u16 = at(c_code).parse().expect("numeric municipality code");
        let region: u16 = at(c_region).parse().expect("numeric region code");
        regions.insert(region, at(c_region_name).to_string());
        let cluster_name = at(c_cluster).to_string();
        let cluster = match clusters.iter().position(|c| *c == cluster_name) {
            Some(i) => i,
            None => {
                clusters.push(cluster_name);
                clusters.len() - 1
            }
        };
        municipalities.push((code, at(c_name).to_string(), region, cluster + 1));
    }
    municipalities.sort_by_key(|m| m.0);

    let mut out = String::new();
    out.push_str("/// Regions of Denmark, by code.\npub const REGIONS: &[Region] = &[\n");
    for (code, name) in &regions {
        let short = name.trim_start_matches("Region ");
        writeln!(
            out,
            "    Region {{ code: {code}, name: {name:?}, short_name: {short:?} }},"
        )
        .unwrap();
    }
    out.push_str("];\n\n/// Health clusters (sundhedsklynger), one per acute hospital's catchment.\npub const HEALTH_CLUSTERS: &[HealthCluster] = &[\n");
    for (i, name) in clusters.iter().enumerate() {
        writeln!(
            out,
            "    HealthCluster {{ id: {}, name: {name:?} }},",
            i + 1
        )
        .unwrap();
    }
    out.push_str("];\n\n/// The 98 municipalities, sorted by code.\npub const MUNICIPALITIES: &[Municipality] = &[\n");
    for (code, name, region, cluster) in &municipalities {
        writeln!(
            out,
            "    Municipality {{ code: {code}, name: {name:?}, region: {region}, health_cluster: {cluster} }},"
        )
        .unwrap();
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("geography_table.rs");
    std::fs::write(dest, out).expect("write geography table");
}

/// Splits one CSV line, honouring double quotes (the source quotes fields
/// that contain commas).
fn split_csv_line(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}
