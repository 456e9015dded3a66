//! The synthetic population: deterministic register extracts of all
//! twelve registers, in exactly the formats the ingestion accepts.
//!
//! No real person-level data exists in this project. The generator draws
//! a world (municipalities with their own levels of disease and care, GP
//! practices in clusters, specialist practices, hospitals and their units,
//! nursing homes), then persons one at a time, each from its own random
//! stream: residents on the first day of the period, births and
//! immigrants. Every person's life over the period (moves, nursing home,
//! death or emigration, chronic disease) and its events (GP and
//! specialist contacts, hospital contacts, prescriptions, clinical data,
//! municipal care) are written as they are drawn, so memory stays small
//! at any size. Rates depend on age, sex, chronic disease, a personal
//! propensity and the municipality; public national totals are
//! reproduced at full size (see [`report`]). The same options always give
//! byte-identical files.

mod broken;
mod day;
mod events;
mod person;
mod rates;
mod report;
mod rng;
mod table;
mod world;

use std::collections::HashSet;
use std::path::PathBuf;

use shared::register::RegisterId;

pub use report::Metric;
pub use table::Format;

use events::Writer;
use person::{Origin, Setting};
use rng::Rng;
use table::{Tables, Val};
use world::World;

/// What to generate.
#[derive(Clone, Debug)]
pub struct Options {
    /// Persons resident on the first day of the period.
    pub persons: u64,
    /// First calendar year of the period.
    pub first_year: i32,
    /// Last calendar year of the period (inclusive).
    pub last_year: i32,
    /// Random seed.
    pub seed: u64,
    /// Output folder.
    pub out: PathBuf,
    /// CSV or Arrow IPC streams.
    pub format: Format,
    /// Also write deliberately broken files and `broken.json`.
    pub broken: bool,
}

impl Options {
    /// Options for `persons` persons in one `year`, as CSV.
    pub fn new(persons: u64, year: i32, seed: u64, out: PathBuf) -> Options {
        Options {
            persons,
            first_year: year,
            last_year: year,
            seed,
            out,
            format: Format::Csv,
            broken: false,
        }
    }
}

/// Parses `2019..2024` (inclusive) or a single year `2024`.
pub fn parse_years(text: &str) -> Result<(i32, i32), String> {
    let year = |s: &str| {
        s.trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (1900..=2100).contains(y))
            .ok_or_else(|| format!("not a year: {s:?}"))
    };
    let (a, b) = match text.split_once("..") {
        Some((a, b)) => (year(a)?, year(b.trim_start_matches('='))?),
        None => {
            let y = year(text)?;
            (y, y)
        }
    };
    if b < a {
        return Err(format!("the years {text:?} run backwards"));
    }
    Ok((a, b))
}

/// [`parse_years`] for years that are over by `today`: a year still
/// running would have events after today, which ingestion refuses.
pub fn parse_past_years(text: &str, today: chrono::NaiveDate) -> Result<(i32, i32), String> {
    let (a, b) = parse_years(text)?;
    let running = chrono::Datelike::year(&today);
    if b >= running {
        return Err(format!(
            "the year {b} is not over yet: its events would fall after today, which \
             ingestion refuses; use years up to {}",
            running - 1
        ));
    }
    Ok((a, b))
}

/// [`parse_past_years`] as of today, for the command line.
pub fn parse_years_until_today(text: &str) -> Result<(i32, i32), String> {
    parse_past_years(text, chrono::Utc::now().date_naive())
}

/// What was written.
#[derive(Clone, Debug)]
pub struct Generated {
    /// Persons resident on the first day.
    pub persons: u64,
    /// Persons written, with those born or immigrated in the period.
    pub persons_written: u64,
    /// Rows written per register, in ingestion order.
    pub rows: Vec<(RegisterId, u64)>,
    /// The extracts, in ingestion order.
    pub files: Vec<PathBuf>,
    /// The calibration report for the last year.
    pub metrics: Vec<Metric>,
    /// The broken files (with `--broken`), and `broken.json`.
    pub broken: Vec<PathBuf>,
}

impl Generated {
    /// Rows written for `register`.
    pub fn rows(&self, register: RegisterId) -> u64 {
        self.rows
            .iter()
            .find(|(r, _)| *r == register)
            .map_or(0, |(_, n)| *n)
    }

    /// The calibration report as a text table.
    pub fn report(&self) -> String {
        report::table(&self.metrics)
    }
}

/// Writes the twelve extracts into `options.out`, reporting progress in
/// percent to `progress`.
pub fn generate(options: &Options, mut progress: impl FnMut(u8)) -> std::io::Result<Generated> {
    if options.last_year < options.first_year {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the last year comes before the first",
        ));
    }
    std::fs::create_dir_all(&options.out)?;
    let start = day::new_year(options.first_year);
    let end = day::new_year(options.last_year + 1);
    let world = World::new(
        options.persons,
        start,
        &mut Rng::stream(options.seed, u64::MAX),
    );
    let curves = rates::Curves::new();
    let setting = Setting::new(&world, &curves, start, end);
    let mut tables = Tables::create(&options.out, options.format)?;
    write_world(&mut tables, &world)?;

    // Who: residents on the first day, then each year's births and
    // immigrants.
    let mut origins = vec![(options.persons, Origin::Initial)];
    for year in options.first_year..=options.last_year {
        let n = options.persons as f64;
        origins.push(((n * rates::BIRTH_RATE).round() as u64, Origin::Born(year)));
        origins.push((
            (n * rates::IMMIGRATION_RATE).round() as u64,
            Origin::Immigrated(year),
        ));
    }
    let total: u64 = origins.iter().map(|o| o.0).sum();
    let mut used = HashSet::with_capacity(total as usize);
    let mut writer = Writer::new(tables, &world, start, end);
    let mut index = 0u64;
    let mut last_percent = 0;
    for (count, origin) in origins {
        for _ in 0..count {
            let mut rng = Rng::stream(options.seed, index);
            let life = setting.life(origin, &mut rng, &mut used);
            writer.person(&life, &mut rng)?;
            index += 1;
            let percent = (index * 100 / total.max(1)) as u8;
            if percent >= last_percent + 10 {
                last_percent = percent;
                progress(percent);
            }
        }
    }
    let tally = writer.tally.clone();
    let written = writer.tables.finish()?;
    let metrics = report::metrics(&tally, options.persons, options.last_year);
    let broken = if options.broken {
        broken::write(&options.out, &written, &world, options.format)?
    } else {
        Vec::new()
    };
    Ok(Generated {
        persons: options.persons,
        persons_written: total,
        rows: written.iter().map(|w| (w.register.id, w.rows)).collect(),
        files: written.iter().map(|w| w.path.clone()).collect(),
        metrics,
        broken,
    })
}

/// SOR, YDR and nursing homes.
fn write_world(tables: &mut Tables, world: &World) -> std::io::Result<()> {
    for h in &world.hospitals {
        let id = h.sor.to_string();
        tables.write(
            RegisterId::Sor,
            &[
                Val::Text(&id),
                Val::Text(&h.name),
                Val::Text("institution"),
                Val::Text(&id),
                Val::Region(h.region),
                Val::Muni(h.municipality),
                Val::Null,
                Val::Null,
            ],
        )?;
        for u in &h.units {
            let unit = u.sor.to_string();
            tables.write(
                RegisterId::Sor,
                &[
                    Val::Text(&unit),
                    Val::Text(&u.name),
                    Val::Text("unit"),
                    Val::Text(&id),
                    Val::Region(h.region),
                    Val::Muni(h.municipality),
                    Val::Text(u.department),
                    Val::Text(u.specialty),
                ],
            )?;
        }
    }
    for p in &world.providers {
        let number = format!("{:06}", p.number);
        tables.write(
            RegisterId::Ydr,
            &[
                Val::Text(&number),
                Val::Text(&p.name),
                Val::Text(if p.general {
                    "general_practice"
                } else {
                    "specialist_practice"
                }),
                Val::Text(p.specialty),
                Val::Muni(world.places[p.place].municipality.code),
                p.cluster.map_or(Val::Null, |c| Val::Int(i64::from(c))),
                Val::Date(p.valid_from),
                p.valid_to.map_or(Val::Null, Val::Date),
            ],
        )?;
    }
    for h in &world.nursing_homes {
        for (k, address) in h.addresses.iter().enumerate() {
            let name = if h.addresses.len() > 1 {
                format!("{}, afsnit {}", h.name, k + 1)
            } else {
                h.name.clone()
            };
            tables.write(
                RegisterId::NursingHomes,
                &[
                    Val::Text(address),
                    Val::Muni(world.places[h.place].municipality.code),
                    Val::Text(&name),
                    Val::Date(h.valid_from),
                    Val::Null,
                ],
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
