//! Reading a register extract — CSV with a header row, or an Arrow IPC
//! stream with the same column names — with row-level error reporting:
//! every bad value is reported with file, line (row) and field. Both forms
//! become the same text records and pass through the same validation.

use arrow_ipc::reader::StreamReader;
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

/// Collects row errors (up to [`MAX_REPORTED_ERRORS`]) and counts bad rows.
struct Collector<'f> {
    file: &'f str,
    rejected: Rejected,
}

impl Collector<'_> {
    fn report(&mut self, line: u64, field: &str, reason: String) {
        if self.rejected.errors.len() < MAX_REPORTED_ERRORS {
            self.rejected.errors.push(RowError {
                file: self.file.to_string(),
                line,
                field: field.to_string(),
                reason,
            });
        }
    }

    /// A rejection of the whole file for one reason (header, format).
    fn reject_file(mut self, field: &str, reason: String) -> Rejected {
        self.report(1, field, reason);
        self.rejected.bad_rows = 1;
        self.rejected
    }

    /// Where each register column is in `header`, or the rejection naming
    /// every missing column.
    fn positions(
        mut self,
        header: &[&str],
        columns: &[ExtractColumn],
    ) -> Result<(Self, Vec<usize>), Rejected> {
        let mut positions = Vec::with_capacity(columns.len());
        for column in columns {
            match header.iter().position(|h| *h == column.name) {
                Some(p) => positions.push(p),
                None => self.report(
                    1,
                    column.name,
                    format!("missing column `{}` ({})", column.name, column.format),
                ),
            }
        }
        if positions.len() < columns.len() {
            self.rejected.bad_rows = 1;
            return Err(self.rejected);
        }
        Ok((self, positions))
    }

    /// Validates one row with `parse_row`; returns its value if it is good.
    fn row<T>(
        &mut self,
        mut row: Row<'_>,
        parse_row: &mut impl FnMut(&mut Row<'_>) -> Option<T>,
    ) -> Option<T> {
        let value = if row.errors.is_empty() {
            parse_row(&mut row)
        } else {
            None
        };
        if row.errors.is_empty() {
            return value;
        }
        self.rejected.bad_rows += 1;
        for (field, reason) in std::mem::take(&mut row.errors) {
            self.report(row.line, field, reason);
        }
        None
    }

    fn finish<T>(self, values: Vec<T>, rows_read: u64) -> Result<(Vec<T>, u64), Rejected> {
        if self.rejected.bad_rows > 0 {
            return Err(self.rejected);
        }
        Ok((values, rows_read))
    }
}

/// Reads an extract in `format`; see [`read_csv`] and [`read_arrow`].
pub fn read<T>(
    format: super::ExtractFormat,
    file: &str,
    bytes: &[u8],
    columns: &[ExtractColumn],
    parse_row: impl FnMut(&mut Row<'_>) -> Option<T>,
) -> Result<(Vec<T>, u64), Rejected> {
    match format {
        super::ExtractFormat::Csv => read_csv(file, bytes, columns, parse_row),
        super::ExtractFormat::ArrowIpc => read_arrow(file, bytes, columns, parse_row),
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
    let collector = Collector {
        file,
        rejected: Rejected {
            errors: Vec::new(),
            bad_rows: 0,
        },
    };
    let header = match reader.headers() {
        Ok(h) if !h.iter().all(str::is_empty) => h.clone(),
        Ok(_) => {
            let expected = columns.iter().map(|c| c.name).collect::<Vec<_>>().join(",");
            return Err(collector.reject_file(
                "(header)",
                format!("empty file: expected a header row `{expected}`"),
            ));
        }
        Err(e) => return Err(collector.reject_file("(header)", csv_reason(&e))),
    };
    let (mut collector, positions) =
        collector.positions(&header.iter().collect::<Vec<_>>(), columns)?;

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
                collector.rejected.bad_rows += 1;
                let line = e.position().map_or(line, |p| p.line());
                collector.report(line, "(row)", csv_reason(&e));
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
        if let Some(value) = collector.row(row, &mut parse_row) {
            values.push(value);
        }
    }
    collector.finish(values, rows_read)
}

/// Reads every row of an Arrow IPC stream extract: the same columns as the
/// CSV form, by name, as text, dates or integers (extra columns are
/// ignored). Errors report the 1-based row number as `line`.
pub fn read_arrow<T>(
    file: &str,
    bytes: &[u8],
    columns: &[ExtractColumn],
    mut parse_row: impl FnMut(&mut Row<'_>) -> Option<T>,
) -> Result<(Vec<T>, u64), Rejected> {
    let collector = Collector {
        file,
        rejected: Rejected {
            errors: Vec::new(),
            bad_rows: 0,
        },
    };
    let reader = match StreamReader::try_new(std::io::Cursor::new(bytes), None) {
        Ok(r) => r,
        Err(e) => {
            return Err(collector.reject_file("(stream)", format!("not an Arrow IPC stream: {e}")))
        }
    };
    let schema = reader.schema();
    let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
    let (mut collector, positions) = collector.positions(&names, columns)?;
    for (column, p) in columns.iter().zip(&positions) {
        let data_type = schema.field(*p).data_type();
        if !arrow_text::supported(data_type) {
            return Err(collector.reject_file(
                column.name,
                format!(
                    "column `{}` has Arrow type {data_type}: expected text, a date or an integer",
                    column.name
                ),
            ));
        }
    }
    // Rows are re-assembled as text records of the register's columns, in
    // order, so that validation is the very same as for CSV.
    let in_order: Vec<usize> = (0..columns.len()).collect();
    let mut values = Vec::new();
    let mut rows_read = 0u64;
    for batch in reader {
        let batch = match batch {
            Ok(b) => b,
            Err(e) => {
                collector.rejected.bad_rows += 1;
                collector.report(
                    rows_read + 1,
                    "(stream)",
                    format!("unreadable record batch: {e}"),
                );
                break;
            }
        };
        let texts: Vec<Vec<String>> = positions
            .iter()
            .map(|p| arrow_text::column(batch.column(*p)))
            .collect();
        for i in 0..batch.num_rows() {
            rows_read += 1;
            let record: StringRecord = texts.iter().map(|c| c[i].as_str()).collect();
            let row = Row {
                record: &record,
                positions: &in_order,
                columns,
                line: rows_read,
                errors: Vec::new(),
            };
            if let Some(value) = collector.row(row, &mut parse_row) {
                values.push(value);
            }
        }
    }
    collector.finish(values, rows_read)
}

/// Arrow values as the text a CSV extract would hold.
mod arrow_text {
    use arrow_array::cast::AsArray;
    use arrow_array::types::{
        Date32Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type, UInt64Type,
        UInt8Type,
    };
    use arrow_array::{Array, ArrayRef, ArrowPrimitiveType, PrimitiveArray};
    use arrow_schema::DataType;

    pub fn supported(data_type: &DataType) -> bool {
        matches!(
            data_type,
            DataType::Utf8
                | DataType::LargeUtf8
                | DataType::Date32
                | DataType::Int8
                | DataType::Int16
                | DataType::Int32
                | DataType::Int64
                | DataType::UInt8
                | DataType::UInt16
                | DataType::UInt32
                | DataType::UInt64
        )
    }

    fn numbers<T: ArrowPrimitiveType>(array: &PrimitiveArray<T>) -> Vec<String>
    where
        T::Native: ToString,
    {
        array
            .iter()
            .map(|v| v.map(|v| v.to_string()).unwrap_or_default())
            .collect()
    }

    /// Every value of `array` as text; nulls become empty text (which
    /// validation then reports as a missing value).
    pub fn column(array: &ArrayRef) -> Vec<String> {
        match array.data_type() {
            DataType::Utf8 => array
                .as_string::<i32>()
                .iter()
                .map(|v| v.unwrap_or("").to_string())
                .collect(),
            DataType::LargeUtf8 => array
                .as_string::<i64>()
                .iter()
                .map(|v| v.unwrap_or("").to_string())
                .collect(),
            DataType::Date32 => array
                .as_primitive::<Date32Type>()
                .iter()
                .map(|v| {
                    v.and_then(|days| chrono::NaiveDate::from_num_days_from_ce_opt(days + 719_163))
                        .map(|d| d.format("%Y-%m-%d").to_string())
                        .unwrap_or_default()
                })
                .collect(),
            DataType::Int8 => numbers(array.as_primitive::<Int8Type>()),
            DataType::Int16 => numbers(array.as_primitive::<Int16Type>()),
            DataType::Int32 => numbers(array.as_primitive::<Int32Type>()),
            DataType::Int64 => numbers(array.as_primitive::<Int64Type>()),
            DataType::UInt8 => numbers(array.as_primitive::<UInt8Type>()),
            DataType::UInt16 => numbers(array.as_primitive::<UInt16Type>()),
            DataType::UInt32 => numbers(array.as_primitive::<UInt32Type>()),
            DataType::UInt64 => numbers(array.as_primitive::<UInt64Type>()),
            _ => vec![String::new(); array.len()],
        }
    }
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

    fn arrow(columns: Vec<(&str, arrow_array::ArrayRef)>) -> Vec<u8> {
        let batch = arrow_array::RecordBatch::try_from_iter(columns).expect("batch");
        let mut writer =
            arrow_ipc::writer::StreamWriter::try_new(Vec::new(), &batch.schema()).expect("writer");
        writer.write(&batch).expect("write");
        writer.finish().expect("finish");
        writer.into_inner().expect("bytes")
    }

    fn read_ipc(bytes: &[u8]) -> Result<(Vec<(u32, String)>, u64), Rejected> {
        read_arrow("t.arrows", bytes, COLUMNS, |row| {
            let a = row.parse(0, |s| {
                s.parse::<u32>().map_err(|_| format!("not a number: {s:?}"))
            });
            Some((a?, row.get(1).to_string()))
        })
    }

    #[test]
    fn reads_arrow_columns_by_name_as_text_or_numbers() {
        use std::sync::Arc;
        let bytes = arrow(vec![
            (
                "b",
                Arc::new(arrow_array::StringArray::from(vec!["hej", "hallo"])) as _,
            ),
            (
                "a",
                Arc::new(arrow_array::UInt16Array::from(vec![7, 8])) as _,
            ),
        ]);
        assert_eq!(
            read_ipc(&bytes).expect("valid"),
            (vec![(7, "hej".into()), (8, "hallo".into())], 2)
        );
    }

    #[test]
    fn reports_arrow_rows_types_and_streams() {
        use std::sync::Arc;
        let nulls = arrow(vec![
            (
                "a",
                Arc::new(arrow_array::StringArray::from(vec![
                    Some("1"),
                    None,
                    Some("x"),
                ])) as _,
            ),
            (
                "b",
                Arc::new(arrow_array::StringArray::from(vec!["p", "q", "r"])) as _,
            ),
        ]);
        let err = read_ipc(&nulls).expect_err("bad rows");
        let got: Vec<(u64, &str)> = err
            .errors
            .iter()
            .map(|e| (e.line, e.field.as_str()))
            .collect();
        assert_eq!(got, vec![(2, "a"), (3, "a")]);

        let floats = arrow(vec![
            (
                "a",
                Arc::new(arrow_array::Float64Array::from(vec![1.0])) as _,
            ),
            (
                "b",
                Arc::new(arrow_array::StringArray::from(vec!["p"])) as _,
            ),
        ]);
        let err = read_ipc(&floats).expect_err("unsupported type");
        assert_eq!(err.errors[0].field, "a");
        assert!(
            err.errors[0].reason.contains("Float64"),
            "{}",
            err.errors[0].reason
        );

        let err = read_ipc(b"a,b\n1,2\n").expect_err("CSV is not Arrow");
        assert_eq!(err.errors[0].field, "(stream)");
    }

    #[test]
    fn skips_bom_and_blank_lines() {
        let (rows, n) = read("\u{feff}a,b\n1,x\n\n2,y\n").expect("valid");
        assert_eq!(rows.len(), 2);
        assert_eq!(n, 2);
    }
}
