//! Reading a register extract — CSV with a header row, or an Arrow IPC
//! stream with the same column names — with row-level error reporting:
//! every bad value is reported with file, line (row) and field. Both forms
//! become the same text records and pass through the same validation.
//!
//! Extracts are streamed: rows are read one at a time from any reader and
//! handed on as soon as they are valid, so memory does not grow with the
//! file (an Arrow stream is held one record batch at a time).

use std::io::Read;
use std::ops::Range;

use arrow_ipc::reader::StreamReader;
use shared::api::RowError;
use shared::register::{Column, ColumnType, RegisterId};

use super::records::{Records, UnclosedQuote};

/// How many row errors a rejection lists; the count covers all of them.
pub const MAX_REPORTED_ERRORS: usize = 1000;

/// The bytes an extract is read in at a time (by the CSV reader, the
/// Arrow reader and the content hash).
pub(super) const READ_BLOCK: usize = 1 << 20;

/// Row errors found in an extract.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rejected {
    /// Row errors, at most [`MAX_REPORTED_ERRORS`].
    pub errors: Vec<RowError>,
    /// Rows with at least one error (all of them, not only those listed).
    pub bad_rows: u64,
    /// Why the file is unusable as a whole (its header, its format, or a
    /// point it cannot be read on from), whatever the threshold; `None`
    /// when only rows are bad.
    pub whole_file: Option<String>,
}

impl Rejected {
    /// The rejection of a file whose required `column` refers to `to`,
    /// which has no rows yet: every row would fail on it.
    pub fn referenced_empty(file: &str, column: &str, to: RegisterId) -> Rejected {
        let reason = format!(
            "the column `{column}` refers to the {}, which has no rows yet: ingest it first",
            to.def().label.en
        );
        Collector {
            file,
            rejected: Rejected::default(),
        }
        .reject_file(column, reason)
    }
}

/// What reading a whole extract found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Data rows read.
    pub rows_read: u64,
    /// The bad rows and their errors.
    pub rejected: Rejected,
    /// Whether the consumer stopped the reading early.
    pub stopped: bool,
}

/// The fields of one data row, addressed by the register's column order.
pub struct Row<'r> {
    /// The row's text and where each of its fields is in it.
    text: &'r str,
    fields: &'r [Range<u32>],
    positions: &'r [usize],
    columns: &'r [Column],
    /// 1-based line number of the row in the file.
    pub line: u64,
    errors: Vec<(&'static str, String)>,
}

impl<'r> Row<'r> {
    /// The value of the register's `i`-th column, without surrounding
    /// spaces (empty when missing).
    pub fn get(&self, i: usize) -> &'r str {
        self.fields
            .get(self.positions[i])
            .map_or("", |f| field(self.text, f).trim_ascii())
    }

    /// Whether an error was recorded on the row.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Records an error for the `i`-th column.
    pub fn error(&mut self, i: usize, reason: impl Into<String>) {
        self.errors.push((self.columns[i].name, reason.into()));
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
        self.rejected.whole_file = Some(reason.clone());
        self.report(1, field, reason);
        self.rejected.bad_rows = 1;
        self.rejected
    }

    /// A rejection of the whole file because it cannot be read on from
    /// `line`: the reason is listed even when the list is full.
    fn reject_rest(mut self, line: u64, field: &str, reason: String) -> Rejected {
        self.rejected.whole_file = Some(reason.clone());
        self.rejected.errors.push(RowError {
            file: self.file.to_string(),
            line,
            field: field.to_string(),
            reason,
        });
        self.rejected.bad_rows += 1;
        self.rejected
    }

    /// Where each register column is in `header`, or the rejection naming
    /// every missing column.
    fn positions(
        mut self,
        header: &[&str],
        columns: &[Column],
    ) -> Result<(Self, Vec<usize>), Rejected> {
        let mut positions = Vec::with_capacity(columns.len());
        let mut missing = Vec::new();
        // A header of one field with semicolons is another separator.
        let semicolons = header.len() == 1 && header[0].contains(';');
        let mut other_case = false;
        for column in columns {
            match header.iter().position(|h| *h == column.name) {
                Some(p) if header[p + 1..].contains(&column.name) => {
                    let reason = format!("the column `{}` is in the header twice", column.name);
                    return Err(self.reject_file(column.name, reason));
                }
                Some(p) => positions.push(p),
                None => {
                    missing.push(format!("`{}`", column.name));
                    let hint = if semicolons {
                        " — the header is separated by semicolons; extracts are separated by commas"
                            .to_string()
                    } else {
                        match header.iter().find(|h| h.eq_ignore_ascii_case(column.name)) {
                            Some(h) => {
                                other_case = true;
                                format!(" — found `{h}`: column names are lower case")
                            }
                            None => String::new(),
                        }
                    };
                    self.report(
                        1,
                        column.name,
                        format!("missing column `{}` ({}){hint}", column.name, column.doc.en),
                    )
                }
            }
        }
        if !missing.is_empty() {
            let s = if missing.len() == 1 { "" } else { "s" };
            let hint = if semicolons {
                " (it is separated by semicolons; extracts are separated by commas)"
            } else if other_case {
                " (column names are lower case)"
            } else {
                ""
            };
            self.rejected.whole_file = Some(format!(
                "the header lacks the column{s} {}{hint}",
                missing.join(", ")
            ));
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

    fn finish(self, rows_read: u64, stopped: bool) -> Summary {
        Summary {
            rows_read,
            rejected: self.rejected,
            stopped,
        }
    }
}

/// Reads an extract in `format`; see [`read_csv`] and [`read_arrow`].
pub fn read<T>(
    format: super::ExtractFormat,
    file: &str,
    input: impl Read,
    columns: &[Column],
    parse_row: impl FnMut(&mut Row<'_>) -> Option<T>,
    emit: impl FnMut(T) -> bool,
) -> Result<Summary, Rejected> {
    match format {
        super::ExtractFormat::Csv => read_csv(file, input, columns, parse_row, emit),
        super::ExtractFormat::ArrowIpc => read_arrow(file, input, columns, parse_row, emit),
    }
}

/// Reads every row of a CSV extract with the register's `columns` (in any
/// order; extra columns are ignored). `parse_row` turns a row into a value
/// or records errors on it; `emit` receives each good value and returns
/// `false` to stop reading. Returns what was read and the row errors, or
/// the rejection of the whole file when its header is unusable.
pub fn read_csv<T>(
    file: &str,
    input: impl Read,
    columns: &[Column],
    mut parse_row: impl FnMut(&mut Row<'_>) -> Option<T>,
    mut emit: impl FnMut(T) -> bool,
) -> Result<Summary, Rejected> {
    let mut records = Records::new(SkipBom::new(input), READ_BLOCK);
    let collector = Collector {
        file,
        rejected: Rejected::default(),
    };
    let empty = |collector: Collector<'_>| {
        let expected = columns.iter().map(|c| c.name).collect::<Vec<_>>().join(",");
        Err(collector.reject_file(
            "(header)",
            format!("empty file: expected a header row `{expected}`"),
        ))
    };
    let header: Vec<String> = match records.next_record() {
        Ok(Some(record)) => match std::str::from_utf8(record.text) {
            Ok(text) => record
                .fields
                .iter()
                .map(|f| field(text, f).trim().to_string())
                .collect(),
            Err(_) => return Err(collector.reject_file("(header)", NOT_UTF8.to_string())),
        },
        Ok(None) => return empty(collector),
        Err(e) => return Err(collector.reject_file("(header)", unreadable(&e))),
    };
    if header.iter().all(String::is_empty) {
        return empty(collector);
    }
    let (mut collector, positions) = collector.positions(
        &header.iter().map(String::as_str).collect::<Vec<_>>(),
        columns,
    )?;

    let mut rows_read = 0u64;
    loop {
        let line = records.line();
        let record = match records.next_record() {
            Ok(Some(record)) => record,
            Ok(None) => break,
            Err(e) => {
                // The rest of the file is unknown: the whole batch is
                // rejected, whatever the threshold.
                return Err(match UnclosedQuote::of(&e) {
                    Some(unclosed) => {
                        collector.reject_rest(unclosed.line, "(file)", unclosed.to_string())
                    }
                    None => collector.reject_rest(line, "(file)", unreadable(&e)),
                });
            }
        };
        let Ok(text) = std::str::from_utf8(record.text) else {
            rows_read += 1;
            collector.rejected.bad_rows += 1;
            collector.report(record.line, "(row)", NOT_UTF8.to_string());
            continue;
        };
        // Only spaces and commas, and (for a record with quotes, whose
        // text holds no commas between fields) no field but spaces.
        if text.bytes().all(|b| b.is_ascii_whitespace() || b == b',')
            && record
                .fields
                .iter()
                .all(|f| field(text, f).trim_ascii().is_empty())
        {
            continue;
        }
        rows_read += 1;
        let mut row = Row {
            text,
            fields: record.fields,
            positions: &positions,
            columns,
            line: record.line,
            errors: Vec::new(),
        };
        if record.fields.len() != header.len() {
            let mut reason = format!(
                "the row has {} field{}, the header {}",
                record.fields.len(),
                if record.fields.len() == 1 { "" } else { "s" },
                header.len()
            );
            if record.last_line > record.line {
                // Most likely a stray quote, closed by one further on: each
                // line it took counts as a bad row, so that the threshold
                // sees what the uploader lost.
                reason.push_str(&format!(
                    "; it runs from line {} to line {} inside quotes: is a quote unmatched? \
                     Its {} lines count as bad rows",
                    record.line,
                    record.last_line,
                    record.last_line - record.line + 1
                ));
                let more = record.last_line - record.line;
                rows_read += more;
                collector.rejected.bad_rows += more;
            }
            let field = columns
                .iter()
                .zip(&positions)
                .find(|(_, p)| **p >= record.fields.len())
                .map_or("(row)", |(c, _)| c.name);
            row.errors.push((field, reason));
        }
        if let Some(value) = collector.row(row, &mut parse_row) {
            if !emit(value) {
                return Ok(collector.finish(rows_read, true));
            }
        }
    }
    Ok(collector.finish(rows_read, false))
}

/// A field of a record's text (empty if out of bounds).
fn field<'t>(text: &'t str, f: &Range<u32>) -> &'t str {
    text.get(f.start as usize..f.end as usize).unwrap_or("")
}

/// The reason for a row that is not UTF-8.
const NOT_UTF8: &str = "not valid UTF-8 text";

/// The reason for a file that cannot be read on.
fn unreadable(e: &std::io::Error) -> String {
    format!("unreadable CSV: {e}")
}

/// Reads every row of an Arrow IPC stream extract: the same columns as the
/// CSV form, by name, as text, dates, timestamps, numbers or booleans
/// (extra columns are ignored). Errors report the 1-based row number as
/// `line`.
pub fn read_arrow<T>(
    file: &str,
    input: impl Read,
    columns: &[Column],
    mut parse_row: impl FnMut(&mut Row<'_>) -> Option<T>,
    mut emit: impl FnMut(T) -> bool,
) -> Result<Summary, Rejected> {
    let collector = Collector {
        file,
        rejected: Rejected::default(),
    };
    let mut input = std::io::BufReader::with_capacity(READ_BLOCK, input);
    // An Arrow IPC *file* (Feather v2) starts with a magic number a stream
    // never does: worth its own answer.
    if std::io::BufRead::fill_buf(&mut input).is_ok_and(|head| head.starts_with(b"ARROW1")) {
        return Err(collector.reject_file(
            "(stream)",
            "an Arrow IPC file (it starts with `ARROW1`), not an Arrow IPC stream: \
             write the table with a stream writer (pyarrow: `pyarrow.ipc.new_stream`), \
             or send it as CSV"
                .to_string(),
        ));
    }
    let reader = match StreamReader::try_new(input, None) {
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
        if let Err(reason) = arrow_text::supported(data_type) {
            return Err(collector.reject_file(
                column.name,
                format!(
                    "column `{}` has Arrow type {data_type}: {reason}",
                    column.name
                ),
            ));
        }
    }
    // Rows are re-assembled as text records of the register's columns, in
    // order, so that validation is the very same as for CSV.
    let in_order: Vec<usize> = (0..columns.len()).collect();
    let mut rows_read = 0u64;
    let mut text = String::new();
    let mut fields = Vec::with_capacity(columns.len());
    for batch in reader {
        let batch = match batch {
            Ok(b) => b,
            Err(e) => {
                // The rest of the stream is unknown: the whole batch is
                // rejected, whatever the threshold.
                return Err(collector.reject_rest(
                    rows_read + 1,
                    "(stream)",
                    format!("unreadable record batch: {e}"),
                ));
            }
        };
        let texts: Vec<Vec<String>> = positions
            .iter()
            .zip(columns)
            .map(|(p, c)| arrow_text::column(batch.column(*p), c.kind == ColumnType::Date))
            .collect();
        for i in 0..batch.num_rows() {
            rows_read += 1;
            text.clear();
            fields.clear();
            for column in &texts {
                let start = text.len() as u32;
                text.push_str(&column[i]);
                fields.push(start..text.len() as u32);
            }
            let row = Row {
                text: &text,
                fields: &fields,
                positions: &in_order,
                columns,
                line: rows_read,
                errors: Vec::new(),
            };
            if let Some(value) = collector.row(row, &mut parse_row) {
                if !emit(value) {
                    return Ok(collector.finish(rows_read, true));
                }
            }
        }
    }
    Ok(collector.finish(rows_read, false))
}

/// A reader that drops a UTF-8 byte order mark at the start.
struct SkipBom<R> {
    inner: R,
    start: Option<([u8; 3], usize, usize)>,
}

impl<R: Read> SkipBom<R> {
    fn new(inner: R) -> Self {
        SkipBom { inner, start: None }
    }
}

impl<R: Read> Read for SkipBom<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.start.is_none() {
            // Read up to three bytes; keep them unless they are a BOM.
            let mut head = [0u8; 3];
            let mut n = 0;
            while n < 3 {
                match self.inner.read(&mut head[n..])? {
                    0 => break,
                    k => n += k,
                }
            }
            let skip = if n == 3 && head == *b"\xEF\xBB\xBF" {
                3
            } else {
                0
            };
            self.start = Some((head, skip, n));
        }
        if let Some((head, at, n)) = &mut self.start {
            if *at < *n {
                let k = (*n - *at).min(buf.len());
                buf[..k].copy_from_slice(&head[*at..*at + k]);
                *at += k;
                return Ok(k);
            }
        }
        self.inner.read(buf)
    }
}

/// Arrow values as the text a CSV extract would hold.
mod arrow_text {
    use arrow_array::cast::AsArray;
    use arrow_array::types::{
        Date32Type, Date64Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type,
        Int8Type, TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
        TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
    };
    use arrow_array::{Array, ArrayRef, ArrowPrimitiveType, PrimitiveArray};
    use arrow_schema::{DataType, TimeUnit};

    /// Whether values of `data_type` can be read as text, or why not.
    pub fn supported(data_type: &DataType) -> Result<(), &'static str> {
        match data_type {
            DataType::Utf8
            | DataType::LargeUtf8
            | DataType::Date32
            | DataType::Date64
            | DataType::Timestamp(_, None)
            | DataType::Float32
            | DataType::Float64
            | DataType::Boolean
            | DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32
            | DataType::UInt64 => Ok(()),
            DataType::Timestamp(_, Some(_)) => Err(
                "timestamps are read as the local time registered, without a time zone; \
                 send them without one",
            ),
            DataType::Dictionary(_, values) => supported(values),
            _ => Err("expected text, a date, a timestamp, a number or a boolean"),
        }
    }

    /// A date or time value beyond chrono's calendar, as text that
    /// validation reports as malformed (not as missing).
    fn beyond_the_calendar(raw: i64) -> String {
        format!("{raw} (beyond the calendar)")
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
    /// validation then reports as a missing value). A timestamp at
    /// midnight for a `date` column is its date.
    pub fn column(array: &ArrayRef, date: bool) -> Vec<String> {
        match array.data_type() {
            DataType::Dictionary(_, _) => {
                let dictionary = array.as_any_dictionary();
                let values = column(dictionary.values(), date);
                dictionary
                    .normalized_keys()
                    .into_iter()
                    .enumerate()
                    .map(|(i, key)| {
                        if dictionary.is_null(i) {
                            String::new()
                        } else {
                            values.get(key).cloned().unwrap_or_default()
                        }
                    })
                    .collect()
            }
            DataType::Date64 => array
                .as_primitive::<Date64Type>()
                .iter()
                .map(|v| {
                    v.map(|ms| {
                        chrono::DateTime::from_timestamp_millis(ms).map_or_else(
                            || beyond_the_calendar(ms),
                            |t| t.date_naive().format("%Y-%m-%d").to_string(),
                        )
                    })
                    .unwrap_or_default()
                })
                .collect(),
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
                    v.map(|days| {
                        days.checked_add(719_163)
                            .and_then(chrono::NaiveDate::from_num_days_from_ce_opt)
                            .map_or_else(
                                || beyond_the_calendar(days.into()),
                                |d| d.format("%Y-%m-%d").to_string(),
                            )
                    })
                    .unwrap_or_default()
                })
                .collect(),
            DataType::Timestamp(unit, None) => {
                let (values, per_second): (Vec<Option<i64>>, i64) = match unit {
                    TimeUnit::Second => (
                        array.as_primitive::<TimestampSecondType>().iter().collect(),
                        1,
                    ),
                    TimeUnit::Millisecond => (
                        array
                            .as_primitive::<TimestampMillisecondType>()
                            .iter()
                            .collect(),
                        1_000,
                    ),
                    TimeUnit::Microsecond => (
                        array
                            .as_primitive::<TimestampMicrosecondType>()
                            .iter()
                            .collect(),
                        1_000_000,
                    ),
                    TimeUnit::Nanosecond => (
                        array
                            .as_primitive::<TimestampNanosecondType>()
                            .iter()
                            .collect(),
                        1_000_000_000,
                    ),
                };
                values
                    .into_iter()
                    .map(|v| {
                        let Some(v) = v else {
                            return String::new();
                        };
                        chrono::DateTime::from_timestamp(
                            v.div_euclid(per_second),
                            (v.rem_euclid(per_second) * (1_000_000_000 / per_second)) as u32,
                        )
                        .map(|t| {
                            let t = t.naive_utc();
                            if date && t.time() == chrono::NaiveTime::MIN {
                                t.format("%Y-%m-%d").to_string()
                            } else {
                                t.format("%Y-%m-%dT%H:%M:%S").to_string()
                            }
                        })
                        .unwrap_or_else(|| beyond_the_calendar(v))
                    })
                    .collect()
            }
            DataType::Boolean => array
                .as_boolean()
                .iter()
                .map(|v| {
                    v.map(|b| if b { "1" } else { "0" })
                        .unwrap_or("")
                        .to_string()
                })
                .collect(),
            DataType::Float32 => numbers(array.as_primitive::<Float32Type>()),
            DataType::Float64 => numbers(array.as_primitive::<Float64Type>()),
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

#[cfg(test)]
mod tests {
    use super::*;

    use shared::register::ColumnType;

    const COLUMNS: &[Column] = &[
        Column {
            name: "a",
            kind: ColumnType::Integer { min: 0, max: 99 },
            required: true,
            references: None,
            doc: shared::Text {
                da: "a number",
                en: "a number",
            },
        },
        Column {
            name: "b",
            kind: ColumnType::Text { max_len: 9 },
            required: true,
            references: None,
            doc: shared::Text {
                da: "text",
                en: "text",
            },
        },
    ];

    type Outcome = Result<(Vec<(u32, String)>, u64), Rejected>;

    /// Reads with a parser of `a` as a number; row errors become a
    /// rejection, as a strict batch would.
    fn collect(read: impl FnOnce(&mut Vec<(u32, String)>) -> Result<Summary, Rejected>) -> Outcome {
        let mut rows = Vec::new();
        let summary = read(&mut rows)?;
        if summary.rejected.bad_rows > 0 {
            return Err(summary.rejected);
        }
        Ok((rows, summary.rows_read))
    }

    fn parse_row(row: &mut Row<'_>) -> Option<(u32, String)> {
        let text = row.get(0);
        let Ok(a) = text.parse::<u32>() else {
            row.error(0, format!("not a number: {text:?}"));
            return None;
        };
        Some((a, row.get(1).to_string()))
    }

    fn read(text: &str) -> Outcome {
        collect(|rows| {
            read_csv("t.csv", text.as_bytes(), COLUMNS, parse_row, |v| {
                rows.push(v);
                true
            })
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
    fn names_a_column_twice_or_in_other_case_or_separators() {
        let err = read("a,b,a\n1,x,2\n").expect_err("a twice");
        assert_eq!(err.errors.len(), 1);
        assert_eq!(err.errors[0].field, "a");
        assert_eq!(
            err.whole_file.as_deref(),
            Some("the column `a` is in the header twice")
        );
        let err = read("A,b\n1,x\n").expect_err("upper case");
        assert_eq!(
            err.whole_file.as_deref(),
            Some("the header lacks the column `a` (column names are lower case)")
        );
        assert!(
            err.errors[0]
                .reason
                .ends_with("found `A`: column names are lower case"),
            "{:?}",
            err.errors
        );
        let err = read("a;b\n1;x\n").expect_err("semicolons");
        assert_eq!(err.errors.len(), 2);
        assert!(
            err.errors[1].reason.contains("separated by semicolons"),
            "{:?}",
            err.errors
        );
        assert_eq!(
            err.whole_file.as_deref(),
            Some("the header lacks the columns `a`, `b` (it is separated by semicolons; extracts are separated by commas)")
        );
    }

    #[test]
    fn reports_short_rows_and_empty_files() {
        let err = read("a,b\n1\n").expect_err("short row");
        assert_eq!((err.errors[0].line, err.errors[0].field.as_str()), (2, "b"));
        let err = read("").expect_err("empty");
        assert_eq!(err.errors[0].field, "(header)");
        // A stray quote closed by another one lines further on.
        let err = read("a,b\n\"1,x\n2,y\n3,\"z\n4,w\n").expect_err("one long row");
        assert_eq!(err.bad_rows, 3);
        assert_eq!(
            err.errors[0].reason,
            "the row has 1 field, the header 2; it runs from line 2 to line 4 \
             inside quotes: is a quote unmatched? Its 3 lines count as bad rows"
        );
        // A value over several lines with the right fields is one row.
        let (rows, n) = read("a,b\n1,\"x\ny\"\n2,z\n").expect("good rows");
        assert_eq!((rows.len(), n), (2, 2));
    }

    fn arrow(columns: Vec<(&str, arrow_array::ArrayRef)>) -> Vec<u8> {
        let batch = arrow_array::RecordBatch::try_from_iter(columns).expect("batch");
        let mut writer =
            arrow_ipc::writer::StreamWriter::try_new(Vec::new(), &batch.schema()).expect("writer");
        writer.write(&batch).expect("write");
        writer.finish().expect("finish");
        writer.into_inner().expect("bytes")
    }

    fn read_ipc(bytes: &[u8]) -> Outcome {
        collect(|rows| {
            read_arrow("t.arrows", bytes, COLUMNS, parse_row, |v| {
                rows.push(v);
                true
            })
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
                Arc::new(arrow_array::BinaryArray::from(vec![b"1".as_ref()])) as _,
            ),
            (
                "b",
                Arc::new(arrow_array::StringArray::from(vec!["p"])) as _,
            ),
        ]);
        let err = read_ipc(&floats).expect_err("unsupported type");
        assert_eq!(err.errors[0].field, "a");
        assert!(
            err.errors[0].reason.contains("Binary"),
            "{}",
            err.errors[0].reason
        );

        let err = read_ipc(b"a,b\n1,2\n").expect_err("CSV is not Arrow");
        assert_eq!(err.errors[0].field, "(stream)");
    }

    #[test]
    fn arrow_dates_dictionaries_and_files_are_read_or_named() {
        use arrow_array::types::Int8Type;
        use arrow_array::{Date64Array, DictionaryArray, StringArray, TimestampSecondArray};
        use std::sync::Arc;
        const DATED: &[Column] = &[
            Column {
                name: "d",
                kind: ColumnType::Date,
                required: true,
                references: None,
                doc: shared::Text {
                    da: "a date",
                    en: "a date",
                },
            },
            Column {
                name: "t",
                kind: ColumnType::Text { max_len: 9 },
                required: false,
                references: None,
                doc: shared::Text {
                    da: "text",
                    en: "text",
                },
            },
        ];
        let read = |bytes: &[u8]| {
            let mut rows = Vec::new();
            read_arrow(
                "t.arrows",
                bytes,
                DATED,
                |row| Some((row.get(0).to_string(), row.get(1).to_string())),
                |v| {
                    rows.push(v);
                    true
                },
            )
            .map(|_| rows)
        };
        let day = 1_706_745_600; // 2024-02-01T00:00:00
        let text: DictionaryArray<Int8Type> =
            vec![Some("hej"), None, Some("hej")].into_iter().collect();
        let pair =
            |d: arrow_array::ArrayRef| arrow(vec![("d", d), ("t", Arc::new(text.clone()) as _)]);
        // Days as milliseconds, and a timestamp at midnight, are dates; a
        // timestamp later in the day is not, and is passed on as it is
        // (for validation to report).
        let expected = |second: &str| {
            vec![
                ("2024-02-01".to_string(), "hej".to_string()),
                (second.to_string(), String::new()),
                ("2024-02-01".to_string(), "hej".to_string()),
            ]
        };
        let ms = Date64Array::from(vec![day * 1000, (day + 86_400) * 1000, day * 1000]);
        assert_eq!(
            read(&pair(Arc::new(ms))).expect("dates"),
            expected("2024-02-02")
        );
        let at = TimestampSecondArray::from(vec![day, day + 8 * 3600, day]);
        assert_eq!(
            read(&pair(Arc::new(at))).expect("timestamps"),
            expected("2024-02-01T08:00:00")
        );

        // A day beyond the calendar is reported as malformed, not missing.
        let far = arrow_array::Date32Array::from(vec![i32::MAX, 0, 0]);
        let rows = read(&pair(Arc::new(far))).expect("read as text");
        assert_eq!(rows[0].0, format!("{} (beyond the calendar)", i32::MAX));

        // A time zone is named as the reason, not the type in general.
        let zoned = TimestampSecondArray::from(vec![day; 3]).with_timezone("UTC");
        let err = read(&pair(Arc::new(zoned))).expect_err("a zone");
        assert_eq!(err.errors[0].field, "d");
        assert!(
            err.errors[0].reason.contains("without a time zone"),
            "{:?}",
            err.errors
        );

        // An Arrow IPC file is named as one.
        let batch = arrow_array::RecordBatch::try_from_iter(vec![
            (
                "d",
                Arc::new(StringArray::from(vec!["2024-02-01"])) as arrow_array::ArrayRef,
            ),
            ("t", Arc::new(StringArray::from(vec!["x"])) as _),
        ])
        .expect("batch");
        let mut writer =
            arrow_ipc::writer::FileWriter::try_new(Vec::new(), &batch.schema()).expect("writer");
        writer.write(&batch).expect("write");
        writer.finish().expect("finish");
        let file = writer.into_inner().expect("bytes");
        let err = read(&file).expect_err("a file");
        assert_eq!(err.errors[0].field, "(stream)");
        assert!(
            err.errors[0].reason.starts_with("an Arrow IPC file"),
            "{:?}",
            err.errors
        );
        assert!(err.whole_file.is_some());
    }

    #[test]
    fn stops_when_the_consumer_says_so() {
        let mut seen = 0;
        let summary = read_csv(
            "t.csv",
            "a,b\n1,x\n2,y\n3,z\n".as_bytes(),
            COLUMNS,
            parse_row,
            |_| {
                seen += 1;
                seen < 2
            },
        )
        .expect("header is fine");
        assert!(summary.stopped);
        assert_eq!((seen, summary.rows_read), (2, 2));
    }

    #[test]
    fn reads_from_a_reader_one_byte_at_a_time() {
        // A reader that hands out one byte per call still has its BOM removed.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                match (self.0.split_first(), buf.is_empty()) {
                    (Some((b, rest)), false) => {
                        buf[0] = *b;
                        self.0 = rest;
                        Ok(1)
                    }
                    _ => Ok(0),
                }
            }
        }
        let mut rows = Vec::new();
        let text = "\u{feff}a,b\n7,x\n".as_bytes();
        read_csv("t.csv", Trickle(text), COLUMNS, parse_row, |v| {
            rows.push(v);
            true
        })
        .expect("valid");
        assert_eq!(rows, vec![(7, "x".to_string())]);
    }

    #[test]
    fn a_stream_broken_off_rejects_the_whole_file() {
        use std::sync::Arc;
        let batch = arrow_array::RecordBatch::try_from_iter(vec![
            (
                "a",
                Arc::new(arrow_array::StringArray::from(vec!["1"; 100])) as arrow_array::ArrayRef,
            ),
            (
                "b",
                Arc::new(arrow_array::StringArray::from(vec!["x"; 100])) as _,
            ),
        ])
        .expect("batch");
        let mut writer =
            arrow_ipc::writer::StreamWriter::try_new(Vec::new(), &batch.schema()).expect("writer");
        writer.write(&batch).expect("write");
        writer.write(&batch).expect("write");
        writer.finish().expect("finish");
        let bytes = writer.into_inner().expect("bytes");
        // Cut inside the second record batch.
        let cut = &bytes[..bytes.len() - 120];
        let mut rows = 0;
        let err = read_arrow("t.arrows", cut, COLUMNS, parse_row, |_| {
            rows += 1;
            true
        })
        .expect_err("a broken stream is no partial batch");
        assert_eq!(rows, 100, "the first batch was read");
        let last = err.errors.last().expect("reported");
        assert_eq!((last.line, last.field.as_str()), (101, "(stream)"));
    }

    #[test]
    fn skips_bom_and_blank_lines() {
        let (rows, n) = read("\u{feff}a,b\n1,x\n\n2,y\n").expect("valid");
        assert_eq!(rows.len(), 2);
        assert_eq!(n, 2);
    }
}
