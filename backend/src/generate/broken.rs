//! Deliberately broken extracts for ingestion tests: one file per kind of
//! error, made from the first good rows of the generated extracts with one
//! value (or the header, or the bytes) spoiled, and `broken.json` listing
//! each file's expected errors as (line, field, a substring of the reason).
//!
//! Lines are 1-based. In CSV the header is line 1 and the first data row
//! line 2; in an Arrow stream (no header line) a row's line is its 1-based
//! row number, and file-level errors (a missing column) are on line 1.
//!
//! The references (`unknown_provider`, `unknown_sor_unit`) are only broken
//! once the good SOR and YDR extracts of the same seed and size have been
//! ingested: every other row of those files refers to them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::{
    ArrayRef, Date32Array, Float64Array, Int16Array, Int64Array, Int8Array, RecordBatch,
    StringArray, TimestampSecondArray,
};
use arrow_ipc::writer::StreamWriter;
use arrow_schema::DataType;
use serde_json::json;
use shared::register::{Register, RegisterId};

use super::day;
use super::table::{self, Format, Written};
use super::world::World;

/// One broken file.
struct Case {
    register: RegisterId,
    file: String,
    format: Format,
    errors: Vec<(u64, &'static str, &'static str)>,
}

/// The sample rows of `id` (CSV fields).
fn samples(written: &[Written], id: RegisterId, n: usize) -> Vec<Vec<String>> {
    let rows = &written
        .iter()
        .find(|w| w.register.id == id)
        .expect("every register is written")
        .samples;
    rows.iter().take(n).cloned().collect()
}

fn position(id: RegisterId, column: &str) -> usize {
    id.def().position(column).expect("catalogue column")
}

fn set(rows: &mut [Vec<String>], row: usize, id: RegisterId, column: &str, value: &str) {
    let p = position(id, column);
    if let Some(r) = rows.get_mut(row) {
        r[p] = value.to_string();
    }
}

fn csv(register: &Register, rows: &[Vec<String>]) -> Vec<u8> {
    let header: Vec<&str> = register.columns.iter().map(|c| c.name).collect();
    let mut out = header.join(",").into_bytes();
    out.push(b'\n');
    for r in rows {
        out.extend_from_slice(r.join(",").as_bytes());
        out.push(b'\n');
    }
    out
}

fn unquote(field: &str) -> String {
    match field.strip_prefix('"').and_then(|f| f.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => field.to_string(),
    }
}

/// An Arrow stream of `rows` (CSV fields) with the catalogue's types,
/// leaving out the columns `keep` refuses.
fn arrow(
    register: &'static Register,
    rows: &[Vec<String>],
    keep: impl Fn(&str) -> bool,
) -> std::io::Result<Vec<u8>> {
    let schema = table::schema(register, &keep);
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for (i, c) in register
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| keep(c.name))
    {
        let texts: Vec<String> = rows.iter().map(|r| unquote(&r[i])).collect();
        let array: ArrayRef = match table::arrow_type(c.kind) {
            DataType::Date32 => Arc::new(Date32Array::from(
                texts.iter().map(|s| day::parse_date(s)).collect::<Vec<_>>(),
            )),
            DataType::Timestamp(..) => Arc::new(TimestampSecondArray::from(
                texts
                    .iter()
                    .map(|s| day::parse_timestamp(s))
                    .collect::<Vec<_>>(),
            )),
            DataType::Int64 => Arc::new(Int64Array::from(
                texts.iter().map(|s| s.parse().ok()).collect::<Vec<_>>(),
            )),
            DataType::Float64 => Arc::new(Float64Array::from(
                texts.iter().map(|s| s.parse().ok()).collect::<Vec<_>>(),
            )),
            DataType::Int8 => Arc::new(Int8Array::from(
                texts.iter().map(|s| s.parse().ok()).collect::<Vec<_>>(),
            )),
            DataType::Int16 => Arc::new(Int16Array::from(
                texts.iter().map(|s| s.parse().ok()).collect::<Vec<_>>(),
            )),
            _ => Arc::new(StringArray::from(
                texts
                    .iter()
                    .map(|s| (!s.is_empty()).then_some(s.as_str()))
                    .collect::<Vec<_>>(),
            )),
        };
        arrays.push(array);
    }
    let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(std::io::Error::other)?;
    let mut writer = StreamWriter::try_new(Vec::new(), &schema).map_err(std::io::Error::other)?;
    writer.write(&batch).map_err(std::io::Error::other)?;
    writer.finish().map_err(std::io::Error::other)?;
    writer.into_inner().map_err(std::io::Error::other)
}

/// Writes the broken files and `broken.json` into `dir`; returns their
/// paths (`broken.json` last). `format` is the good files' format; most
/// broken files are CSV (some errors exist only in text), a few are
/// Arrow streams.
pub fn write(
    dir: &Path,
    written: &[Written],
    world: &World,
    format: Format,
) -> std::io::Result<Vec<PathBuf>> {
    let _ = format;
    let mut cases: Vec<Case> = Vec::new();
    let mut paths = Vec::new();
    let mut put = |case: Case, bytes: Vec<u8>, cases: &mut Vec<Case>| -> std::io::Result<()> {
        let path = dir.join(&case.file);
        std::fs::write(&path, bytes)?;
        paths.push(path);
        cases.push(case);
        Ok(())
    };
    let csv_case =
        |register: RegisterId, kind: &str, errors: Vec<(u64, &'static str, &'static str)>| Case {
            register,
            file: format!("broken_{kind}.csv"),
            format: Format::Csv,
            errors,
        };
    use RegisterId::{Aim, Cpr, Eoj, Lpr, Lsr, PatientList, Ssr};

    // Dates.
    let mut rows = samples(written, Cpr, 3);
    set(&mut rows, 1, Cpr, "birth_date", "1985-13-45");
    put(
        csv_case(Cpr, "malformed_date", vec![(3, "birth_date", "date")]),
        csv(Cpr.def(), &rows),
        &mut cases,
    )?;
    let mut rows = samples(written, Cpr, 3);
    set(&mut rows, 0, Cpr, "birth_date", "1700-01-01");
    put(
        csv_case(
            Cpr,
            "birth_date_out_of_range",
            vec![(2, "birth_date", "date")],
        ),
        csv(Cpr.def(), &rows),
        &mut cases,
    )?;
    let mut rows = samples(written, Ssr, 4);
    set(&mut rows, 1, Ssr, "contact_date", "1700-01-01");
    set(&mut rows, 3, Ssr, "contact_date", "2999-12-31");
    put(
        csv_case(
            Ssr,
            "date_out_of_range",
            vec![(3, "contact_date", "date"), (5, "contact_date", "date")],
        ),
        csv(Ssr.def(), &rows),
        &mut cases,
    )?;

    // Codes and municipalities.
    let mut rows = samples(written, Cpr, 4);
    set(&mut rows, 0, Cpr, "sex", "X");
    set(&mut rows, 1, Cpr, "civil_status", "Q");
    set(&mut rows, 2, Cpr, "status", "99");
    put(
        csv_case(
            Cpr,
            "unknown_code_cpr",
            vec![
                (2, "sex", "unknown"),
                (3, "civil_status", "unknown"),
                (4, "status", "unknown"),
            ],
        ),
        csv(Cpr.def(), &rows),
        &mut cases,
    )?;
    let mut rows = samples(written, Ssr, 3);
    set(&mut rows, 1, Ssr, "contact_type", "fax");
    put(
        csv_case(
            Ssr,
            "unknown_code_ssr",
            vec![(3, "contact_type", "unknown")],
        ),
        csv(Ssr.def(), &rows),
        &mut cases,
    )?;
    let bytes = arrow(Ssr.def(), &rows, |_| true)?;
    put(
        Case {
            register: Ssr,
            file: "broken_unknown_code_ssr.arrows".into(),
            format: Format::Arrow,
            errors: vec![(2, "contact_type", "unknown")],
        },
        bytes,
        &mut cases,
    )?;
    let mut rows = samples(written, Cpr, 3);
    set(&mut rows, 0, Cpr, "municipality", "999");
    put(
        csv_case(
            Cpr,
            "unknown_municipality",
            vec![(2, "municipality", "unknown")],
        ),
        csv(Cpr.def(), &rows),
        &mut cases,
    )?;

    // Shapes and numbers.
    let mut rows = samples(written, Ssr, 3);
    set(&mut rows, 0, Ssr, "cpr", "12345");
    put(
        csv_case(Ssr, "malformed_cpr", vec![(2, "cpr", "CPR")]),
        csv(Ssr.def(), &rows),
        &mut cases,
    )?;
    let mut rows = samples(written, Lsr, 3);
    set(&mut rows, 0, Lsr, "atc", "N02A");
    put(
        csv_case(Lsr, "bad_atc", vec![(2, "atc", "ATC")]),
        csv(Lsr.def(), &rows),
        &mut cases,
    )?;
    let mut rows = samples(written, Lpr, 3);
    set(&mut rows, 0, Lpr, "action_diagnosis", "J189");
    put(
        csv_case(Lpr, "bad_sks", vec![(2, "action_diagnosis", "SKS")]),
        csv(Lpr.def(), &rows),
        &mut cases,
    )?;
    let mut rows = samples(written, Lsr, 3);
    set(&mut rows, 1, Lsr, "package_size", "0");
    put(
        csv_case(
            Lsr,
            "integer_out_of_range",
            vec![(3, "package_size", "range")],
        ),
        csv(Lsr.def(), &rows),
        &mut cases,
    )?;
    let mut rows = samples(written, Eoj, 1);
    set(&mut rows, 0, Eoj, "service", "sel83_practical");
    set(&mut rows, 0, Eoj, "hours", "\"1,5\"");
    put(
        csv_case(Eoj, "bad_decimal_eoj", vec![(2, "hours", "decimal")]),
        csv(Eoj.def(), &rows),
        &mut cases,
    )?;
    let mut rows = samples(written, Aim, 3);
    set(&mut rows, 1, Aim, "value", "abc");
    put(
        csv_case(Aim, "bad_decimal_aim", vec![(3, "value", "decimal")]),
        csv(Aim.def(), &rows),
        &mut cases,
    )?;

    // A CPR number where free text goes (a product name): refused, not
    // stored, and not shown in the reason.
    let mut rows = samples(written, Lsr, 3);
    set(&mut rows, 1, Lsr, "product", "Contalgin 010180-1234");
    put(
        csv_case(Lsr, "cpr_in_text", vec![(3, "product", "CPR number")]),
        csv(Lsr.def(), &rows),
        &mut cases,
    )?;

    // Structure.
    let rows = samples(written, Ssr, 3);
    let drop = position(Ssr, "contact_type");
    let mut text = Ssr
        .def()
        .columns
        .iter()
        .filter(|c| c.name != "contact_type")
        .map(|c| c.name)
        .collect::<Vec<_>>()
        .join(",");
    text.push('\n');
    for r in &rows {
        let kept: Vec<&str> = r
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != drop)
            .map(|(_, v)| v.as_str())
            .collect();
        text.push_str(&kept.join(","));
        text.push('\n');
    }
    put(
        csv_case(
            Ssr,
            "missing_column",
            vec![(1, "contact_type", "missing column")],
        ),
        text.into_bytes(),
        &mut cases,
    )?;
    let rows = samples(written, Cpr, 3);
    let bytes = arrow(Cpr.def(), &rows, |name| name != "sex")?;
    put(
        Case {
            register: Cpr,
            file: "broken_missing_column.arrows".into(),
            format: Format::Arrow,
            errors: vec![(1, "sex", "missing column")],
        },
        bytes,
        &mut cases,
    )?;
    let mut rows = samples(written, Ssr, 3);
    rows[1].truncate(2);
    put(
        csv_case(Ssr, "short_row", vec![(3, "provider_number", "fields")]),
        csv(Ssr.def(), &rows),
        &mut cases,
    )?;
    let mut rows = samples(written, Cpr, 3);
    rows.push(rows[0].clone());
    put(
        csv_case(Cpr, "duplicate_key", vec![(5, "cpr", "duplicate")]),
        csv(Cpr.def(), &rows),
        &mut cases,
    )?;

    // Row rules.
    let mut rows = samples(written, PatientList, 3);
    let from = day::parse_date(&rows[0][position(PatientList, "valid_from")]).unwrap_or(0);
    let mut before = Vec::new();
    day::push_date(&mut before, from - 1);
    set(
        &mut rows,
        0,
        PatientList,
        "valid_to",
        &String::from_utf8(before).unwrap_or_default(),
    );
    put(
        csv_case(
            PatientList,
            "valid_to_before_valid_from",
            vec![(2, "valid_to", "before")],
        ),
        csv(PatientList.def(), &rows),
        &mut cases,
    )?;
    let mut rows = samples(written, Cpr, 3);
    set(&mut rows, 0, Cpr, "status", "90");
    set(&mut rows, 0, Cpr, "status_date", "");
    put(
        csv_case(
            Cpr,
            "status_date_required",
            vec![(2, "status_date", "required")],
        ),
        csv(Cpr.def(), &rows),
        &mut cases,
    )?;

    // References (need the good YDR and SOR of the same seed ingested).
    let unused_provider = (100_000..=999_999u32)
        .rev()
        .find(|n| world.providers.iter().all(|p| p.number != *n))
        .unwrap_or(999_999);
    let mut rows = samples(written, Ssr, 3);
    set(
        &mut rows,
        0,
        Ssr,
        "provider_number",
        &format!("{unused_provider:06}"),
    );
    put(
        csv_case(
            Ssr,
            "unknown_provider",
            vec![(2, "provider_number", "unknown")],
        ),
        csv(Ssr.def(), &rows),
        &mut cases,
    )?;
    let unused_unit = (0..u64::MAX)
        .map(|k| 999_999_999_999_999 - k)
        .find(|id| {
            world
                .hospitals
                .iter()
                .all(|h| h.sor != *id && h.units.iter().all(|u| u.sor != *id))
        })
        .unwrap_or(999_999_999_999_999);
    let mut rows = samples(written, Lpr, 3);
    set(&mut rows, 0, Lpr, "sor_unit", &unused_unit.to_string());
    put(
        csv_case(Lpr, "unknown_sor_unit", vec![(2, "sor_unit", "unknown")]),
        csv(Lpr.def(), &rows),
        &mut cases,
    )?;

    // Bytes.
    let rows = samples(written, Cpr, 3);
    let mut bytes = csv(Cpr.def(), &rows[..1]);
    let address = position(Cpr, "address_id");
    let mut spoiled: Vec<u8> = Vec::new();
    for (i, v) in rows[1].iter().enumerate() {
        if i > 0 {
            spoiled.push(b',');
        }
        if i == address {
            spoiled.extend_from_slice(b"\xff\xfe-address");
        } else {
            spoiled.extend_from_slice(v.as_bytes());
        }
    }
    spoiled.push(b'\n');
    bytes.extend_from_slice(&spoiled);
    bytes.extend_from_slice(rows[2].join(",").as_bytes());
    bytes.push(b'\n');
    put(
        csv_case(Cpr, "non_utf8", vec![(3, "(row)", "UTF-8")]),
        bytes,
        &mut cases,
    )?;
    put(
        csv_case(Ssr, "empty_file", vec![(1, "(header)", "empty")]),
        Vec::new(),
        &mut cases,
    )?;
    // A stray quote opening the third row's first field: never closed, it
    // would make the rest of the file one value.
    let mut rows = samples(written, Ssr, 5);
    rows[2][0].insert(0, '"');
    put(
        csv_case(Ssr, "unclosed_quote", vec![(4, "(file)", "never closed")]),
        csv(Ssr.def(), &rows),
        &mut cases,
    )?;

    let files: Vec<serde_json::Value> = cases
        .iter()
        .map(|c| {
            json!({
                "register": c.register.key(),
                "file": c.file,
                "format": c.format.name(),
                "errors": c.errors.iter().map(|(line, field, reason)| json!({
                    "line": line,
                    "field": field,
                    "reason_contains": reason,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let doc = json!({
        "about": "Deliberately broken extracts, one per kind of error. Lines are 1-based: in CSV the header is line 1; in an Arrow stream a row's line is its 1-based row number and file-level errors are on line 1. unknown_provider and unknown_sor_unit assume the good ydr and sor extracts of the same seed and size were ingested first.",
        "files": files,
    });
    let path = dir.join("broken.json");
    std::fs::write(
        &path,
        serde_json::to_vec_pretty(&doc).map_err(std::io::Error::other)?,
    )?;
    paths.push(path);
    Ok(paths)
}
