//! What exists before any person: municipalities with their factors,
//! GP and specialist practices (YDR) in GP clusters, hospitals and their
//! units (SOR), and nursing homes. Small; made up front.

use std::collections::{BTreeMap, HashSet};

use shared::geography::{Municipality, HEALTH_CLUSTERS, MUNICIPALITIES, REGIONS};

use super::day::{self, Day};
use super::rates::{self, NATIONAL_POPULATION, REGION_POPULATION};
use super::rng::{Rng, WeightedIndex};

/// Approximate populations (thousands) of the largest and the smallest
/// municipalities, so sizes vary as they do in Denmark. Others get a
/// typical size; region totals are then scaled to the public figures.
/// These are rounded weights for a synthetic population, not an official
/// table.
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

/// Specialist practices by specialty: share of all specialist practices.
const SPECIALIST_MIX: &[(&str, f64)] = &[
    ("ophthalmology", 17.0),
    ("otorhinolaryngology", 14.0),
    ("dermatology", 10.0),
    ("psychiatry", 14.0),
    ("rheumatology", 6.0),
    ("gynaecology", 10.0),
    ("internal_medicine", 6.0),
    ("cardiology", 5.0),
    ("paediatrics", 4.0),
    ("surgery", 4.0),
    ("orthopaedics", 5.0),
    ("neurology", 3.0),
    ("pulmonology", 2.0),
];

/// Specialist practices at full size (about 900).
const SPECIALIST_PRACTICES: f64 = 900.0;

/// Nursing-home residents per nursing home (about 45).
const RESIDENTS_PER_HOME: f64 = 45.0;

/// Units of an acute hospital: (department type, specialty, name).
const ACUTE_UNITS: &[(&str, &str, &str)] = &[
    ("emergency", "emergency_medicine", "Akutmodtagelse"),
    ("medical", "internal_medicine", "Medicinsk afdeling"),
    ("medical", "cardiology", "Hjertemedicinsk afdeling"),
    ("medical", "pulmonology", "Lungemedicinsk afdeling"),
    ("medical", "endocrinology", "Endokrinologisk afdeling"),
    ("medical", "geriatrics", "Geriatrisk afdeling"),
    ("surgical", "surgery", "Kirurgisk afdeling"),
    ("surgical", "orthopaedics", "Ortopædkirurgisk afdeling"),
    ("paediatric", "paediatrics", "Børneafdeling"),
    (
        "gynaecology_obstetrics",
        "gynaecology",
        "Gynækologisk-obstetrisk afdeling",
    ),
];

/// Units only at each region's largest hospital.
const CENTRE_UNITS: &[(&str, &str, &str)] = &[
    ("other", "neurology", "Neurologisk afdeling"),
    ("other", "ophthalmology", "Øjenafdeling"),
    ("other", "otorhinolaryngology", "Øre-næse-halsafdeling"),
    ("other", "dermatology", "Hudafdeling"),
    ("other", "rheumatology", "Reumatologisk afdeling"),
];

/// Units of a region's psychiatric hospital.
const PSYCHIATRIC_UNITS: &[(&str, &str, &str)] = &[
    ("psychiatric", "psychiatry", "Voksenpsykiatrisk afdeling"),
    (
        "psychiatric",
        "psychiatry",
        "Børne- og ungdomspsykiatrisk afdeling",
    ),
];

/// Municipal differences, each with a population-weighted mean of 1.
#[derive(Clone, Copy, Debug)]
pub struct Factors {
    /// GP contacts.
    pub gp: f64,
    /// Hospital admissions (includes the region's level).
    pub admissions: f64,
    /// Chronic disease.
    pub chronic: f64,
    /// Municipal care (home help, nursing).
    pub care: f64,
    /// Medicine use.
    pub drugs: f64,
}

/// A municipality.
pub struct Place {
    /// The municipality.
    pub municipality: &'static Municipality,
    /// Share of the national population.
    pub weight: f64,
    /// Its factors.
    pub factors: Factors,
    /// Its GP practices (indices into [`World::providers`]).
    pub practices: Vec<usize>,
    practice_index: WeightedIndex,
    /// Its nursing homes (indices into [`World::nursing_homes`]).
    pub nursing_homes: Vec<usize>,
    /// Other municipalities of the same health cluster.
    pub neighbours: Vec<usize>,
    /// Its acute hospital (index into [`World::hospitals`]).
    pub hospital: usize,
}

/// A practice of the provider register.
pub struct Provider {
    /// Provider number (six digits).
    pub number: u32,
    /// Name.
    pub name: String,
    /// General practice (otherwise specialist practice).
    pub general: bool,
    /// Specialty code.
    pub specialty: &'static str,
    /// Its municipality (index into [`World::places`]).
    pub place: usize,
    /// GP cluster.
    pub cluster: Option<u16>,
    /// First active day.
    pub valid_from: Day,
    /// First day no longer active.
    pub valid_to: Option<Day>,
    /// Relative list size.
    pub weight: f64,
}

/// A nursing home with its addresses.
pub struct NursingHome {
    /// Name.
    pub name: String,
    /// Municipality (index into [`World::places`]).
    pub place: usize,
    /// Address ids.
    pub addresses: Vec<String>,
    /// The practice that serves the residents (plejehjemslæge).
    pub practice: usize,
    /// First day the addresses are a nursing home.
    pub valid_from: Day,
}

/// A SOR unit.
pub struct Unit {
    /// SOR id.
    pub sor: u64,
    /// Name.
    pub name: String,
    /// Department type code.
    pub department: &'static str,
    /// Specialty code.
    pub specialty: &'static str,
}

/// A SOR health institution (hospital).
pub struct Hospital {
    /// SOR id.
    pub sor: u64,
    /// Name.
    pub name: String,
    /// Region code.
    pub region: u16,
    /// Municipality of its address.
    pub municipality: u16,
    /// Its units.
    pub units: Vec<Unit>,
}

impl Hospital {
    /// A hospital with new SOR ids (from `sor_id`) for itself and its
    /// units, each unit given as (department type, specialty, name).
    fn new(
        name: String,
        (region, municipality): (u16, u16),
        units: &[(&'static str, &'static str, &str)],
        mut sor_id: impl FnMut() -> u64,
    ) -> Hospital {
        let sor = sor_id();
        let units = units
            .iter()
            .map(|(department, specialty, unit_name)| Unit {
                sor: sor_id(),
                name: format!("{name}, {unit_name}"),
                department,
                specialty,
            })
            .collect();
        Hospital {
            sor,
            name,
            region,
            municipality,
            units,
        }
    }
}

impl Hospital {
    /// The unit of `specialty`, if the hospital has one.
    pub fn unit(&self, specialty: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.specialty == specialty)
    }
}

/// Everything made up front.
pub struct World {
    /// The 98 municipalities.
    pub places: Vec<Place>,
    /// Draws a municipality by population.
    pub place_index: WeightedIndex,
    /// GP and specialist practices.
    pub providers: Vec<Provider>,
    /// Specialist practices by (region, specialty).
    pub specialists: BTreeMap<(u16, &'static str), Vec<usize>>,
    /// Nursing homes.
    pub nursing_homes: Vec<NursingHome>,
    /// Hospitals: acute ones, then one psychiatric hospital per region.
    pub hospitals: Vec<Hospital>,
    /// Acute hospitals by region (indices into `hospitals`); the first is
    /// the region's largest.
    pub acute_by_region: BTreeMap<u16, Vec<usize>>,
    /// The psychiatric hospital of each region.
    pub psychiatric_by_region: BTreeMap<u16, usize>,
}

fn lognormal(rng: &mut Rng, sigma: f64) -> f64 {
    (sigma * rng.normal() - sigma * sigma / 2.0).exp()
}

/// A random address id shaped like a DAR UUID (36 characters).
pub fn address_id(rng: &mut Rng) -> String {
    let a = rng.next_u64();
    let b = rng.next_u64();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | (b >> 48) & 0x3fff,
        b & 0xffff_ffff_ffff
    )
}

fn region_index(code: u16) -> usize {
    REGIONS.iter().position(|r| r.code == code).unwrap_or(0)
}

impl World {
    /// The world for `persons` persons, starting on `start`.
    pub fn new(persons: u64, start: Day, rng: &mut Rng) -> World {
        let scale = persons as f64 / NATIONAL_POPULATION;
        let size = |m: &Municipality| {
            MUNICIPALITY_SIZE
                .iter()
                .find(|(code, _)| *code == m.code)
                .map_or(TYPICAL_MUNICIPALITY_SIZE, |(_, s)| *s)
        };
        let national: f64 = REGION_POPULATION.iter().map(|(_, p)| p).sum();
        // Admissions per 1,000 differ by region (Sjælland high, Midtjylland
        // low, the others near the national level).
        let national_rate = rates::ADMISSIONS / NATIONAL_POPULATION * 1000.0;
        let region_admissions = |code: u16| match code {
            1085 => rates::ADMISSIONS_PER_1000_SJAELLAND / national_rate,
            1082 => rates::ADMISSIONS_PER_1000_MIDTJYLLAND / national_rate,
            _ => 0.996,
        };
        let mut places: Vec<Place> = MUNICIPALITIES
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
                // A shared "deprivation" score makes chronic disease,
                // admissions and care go together, plus own noise.
                let d = rng.normal();
                let factors = Factors {
                    gp: (0.05 * d).exp() * lognormal(rng, 0.08),
                    admissions: region_admissions(m.region)
                        * (0.06 * d).exp()
                        * lognormal(rng, 0.06),
                    chronic: (0.12 * d).exp() * lognormal(rng, 0.06),
                    care: (0.10 * d).exp() * lognormal(rng, 0.15),
                    drugs: (0.08 * d).exp() * lognormal(rng, 0.10),
                };
                Place {
                    municipality: m,
                    weight,
                    factors,
                    practices: Vec::new(),
                    practice_index: WeightedIndex::new([1.0]),
                    nursing_homes: Vec::new(),
                    neighbours: Vec::new(),
                    hospital: 0,
                }
            })
            .collect();
        normalise_factors(&mut places);
        for i in 0..places.len() {
            let m = places[i].municipality;
            places[i].neighbours = (0..places.len())
                .filter(|&j| j != i && places[j].municipality.health_cluster == m.health_cluster)
                .collect();
        }

        let mut numbers = HashSet::new();
        let mut provider_number = |rng: &mut Rng| loop {
            let n = 10_000 + rng.below(990_000) as u32;
            if numbers.insert(n) {
                return n;
            }
        };
        let mut providers = Vec::new();
        let earliest = day::new_year(1975);
        // GP practices: about one per 3,000 persons, at least one per
        // municipality.
        let per_practice = NATIONAL_POPULATION / rates::GP_PRACTICES;
        for (i, place) in places.iter_mut().enumerate() {
            let expected = place.weight * persons as f64 / per_practice;
            let count = expected.round().max(1.0) as usize;
            for k in 0..count {
                let number = provider_number(rng);
                let doctors = 1 + rng.below(4);
                providers.push(Provider {
                    number,
                    name: format!(
                        "{} {}",
                        if doctors == 1 { "Lægen" } else { "Lægehuset" },
                        practice_name(place.municipality.name, k)
                    ),
                    general: true,
                    specialty: "general_practice",
                    place: i,
                    cluster: None,
                    valid_from: rates::day_between(rng, earliest, start - 365),
                    valid_to: None,
                    weight: doctors as f64 * (0.7 + 0.6 * rng.unit()),
                });
                place.practices.push(providers.len() - 1);
            }
            place.practice_index =
                WeightedIndex::new(place.practices.iter().map(|p| providers[*p].weight));
        }
        assign_clusters(&mut providers, &places, persons);
        // A few practices closed before the period (history; nobody is
        // listed with them).
        let closed = (providers.len() / 30).max(1);
        for k in 0..closed {
            let place = k * 37 % places.len();
            let from = rates::day_between(rng, earliest, start - 3650);
            let number = provider_number(rng);
            let cluster = places[place]
                .practices
                .first()
                .and_then(|p| providers[*p].cluster);
            providers.push(Provider {
                number,
                name: format!(
                    "Lægen {}",
                    practice_name(places[place].municipality.name, 100 + k)
                ),
                general: true,
                specialty: "general_practice",
                place,
                cluster,
                valid_from: from,
                valid_to: Some(rates::day_between(rng, from + 365, start - 30)),
                weight: 0.0,
            });
        }
        // Specialist practices, per region and specialty.
        let mix_total: f64 = SPECIALIST_MIX.iter().map(|(_, w)| w).sum();
        let mut specialists: BTreeMap<(u16, &'static str), Vec<usize>> = BTreeMap::new();
        for region in REGIONS {
            let members: Vec<usize> = (0..places.len())
                .filter(|&i| places[i].municipality.region == region.code)
                .collect();
            let index = WeightedIndex::new(members.iter().map(|&i| places[i].weight));
            let region_share: f64 = members.iter().map(|&i| places[i].weight).sum();
            for (specialty, w) in SPECIALIST_MIX {
                let expected = SPECIALIST_PRACTICES * scale * region_share * w / mix_total;
                let count = expected.round().max(1.0) as usize;
                for k in 0..count {
                    let place = members[index.sample(rng)];
                    let number = provider_number(rng);
                    providers.push(Provider {
                        number,
                        name: format!(
                            "Speciallæge i {} {}",
                            specialty.replace('_', " "),
                            practice_name(places[place].municipality.name, k)
                        ),
                        general: false,
                        specialty,
                        place,
                        cluster: None,
                        valid_from: rates::day_between(rng, earliest, start - 365),
                        valid_to: None,
                        weight: 0.6 + 0.8 * rng.unit(),
                    });
                    specialists
                        .entry((region.code, specialty))
                        .or_default()
                        .push(providers.len() - 1);
                }
            }
        }

        // Nursing homes: about 45 residents each.
        let mut nursing_homes = Vec::new();
        for (i, place) in places.iter_mut().enumerate() {
            let expected =
                rates::NURSING_HOME_RESIDENTS_65PLUS * scale * place.weight / RESIDENTS_PER_HOME;
            let count = expected.round().max(1.0) as usize;
            for k in 0..count {
                let wings = 1 + rng.below(3) as usize;
                let addresses = (0..wings).map(|_| address_id(rng)).collect();
                let practice = place.practices[rng.below(place.practices.len() as u64) as usize];
                nursing_homes.push(NursingHome {
                    name: format!("Plejecenter {}", practice_name(place.municipality.name, k)),
                    place: i,
                    addresses,
                    practice,
                    valid_from: rates::day_between(rng, day::new_year(1970), start - 3650),
                });
                place.nursing_homes.push(nursing_homes.len() - 1);
            }
        }

        // Hospitals: one acute hospital per health cluster, one
        // psychiatric hospital per region.
        let mut sor_ids = HashSet::new();
        let mut sor_id = |rng: &mut Rng| loop {
            let n = 100_000_000_000_000 + rng.below(900_000_000_000_000);
            if sor_ids.insert(n) {
                return n;
            }
        };
        let mut hospitals = Vec::new();
        let mut acute_by_region: BTreeMap<u16, Vec<usize>> = BTreeMap::new();
        let mut cluster_hospital = BTreeMap::new();
        // (region, weight, cluster, its largest municipality: where the
        // acute hospital stands).
        let mut clusters: Vec<(u16, f64, u8, u16)> = HEALTH_CLUSTERS
            .iter()
            .filter_map(|c| {
                let members: Vec<&Place> = places
                    .iter()
                    .filter(|p| p.municipality.health_cluster == c.id)
                    .collect();
                let region = members.first()?.municipality.region;
                let largest = members
                    .iter()
                    .max_by(|a, b| a.weight.total_cmp(&b.weight))?
                    .municipality
                    .code;
                Some((
                    region,
                    members.iter().map(|p| p.weight).sum(),
                    c.id,
                    largest,
                ))
            })
            .collect();
        // Largest first within each region.
        clusters.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
        for (region, _, cluster, largest) in clusters {
            let label = HEALTH_CLUSTERS
                .iter()
                .find(|c| c.id == cluster)
                .map_or("", |c| c.name);
            let name = match (label.find('('), label.rfind(')')) {
                (Some(a), Some(b)) if b > a => {
                    let inner = &label[a + 1..b];
                    if ["ospital", "ygehus"].iter().any(|w| inner.contains(w)) {
                        inner.to_string()
                    } else {
                        format!("Hospital {inner}")
                    }
                }
                _ => format!("Hospitalsenhed {label}"),
            };
            let first = !acute_by_region.contains_key(&region);
            let mut units: Vec<(&str, &str, &str)> = ACUTE_UNITS.to_vec();
            if first {
                units.extend_from_slice(CENTRE_UNITS);
            }
            hospitals.push(Hospital::new(name, (region, largest), &units, || {
                sor_id(rng)
            }));
            acute_by_region
                .entry(region)
                .or_default()
                .push(hospitals.len() - 1);
            cluster_hospital.insert(cluster, hospitals.len() - 1);
        }
        let mut psychiatric_by_region = BTreeMap::new();
        for region in REGIONS {
            let name = format!("Psykiatrien {}", region.short_name);
            // Beside the region's largest acute hospital.
            let municipality = acute_by_region
                .get(&region.code)
                .and_then(|acute| acute.first())
                .map_or(0, |&h| hospitals[h].municipality);
            let at = (region.code, municipality);
            hospitals.push(Hospital::new(name, at, PSYCHIATRIC_UNITS, || sor_id(rng)));
            psychiatric_by_region.insert(region.code, hospitals.len() - 1);
        }
        for place in &mut places {
            place.hospital = cluster_hospital
                .get(&place.municipality.health_cluster)
                .copied()
                .unwrap_or_else(|| acute_by_region[&place.municipality.region][0]);
        }
        let place_index = WeightedIndex::new(places.iter().map(|p| p.weight));
        World {
            places,
            place_index,
            providers,
            specialists,
            nursing_homes,
            hospitals,
            acute_by_region,
            psychiatric_by_region,
        }
    }

    /// A GP practice for someone living in `place`: mostly one of its own,
    /// sometimes one of a neighbouring municipality.
    pub fn choose_practice(&self, place: usize, rng: &mut Rng) -> usize {
        let p = &self.places[place];
        if !p.neighbours.is_empty() && rng.chance(0.05) {
            let n = &self.places[*rng.pick(&p.neighbours)];
            return n.practices[n.practice_index.sample(rng)];
        }
        p.practices[p.practice_index.sample(rng)]
    }

    /// A specialist practice of `specialty` for someone in `region`
    /// (another region's when the region has none).
    pub fn specialist(&self, region: u16, specialty: &'static str, rng: &mut Rng) -> Option<usize> {
        let own = self.specialists.get(&(region, specialty));
        let list = match own {
            Some(l) if !l.is_empty() => l,
            _ => self
                .specialists
                .iter()
                .find(|((_, s), l)| *s == specialty && !l.is_empty())
                .map(|(_, l)| l)?,
        };
        Some(*rng.pick(list))
    }

    /// Region index (0–4) of a place.
    pub fn region_index(&self, place: usize) -> usize {
        region_index(self.places[place].municipality.region)
    }
}

/// "Nord", "Syd" … to tell practices of one town apart.
fn practice_name(town: &str, k: usize) -> String {
    const PARTS: &[&str] = &[
        "",
        "Nord",
        "Syd",
        "Øst",
        "Vest",
        "Centrum",
        "Torvet",
        "Havnen",
        "Parken",
        "Stationen",
    ];
    let part = PARTS[k % PARTS.len()];
    let round = k / PARTS.len();
    match (part.is_empty(), round) {
        (true, 0) => town.to_string(),
        (true, r) => format!("{town} {}", r + 1),
        (false, 0) => format!("{town} {part}"),
        (false, r) => format!("{town} {part} {}", r + 1),
    }
}

fn normalise_factors(places: &mut [Place]) {
    let total: f64 = places.iter().map(|p| p.weight).sum();
    let mean = |f: &dyn Fn(&Factors) -> f64, places: &[Place]| {
        places.iter().map(|p| p.weight * f(&p.factors)).sum::<f64>() / total
    };
    let m = [
        mean(&|f| f.gp, places),
        mean(&|f| f.admissions, places),
        mean(&|f| f.chronic, places),
        mean(&|f| f.care, places),
        mean(&|f| f.drugs, places),
    ];
    for p in places {
        p.factors.gp /= m[0];
        p.factors.admissions /= m[1];
        p.factors.chronic /= m[2];
        p.factors.care /= m[3];
        p.factors.drugs /= m[4];
    }
}

/// GP clusters: about 114 at full size, at least one per region; a
/// cluster is a run of practices of one region ordered by health cluster
/// and municipality, so its practices lie in neighbouring municipalities.
fn assign_clusters(providers: &mut [Provider], places: &[Place], persons: u64) {
    let total = (rates::GP_CLUSTERS * persons as f64 / NATIONAL_POPULATION)
        .round()
        .max(rates::MIN_GP_CLUSTERS);
    let practices = providers.len() as f64;
    let mut next_id = 1u16;
    for region in REGIONS {
        let mut members: Vec<usize> = (0..providers.len())
            .filter(|&p| places[providers[p].place].municipality.region == region.code)
            .collect();
        members.sort_by_key(|&p| {
            let m = places[providers[p].place].municipality;
            (m.health_cluster, m.code, p)
        });
        let count = ((total * members.len() as f64 / practices).round() as usize)
            .clamp(1, members.len().max(1));
        for (k, p) in members.iter().enumerate() {
            let cluster = next_id + (k * count / members.len()) as u16;
            providers[*p].cluster = Some(cluster.min(999));
        }
        next_id += count as u16;
    }
}
