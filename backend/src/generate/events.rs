//! Writing one person: CPR residence rows, GP listings, RUKS groups, and
//! the events of each year of the period (GP and specialist contacts,
//! hospital contacts, prescriptions, clinical data, municipal care).

use shared::drug::{drug_by_atc, DrugGroup};
use shared::register::{GpContactType, RegisterId, CARE_SERVICES};

use super::day::{self, Day, SECONDS_PER_DAY};
use super::person::Life;
use super::rates::{self, group, knots, CHRONIC, CONTACT_MIX, GP_RATE};
use super::report::Tally;
use super::rng::{Rng, WeightedIndex};
use super::table::{Tables, Val};
use super::world::{Unit, World};

/// SKS codes of the chronic groups, as secondary diagnoses.
const CHRONIC_SKS: [&str; 8] = [
    "DJ459", "DF009", "DJ449", "DM059", "DM819", "DE109", "DE119", "DF209",
];
/// ICPC-2 codes of the chronic groups, for AIM.
const CHRONIC_ICPC: [&str; 8] = ["R96", "P70", "R95", "L88", "L95", "T89", "T90", "P72"];
/// Other ICPC-2 codes seen in general practice.
const ICPC_COMMON: &[&str] = &[
    "R74", "R78", "R05", "U71", "S74", "L03", "L02", "A04", "K86", "P76", "D73", "H71", "S88",
    "A97", "T93", "P74", "N01", "F70", "D12", "L84", "K77", "S87",
];
/// Outpatient and hospital unit of each chronic group.
const CHRONIC_SPECIALTY: [&str; 8] = [
    "pulmonology",
    "geriatrics",
    "pulmonology",
    "rheumatology",
    "endocrinology",
    "endocrinology",
    "endocrinology",
    "psychiatry",
];

/// Admission diagnoses: (SKS code, specialty, weight). None of them is in
/// a preventable-admission group; those are in [`PREVENTABLE`].
const MEDICAL: &[(&str, &str, f64)] = &[
    ("DI219", "cardiology", 6.0),
    ("DI489", "cardiology", 8.0),
    ("DI509", "cardiology", 7.0),
    ("DR074", "cardiology", 6.0),
    ("DJ441", "pulmonology", 5.0),
    ("DC349", "pulmonology", 3.0),
    ("DE119", "endocrinology", 3.0),
    ("DR559", "internal_medicine", 5.0),
    ("DK922", "internal_medicine", 3.0),
    ("DI269", "internal_medicine", 3.0),
    ("DE871", "internal_medicine", 3.0),
    ("DA419", "internal_medicine", 4.0),
    ("DR509", "internal_medicine", 3.0),
    ("DR539", "geriatrics", 3.0),
    ("DF059", "geriatrics", 2.0),
    ("DI639", "neurology", 6.0),
    ("DG409", "neurology", 2.0),
];
const SURGICAL: &[(&str, &str, f64)] = &[
    ("DK802", "surgery", 6.0),
    ("DK358", "surgery", 5.0),
    ("DK409", "surgery", 3.0),
    ("DK572", "surgery", 3.0),
    ("DK566", "surgery", 3.0),
    ("DC189", "surgery", 3.0),
    ("DS060", "surgery", 2.0),
    ("DM161", "orthopaedics", 5.0),
    ("DM171", "orthopaedics", 5.0),
    ("DS821", "orthopaedics", 4.0),
    ("DT840", "orthopaedics", 2.0),
    ("DM511", "orthopaedics", 2.0),
];
const PAEDIATRIC: &[(&str, &str, f64)] = &[
    ("DJ069", "paediatrics", 5.0),
    ("DR509", "paediatrics", 4.0),
    ("DA084", "paediatrics", 3.0),
    ("DJ459", "paediatrics", 3.0),
    ("DR104", "paediatrics", 3.0),
    ("DS009", "paediatrics", 2.0),
];
const PSYCHIATRIC: &[(&str, &str, f64)] = &[
    ("DF200", "psychiatry", 4.0),
    ("DF329", "psychiatry", 5.0),
    ("DF102", "psychiatry", 3.0),
    ("DF431", "psychiatry", 3.0),
    ("DF603", "psychiatry", 2.0),
    ("DF319", "psychiatry", 2.0),
];
const OBSTETRIC: &[(&str, &str, f64)] = &[
    ("DO800", "gynaecology", 8.0),
    ("DO479", "gynaecology", 1.0),
    ("DO342", "gynaecology", 1.0),
];
const GYNAECOLOGY: &[(&str, &str, f64)] = &[
    ("DN839", "gynaecology", 2.0),
    ("DN810", "gynaecology", 2.0),
    ("DD259", "gynaecology", 2.0),
];
/// The preventable-admission diagnosis groups (dehydration, constipation,
/// lower respiratory infection, cystitis, gastroenteritis, fractures,
/// nutritional anaemia, social causes, pressure ulcer).
const PREVENTABLE: &[(&str, &str, f64)] = &[
    ("DJ189", "internal_medicine", 24.0),
    ("DJ159", "internal_medicine", 4.0),
    ("DJ209", "internal_medicine", 4.0),
    ("DJ22", "internal_medicine", 3.0),
    ("DJ13", "internal_medicine", 1.0),
    ("DN390", "internal_medicine", 12.0),
    ("DN300", "internal_medicine", 3.0),
    ("DS720", "orthopaedics", 10.0),
    ("DS525", "orthopaedics", 4.0),
    ("DS422", "orthopaedics", 3.0),
    ("DS321", "orthopaedics", 2.0),
    ("DS220", "orthopaedics", 1.0),
    ("DE869", "internal_medicine", 8.0),
    ("DA099", "internal_medicine", 6.0),
    ("DK590", "internal_medicine", 4.0),
    ("DD509", "internal_medicine", 3.0),
    ("DD519", "internal_medicine", 1.0),
    ("DD529", "internal_medicine", 0.5),
    ("DD539", "internal_medicine", 0.5),
    ("DZ740", "geriatrics", 2.0),
    ("DZ755", "geriatrics", 1.0),
    ("DL899", "internal_medicine", 4.0),
];
const EMERGENCY: &[&str] = &[
    "DS609", "DS934", "DR104", "DR074", "DT140", "DS610", "DR519",
];
const OUTPATIENT: &[&str] = &[
    "DZ001", "DZ018", "DZ039", "DZ099", "DZ719", "DR109", "DM545", "DM255", "DI109",
];

/// Specialist practice: specialty and its diagnoses.
const SPECIALIST_DIAGNOSES: &[(&str, &[&str])] = &[
    ("ophthalmology", &["DH251", "DH409", "DH521", "DH353"]),
    ("otorhinolaryngology", &["DH659", "DJ350", "DJ320", "DH919"]),
    ("dermatology", &["DL400", "DL209", "DL700", "DC449"]),
    ("psychiatry", &["DF329", "DF411", "DF900", "DF431"]),
    ("rheumatology", &["DM059", "DM069", "DM159", "DM797"]),
    ("gynaecology", &["DN920", "DN951", "DZ014", "DN771"]),
    ("internal_medicine", &["DE119", "DE109", "DK210", "DE039"]),
    ("cardiology", &["DI489", "DI109", "DI251", "DR002"]),
    ("paediatrics", &["DJ459", "DR104", "DL209", "DR629"]),
    ("surgery", &["DK409", "DL720", "DK602", "DI839"]),
    ("orthopaedics", &["DM171", "DM751", "DM545", "DM201"]),
    ("neurology", &["DG439", "DG409", "DG629", "DR51"]),
    ("pulmonology", &["DJ459", "DJ449", "DG473", "DR059"]),
];

/// FSIII conditions (tilstande) and interventions (indsatser), in an
/// illustrative short-code form.
const CONDITIONS_PRACTICAL: &[&str] = &["C1", "C2", "C3", "D4"];
const CONDITIONS_PERSONAL: &[&str] = &["B1", "B2", "B3", "D1", "D2", "E2"];
const CONDITIONS_NURSING: &[&str] = &["J1.1", "J1.2", "K2", "M1", "H2", "I1", "O1", "R1"];
const CONDITIONS_TRAINING: &[&str] = &["D1", "D2", "H1", "H2"];
const INTERVENTIONS: [&[&str]; 8] = [
    &["PH.1", "PH.2", "PH.3"],
    &["PP.1", "PP.2", "PP.3", "PP.4"],
    &["RH.1", "RH.2"],
    &["TR.1"],
    &["TR.2"],
    &["FB.1"],
    &["SP.1", "SP.2", "SP.3"],
    &["GT.1", "GT.2"],
];
/// Positions in `CARE_SERVICES`.
mod service {
    pub const PRACTICAL: usize = 0;
    pub const PERSONAL: usize = 1;
    pub const REABLEMENT: usize = 2;
    pub const TRAINING: usize = 3;
    pub const MAINTENANCE: usize = 4;
    pub const PREVENTIVE: usize = 5;
    pub const NURSING: usize = 6;
    pub const REHABILITATION: usize = 7;
}

/// Whether an SKS action diagnosis is in a preventable-admission group
/// (the eSundhed definition's diagnosis groups).
pub fn preventable(code: &str) -> bool {
    let head = code.get(..4).unwrap_or(code);
    let lower_respiratory = head.starts_with("DJ")
        && head[2..]
            .parse::<u32>()
            .is_ok_and(|n| (13..=22).contains(&n));
    lower_respiratory
        || code.starts_with("DK590")
        || matches!(
            head,
            "DE86"
                | "DN30"
                | "DN39"
                | "DA09"
                | "DS22"
                | "DS32"
                | "DS42"
                | "DS52"
                | "DS72"
                | "DD50"
                | "DD51"
                | "DD52"
                | "DD53"
                | "DZ74"
                | "DZ75"
                | "DL89"
        )
}

/// Per-person latent traits: a person keeps using a medicine, receiving a
/// service or having a level of need from year to year.
struct Traits([f64; 24]);

mod trait_index {
    pub const OPIOID: usize = 0;
    pub const OPIOID_KIND: usize = 1;
    pub const ANXIOLYTIC: usize = 2;
    pub const HYPNOTIC: usize = 3;
    pub const ANTIPSYCHOTIC: usize = 4;
    pub const LITHIUM: usize = 5;
    pub const ADHD: usize = 6;
    pub const ANTIDEPRESSANT: usize = 7;
    pub const KIND: usize = 8;
    pub const METFORMIN: usize = 9;
    pub const INSULIN: usize = 10;
    pub const INHALER: usize = 11;
    pub const STATIN: usize = 12;
    pub const AMLODIPINE: usize = 13;
    pub const SPECIFIC: usize = 14;
    pub const PARACETAMOL: usize = 15;
    pub const NURSING: usize = 16;
    pub const TRAINING: usize = 17;
    pub const PREVENTIVE: usize = 18;
    pub const PERSONAL: usize = 19;
    pub const PRACTICAL_HOURS: usize = 20;
    pub const PERSONAL_HOURS: usize = 21;
    pub const BLOOD_PRESSURE: usize = 22;
    pub const HBA1C: usize = 23;
}
use trait_index as t;

fn pick_weighted<'a>(rng: &mut Rng, items: &'a [(&'a str, &'a str, f64)]) -> (&'a str, &'a str) {
    let total: f64 = items.iter().map(|i| i.2).sum();
    let mut x = rng.unit() * total;
    for (code, specialty, w) in items {
        if x < *w {
            return (code, specialty);
        }
        x -= w;
    }
    let last = items[items.len() - 1];
    (last.0, last.1)
}

fn pick_by(u: f64, items: &[(&'static str, f64)]) -> &'static str {
    let total: f64 = items.iter().map(|i| i.1).sum();
    let mut x = u * total;
    for (code, w) in items {
        if x < *w {
            return code;
        }
        x -= w;
    }
    items[items.len() - 1].0
}

/// Monday = 0 … Sunday = 6.
fn weekday(d: Day) -> i32 {
    (d + 3).rem_euclid(7)
}

/// A day in [from, to), mostly a weekday.
fn office_day(rng: &mut Rng, from: Day, to: Day) -> Day {
    let mut d = rates::day_between(rng, from, to);
    for _ in 0..3 {
        if weekday(d) < 5 || to - from < 7 || rng.chance(0.05) {
            break;
        }
        d = rates::day_between(rng, from, to);
    }
    d
}

fn moment(d: Day, seconds: i64) -> i64 {
    i64::from(d) * SECONDS_PER_DAY + seconds
}

/// How a prescription was issued.
#[derive(Clone, Copy, PartialEq)]
enum Prescriber {
    General,
    Psychiatric,
}

/// Writes persons into the extracts and keeps the report's tally.
pub struct Writer<'w> {
    /// The extracts.
    pub tables: Tables,
    /// The world.
    pub world: &'w World,
    /// What the report counts.
    pub tally: Tally,
    /// First day of the period.
    pub start: Day,
    /// First day after the period.
    pub end: Day,
    /// The report's reference day (1 January of the last year).
    pub reference: Day,
    contacts: u64,
    gp_mix: [WeightedIndex; 2],
    months: Vec<u8>,
    text: String,
}

impl<'w> Writer<'w> {
    /// A writer for the period [start, end).
    pub fn new(tables: Tables, world: &'w World, start: Day, end: Day) -> Writer<'w> {
        let mut old = CONTACT_MIX;
        old[2] *= 0.5;
        old[5] *= 6.0;
        Writer {
            tables,
            world,
            tally: Tally::default(),
            start,
            end,
            reference: day::new_year(day::year_of(end - 1)),
            contacts: 0,
            gp_mix: [WeightedIndex::new(CONTACT_MIX), WeightedIndex::new(old)],
            months: Vec::new(),
            text: String::new(),
        }
    }

    fn in_last_year(&self, d: Day) -> bool {
        d >= self.reference && d < self.end
    }

    /// Writes everything about `life`.
    pub fn person(&mut self, life: &Life, rng: &mut Rng) -> std::io::Result<()> {
        let end = life.end(self.end);
        self.residences(life)?;
        self.listings(life)?;
        self.chronic(life, rng)?;
        let mut traits = [0.0; 24];
        for x in &mut traits {
            *x = rng.unit();
        }
        let traits = Traits(traits);
        let first_month = day::month_index(self.start);
        self.months.clear();
        self.months
            .resize((day::month_index(self.end) - first_month) as usize + 3, 0);
        for year in day::year_of(self.start)..day::year_of(self.end) {
            let ws = life.start.max(day::new_year(year));
            let we = end.min(day::new_year(year + 1));
            if ws >= we {
                continue;
            }
            let frac = f64::from(we - ws) / rates::days_in_year(year) as f64;
            self.general_practice(life, rng, ws, we, frac, &traits)?;
            self.specialists(life, rng, ws, we, frac)?;
            self.hospital(life, rng, ws, we, frac)?;
            self.prescriptions(life, rng, ws, we, frac, &traits)?;
        }
        self.care(life, rng, end, &traits)
    }

    fn residences(&mut self, life: &Life) -> std::io::Result<()> {
        let (status, status_date) = match life.exit {
            Some((d, s)) => (s, Val::Date(d)),
            None => ("01", Val::Null),
        };
        let exit = life.exit.map(|(d, _)| d);
        let present = life.start <= self.reference && life.end(self.end) > self.reference;
        for (i, r) in life.residences.iter().enumerate() {
            let to = life.residences.get(i + 1).map(|n| n.from).or(exit);
            let last_day = (to.unwrap_or(self.end) - 1).max(r.from);
            let municipality = self.world.places[r.place].municipality.code;
            if present && r.from <= self.reference && to.is_none_or(|t| t > self.reference) {
                self.tally.region_population[self.world.region_index(r.place)] += 1;
                if r.nursing_home && life.age(self.reference) >= 65 {
                    self.tally.nursing_home_65plus += 1;
                }
            }
            self.tables.write(
                RegisterId::Cpr,
                &[
                    Val::Cpr(life.cpr),
                    Val::Date(life.birth),
                    Val::Text(if life.female { "K" } else { "M" }),
                    Val::Muni(municipality),
                    Val::Text(&r.address),
                    Val::Date(r.from),
                    to.map_or(Val::Null, Val::Date),
                    Val::Text(life.civil_status(last_day)),
                    Val::Text(status),
                    status_date,
                ],
            )?;
        }
        Ok(())
    }

    fn listings(&mut self, life: &Life) -> std::io::Result<()> {
        // Group 2 insured are on no practice's list (they still see a GP:
        // `practice_at` gives the one they use). Decided from the CPR
        // number, so the random streams stay as they are.
        if in_group_two(life.cpr) {
            return Ok(());
        }
        let exit = life.exit.map(|(d, _)| d);
        for (i, (from, practice)) in life.listings.iter().enumerate() {
            let to = life.listings.get(i + 1).map(|n| n.0).or(exit);
            let number = self.world.providers[*practice].number;
            self.tables.write(
                RegisterId::PatientList,
                &[
                    Val::Cpr(life.cpr),
                    Val::Text(provider(&mut self.text, number)),
                    Val::Date(*from),
                    to.map_or(Val::Null, Val::Date),
                ],
            )?;
        }
        Ok(())
    }

    fn chronic(&mut self, life: &Life, rng: &mut Rng) -> std::io::Result<()> {
        let end = life.end(self.end);
        let present = life.start <= self.reference && end > self.reference;
        let mut any = false;
        for (g, onset) in life.chronic.iter().enumerate() {
            let Some(onset) = *onset else { continue };
            // Diagnosed in Denmark: not before arriving.
            let first = if onset < life.start && life.birth < life.start && life.start > self.start
            {
                life.start + rng.below(365) as Day
            } else {
                onset.max(life.birth)
            };
            if first >= end {
                continue;
            }
            if present && first <= self.reference {
                any = true;
                self.tally.chronic[g] += 1;
                if g == group::DEMENTIA {
                    if life.age(self.reference) >= 65 {
                        self.tally.dementia_65plus += 1;
                    } else {
                        self.tally.dementia_under65 += 1;
                    }
                }
            }
            self.tables.write(
                RegisterId::Ruks,
                &[
                    Val::Cpr(life.cpr),
                    Val::Text(CHRONIC[g].code),
                    Val::Date(first),
                ],
            )?;
        }
        if any {
            self.tally.chronic_any += 1;
        }
        Ok(())
    }

    fn general_practice(
        &mut self,
        life: &Life,
        rng: &mut Rng,
        ws: Day,
        we: Day,
        frac: f64,
        traits: &Traits,
    ) -> std::io::Result<()> {
        let age = life.age(ws);
        let place = &self.world.places[life.residence_at(ws).place];
        let band = (age as usize / 5).min(17);
        let (men, women) = GP_RATE[band];
        let in_home = life.in_nursing_home(ws);
        let chronic = life.chronic_count(ws);
        let rate = if life.female { women } else { men }
            * place.factors.gp
            * life.frailty.powf(0.7)
            * (1.0 + 0.25 * chronic as f64)
            * if in_home { 1.8 } else { 1.0 }
            * rates::GP_FACTOR
            * frac;
        let mix = usize::from(age >= 80 || in_home);
        let last_year = self.in_last_year(ws);
        for _ in 0..rng.poisson(rate) {
            let d = office_day(rng, ws, we);
            let practice = self.world.providers[life.practice_at(d)].number;
            let kind = GpContactType::ALL[self.gp_mix[mix].sample(rng)];
            if last_year {
                self.tally.gp[kind as usize] += 1;
            }
            let number = provider(&mut self.text, practice).to_string();
            self.tables.write(
                RegisterId::Ssr,
                &[
                    Val::Cpr(life.cpr),
                    Val::Date(d),
                    Val::Text(&number),
                    Val::Text(kind.code()),
                ],
            )?;
            if kind != GpContactType::Email && rng.chance(0.3) {
                let groups: Vec<usize> = (0..8).filter(|g| life.has(*g, d)).collect();
                let code = if !groups.is_empty() && rng.chance(0.5) {
                    CHRONIC_ICPC[*rng.pick(&groups)]
                } else {
                    *rng.pick(ICPC_COMMON)
                };
                self.aim(life, d, &number, "diagnosis", code, None, None)?;
            }
        }
        // Examinations.
        let practice_number = |d: Day| self.world.providers[life.practice_at(d)].number;
        let diabetic = life.has(group::TYPE1, ws) || life.has(group::TYPE2, ws);
        if diabetic {
            let target = if life.has(group::TYPE1, ws) {
                60.0
            } else {
                50.0
            };
            for _ in 0..rng.poisson(3.0 * frac) {
                let d = office_day(rng, ws, we);
                let number = provider(&mut self.text, practice_number(d)).to_string();
                let v = (target + 12.0 * (traits.0[t::HBA1C] - 0.5) + 7.0 * rng.normal())
                    .clamp(28.0, 140.0);
                self.aim(
                    life,
                    d,
                    &number,
                    "examination",
                    "hba1c",
                    Some(v.round()),
                    Some("mmol/mol"),
                )?;
            }
        }
        if diabetic || (age >= 50 && rng.chance(0.35 * frac)) {
            let d = office_day(rng, ws, we);
            let number = provider(&mut self.text, practice_number(d)).to_string();
            let level = traits.0[t::BLOOD_PRESSURE] - 0.5;
            let sys = (118.0 + 0.35 * f64::from(age) + 25.0 * level + 9.0 * rng.normal())
                .clamp(85.0, 230.0);
            let dia = (72.0 + 0.05 * f64::from(age) + 12.0 * level + 6.0 * rng.normal())
                .clamp(45.0, 130.0);
            self.aim(
                life,
                d,
                &number,
                "examination",
                "systolic_bp",
                Some(sys.round()),
                Some("mmHg"),
            )?;
            self.aim(
                life,
                d,
                &number,
                "examination",
                "diastolic_bp",
                Some(dia.round()),
                Some("mmHg"),
            )?;
        }
        if life.has(group::COPD, ws) && rng.chance(0.7 * frac) {
            let d = office_day(rng, ws, we);
            let number = provider(&mut self.text, practice_number(d)).to_string();
            let v = (0.58 + 0.07 * rng.normal()).clamp(0.25, 0.69);
            self.aim(
                life,
                d,
                &number,
                "examination",
                "spirometry_fev1_fvc",
                Some((v * 100.0).round() / 100.0),
                Some("ratio"),
            )?;
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn aim(
        &mut self,
        life: &Life,
        d: Day,
        practice: &str,
        kind: &str,
        code: &str,
        value: Option<f64>,
        unit: Option<&str>,
    ) -> std::io::Result<()> {
        self.tables.write(
            RegisterId::Aim,
            &[
                Val::Cpr(life.cpr),
                Val::Date(d),
                Val::Text(practice),
                Val::Text(kind),
                Val::Text(code),
                value.map_or(Val::Null, Val::Dec),
                unit.map_or(Val::Null, Val::Text),
            ],
        )
    }

    fn specialists(
        &mut self,
        life: &Life,
        rng: &mut Rng,
        ws: Day,
        we: Day,
        frac: f64,
    ) -> std::io::Result<()> {
        let age = life.age(ws);
        let region = self.world.places[life.residence_at(ws).place]
            .municipality
            .region;
        let rate = rates::specialist_rate(age)
            * life.frailty.sqrt()
            * (1.0 + 0.2 * life.chronic_count(ws) as f64)
            * frac;
        let n = rng.poisson(rate);
        if n == 0 {
            return Ok(());
        }
        let a = f64::from(age);
        let female = life.female;
        let weights: Vec<(&'static str, f64)> = vec![
            ("ophthalmology", 0.8 + a / 25.0),
            ("otorhinolaryngology", if age < 15 { 2.0 } else { 0.9 }),
            ("dermatology", 1.1),
            (
                "psychiatry",
                if (18..60).contains(&age) { 0.9 } else { 0.15 }
                    + if life.has(group::SCHIZOPHRENIA, ws) {
                        3.0
                    } else {
                        0.0
                    },
            ),
            (
                "rheumatology",
                0.25 + if life.has(group::RA, ws) { 3.0 } else { 0.0 },
            ),
            (
                "gynaecology",
                if female && (16..75).contains(&age) {
                    1.6
                } else {
                    0.0
                },
            ),
            (
                "internal_medicine",
                0.3 + if life.has(group::TYPE2, ws) { 0.8 } else { 0.0 },
            ),
            ("cardiology", 0.05 + a / 120.0),
            ("paediatrics", if age < 16 { 1.5 } else { 0.0 }),
            ("surgery", 0.3),
            ("orthopaedics", 0.4),
            ("neurology", 0.2),
            (
                "pulmonology",
                0.1 + if life.has(group::COPD, ws) || life.has(group::ASTHMA, ws) {
                    0.8
                } else {
                    0.0
                },
            ),
        ];
        for _ in 0..n {
            let d = office_day(rng, ws, we);
            let specialty = pick_by(rng.unit(), &weights);
            let Some(p) = self.world.specialist(region, specialty, rng) else {
                continue;
            };
            let number = provider(&mut self.text, self.world.providers[p].number).to_string();
            let kind = if rng.chance(0.92) {
                "consultation"
            } else if rng.chance(0.75) {
                "phone"
            } else {
                "email"
            };
            self.tables.write(
                RegisterId::Ssr,
                &[
                    Val::Cpr(life.cpr),
                    Val::Date(d),
                    Val::Text(&number),
                    Val::Text(kind),
                ],
            )?;
            let diagnoses = SPECIALIST_DIAGNOSES
                .iter()
                .find(|(s, _)| *s == specialty)
                .map_or(&[][..], |(_, d)| *d);
            let diagnosis = if !diagnoses.is_empty() && rng.chance(0.75) {
                let code: &str = diagnoses[rng.below(diagnoses.len() as u64) as usize];
                Val::Text(code)
            } else {
                Val::Null
            };
            let direct = matches!(specialty, "ophthalmology" | "otorhinolaryngology");
            let referral = if rng.chance(if direct { 0.5 } else { 0.08 }) {
                "none"
            } else {
                pick_by(
                    rng.unit(),
                    &[("gp", 80.0), ("specialist", 6.0), ("hospital", 14.0)],
                )
            };
            self.tables.write(
                RegisterId::Sentinel,
                &[
                    Val::Cpr(life.cpr),
                    Val::Date(d),
                    Val::Text(&number),
                    Val::Text(specialty),
                    diagnosis,
                    Val::Text(referral),
                ],
            )?;
        }
        Ok(())
    }

    /// A unit of `specialty` for someone living in `place`: mostly the
    /// local hospital, sometimes another in the region or elsewhere.
    fn unit(&self, place: usize, specialty: &str, child: bool, rng: &mut Rng) -> &'w Unit {
        let world = self.world;
        let region = world.places[place].municipality.region;
        if specialty == "psychiatry" {
            let h = &world.hospitals[world.psychiatric_by_region[&region]];
            return &h.units[usize::from(child).min(h.units.len() - 1)];
        }
        let regional = &world.acute_by_region[&region];
        let r = rng.unit();
        let h = if r < 0.85 {
            world.places[place].hospital
        } else if r < 0.97 {
            *rng.pick(regional)
        } else {
            let regions: Vec<&Vec<usize>> = world.acute_by_region.values().collect();
            rng.pick(&regions)[0]
        };
        let centre = &world.hospitals[regional[0]];
        world.hospitals[h]
            .unit(specialty)
            .or_else(|| centre.unit(specialty))
            .or_else(|| centre.unit("internal_medicine"))
            .unwrap_or(&centre.units[0])
    }

    #[allow(clippy::too_many_arguments)]
    fn contact(
        &mut self,
        life: &Life,
        start: i64,
        end: i64,
        unit: &Unit,
        acute: bool,
        diagnosis: &str,
        secondary: &str,
        rehabilitation: bool,
    ) -> std::io::Result<()> {
        self.contacts += 1;
        let id = format!("K{:011}", self.contacts);
        let day = start.div_euclid(SECONDS_PER_DAY) as Day;
        if end - start >= 12 * 3600 && self.in_last_year(day) {
            self.tally.admissions += 1;
            if life.age(day) >= 65 && preventable(diagnosis) {
                self.tally.preventable_65plus += 1;
            }
        }
        let sor = unit.sor.to_string();
        self.tables.write(
            RegisterId::Lpr,
            &[
                Val::Text(&id),
                Val::Cpr(life.cpr),
                Val::Time(start),
                Val::Time(end),
                Val::Text(&sor),
                Val::Text(unit.specialty),
                Val::Text(unit.department),
                Val::Text(if acute { "acute" } else { "planned" }),
                Val::Text(if unit.department == "psychiatric" {
                    "psychiatric"
                } else {
                    "somatic"
                }),
                Val::Text(diagnosis),
                if secondary.is_empty() {
                    Val::Null
                } else {
                    Val::Text(secondary)
                },
                Val::Flag(rehabilitation),
            ],
        )
    }

    fn mark(&mut self, d: Day, months: std::ops::Range<i32>, service: usize) {
        let first = day::month_index(self.start);
        let m = day::month_index(d) - first;
        for k in months {
            if let Some(slot) = self.months.get_mut((m + k).max(0) as usize) {
                *slot |= 1 << service;
            }
        }
    }

    fn hospital(
        &mut self,
        life: &Life,
        rng: &mut Rng,
        ws: Day,
        we: Day,
        frac: f64,
    ) -> std::io::Result<()> {
        let age = life.age(ws);
        let place = life.residence_at(ws).place;
        let factors = self.world.places[place].factors;
        let chronic = life.chronic_count(ws);
        let child = age < 18;
        let mut secondary = String::new();
        for (g, code) in CHRONIC_SKS.iter().enumerate() {
            if life.has(g, ws) && secondary.len() < 15 {
                if !secondary.is_empty() {
                    secondary.push('|');
                }
                secondary.push_str(code);
            }
        }
        let schizophrenia = life.has(group::SCHIZOPHRENIA, ws);
        let old = age >= 65;
        let in_home = life.in_nursing_home(ws);

        // Admissions (stays of 12 hours or more).
        let rate = rates::admission_rate(age)
            * factors.admissions
            * life.frailty.powf(0.7)
            * (1.0 + 0.3 * chronic as f64)
            * rates::ADMISSION_FACTOR
            * frac;
        let births = rates::birth_admission_rate(age, life.female) * frac;
        let n = rng.poisson(rate);
        let b = rng.poisson(births);
        for k in 0..n + b {
            let obstetric = k >= n;
            let (diagnosis, specialty) = if obstetric {
                pick_weighted(rng, OBSTETRIC)
            } else if rng.chance(if schizophrenia {
                0.4
            } else if (15..65).contains(&age) {
                0.06
            } else {
                0.02
            }) {
                pick_weighted(rng, PSYCHIATRIC)
            } else if rng.chance(if old {
                rates::PREVENTABLE_SHARE_65PLUS
            } else {
                rates::PREVENTABLE_SHARE_UNDER65
            }) {
                pick_weighted(rng, PREVENTABLE)
            } else if age < 16 {
                if rng.chance(0.15) {
                    pick_weighted(rng, SURGICAL)
                } else {
                    pick_weighted(rng, PAEDIATRIC)
                }
            } else if life.female && age < 60 && rng.chance(0.1) {
                pick_weighted(rng, GYNAECOLOGY)
            } else if life.has(group::COPD, ws) && rng.chance(0.3) {
                ("DJ441", "pulmonology")
            } else if rng.chance(0.62) {
                pick_weighted(rng, MEDICAL)
            } else {
                pick_weighted(rng, SURGICAL)
            };
            let specialty = if specialty == "internal_medicine" && age >= 75 && rng.chance(0.35) {
                "geriatrics"
            } else {
                specialty
            };
            let planned = !obstetric
                && matches!(
                    diagnosis,
                    "DM161" | "DM171" | "DC189" | "DC349" | "DK409" | "DN810" | "DD259"
                )
                || rng.chance(0.12);
            let acute = !planned;
            let unit = self.unit(place, specialty, child, rng);
            let d = if acute {
                rates::day_between(rng, ws, we)
            } else {
                office_day(rng, ws, we)
            };
            let hour = if acute {
                if rng.chance(0.7) {
                    rng.between(8, 20)
                } else {
                    rng.between(0, 23)
                }
            } else {
                rng.between(7, 10)
            };
            let start = moment(d, hour * 3600 + rng.between(0, 59) * 60);
            let mean_hours = if unit.department == "psychiatric" {
                24.0 * 14.0
            } else if obstetric {
                30.0
            } else {
                30.0 + 0.8 * f64::from(age)
            };
            let hours = 12.0 + rng.exponential(mean_hours);
            let end = start + (hours * 3600.0) as i64;
            let rehabilitation = match unit.specialty {
                "orthopaedics" => rng.chance(0.55),
                "internal_medicine" | "geriatrics" | "cardiology" | "pulmonology" | "neurology"
                    if old =>
                {
                    rng.chance(0.12)
                }
                _ => rng.chance(0.02),
            };
            let discharge = end.div_euclid(SECONDS_PER_DAY) as Day;
            if rehabilitation {
                let months = if rng.chance(0.5) { 0..2 } else { 0..3 };
                self.mark(discharge, months, service::REHABILITATION);
            }
            if old && !in_home && acute && rng.chance(0.08) {
                self.mark(discharge, 0..2, service::REABLEMENT);
            }
            self.contact(
                life,
                start,
                end,
                unit,
                acute,
                diagnosis,
                &secondary,
                rehabilitation,
            )?;
            // Readmission within 30 days; psychiatric patients come back
            // to psychiatry, with the same diagnosis.
            let psychiatric = unit.department == "psychiatric";
            let readmit = if psychiatric {
                0.15
            } else if old {
                0.10
            } else {
                0.05
            };
            if acute && !obstetric && rng.chance(readmit) {
                let d2 = discharge + rng.between(1, 30) as Day;
                if d2 < we {
                    let (diagnosis, specialty) = if psychiatric {
                        (diagnosis, specialty)
                    } else if old && rng.chance(0.4) {
                        pick_weighted(rng, PREVENTABLE)
                    } else {
                        pick_weighted(rng, MEDICAL)
                    };
                    let unit = self.unit(place, specialty, child, rng);
                    let mean_hours = if psychiatric {
                        24.0 * 14.0
                    } else {
                        30.0 + 0.8 * f64::from(age)
                    };
                    let start = moment(d2, rng.between(0, 23) * 3600 + rng.between(0, 59) * 60);
                    let end = start + ((12.0 + rng.exponential(mean_hours)) * 3600.0) as i64;
                    self.contact(life, start, end, unit, true, diagnosis, &secondary, false)?;
                }
            }
        }

        // Outpatient visits.
        let mut rate =
            rates::outpatient_rate(age) * (1.0 + 0.4 * chronic as f64) * life.frailty.sqrt();
        if life.female && (18..45).contains(&age) {
            rate += 0.4;
        }
        let groups: Vec<usize> = (0..8).filter(|g| life.has(*g, ws)).collect();
        for _ in 0..rng.poisson(rate * frac) {
            let d = office_day(rng, ws, we);
            let (specialty, diagnosis) = if !groups.is_empty() && rng.chance(0.5) {
                let g = *rng.pick(&groups);
                (CHRONIC_SPECIALTY[g], CHRONIC_SKS[g])
            } else if life.female && (18..45).contains(&age) && rng.chance(0.3) {
                ("gynaecology", "DZ321")
            } else if age < 16 {
                ("paediatrics", *rng.pick(OUTPATIENT))
            } else {
                let s = *rng.pick(&[
                    "orthopaedics",
                    "surgery",
                    "cardiology",
                    "internal_medicine",
                    "ophthalmology",
                    "otorhinolaryngology",
                    "dermatology",
                    "neurology",
                ]);
                let diagnosis = match s {
                    "ophthalmology" => "DH269",
                    "otorhinolaryngology" => "DH919",
                    "dermatology" => "DL409",
                    _ => *rng.pick(OUTPATIENT),
                };
                (s, diagnosis)
            };
            let unit = self.unit(place, specialty, child, rng);
            let start = moment(d, rng.between(8 * 60, 15 * 60) * 60);
            let end = start + rng.between(15, 120) * 60;
            self.contact(life, start, end, unit, false, diagnosis, "", false)?;
        }

        // Emergency-department visits without admission.
        let rate = rates::EMERGENCY_VISIT_RATE * if !(5..75).contains(&age) { 1.3 } else { 1.0 };
        for _ in 0..rng.poisson(rate * frac) {
            let d = rates::day_between(rng, ws, we);
            let unit = self.unit(place, "emergency_medicine", child, rng);
            let start = moment(d, rng.between(0, 23 * 60) * 60);
            let end = start + rng.between(60, 8 * 60) * 60;
            let diagnosis = *rng.pick(EMERGENCY);
            self.contact(life, start, end, unit, true, diagnosis, "", false)?;
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn redeem(
        &mut self,
        life: &Life,
        rng: &mut Rng,
        ws: Day,
        we: Day,
        atc: &str,
        count: u32,
        large: bool,
        prescriber: Prescriber,
    ) -> std::io::Result<()> {
        let Some(drug) = drug_by_atc(atc) else {
            return Ok(());
        };
        let region = self.world.places[life.residence_at(ws).place]
            .municipality
            .region;
        for _ in 0..count {
            let d = rates::day_between(rng, ws, we);
            let sizes = drug.package_sizes;
            let size = if large {
                sizes[sizes.len() - 1]
            } else if rng.chance(0.7) {
                sizes[0]
            } else {
                *rng.pick(sizes)
            };
            let ddd = drug.ddd(size);
            if drug.group() == DrugGroup::Opioid && self.in_last_year(d) {
                self.tally.opioid_ddd += ddd;
            }
            let r = rng.unit();
            let specialist = match prescriber {
                Prescriber::Psychiatric if r < 0.4 => {
                    self.world.specialist(region, "psychiatry", rng)
                }
                _ if r > 0.95 => self.world.specialist(region, "internal_medicine", rng),
                _ => None,
            };
            let number = if r > 0.88 && r <= 0.95 {
                None // a hospital prescription: no practice
            } else {
                Some(specialist.unwrap_or_else(|| life.practice_at(d)))
            };
            let number = number
                .map(|p| provider(&mut self.text, self.world.providers[p].number).to_string());
            self.tables.write(
                RegisterId::Lsr,
                &[
                    Val::Cpr(life.cpr),
                    Val::Date(d),
                    Val::Text(drug.atc),
                    Val::Text(drug.product),
                    Val::Int(i64::from(size)),
                    Val::Dec(ddd),
                    number.as_deref().map_or(Val::Null, Val::Text),
                    Val::Flag(drug.depot),
                ],
            )?;
        }
        Ok(())
    }

    fn prescriptions(
        &mut self,
        life: &Life,
        rng: &mut Rng,
        ws: Day,
        we: Day,
        frac: f64,
        traits: &Traits,
    ) -> std::io::Result<()> {
        let age = life.age(ws);
        let a = f64::from(age);
        let tr = &traits.0;
        let f = self.world.places[life.residence_at(ws).place].factors.drugs;
        let has = |g| life.has(g, ws);
        // Users redeem `1 + Poisson(extra)` times in a full year.
        let count = |rng: &mut Rng, extra: f64| -> u32 {
            if rng.chance(frac.min(1.0)) {
                1 + rng.poisson(extra * frac)
            } else {
                0
            }
        };
        let adult = age >= 18;

        // Opioids: a third of users are long-term users.
        let p = rates::opioid_use(age) * f * rates::OPIOID_FACTOR;
        if tr[t::OPIOID] < p {
            let long_term = tr[t::OPIOID] < 0.4 * p;
            let atc = pick_by(
                tr[t::OPIOID_KIND],
                &[
                    ("N02AX02", 35.0),
                    ("N02AA05", 25.0),
                    ("N02AJ06", 20.0),
                    ("N02AA01", 12.0),
                    ("N02AB03", if age >= 75 { 12.0 } else { 3.0 }),
                ],
            );
            let n = count(rng, if long_term { 14.0 } else { 0.3 });
            self.redeem(life, rng, ws, we, atc, n, long_term, Prescriber::General)?;
        }
        if adult && tr[t::ANXIOLYTIC] < (0.008 + 0.0003 * a) * f {
            let atc = if tr[t::KIND] < 0.6 {
                "N05BA01"
            } else {
                "N05BA04"
            };
            let n = count(rng, 2.0);
            self.redeem(life, rng, ws, we, atc, n, false, Prescriber::General)?;
        }
        if adult && tr[t::HYPNOTIC] < (0.006 + 0.0006 * a) * f {
            let atc = pick_by(
                tr[t::KIND],
                &[
                    ("N05CF01", 55.0),
                    ("N05CF02", 15.0),
                    ("N05CD02", if age >= 65 { 30.0 } else { 8.0 }),
                ],
            );
            let n = count(rng, 2.5);
            self.redeem(life, rng, ws, we, atc, n, false, Prescriber::General)?;
        }
        let antipsychotic = if has(group::SCHIZOPHRENIA) {
            0.85
        } else if has(group::DEMENTIA) {
            0.15
        } else if adult {
            0.008
        } else {
            0.0
        };
        if tr[t::ANTIPSYCHOTIC] < antipsychotic {
            let atc = if has(group::SCHIZOPHRENIA) {
                pick_by(
                    tr[t::KIND],
                    &[
                        ("N05AH03", 35.0),
                        ("N05AX08", 25.0),
                        ("N05AX12", 25.0),
                        ("N05AH04", 15.0),
                    ],
                )
            } else {
                pick_by(tr[t::KIND], &[("N05AH04", 70.0), ("N05AX08", 30.0)])
            };
            let extra = if atc == "N05AX12" { 11.0 } else { 4.0 };
            let n = count(rng, extra);
            self.redeem(life, rng, ws, we, atc, n, true, Prescriber::Psychiatric)?;
        }
        if adult && tr[t::LITHIUM] < 0.0015 {
            let n = count(rng, 3.0);
            self.redeem(
                life,
                rng,
                ws,
                we,
                "N05AN01",
                n,
                true,
                Prescriber::Psychiatric,
            )?;
        }
        let adhd = match age {
            6..=17 if life.female => 0.015,
            6..=17 => 0.035,
            18..=45 => 0.015,
            _ => 0.0,
        };
        if tr[t::ADHD] < adhd {
            let n = count(rng, 9.0);
            self.redeem(
                life,
                rng,
                ws,
                we,
                "N06BA04",
                n,
                true,
                Prescriber::Psychiatric,
            )?;
        }
        let depression = if adult {
            (if life.female { 0.09 } else { 0.05 }) * (1.0 + a / 100.0) * f
        } else {
            0.0
        };
        if tr[t::ANTIDEPRESSANT] < depression {
            let atc = pick_by(
                tr[t::KIND],
                &[
                    ("N06AB10", 45.0),
                    ("N06AB06", 30.0),
                    ("N06AX11", if age >= 70 { 40.0 } else { 20.0 }),
                ],
            );
            let n = count(rng, 4.0);
            self.redeem(life, rng, ws, we, atc, n, true, Prescriber::General)?;
        }
        if has(group::TYPE2) && tr[t::METFORMIN] < 0.85 {
            let n = count(rng, 3.0);
            self.redeem(life, rng, ws, we, "A10BA02", n, true, Prescriber::General)?;
        }
        if has(group::TYPE1) || (has(group::TYPE2) && tr[t::INSULIN] < 0.25) {
            let n = count(rng, 4.0);
            self.redeem(life, rng, ws, we, "A10AE04", n, true, Prescriber::General)?;
        }
        if has(group::ASTHMA) || has(group::COPD) {
            if tr[t::INHALER] < 0.7 {
                let n = count(rng, 2.0);
                self.redeem(life, rng, ws, we, "R03AC02", n, false, Prescriber::General)?;
            }
            if tr[t::INHALER] > 0.3 || has(group::COPD) {
                let n = count(rng, 3.0);
                self.redeem(life, rng, ws, we, "R03AK07", n, true, Prescriber::General)?;
            }
        }
        let statin = knots(&[(35.0, 0.0), (40.0, 0.02), (60.0, 0.2), (75.0, 0.38)], a)
            + if has(group::TYPE2) { 0.4 } else { 0.0 };
        if tr[t::STATIN] < statin * f {
            let n = count(rng, 3.0);
            self.redeem(life, rng, ws, we, "C10AA05", n, true, Prescriber::General)?;
        }
        if tr[t::AMLODIPINE] < knots(&[(40.0, 0.0), (45.0, 0.02), (65.0, 0.2), (80.0, 0.3)], a) * f
        {
            let n = count(rng, 3.0);
            self.redeem(life, rng, ws, we, "C08CA01", n, true, Prescriber::General)?;
        }
        if has(group::OSTEOPOROSIS) && tr[t::SPECIFIC] < 0.6 {
            let n = count(rng, 3.0);
            self.redeem(life, rng, ws, we, "M05BA04", n, true, Prescriber::General)?;
        }
        if has(group::RA) && tr[t::SPECIFIC] < 0.6 {
            let n = count(rng, 3.0);
            self.redeem(life, rng, ws, we, "L04AX03", n, true, Prescriber::General)?;
        }
        if has(group::DEMENTIA) && tr[t::SPECIFIC] < 0.5 {
            let n = count(rng, 3.0);
            self.redeem(life, rng, ws, we, "N06DA02", n, true, Prescriber::General)?;
        }
        if tr[t::PARACETAMOL] < knots(&[(60.0, 0.0), (65.0, 0.12), (85.0, 0.35)], a) {
            let n = count(rng, 3.0);
            self.redeem(life, rng, ws, we, "N02BE01", n, true, Prescriber::General)?;
        }
        let courses =
            0.3 * if age < 10 {
                1.6
            } else if age >= 70 {
                1.4
            } else {
                1.0
            } * frac;
        for _ in 0..rng.poisson(courses) {
            let atc = if life.female && age >= 15 && rng.chance(0.3) {
                "J01CA08"
            } else if rng.chance(0.55) {
                "J01CA04"
            } else {
                "J01CE02"
            };
            self.redeem(life, rng, ws, we, atc, 1, false, Prescriber::General)?;
        }
        Ok(())
    }

    /// Municipal care, month by month.
    fn care(
        &mut self,
        life: &Life,
        rng: &mut Rng,
        end: Day,
        traits: &Traits,
    ) -> std::io::Result<()> {
        let tr = &traits.0;
        let first_month = day::month_index(self.start);
        let months = day::month_index(self.end) - first_month;
        let (_, birth_month, _) = day::ymd(life.birth);
        let care_factor = self.world.places[life.residence_at(life.start).place]
            .factors
            .care;
        for m in 0..months {
            let ms = day::month_start(first_month + m);
            let me = day::month_start(first_month + m + 1);
            let at = ms.max(life.start);
            if at >= me.min(end) {
                continue;
            }
            let age = life.age(at);
            if age < 18 {
                continue;
            }
            let mut mask = self.months[m as usize];
            let in_home = life.in_nursing_home(at);
            let home_help = life.has_home_help(at);
            if in_home {
                mask |= 1 << service::PERSONAL;
                if tr[t::NURSING] < 0.5 {
                    mask |= 1 << service::NURSING;
                }
            } else {
                if home_help {
                    mask |= 1 << service::PRACTICAL;
                    if tr[t::PERSONAL] < 0.55 {
                        mask |= 1 << service::PERSONAL;
                    }
                    if age >= 75 && tr[t::TRAINING] < 0.12 {
                        mask |= 1 << service::MAINTENANCE;
                    }
                    let started = life.home_help.unwrap_or(at);
                    if tr[t::TRAINING] > 0.9 && at - started < 92 {
                        mask |= 1 << service::TRAINING;
                    }
                }
                let nursing = knots(
                    &[
                        (60.0, 0.0),
                        (65.0, 0.02),
                        (75.0, 0.05),
                        (85.0, 0.15),
                        (95.0, 0.3),
                    ],
                    f64::from(age),
                ) * (1.0 + 0.3 * life.chronic_count(at) as f64)
                    * if home_help { 2.0 } else { 1.0 }
                    * care_factor;
                if tr[t::NURSING] < nursing {
                    mask |= 1 << service::NURSING;
                }
                let (_, month, _) = day::ymd(ms);
                if age >= 75 && !home_help && month == birth_month && tr[t::PREVENTIVE] < 0.4 {
                    mask |= 1 << service::PREVENTIVE;
                }
            }
            if mask == 0 {
                continue;
            }
            let municipality = self.world.places[life.residence_at(at).place]
                .municipality
                .code;
            for s in 0..8 {
                if mask & (1 << s) == 0 {
                    continue;
                }
                let hours = match s {
                    service::PRACTICAL => Some(1.0 + 4.0 * tr[t::PRACTICAL_HOURS]),
                    service::PERSONAL if in_home => Some(60.0 + 60.0 * tr[t::PERSONAL_HOURS]),
                    service::PERSONAL => Some(4.0 + 50.0 * tr[t::PERSONAL_HOURS].powi(2)),
                    _ => None,
                }
                .map(|h| (h * rng.uniform(0.85, 1.15) * 10.0).round() / 10.0);
                let pool = match s {
                    service::PRACTICAL => CONDITIONS_PRACTICAL,
                    service::PERSONAL => CONDITIONS_PERSONAL,
                    service::NURSING => CONDITIONS_NURSING,
                    service::PREVENTIVE => &[][..],
                    _ => CONDITIONS_TRAINING,
                };
                let conditions = codes(rng, pool, 3);
                let interventions = codes(rng, INTERVENTIONS[s], 2);
                self.tables.write(
                    RegisterId::Eoj,
                    &[
                        Val::Cpr(life.cpr),
                        Val::Month(ms),
                        Val::Muni(municipality),
                        Val::Text(CARE_SERVICES[s].code),
                        hours.map_or(Val::Null, Val::Dec),
                        if conditions.is_empty() {
                            Val::Null
                        } else {
                            Val::Text(&conditions)
                        },
                        Val::Text(&interventions),
                    ],
                )?;
            }
        }
        Ok(())
    }
}

/// One to `most` distinct codes of `pool`, in pool order, joined by `|`.
fn codes(rng: &mut Rng, pool: &[&str], most: usize) -> String {
    if pool.is_empty() {
        return String::new();
    }
    let n = 1 + rng.below(most.min(pool.len()) as u64) as usize;
    let start = rng.below(pool.len() as u64) as usize;
    let mut chosen: Vec<usize> = (0..n).map(|k| (start + k) % pool.len()).collect();
    chosen.sort_unstable();
    chosen
        .iter()
        .map(|i| pool[*i])
        .collect::<Vec<_>>()
        .join("|")
}

/// A provider number as six digits, in `buf`.
fn provider(buf: &mut String, number: u32) -> &str {
    use std::fmt::Write;
    buf.clear();
    let _ = write!(buf, "{number:06}");
    buf
}

/// Whether the person with this CPR number is in health-insurance group 2
/// (a fixed share, [`rates::GROUP_TWO_SHARE`], by a hash of the number).
pub fn in_group_two(cpr: u64) -> bool {
    let mixed = cpr.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (cpr >> 29);
    ((mixed >> 11) as f64 / (1u64 << 53) as f64) < rates::GROUP_TWO_SHARE
}
