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
use super::StoreError;
use crate::ingest::{Rows, Value};

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
    types: Vec<PgType>,
    batch_no: i64,
    text: Text,
}

impl Encoder {
    /// `columns` and `types` name the register's columns and then
    /// `batch_no` (a `bigint`).
    pub(super) fn new(
        table: String,
        columns: Vec<&'static str>,
        types: Vec<PgType>,
        batch_no: i64,
    ) -> Result<Encoder, StoreError> {
        if types.last() != Some(&PgType::Int8) {
            return Err(StoreError::Schema(format!(
                "{table}.batch_no is not a bigint"
            )));
        }
        Ok(Encoder {
            table,
            columns,
            types,
            batch_no,
            text: Text::with_days(),
        })
    }

    /// `rows` (values in catalogue order), appended to `out`.
    pub(super) fn encode(&mut self, rows: &Rows, out: &mut Vec<u8>) -> Result<(), StoreError> {
        let fields = i16::try_from(self.types.len())
            .map_err(|_| StoreError::Schema(format!("{} has too many columns", self.table)))?;
        let (types, batch_type) = self.types.split_at(self.types.len() - 1);
        debug_assert_eq!(batch_type, [PgType::Int8]);
        if types.len() != rows.width() {
            return Err(StoreError::Schema(format!(
                "{} has {} columns for rows of {} values",
                self.table,
                types.len(),
                rows.width()
            )));
        }
        let arena = rows.arena();
        for row in rows.iter() {
            out.extend_from_slice(&fields.to_be_bytes());
            for (at, (value, &ty)) in row.iter().zip(types).enumerate() {
                if !put(out, value, ty, arena, &mut self.text) {
                    return Err(StoreError::Schema(format!(
                        "{}.{}: a {} value for a column of type {}",
                        self.table,
                        self.columns[at],
                        kind(value),
                        ty.name()
                    )));
                }
            }
            out.extend_from_slice(&8i32.to_be_bytes());
            out.extend_from_slice(&self.batch_no.to_be_bytes());
        }
        Ok(())
    }
}

/// Appends one field: its length and its bytes (-1 for none). False when
/// the value does not fit a column of type `ty`.
fn put(out: &mut Vec<u8>, value: &Value, ty: PgType, arena: &[u8], text: &mut Text) -> bool {
    let bytes = |out: &mut Vec<u8>, b: &[u8]| {
        let len = i32::try_from(b.len()).expect("a value is less than 2 GB");
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(b);
    };
    match (ty, value) {
        (_, Value::Null) => out.extend_from_slice(&(-1i32).to_be_bytes()),
        (PgType::Text, Value::Text(_) | Value::Code(_)) => {
            bytes(out, value.bytes(arena).expect("text values have bytes"))
        }
        (PgType::Text, Value::Date(d)) => bytes(out, text.date(*d)),
        (PgType::Text, Value::Timestamp(t)) => bytes(out, text.timestamp(*t)),
        (PgType::Text, Value::Int(v)) => bytes(out, v.to_string().as_bytes()),
        (PgType::Text, Value::Real(v)) => bytes(out, v.to_string().as_bytes()),
        (PgType::Int2, Value::Int(v)) => match i16::try_from(*v) {
            Ok(v) => bytes(out, &v.to_be_bytes()),
            Err(_) => return false,
        },
        (PgType::Int4, Value::Int(v)) => match i32::try_from(*v) {
            Ok(v) => bytes(out, &v.to_be_bytes()),
            Err(_) => return false,
        },
        (PgType::Int8, Value::Int(v)) => bytes(out, &v.to_be_bytes()),
        (PgType::Float8, Value::Real(v)) => bytes(out, &v.to_be_bytes()),
        (PgType::Float8, Value::Int(v)) => bytes(out, &(*v as f64).to_be_bytes()),
        (PgType::Date, Value::Date(d)) => bytes(out, &pg_days(*d).to_be_bytes()),
        (PgType::Timestamp, Value::Timestamp(t)) => match pg_microseconds(*t) {
            Some(us) => bytes(out, &us.to_be_bytes()),
            None => return false,
        },
        _ => return false,
    }
    true
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

/// A `COPY … FROM STDIN (FORMAT binary)` under way in a task that holds
/// the batch's transaction.
pub(super) struct CopyStream {
    feed: mpsc::Sender<Feed>,
    /// Gives the transaction back when the `COPY` ended, with its error
    /// if it failed.
    /// (`None` once awaited.)
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
    /// `tx`, and sends the header.
    pub(super) async fn open(
        tx: Transaction<'static, Postgres>,
        target: &str,
        columns: &str,
    ) -> Result<CopyStream, StoreError> {
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
        Ok(CopyStream {
            feed,
            task: Some(task),
        })
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
