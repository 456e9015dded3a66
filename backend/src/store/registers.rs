//! Register tables: one per register, with the catalogue's columns (see
//! the `0002_registers` migrations), written batch by batch.
//!
//! A batch is written inside one transaction that also inserts its ledger
//! row, last; until the commit nobody sees any of it, and a crash at any
//! point leaves the store as it was. SQLite gets one INSERT per chunk of
//! rows passed as a JSON array (unpacked by `json_each`);
//! PostgreSQL gets `COPY … FROM STDIN`, into a staging table first for
//! registers whose rows are replaced by key.

use std::collections::HashSet;

use shared::register::{Register, RegisterId, REGISTERS};
use sqlx::{Postgres, Sqlite, Transaction};

use super::{insert_batch, BatchRecord, Store, StoreError};
use crate::ingest::Value;

/// Rows per SQLite INSERT statement.
const SQLITE_ROWS_PER_STATEMENT: usize = 4096;

/// An open batch: rows written so far are visible to nobody until
/// [`BatchWriter::commit`].
pub struct BatchWriter {
    register: &'static Register,
    batch_id: String,
    tx: Tx,
}

enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres {
        tx: Transaction<'static, Postgres>,
        /// The staging table, for registers with key columns.
        staging: Option<String>,
    },
}

impl Store {
    /// Opens a batch of `register`.
    pub async fn begin_batch(
        &self,
        register: &'static Register,
        batch_id: &str,
    ) -> Result<BatchWriter, StoreError> {
        let tx = match self {
            Store::Sqlite(pool) => Tx::Sqlite(pool.begin().await?),
            Store::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                let staging = if register.key_columns.is_empty() {
                    None
                } else {
                    let name = format!("stage_{}", register.table());
                    sqlx::query(&format!(
                        "CREATE TEMPORARY TABLE {name} (LIKE {} INCLUDING DEFAULTS) ON COMMIT DROP",
                        register.table()
                    ))
                    .execute(&mut *tx)
                    .await?;
                    Some(name)
                };
                Tx::Postgres { tx, staging }
            }
        };
        Ok(BatchWriter {
            register,
            batch_id: batch_id.to_string(),
            tx,
        })
    }

    /// Every distinct value of a register's column, as text (for
    /// reference checks at ingestion).
    pub async fn known_values(
        &self,
        register: RegisterId,
        column: &str,
    ) -> Result<HashSet<String>, StoreError> {
        let def = register.def();
        let column = def
            .column(column)
            .map(|c| c.stored_name())
            .unwrap_or(column);
        let sql = format!(
            "SELECT DISTINCT CAST({column} AS TEXT) FROM {}",
            def.table()
        );
        let rows: Vec<(String,)> =
            with_pool!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await)?;
        Ok(rows.into_iter().map(|(v,)| v).collect())
    }

    /// Rows held per register, in catalogue order.
    pub async fn register_counts(&self) -> Result<Vec<(RegisterId, i64)>, StoreError> {
        use sqlx::Row;
        // One statement of scalar subqueries: the counts are consistent
        // with each other.
        let sql = format!(
            "SELECT {}",
            REGISTERS
                .iter()
                .map(|r| format!("(SELECT COUNT(*) FROM {})", r.table()))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let counts: Vec<i64> = with_pool!(self, pool => {
            let row = sqlx::query(&sql).fetch_one(pool).await?;
            (0..REGISTERS.len())
                .map(|i| row.try_get::<i64, _>(i))
                .collect::<Result<_, _>>()?
        });
        Ok(REGISTERS.iter().map(|r| r.id).zip(counts).collect())
    }
}

impl BatchWriter {
    /// Writes validated rows (values in catalogue order).
    pub async fn write(&mut self, rows: &[Vec<Value>]) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        let register = self.register;
        match &mut self.tx {
            Tx::Sqlite(tx) => {
                // One bound JSON array per statement, unpacked by SQLite's
                // json_each: binding every value separately costs sqlx
                // several times more than SQLite's own parsing.
                for chunk in rows.chunks(SQLITE_ROWS_PER_STATEMENT) {
                    let mut json = Vec::with_capacity(chunk.len() * 96);
                    json.push(b'[');
                    for (i, row) in chunk.iter().enumerate() {
                        if i > 0 {
                            json.push(b',');
                        }
                        json.push(b'[');
                        for (j, value) in row.iter().enumerate() {
                            if j > 0 {
                                json.push(b',');
                            }
                            json_value(&mut json, value);
                        }
                        json.push(b']');
                    }
                    json.push(b']');
                    let json = String::from_utf8(json).expect("JSON of UTF-8 text is UTF-8");
                    sqlx::query(&sqlite_insert(register))
                        .bind(self.batch_id.as_str())
                        .bind(json)
                        .execute(&mut **tx)
                        .await?;
                }
            }
            Tx::Postgres { tx, staging } => {
                let target = staging.clone().unwrap_or_else(|| register.table());
                let mut data = Vec::with_capacity(rows.len() * 96);
                for row in rows {
                    for value in row {
                        copy_csv_value(&mut data, value);
                        data.push(b',');
                    }
                    copy_csv_text(&mut data, &self.batch_id);
                    data.push(b'\n');
                }
                let statement = format!(
                    "COPY {target} ({}) FROM STDIN WITH (FORMAT csv)",
                    column_list(register)
                );
                let mut copy = tx.copy_in_raw(&statement).await?;
                if let Err(e) = copy.send(data).await {
                    copy.abort("the batch failed").await.ok();
                    return Err(e.into());
                }
                copy.finish().await?;
            }
        }
        Ok(())
    }

    /// Inserts the ledger row and commits: the batch becomes visible.
    pub async fn commit(self, ledger: &BatchRecord) -> Result<(), StoreError> {
        let register = self.register;
        match self.tx {
            Tx::Sqlite(mut tx) => {
                crate::failpoint::hit("ingest-before-ledger");
                insert_batch(ledger).build().execute(&mut *tx).await?;
                crate::failpoint::hit("ingest-before-commit");
                tx.commit().await?;
            }
            Tx::Postgres { mut tx, staging } => {
                if let Some(staging) = staging {
                    let columns = column_list(register);
                    sqlx::query(&format!(
                        "INSERT INTO {} ({columns}) SELECT {columns} FROM {staging}{}",
                        register.table(),
                        upsert_tail(register)
                    ))
                    .execute(&mut *tx)
                    .await?;
                }
                crate::failpoint::hit("ingest-before-ledger");
                insert_batch(ledger).build().execute(&mut *tx).await?;
                crate::failpoint::hit("ingest-before-commit");
                tx.commit().await?;
            }
        }
        Ok(())
    }

    /// Drops everything written in this batch.
    pub async fn rollback(self) -> Result<(), StoreError> {
        match self.tx {
            Tx::Sqlite(tx) => tx.rollback().await?,
            Tx::Postgres { tx, .. } => tx.rollback().await?,
        }
        Ok(())
    }
}

/// The stored columns of a register and `batch_id`, comma-separated.
fn column_list(register: &Register) -> String {
    register
        .columns
        .iter()
        .map(|c| c.stored_name())
        .chain(["batch_id"])
        .collect::<Vec<_>>()
        .join(", ")
}

/// The SQLite INSERT of one chunk: `$1` is the batch id, `$2` a JSON array
/// of rows, each an array of the values in catalogue order.
fn sqlite_insert(register: &Register) -> String {
    let values: Vec<String> = (0..register.columns.len())
        .map(|i| format!("value ->> {i}"))
        .collect();
    // `WHERE true` lets the parser tell the upsert clause from a join.
    format!(
        "INSERT INTO {} ({}) SELECT {}, $1 FROM json_each($2) WHERE true{}",
        register.table(),
        column_list(register),
        values.join(", "),
        upsert_tail(register)
    )
}

/// Appends `value` as JSON: text as a string, dates and timestamps as the
/// text SQLite stores, none as null.
fn json_value(out: &mut Vec<u8>, value: &Value) {
    use std::io::Write;
    match value {
        Value::Text(Some(v)) => serde_json::to_writer(&mut *out, v).expect("writes to a Vec"),
        Value::Int(Some(v)) => write!(out, "{v}").expect("writes to a Vec"),
        Value::Real(Some(v)) => write!(out, "{v}").expect("writes to a Vec"),
        Value::Date(Some(v)) => write!(out, "\"{v}\"").expect("writes to a Vec"),
        Value::Timestamp(Some(v)) => {
            write!(out, "\"{}\"", v.format("%Y-%m-%d %H:%M:%S")).expect("writes to a Vec")
        }
        _ => out.extend_from_slice(b"null"),
    }
}

/// `ON CONFLICT … DO UPDATE` for registers replaced by key; nothing for
/// event registers.
fn upsert_tail(register: &Register) -> String {
    if register.key_columns.is_empty() {
        return String::new();
    }
    let stored = |name: &str| {
        register
            .column(name)
            .map_or(name.to_string(), |c| c.stored_name().to_string())
    };
    let keys: Vec<String> = register.key_columns.iter().map(|k| stored(k)).collect();
    let updates: Vec<String> = register
        .columns
        .iter()
        .map(|c| c.stored_name())
        .chain(["batch_id"])
        .filter(|c| !keys.iter().any(|k| k == c))
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    format!(
        " ON CONFLICT ({}) DO UPDATE SET {}",
        keys.join(", "),
        updates.join(", ")
    )
}

/// Appends `value` in PostgreSQL's CSV COPY format: empty for none, text
/// always quoted (so an empty text is not none).
fn copy_csv_value(out: &mut Vec<u8>, value: &Value) {
    use std::io::Write;
    match value {
        Value::Text(Some(v)) => copy_csv_text(out, v),
        Value::Int(Some(v)) => write!(out, "{v}").expect("writes to a Vec"),
        Value::Real(Some(v)) => write!(out, "{v}").expect("writes to a Vec"),
        Value::Date(Some(v)) => write!(out, "{v}").expect("writes to a Vec"),
        Value::Timestamp(Some(v)) => {
            write!(out, "{}", v.format("%Y-%m-%d %H:%M:%S")).expect("writes to a Vec")
        }
        _ => {}
    }
}

fn copy_csv_text(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    for b in text.bytes() {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyed_registers_upsert_and_event_registers_append() {
        let cpr = RegisterId::Cpr.def();
        let tail = upsert_tail(cpr);
        assert!(tail.starts_with(" ON CONFLICT (pseudonym, valid_from) DO UPDATE SET "));
        assert!(tail.contains("birth_date = excluded.birth_date"));
        assert!(tail.contains("batch_id = excluded.batch_id"));
        assert!(!tail.contains("pseudonym = excluded"));
        assert_eq!(upsert_tail(RegisterId::Ssr.def()), "");
        assert!(column_list(cpr).starts_with("pseudonym, birth_date"));
    }

    #[test]
    fn copy_values_quote_text_and_leave_none_empty() {
        let mut out = Vec::new();
        for v in [
            Value::Text(Some("a\"b,c".into())),
            Value::Text(None),
            Value::Int(Some(-3)),
            Value::Real(Some(1.5)),
            Value::Text(Some(String::new())),
        ] {
            copy_csv_value(&mut out, &v);
            out.push(b',');
        }
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "\"a\"\"b,c\",,-3,1.5,\"\","
        );
    }
}
