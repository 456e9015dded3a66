//! The calibration report: generated totals against public figures scaled
//! to the population size, counted from the rows as they are written.

use shared::geography::REGIONS;

use super::rates::{self, group, NATIONAL_POPULATION, REGION_POPULATION};

/// Counts for the last year of the period (events in it, states on its
/// first day).
#[derive(Clone, Debug, Default)]
pub struct Tally {
    /// Residents by region (order of `REGIONS`) on the reference day.
    pub region_population: [u64; 5],
    /// Nursing-home residents 65+ on the reference day.
    pub nursing_home_65plus: u64,
    /// Admissions (stays of 12 hours or more) starting in the year.
    pub admissions: u64,
    /// Of which persons 65+ with a preventable diagnosis.
    pub preventable_65plus: u64,
    /// GP contacts by type (order of `GpContactType::ALL`).
    pub gp: [u64; 6],
    /// Persons in each RUKS group on the reference day.
    pub chronic: [u64; 8],
    /// Dementia, 65+.
    pub dementia_65plus: u64,
    /// Dementia, under 65.
    pub dementia_under65: u64,
    /// Persons in any group.
    pub chronic_any: u64,
    /// Opioid DDD redeemed in the year.
    pub opioid_ddd: f64,
}

/// One line of the report.
#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    /// What is counted.
    pub name: String,
    /// Generated.
    pub generated: f64,
    /// Public figure scaled to the population size.
    pub public: f64,
}

impl Metric {
    /// Difference in percent of the public figure.
    pub fn difference(&self) -> f64 {
        if self.public == 0.0 {
            0.0
        } else {
            (self.generated - self.public) / self.public * 100.0
        }
    }

    /// Within ±5 %.
    pub fn within(&self) -> bool {
        self.difference().abs() <= 5.0
    }
}

/// The report's lines for `persons` persons.
pub fn metrics(tally: &Tally, persons: u64, year: i32) -> Vec<Metric> {
    let scale = persons as f64 / NATIONAL_POPULATION;
    let mut out = Vec::new();
    let mut line = |name: String, generated: f64, public: f64| {
        out.push(Metric {
            name,
            generated,
            public: public * scale,
        });
    };
    for (i, region) in REGIONS.iter().enumerate() {
        let public = REGION_POPULATION
            .iter()
            .find(|(c, _)| *c == region.code)
            .map_or(0.0, |(_, p)| *p);
        line(
            format!("Population {} 1 Jan {year}", region.short_name),
            tally.region_population[i] as f64,
            public,
        );
    }
    line(
        format!("Nursing-home residents 65+ 1 Jan {year}"),
        tally.nursing_home_65plus as f64,
        rates::NURSING_HOME_RESIDENTS_65PLUS,
    );
    line(
        format!("Admissions (≥12 h) {year}"),
        tally.admissions as f64,
        rates::ADMISSIONS,
    );
    line(
        format!("Preventable admissions 65+ {year}"),
        tally.preventable_65plus as f64,
        rates::PREVENTABLE_ADMISSIONS_65PLUS,
    );
    line(
        format!("GP contacts {year}"),
        tally.gp.iter().sum::<u64>() as f64,
        rates::GP_CONTACTS,
    );
    line(
        format!("GP phone consultations {year}"),
        tally.gp[1] as f64,
        rates::GP_PHONE,
    );
    line(
        format!("GP e-mail consultations {year}"),
        tally.gp[2] as f64,
        rates::GP_EMAIL,
    );
    line(
        format!("GP video consultations {year}"),
        tally.gp[3] as f64,
        rates::GP_VIDEO,
    );
    line(
        format!("RUKS type 2 diabetes 1 Jan {year}"),
        tally.chronic[group::TYPE2] as f64,
        rates::TYPE2_DIABETES,
    );
    line(
        format!("RUKS type 1 diabetes 1 Jan {year}"),
        tally.chronic[group::TYPE1] as f64,
        rates::TYPE1_DIABETES,
    );
    line(
        format!("RUKS dementia 65+ 1 Jan {year}"),
        tally.dementia_65plus as f64,
        rates::DEMENTIA_65PLUS,
    );
    line(
        format!("RUKS dementia under 65 1 Jan {year}"),
        tally.dementia_under65 as f64,
        rates::DEMENTIA_UNDER65,
    );
    line(
        format!("RUKS any chronic group 1 Jan {year}"),
        tally.chronic_any as f64,
        rates::CHRONIC_ANY,
    );
    line(
        format!("Opioid DDD (N02A) {year}"),
        tally.opioid_ddd.round(),
        rates::OPIOID_DDD,
    );
    out
}

/// The report as a text table.
pub fn table(metrics: &[Metric]) -> String {
    let mut out = format!(
        "{:<42} {:>14} {:>14} {:>8}\n",
        "metric", "generated", "public scaled", "diff %"
    );
    for m in metrics {
        out.push_str(&format!(
            "{:<42} {:>14.0} {:>14.0} {:>+8.1} {}\n",
            m.name,
            m.generated,
            m.public,
            m.difference(),
            if m.within() { "✓" } else { "✗" }
        ));
    }
    out
}
