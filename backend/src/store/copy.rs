//! A PostgreSQL batch's rows go to the server in one binary `COPY` for
//! the whole batch.
//!
//! Binary, not CSV: the server then reads each value as it lies instead
//! of parsing text again (CSV splitting and the text input functions of
//! numbers, dates and timestamps were half of the server's CPU time for a
//! health-insurance extract). One `COPY` for the batch, not one per chunk
//! of rows: a task of its own holds the transaction and feeds the `COPY`
//! while the next chunk is validated and encoded, so the server is not
//! idle between chunks waiting for a round trip.
//!
//! The binary format needs each value's exact type, which the server's
//! catalogue gives at the start of the batch ([`column_types`]); a
//! catalogue value that does not fit its column is a
//! [`StoreError::Schema`], never a silent conversion.

use chrono::{NaiveDate, NaiveDateTime};
use sqlx::{Postgres, Transaction};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::registers::Text;
use super::sorted::Stored;
use super::StoreError;
use crate::ingest::Value;

/// The binary COPY header: signature, flags, header extension length.
const HEADER: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";

/// The binary COPY trailer: a field count of -1.
const TRAILER: [u8; 2] = (-1i16).to_be_bytes();

/// Chunks of encoded rows on their way to the server: one being sent, one
/// waiting, and one being encoded.
const CHUNKS_IN_FLIGHT: usize = 2;

/// A column's type on the server, as the binary format writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum PgType {
    Text,
    Int2,
    Int4,
    Int8,
    Float8,
    Date,
    Timestamp,
}

impl PgType {
    /// The type of a column by its type's oid (`pg_type`), if one this
    /// module writes.
    fn from_oid(oid: i32) -> Option<PgType> {
        Some(match oid {
            25 | 1043 => PgType::Text,
            21 => PgType::Int2,
            23 => PgType::Int4,
            20 => PgType::Int8,
            701 => PgType::Float8,
            1082 => PgType::Date,
            1114 => PgType::Timestamp,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            PgType::Text => "text",
            PgType::Int2 => "smallint",
            PgType::Int4 => "integer",
            PgType::Int8 => "bigint",
            PgType::Float8 => "double precision",
            PgType::Date => "date",
            PgType::Timestamp => "timestamp",
        }
    }
}

/// The server's types of `columns` of `table`, in that order.
pub(super) async fn column_types(
    tx: &mut Transaction<'static, Postgres>,
    table: &str,
    columns: &[&str],
) -> Result<Vec<PgType>, StoreError> {
    let found: Vec<(String, i32)> = sqlx::query_as(
        "SELECT attname::text, atttypid::int4 FROM pg_attribute \
         WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped",
    )
    .bind(table)
    .fetch_all(&mut **tx)
    .await?;
    columns
        .iter()
        .map(|column| {
            let (_, oid) = found
                .iter()
                .find(|(name, _)| name == column)
                .ok_or_else(|| StoreError::Schema(format!("{table} has no column {column}")))?;
            PgType::from_oid(*oid).ok_or_else(|| {
                StoreError::Schema(format!(
                    "{table}.{column} is of a type (oid {oid}) that ingestion does not write"
                ))
            })
        })
        .collect()
}

/// Rows encoded in the binary format for one table: the register's
/// columns, then the batch's number.
pub(super) struct Encoder {
    table: String,
    columns: Vec<&'static str>,
    /// The types of the register's columns (not `batch_no`'s).
    types: Vec<PgType>,
    /// Fields in a row: the register's columns and `batch_no`.
    fields: i16,
    batch_no: i64,
    text: Text,
}

impl Encoder {
    /// `columns` and `types` name the register's columns and then
    /// `batch_no` (a `bigint`).
    pub(super) fn new(
        table: String,
        columns: Vec<&'static str>,
        mut types: Vec<PgType>,
        batch_no: i64,
    ) -> Result<Encoder, StoreError> {
        let fields = i16::try_from(types.len())
            .map_err(|_| StoreError::Schema(format!("{table} has too many columns")))?;
        if types.pop() != Some(PgType::Int8) {
            return Err(StoreError::Schema(format!(
                "{table}.batch_no is not a bigint"
            )));
        }
        Ok(Encoder {
            table,
            columns,
            types,
            fields,
            batch_no,
            text: Text::with_days(),
        })
    }

    /// Rows — `values`, a row's values after another's, in catalogue
    /// order, their text in `arena` — appended to `out`.
    pub(super) fn encode(
        &mut self,
        values: &[Value],
        arena: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), StoreError> {
        self.encode_with(values, out, kind, |out, value, ty, text| {
            put(out, value, ty, arena, text)
        })
    }

    /// Rows as stored in a keyed batch's sorted runs — a row's values
    /// after another's — appended to `out`.
    pub(super) fn encode_stored(
        &mut self,
        values: &[Stored<'_>],
        out: &mut Vec<u8>,
    ) -> Result<(), StoreError> {
        self.encode_with(values, out, stored_kind, |out, value, ty, _| {
            put_stored(out, value, ty)
        })
    }

    /// Rows of values of either form, each field appended by `put`
    /// (false: the value does not fit its column, whose `kind` is named).
    fn encode_with<T>(
        &mut self,
        values: &[T],
        out: &mut Vec<u8>,
        kind: fn(&T) -> &'static str,
        mut put: impl FnMut(&mut Vec<u8>, &T, PgType, &mut Text) -> bool,
    ) -> Result<(), StoreError> {
        for row in values.chunks_exact(self.types.len()) {
            out.extend_from_slice(&self.fields.to_be_bytes());
            for (at, (value, &ty)) in row.iter().zip(&self.types).enumerate() {
                if !put(out, value, ty, &mut self.text) {
                    return Err(self.misfit(at, kind(value), ty));
                }
            }
            self.put_batch_no(out);
        }
        Ok(())
    }

    fn put_batch_no(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&8i32.to_be_bytes());
        out.extend_from_slice(&self.batch_no.to_be_bytes());
    }

    fn misfit(&self, at: usize, kind: &str, ty: PgType) -> StoreError {
        StoreError::Schema(format!(
            "{}.{}: a {kind} value for a column of type {}",
            self.table,
            self.columns[at],
            ty.name()
        ))
    }
}

/// Appends one field: its length and its bytes (-1 for none). False when
/// the value does not fit a column of type `ty`.
fn put(out: &mut Vec<u8>, value: &Value, ty: PgType, arena: &[u8], text: &mut Text) -> bool {
    match (ty, value) {
        (_, Value::Null) => out.extend_from_slice(&(-1i32).to_be_bytes()),
        (PgType::Text, Value::Text(_) | Value::Code(_)) => {
            field(out, value.bytes(arena).expect("text values have bytes"))
        }
        (PgType::Text, Value::Date(d)) => field(out, text.date(*d)),
        (PgType::Text, Value::Timestamp(t)) => field(out, text.timestamp(*t)),
        (PgType::Text, Value::Int(v)) => field(out, v.to_string().as_bytes()),
        (PgType::Text, Value::Real(v)) => field(out, v.to_string().as_bytes()),
        (_, Value::Int(v)) => return put_int(out, *v, ty),
        (PgType::Float8, Value::Real(v)) => field(out, &v.to_be_bytes()),
        (PgType::Date, Value::Date(d)) => field(out, &pg_days(*d).to_be_bytes()),
        (PgType::Timestamp, Value::Timestamp(t)) => match pg_microseconds(*t) {
            Some(us) => field(out, &us.to_be_bytes()),
            None => return false,
        },
        _ => return false,
    }
    true
}

/// Appends one field of a value as stored in a sorted run (dates and
/// timestamps as text). False when it does not fit a column of type `ty`.
fn put_stored(out: &mut Vec<u8>, value: &Stored<'_>, ty: PgType) -> bool {
    match (ty, *value) {
        (_, Stored::Null) => out.extend_from_slice(&(-1i32).to_be_bytes()),
        (PgType::Text, Stored::Text(b)) => field(out, b),
        (PgType::Text, Stored::Int(v)) => field(out, v.to_string().as_bytes()),
        (PgType::Text, Stored::Real(v)) => field(out, v.to_string().as_bytes()),
        (PgType::Date, Stored::Text(b)) => match text_days(b) {
            Some(days) if b.len() == 10 => field(out, &days.to_be_bytes()),
            _ => return false,
        },
        (PgType::Timestamp, Stored::Text(b)) => match text_microseconds(b) {
            Some(us) => field(out, &us.to_be_bytes()),
            None => return false,
        },
        (_, Stored::Int(v)) => return put_int(out, v, ty),
        (PgType::Float8, Stored::Real(v)) => field(out, &v.to_be_bytes()),
        _ => return false,
    }
    true
}

/// Appends a field's length and bytes.
fn field(out: &mut Vec<u8>, bytes: &[u8]) {
    let len = i32::try_from(bytes.len()).expect("a value is less than 2 GB");
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(bytes);
}

/// Appends a whole number to a numeric column. False for another type, or
/// a number out of the column's range.
fn put_int(out: &mut Vec<u8>, v: i64, ty: PgType) -> bool {
    match ty {
        PgType::Int2 => match i16::try_from(v) {
            Ok(v) => field(out, &v.to_be_bytes()),
            Err(_) => return false,
        },
        PgType::Int4 => match i32::try_from(v) {
            Ok(v) => field(out, &v.to_be_bytes()),
            Err(_) => return false,
        },
        PgType::Int8 => field(out, &v.to_be_bytes()),
        PgType::Float8 => field(out, &(v as f64).to_be_bytes()),
        _ => return false,
    }
    true
}

/// PostgreSQL's day number of `YYYY-MM-DD…` (days since 2000-01-01), by
/// arithmetic: a keyed national batch has tens of millions of dates.
fn text_days(b: &[u8]) -> Option<i32> {
    let number = |from: usize, to: usize| -> Option<i32> {
        b.get(from..to)?.iter().try_fold(0i32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + i32::from(c - b'0'))
        })
    };
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let (y, m, d) = (number(0, 4)?, number(5, 7)?, number(8, 10)?);
    if !(1..=12).contains(&m) || d < 1 || d > days_in_month(y, m) {
        return None;
    }
    // Days from civil (H. Hinnant's algorithm), from 1970-01-01, less the
    // 10,957 days to 2000-01-01.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468 - 10_957)
}

fn days_in_month(y: i32, m: i32) -> i32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// PostgreSQL's number of `YYYY-MM-DD HH:MM:SS` (microseconds since
/// 2000-01-01 00:00).
fn text_microseconds(b: &[u8]) -> Option<i64> {
    if b.len() != 19 || b[10] != b' ' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let days = text_days(&b[..10])?;
    let two = |at: usize| -> Option<i64> {
        let (h, l) = (b[at], b[at + 1]);
        (h.is_ascii_digit() && l.is_ascii_digit())
            .then(|| i64::from(h - b'0') * 10 + i64::from(l - b'0'))
    };
    let (h, m, s) = (two(11)?, two(14)?, two(17)?);
    if h > 23 || m > 59 || s > 59 {
        return None;
    }
    Some(((i64::from(days) * 24 + h) * 60 + m) * 60_000_000 + s * 1_000_000)
}

/// A stored value's kind, for messages.
fn stored_kind(value: &Stored<'_>) -> &'static str {
    match value {
        Stored::Null => "empty",
        Stored::Text(_) => "text",
        Stored::Int(_) => "whole-number",
        Stored::Real(_) => "decimal",
    }
}

/// A value's kind, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "empty",
        Value::Text(_) | Value::Code(_) => "text",
        Value::Int(_) => "whole-number",
        Value::Real(_) => "decimal",
        Value::Date(_) => "date",
        Value::Timestamp(_) => "timestamp",
    }
}

/// PostgreSQL's day number of a date: days since 2000-01-01.
fn pg_days(date: NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(2000, 1, 1).expect("a date");
    i32::try_from((date - epoch).num_days()).expect("a date's day number fits 32 bits")
}

/// PostgreSQL's number of a timestamp: microseconds since 2000-01-01 00:00.
fn pg_microseconds(moment: NaiveDateTime) -> Option<i64> {
    let epoch = NaiveDate::from_ymd_opt(2000, 1, 1)
        .expect("a date")
        .and_hms_opt(0, 0, 0)
        .expect("midnight");
    (moment - epoch).num_microseconds()
}

/// What the task that feeds a `COPY` is given.
enum Feed {
    /// Encoded rows.
    Rows(Vec<u8>),
    /// The last rows were sent: finish the `COPY`.
    End,
}

/// Sends encoded rows to a [`CopyStream`] from a blocking thread.
pub(super) struct Feeder(mpsc::Sender<Feed>);

impl Feeder {
    /// Sends encoded rows; blocks while [`CHUNKS_IN_FLIGHT`] are on their
    /// way. Fails if the `COPY` failed ([`CopyStream::finish`] tells why).
    pub(super) fn send(&self, data: Vec<u8>) -> Result<(), StoreError> {
        self.0
            .blocking_send(Feed::Rows(data))
            .map_err(|_| StoreError::Corrupt("the COPY to PostgreSQL ended early".into()))
    }
}

/// A `COPY … FROM STDIN (FORMAT binary)` under way in a task that holds
/// the batch's transaction.
pub(super) struct CopyStream {
    feed: mpsc::Sender<Feed>,
    /// Gives the transaction back when the `COPY` ended, with its error
    /// if it failed (`None` once awaited).
    task: Option<Ended>,
}

/// The task's end: the transaction, and the `COPY`'s error if it failed.
type Ended = JoinHandle<(Transaction<'static, Postgres>, Result<(), StoreError>)>;

/// The task's end, awaited.
async fn ended(
    task: Ended,
) -> Result<(Transaction<'static, Postgres>, Result<(), StoreError>), StoreError> {
    task.await
        .map_err(|e| StoreError::Corrupt(format!("the task feeding PostgreSQL failed: {e}")))
}

impl CopyStream {
    /// Starts `COPY {target} ({columns}) FROM STDIN (FORMAT binary)` in
    /// `tx`, and sends the header; a failure to start shows as the
    /// `COPY`'s error.
    pub(super) fn open(
        tx: Transaction<'static, Postgres>,
        target: &str,
        columns: &str,
    ) -> CopyStream {
        let statement = format!("COPY {target} ({columns}) FROM STDIN WITH (FORMAT binary)");
        let (feed, mut chunks) = mpsc::channel(CHUNKS_IN_FLIGHT);
        let task = tokio::spawn(async move {
            let mut tx = tx;
            let result = async {
                let mut copy = tx.copy_in_raw(&statement).await?;
                copy.send(HEADER).await?;
                loop {
                    match chunks.recv().await {
                        Some(Feed::Rows(data)) => {
                            copy.send(data).await?;
                        }
                        Some(Feed::End) => {
                            copy.send(&TRAILER[..]).await?;
                            copy.finish().await?;
                            return Ok(());
                        }
                        // The batch was abandoned: the rows sent go with
                        // the transaction's rollback.
                        None => {
                            copy.abort("the batch was rolled back").await?;
                            return Ok(());
                        }
                    }
                }
            }
            .await;
            (tx, result.map_err(StoreError::Database))
        });
        CopyStream {
            feed,
            task: Some(task),
        }
    }

    /// Sends encoded rows; waits while [`CHUNKS_IN_FLIGHT`] are on their
    /// way. If the `COPY` failed, its error (and the transaction is rolled
    /// back as it is dropped).
    pub(super) async fn send(&mut self, data: Vec<u8>) -> Result<(), StoreError> {
        if self.feed.send(Feed::Rows(data)).await.is_ok() {
            return Ok(());
        }
        // The task ended early, as only a failure ends it.
        if let Some(task) = self.task.take() {
            ended(task).await?.1?;
        }
        Err(StoreError::Corrupt(
            "the COPY to PostgreSQL ended before its last rows".into(),
        ))
    }

    /// A handle that sends encoded rows from a blocking thread.
    pub(super) fn feeder(&self) -> Feeder {
        Feeder(self.feed.clone())
    }

    /// Finishes the `COPY`: the transaction back, or the `COPY`'s error
    /// (the transaction is then rolled back as it is dropped).
    pub(super) async fn finish(self) -> Result<Transaction<'static, Postgres>, StoreError> {
        // A task that ended early has its error ready below.
        let _ = self.feed.send(Feed::End).await;
        let task = self
            .task
            .ok_or_else(|| StoreError::Corrupt("the COPY to PostgreSQL failed before".into()))?;
        let (tx, result) = ended(task).await?;
        result.map(|()| tx)
    }

    /// Abandons the `COPY`: the transaction back, to be rolled back (none
    /// if the `COPY` failed before, and the transaction went with it).
    pub(super) async fn cancel(self) -> Result<Option<Transaction<'static, Postgres>>, StoreError> {
        drop(self.feed);
        match self.task {
            Some(task) => Ok(Some(ended(task).await?.0)),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_timestamps_count_from_the_millennium() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a date");
        assert_eq!(pg_days(day(2000, 1, 1)), 0);
        assert_eq!(pg_days(day(1999, 12, 31)), -1);
        assert_eq!(pg_days(day(2024, 2, 29)), 8825);
        let noon = day(2000, 1, 2).and_hms_opt(12, 0, 1).expect("a time");
        assert_eq!(pg_microseconds(noon), Some((36 * 3600 + 1) * 1_000_000));
    }

    #[test]
    fn dates_and_timestamps_as_text_count_as_chrono_does() {
        let mut text = Text::with_days();
        let first = NaiveDate::from_ymd_opt(1600, 1, 1).expect("a date");
        for day in (0..200_000)
            .step_by(7)
            .map(|n| first + chrono::Days::new(n))
        {
            assert_eq!(text_days(text.date(day)), Some(pg_days(day)), "{day}");
        }
        let moment = NaiveDate::from_ymd_opt(2024, 2, 29)
            .expect("a date")
            .and_hms_opt(23, 59, 58)
            .expect("a time");
        assert_eq!(
            text_microseconds(text.timestamp(moment)),
            pg_microseconds(moment)
        );
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-1-010",
            "20x4-01-01",
        ] {
            assert_eq!(text_days(bad.as_bytes()), None, "{bad}");
        }
        assert_eq!(text_microseconds(b"2024-01-01 24:00:00"), None);
        let mut out = Vec::new();
        assert!(!put_stored(
            &mut out,
            &Stored::Text(b"2024-01-01x"),
            PgType::Date
        ));
        assert!(!put_stored(&mut out, &Stored::Real(0.5), PgType::Int4));
        assert!(out.is_empty());
    }

    #[test]
    fn a_value_that_does_not_fit_its_column_is_refused() {
        let mut out = Vec::new();
        let mut text = Text::with_days();
        assert!(!put(
            &mut out,
            &Value::Int(40_000),
            PgType::Int2,
            &[],
            &mut text
        ));
        assert!(!put(
            &mut out,
            &Value::Real(1.5),
            PgType::Int8,
            &[],
            &mut text
        ));
        let day = NaiveDate::from_ymd_opt(2024, 1, 1).expect("a date");
        assert!(!put(
            &mut out,
            &Value::Date(day),
            PgType::Timestamp,
            &[],
            &mut text
        ));
        assert!(out.is_empty());
        assert!(put(&mut out, &Value::Int(-2), PgType::Int2, &[], &mut text));
        assert_eq!(out, [0, 0, 0, 2, 0xff, 0xfe]);
        out.clear();
        assert!(put(&mut out, &Value::Null, PgType::Date, &[], &mut text));
        assert_eq!(out, (-1i32).to_be_bytes());
        out.clear();
        assert!(put(
            &mut out,
            &Value::Date(day),
            PgType::Text,
            &[],
            &mut text
        ));
        assert_eq!(&out[4..], b"2024-01-01");
    }
}
