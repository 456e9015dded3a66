//! Comparing providers without ranking noise: exact funnel-plot control
//! limits, exact confidence intervals, exact p-values and the
//! Benjamini–Hochberg procedure. They run in the browser, on the numbers
//! of the current filter.
//!
//! Definitions (written down once, here):
//! - **Model.** A share of persons (x of n listed patients) is binomial,
//!   `X ~ Bin(n, θ)`. A count of events in an exposure of n persons is
//!   Poisson, `X ~ Poi(θ·n)`. θ is the national value of the measure, per
//!   person.
//! - **Control limit** at probability p, for a provider of size n
//!   (Spiegelhalter 2005, "Funnel plots for comparing institutional
//!   performance", exact limits with interpolation): `r` is the smallest
//!   count with `F(r) ≥ p`, `α = (F(r) − p) / (F(r) − F(r − 1))`, and the
//!   limit is `(r − α) / n`, kept within [0, 1] for shares and ≥ 0 for
//!   rates. The 95 % limits are p = 0.025 and 0.975, the 99.8 % limits
//!   0.001 and 0.999.
//! - **Confidence interval** of x out of n, exact: for shares
//!   Clopper–Pearson, the θ at which `P(X ≥ x) = a/2` and `P(X ≤ x) = a/2`;
//!   for rates the same with the Poisson distribution, divided by n.
//! - **p-value** against θ: two-sided, the doubled smaller tail,
//!   `min(1, 2·min(P(X ≤ x), P(X ≥ x)))`.
//! - **Statistically clear:** among the m comparisons a page shows, those
//!   the Benjamini–Hochberg procedure keeps at a false discovery rate q
//!   (default 5 %): sorted p-values `p₍₁₎ ≤ … ≤ p₍ₘ₎`, the largest k with
//!   `p₍ₖ₎ ≤ k·q/m`, and every comparison ranked 1…k.
//!
//! The distributions are summed exactly over the counts that carry any
//! probability (a term below 10⁻¹⁸ of the largest ends the sum), so
//! nothing is approximated by a normal distribution.

/// How a measure's count varies by chance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Model {
    /// x of n persons.
    Binomial,
    /// x events in an exposure of n persons.
    Poisson,
}

/// The two-sided 95 % control limits' probabilities.
pub const LIMITS_95: (f64, f64) = (0.025, 0.975);
/// The two-sided 99.8 % control limits' probabilities.
pub const LIMITS_998: (f64, f64) = (0.001, 0.999);

/// Terms below this fraction of the largest end the sums.
const NEGLIGIBLE: f64 = 1e-18;

/// A distribution's cumulative probabilities over the counts that carry
/// any: `cdf[i] = P(X ≤ start + i)` and `sf[i] = P(X ≥ start + i)`, each
/// summed from its own end, so that small tails keep their precision.
struct Cdf {
    start: u64,
    cdf: Vec<f64>,
    sf: Vec<f64>,
}

impl Cdf {
    /// `X ~ Bin(n, θ)` or `X ~ Poi(θ·n)`.
    fn new(model: Model, n: u64, theta: f64) -> Cdf {
        let theta = match model {
            Model::Binomial => theta.clamp(0.0, 1.0),
            Model::Poisson => theta.max(0.0),
        };
        let nf = n as f64;
        let degenerate = |at: u64| Cdf {
            start: at,
            cdf: vec![1.0],
            sf: vec![1.0],
        };
        if n == 0 || theta == 0.0 {
            return degenerate(0);
        }
        if model == Model::Binomial && theta == 1.0 {
            return degenerate(n);
        }
        let mode = match model {
            Model::Binomial => (((nf + 1.0) * theta).floor() as u64).min(n),
            Model::Poisson => (theta * nf).floor() as u64,
        };
        // P(r + 1) / P(r), and P(r - 1) / P(r).
        let up = |r: u64| match model {
            Model::Binomial => (nf - r as f64) / (r as f64 + 1.0) * theta / (1.0 - theta),
            Model::Poisson => theta * nf / (r as f64 + 1.0),
        };
        let down = |r: u64| match model {
            Model::Binomial => r as f64 / (nf - r as f64 + 1.0) * (1.0 - theta) / theta,
            Model::Poisson => r as f64 / (theta * nf),
        };
        let top = match model {
            Model::Binomial => n,
            Model::Poisson => u64::MAX,
        };
        // Relative probabilities, the mode's being 1.
        let mut below = Vec::new();
        let (mut r, mut term) = (mode, 1.0);
        while r > 0 {
            term *= down(r);
            r -= 1;
            if term < NEGLIGIBLE {
                break;
            }
            below.push(term);
        }
        let start = mode - below.len() as u64;
        let mut terms: Vec<f64> = below.into_iter().rev().collect();
        terms.push(1.0);
        let (mut r, mut term) = (mode, 1.0);
        while r < top {
            term *= up(r);
            r += 1;
            if term < NEGLIGIBLE {
                break;
            }
            terms.push(term);
        }
        let total: f64 = terms.iter().sum();
        let running = |terms: &mut dyn Iterator<Item = &f64>| -> Vec<f64> {
            let mut sum = 0.0;
            terms
                .map(|t| {
                    sum += t;
                    sum / total
                })
                .collect()
        };
        let cdf = running(&mut terms.iter());
        let mut sf = running(&mut terms.iter().rev());
        sf.reverse();
        Cdf { start, cdf, sf }
    }

    /// `P(X ≤ r)`.
    fn at(&self, r: i64) -> f64 {
        if r < self.start as i64 {
            return 0.0;
        }
        let i = (r - self.start as i64) as usize;
        self.cdf.get(i).copied().unwrap_or(1.0)
    }

    /// `P(X ≥ r)`.
    fn at_least(&self, r: i64) -> f64 {
        if r <= self.start as i64 {
            return 1.0;
        }
        let i = (r - self.start as i64) as usize;
        self.sf.get(i).copied().unwrap_or(0.0)
    }

    /// The smallest r with `P(X ≤ r) ≥ p`.
    fn quantile(&self, p: f64) -> u64 {
        self.start + self.cdf.partition_point(|c| *c < p) as u64
    }
}

/// The control limit at probability `p` for a provider of size `n`, when
/// the measure's national value per person is `theta` (see the module
/// documentation). `None` for a provider of size 0.
pub fn control_limit(model: Model, n: u64, theta: f64, p: f64) -> Option<f64> {
    if n == 0 {
        return None;
    }
    let cdf = Cdf::new(model, n, theta);
    let r = cdf.quantile(p);
    let (at, below) = (cdf.at(r as i64), cdf.at(r as i64 - 1));
    let alpha = if at > below {
        (at - p) / (at - below)
    } else {
        0.0
    };
    let limit = ((r as f64 - alpha) / n as f64).max(0.0);
    Some(match model {
        Model::Binomial => limit.min(1.0),
        Model::Poisson => limit,
    })
}

/// The four limits of a funnel at size `n`: 99.8 % lower, 95 % lower,
/// 95 % upper, 99.8 % upper.
pub fn funnel_limits(model: Model, n: u64, theta: f64) -> Option<[f64; 4]> {
    Some([
        control_limit(model, n, theta, LIMITS_998.0)?,
        control_limit(model, n, theta, LIMITS_95.0)?,
        control_limit(model, n, theta, LIMITS_95.1)?,
        control_limit(model, n, theta, LIMITS_998.1)?,
    ])
}

/// The exact two-sided confidence interval, at level `level` (0.95), of
/// the value per person of x out of n; `None` when n is 0.
pub fn confidence_interval(model: Model, x: u64, n: u64, level: f64) -> Option<(f64, f64)> {
    if n == 0 || (model == Model::Binomial && x > n) {
        return None;
    }
    let tail = (1.0 - level) / 2.0;
    let nf = n as f64;
    // The largest value per person still to search: 1 for shares; for
    // rates far above x/n.
    let ceiling = match model {
        Model::Binomial => 1.0,
        Model::Poisson => (x as f64 + 20.0 * (x as f64).sqrt() + 50.0) / nf,
    };
    let lower = if x == 0 {
        0.0
    } else {
        // P(X ≥ x) rises with θ: the θ where it reaches the tail.
        bisect(0.0, ceiling, |theta| {
            Cdf::new(model, n, theta).at_least(x as i64) < tail
        })
    };
    let upper = if model == Model::Binomial && x == n {
        1.0
    } else {
        // P(X ≤ x) falls with θ.
        bisect(0.0, ceiling, |theta| {
            Cdf::new(model, n, theta).at(x as i64) > tail
        })
    };
    Some((lower, upper))
}

/// The boundary in [lo, hi] where `below` turns from true to false.
fn bisect(mut lo: f64, mut hi: f64, below: impl Fn(f64) -> bool) -> f64 {
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if below(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// The two-sided p-value of x out of n against the national value
/// `theta` (see the module documentation); `None` when n is 0.
pub fn p_value(model: Model, x: u64, n: u64, theta: f64) -> Option<f64> {
    if n == 0 || (model == Model::Binomial && x > n) {
        return None;
    }
    let cdf = Cdf::new(model, n, theta);
    let x = x as i64;
    Some((2.0 * cdf.at(x).min(cdf.at_least(x))).min(1.0))
}

/// Which of `p_values` are statistically clear by the Benjamini–Hochberg
/// procedure at false discovery rate `q` (see the module documentation),
/// in the order given. A missing p-value is never clear and does not
/// count among the comparisons.
pub fn benjamini_hochberg(p_values: &[Option<f64>], q: f64) -> Vec<bool> {
    let mut order: Vec<(usize, f64)> = p_values
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.map(|p| (i, p)))
        .collect();
    order.sort_by(|a, b| a.1.total_cmp(&b.1));
    let m = order.len() as f64;
    let kept = order
        .iter()
        .enumerate()
        .filter(|(rank, (_, p))| *p <= (*rank as f64 + 1.0) * q / m)
        .map(|(rank, _)| rank + 1)
        .max()
        .unwrap_or(0);
    let mut clear = vec![false; p_values.len()];
    for (i, _) in order.into_iter().take(kept) {
        clear[i] = true;
    }
    clear
}

/// One unit (a practice, a cluster) compared with a reference value per
/// person θ: `x` of `n`, its value per person, the exact 95 % confidence
/// interval of that value and the two-sided p-value against θ.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Comparison {
    /// The count: persons or events.
    pub x: u64,
    /// The persons it is counted among.
    pub n: u64,
    /// `x / n`; `None` when `n` is 0.
    pub value: Option<f64>,
    /// The exact 95 % confidence interval of `value`.
    pub interval: Option<(f64, f64)>,
    /// The p-value against the reference; `None` without one.
    pub p: Option<f64>,
}

/// The confidence level of [`Comparison::interval`].
pub const CONFIDENCE: f64 = 0.95;

/// The false discovery rate of the "statistically clear" flags.
pub const FALSE_DISCOVERY_RATE: f64 = 0.05;

/// Compares `x` of `n` under `model` with the reference `theta` (per
/// person).
pub fn compare(model: Model, x: u64, n: u64, theta: Option<f64>) -> Comparison {
    Comparison {
        x,
        n,
        value: (n > 0).then(|| x as f64 / n as f64),
        interval: confidence_interval(model, x, n, CONFIDENCE),
        p: theta.and_then(|t| p_value(model, x, n, t)),
    }
}

/// Which comparisons of `comparisons` are statistically clear: kept by the
/// Benjamini–Hochberg procedure at [`FALSE_DISCOVERY_RATE`] among all of
/// them.
pub fn clear(comparisons: &[Comparison]) -> Vec<bool> {
    let p: Vec<Option<f64>> = comparisons.iter().map(|c| c.p).collect();
    benjamini_hochberg(&p, FALSE_DISCOVERY_RATE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distributions_sum_to_one_and_their_quantiles_bracket_the_mean() {
        for (model, n, theta) in [
            (Model::Binomial, 20_000, 0.05),
            (Model::Binomial, 7, 0.5),
            (Model::Poisson, 1_000, 2.5),
            (Model::Poisson, 3, 0.01),
        ] {
            let cdf = Cdf::new(model, n, theta);
            assert!((cdf.cdf.last().copied().unwrap_or(0.0) - 1.0).abs() < 1e-12);
            let mean = theta * n as f64;
            assert!(cdf.quantile(0.025) as f64 <= mean.ceil());
            assert!(cdf.quantile(0.975) as f64 >= mean.floor());
        }
    }

    #[test]
    fn limits_widen_as_providers_shrink_and_hug_the_national_value() {
        let small = funnel_limits(Model::Binomial, 100, 0.1).expect("limits");
        let large = funnel_limits(Model::Binomial, 10_000, 0.1).expect("limits");
        assert!(small.windows(2).all(|w| w[0] <= w[1]), "{small:?}");
        assert!(small[0] < large[0] && large[3] < small[3]);
        assert!(large[1] < 0.1 && 0.1 < large[2]);
        assert!((large[2] - 0.1) < 0.01);
        assert_eq!(funnel_limits(Model::Poisson, 0, 0.1), None);
    }

    #[test]
    fn benjamini_hochberg_keeps_every_p_value_up_to_the_largest_that_passes() {
        // m = 5, q = 0.05: thresholds 0.01, 0.02, 0.03, 0.04, 0.05. The
        // third passes (0.029 ≤ 0.03), so the second (0.025 > 0.02) is
        // kept too; the fourth and fifth do not pass.
        let p = [
            Some(0.029),
            Some(0.2),
            Some(0.001),
            None,
            Some(0.025),
            Some(0.045),
        ];
        assert_eq!(
            benjamini_hochberg(&p, 0.05),
            [true, false, true, false, true, false]
        );
        assert_eq!(benjamini_hochberg(&[Some(0.5), None], 0.05), [false, false]);
    }
}
