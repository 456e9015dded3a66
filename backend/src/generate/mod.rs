//! The synthetic population: deterministic register extracts in exactly
//! the formats the ingestion accepts.
//!
//! No real person-level data exists in this project. The generator draws a
//! population from the real geography (98 municipalities in 5 regions,
//! region sizes from the public 2024 figures) and a Danish-looking age and
//! sex structure, then GP contacts with rates that depend on age, sex and a
//! per-municipality factor, so dashboards show real-looking variation. The
//! same seed always gives byte-identical files.

mod rng;

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};
use shared::geography::{Municipality, MUNICIPALITIES};
use shared::register::GpContactType;
use shared::{AgeBand, Sex};

use rng::{Rng, WeightedIndex};

/// What to generate.
#[derive(Clone, Debug)]
pub struct Options {
    /// Number of persons.
    pub persons: u64,
    /// The calendar year of the GP contacts.
    pub year: i32,
    /// Random seed.
    pub seed: u64,
    /// Output folder.
    pub out: PathBuf,
}

/// What was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generated {
    /// Persons written to `cpr.csv`.
    pub persons: u64,
    /// Contacts written to `ssr.csv`.
    pub gp_contacts: u64,
    /// The files.
    pub files: Vec<PathBuf>,
}

/// Region populations on 1 January 2024 (Statistics Denmark, as listed in
/// the project's calibration file): the generator's region weights.
const REGION_POPULATION: &[(u16, f64)] = &[
    (1081, 593_135.0),
    (1082, 1_365_688.0),
    (1083, 1_238_406.0),
    (1084, 1_911_067.0),
    (1085, 852_953.0),
];

/// Approximate populations (thousands) of the largest and the smallest
/// municipalities, so sizes vary as they do in Denmark. Others get a
/// typical size; region totals are then scaled to the figures above. These
/// are rounded weights for a synthetic population, not an official table.
const MUNICIPALITY_SIZE: &[(u16, f64)] = &[
    (101, 660.0),
    (751, 367.0),
    (851, 222.0),
    (461, 207.0),
    (630, 121.0),
    (561, 116.0),
    (147, 105.0),
    (730, 99.0),
    (791, 98.0),
    (740, 100.0),
    (621, 95.0),
    (615, 98.0),
    (657, 90.0),
    (265, 91.0),
    (370, 84.0),
    (330, 80.0),
    (157, 75.0),
    (540, 74.0),
    (316, 73.0),
    (159, 70.0),
    (860, 64.0),
    (217, 63.0),
    (259, 62.0),
    (376, 60.0),
    (813, 58.0),
    (479, 59.0),
    (173, 56.0),
    (400, 39.0),
    (492, 6.0),
    (741, 3.7),
    (563, 3.5),
    (825, 1.8),
];
const TYPICAL_MUNICIPALITY_SIZE: f64 = 40.0;

/// Share of the population by five-year age band (0–4 … 85+), roughly the
/// Danish structure of the 2020s.
const AGE_STRUCTURE: [f64; 18] = [
    5.4, 5.6, 5.9, 6.0, 6.5, 6.9, 6.5, 6.0, 6.0, 6.6, 7.0, 6.7, 6.0, 5.4, 5.3, 4.4, 2.7, 2.3,
];

/// Yearly GP contacts (all types) per person by age band, (men, women).
const GP_RATE: [(f64, f64); 18] = [
    (8.0, 7.5),
    (3.5, 3.5),
    (3.5, 3.8),
    (3.5, 6.0),
    (3.5, 7.5),
    (4.0, 8.5),
    (4.2, 8.5),
    (4.5, 8.0),
    (4.8, 7.8),
    (5.5, 8.0),
    (6.0, 8.2),
    (7.0, 9.0),
    (8.0, 9.5),
    (9.5, 10.5),
    (10.5, 11.5),
    (12.5, 13.5),
    (14.0, 15.0),
    (15.0, 16.0),
];

/// Mix of contact types (consultation, phone, e-mail, video, other
/// in-person, home visit) for persons under 80; home visits are five times
/// as common from 80 on.
const CONTACT_MIX: [f64; 6] = [44.0, 32.0, 22.5, 0.7, 0.3, 0.5];

/// Persons per practice, for numbering practices.
const PERSONS_PER_PRACTICE: f64 = 2800.0;

struct Place {
    municipality: &'static Municipality,
    practices: u32,
    gp_factor: f64,
}

/// Writes `cpr.csv` and `ssr.csv` into `options.out`, reporting progress
/// in percent to `progress`.
pub fn generate(options: &Options, mut progress: impl FnMut(u8)) -> std::io::Result<Generated> {
    std::fs::create_dir_all(&options.out)?;
    let mut rng = Rng::new(options.seed);
    let places = places(options.persons, &mut rng);
    let municipality_index = WeightedIndex::new(places.iter().map(|p| p.1));
    let age_index = WeightedIndex::new(AGE_STRUCTURE.iter().copied());
    let mut home_visit_mix = CONTACT_MIX;
    home_visit_mix[5] *= 5.0;
    let contact_index = [
        WeightedIndex::new(CONTACT_MIX),
        WeightedIndex::new(home_visit_mix),
    ];

    let cpr_path = options.out.join("cpr.csv");
    let ssr_path = options.out.join("ssr.csv");
    let mut cpr = BufWriter::new(File::create(&cpr_path)?);
    let mut ssr = BufWriter::new(File::create(&ssr_path)?);
    writeln!(cpr, "cpr,birth_date,sex,municipality")?;
    writeln!(ssr, "cpr,contact_date,provider_number,contact_type")?;

    let year_start = NaiveDate::from_ymd_opt(options.year, 1, 1).expect("valid year");
    let days_in_year = if NaiveDate::from_ymd_opt(options.year, 2, 29).is_some() {
        366
    } else {
        365
    };
    let mut used_cpr = HashSet::with_capacity(options.persons as usize);
    let mut gp_contacts = 0u64;
    let mut last_percent = 0;
    for n in 0..options.persons {
        let place = &places[municipality_index.sample(&mut rng)].0;
        let band = age_index.sample(&mut rng);
        let age = if band == 17 {
            85 + rng.below(15) as i32
        } else {
            band as i32 * 5 + rng.below(5) as i32
        };
        let female_share = match age {
            0..=59 => 0.49,
            60..=79 => 0.52,
            _ => 0.62,
        };
        let sex = if rng.unit() < female_share {
            Sex::Female
        } else {
            Sex::Male
        };
        let birth_year = options.year - age;
        let birth_date = NaiveDate::from_yo_opt(birth_year, 1).expect("valid year")
            + chrono::Days::new(rng.below(365));
        let cpr_number = unique_cpr(&mut rng, birth_date, sex, &mut used_cpr);
        writeln!(
            cpr,
            "{cpr_number},{birth_date},{},{:03}",
            sex.letter(),
            place.municipality.code
        )?;

        let band = AgeBand::from_age(age as u32).index() as usize;
        let (men, women) = GP_RATE[band];
        let rate = if sex == Sex::Female { women } else { men } * place.gp_factor;
        let practice = 1 + rng.below(u64::from(place.practices));
        let provider = format!("{:03}{practice:03}", place.municipality.code);
        let mix = &contact_index[usize::from(age >= 80)];
        for _ in 0..rng.poisson(rate) {
            let date = year_start + chrono::Days::new(rng.below(days_in_year));
            let kind = GpContactType::ALL[mix.sample(&mut rng)];
            writeln!(ssr, "{cpr_number},{date},{provider},{}", kind.code())?;
            gp_contacts += 1;
        }
        let percent = ((n + 1) * 100 / options.persons.max(1)) as u8;
        if percent >= last_percent + 10 {
            last_percent = percent;
            progress(percent);
        }
    }
    cpr.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    ssr.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    Ok(Generated {
        persons: options.persons,
        gp_contacts,
        files: vec![cpr_path, ssr_path],
    })
}

/// Every municipality with its sampling weight, number of practices and
/// GP-contact factor.
fn places(persons: u64, rng: &mut Rng) -> Vec<(Place, f64)> {
    let size = |m: &Municipality| {
        MUNICIPALITY_SIZE
            .iter()
            .find(|(code, _)| *code == m.code)
            .map_or(TYPICAL_MUNICIPALITY_SIZE, |(_, s)| *s)
    };
    let national: f64 = REGION_POPULATION.iter().map(|(_, p)| p).sum();
    MUNICIPALITIES
        .iter()
        .map(|m| {
            let region_size: f64 = MUNICIPALITIES
                .iter()
                .filter(|o| o.region == m.region)
                .map(size)
                .sum();
            let region_population = REGION_POPULATION
                .iter()
                .find(|(code, _)| *code == m.region)
                .map_or(0.0, |(_, p)| *p);
            let weight = region_population / national * size(m) / region_size;
            let expected_persons = weight * persons as f64;
            let practices = (expected_persons / PERSONS_PER_PRACTICE)
                .ceil()
                .clamp(1.0, 999.0) as u32;
            let gp_factor = 0.85 + 0.3 * rng.unit();
            (
                Place {
                    municipality: m,
                    practices,
                    gp_factor,
                },
                weight,
            )
        })
        .collect()
}

/// A CPR number for `birth_date` and `sex` not used before: DDMMYY, a
/// century digit, two digits, and a last digit that is even for women.
fn unique_cpr(rng: &mut Rng, birth_date: NaiveDate, sex: Sex, used: &mut HashSet<u64>) -> String {
    let century_digits: &[u64] = match birth_date.year() {
        1858..=1899 => &[5, 6, 7, 8],
        1900..=1936 => &[0, 1, 2, 3],
        1937..=1999 => &[0, 1, 2, 3, 4, 9],
        _ => &[4, 5, 6, 7, 8, 9],
    };
    let date_part = u64::from(birth_date.day()) * 10_000
        + u64::from(birth_date.month()) * 100
        + (birth_date.year() % 100) as u64;
    loop {
        let century = century_digits[rng.below(century_digits.len() as u64) as usize];
        let middle = rng.below(100);
        let last = rng.below(5) * 2 + u64::from(sex == Sex::Male);
        let number = date_part * 10_000 + century * 1000 + middle * 10 + last;
        if used.insert(number) {
            return format!("{number:010}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn generate_into(dir: &Path, seed: u64) -> Generated {
        let options = Options {
            persons: 2000,
            year: 2024,
            seed,
            out: dir.to_path_buf(),
        };
        generate(&options, |_| {}).expect("generates")
    }

    #[test]
    fn same_seed_gives_identical_files() {
        let a = tempfile::tempdir().expect("tempdir");
        let b = tempfile::tempdir().expect("tempdir");
        let c = tempfile::tempdir().expect("tempdir");
        generate_into(a.path(), 7);
        generate_into(b.path(), 7);
        generate_into(c.path(), 8);
        for file in ["cpr.csv", "ssr.csv"] {
            let read = |d: &tempfile::TempDir| std::fs::read(d.path().join(file)).expect("read");
            assert_eq!(read(&a), read(&b), "{file}");
            assert_ne!(read(&a), read(&c), "{file}");
        }
    }

    #[test]
    fn output_has_the_requested_size_and_plausible_rates() {
        let dir = tempfile::tempdir().expect("tempdir");
        let generated = generate_into(dir.path(), 1);
        let cpr = std::fs::read_to_string(dir.path().join("cpr.csv")).expect("cpr");
        let ssr = std::fs::read_to_string(dir.path().join("ssr.csv")).expect("ssr");
        assert_eq!(cpr.lines().count() as u64, generated.persons + 1);
        assert_eq!(ssr.lines().count() as u64, generated.gp_contacts + 1);
        // Denmark has about 7 GP contacts per citizen a year.
        let per_person = generated.gp_contacts as f64 / generated.persons as f64;
        assert!((5.5..8.5).contains(&per_person), "{per_person}");
    }
}
