//! Register tables: one per register, with the catalogue's columns (see
//! the `0002_registers` migrations), written batch by batch.
//!
//! A batch is written inside one transaction that also inserts its ledger
//! row, last; until the commit nobody sees any of it, and a crash at any
//! point leaves the store as it was. Every row carries the batch's number
//! (`batch_no`, the ledger's small integer) rather than its id.
//!
//! On SQLite the batch has a connection of its own (rusqlite over the same
//! SQLite library as sqlx), holding the write lock from the start
//! (`BEGIN IMMEDIATE`), with one prepared INSERT whose parameters are bound
//! value by value: sqlx binds through several layers per value, which cost
//! more than SQLite's insert itself. PostgreSQL gets one binary
//! `COPY … FROM STDIN` per batch (`copy.rs`).
//!
//! Registers whose rows are replaced by key take a batch in key order, so
//! the key index is appended to instead of written at random: the rows
//! are sorted outside the database (`sorted.rs`) and inserted at the
//! commit — on SQLite upserted into a register that has rows; on
//! PostgreSQL such a batch gathers in an index-free staging table instead,
//! merged into the register sorted by key at the commit. Into an empty
//! register, PostgreSQL copies the rows without the register's primary key
//! and builds it from all of them at the commit, in the same transaction.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rusqlite::OpenFlags;
use shared::register::{Register, RegisterId, REGISTERS};
use sqlx::{Postgres, Sqlite, Transaction};

use super::bulk;
use super::copy::{self, CopyStream, Encoder};
use super::sorted::{SortedRows, Stored};
use super::{BatchRecord, Store, StoreError, LEDGER_COLUMNS};
use crate::ingest::{Rows, Value};

/// Rows per SQLite INSERT statement: a multi-row VALUES list steps the
/// statement once for many rows.
const SQLITE_ROWS_PER_STATEMENT: usize = 32;

/// How long a batch waits for another writer of the SQLite file.
const SQLITE_BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The page cache of a batch's SQLite connection (KiB): a large batch's
/// pages stay in memory until the commit rather than spilling early.
const SQLITE_CACHE_KIB: i64 = 64 * 1024;

/// The page cache of a batch's SQLite connection without the write-ahead
/// log (KiB): new pages are written to the file as the cache fills, which
/// costs no more than keeping them (4.9M `ssr` rows: as fast with 2 MiB
/// as with 64 MiB).
const SQLITE_JOURNAL_CACHE_KIB: i64 = 8 * 1024;

/// An open batch: rows written so far are visible to nobody until
/// [`BatchWriter::commit`].
pub struct BatchWriter {
    register: &'static Register,
    /// The batch's number, on every row it writes.
    batch_no: i64,
    engine: Engine,
}

/// A batch's open transaction.
enum Engine {
    /// The batch's own connection, moved onto a blocking thread for each
    /// step (`None` only while it is there).
    Sqlite(Option<Box<SqliteBatch>>),
    /// A transaction of the pool, in which one binary `COPY` takes the
    /// batch's rows (`copy.rs`).
    Postgres(Box<PgBatch>),
}

/// A PostgreSQL batch.
struct PgBatch {
    /// The `COPY` under way, holding the transaction.
    copy: CopyStream,
    /// Encodes rows for it (`None` only while on a blocking thread).
    encoder: Option<Encoder>,
    /// The staging table of a register with key columns that has rows:
    /// the batch's rows gather there without any index, and are merged
    /// into the register sorted by key at commit.
    staging: Option<String>,
    /// The rows of a register with key columns that had none, sorted here
    /// and copied into it in key order at the commit (those not copied as
    /// they came, in key order).
    sorted: Option<SortedRows>,
    /// The primary key of such a register, dropped for the batch and
    /// built again, from all its rows at once, at the commit.
    key: Option<PrimaryKey>,
}

/// A PostgreSQL table's primary key constraint, as the catalogue has it.
struct PrimaryKey {
    name: String,
    /// `PRIMARY KEY (…)`, from `pg_get_constraintdef`.
    definition: String,
}

/// Sort memory for building a register's key at the commit of its first
/// batch: a national CPR extract's keys take several times PostgreSQL's
/// default of 64 MB; with more, the sort writes fewer runs to disk.
const PG_KEY_BUILD_MEMORY: &str = "256MB";

/// A SQLite batch: its connection, and its rows in key order for a
/// register with key columns (written at the commit).
struct SqliteBatch {
    conn: rusqlite::Connection,
    /// A keyed register's rows, to be written in key order at the commit
    /// (those that did not come in key order into an empty table).
    sorted: Option<SortedRows>,
    /// Whether the register had rows when the batch began (its rows are
    /// then upserted).
    filled: bool,
    /// Whether the file is in WAL mode (and is checkpointed after the
    /// commit), not written with a rollback journal.
    logged: bool,
    /// Dates and timestamps as text, with the days met so far in the batch.
    text: Text,
}

/// An open transaction, whatever its engine.
pub(super) enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// The ledger INSERT, in both engines' placeholder syntax.
fn ledger_insert() -> String {
    format!(
        "INSERT INTO ingest_batches ({LEDGER_COLUMNS}, batch_no) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    )
}

impl Store {
    /// Opens a batch of `register`.
    pub async fn begin_batch(
        &self,
        register: &'static Register,
    ) -> Result<BatchWriter, StoreError> {
        let table = register.table();
        let keyed = !register.key_columns.is_empty();
        let (engine, batch_no) = match self {
            Store::Sqlite(_) => {
                let path = self.sqlite_file()?.expect("a SQLite store has a file");
                let (conn, batch_no, filled, logged) =
                    blocking(move || sqlite_begin(&path, &table)).await?;
                let sorted = keyed.then(|| {
                    if filled {
                        SortedRows::new(register)
                    } else {
                        SortedRows::streaming(register)
                    }
                });
                let batch = SqliteBatch {
                    conn,
                    sorted,
                    filled,
                    logged,
                    text: Text::with_days(),
                };
                (Engine::Sqlite(Some(Box::new(batch))), batch_no)
            }
            Store::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                let (staging, sorted, key) = if keyed {
                    // One batch of a keyed register at a time (readers are
                    // not held up, save by a first batch: see
                    // `drop_primary_key`): whether it has rows holds until
                    // the commit.
                    sqlx::query(&format!("LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE"))
                        .execute(&mut *tx)
                        .await?;
                    let (filled,): (bool,) =
                        sqlx::query_as(&format!("SELECT EXISTS (SELECT 1 FROM {table})"))
                            .fetch_one(&mut *tx)
                            .await?;
                    if filled {
                        let name = format!("stage_{table}");
                        sqlx::query(&format!(
                            "CREATE TEMPORARY TABLE {name} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP"
                        ))
                        .execute(&mut *tx)
                        .await?;
                        (Some(name), None, None)
                    } else {
                        let key = drop_primary_key(&mut tx, &table).await?;
                        (None, Some(SortedRows::streaming(register)), key)
                    }
                } else {
                    (None, None, None)
                };
                let (batch_no,): (i64,) = sqlx::query_as("SELECT nextval('ingest_batch_no')")
                    .fetch_one(&mut *tx)
                    .await?;
                let columns = stored_columns(register);
                let types = copy::column_types(&mut tx, &table, &columns).await?;
                let encoder = Encoder::new(table.clone(), columns, types, batch_no)?;
                let target = staging.clone().unwrap_or_else(|| table.clone());
                let copy = CopyStream::open(tx, &target, &column_list(register));
                let batch = PgBatch {
                    copy,
                    encoder: Some(encoder),
                    staging,
                    sorted,
                    key,
                };
                (Engine::Postgres(Box::new(batch)), batch_no)
            }
        };
        Ok(BatchWriter {
            register,
            batch_no,
            engine,
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

/// Runs `work` on a blocking thread.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| StoreError::Corrupt(format!("the database thread failed: {e}")))?
}

/// Opens a batch's own connection to the SQLite file at `path`, takes the
/// write lock and numbers the batch; also tells whether `table` has rows
/// and whether the file is in WAL mode.
fn sqlite_begin(
    path: &std::path::Path,
    table: &str,
) -> Result<(rusqlite::Connection, i64, bool, bool), StoreError> {
    let conn = rusqlite::Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(SQLITE_BUSY_TIMEOUT)?;
    let journal: String = conn.query_row("PRAGMA journal_mode", [], |row| row.get(0))?;
    let logged = journal.eq_ignore_ascii_case("wal");
    conn.execute_batch(&if logged {
        // As the pool's connections: in WAL mode NORMAL never corrupts
        // the database, and a killed process loses nothing committed.
        format!(
            "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -{SQLITE_CACHE_KIB}; BEGIN IMMEDIATE"
        )
    } else {
        // The store is this process's alone (`Store::connect_alone`): the
        // journal keeps the pages the batch changes, new pages go straight
        // into the file, so a small cache does.
        format!(
            "PRAGMA journal_mode = TRUNCATE; PRAGMA synchronous = FULL; \
             PRAGMA cache_size = -{SQLITE_JOURNAL_CACHE_KIB}; BEGIN IMMEDIATE"
        )
    })?;
    // The write lock is held: no other batch can take the same number.
    let batch_no = conn.query_row(
        "SELECT COALESCE(MAX(batch_no), 0) + 1 FROM ingest_batches",
        [],
        |row| row.get(0),
    )?;
    let filled = conn.query_row(
        &format!("SELECT EXISTS (SELECT 1 FROM {table})"),
        [],
        |row| row.get(0),
    )?;
    Ok((conn, batch_no, filled, logged))
}

impl BatchWriter {
    /// Writes validated rows (values in catalogue order); hands the rows
    /// back, to be emptied and filled again.
    pub async fn write(&mut self, rows: Rows) -> Result<Rows, StoreError> {
        if rows.is_empty() {
            return Ok(rows);
        }
        let register = self.register;
        let batch_no = self.batch_no;
        match &mut self.engine {
            Engine::Sqlite(slot) => {
                let mut batch = slot.take().expect("the connection is back after each step");
                let (batch, rows, written) = tokio::task::spawn_blocking(move || {
                    let SqliteBatch {
                        conn, sorted, text, ..
                    } = &mut *batch;
                    let values = rows.values();
                    let written = match sorted {
                        Some(sorted) => {
                            let now = sorted.in_order(&rows) * rows.width();
                            let (now, later) = values.split_at(now);
                            let arena = rows.arena();
                            sqlite_insert(conn, register, now, arena, batch_no, text).and_then(
                                |()| {
                                    later
                                        .chunks_exact(rows.width())
                                        .try_for_each(|row| sorted.push(row, arena))
                                },
                            )
                        }
                        None => sqlite_insert(conn, register, values, rows.arena(), batch_no, text),
                    };
                    (batch, rows, written)
                })
                .await
                .map_err(|e| StoreError::Corrupt(format!("the database thread failed: {e}")))?;
                *slot = Some(batch);
                written?;
                Ok(rows)
            }
            Engine::Postgres(batch) => {
                let PgBatch {
                    copy,
                    encoder,
                    sorted,
                    ..
                } = &mut **batch;
                let width = rows.width();
                let now = match sorted {
                    Some(sorted) => sorted.in_order(&rows),
                    None => rows.len(),
                };
                let (now, later) = rows.values().split_at(now * width);
                if !now.is_empty() {
                    let mut data = Vec::with_capacity(now.len() * 16);
                    let encoder = encoder
                        .as_mut()
                        .expect("the encoder is back after each step");
                    encoder.encode(now, rows.arena(), &mut data)?;
                    copy.send(data).await?;
                }
                if later.is_empty() {
                    return Ok(rows);
                }
                // Rows out of key order are sorted, on a blocking thread
                // (a run that fills up goes to a temporary file).
                let skip = now.len();
                let mut gathering = sorted
                    .take()
                    .expect("the sorted rows are back after each step");
                let (gathering, rows, pushed) = tokio::task::spawn_blocking(move || {
                    let arena = rows.arena();
                    let pushed = rows.values()[skip..]
                        .chunks_exact(width)
                        .try_for_each(|row| gathering.push(row, arena));
                    (gathering, rows, pushed)
                })
                .await
                .map_err(|e| StoreError::Corrupt(format!("the sorting thread failed: {e}")))?;
                *sorted = Some(gathering);
                pushed?;
                Ok(rows)
            }
        }
    }

    /// Merges staged rows, inserts the ledger row and commits: the batch
    /// becomes visible.
    pub async fn commit(self, ledger: &BatchRecord) -> Result<(), StoreError> {
        let register = self.register;
        let table = register.table();
        let batch_no = self.batch_no;
        match self.engine {
            Engine::Sqlite(batch) => {
                let SqliteBatch {
                    conn,
                    sorted,
                    filled,
                    logged,
                    ..
                } = *batch.expect("the connection is back after each step");
                let ledger = ledger.clone();
                blocking(move || {
                    if let Some(sorted) = sorted {
                        let started = std::time::Instant::now();
                        sqlite_insert_sorted(&conn, register, sorted, batch_no, filled)?;
                        log::debug!(
                            "{table}: wrote the batch in key order in {:.2} s",
                            started.elapsed().as_secs_f64()
                        );
                    }
                    crate::failpoint::hit("ingest-before-ledger");
                    conn.execute(
                        &ledger_insert(),
                        rusqlite::params![
                            ledger.batch_id,
                            ledger.register,
                            ledger.file_name,
                            ledger.content_sha256,
                            ledger.rows_read,
                            ledger.rows_added,
                            ledger.rows_rejected,
                            ledger.first_error,
                            ledger.started_at,
                            ledger.published_at,
                            batch_no,
                        ],
                    )?;
                    crate::failpoint::hit("ingest-before-commit");
                    let started = std::time::Instant::now();
                    conn.execute_batch("COMMIT")?;
                    if logged {
                        // Copy the batch from the write-ahead log into the
                        // database now, so the next write does not pay for
                        // it and the log does not keep the size of the
                        // batch.
                        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
                    }
                    log::debug!(
                        "{table}: committed{} in {:.2} s",
                        if logged { " and checkpointed" } else { "" },
                        started.elapsed().as_secs_f64()
                    );
                    Ok(())
                })
                .await?;
            }
            Engine::Postgres(batch) => {
                let PgBatch {
                    copy,
                    encoder,
                    staging,
                    sorted,
                    key,
                } = *batch;
                if let Some(sorted) = sorted {
                    let started = std::time::Instant::now();
                    let mut encoder = encoder.expect("the encoder is back after each step");
                    let feeder = copy.feeder();
                    let copied = tokio::task::spawn_blocking(move || {
                        copy_sorted(sorted, &mut encoder, &feeder)
                    })
                    .await
                    .map_err(|e| StoreError::Corrupt(format!("the sorting thread failed: {e}")))?;
                    if let Err(e) = copied {
                        // The COPY's own error, if it failed first.
                        copy.finish().await?;
                        return Err(e);
                    }
                    log::debug!(
                        "{table}: sent the batch in key order in {:.2} s",
                        started.elapsed().as_secs_f64()
                    );
                }
                let mut tx = copy.finish().await?;
                if let Some(key) = &key {
                    let started = std::time::Instant::now();
                    build_primary_key(&mut tx, &table, key).await?;
                    log::debug!(
                        "{table}: built the key in {:.2} s",
                        started.elapsed().as_secs_f64()
                    );
                }
                if let Some(staging) = &staging {
                    let [update, insert] = merge_statements(register, staging);
                    sqlx::query(&update).execute(&mut *tx).await?;
                    sqlx::query(&insert).execute(&mut *tx).await?;
                }
                crate::failpoint::hit("ingest-before-ledger");
                sqlx::query(&ledger_insert())
                    .bind(&ledger.batch_id)
                    .bind(&ledger.register)
                    .bind(&ledger.file_name)
                    .bind(&ledger.content_sha256)
                    .bind(ledger.rows_read)
                    .bind(ledger.rows_added)
                    .bind(ledger.rows_rejected)
                    .bind(&ledger.first_error)
                    .bind(&ledger.started_at)
                    .bind(&ledger.published_at)
                    .bind(batch_no)
                    .execute(&mut *tx)
                    .await?;
                crate::failpoint::hit("ingest-before-commit");
                tx.commit().await?;
            }
        }
        Ok(())
    }

    /// Drops everything written in this batch.
    pub async fn rollback(self) -> Result<(), StoreError> {
        match self.engine {
            // Closing the connection rolls its transaction back.
            Engine::Sqlite(batch) => {
                if let Some(batch) = batch {
                    let SqliteBatch { conn, .. } = *batch;
                    blocking(move || Ok(conn.execute_batch("ROLLBACK")?)).await?;
                }
            }
            Engine::Postgres(batch) => {
                if let Some(tx) = batch.copy.cancel().await? {
                    tx.rollback().await?;
                }
            }
        }
        Ok(())
    }
}

/// Drops the primary key of `table`, an empty register's, for the batch
/// that fills it: PostgreSQL then writes (and logs) no index entry per row,
/// and [`build_primary_key`] builds the index from all rows at once, in a
/// sort that finds them in order, logged page by page. Altering the table
/// takes its lock from readers too, until the commit: a reader of the
/// register waits for its first batch instead of reading it empty. Nothing
/// of this outlives the transaction: a batch that fails, or a process
/// killed meanwhile, leaves the key as it was.
async fn drop_primary_key(
    tx: &mut Transaction<'static, Postgres>,
    table: &str,
) -> Result<Option<PrimaryKey>, StoreError> {
    let key: Option<(String, String)> = sqlx::query_as(
        "SELECT conname::text, pg_get_constraintdef(oid) FROM pg_constraint \
         WHERE conrelid = $1::regclass AND contype = 'p'",
    )
    .bind(table)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((name, definition)) = key else {
        return Ok(None);
    };
    let key = PrimaryKey { name, definition };
    sqlx::query(&format!(
        "ALTER TABLE {table} DROP CONSTRAINT {}",
        quoted(&key.name)
    ))
    .execute(&mut **tx)
    .await?;
    Ok(Some(key))
}

/// Adds `key`, dropped by [`drop_primary_key`], to `table` again. A row
/// key that repeats fails the batch (the validator lets none through).
async fn build_primary_key(
    tx: &mut Transaction<'static, Postgres>,
    table: &str,
    key: &PrimaryKey,
) -> Result<(), StoreError> {
    sqlx::query(&format!(
        "SET LOCAL maintenance_work_mem = '{PG_KEY_BUILD_MEMORY}'"
    ))
    .execute(&mut **tx)
    .await?;
    sqlx::query(&format!(
        "ALTER TABLE {table} ADD CONSTRAINT {} {}",
        quoted(&key.name),
        key.definition
    ))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// `name` as a PostgreSQL quoted identifier.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Inserts rows — `values`, a row's values after another's — into the
/// register's table with prepared statements of
/// [`SQLITE_ROWS_PER_STATEMENT`] rows (and one of a single row for the
/// rest), binding each value (the batch's number is in the statement).
///
/// `OR FAIL`: a statement that fails keeps the rows it inserted before
/// the failure, where a plain INSERT undoes them. The batch is rolled back
/// whole on any failure, so that undo is never needed, and it is costly:
/// for it SQLite copies every page a many-row statement changes into a
/// statement journal first — the last leaf page of the table, 16 KiB, for
/// every 32 rows, and a temporary file once that journal outgrows memory.
/// Without it an `ssr` extract took a fifth less CPU time.
fn sqlite_insert(
    conn: &rusqlite::Connection,
    register: &Register,
    values: &[Value],
    arena: &[u8],
    batch_no: i64,
    text: &mut Text,
) -> Result<(), StoreError> {
    let sql = |count: usize| insert_statement(register, batch_no, count);
    let width = register.columns.len();
    let mut insert = |statement: &mut bulk::Insert<'_>, values: &[Value]| {
        let mut bindings = statement.bindings();
        for value in values {
            bind_value(&mut bindings, value, arena, text)?;
        }
        bindings.execute()
    };
    let mut chunks = values.chunks_exact(SQLITE_ROWS_PER_STATEMENT * width);
    if chunks.len() > 0 {
        let mut statement = bulk::Insert::prepare(conn, &sql(SQLITE_ROWS_PER_STATEMENT))?;
        for chunk in &mut chunks {
            insert(&mut statement, chunk)?;
        }
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut statement = bulk::Insert::prepare(conn, &sql(1))?;
        for row in rest.chunks_exact(width) {
            insert(&mut statement, row)?;
        }
    }
    Ok(())
}

/// Binds `value` as the next parameter: text where it lies in `arena` (or
/// the catalogue), dates and timestamps as the text SQLite keeps (copied
/// from `text`).
fn bind_value<'v>(
    bindings: &mut bulk::Bindings<'_, '_, 'v>,
    value: &'v Value,
    arena: &'v [u8],
    text: &mut Text,
) -> rusqlite::Result<()> {
    match value {
        Value::Null => bindings.null(),
        Value::Text(_) | Value::Code(_) => {
            bindings.text(value.bytes(arena).expect("text values have bytes"))
        }
        Value::Int(v) => bindings.int(*v),
        Value::Real(v) => bindings.real(*v),
        Value::Date(v) => bindings.copied(text.date(*v)),
        Value::Timestamp(v) => bindings.copied(text.timestamp(*v)),
    }
}

/// The INSERT of `count` rows of the batch numbered `batch_no` (see
/// [`sqlite_insert`] for `OR FAIL`).
fn insert_statement(register: &Register, batch_no: i64, count: usize) -> String {
    format!(
        "INSERT OR FAIL INTO {} ({}) VALUES {}",
        register.table(),
        column_list(register),
        vec![values_of_a_row(register, batch_no); count].join(", ")
    )
}

/// The VALUES tuple of one row: a parameter per column, then the batch's
/// number.
fn values_of_a_row(register: &Register, batch_no: i64) -> String {
    format!(
        "({}, {batch_no})",
        vec!["?"; register.columns.len()].join(", ")
    )
}

/// Days whose text [`Text::with_days`] keeps: a register's dates mostly
/// fall in the year or two of its extract.
const DAYS_KEPT: usize = 1024;

/// A buffer for dates and timestamps in the text SQLite keeps.
#[derive(Default)]
pub(super) struct Text {
    buf: [u8; 19],
    /// The text of days met before, by day number modulo [`DAYS_KEPT`]
    /// (none unless made by [`Text::with_days`]).
    days: Vec<(i32, [u8; 10])>,
}

impl Text {
    /// A buffer that keeps the text of the days it formats, for the many
    /// rows of an insert.
    pub(super) fn with_days() -> Text {
        Text {
            buf: [0; 19],
            days: vec![(i32::MIN, [0; 10]); DAYS_KEPT],
        }
    }

    /// `YYYY-MM-DD`.
    pub(super) fn date(&mut self, date: NaiveDate) -> &[u8] {
        if self.days.is_empty() {
            self.format_date(date);
        } else {
            let day = date.num_days_from_ce();
            let at = day.rem_euclid(DAYS_KEPT as i32) as usize;
            if self.days[at].0 == day {
                let text = self.days[at].1;
                self.buf[..10].copy_from_slice(&text);
            } else {
                self.format_date(date);
                self.days[at] = (day, self.buf[..10].try_into().expect("ten bytes"));
            }
        }
        &self.buf[..10]
    }

    fn format_date(&mut self, date: NaiveDate) {
        self.put(0, date.year() as u32, 4);
        self.buf[4] = b'-';
        self.put(5, date.month(), 2);
        self.buf[7] = b'-';
        self.put(8, date.day(), 2);
    }

    /// `YYYY-MM-DD HH:MM:SS`.
    pub(super) fn timestamp(&mut self, at: NaiveDateTime) -> &[u8] {
        self.date(at.date());
        self.buf[10] = b' ';
        self.put(11, at.hour(), 2);
        self.buf[13] = b':';
        self.put(14, at.minute(), 2);
        self.buf[16] = b':';
        self.put(17, at.second(), 2);
        &self.buf[..19]
    }

    fn put(&mut self, at: usize, mut n: u32, digits: usize) {
        for i in (at..at + digits).rev() {
            self.buf[i] = b'0' + (n % 10) as u8;
            n /= 10;
        }
    }
}

/// Writes a keyed batch's sorted rows in key order: inserted into a
/// register that had no rows when the batch began (beside any rows of the
/// batch written as they came), [`SQLITE_ROWS_PER_STATEMENT`] rows to a
/// statement as [`sqlite_insert`] does; upserted by key, a row at a time,
/// into one that had.
fn sqlite_insert_sorted(
    conn: &rusqlite::Connection,
    register: &Register,
    sorted: SortedRows,
    batch_no: i64,
    filled: bool,
) -> Result<(), StoreError> {
    let width = register.columns.len();
    let per = if filled { 1 } else { SQLITE_ROWS_PER_STATEMENT };
    let mut one = bulk::Insert::prepare(conn, &upsert_statement(register, filled, batch_no))?;
    let mut many = match per {
        1 => None,
        _ => Some(bulk::Insert::prepare(
            conn,
            &insert_statement(register, batch_no, per),
        )?),
    };
    // Rows come `per` at a time: a full group goes into one many-row
    // statement, the last, shorter one row by row.
    sorted.for_each_in_order(per, |values| {
        match &mut many {
            Some(many) if values.len() == per * width => run_stored(many, values)?,
            _ => {
                for row in values.chunks_exact(width) {
                    run_stored(&mut one, row)?;
                }
            }
        }
        Ok(())
    })
}

/// Runs `statement` with `values` bound, text where it lies.
fn run_stored(statement: &mut bulk::Insert<'_>, values: &[Stored<'_>]) -> rusqlite::Result<()> {
    let mut bindings = statement.bindings();
    for value in values {
        match *value {
            Stored::Null => bindings.null()?,
            Stored::Int(v) => bindings.int(v)?,
            Stored::Real(v) => bindings.real(v)?,
            Stored::Text(v) => bindings.text(v)?,
        }
    }
    bindings.execute()
}

/// Encodes a keyed batch's sorted rows and sends them to its `COPY`, in
/// key order, a chunk of about a MiB at a time.
fn copy_sorted(
    sorted: SortedRows,
    encoder: &mut Encoder,
    feeder: &copy::Feeder,
) -> Result<(), StoreError> {
    const CHUNK: usize = 1 << 20;
    let mut data = Vec::with_capacity(CHUNK + CHUNK / 8);
    sorted.for_each_in_order(1024, |values| {
        encoder.encode_stored(values, &mut data)?;
        if data.len() >= CHUNK {
            feeder.send(std::mem::replace(
                &mut data,
                Vec::with_capacity(CHUNK + CHUNK / 8),
            ))?;
        }
        Ok(())
    })?;
    if !data.is_empty() {
        feeder.send(data)?;
    }
    Ok(())
}

/// The stored columns of a register and `batch_no`.
fn stored_columns(register: &Register) -> Vec<&'static str> {
    register
        .columns
        .iter()
        .map(|c| c.stored_name())
        .chain(["batch_no"])
        .collect()
}

/// The stored columns of a register and `batch_no`, comma-separated.
fn column_list(register: &Register) -> String {
    stored_columns(register).join(", ")
}

/// The statements that merge a staging table into its register: rows
/// whose key exists are updated, the others inserted in key order. Plain
/// statements instead of one `INSERT … ON CONFLICT`, which costs a
/// speculative insertion per row.
fn merge_statements(register: &Register, staging: &str) -> [String; 2] {
    let table = register.table();
    let keys = stored_keys(register);
    let same_key = |a: &str, b: &str| {
        keys.iter()
            .map(|k| format!("{a}.{k} = {b}.{k}"))
            .collect::<Vec<_>>()
            .join(" AND ")
    };
    let updates: Vec<String> = not_keys(register)
        .iter()
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
    ]
}

/// The stored names of a register's key columns.
fn stored_keys(register: &Register) -> Vec<&'static str> {
    register
        .key_columns
        .iter()
        .filter_map(|k| register.column(k).map(|c| c.stored_name()))
        .collect()
}

/// The stored columns a row of the same key replaces (`batch_no` too).
fn not_keys(register: &Register) -> Vec<&'static str> {
    let keys = stored_keys(register);
    register
        .columns
        .iter()
        .map(|c| c.stored_name())
        .chain(["batch_no"])
        .filter(|c| !keys.contains(c))
        .collect()
}

/// The single-row INSERT of a register's rows with their batch's
/// number; into a register that has rows (`filled`), an upsert: a row
/// whose key is stored replaces that row's other columns. (Rows come in
/// key order, so the conflict check finds its page where the last row
/// was.)
fn upsert_statement(register: &Register, filled: bool, batch_no: i64) -> String {
    let insert = format!(
        "INSERT INTO {} ({}) VALUES {}",
        register.table(),
        column_list(register),
        values_of_a_row(register, batch_no)
    );
    if !filled {
        return insert;
    }
    let updates: Vec<String> = not_keys(register)
        .iter()
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    format!(
        "{insert} ON CONFLICT ({}) DO UPDATE SET {}",
        stored_keys(register).join(", "),
        updates.join(", ")
    )
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
        let [update, insert] = merge_statements(cpr, "stage");
        assert!(update.starts_with("UPDATE reg_cpr SET birth_date = s.birth_date, "));
        assert!(update.contains("batch_no = s.batch_no"));
        let set = update.split(" FROM ").next().expect("a SET list");
        assert!(!set.contains("pseudonym = ") && !set.contains("valid_from = "));
        assert!(update.ends_with(
            "WHERE reg_cpr.pseudonym = s.pseudonym AND reg_cpr.valid_from = s.valid_from"
        ));
        assert!(insert.starts_with("INSERT INTO reg_cpr (pseudonym, birth_date"));
        assert!(insert.ends_with("ORDER BY s.pseudonym, s.valid_from"));
        assert!(insert.contains("WHERE NOT EXISTS"));
        assert!(column_list(cpr).ends_with(", batch_no"));
    }

    #[test]
    fn dates_read_the_same_from_the_kept_days_as_formatted_anew() {
        let mut kept = Text::with_days();
        let mut plain = Text::default();
        let first = NaiveDate::from_ymd_opt(1850, 1, 1).expect("date");
        // Days a slot apart (1024 days) and days met again.
        let days = (0..70_000)
            .step_by(97)
            .chain((0..70_000).step_by(1024))
            .chain(0..3000);
        for day in days {
            let date = first + chrono::Days::new(day);
            let expected = date.format("%Y-%m-%d").to_string();
            assert_eq!(kept.date(date), expected.as_bytes());
            assert_eq!(plain.date(date), expected.as_bytes());
        }
        let at = NaiveDate::from_ymd_opt(2024, 2, 29)
            .and_then(|d| d.and_hms_opt(7, 5, 9))
            .expect("timestamp");
        assert_eq!(kept.timestamp(at), b"2024-02-29 07:05:09");
    }

    #[test]
    fn keyed_rows_are_upserted_into_a_filled_register_only() {
        let cpr = RegisterId::Cpr.def();
        let first = upsert_statement(cpr, false, 17);
        assert!(first.starts_with("INSERT INTO reg_cpr (pseudonym, birth_date"));
        assert!(!first.contains("ON CONFLICT"));
        assert_eq!(first.matches('?').count(), cpr.columns.len());
        assert!(first.ends_with(", 17)"));
        let upsert = upsert_statement(cpr, true, 17);
        assert!(upsert.contains(
            " ON CONFLICT (pseudonym, valid_from) DO UPDATE SET birth_date = excluded.birth_date, "
        ));
        assert!(upsert.ends_with("batch_no = excluded.batch_no"));
        assert!(
            !upsert.contains("pseudonym = excluded") && !upsert.contains("valid_from = excluded")
        );
    }
}
