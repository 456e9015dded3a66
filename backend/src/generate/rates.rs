//! The numbers behind the synthetic population: public calibration
//! figures, the age structure and the age- and sex-dependent rates.
//!
//! Public figures are copied from the project's calibration file
//! (`shared/data/national_calibration.csv`, outside the repository); each
//! constant names the metric of its line. Rate curves are rounded shapes
//! chosen to look Danish; where a public total exists, the curve is scaled
//! (at start-up, over the generator's own age structure) or tuned so that
//! the full-size population reproduces it.

use super::day::{self, Day};

/// Population of Denmark on 1 January 2024 (calibration file, metric
/// `population_denmark`, reference 2024-01-01): the full size that public
/// totals are scaled from.
pub const NATIONAL_POPULATION: f64 = 5_961_249.0;

/// Region populations on 1 January 2024 (calibration file, metrics
/// `population_region_*`).
pub const REGION_POPULATION: &[(u16, f64)] = &[
    (1081, 593_135.0),
    (1082, 1_365_688.0),
    (1083, 1_238_406.0),
    (1084, 1_911_067.0),
    (1085, 852_953.0),
];

/// Nursing-home residents aged 65+ (metric `nursing_home_residents_65plus`).
pub const NURSING_HOME_RESIDENTS_65PLUS: f64 = 41_000.0;
/// Admissions, stays of 12 hours or more, all hospitals (metric
/// `admissions_all_hospitals`, 2021).
pub const ADMISSIONS: f64 = 789_000.0;
/// Admissions per 1,000 in Region Sjælland and Midtjylland (metrics
/// `admissions_per_1000_sjaelland` and `_midtjylland`, 2021).
pub const ADMISSIONS_PER_1000_SJAELLAND: f64 = 152.0;
/// See [`ADMISSIONS_PER_1000_SJAELLAND`].
pub const ADMISSIONS_PER_1000_MIDTJYLLAND: f64 = 121.0;
/// GP contacts a year. The calibration file gives ~41 million for
/// 2009–2019 (metric `gp_contacts_total`) and notes +10.1 % in 2020; the
/// generator aims between the two, at 43 million.
pub const GP_CONTACTS: f64 = 43_000_000.0;
/// Telephone consultations (metric `gp_phone_consultations`, 2020).
pub const GP_PHONE: f64 = 13_300_000.0;
/// E-mail consultations (metric `gp_email_consultations`, 2020).
pub const GP_EMAIL: f64 = 9_300_000.0;
/// Video consultations (metric `gp_video_consultations`, 2020).
pub const GP_VIDEO: f64 = 288_000.0;
/// GP practices (metric `gp_practices`, ~1,980).
pub const GP_PRACTICES: f64 = 1_980.0;
/// GP quality clusters (metric `gp_quality_clusters`).
pub const GP_CLUSTERS: f64 = 114.0;
/// Fewest GP clusters of a small population: two or so per region, so
/// that neighbouring municipalities can be in different clusters, as they
/// are in the national data.
pub const MIN_GP_CLUSTERS: f64 = 10.0;
/// Share of citizens in health-insurance group 2, who are listed with no
/// practice (about 1.5 % in Statistics Denmark's counts; made up at 1/64).
pub const GROUP_TWO_SHARE: f64 = 1.0 / 64.0;
/// Type 2 diabetes (metric `diabetes_type2`, 310,000–322,000: midpoint).
pub const TYPE2_DIABETES: f64 = 316_000.0;
/// Type 1 diabetes (metric `diabetes_type1`, 32,000–34,000: midpoint).
pub const TYPE1_DIABETES: f64 = 33_000.0;
/// Dementia in RUKS, aged 65+ (metric `dementia_ruks_65plus`).
pub const DEMENTIA_65PLUS: f64 = 40_275.0;
/// Dementia in RUKS, under 65 (metric `dementia_ruks_under65`).
pub const DEMENTIA_UNDER65: f64 = 2_775.0;
/// Persons in at least one RUKS group (metric `chronic_any_of_7_ruks`).
pub const CHRONIC_ANY: f64 = 1_000_000.0;
/// Preventable admissions of persons 65+ (metric
/// `preventable_admissions_65plus`).
pub const PREVENTABLE_ADMISSIONS_65PLUS: f64 = 72_000.0;
/// Opioid DDD a year (metric `opioid_ddd_total`, 2021).
pub const OPIOID_DDD: f64 = 28_000_000.0;

/// Share of the population by five-year age band (0–4 … 85+), roughly the
/// Danish structure of the 2020s.
pub const AGE_STRUCTURE: [f64; 18] = [
    5.4, 5.6, 5.9, 6.0, 6.5, 6.9, 6.5, 6.0, 6.0, 6.6, 7.0, 6.7, 6.0, 5.4, 5.3, 4.4, 2.7, 2.3,
];

/// Oldest age drawn.
pub const MAX_AGE: usize = 104;

/// Within 85+, each year of age is this much rarer than the one before.
const OLDEST_DECAY: f64 = 0.80;

/// Share of women at `age`.
pub fn female_share(age: i32) -> f64 {
    match age {
        ..=59 => 0.49,
        60..=79 => 0.52,
        80..=89 => 0.60,
        _ => 0.70,
    }
}

/// Weights of single years of age within the 85+ band.
pub fn oldest_weights() -> Vec<f64> {
    (85..=MAX_AGE)
        .map(|a| OLDEST_DECAY.powi(a as i32 - 85))
        .collect()
}

/// Share of the population at each single year of age (0..=MAX_AGE).
pub fn age_shares() -> Vec<f64> {
    let total: f64 = AGE_STRUCTURE.iter().sum();
    let oldest = oldest_weights();
    let oldest_total: f64 = oldest.iter().sum();
    (0..=MAX_AGE)
        .map(|a| {
            let band = (a / 5).min(17);
            if band < 17 {
                AGE_STRUCTURE[band] / 5.0 / total
            } else {
                AGE_STRUCTURE[17] / total * oldest[a - 85] / oldest_total
            }
        })
        .collect()
}

/// Linear interpolation between `(age, value)` knots (flat outside).
pub fn knots(points: &[(f64, f64)], age: f64) -> f64 {
    let (first, last) = (points[0], points[points.len() - 1]);
    if age <= first.0 {
        return first.1;
    }
    if age >= last.0 {
        return last.1;
    }
    let i = points
        .iter()
        .position(|p| p.0 > age)
        .unwrap_or(points.len() - 1);
    let (a, b) = (points[i - 1], points[i]);
    a.1 + (b.1 - a.1) * (age - a.0) / (b.0 - a.0)
}

/// A chronic group of RUKS with its shape of prevalence by age and its
/// full-size total (persons alive on the reference date).
pub struct ChronicShape {
    /// Code in the catalogue's `CHRONIC_GROUPS`.
    pub code: &'static str,
    /// Relative prevalence by age.
    pub by_age: &'static [(f64, f64)],
    /// Relative prevalence of women to men.
    pub female: f64,
    /// Persons in the group at full size; (under 65, 65+) when split.
    pub total: Target,
}

/// A full-size total to scale a prevalence curve to.
pub enum Target {
    /// One total for all ages.
    All(f64),
    /// Separate totals under 65 and from 65.
    Split(f64, f64),
}

/// The eight groups, in the catalogue's order. Totals of groups without a
/// public figure in the calibration file are rounded guesses, tuned so
/// that the union comes close to [`CHRONIC_ANY`].
pub const CHRONIC: [ChronicShape; 8] = [
    ChronicShape {
        code: "asthma",
        by_age: &[
            (0.0, 1.0),
            (5.0, 4.0),
            (15.0, 5.0),
            (40.0, 5.5),
            (70.0, 6.5),
        ],
        female: 1.15,
        total: Target::All(320_000.0),
    },
    ChronicShape {
        code: "dementia",
        by_age: &[
            (39.0, 0.0),
            (40.0, 0.01),
            (55.0, 0.1),
            (64.0, 0.35),
            (65.0, 0.45),
            (70.0, 1.0),
            (75.0, 2.4),
            (80.0, 5.5),
            (85.0, 10.0),
            (90.0, 15.0),
            (95.0, 19.0),
        ],
        female: 1.15,
        total: Target::Split(DEMENTIA_UNDER65, DEMENTIA_65PLUS),
    },
    ChronicShape {
        code: "copd",
        by_age: &[
            (35.0, 0.0),
            (40.0, 0.3),
            (50.0, 1.0),
            (60.0, 3.0),
            (70.0, 7.0),
            (80.0, 10.0),
        ],
        female: 1.0,
        total: Target::All(170_000.0),
    },
    ChronicShape {
        code: "rheumatoid_arthritis",
        by_age: &[(15.0, 0.0), (20.0, 0.2), (50.0, 1.0), (70.0, 2.0)],
        female: 2.5,
        total: Target::All(50_000.0),
    },
    ChronicShape {
        code: "osteoporosis",
        by_age: &[
            (45.0, 0.0),
            (50.0, 0.5),
            (60.0, 2.0),
            (70.0, 6.0),
            (80.0, 14.0),
            (90.0, 20.0),
        ],
        female: 4.0,
        total: Target::All(170_000.0),
    },
    ChronicShape {
        code: "type1_diabetes",
        by_age: &[(0.0, 0.0), (5.0, 0.2), (10.0, 0.4), (18.0, 0.6)],
        female: 0.87,
        total: Target::All(TYPE1_DIABETES),
    },
    ChronicShape {
        code: "type2_diabetes",
        by_age: &[
            (25.0, 0.0),
            (30.0, 0.5),
            (40.0, 2.0),
            (50.0, 5.0),
            (60.0, 10.0),
            (70.0, 16.0),
            (80.0, 19.0),
        ],
        female: 0.75,
        total: Target::All(TYPE2_DIABETES),
    },
    ChronicShape {
        code: "schizophrenia",
        by_age: &[(15.0, 0.0), (18.0, 0.2), (25.0, 0.6), (35.0, 0.8)],
        female: 0.7,
        total: Target::All(28_000.0),
    },
];

/// Index of a chronic group in [`CHRONIC`].
pub mod group {
    pub const ASTHMA: usize = 0;
    pub const DEMENTIA: usize = 1;
    pub const COPD: usize = 2;
    pub const RA: usize = 3;
    pub const OSTEOPOROSIS: usize = 4;
    pub const TYPE1: usize = 5;
    pub const TYPE2: usize = 6;
    pub const SCHIZOPHRENIA: usize = 7;
}

/// Relative nursing-home residence by age (65+ only).
const NURSING_HOME_BY_AGE: &[(f64, f64)] = &[
    (64.0, 0.0),
    (65.0, 0.15),
    (70.0, 0.35),
    (75.0, 1.0),
    (80.0, 2.8),
    (85.0, 7.0),
    (90.0, 14.0),
    (95.0, 25.0),
    (100.0, 35.0),
];

/// Share receiving home help (living at home) by age.
const HOME_HELP_BY_AGE: &[(f64, f64)] = &[
    (59.0, 0.0),
    (65.0, 0.015),
    (70.0, 0.025),
    (75.0, 0.05),
    (80.0, 0.11),
    (85.0, 0.20),
    (90.0, 0.30),
    (95.0, 0.36),
];

/// Prevalence tables by sex (0 men, 1 women) and single year of age, made
/// non-decreasing with age, so that "in the group at age a" is "a latent
/// uniform below the table at a": persons enter a group as they age and
/// never leave it, and the onset date follows from the latent.
pub struct Curves {
    /// RUKS groups.
    pub chronic: Vec<[Vec<f64>; 2]>,
    /// Nursing home.
    pub nursing_home: [Vec<f64>; 2],
    /// Nursing home or home help (the home-help band lies above the
    /// nursing-home band of the same latent).
    pub care: [Vec<f64>; 2],
}

/// Running maximum (prevalences are capped at 1 when scaled).
fn monotone(mut v: Vec<f64>) -> Vec<f64> {
    let mut top: f64 = 0.0;
    for x in &mut v {
        top = top.max(*x);
        *x = top;
    }
    v
}

/// Expected share of the population (at the generator's age structure)
/// in a group whose tables by sex are `tables`, for ages in `ages`. The
/// tables are read as linear between whole years, and birthdays are spread
/// over the year, so each year of age counts with its midpoint.
fn expected(shares: &[f64], ages: std::ops::Range<usize>, tables: &[Vec<f64>; 2]) -> f64 {
    ages.map(|a| {
        let f = female_share(a as i32);
        let mid = |t: &Vec<f64>| (t[a] + t[(a + 1).min(MAX_AGE)]) / 2.0;
        shares[a] * ((1.0 - f) * mid(&tables[0]) + f * mid(&tables[1]))
    })
    .sum()
}

impl Curves {
    /// Builds the tables, scaling each curve to its full-size total.
    pub fn new() -> Curves {
        let shares = age_shares();
        let all = 0..MAX_AGE + 1;
        let table = |shape: &dyn Fn(usize, bool) -> f64| -> [Vec<f64>; 2] {
            [
                monotone(all.clone().map(|a| shape(a, false)).collect()),
                monotone(all.clone().map(|a| shape(a, true)).collect()),
            ]
        };
        let chronic = CHRONIC
            .iter()
            .map(|g| {
                let raw = |a: usize, female: bool| {
                    knots(g.by_age, a as f64) * if female { g.female } else { 1.0 }
                };
                let unscaled = table(&raw);
                let (under, over) = match g.total {
                    Target::All(t) => {
                        let s = t / NATIONAL_POPULATION / expected(&shares, all.clone(), &unscaled);
                        (s, s)
                    }
                    Target::Split(u, o) => (
                        u / NATIONAL_POPULATION / expected(&shares, 0..65, &unscaled),
                        o / NATIONAL_POPULATION / expected(&shares, 65..MAX_AGE + 1, &unscaled),
                    ),
                };
                table(&|a, female| (raw(a, female) * if a < 65 { under } else { over }).min(1.0))
            })
            .collect();
        let nh_raw = |a: usize, _female: bool| knots(NURSING_HOME_BY_AGE, a as f64);
        let nh_scale = NURSING_HOME_RESIDENTS_65PLUS
            / NATIONAL_POPULATION
            / expected(&shares, 65..MAX_AGE + 1, &table(&nh_raw));
        let nursing_home = table(&|a, f| (nh_raw(a, f) * nh_scale).min(1.0));
        let care =
            table(&|a, f| (nh_raw(a, f) * nh_scale + knots(HOME_HELP_BY_AGE, a as f64)).min(1.0));
        Curves {
            chronic,
            nursing_home,
            care,
        }
    }
}

/// The age (in years, with a fraction) at which `table`, read as linear
/// between whole years, first exceeds `u`, if ever.
pub fn crossing_age(table: &[f64], u: f64) -> Option<f64> {
    let a = table.iter().position(|p| *p > u)?;
    if a == 0 {
        return Some(0.0);
    }
    let (lo, hi) = (table[a - 1], table[a]);
    Some((a - 1) as f64 + ((u - lo) / (hi - lo)).clamp(0.0, 1.0))
}

/// Yearly probability of death at `age` (Gompertz; men higher).
pub fn mortality(age: i32, female: bool) -> f64 {
    let base = if age == 0 {
        0.003
    } else {
        (-10.4 + 0.095 * f64::from(age)).exp()
    };
    (base * if female { 0.85 } else { 1.25 }).min(0.6)
}

/// Yearly probability of emigrating at `age`.
pub fn emigration(age: i32) -> f64 {
    match age {
        ..=17 => 0.004,
        18..=34 => 0.02,
        35..=49 => 0.008,
        _ => 0.002,
    }
}

/// Yearly probability of disappearing (CPR status 70).
pub const DISAPPEARANCE: f64 = 0.000_08;
/// Births a year per person.
pub const BIRTH_RATE: f64 = 0.0097;
/// Immigrants a year per person.
pub const IMMIGRATION_RATE: f64 = 0.0115;

/// Immigrants' ages: (from, to, weight).
pub const IMMIGRANT_AGES: &[(i32, i32, f64)] = &[
    (0, 17, 15.0),
    (18, 24, 25.0),
    (25, 34, 35.0),
    (35, 49, 17.0),
    (50, 69, 6.0),
    (70, 85, 2.0),
];

/// Moves a year at `age`, and the share of them to another municipality.
pub fn moves(age: i32) -> (f64, f64) {
    match age {
        ..=17 => (0.08, 0.3),
        18..=24 => (0.35, 0.45),
        25..=34 => (0.22, 0.4),
        35..=49 => (0.09, 0.3),
        50..=64 => (0.05, 0.3),
        65..=79 => (0.04, 0.25),
        _ => (0.03, 0.2),
    }
}

/// Yearly GP contacts (all types) per person by five-year age band, (men,
/// women), before the calibration factor.
pub const GP_RATE: [(f64, f64); 18] = [
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

/// Calibration factor of GP contacts (tuned at 600,000 persons).
pub const GP_FACTOR: f64 = 0.94;

/// Mix of GP contact types (consultation, phone, e-mail, video, other
/// in-person, home visit), in the order of `GpContactType::ALL`.
pub const CONTACT_MIX: [f64; 6] = [44.5, 30.6, 22.8, 0.67, 1.0, 0.6];

/// Yearly admissions (stays of 12 hours or more) by age, before factors.
pub fn admission_rate(age: i32) -> f64 {
    knots(
        &[
            (0.0, 0.25),
            (1.0, 0.08),
            (5.0, 0.04),
            (15.0, 0.05),
            (25.0, 0.06),
            (45.0, 0.08),
            (55.0, 0.12),
            (65.0, 0.19),
            (75.0, 0.32),
            (85.0, 0.48),
            (95.0, 0.55),
        ],
        f64::from(age),
    )
}

/// Extra yearly admissions for births (women 18–44).
pub fn birth_admission_rate(age: i32, female: bool) -> f64 {
    if female && (18..=44).contains(&age) {
        knots(
            &[
                (18.0, 0.01),
                (25.0, 0.06),
                (31.0, 0.09),
                (38.0, 0.03),
                (44.0, 0.005),
            ],
            f64::from(age),
        )
    } else {
        0.0
    }
}

/// Calibration factor of admissions (tuned at 600,000 persons).
pub const ADMISSION_FACTOR: f64 = 0.855;

/// Share of admissions of persons 65+ with a preventable diagnosis (tuned).
pub const PREVENTABLE_SHARE_65PLUS: f64 = 0.18;
/// Share of admissions under 65 with such a diagnosis.
pub const PREVENTABLE_SHARE_UNDER65: f64 = 0.06;

/// Yearly outpatient contacts by age, before factors.
pub fn outpatient_rate(age: i32) -> f64 {
    0.5 + 0.02 * f64::from(age)
}

/// Yearly emergency-department visits without admission.
pub const EMERGENCY_VISIT_RATE: f64 = 0.11;

/// Yearly specialist-practice contacts by age.
pub fn specialist_rate(age: i32) -> f64 {
    knots(
        &[
            (0.0, 0.4),
            (18.0, 0.6),
            (40.0, 0.9),
            (65.0, 1.4),
            (80.0, 1.5),
            (90.0, 1.0),
        ],
        f64::from(age),
    )
}

/// Opioid users a year by age (share), before factors.
pub fn opioid_use(age: i32) -> f64 {
    knots(
        &[
            (14.0, 0.0),
            (18.0, 0.015),
            (40.0, 0.045),
            (60.0, 0.08),
            (80.0, 0.13),
            (90.0, 0.16),
        ],
        f64::from(age),
    )
}

/// Calibration factor of opioid redemptions (tuned at 600,000 persons).
pub const OPIOID_FACTOR: f64 = 1.03;

/// Days in `year`.
pub fn days_in_year(year: i32) -> i64 {
    i64::from(day::new_year(year + 1) - day::new_year(year))
}

/// A uniform day in [from, to).
pub fn day_between(rng: &mut super::rng::Rng, from: Day, to: Day) -> Day {
    from + rng.below(u64::from((to - from).max(1) as u32)) as Day
}
