//! Reading a register extract (CSV with a header row) with row-level error
//! reporting: every bad value is reported with file, line and field.

use csv::{ReaderBuilder, StringRecord, Trim};
use shared::api::RowError;
use shared::register::ExtractColumn;

/// How many row errors a rejection lists; the count covers all of them.
pub const MAX_REPORTED_ERRORS: usize = 1000;

/// A batch rejected at the door.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// Row errors, at most [`MAX_REPORTED_ERRORS`].
    pub errors: Vec<RowError>,
    /// Rows with at least one error (all of them, not only those listed).
    pub bad_rows: u64,
}

/// The fields of one data row, addressed by the register's column order.
pub struct Row<'r> {
    record: &'r StringRecord,
    positions: &'r [usize],
    columns: &'r [ExtractColumn],
    /// 1-based line number of the row in the file.
    pub line: u64,
    errors: Vec<(&'static str, String)>,
}

impl Row<'_> {
    /// The value of the register's `i`-th column (empty when missing).
    pub fn get(&self, i: usize) -> &str {
        self.record.get(self.positions[i]).unwrap_or("")
    }

    /// Records an error for the `i`-th column.
    pub fn error(&mut self, i: usize, reason: impl Into<String>) {
        self.errors.push((self.columns[i].name, reason.into()));
    }

    /// Parses the `i`-th column with `parse`, recording its error.
    pub fn parse<T>(
        &mut self,
        i: usize,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        match parse(self.get(i)) {
            Ok(v) => Some(v),
            Err(reason) => {
                self.error(i, reason);
                None
            }
        }
    }
}

/// Reads every row of a CSV extract with the register's `columns` (in any
/// order; extra columns are ignored). `parse_row` turns a row into a value
/// or records errors on it. Returns the values and the number of data rows,
/// or the rejection when any row or the header is bad.
pub fn read_csv<T>(
    file: &str,
    bytes: &[u8],
    columns: &[ExtractColumn],
    mut parse_row: impl FnMut(&mut Row<'_>) -> Option<T>,
) -> Result<(Vec<T>, u64), Rejected> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(Trim::All)
        .from_reader(bytes);
    let mut rejected = Rejected {
        errors: Vec::new(),
        bad_rows: 0,
    };
    let report = |rejected: &mut Rejected, line: u64, field: &str, reason: String| {
        if rejected.errors.len() < MAX_REPORTED_ERRORS {
            rejected.errors.push(RowError {
                file: file.to_string(),
                line,
                field: field.to_string(),
                reason,
            });
        }
    };

    let header = match reader.headers() {
        Ok(h) if !h.iter().all(str::is_empty) => h.clone(),
        Ok(_) => {
            let expected = columns.iter().map(|c| c.name).collect::<Vec<_>>().join(",");
            report(
                &mut rejected,
                1,
                "(header)",
                format!("empty file: expected a header row `{expected}`"),
            );
            rejected.bad_rows = 1;
            return Err(rejected);
        }
        Err(e) => {
            report(&mut rejected, 1, "(header)", csv_reason(&e));
            rejected.bad_rows = 1;
            return Err(rejected);
        }
    };
    let mut positions = Vec::with_capacity(columns.len());
    for column in columns {
        match header.iter().position(|h| h == column.name) {
            Some(p) => positions.push(p),
            None => report(
                &mut rejected,
                1,
                column.name,
                format!("missing column `{}` ({})", column.name, column.format),
            ),
        }
    }
    if positions.len() < columns.len() {
        rejected.bad_rows = 1;
        return Err(rejected);
    }

    let mut values = Vec::new();
    let mut rows_read = 0u64;
    let mut record = StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                rows_read += 1;
                rejected.bad_rows += 1;
                let line = e.position().map_or(line, |p| p.line());
                report(&mut rejected, line, "(row)", csv_reason(&e));
                continue;
            }
        }
        if record.iter().all(str::is_empty) {
            continue;
        }
        rows_read += 1;
        let line = record.position().map_or(line, |p| p.line());
        let mut row = Row {
            record: &record,
            positions: &positions,
            columns,
            line,
            errors: Vec::new(),
        };
        if record.len() != header.len() {
            let reason = format!(
                "the row has {} fields, the header {}",
                record.len(),
                header.len()
            );
            let field = columns
                .iter()
                .zip(&positions)
                .find(|(_, p)| **p >= record.len())
                .map_or("(row)", |(c, _)| c.name);
            row.errors.push((field, reason));
        }
        let value = if row.errors.is_empty() {
            parse_row(&mut row)
        } else {
            None
        };
        if row.errors.is_empty() {
            if let Some(value) = value {
                values.push(value);
            }
        } else {
            rejected.bad_rows += 1;
            for (field, reason) in std::mem::take(&mut row.errors) {
                report(&mut rejected, line, field, reason);
            }
        }
    }
    if rejected.bad_rows > 0 {
        return Err(rejected);
    }
    Ok((values, rows_read))
}

fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8 text".to_string(),
        _ => format!("unreadable CSV: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: &[ExtractColumn] = &[
        ExtractColumn {
            name: "a",
            format: "a number",
        },
        ExtractColumn {
            name: "b",
            format: "text",
        },
    ];

    fn read(text: &str) -> Result<(Vec<(u32, String)>, u64), Rejected> {
        read_csv("t.csv", text.as_bytes(), COLUMNS, |row| {
            let a = row.parse(0, |s| {
                s.parse::<u32>().map_err(|_| format!("not a number: {s:?}"))
            });
            Some((a?, row.get(1).to_string()))
        })
    }

    #[test]
    fn reads_columns_in_any_order_and_ignores_extras() {
        let (rows, n) = read("b,x,a\nhej,1,7\nhallo,2,8\n").expect("valid");
        assert_eq!(rows, vec![(7, "hej".into()), (8, "hallo".into())]);
        assert_eq!(n, 2);
    }

    #[test]
    fn reports_line_and_field_of_each_bad_value() {
        let err = read("a,b\n1,x\nzz,y\n3,z\nq,w\n").expect_err("bad rows");
        assert_eq!(err.bad_rows, 2);
        let got: Vec<(u64, &str)> = err
            .errors
            .iter()
            .map(|e| (e.line, e.field.as_str()))
            .collect();
        assert_eq!(got, vec![(3, "a"), (5, "a")]);
        assert!(err.errors[0].reason.contains("zz"));
        assert_eq!(err.errors[0].file, "t.csv");
    }

    #[test]
    fn reports_a_missing_column() {
        let err = read("a,c\n1,2\n").expect_err("missing b");
        assert_eq!(err.errors.len(), 1);
        assert_eq!((err.errors[0].line, err.errors[0].field.as_str()), (1, "b"));
        assert!(err.errors[0].reason.contains("missing column"));
    }

    #[test]
    fn reports_short_rows_and_empty_files() {
        let err = read("a,b\n1\n").expect_err("short row");
        assert_eq!((err.errors[0].line, err.errors[0].field.as_str()), (2, "b"));
        let err = read("").expect_err("empty");
        assert_eq!(err.errors[0].field, "(header)");
    }

    #[test]
    fn skips_bom_and_blank_lines() {
        let (rows, n) = read("\u{feff}a,b\n1,x\n\n2,y\n").expect("valid");
        assert_eq!(rows.len(), 2);
        assert_eq!(n, 2);
    }
}
