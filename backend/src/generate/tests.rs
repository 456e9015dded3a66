//! The generator's files pass the catalogue: headers, row counts, keys,
//! references, codes, shapes, ranges and row rules, checked generically.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use shared::geography;
use shared::register::{ColumnType, RegisterId, RowRule, REGISTERS};

use super::day;
use super::*;

fn options(dir: &Path, persons: u64, years: (i32, i32), seed: u64) -> Options {
    Options {
        persons,
        first_year: years.0,
        last_year: years.1,
        seed,
        out: dir.to_path_buf(),
        format: Format::Csv,
        broken: false,
    }
}

fn generate_into(dir: &Path, persons: u64, years: (i32, i32), seed: u64) -> Generated {
    generate(&options(dir, persons, years, seed), |_| {}).expect("generates")
}

/// Every file as header and rows of fields.
fn read_all(dir: &Path) -> HashMap<RegisterId, (Vec<String>, Vec<Vec<String>>)> {
    REGISTERS
        .iter()
        .map(|r| {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(true)
                .from_path(dir.join(format!("{}.csv", r.key)))
                .expect("file exists");
            let header = reader
                .headers()
                .expect("header")
                .iter()
                .map(String::from)
                .collect();
            let rows = reader
                .records()
                .map(|rec| rec.expect("record").iter().map(String::from).collect())
                .collect();
            (r.id, (header, rows))
        })
        .collect()
}

#[test]
fn same_seed_gives_identical_files() {
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    let c = tempfile::tempdir().expect("tempdir");
    generate_into(a.path(), 1500, (2023, 2024), 7);
    generate_into(b.path(), 1500, (2023, 2024), 7);
    generate_into(c.path(), 1500, (2023, 2024), 8);
    for r in REGISTERS {
        let file = format!("{}.csv", r.key);
        let read = |d: &tempfile::TempDir| std::fs::read(d.path().join(&file)).expect("read");
        assert_eq!(read(&a), read(&b), "{file}");
        assert_ne!(read(&a), read(&c), "{file}");
    }
}

#[test]
fn years_parse_as_ranges_or_single_years() {
    assert_eq!(parse_years("2019..2024"), Ok((2019, 2024)));
    assert_eq!(parse_years("2019..=2024"), Ok((2019, 2024)));
    assert_eq!(parse_years("2024"), Ok((2024, 2024)));
    assert!(parse_years("2024..2019").is_err());
    assert!(parse_years("abc").is_err());
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).expect("a date");
    assert_eq!(parse_past_years("2019..2025", today), Ok((2019, 2025)));
    for running in ["2019..2026", "2026", "2027"] {
        let err = parse_past_years(running, today).expect_err(running);
        assert!(err.contains("use years up to 2025"), "{err}");
    }
}

#[test]
fn files_pass_the_catalogue() {
    let dir = tempfile::tempdir().expect("tempdir");
    let generated = generate_into(dir.path(), 4000, (2022, 2024), 3);
    let files = read_all(dir.path());
    let earliest = day::from_ymd(1850, 1, 1);
    let latest = day::new_year(2026);

    // Headers and row counts.
    for r in REGISTERS {
        let (header, rows) = &files[&r.id];
        let names: Vec<&str> = r.columns.iter().map(|c| c.name).collect();
        assert_eq!(header, &names, "{}", r.key);
        assert_eq!(rows.len() as u64, generated.rows(r.id), "{}", r.key);
        assert!(!rows.is_empty(), "{} is empty", r.key);
    }

    // Every value of every column.
    for r in REGISTERS {
        let (_, rows) = &files[&r.id];
        for (line, row) in rows.iter().enumerate() {
            assert_eq!(row.len(), r.columns.len(), "{} line {}", r.key, line + 2);
            for (c, value) in r.columns.iter().zip(row) {
                let at = format!("{}.{} = {value:?} (line {})", r.key, c.name, line + 2);
                if value.is_empty() {
                    assert!(!c.required, "{at}: required");
                    continue;
                }
                match c.kind {
                    ColumnType::Cpr => {
                        assert!(
                            value.len() == 10 && value.bytes().all(|b| b.is_ascii_digit()),
                            "{at}"
                        );
                        let (d, m) = (&value[..2], &value[2..4]);
                        assert!(day::parse_date(&format!("2000-{m}-{d}")).is_some(), "{at}");
                    }
                    ColumnType::Date => {
                        let d = day::parse_date(value).unwrap_or_else(|| panic!("{at}"));
                        assert!((earliest..latest).contains(&d), "{at}");
                    }
                    ColumnType::Timestamp => {
                        let t = day::parse_timestamp(value).unwrap_or_else(|| panic!("{at}"));
                        assert!(t / day::SECONDS_PER_DAY < i64::from(latest), "{at}");
                    }
                    ColumnType::Month => {
                        assert!(day::parse_date(&format!("{value}-01")).is_some(), "{at}");
                    }
                    ColumnType::Integer { min, max } => {
                        let v: i64 = value.parse().unwrap_or_else(|_| panic!("{at}"));
                        assert!((min..=max).contains(&v), "{at}");
                    }
                    ColumnType::Decimal { min, max } => {
                        let v: f64 = value.parse().unwrap_or_else(|_| panic!("{at}"));
                        assert!(v >= min && v <= max, "{at}");
                        assert!(!value.contains(','), "{at}");
                    }
                    ColumnType::Flag => assert!(value == "0" || value == "1", "{at}"),
                    ColumnType::Code { codes } => {
                        assert!(codes.iter().any(|k| k.code == value), "{at}");
                    }
                    ColumnType::Municipality => {
                        assert_eq!(value.len(), 3, "{at}");
                        let code: u16 = value.parse().unwrap_or_else(|_| panic!("{at}"));
                        assert!(geography::municipality(code).is_some(), "{at}");
                    }
                    ColumnType::Region => {
                        let code: u16 = value.parse().unwrap_or_else(|_| panic!("{at}"));
                        assert!(geography::region(code).is_some(), "{at}");
                    }
                    ColumnType::Shaped { shape } => assert!(shape.accepts(value), "{at}"),
                    ColumnType::Text { max_len } => {
                        assert!(value.chars().count() <= max_len, "{at}")
                    }
                }
            }
            // Row rules.
            let get = |name: &str| &row[r.position(name).expect("rule column")];
            for rule in r.rules {
                match *rule {
                    RowRule::NotBefore { later, earlier } => {
                        let (l, e) = (get(later), get(earlier));
                        if !l.is_empty() && !e.is_empty() {
                            assert!(l >= e, "{}: {later} {l} before {earlier} {e}", r.key);
                        }
                    }
                    RowRule::RequiredWhen {
                        column,
                        when,
                        codes,
                    } => {
                        if codes.contains(&get(when).as_str()) {
                            assert!(!get(column).is_empty(), "{}: {column} required", r.key);
                        }
                    }
                }
            }
        }
    }

    // Keys are unique within each file.
    for r in REGISTERS.iter().filter(|r| !r.key_columns.is_empty()) {
        let positions: Vec<usize> = r
            .key_columns
            .iter()
            .map(|k| r.position(k).expect("key"))
            .collect();
        let mut seen = HashSet::new();
        for row in &files[&r.id].1 {
            let key: Vec<&str> = positions.iter().map(|p| row[*p].as_str()).collect();
            assert!(
                seen.insert(key.join("\u{1f}")),
                "{}: duplicate key {key:?}",
                r.key
            );
        }
    }

    // References exist; hospital contacts are at units.
    for r in REGISTERS {
        for (i, c) in r.columns.iter().enumerate() {
            let Some((to, name)) = c.references else {
                continue;
            };
            let target = to.def();
            let p = target.position(name).expect("referenced column");
            let known: HashSet<&str> = files[&to].1.iter().map(|row| row[p].as_str()).collect();
            for row in &files[&r.id].1 {
                assert!(
                    row[i].is_empty() || known.contains(row[i].as_str()),
                    "{}.{}: {}",
                    r.key,
                    c.name,
                    row[i]
                );
            }
        }
    }
    let sor = RegisterId::Sor.def();
    let level = sor.position("level").expect("level");
    let units: HashSet<&str> = files[&RegisterId::Sor]
        .1
        .iter()
        .filter(|row| row[level] == "unit")
        .map(|row| row[0].as_str())
        .collect();
    let lpr_unit = RegisterId::Lpr
        .def()
        .position("sor_unit")
        .expect("sor_unit");
    assert!(files[&RegisterId::Lpr]
        .1
        .iter()
        .all(|row| units.contains(row[lpr_unit].as_str())));

    // Nursing-home addresses are where nursing-home residents live.
    let homes: HashSet<&str> = files[&RegisterId::NursingHomes]
        .1
        .iter()
        .map(|row| row[0].as_str())
        .collect();
    let address = RegisterId::Cpr
        .def()
        .position("address_id")
        .expect("address");
    let residents = files[&RegisterId::Cpr]
        .1
        .iter()
        .filter(|row| homes.contains(row[address].as_str()))
        .count();
    assert!(residents > 0);
}

#[test]
fn lives_have_births_deaths_moves_and_listings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let generated = generate_into(dir.path(), 5000, (2020, 2024), 11);
    assert!(generated.persons_written > 5000);
    let files = read_all(dir.path());
    let cpr = RegisterId::Cpr.def();
    let rows = &files[&RegisterId::Cpr].1;
    let status = cpr.position("status").expect("status");
    let status_date = cpr.position("status_date").expect("status_date");
    let valid_to = cpr.position("valid_to").expect("valid_to");
    let municipality = cpr.position("municipality").expect("municipality");
    let count = |s: &str| rows.iter().filter(|r| r[status] == s).count();
    assert!(count("90") > 100, "deaths");
    assert!(count("80") > 50, "emigrations");
    // A person's last row ends on the day of death.
    let mut last: HashMap<&str, &Vec<String>> = HashMap::new();
    for row in rows {
        last.insert(row[0].as_str(), row);
    }
    for row in last.values().filter(|r| r[status] == "90") {
        assert_eq!(row[valid_to], row[status_date]);
    }
    // Some persons moved to another municipality.
    let mut places: HashMap<&str, HashSet<&str>> = HashMap::new();
    for row in rows {
        places
            .entry(row[0].as_str())
            .or_default()
            .insert(row[municipality].as_str());
    }
    assert!(places.values().filter(|p| p.len() > 1).count() > 100);
    // Everyone but the group 2 insured (about 1.6 %) is listed with a
    // practice.
    let listed: HashSet<&str> = files[&RegisterId::PatientList]
        .1
        .iter()
        .map(|r| r[0].as_str())
        .collect();
    assert!(listed.iter().all(|p| places.contains_key(p)));
    let unlisted = (places.len() - listed.len()) as f64 / places.len() as f64;
    assert!((0.008..0.025).contains(&unlisted), "{unlisted}");
    // Rates are plausible: about 7 GP contacts per person a year.
    let per_person = generated
        .metrics
        .iter()
        .find(|m| m.name.starts_with("GP contacts"))
        .expect("gp")
        .generated
        / 5000.0;
    assert!((5.5..8.5).contains(&per_person), "{per_person}");
}

#[test]
fn arrow_streams_have_the_catalogue_schema() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut o = options(dir.path(), 1000, (2024, 2024), 5);
    o.format = Format::Arrow;
    let generated = generate(&o, |_| {}).expect("generates");
    for r in REGISTERS {
        let bytes = std::fs::read(dir.path().join(format!("{}.arrows", r.key))).expect("file");
        let reader = arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(bytes), None)
            .expect("stream");
        let names: Vec<String> = reader
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
        let expected: Vec<&str> = r.columns.iter().map(|c| c.name).collect();
        assert_eq!(names, expected, "{}", r.key);
        let rows: usize = reader.map(|b| b.expect("batch").num_rows()).sum();
        assert_eq!(rows as u64, generated.rows(r.id), "{}", r.key);
    }
}

#[test]
fn broken_files_are_listed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut o = options(dir.path(), 1000, (2024, 2024), 5);
    o.broken = true;
    let generated = generate(&o, |_| {}).expect("generates");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("broken.json")).expect("json"))
            .expect("parses");
    let files = json["files"].as_array().expect("files");
    assert!(files.len() >= 18);
    for f in files {
        let name = f["file"].as_str().expect("file name");
        assert!(dir.path().join(name).exists(), "{name}");
        assert!(RegisterId::from_key(f["register"].as_str().expect("register")).is_some());
        assert!(
            !f["errors"].as_array().expect("errors").is_empty(),
            "{name}"
        );
    }
    assert_eq!(generated.broken.len(), files.len() + 1);
}

#[test]
fn residences_never_begin_before_birth() {
    // Persons born on the first day of the period are rare: draw many.
    let start = day::new_year(2024);
    let end = day::new_year(2025);
    let world = world::World::new(20_000, start, &mut Rng::stream(1, u64::MAX));
    let curves = rates::Curves::new();
    let setting = Setting::new(&world, &curves, start, end);
    let mut used = HashSet::new();
    let mut born_on_first_day = 0;
    for i in 0..60_000 {
        let origin = if i % 10 == 0 {
            Origin::Born(2024)
        } else {
            Origin::Initial
        };
        let life = setting.life(origin, &mut Rng::stream(2, i), &mut used);
        born_on_first_day += usize::from(life.birth == start);
        let mut previous = life.birth;
        for r in &life.residences {
            assert!(
                r.from >= previous,
                "residence from {} before {}",
                r.from,
                previous
            );
            previous = r.from;
        }
        if let Some((exit, _)) = life.exit {
            assert!(exit >= previous);
        }
    }
    assert!(born_on_first_day > 0);
}
