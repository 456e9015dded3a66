//! The funnel plots' statistics against values SciPy computes from the
//! same definitions with its own exact distributions
//! (`e2e/tests/funnel_reference.py` wrote `data/funnel_scipy.json`;
//! `e2e/tests/test_funnel_reference.py` checks the file is still what
//! SciPy gives).

use serde::Deserialize;
use shared::funnel::{benjamini_hochberg, confidence_interval, control_limit, p_value, Model};

#[derive(Deserialize)]
struct Reference {
    limits: Vec<Limit>,
    intervals: Vec<Interval>,
    p_values: Vec<PValue>,
    bh: Vec<Bh>,
}

#[derive(Deserialize)]
struct Limit {
    model: String,
    n: u64,
    theta: f64,
    p: f64,
    limit: f64,
}

#[derive(Deserialize)]
struct Interval {
    model: String,
    x: u64,
    n: u64,
    level: f64,
    lower: f64,
    upper: f64,
}

#[derive(Deserialize)]
struct PValue {
    model: String,
    x: u64,
    n: u64,
    theta: f64,
    p: f64,
}

#[derive(Deserialize)]
struct Bh {
    p: Vec<f64>,
    q: f64,
    clear: Vec<bool>,
}

fn reference() -> Reference {
    serde_json::from_str(include_str!("data/funnel_scipy.json")).expect("the reference")
}

fn model(key: &str) -> Model {
    match key {
        "binomial" => Model::Binomial,
        "poisson" => Model::Poisson,
        other => panic!("unknown model {other}"),
    }
}

/// Equal within `rel` of the larger, or within 1e-15 absolutely.
fn close(ours: f64, theirs: f64, rel: f64) -> bool {
    (ours - theirs).abs() <= rel * ours.abs().max(theirs.abs()) + 1e-15
}

#[test]
fn control_limits_equal_scipys_exact_quantiles_with_interpolation() {
    let cases = reference().limits;
    assert!(cases.len() >= 200);
    for c in &cases {
        let ours = control_limit(model(&c.model), c.n, c.theta, c.p).expect("a limit");
        assert!(
            close(ours, c.limit, 1e-9),
            "{} n={} θ={} p={}: ours {ours}, SciPy {}",
            c.model,
            c.n,
            c.theta,
            c.p,
            c.limit
        );
    }
}

#[test]
fn confidence_intervals_equal_scipys_beta_and_chi_square_quantiles() {
    for c in reference().intervals {
        let (lower, upper) =
            confidence_interval(model(&c.model), c.x, c.n, c.level).expect("an interval");
        assert!(
            close(lower, c.lower, 1e-9) && close(upper, c.upper, 1e-9),
            "{} {}/{}: ours ({lower}, {upper}), SciPy ({}, {})",
            c.model,
            c.x,
            c.n,
            c.lower,
            c.upper
        );
    }
}

#[test]
fn p_values_equal_scipys() {
    for c in reference().p_values {
        let ours = p_value(model(&c.model), c.x, c.n, c.theta).expect("a p-value");
        assert!(
            close(ours, c.p, 1e-9),
            "{} {}/{} against {}: ours {ours}, SciPy {}",
            c.model,
            c.x,
            c.n,
            c.theta,
            c.p
        );
    }
}

#[test]
fn benjamini_hochberg_decides_as_scipys_false_discovery_control() {
    for c in reference().bh {
        let p: Vec<Option<f64>> = c.p.iter().copied().map(Some).collect();
        assert_eq!(
            benjamini_hochberg(&p, c.q),
            c.clear,
            "q={} p={:?}",
            c.q,
            c.p
        );
    }
}
