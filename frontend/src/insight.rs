//! The numbers of the cluster insight pages (Ordiprax+), apart from the
//! pages that show them: which practices a caller's closed prescription
//! tile holds and what they are called, the practice, cluster and
//! country values of a measure, and their comparisons.
//!
//! A closed `prescriptions` tile holds the practices of the caller's
//! scope and the whole country as one more practice
//! ([`ALL_PRACTICES`]). A practice's own tile also holds the other
//! practices of its GP cluster, unnamed: they are shown as "Praksis A",
//! "Praksis B", … in order of size, never by their codes. Its detail
//! tile holds the cluster only summed ([`CLUSTER_PRACTICES`]).

use std::collections::BTreeMap;

use shared::cube::{Cube, Filter, Grouping};
use shared::dimension::{AgeBand, AgeGroup};
use shared::dimension::{ALL_PRACTICES, CLUSTER_PRACTICES};
use shared::drug::{DrugGroup, Medicine};
use shared::funnel::{self, Comparison, Model};
use shared::measure::Scale;
use shared::tile::PracticeCode;
use shared::{DimensionId, Lang, MeasureId, QuantityId, Sex};

use crate::charts::Datum;

/// The medicines measures of the insight table, in display order: for
/// each drug group, its patients and its DDD per 1,000 listed patients.
pub const MEASURES: [MeasureId; 10] = [
    MeasureId::OpioidPatients,
    MeasureId::OpioidDdd,
    MeasureId::SedativePatients,
    MeasureId::SedativeDdd,
    MeasureId::AntipsychoticPatients,
    MeasureId::AntipsychoticDdd,
    MeasureId::StimulantPatients,
    MeasureId::StimulantDdd,
    MeasureId::AntidepressantPatients,
    MeasureId::AntidepressantDdd,
];

/// The scale every insight value is shown on.
pub const SCALE: Scale = Scale::PerThousand;

/// A measure the insight pages show: `measure` when it is one of
/// [`MEASURES`], else the first.
pub fn insight_measure(measure: MeasureId) -> MeasureId {
    if MEASURES.contains(&measure) {
        measure
    } else {
        MEASURES[0]
    }
}

/// Who the caller is, from the scope of their session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caller {
    /// A general practice: its own practice, its cluster anonymous.
    Practice,
    /// A GP cluster: its practices, named.
    Cluster(u16),
    /// A region, municipality, health cluster or the country: the
    /// practices in it, named, one GP cluster at a time.
    Area,
}

impl Caller {
    /// The caller of a session scope (`gp_practice:…`, `gp_cluster:12`,
    /// `region:1082`, …).
    pub fn of_scope(scope: &str) -> Caller {
        match scope.split_once(':') {
            Some(("gp_practice", _)) => Caller::Practice,
            Some(("gp_cluster", k)) => k.parse().map_or(Caller::Area, Caller::Cluster),
            _ => Caller::Area,
        }
    }
}

/// A caller's prescription tile and its practices.
#[derive(Debug, PartialEq)]
pub struct Practices {
    /// The tile.
    pub cube: Cube,
    /// Every practice in it (not the country), ordered by listed patients
    /// in all years, the largest first, then by code.
    pub codes: Vec<u16>,
    /// The practices the tile names.
    pub named: Vec<PracticeCode>,
    /// Who the caller is.
    pub caller: Caller,
}

/// What a page is about: the cluster's practices and, on the practice
/// pages, one of them.
#[derive(Clone, Debug, PartialEq)]
pub struct Focus {
    /// The GP cluster's id (`None`: the practice is in no cluster).
    pub cluster: Option<u16>,
    /// The practices of the cluster in the tile.
    pub cluster_codes: Vec<u16>,
    /// The practice.
    pub practice: Option<u16>,
}

impl Practices {
    /// The practices of `cube`, named by `named`.
    pub fn new(cube: Cube, named: Vec<PracticeCode>, caller: Caller) -> Practices {
        let listed = cube
            .sums(
                &Filter::all(),
                Grouping::By(DimensionId::Practice),
                &[shared::QuantityId::ListedPatients],
            )
            .unwrap_or_default();
        let mut sized: Vec<(u64, u16)> = listed
            .into_iter()
            .filter(|(code, _)| *code != ALL_PRACTICES)
            .map(|(code, sums)| (sums[0], code))
            .collect();
        sized.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        Practices {
            cube,
            codes: sized.into_iter().map(|(_, code)| code).collect(),
            named,
            caller,
        }
    }

    /// The GP clusters an area caller can choose among, ascending.
    pub fn clusters(&self) -> Vec<u16> {
        let mut clusters: Vec<u16> = self
            .named
            .iter()
            .map(|p| p.gp_cluster)
            .filter(|&k| k != 0)
            .collect();
        clusters.sort_unstable();
        clusters.dedup();
        clusters
    }

    /// The cluster and practice a page shows: the caller's own, or the
    /// ones asked for (`cluster`, `practice`) where the caller may choose,
    /// else the first.
    pub fn focus(&self, cluster: Option<u16>, practice: Option<u16>) -> Focus {
        match self.caller {
            Caller::Practice => {
                let own = self.named.first();
                Focus {
                    cluster: own.map(|p| p.gp_cluster).filter(|&k| k != 0),
                    cluster_codes: self.codes.clone(),
                    practice: own.map(|p| p.code),
                }
            }
            Caller::Cluster(k) => Focus {
                cluster: Some(k),
                cluster_codes: self.codes.clone(),
                practice: practice
                    .filter(|p| self.codes.contains(p))
                    .or(self.codes.first().copied()),
            },
            Caller::Area => {
                let clusters = self.clusters();
                let k = cluster
                    .filter(|k| clusters.contains(k))
                    .or(clusters.first().copied());
                let cluster_codes: Vec<u16> = self
                    .codes
                    .iter()
                    .copied()
                    .filter(|c| {
                        self.named
                            .iter()
                            .any(|p| p.code == *c && Some(p.gp_cluster) == k)
                    })
                    .collect();
                Focus {
                    cluster: k,
                    practice: practice
                        .filter(|p| cluster_codes.contains(p))
                        .or(cluster_codes.first().copied()),
                    cluster_codes,
                }
            }
        }
    }

    /// A practice's label: its name and provider number when the tile
    /// names it, else "Praksis A", "Praksis B", … by its place in
    /// [`Practices::codes`] among the unnamed.
    pub fn label(&self, code: u16, lang: Lang) -> String {
        if let Some(p) = self.named.iter().find(|p| p.code == code) {
            return format!("{} ({})", p.name, p.provider_number);
        }
        let place = self
            .codes
            .iter()
            .filter(|c| !self.named.iter().any(|p| p.code == **c))
            .position(|c| *c == code)
            .unwrap_or(0);
        format!("{} {}", crate::i18n::PRACTICE.get(lang), letters(place))
    }

    /// The years of the tile, ascending.
    pub fn years(&self) -> Vec<u16> {
        self.cube.codes(DimensionId::Year).unwrap_or_default()
    }

    /// `measure`'s numerator and denominator over the practices `codes`
    /// in the cells of `cells`.
    ///
    /// Practices overlap in general (a patient of two practices), so the
    /// cube sums them one by one; in the prescription tiles a patient
    /// counts at one practice a year, so their sums add up.
    pub fn counts(&self, measure: MeasureId, cells: &Cells, codes: &[u16]) -> (u64, u64) {
        let def = measure.def();
        let quantities = [
            def.numerator,
            def.denominator
                .unwrap_or(shared::QuantityId::ListedPatients),
        ];
        let filter = cells
            .filter()
            .with(DimensionId::Practice, codes.iter().copied());
        self.cube
            .sums(&filter, Grouping::By(DimensionId::Practice), &quantities)
            .unwrap_or_default()
            .into_iter()
            .fold((0, 0), |(x, n), (_, s)| (x + s[0], n + s[1]))
    }

    /// The country's value per person of `measure` in `cells`.
    pub fn national(&self, measure: MeasureId, cells: &Cells) -> Option<f64> {
        let (x, n) = self.counts(measure, cells, &[ALL_PRACTICES]);
        (n > 0).then(|| x as f64 / n as f64)
    }

    /// The practices `codes` together compared with the country.
    pub fn compare(&self, measure: MeasureId, cells: &Cells, codes: &[u16]) -> Comparison {
        let (x, n) = self.counts(measure, cells, codes);
        funnel::compare(model(measure), x, n, self.national(measure, cells))
    }
}

/// How a medicines measure varies by chance.
pub fn model(measure: MeasureId) -> Model {
    measure.def().model().unwrap_or(Model::Poisson)
}

/// "A", "B", …, "Z", "AA", "AB", …
fn letters(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The cells a value is summed over: a year, and optionally a sex and
/// an age range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cells {
    /// The year (`None`: every year, for the time series).
    pub year: Option<u16>,
    /// One sex, or both.
    pub sex: Option<Sex>,
    /// Age-group codes (empty: all ages).
    pub age: Vec<u16>,
    /// One more restriction: a category of a breakdown (an age band, a
    /// sex).
    pub only: Option<(DimensionId, u16)>,
}

impl Cells {
    /// The cube filter.
    pub fn filter(&self) -> Filter {
        let mut filter = Filter::all();
        if let Some(year) = self.year {
            filter = filter.with(DimensionId::Year, [year]);
        }
        if let Some(sex) = self.sex {
            filter = filter.with(DimensionId::Sex, [sex.code()]);
        }
        if !self.age.is_empty() {
            filter = filter.with(DimensionId::AgeGroup, self.age.iter().copied());
        }
        if let Some((dimension, code)) = self.only {
            filter = filter.with(dimension, [code]);
        }
        filter
    }

    /// The same cells in another year.
    pub fn in_year(&self, year: u16) -> Cells {
        Cells {
            year: Some(year),
            ..self.clone()
        }
    }
}

/// A per-person value on the insight scale (per 1,000).
pub fn shown(value: f64) -> f64 {
    value * SCALE.factor()
}

/// What the intervention pages break a measure down by: age groups
/// (from the prescription tile), or from the detail tile the drug group's
/// drugs, its products, the patients' consumption groups and treatment,
/// package sizes, and addictive and depot products.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Breakdown {
    /// Age groups.
    #[default]
    AgeGroup,
    /// Five-year age bands.
    AgeBand,
    /// Sex.
    Sex,
    /// Drugs (ATC level 5) of the group.
    Drug,
    /// Products of the group.
    Product,
    /// Consumption groups by DDD.
    Consumption,
    /// Started or continued treatment.
    Treatment,
    /// Package sizes.
    PackageSize,
    /// Addictive products or not.
    Addictive,
    /// Depot formulations or not.
    Depot,
}

impl Breakdown {
    /// Every breakdown, in the order offered.
    pub const ALL: [Breakdown; 10] = [
        Breakdown::AgeGroup,
        Breakdown::AgeBand,
        Breakdown::Sex,
        Breakdown::Drug,
        Breakdown::Product,
        Breakdown::Consumption,
        Breakdown::Treatment,
        Breakdown::PackageSize,
        Breakdown::Addictive,
        Breakdown::Depot,
    ];

    /// Its key in the address.
    pub fn key(self) -> &'static str {
        match self {
            Breakdown::AgeGroup => "age_group",
            Breakdown::AgeBand => "age_band",
            Breakdown::Sex => "sex",
            Breakdown::Drug => "drug",
            Breakdown::Product => "product",
            Breakdown::Consumption => "consumption",
            Breakdown::Treatment => "treatment",
            Breakdown::PackageSize => "package_size",
            Breakdown::Addictive => "addictive",
            Breakdown::Depot => "depot",
        }
    }

    /// The breakdown of a key.
    pub fn from_key(key: &str) -> Option<Breakdown> {
        Breakdown::ALL.into_iter().find(|b| b.key() == key)
    }

    /// Its label.
    pub fn label(self, lang: Lang) -> String {
        let text = |da: &str, en: &str| match lang {
            Lang::Da => da.to_string(),
            Lang::En => en.to_string(),
        };
        match self {
            Breakdown::AgeGroup => DimensionId::AgeGroup.def().label.get(lang).to_string(),
            Breakdown::AgeBand => text("Alder (5-års grupper)", "Age (five-year bands)"),
            Breakdown::Sex => DimensionId::Sex.def().label.get(lang).to_string(),
            Breakdown::Drug => text("Lægemiddel (ATC)", "Drug (ATC)"),
            Breakdown::Product => text("Produkt", "Product"),
            Breakdown::Consumption => DimensionId::Consumption.def().label.get(lang).to_string(),
            Breakdown::Treatment => DimensionId::Treatment.def().label.get(lang).to_string(),
            Breakdown::PackageSize => DimensionId::PackageSize.def().label.get(lang).to_string(),
            Breakdown::Addictive => text("Afhængighedsskabende", "Addictive"),
            Breakdown::Depot => text("Depotpræparat", "Depot formulation"),
        }
    }

    /// Whether it reads the detail tile (else the prescription tile).
    pub fn detailed(self) -> bool {
        !matches!(
            self,
            Breakdown::AgeGroup | Breakdown::AgeBand | Breakdown::Sex
        )
    }

    /// The categories of a breakdown from the prescription tile: code,
    /// label, and the cells' restriction to it.
    pub fn categories(self, cells: &Cells, lang: Lang) -> Vec<(u16, String, Cells)> {
        let with = |only: Option<(DimensionId, u16)>, age: Vec<u16>| Cells {
            age,
            only,
            ..cells.clone()
        };
        match self {
            Breakdown::AgeGroup => AgeGroup::ALL
                .into_iter()
                .map(|g| {
                    let code = g.code();
                    (code, g.label(lang), with(None, vec![code]))
                })
                .collect(),
            Breakdown::AgeBand => (0..AgeBand::COUNT)
                .filter_map(AgeBand::new)
                .map(|b| {
                    let code = u16::from(b.index());
                    let only = Some((DimensionId::AgeBand, code));
                    (code, b.label(lang), with(only, cells.age.clone()))
                })
                .collect(),
            Breakdown::Sex => Sex::ALL
                .into_iter()
                .map(|s| {
                    let code = s.code();
                    let only = Some((DimensionId::Sex, code));
                    (
                        code,
                        s.label().get(lang).to_string(),
                        with(only, cells.age.clone()),
                    )
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// The rows of the detail tile a breakdown reads: grouped by
/// `dimension`, with `medicine` among the given codes and the package
/// size among `sizes` (any when `None`); `wanted` are the categories
/// shown, in order (every one found when `None`).
struct Cut {
    dimension: DimensionId,
    medicine: Vec<u16>,
    sizes: Option<Vec<u16>>,
    wanted: Option<Vec<u16>>,
}

impl Breakdown {
    /// What a detailed breakdown of `group` reads (`None` for age groups).
    fn cut(self, group: DrugGroup) -> Option<Cut> {
        let codes = |list: Vec<Medicine>| list.into_iter().map(Medicine::code).collect::<Vec<_>>();
        let by_medicine = |medicine: Vec<u16>| Cut {
            dimension: DimensionId::Medicine,
            wanted: Some(medicine.clone()),
            medicine,
            sizes: Some(vec![0]),
        };
        let of_group = |dimension: DimensionId| Cut {
            dimension,
            medicine: vec![0],
            sizes: Some(vec![0]),
            wanted: dimension.codes(),
        };
        Some(match self {
            Breakdown::AgeGroup | Breakdown::AgeBand | Breakdown::Sex => return None,
            Breakdown::Drug => by_medicine(codes(Medicine::drugs_of(group))),
            Breakdown::Product => by_medicine(codes(Medicine::products_of(group))),
            Breakdown::Consumption => of_group(DimensionId::Consumption),
            Breakdown::Treatment => of_group(DimensionId::Treatment),
            Breakdown::PackageSize => Cut {
                sizes: None,
                wanted: None,
                ..of_group(DimensionId::PackageSize)
            },
            Breakdown::Addictive => by_medicine(vec![
                Medicine::Addictive(true).code(),
                Medicine::Addictive(false).code(),
            ]),
            Breakdown::Depot => by_medicine(vec![
                Medicine::Depot(true).code(),
                Medicine::Depot(false).code(),
            ]),
        })
    }
}

/// The drug group of a medicines measure.
pub fn drug_group(measure: MeasureId) -> Option<DrugGroup> {
    let numerator = measure.def().numerator;
    DrugGroup::INDICATORS.into_iter().find(|g| {
        g.quantities()
            .is_some_and(|(p, d)| p == numerator || d == numerator)
    })
}

/// `measure` for the practices `codes` in `cells`, broken down by `by`,
/// per 1,000 of their listed patients (the values of the categories are
/// each per 1,000 of all of them). A detailed breakdown reads `detail`,
/// the caller's detail tile: its patients for a patients measure, its
/// DDD for a DDD measure. Each category comes with its count and the
/// listed patients it is per 1,000 of. A practice's detail tile holds its
/// cluster summed, so the cluster (`codes` of more than one practice)
/// is read from those rows there.
pub fn breakdown(
    practices: &Practices,
    detail: &Cube,
    (measure, by): (MeasureId, Breakdown),
    cells: &Cells,
    codes: &[u16],
    lang: Lang,
) -> Vec<(Datum, (u64, u64))> {
    let (_, listed) = practices.counts(measure, cells, codes);
    let per = |x: u64| (listed > 0).then(|| shown(x as f64 / listed as f64));
    let Some(group) = drug_group(measure).and_then(DrugGroup::code) else {
        return Vec::new();
    };
    let persons = measure.def().numerator.def().counted == shared::measure::Counted::Persons;
    let quantity = if persons {
        QuantityId::RxPatients
    } else {
        QuantityId::RxDdd
    };
    let group_of = DrugGroup::from_code(group).unwrap_or(DrugGroup::Opioid);
    let Some(Cut {
        dimension,
        medicine,
        sizes,
        wanted,
    }) = by.cut(group_of)
    else {
        return Vec::new();
    };
    let summed = [CLUSTER_PRACTICES];
    let codes = if codes.len() > 1
        && detail
            .key_column(DimensionId::Practice)
            .is_some_and(|c| c.contains(&CLUSTER_PRACTICES))
    {
        &summed[..]
    } else {
        codes
    };
    // Practices overlap in general, so they are summed one by one.
    let mut sums: BTreeMap<u16, u64> = BTreeMap::new();
    for &code in codes {
        let mut filter = cells
            .filter()
            .with(DimensionId::Practice, [code])
            .with(DimensionId::DrugGroup, [group])
            .with(DimensionId::Medicine, medicine.iter().copied());
        if let Some(sizes) = &sizes {
            filter = filter.with(DimensionId::PackageSize, sizes.iter().copied());
        }
        for (key, s) in detail
            .sums(&filter, Grouping::By(dimension), &[quantity])
            .unwrap_or_default()
        {
            *sums.entry(key).or_default() += s[0];
        }
    }
    // Package sizes: every size redeemed, not "every size" (0).
    let keys: Vec<u16> =
        wanted.unwrap_or_else(|| sums.keys().copied().filter(|&k| k != 0).collect());
    keys.into_iter()
        .map(|key| {
            let x = sums.get(&key).copied().unwrap_or(0);
            (
                Datum::exact(key, dimension.value_label(key, lang), per(x)),
                (x, listed),
            )
        })
        .collect()
}

/// The exact 95 % confidence interval of `x` of `n` under `measure`'s
/// model, per 1,000.
pub fn interval(measure: MeasureId, (x, n): (u64, u64)) -> Option<(f64, f64)> {
    funnel::confidence_interval(model(measure), x, n, funnel::CONFIDENCE)
        .map(|(low, high)| (shown(low), shown(high)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::TileFamilyId;

    fn practice(code: u16, gp_cluster: u16) -> PracticeCode {
        PracticeCode {
            code,
            provider_number: format!("{code:06}"),
            name: format!("Lægehuset {code}"),
            municipality: 751,
            gp_cluster,
        }
    }

    /// A tile of 2024, one cell per practice: (code, listed, opioid
    /// patients).
    fn cube(rows: &[(u16, u64, u64)]) -> Cube {
        let family = TileFamilyId::Prescriptions;
        let width = family.def().quantities.len();
        let mut keys = vec![Vec::new(); 4];
        let mut values = vec![Vec::new(); width];
        for (code, listed, opioid) in rows {
            for (k, v) in keys.iter_mut().zip([2024, *code, 10, 1]) {
                k.push(v);
            }
            for (i, column) in values.iter_mut().enumerate() {
                column.push(match i {
                    0 => *listed,
                    1 => *opioid,
                    _ => 0,
                });
            }
        }
        Cube::new(family, keys, values).expect("cube")
    }

    #[test]
    fn a_practice_sees_itself_named_and_its_cluster_lettered_by_size() {
        let tile = cube(&[
            (1, 500, 10),
            (2, 900, 30),
            (3, 700, 20),
            (ALL_PRACTICES, 10_000, 200),
        ]);
        let p = Practices::new(tile, vec![practice(3, 7)], Caller::Practice);
        assert_eq!(p.codes, [2, 3, 1], "by size, the country left out");
        let focus = p.focus(Some(99), Some(1));
        assert_eq!(focus.practice, Some(3), "a practice cannot choose another");
        assert_eq!(focus.cluster, Some(7));
        assert_eq!(focus.cluster_codes, [2, 3, 1]);
        assert_eq!(p.label(3, Lang::Da), "Lægehuset 3 (000003)");
        assert_eq!(p.label(2, Lang::Da), "Praksis A");
        assert_eq!(p.label(1, Lang::En), "Practice B");
        let cells = Cells {
            year: Some(2024),
            sex: None,
            age: vec![],
            only: None,
        };
        let own = p.compare(MeasureId::OpioidPatients, &cells, &[3]);
        assert_eq!((own.x, own.n), (20, 700));
        assert_eq!(p.national(MeasureId::OpioidPatients, &cells), Some(0.02));
        let cluster = p.counts(MeasureId::OpioidPatients, &cells, &focus.cluster_codes);
        assert_eq!(cluster, (60, 2100));
        let other_year = cells.in_year(2023);
        assert_eq!(
            p.counts(MeasureId::OpioidPatients, &other_year, &[3]),
            (0, 0)
        );
    }

    #[test]
    fn a_practice_reads_its_cluster_breakdown_from_the_summed_rows() {
        let tile = cube(&[(1, 500, 10), (2, 900, 30), (ALL_PRACTICES, 10_000, 200)]);
        let p = Practices::new(tile, vec![practice(1, 7)], Caller::Practice);
        // Opioid patients, every medicine and size, by consumption group:
        // practice 1's own rows and its cluster's summed.
        let rows = [
            (1, 1, 6),
            (1, 3, 4),
            (CLUSTER_PRACTICES, 1, 25),
            (CLUSTER_PRACTICES, 3, 15),
        ];
        let mut keys = vec![Vec::new(); 9];
        let mut values = vec![Vec::new(); 3];
        for (practice, consumption, patients) in rows {
            for (k, v) in keys
                .iter_mut()
                .zip([2024, practice, 1, 0, consumption, 1, 0, 14, 2])
            {
                k.push(v);
            }
            for (column, v) in values.iter_mut().zip([patients, 0, 0]) {
                column.push(v);
            }
        }
        let detail = Cube::new(TileFamilyId::PrescriptionDetail, keys, values).expect("cube");
        let cells = Cells {
            year: Some(2024),
            sex: None,
            age: vec![],
            only: None,
        };
        let counts = |codes: &[u16]| -> Vec<(u16, u64, u64)> {
            breakdown(
                &p,
                &detail,
                (MeasureId::OpioidPatients, Breakdown::Consumption),
                &cells,
                codes,
                Lang::Da,
            )
            .into_iter()
            .map(|(d, (x, n))| (d.key, x, n))
            .collect()
        };
        assert_eq!(counts(&[1]), [(1, 6, 500), (2, 0, 500), (3, 4, 500)]);
        let cluster = p.focus(None, None).cluster_codes;
        assert_eq!(
            counts(&cluster),
            [(1, 25, 1400), (2, 0, 1400), (3, 15, 1400)]
        );
    }

    #[test]
    fn an_area_chooses_among_its_clusters_and_their_practices() {
        let tile = cube(&[(1, 500, 10), (2, 900, 30), (3, 700, 20), (4, 100, 1)]);
        let named = vec![
            practice(1, 8),
            practice(2, 7),
            practice(3, 8),
            practice(4, 0),
        ];
        let p = Practices::new(tile, named, Caller::Area);
        assert_eq!(p.clusters(), [7, 8]);
        let first = p.focus(None, None);
        assert_eq!(
            (first.cluster, first.cluster_codes.clone(), first.practice),
            (Some(7), vec![2], Some(2))
        );
        let chosen = p.focus(Some(8), Some(1));
        assert_eq!(
            (chosen.cluster_codes.clone(), chosen.practice),
            (vec![3, 1], Some(1))
        );
        // A practice outside the cluster is not taken.
        assert_eq!(p.focus(Some(8), Some(2)).practice, Some(3));
        assert_eq!(Caller::of_scope("gp_cluster:12"), Caller::Cluster(12));
        assert_eq!(Caller::of_scope("gp_practice:000001"), Caller::Practice);
        assert_eq!(Caller::of_scope("region:1082"), Caller::Area);
    }

    #[test]
    fn letters_run_past_z() {
        assert_eq!(letters(0), "A");
        assert_eq!(letters(25), "Z");
        assert_eq!(letters(26), "AA");
        assert_eq!(letters(27), "AB");
    }
}
