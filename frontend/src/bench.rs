//! A benchmark of the browser's slicing, exported to JavaScript for
//! `e2e/bench/browser.mjs`: a synthetic tile of the geography family with
//! `cells` cells is filtered to women and grouped by region (a rollup of
//! municipality) with the catalogue's formula, `runs` times. It returns
//! the best time, the result, and the columns the same group-by needs, so
//! that the benchmark can run it in a JavaScript peer on the same data
//! and compare results as well as times.

use js_sys::{Array, Float64Array, Object, Reflect, Uint16Array};
use shared::cube::{Cube, Filter, Grouping};
use shared::measure::Scale;
use shared::tile::{Split, TileKind};
use shared::{geography, DimensionId, MeasureId, TileFamilyId};
use wasm_bindgen::prelude::*;

/// The measure of the benchmark: GP contacts per 1,000 citizens.
const MEASURE: MeasureId = MeasureId::GpContacts;

/// A tile of `cells` distinct cells: every key combination in turn (sex
/// fastest, then age band, municipality, year), with varied counts.
fn synthetic(cells: usize) -> Result<Cube, String> {
    let kind = TileKind {
        family: TileFamilyId::Geography,
        split: Split::None,
    };
    let municipalities: Vec<u16> = geography::MUNICIPALITIES.iter().map(|m| m.code).collect();
    let key = |dimension: DimensionId, i: usize| -> u16 {
        match dimension {
            DimensionId::Sex => 1 + (i % 2) as u16,
            DimensionId::AgeBand => ((i / 2) % 19) as u16,
            DimensionId::Municipality => municipalities[(i / 38) % municipalities.len()],
            _ => 1900 + (i / (38 * municipalities.len())) as u16,
        }
    };
    let keys = kind
        .keys()
        .into_iter()
        .map(|d| (0..cells).map(|i| key(d, i)).collect())
        .collect();
    let denominator = MEASURE.def().denominator;
    let values = kind
        .family
        .def()
        .quantities
        .iter()
        .enumerate()
        .map(|(q, quantity)| {
            (0..cells as u64)
                .map(|i| {
                    if Some(*quantity) == denominator {
                        1 + i % 50
                    } else {
                        (i * (q as u64 + 7)) % 101
                    }
                })
                .collect()
        })
        .collect();
    Cube::new(kind, keys, values).map_err(|e| e.to_string())
}

fn set(object: &Object, key: &str, value: &JsValue) -> Result<(), JsValue> {
    Reflect::set(object, &JsValue::from_str(key), value).map(|_| ())
}

/// Runs the benchmark; see the module documentation. Returns `{ cells,
/// ms, result: [[region, value]…], region, sex, numerator, denominator }`.
#[wasm_bindgen(js_name = benchmarkReAggregation)]
pub fn benchmark_re_aggregation(cells: u32, runs: u32) -> Result<Object, JsValue> {
    let cells = cells as usize;
    let cube = synthetic(cells)?;
    let performance = web_sys::window()
        .and_then(|w| w.performance())
        .ok_or("no performance clock")?;
    let filter = Filter::all().with(DimensionId::Sex, [2]);
    let mut best = f64::INFINITY;
    let mut points = Vec::new();
    for _ in 0..runs.max(1) {
        let started = performance.now();
        points = cube
            .evaluate(
                MEASURE,
                Scale::PerThousand,
                &filter,
                Grouping::By(DimensionId::Region),
            )
            .map_err(|e| e.to_string())?;
        best = best.min(performance.now() - started);
    }
    let out = Object::new();
    set(&out, "cells", &JsValue::from(cells as u32))?;
    set(&out, "ms", &JsValue::from(best))?;
    let result = Array::new();
    for p in &points {
        let pair = Array::of2(
            &JsValue::from(p.key.unwrap_or(0)),
            &p.value.map_or(JsValue::NULL, JsValue::from),
        );
        result.push(&pair);
    }
    set(&out, "result", &result)?;
    // The columns of the peer's group-by: region (the rollup done for it),
    // sex, numerator and denominator.
    let column = |d: DimensionId| -> Vec<u16> {
        cube.key_column(d).map(<[u16]>::to_vec).unwrap_or_default()
    };
    let region: Vec<u16> = column(DimensionId::Municipality)
        .into_iter()
        .map(|m| geography::region_of(m).unwrap_or(0))
        .collect();
    set(&out, "region", &Uint16Array::from(region.as_slice()))?;
    set(
        &out,
        "sex",
        &Uint16Array::from(column(DimensionId::Sex).as_slice()),
    )?;
    let def = MEASURE.def();
    let quantity = |q| -> Result<Vec<f64>, String> {
        let column = cube.quantity_column(q).map_err(|e| e.to_string())?;
        Ok(column.iter().map(|v| *v as f64).collect())
    };
    let numerator = quantity(def.numerator)?;
    set(&out, "numerator", &Float64Array::from(numerator.as_slice()))?;
    let denominator = quantity(def.denominator.ok_or("a ratio")?)?;
    set(
        &out,
        "denominator",
        &Float64Array::from(denominator.as_slice()),
    )?;
    Ok(out)
}
