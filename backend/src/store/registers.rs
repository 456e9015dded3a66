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
    /// The staging table of a register with key columns: rows gather there
    /// without any index, and are merged into the register sorted by key
    /// at commit, so the key index is written in order instead of at
    /// random.
    staging: Option<String>,
    /// The SQLite pool, for the checkpoint after the commit.
    sqlite_pool: Option<sqlx::SqlitePool>,
}

/// An open transaction, whatever its engine.
pub(super) enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Store {
    /// Opens a batch of `register`.
    pub async fn begin_batch(
        &self,
        register: &'static Register,
        batch_id: &str,
    ) -> Result<BatchWriter, StoreError> {
        let table = register.table();
        let staging = (!register.key_columns.is_empty()).then(|| format!("stage_{table}"));
        let tx = match self {
            Store::Sqlite(pool) => {
                let mut tx = pool.begin().await?;
                if let Some(name) = &staging {
                    // Temporary tables belong to the connection; DDL is
                    // transactional, so a rollback removes it too.
                    sqlx::query(&format!("DROP TABLE IF EXISTS temp.{name}"))
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(&format!(
                        "CREATE TEMPORARY TABLE {name} AS SELECT * FROM {table} WHERE false"
                    ))
                    .execute(&mut *tx)
                    .await?;
                }
                Tx::Sqlite(tx)
            }
            Store::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                if let Some(name) = &staging {
                    sqlx::query(&format!(
                        "CREATE TEMPORARY TABLE {name} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP"
                    ))
                    .execute(&mut *tx)
                    .await?;
                }
                Tx::Postgres(tx)
            }
        };
        Ok(BatchWriter {
            register,
            batch_id: batch_id.to_string(),
            tx,
            staging,
            sqlite_pool: self.sqlite_pool(),
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
        let target = self.staging.clone().unwrap_or_else(|| register.table());
        match &mut self.tx {
            Tx::Sqlite(tx) => {
                // One bound JSON array per statement, unpacked by SQLite's
                // json_each: binding every value separately costs sqlx
                // several times more than SQLite's own parsing.
                let values: Vec<String> = (0..register.columns.len())
                    .map(|i| format!("value ->> {i}"))
                    .collect();
                let insert = format!(
                    "INSERT INTO {target} ({}) SELECT {}, $1 FROM json_each($2)",
                    column_list(register),
                    values.join(", ")
                );
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
                    sqlx::query(&insert)
                        .bind(self.batch_id.as_str())
                        .bind(json)
                        .execute(&mut **tx)
                        .await?;
                }
            }
            Tx::Postgres(tx) => {
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

    /// Merges staged rows, inserts the ledger row and commits: the batch
    /// becomes visible.
    pub async fn commit(self, ledger: &BatchRecord) -> Result<(), StoreError> {
        let merge = self
            .staging
            .as_ref()
            .map(|staging| merge_statements(self.register, staging));
        macro_rules! finish {
            ($tx:expr) => {{
                let mut tx = $tx;
                if let Some([update, insert, first_load]) = &merge {
                    // Into an empty register, staged rows are simply
                    // appended in key order.
                    let (filled,): (i64,) = sqlx::query_as(&format!(
                        "SELECT COUNT(*) FROM (SELECT 1 FROM {} LIMIT 1) AS t",
                        self.register.table()
                    ))
                    .fetch_one(&mut *tx)
                    .await?;
                    if filled == 0 {
                        sqlx::query(first_load).execute(&mut *tx).await?;
                    } else {
                        sqlx::query(update).execute(&mut *tx).await?;
                        sqlx::query(insert).execute(&mut *tx).await?;
                    }
                }
                crate::failpoint::hit("ingest-before-ledger");
                insert_batch(ledger).build().execute(&mut *tx).await?;
                crate::failpoint::hit("ingest-before-commit");
                tx.commit().await?;
            }};
        }
        match self.tx {
            Tx::Sqlite(tx) => {
                finish!(tx);
                super::checkpoint(self.sqlite_pool.as_ref()).await?;
            }
            Tx::Postgres(tx) => finish!(tx),
        }
        Ok(())
    }

    /// Drops everything written in this batch.
    pub async fn rollback(self) -> Result<(), StoreError> {
        match self.tx {
            Tx::Sqlite(tx) => tx.rollback().await?,
            Tx::Postgres(tx) => tx.rollback().await?,
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

/// The statements that merge a staging table into its register: rows
/// whose key exists are updated, the others inserted in key order; and the
/// plain sorted insert of a first load into an empty register. Plain
/// statements instead of one `INSERT … ON CONFLICT`, which costs a
/// speculative insertion per row.
fn merge_statements(register: &Register, staging: &str) -> [String; 3] {
    let table = register.table();
    let keys: Vec<&str> = register
        .key_columns
        .iter()
        .filter_map(|k| register.column(k).map(|c| c.stored_name()))
        .collect();
    let same_key = |a: &str, b: &str| {
        keys.iter()
            .map(|k| format!("{a}.{k} = {b}.{k}"))
            .collect::<Vec<_>>()
            .join(" AND ")
    };
    let updates: Vec<String> = register
        .columns
        .iter()
        .map(|c| c.stored_name())
        .chain(["batch_id"])
        .filter(|c| !keys.contains(c))
        .map(|c| format!("{c} = s.{c}"))
        .collect();
    let columns = column_list(register);
    let select: Vec<String> = columns.split(", ").map(|c| format!("s.{c}")).collect();
    let order: Vec<String> = keys.iter().map(|k| format!("s.{k}")).collect();
    [
        format!(
            "UPDATE {table} SET {} FROM {staging} AS s WHERE {}",
            updates.join(", "),
            same_key(&table, "s")
        ),
        format!(
            "INSERT INTO {table} ({columns}) SELECT {} FROM {staging} AS s \
             WHERE NOT EXISTS (SELECT 1 FROM {table} AS t WHERE {}) ORDER BY {}",
            select.join(", "),
            same_key("t", "s"),
            order.join(", ")
        ),
        format!(
            "INSERT INTO {table} ({columns}) SELECT {} FROM {staging} AS s ORDER BY {}",
            select.join(", "),
            order.join(", ")
        ),
    ]
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

impl Store {
    /// The first general practice of the provider register in
    /// `municipality`: provider number, name and GP cluster (for the demo
    /// users on offer).
    pub async fn first_practice_in(
        &self,
        municipality: u16,
    ) -> Result<Option<(String, String, Option<i64>)>, StoreError> {
        const SQL: &str = "SELECT provider_number, name, gp_cluster FROM reg_ydr \
             WHERE provider_type = 'general_practice' AND municipality = $1 \
             ORDER BY provider_number LIMIT 1";
        let municipality = i64::from(municipality);
        with_pool!(self, pool => Ok(sqlx::query_as(SQL).bind(municipality).fetch_optional(pool).await?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staged_rows_update_by_key_then_insert_in_key_order() {
        let cpr = RegisterId::Cpr.def();
        let [update, insert, first_load] = merge_statements(cpr, "stage");
        assert!(update.starts_with("UPDATE reg_cpr SET birth_date = s.birth_date, "));
        assert!(update.contains("batch_id = s.batch_id"));
        let set = update.split(" FROM ").next().expect("a SET list");
        assert!(!set.contains("pseudonym = ") && !set.contains("valid_from = "));
        assert!(update.ends_with(
            "WHERE reg_cpr.pseudonym = s.pseudonym AND reg_cpr.valid_from = s.valid_from"
        ));
        assert!(insert.starts_with("INSERT INTO reg_cpr (pseudonym, birth_date"));
        assert!(insert.ends_with("ORDER BY s.pseudonym, s.valid_from"));
        assert!(insert.contains("WHERE NOT EXISTS"));
        assert!(!first_load.contains("WHERE"));
        assert!(first_load.ends_with("ORDER BY s.pseudonym, s.valid_from"));
        assert!(column_list(cpr).ends_with(", batch_id"));
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
