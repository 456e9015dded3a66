//! The standard reports: one per theme of the real portal — citizens 65
//! and over, selected chronic diseases, children and youth, and the
//! health clusters' data package. Each is key figures over four charts,
//! built from the same [`ChartSpec`]s as the advanced tool.

use std::fmt;
use std::str::FromStr;

use shared::measure::Scale;
use shared::{DimensionId, Lang, MeasureId, Text};

use super::report::{ChartKind, ChartSpec};
use super::AGE_RANGES;

/// A theme with a standard report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ThemeId {
    /// Citizens aged 65 and over.
    Elderly,
    /// Selected chronic diseases.
    Chronic,
    /// Children and youth (0–17).
    Children,
    /// The health clusters' data package.
    Clusters,
    /// Contact with general practice, hospitals and municipal care, alone
    /// and together.
    CrossSector,
    /// Medicines redeemed by general practices' listed patients (the
    /// national overview of the cluster insight pages).
    Medicines,
}

impl ThemeId {
    /// Every theme, in the order the overview shows them.
    pub const ALL: [ThemeId; 6] = [
        ThemeId::Elderly,
        ThemeId::Chronic,
        ThemeId::Children,
        ThemeId::Clusters,
        ThemeId::CrossSector,
        ThemeId::Medicines,
    ];

    /// The path segment: `/rapporter/<slug>`.
    pub fn slug(self) -> &'static str {
        match self {
            ThemeId::Elderly => "aeldre",
            ThemeId::Chronic => "kroniske-sygdomme",
            ThemeId::Children => "boern-og-unge",
            ThemeId::Clusters => "sundhedsklynger",
            ThemeId::CrossSector => "paa-tvaers-af-sektorer",
            ThemeId::Medicines => "medicin",
        }
    }

    /// The theme's report.
    pub fn report(self) -> &'static StandardReport {
        &STANDARD_REPORTS[self as usize]
    }
}

impl fmt::Display for ThemeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

/// A path segment that names no theme.
#[derive(Debug)]
pub struct UnknownTheme;

impl FromStr for ThemeId {
    type Err = UnknownTheme;

    fn from_str(slug: &str) -> Result<ThemeId, UnknownTheme> {
        ThemeId::ALL
            .into_iter()
            .find(|t| t.slug() == slug)
            .ok_or(UnknownTheme)
    }
}

/// A key figure of a report: a measure for the report's filters, or for
/// one person attribute's value (a target group) whatever the filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyFigureSpec {
    /// The measure.
    pub measure: MeasureId,
    /// Its scale; `None` for the measure's default.
    pub scale: Option<Scale>,
    /// The citizens it counts, if not those of the filter.
    pub person: Option<(DimensionId, u16)>,
}

impl KeyFigureSpec {
    /// Its label: the measure's, and the person attribute's value.
    pub fn label(&self, lang: Lang) -> String {
        let measure = self.measure.def().label().get(lang);
        match self.person {
            Some((dimension, code)) => format!("{measure}: {}", dimension.value_label(code, lang)),
            None => measure.to_string(),
        }
    }
}

/// A standard report.
#[derive(Debug)]
pub struct StandardReport {
    /// Which theme.
    pub id: ThemeId,
    /// Title.
    pub title: Text,
    /// What it shows.
    pub intro: Text,
    /// The age range it covers (age-group codes; empty: all ages).
    pub age: &'static [u16],
    /// Key figures, the first on the overview's card.
    pub key_figures: [KeyFigureSpec; 4],
    /// Its charts.
    pub charts: [ChartSpec; 4],
}

const fn figure(measure: MeasureId) -> KeyFigureSpec {
    KeyFigureSpec {
        measure,
        scale: None,
        person: None,
    }
}

const fn target_group(code: u16) -> KeyFigureSpec {
    KeyFigureSpec {
        measure: MeasureId::Citizens,
        scale: None,
        person: Some((DimensionId::TargetGroup, code)),
    }
}

const fn chart(measure: MeasureId, by: DimensionId, kind: ChartKind) -> ChartSpec {
    ChartSpec {
        measure,
        scale: None,
        by,
        kind,
    }
}

use ChartKind::{Bar, Line, Map, Table};
use DimensionId as D;
use MeasureId as M;

/// The standard reports, in [`ThemeId`] order.
pub static STANDARD_REPORTS: [StandardReport; 6] = [
    StandardReport {
        id: ThemeId::Elderly,
        title: Text {
            da: "Borgere på 65 år og derover",
            en: "Citizens aged 65 and over",
        },
        intro: Text {
            da: "Indlæggelser, forebyggelige indlæggelser, genindlæggelser og kommunal hjemmehjælp blandt borgere på 65 år og derover.",
            en: "Admissions, preventable admissions, readmissions and municipal home help among citizens aged 65 and over.",
        },
        age: AGE_RANGES[2],
        key_figures: [
            figure(M::Admissions),
            figure(M::PreventableAdmissions),
            figure(M::ReadmissionRate),
            figure(M::CareHomeHelp),
        ],
        charts: [
            chart(M::Admissions, D::Municipality, Map),
            chart(M::PreventableAdmissions, D::Region, Bar),
            chart(M::CareHomeHelp, D::AgeGroup, Bar),
            chart(M::ReadmissionRate, D::HealthCluster, Table),
        ],
    },
    StandardReport {
        id: ThemeId::Chronic,
        title: Text {
            da: "Udvalgte kroniske sygdomme",
            en: "Selected chronic diseases",
        },
        intro: Text {
            da: "Borgere i RUKS' otte kroniske sygdomsgrupper og deres kontakter med almen praksis og sygehuse.",
            en: "Citizens in the eight chronic disease groups of RUKS and their contacts with general practice and hospitals.",
        },
        age: &[],
        key_figures: [
            target_group(9),
            target_group(7),
            target_group(3),
            target_group(2),
        ],
        charts: [
            chart(M::Citizens, D::TargetGroup, Bar),
            chart(M::GpContacts, D::TargetGroup, Bar),
            chart(M::Admissions, D::TargetGroup, Bar),
            chart(M::HospitalContacts, D::TargetGroup, Table),
        ],
    },
    StandardReport {
        id: ThemeId::Children,
        title: Text {
            da: "Børn og unge",
            en: "Children and youth",
        },
        intro: Text {
            da: "Kontakter med almen praksis og sygehuse blandt børn og unge på 0-17 år.",
            en: "Contacts with general practice and hospitals among children and youth aged 0-17.",
        },
        age: AGE_RANGES[0],
        key_figures: [
            figure(M::GpContacts),
            figure(M::HospitalContacts),
            figure(M::Admissions),
            figure(M::AdmissionsPsychiatric),
        ],
        charts: [
            chart(M::GpContacts, D::Municipality, Map),
            chart(M::HospitalContacts, D::AgeBand, Bar),
            chart(M::Admissions, D::Sex, Bar),
            chart(M::AdmissionsPsychiatric, D::Region, Table),
        ],
    },
    StandardReport {
        id: ThemeId::Clusters,
        title: Text {
            da: "Sundhedsklyngernes datapakke",
            en: "The health clusters' data package",
        },
        intro: Text {
            da: "Indlæggelser, genindlæggelser, forebyggelige indlæggelser og kontakt med almen praksis forud for indlæggelse, for hver sundhedsklynge.",
            en: "Admissions, readmissions, preventable admissions and contact with general practice before admission, for each health cluster.",
        },
        age: &[],
        key_figures: [
            figure(M::Admissions),
            figure(M::ReadmissionRate),
            figure(M::PreventableAdmissions),
            figure(M::AdmissionsPriorGpShare),
        ],
        charts: [
            chart(M::Admissions, D::HealthCluster, Bar),
            chart(M::ReadmissionRate, D::HealthCluster, Bar),
            chart(M::PreventableAdmissions, D::HealthCluster, Table),
            chart(M::GpContacts, D::Municipality, Map),
        ],
    },
    StandardReport {
        id: ThemeId::CrossSector,
        title: Text {
            da: "Kontakt på tværs af sektorer",
            en: "Contact across sectors",
        },
        intro: Text {
            da: "Borgere i kontakt med almen praksis, sygehus og kommune, hver for sig og sammen. Hver borger tæller i netop én kombination af de tre sektorer i perioden.",
            en: "Citizens in contact with general practice, hospitals and the municipality, alone and together. Each citizen counts in exactly one combination of the three sectors in the period.",
        },
        age: &[],
        key_figures: [
            figure(M::SectorsTwoPlus),
            figure(M::SectorsAll),
            figure(M::SectorsGpOnly),
            figure(M::SectorsNone),
        ],
        charts: [
            chart(M::SectorsTwoPlus, D::Municipality, Map),
            chart(M::SectorsAll, D::AgeGroup, Bar),
            chart(M::SectorsTwoPlus, D::TargetGroup, Bar),
            chart(M::SectorsGpHospital, D::HealthCluster, Table),
        ],
    },
    StandardReport {
        id: ThemeId::Medicines,
        title: Text {
            da: "Medicin i almen praksis",
            en: "Medicines in general practice",
        },
        intro: Text {
            da: "Patienter, der har indløst opioider, sovemidler og beroligende midler, antipsykotika, centralstimulerende midler og antidepressiva, pr. 1.000 tilmeldte patienter, opgjort efter lægepraksissens kommune. Klynger og praksis ser deres egne tal under Klyngeindsigt.",
            en: "Patients who redeemed opioids, hypnotics and sedatives, antipsychotics, central stimulants and antidepressants, per 1,000 listed patients, by the municipality of the practice. Clusters and practices see their own figures under Cluster insight.",
        },
        age: &[],
        key_figures: [
            figure(M::OpioidPatients),
            figure(M::SedativePatients),
            figure(M::AntipsychoticPatients),
            figure(M::AntidepressantPatients),
        ],
        charts: [
            chart(M::OpioidPatients, D::Municipality, Map),
            chart(M::OpioidDdd, D::Region, Bar),
            chart(M::SedativePatients, D::AgeGroup, Bar),
            chart(M::AntidepressantPatients, D::Year, Line),
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::report::BREAKDOWNS;

    #[test]
    fn every_theme_has_its_report_and_a_slug_that_reads_back() {
        for theme in ThemeId::ALL {
            assert_eq!(theme.report().id, theme);
            assert_eq!(theme.slug().parse::<ThemeId>().ok(), Some(theme));
        }
        assert!("nope".parse::<ThemeId>().is_err());
    }

    #[test]
    fn reports_use_only_what_the_tool_offers() {
        for report in &STANDARD_REPORTS {
            assert!(report.age.is_empty() || AGE_RANGES.contains(&report.age));
            for chart in report.charts {
                assert!(BREAKDOWNS.contains(&chart.by), "{:?}", chart.by);
                assert_eq!(chart.kind(), chart.kind, "a map only where it fits");
            }
            for figure in report.key_figures {
                if let Some((dimension, code)) = figure.person {
                    assert!(crate::state::is_attribute_value(dimension, code));
                }
            }
        }
    }
}
