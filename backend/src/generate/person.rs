//! One person's life over the period: birth or arrival, residences and
//! moves, nursing home, death or emigration, civil status, GP listing and
//! chronic disease. Drawn from the person's own random stream.

use std::collections::HashSet;

use super::day::{self, Day};
use super::rates::{self, crossing_age, Curves, IMMIGRANT_AGES, MAX_AGE};
use super::rng::{Rng, WeightedIndex};
use super::world::{address_id, World};

/// Where a person comes from.
#[derive(Clone, Copy, Debug)]
pub enum Origin {
    /// Resident on the first day of the period.
    Initial,
    /// Born in the year.
    Born(i32),
    /// Immigrated in the year.
    Immigrated(i32),
}

/// A period of residence.
pub struct Residence {
    /// First day.
    pub from: Day,
    /// Municipality (index into the world's places).
    pub place: usize,
    /// Address id.
    pub address: String,
    /// A nursing-home address.
    pub nursing_home: bool,
}

/// Civil-status history, as ages at which it changes.
struct Civil {
    married: Option<Day>,
    partnership: bool,
    divorced: Option<Day>,
    remarried: Option<Day>,
    widowed: Option<Day>,
}

impl Civil {
    fn draw(rng: &mut Rng, birth: Day, female: bool) -> Civil {
        let never = rng.chance(if female { 0.27 } else { 0.33 });
        let married_age = 22.0 + rng.exponential(7.0).min(30.0);
        let married = (!never).then(|| birth + (married_age * 365.25) as Day);
        let partnership = married.is_some_and(|m| day::year_of(m) < 2012) && rng.chance(0.004);
        let divorced = married
            .filter(|_| rng.chance(0.35))
            .map(|m| m + (rng.uniform(2.0, 25.0) * 365.25) as Day);
        let remarried = divorced
            .filter(|_| rng.chance(0.35))
            .map(|d| d + (rng.uniform(1.0, 10.0) * 365.25) as Day);
        let widow_age = if female {
            rng.uniform(58.0, 92.0)
        } else {
            rng.uniform(65.0, 98.0)
        };
        let widowed = married
            .filter(|_| divorced.is_none() && rng.chance(if female { 0.8 } else { 0.5 }))
            .map(|m| (birth + (widow_age * 365.25) as Day).max(m + 365));
        Civil {
            married,
            partnership,
            divorced,
            remarried,
            widowed,
        }
    }

    /// The CPR civil-status code on `at`.
    fn at(&self, at: Day) -> &'static str {
        let reached = |d: Option<Day>| d.is_some_and(|d| d <= at);
        if !reached(self.married) {
            return "U";
        }
        let (married, dissolved, survivor) = if self.partnership {
            ("P", "O", "L")
        } else {
            ("G", "F", "E")
        };
        if reached(self.divorced) {
            if reached(self.remarried) {
                "G"
            } else {
                dissolved
            }
        } else if reached(self.widowed) {
            survivor
        } else {
            married
        }
    }
}

/// A person over the period.
pub struct Life {
    /// CPR number.
    pub cpr: u64,
    /// Birth date.
    pub birth: Day,
    /// Woman.
    pub female: bool,
    /// First day present in the period.
    pub start: Day,
    /// Day of death, emigration or disappearance, with the CPR status.
    pub exit: Option<(Day, &'static str)>,
    /// Residences, the first current on `start`.
    pub residences: Vec<Residence>,
    /// GP listings: first day and practice.
    pub listings: Vec<(Day, usize)>,
    /// Onset of each RUKS group (order of `rates::CHRONIC`).
    pub chronic: [Option<Day>; 8],
    /// Start of home help.
    pub home_help: Option<Day>,
    /// Individual propensity to use health care (mean 1).
    pub frailty: f64,
    civil: Civil,
}

/// Shared, read-only inputs of the person simulation.
pub struct Setting<'a> {
    /// The world.
    pub world: &'a World,
    /// Prevalence tables.
    pub curves: &'a Curves,
    /// First day of the period.
    pub start: Day,
    /// First day after the period.
    pub end: Day,
    /// Draws a five-year band.
    pub age_index: WeightedIndex,
    /// Draws an age within 85+.
    pub oldest_index: WeightedIndex,
    /// Draws an immigrant's age group.
    pub immigrant_index: WeightedIndex,
}

impl<'a> Setting<'a> {
    /// The setting of a period from `start` to `end` (exclusive).
    pub fn new(world: &'a World, curves: &'a Curves, start: Day, end: Day) -> Setting<'a> {
        Setting {
            world,
            curves,
            start,
            end,
            age_index: WeightedIndex::new(rates::AGE_STRUCTURE),
            oldest_index: WeightedIndex::new(rates::oldest_weights()),
            immigrant_index: WeightedIndex::new(rates::IMMIGRANT_AGES.iter().map(|a| a.2)),
        }
    }
}

impl Setting<'_> {
    /// Draws a person of `origin`.
    pub fn life(&self, origin: Origin, rng: &mut Rng, used: &mut HashSet<u64>) -> Life {
        let world = self.world;
        let place = world.place_index.sample(rng);
        let (birth, female, start) = match origin {
            Origin::Initial => {
                let band = self.age_index.sample(rng);
                let age = if band == 17 {
                    85 + self.oldest_index.sample(rng) as i32
                } else {
                    band as i32 * 5 + rng.below(5) as i32
                };
                let female = rng.chance(rates::female_share(age));
                let lo = day::add_years(self.start, -(age + 1)) + 1;
                let hi = day::add_years(self.start, -age) + 1;
                (rates::day_between(rng, lo, hi), female, self.start)
            }
            Origin::Born(year) => {
                let birth = rates::day_between(rng, day::new_year(year), day::new_year(year + 1));
                (birth, rng.chance(0.487), birth)
            }
            Origin::Immigrated(year) => {
                let arrival = rates::day_between(rng, day::new_year(year), day::new_year(year + 1));
                let (lo, hi, _) = IMMIGRANT_AGES[self.immigrant_index.sample(rng)];
                let age = rng.between(i64::from(lo), i64::from(hi)) as i32;
                let birth = rates::day_between(
                    rng,
                    day::add_years(arrival, -(age + 1)) + 1,
                    day::add_years(arrival, -age) + 1,
                );
                (birth, rng.chance(0.5), arrival)
            }
        };
        let cpr = unique_cpr(rng, birth, female, used);
        let frailty = (0.5 * rng.normal() - 0.125).exp();
        let sex = usize::from(female);
        let factors = world.places[place].factors;

        let onset =
            |table: &[f64], u: f64| crossing_age(table, u).map(|a| birth + (a * 365.25) as Day);
        let mut chronic = [None; 8];
        for (g, slot) in chronic.iter_mut().enumerate() {
            let u = rng.unit() / factors.chronic;
            *slot = onset(&self.curves.chronic[g][sex], u);
        }
        let care = rng.unit() / factors.care;
        let nursing_home = onset(&self.curves.nursing_home[sex], care);
        let home_help = onset(&self.curves.care[sex], care);
        let civil = Civil::draw(rng, birth, female);

        // Death, emigration or disappearance, year by year.
        let mut exit = None;
        let first_year = day::year_of(start);
        for year in first_year..day::year_of(self.end) {
            let ws = start.max(day::new_year(year));
            let we = day::new_year(year + 1);
            if ws >= we {
                continue;
            }
            let frac = f64::from(we - ws) / rates::days_in_year(year) as f64;
            let age = day::age(birth, ws);
            let in_home = nursing_home.is_some_and(|d| d <= ws);
            // Mortality depends on age and sex only: with states entered
            // as a latent crosses an age curve, extra mortality in a state
            // (nursing home, dementia) would deplete it year by year, and
            // the prevalence by age would drift away from the public
            // figures over a period of several years.
            let death = rates::mortality(age, female);
            let emigration = if in_home { 0.0 } else { rates::emigration(age) };
            let disappear = if age >= 18 { rates::DISAPPEARANCE } else { 0.0 };
            let (d, e, v) = (rng.unit(), rng.unit(), rng.unit());
            let status = if d < death.min(0.95) * frac {
                Some("90")
            } else if e < emigration * frac {
                Some("80")
            } else if v < disappear * frac {
                Some("70")
            } else {
                None
            };
            if let Some(status) = status {
                // Never on the first day, so that every period has a day.
                let first = if ws == start { ws + 1 } else { ws };
                exit = Some((rates::day_between(rng, first, we.max(first + 1)), status));
                break;
            }
        }
        let exit_day = exit.map_or(self.end, |(d, _)| d);

        // Residences.
        let in_home_at_start = nursing_home.is_some_and(|d| d <= start);
        let first_from = match origin {
            Origin::Initial if in_home_at_start => nursing_home.unwrap_or(start).max(birth),
            // Moved in at some time before the period (born on its first
            // day: at birth).
            Origin::Initial if birth >= start => birth,
            Origin::Initial => {
                let span = (start - birth).min(15 * 365);
                start - 1 - rng.below(span as u64) as Day
            }
            _ => start,
        };
        let mut residences = vec![self.residence(place, first_from, in_home_at_start, rng)];
        let moves_until = exit_day.min(nursing_home.unwrap_or(Day::MAX));
        for year in first_year..day::year_of(self.end) {
            let ws = start.max(day::new_year(year));
            let we = day::new_year(year + 1).min(moves_until);
            if ws >= we {
                continue;
            }
            let frac = f64::from(we - ws) / rates::days_in_year(year) as f64;
            let (rate, inter) = rates::moves(day::age(birth, ws));
            let mut days: Vec<Day> = (0..rng.poisson(rate * frac).min(3))
                .map(|_| rates::day_between(rng, ws, we))
                .collect();
            days.sort_unstable();
            for d in days {
                let last = residences.last().expect("a first residence");
                if d <= last.from {
                    continue;
                }
                let mut to = last.place;
                if rng.chance(inter) {
                    let here = &world.places[to];
                    to = if !here.neighbours.is_empty() && rng.chance(0.6) {
                        *rng.pick(&here.neighbours)
                    } else {
                        world.place_index.sample(rng)
                    };
                }
                let r = self.residence(to, d, false, rng);
                residences.push(r);
            }
        }
        if let Some(d) = nursing_home {
            let last = residences.last().expect("a first residence");
            if !last.nursing_home && d > last.from && d < exit_day {
                let r = self.residence(last.place, d, true, rng);
                residences.push(r);
            }
        }

        // GP listings follow the municipality (and the nursing home's
        // practice).
        let mut listings: Vec<(Day, usize)> = Vec::with_capacity(residences.len());
        for (i, r) in residences.iter().enumerate() {
            let practice = if r.nursing_home {
                let home = world.places[r.place]
                    .nursing_homes
                    .iter()
                    .find(|h| world.nursing_homes[**h].addresses.contains(&r.address));
                home.map(|h| world.nursing_homes[*h].practice)
            } else if i == 0 || r.place != residences[i - 1].place {
                Some(world.choose_practice(r.place, rng))
            } else {
                None
            };
            if let Some(p) = practice {
                if listings.last().is_none_or(|(_, last)| *last != p) {
                    listings.push((r.from, p));
                }
            }
        }

        Life {
            cpr,
            birth,
            female,
            start,
            exit,
            residences,
            listings,
            chronic,
            home_help,
            frailty,
            civil,
        }
    }

    fn residence(&self, place: usize, from: Day, nursing_home: bool, rng: &mut Rng) -> Residence {
        let world = self.world;
        let address = if nursing_home {
            let homes = &world.places[place].nursing_homes;
            let home = &world.nursing_homes[*rng.pick(homes)];
            rng.pick(&home.addresses).clone()
        } else {
            address_id(rng)
        };
        Residence {
            from,
            place,
            address,
            nursing_home,
        }
    }
}

impl Life {
    /// First day no longer present (exit or the end of the period).
    pub fn end(&self, period_end: Day) -> Day {
        self.exit.map_or(period_end, |(d, _)| d.min(period_end))
    }

    /// The residence on `at` (the first one before it begins).
    pub fn residence_at(&self, at: Day) -> &Residence {
        self.residences
            .iter()
            .rev()
            .find(|r| r.from <= at)
            .unwrap_or(&self.residences[0])
    }

    /// The practice listed on `at`.
    pub fn practice_at(&self, at: Day) -> usize {
        self.listings
            .iter()
            .rev()
            .find(|(from, _)| *from <= at)
            .unwrap_or(&self.listings[0])
            .1
    }

    /// Whether the person is in chronic group `g` on `at`.
    pub fn has(&self, g: usize, at: Day) -> bool {
        self.chronic[g].is_some_and(|d| d <= at)
    }

    /// Number of chronic groups on `at`.
    pub fn chronic_count(&self, at: Day) -> usize {
        (0..8).filter(|g| self.has(*g, at)).count()
    }

    /// Living in a nursing home on `at`.
    pub fn in_nursing_home(&self, at: Day) -> bool {
        self.residence_at(at).nursing_home
    }

    /// Receiving home help (and not in a nursing home) on `at`.
    pub fn has_home_help(&self, at: Day) -> bool {
        self.home_help.is_some_and(|d| d <= at) && !self.in_nursing_home(at)
    }

    /// Civil status on `at`.
    pub fn civil_status(&self, at: Day) -> &'static str {
        self.civil.at(at)
    }

    /// Age on `at`.
    pub fn age(&self, at: Day) -> i32 {
        day::age(self.birth, at).clamp(0, MAX_AGE as i32 + 20)
    }
}

/// A CPR number for `birth` and sex not used before: DDMMYY, a century
/// digit, two digits, and a last digit that is even for women.
pub fn unique_cpr(rng: &mut Rng, birth: Day, female: bool, used: &mut HashSet<u64>) -> u64 {
    let (year, month, d) = day::ymd(birth);
    let century_digits: &[u64] = match year {
        1858..=1899 => &[5, 6, 7, 8],
        1900..=1936 => &[0, 1, 2, 3],
        1937..=1999 => &[0, 1, 2, 3, 4, 9],
        _ => &[4, 5, 6, 7, 8, 9],
    };
    let date_part = u64::from(d) * 10_000 + u64::from(month) * 100 + (year % 100) as u64;
    loop {
        let century = century_digits[rng.below(century_digits.len() as u64) as usize];
        let middle = rng.below(100);
        let last = rng.below(5) * 2 + u64::from(!female);
        let number = date_part * 10_000 + century * 1000 + middle * 10 + last;
        if used.insert(number) {
            return number;
        }
    }
}
