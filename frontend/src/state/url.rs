//! The view state in the query string: `?measure=admissions&scale=count&sex=2&lang=en`.
//!
//! Keys are the catalogue's dimension keys and values its codes, so links
//! stay valid as labels change. Defaults are left out, so the plain
//! address is the default view. Unknown or malformed parameters are
//! ignored, never an error: an old link still opens.

use shared::measure::Scale;
use shared::{DimensionId, Lang, MeasureId, Sex};

use super::report::{default_report, ChartSpec, MAX_CHARTS};
use super::{
    age_range_key, is_attribute_value, is_period, parse_age_range, Area, Filters, MapLevel,
    ViewState, DEFAULT_MEASURE, FIRST_VALUE, PERIODS, PERSON_ATTRIBUTES,
};

const LANG: &str = "lang";
const MEASURE: &str = "measure";
const SCALE: &str = "scale";
const RELEASE: &str = "release";
const MAP: &str = "map";
const CHART: &str = "chart";
/// The geographies an area can be, in the order the address is read.
const AREAS: [DimensionId; 3] = [
    DimensionId::Region,
    DimensionId::HealthCluster,
    DimensionId::Municipality,
];

/// Reads a query string (with or without the leading `?`).
pub fn parse(query: &str) -> ViewState {
    let mut state = ViewState::default();
    let mut scale = None;
    let mut period = None;
    let mut charts = Vec::new();
    for pair in query.trim_start_matches('?').split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            LANG if value == Lang::En.code() => state.lang = Lang::En,
            MEASURE => {
                // The portal's pages show measures by residence only.
                state.filters.measure = MeasureId::from_key(value)
                    .filter(|m| m.def().by_residence())
                    .unwrap_or(DEFAULT_MEASURE);
            }
            SCALE => scale = Scale::from_key(value),
            RELEASE if is_release_id(value) => state.filters.release = Some(value.to_string()),
            k if k == DimensionId::AgeGroup.key() => {
                if let Some(codes) = parse_age_range(value) {
                    state.filters.age = codes;
                }
            }
            k if PERIODS.iter().any(|d| d.key() == k) => {
                // One period: the first valid one.
                let dimension = PERIODS.into_iter().find(|d| d.key() == k);
                if period.is_none() {
                    period = dimension
                        .zip(value.parse().ok())
                        .filter(|(d, code)| is_period(*d, *code));
                }
            }
            k if k == DimensionId::Sex.key() => {
                state.filters.sex = value.parse().ok().and_then(Sex::from_code);
            }
            MAP if value == DimensionId::Region.key() => state.filters.map_level = MapLevel::Region,
            CHART if charts.len() < MAX_CHARTS => charts.extend(ChartSpec::parse(value)),
            k if AREAS.iter().any(|d| d.key() == k) => {
                // One area: the first valid one.
                if state.filters.area == Area::Country {
                    let dimension = AREAS.into_iter().find(|d| d.key() == k);
                    state.filters.area = dimension
                        .zip(value.parse().ok())
                        .and_then(|(d, code)| Area::of(d, code))
                        .unwrap_or(Area::Country);
                }
            }
            k => {
                // One person attribute at a time: the first valid one.
                let attribute = PERSON_ATTRIBUTES.into_iter().find(|d| d.key() == k);
                if let (Some(d), None) = (attribute, state.filters.person) {
                    // An empty value of an attribute whose values come
                    // from its tile: its first value.
                    let first = (value.is_empty() && d.codes().is_none()).then_some(FIRST_VALUE);
                    state.filters.person = first
                        .or_else(|| value.parse().ok().filter(|c| is_attribute_value(d, *c)))
                        .map(|c| (d, c));
                }
            }
        }
    }
    if !charts.is_empty() {
        state.charts = charts;
    }
    // A period comes from a tile of its own, as a person attribute does:
    // of the two, the person attribute (whose filter then says why the
    // period cannot be chosen).
    state.filters.period = period.filter(|_| state.filters.person.is_none());
    // A scale the measure does not offer, or its default, is no choice.
    let measure = state.filters.measure.def();
    state.filters.scale =
        scale.filter(|s| measure.scales.contains(s) && *s != measure.default_scale());
    state
}

/// A release id: 64 lower-case hex digits.
fn is_release_id(value: &str) -> bool {
    value.len() == 64
        && value
            .bytes()
            .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Writes the query string without the leading `?` (`""` for the default
/// view).
pub fn render(state: &ViewState) -> String {
    let mut pairs = Vec::new();
    let Filters {
        measure,
        scale,
        area,
        sex,
        age,
        person,
        period,
        release,
        map_level,
    } = &state.filters;
    if *measure != DEFAULT_MEASURE {
        pairs.push(format!("{MEASURE}={}", measure.def().key));
    }
    if let Some(scale) = scale.filter(|s| *s != measure.def().default_scale()) {
        pairs.push(format!("{SCALE}={}", scale.key()));
    }
    if let Some((dimension, code)) = area.filter() {
        pairs.push(format!("{}={code}", dimension.key()));
    }
    if let Some(sex) = sex {
        pairs.push(format!("{}={}", DimensionId::Sex.key(), sex.code()));
    }
    if !age.is_empty() {
        pairs.push(format!(
            "{}={}",
            DimensionId::AgeGroup.key(),
            age_range_key(age)
        ));
    }
    match person {
        Some((dimension, FIRST_VALUE)) => pairs.push(format!("{}=", dimension.key())),
        Some((dimension, code)) => pairs.push(format!("{}={code}", dimension.key())),
        None => {}
    }
    if let Some((dimension, code)) = period {
        pairs.push(format!("{}={code}", dimension.key()));
    }
    if let Some(release) = release {
        pairs.push(format!("{RELEASE}={release}"));
    }
    if *map_level == MapLevel::Region {
        pairs.push(format!("{MAP}={}", DimensionId::Region.key()));
    }
    if state.charts != default_report() {
        for chart in &state.charts {
            pairs.push(format!("{CHART}={}", chart.render()));
        }
    }
    if state.lang != Lang::default() {
        pairs.push(format!("{LANG}={}", state.lang.code()));
    }
    pairs.join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_state() {
        for lang in [Lang::Da, Lang::En] {
            for sex in [None, Some(Sex::Male), Some(Sex::Female)] {
                for (area, person) in [
                    (Area::Country, None),
                    (Area::Region(1081), Some((DimensionId::TargetGroup, 11))),
                    (Area::Municipality(751), Some((DimensionId::CprStatus, 90))),
                    (Area::HealthCluster(3), Some((DimensionId::NursingHome, 2))),
                    (Area::Region(1084), Some((DimensionId::GpCluster, 17))),
                    (Area::Municipality(101), Some((DimensionId::GpCluster, 0))),
                ] {
                    for (measure, scale) in [
                        (DEFAULT_MEASURE, None),
                        (DEFAULT_MEASURE, Some(Scale::Count)),
                        (MeasureId::MeanLengthOfStay, None),
                        (MeasureId::CareHomeHelp, Some(Scale::Count)),
                    ] {
                        let filters = Filters {
                            measure,
                            scale,
                            area,
                            sex,
                            age: if person.is_some() {
                                vec![3, 4, 5]
                            } else {
                                Vec::new()
                            },
                            person,
                            period: match (person, sex) {
                                (Some(_), _) | (_, None) => None,
                                (None, Some(Sex::Male)) => Some((DimensionId::Quarter, 4)),
                                (None, Some(Sex::Female)) => Some((DimensionId::Month, 11)),
                            },
                            release: (area != Area::Country).then(|| "ab".repeat(32)),
                            map_level: if sex == Some(Sex::Male) {
                                MapLevel::Region
                            } else {
                                MapLevel::Municipality
                            },
                        };
                        let state = ViewState {
                            lang,
                            filters,
                            ..ViewState::default()
                        };
                        assert_eq!(parse(&render(&state)), state);
                    }
                }
            }
        }
    }

    #[test]
    fn default_view_has_a_plain_address() {
        assert_eq!(render(&ViewState::default()), "");
        assert_eq!(
            render(&ViewState {
                lang: Lang::En,
                filters: Filters {
                    measure: MeasureId::Admissions,
                    scale: Some(Scale::Count),
                    area: Area::Region(1084),
                    sex: Some(Sex::Female),
                    age: vec![3, 4, 5],
                    person: Some((DimensionId::CivilStatus, 2)),
                    period: None,
                    release: None,
                    map_level: MapLevel::Region,
                },
                ..ViewState::default()
            }),
            "measure=admissions&scale=count&region=1084&sex=2&age_group=3,4,5&civil_status=2&map=region&lang=en"
        );
    }

    #[test]
    fn a_period_is_read_unless_a_person_attribute_is_chosen() {
        let period = |query| parse(query).filters.period;
        assert_eq!(period("?quarter=3"), Some((DimensionId::Quarter, 3)));
        assert_eq!(render(&parse("?quarter=3&sex=1")), "sex=1&quarter=3");
        assert_eq!(period("?quarter=5"), None);
        assert_eq!(period("?quarter=0"), None);
        assert_eq!(period("?month=12"), Some((DimensionId::Month, 12)));
        assert_eq!(period("?month=13"), None);
        assert_eq!(render(&parse("?month=7&sex=2")), "sex=2&month=7");
        // One period: the first valid one.
        assert_eq!(period("?month=2&quarter=3"), Some((DimensionId::Month, 2)));
        assert_eq!(
            period("?month=x&quarter=3"),
            Some((DimensionId::Quarter, 3))
        );
        // Each comes from a tile of its own: the person attribute stays.
        for query in ["?quarter=2&civil_status=2", "?civil_status=2&month=2"] {
            let both = parse(query).filters;
            assert_eq!(
                (both.period, both.person),
                (None, Some((DimensionId::CivilStatus, 2)))
            );
        }
    }

    #[test]
    fn ignores_what_it_does_not_know() {
        assert_eq!(
            parse("?sex=9&region=1234&municipality=411&health_cluster=0&map=x&lang=fr&foo=bar&&="),
            ViewState::default()
        );
        // Of two areas the first valid one is kept.
        assert_eq!(
            parse("?municipality=999&municipality=751&region=1081")
                .filters
                .area,
            Area::Municipality(751)
        );
        assert_eq!(parse("?sex=1").filters.sex, Some(Sex::Male));
        // Only the offered age ranges.
        assert_eq!(parse("?age_group=3,4,5").filters.age, vec![3, 4, 5]);
        assert_eq!(parse("?age_group=2,4").filters.age, Vec::<u16>::new());
        assert_eq!(parse("?age_group=6").filters.age, Vec::<u16>::new());
        // A scale the measure does not offer is dropped; so is an unknown
        // measure.
        let state = parse("?measure=mean_length_of_stay&scale=count");
        assert_eq!(state.filters.measure, MeasureId::MeanLengthOfStay);
        assert_eq!(state.filters.scale, None);
        assert_eq!(parse("?measure=nope").filters.measure, DEFAULT_MEASURE);
        // The medicines measures are shown by the practice's municipality.
        assert_eq!(
            parse("?measure=opioid_patients").filters.measure,
            MeasureId::OpioidPatients
        );
        // Unknown codes are dropped; of two person attributes the first
        // valid one is kept.
        assert_eq!(parse("?target_group=12").filters.person, None);
        assert_eq!(parse("?release=abc").filters.release, None);
        assert_eq!(
            parse(&format!("?release={}", "A".repeat(64)))
                .filters
                .release,
            None
        );
        assert_eq!(parse("?cpr_status=2").filters.person, None);
        assert_eq!(
            parse("?civil_status=9&nursing_home=2&target_group=1")
                .filters
                .person,
            Some((DimensionId::NursingHome, 2))
        );
        // GP clusters come from the data: any id in the register's range.
        assert_eq!(parse("?gp_cluster=1000").filters.person, None);
        assert_eq!(
            parse("?gp_cluster=999").filters.person,
            Some((DimensionId::GpCluster, 999))
        );
    }

    #[test]
    fn charts_are_kept_in_order_up_to_four_and_the_default_report_is_left_out() {
        let charts: Vec<ChartSpec> = [
            "admissions.count.sex.table",
            "gp_contacts..municipality.map",
            "bed_days..age_group.bar",
        ]
        .iter()
        .map(|c| ChartSpec::parse(c).expect("a chart"))
        .collect();
        let state = ViewState {
            charts: charts.clone(),
            ..ViewState::default()
        };
        let query = render(&state);
        assert_eq!(
            query,
            "chart=admissions.count.sex.table&chart=gp_contacts..municipality.map&chart=bed_days..age_group.bar"
        );
        assert_eq!(parse(&query), state);
        // Invalid charts are skipped; a fifth is dropped.
        let five = format!("?chart=nope&{query}&{query}");
        assert_eq!(parse(&five).charts.len(), MAX_CHARTS);
        assert_eq!(parse(&five).charts[..3], charts[..]);
        // No valid chart: the default report.
        assert_eq!(parse("?chart=nope").charts, default_report());
    }

    #[test]
    fn a_gp_cluster_not_yet_chosen_is_an_empty_value() {
        let state = ViewState {
            lang: Lang::Da,
            filters: Filters {
                person: Some((DimensionId::GpCluster, FIRST_VALUE)),
                ..Filters::default()
            },
            ..ViewState::default()
        };
        assert_eq!(render(&state), "gp_cluster=");
        assert_eq!(parse("?gp_cluster="), state);
        // Enumerated attributes have no "first value" in the address.
        assert_eq!(parse("?civil_status=").filters.person, None);
    }
}
