//! The store: SQLite by default, PostgreSQL for production.
//!
//! One contract, two engines. Every query is written once in SQL that both
//! engines accept (`$n` placeholders, `ON CONFLICT`), and [`with_pool!`]
//! runs the same body against whichever pool is configured; only schema
//! types differ, in the two migration folders. Writes that belong together
//! (a batch and its ledger row, a release and its tiles) happen in one
//! transaction, so readers see all of it or none of it.

mod migrations;

use std::str::FromStr;

use chrono::NaiveDate;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::ConnectOptions;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The `DATABASE_URL` is neither `sqlite:` nor `postgres:`.
    #[error("unsupported database URL (expected sqlite:… or postgres://…): {0}")]
    UnsupportedUrl(String),
    /// The SQLite file's folder could not be created.
    #[error("cannot create the folder for the SQLite database {path}: {source}")]
    CreateDir {
        /// The folder.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Applying migrations failed.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Any other database error.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A direct read of the SQLite file failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A keyed batch's temporary sort files could not be written or read
    /// (a full temporary folder, say); nothing of the batch was stored.
    #[error("sorting the batch by key in temporary files (in {dir}): {0}", dir = std::env::temp_dir().display())]
    Spill(std::io::Error),
    /// The database's schema does not fit the catalogue's values (a
    /// column of another type, or missing).
    #[error("the database schema does not fit the catalogue: {0}")]
    Schema(String),
    /// Stored data is not in the form the schema promises.
    #[error("unexpected data in the store: {0}")]
    Corrupt(String),
}

/// A connection pool to the configured engine.
#[derive(Clone, Debug)]
pub enum Store {
    /// Embedded SQLite file (the default).
    Sqlite(SqlitePool),
    /// PostgreSQL server.
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the active pool, whatever its engine.
macro_rules! with_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            Store::Sqlite($pool) => $body,
            Store::Postgres($pool) => $body,
        }
    };
}

mod bulk;
mod copy;
mod facts;
mod registers;
mod reports;
mod sorted;

pub use facts::{LprContact, Redemption};
pub use registers::BatchWriter;
pub use reports::{ReportChange, SavedReport};

/// A published ingestion batch, as kept in the ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BatchRecord {
    /// Batch id.
    pub batch_id: String,
    /// Register key.
    pub register: String,
    /// File name given at ingestion.
    pub file_name: String,
    /// SHA-256 of the batch's bytes.
    pub content_sha256: String,
    /// Data rows read.
    pub rows_read: i64,
    /// Rows written.
    pub rows_added: i64,
    /// Bad rows left out.
    pub rows_rejected: i64,
    /// The first bad row's error, as JSON.
    pub first_error: Option<String>,
    /// When ingestion started (RFC 3339).
    pub started_at: String,
    /// When it was published (RFC 3339).
    pub published_at: String,
}

/// A period of residence as the aggregation reads it.
#[derive(Clone, Debug)]
pub struct ResidenceRow {
    /// Pseudonym.
    pub pseudonym: String,
    /// Birth date.
    pub birth_date: NaiveDate,
    /// Sex letter (M, K).
    pub sex: String,
    /// Municipality code.
    pub municipality: i16,
    /// First day of the residence.
    pub valid_from: NaiveDate,
    /// First day after it, if it ended.
    pub valid_to: Option<NaiveDate>,
    /// CPR status code.
    pub status: String,
    /// Civil status letter.
    pub civil_status: String,
    /// Address id of the residence.
    pub address_id: String,
}

/// A period in which an address is a nursing home.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NursingHomeRow {
    /// Address id (as in CPR).
    pub address_id: String,
    /// First day.
    pub valid_from: NaiveDate,
    /// First day it no longer is, if it ended.
    pub valid_to: Option<NaiveDate>,
}

/// A row of the SOR register: a hospital (health institution) or a unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SorRow {
    /// SOR id.
    pub sor_id: String,
    /// Name.
    pub name: String,
    /// Whether this is a health institution (else a unit).
    pub institution: bool,
    /// The institution it belongs to (its own id for an institution).
    pub institution_id: String,
    /// Region code.
    pub region: u16,
    /// Municipality of the address (none for rows ingested before it was
    /// recorded).
    pub municipality: Option<u16>,
}

/// A general practice of the provider register.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PracticeRow {
    /// Provider number (ydernummer).
    pub provider_number: String,
    /// Name.
    pub name: String,
    /// Municipality code.
    pub municipality: u16,
    /// GP cluster (0: none).
    pub gp_cluster: u16,
}

/// A person in a RUKS chronic group from a date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChronicRow {
    /// Pseudonym.
    pub pseudonym: String,
    /// Chronic group code.
    pub group: String,
    /// First day in the group.
    pub first_date: NaiveDate,
}

/// A release as the manifest shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Release {
    /// Id and build time.
    pub record: ReleaseRecord,
    /// Its tiles, in manifest order.
    pub tiles: Vec<StoredTile>,
    /// The release built before it.
    pub previous: Option<String>,
    /// That release's tiles.
    pub previous_tiles: Vec<StoredTile>,
}

/// A tile as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredTile {
    /// Content id.
    pub id: String,
    /// Family key.
    pub family: String,
    /// Dimension key.
    pub dimension: String,
    /// Cells.
    pub rows: i64,
    /// Byte length.
    pub size: i64,
    /// The scope of a closed tile (see `docs/access.md`); `None`: public.
    pub scope: Option<String>,
}

/// Which tiles of a release to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tiles<'a> {
    /// Every tile, public and closed.
    All,
    /// The public tiles, and the closed tiles of this scope if any.
    PublicAnd(Option<&'a str>),
}

/// A release as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReleaseRecord {
    /// Release id.
    pub id: String,
    /// When it was built.
    pub created_at: String,
}

type BatchTuple = (
    String,
    String,
    String,
    String,
    i64,
    i64,
    i64,
    Option<String>,
    String,
    String,
);

impl From<BatchTuple> for BatchRecord {
    fn from(t: BatchTuple) -> Self {
        BatchRecord {
            batch_id: t.0,
            register: t.1,
            file_name: t.2,
            content_sha256: t.3,
            rows_read: t.4,
            rows_added: t.5,
            rows_rejected: t.6,
            first_error: t.7,
            started_at: t.8,
            published_at: t.9,
        }
    }
}

/// The page size of a new SQLite database, in bytes.
pub const SQLITE_PAGE_SIZE: u32 = 16 << 10;

/// The connection options of a SQLite store at `url`, whose folder is
/// created when missing.
fn sqlite_options(url: &str) -> Result<SqliteConnectOptions, StoreError> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        // Pages of 16 KiB, for a new database (one that exists keeps
        // its own: WAL mode fixes the size). A bulk insert then
        // writes and checkpoints a quarter as many pages, each a
        // system call: 40 % less CPU for SQLite's part of an
        // ingest, measured here against 4 KiB, 8 KiB and 64 KiB.
        .page_size(SQLITE_PAGE_SIZE)
        .journal_mode(SqliteJournalMode::Wal)
        // In WAL mode NORMAL never corrupts the database; a power
        // cut may lose the last commits, a killed process nothing.
        .synchronous(SqliteSynchronous::Normal)
        // A batch's merge is one long statement by design.
        .log_slow_statements(log::LevelFilter::Debug, std::time::Duration::from_secs(1))
        .foreign_keys(true);
    if let Some(dir) = options.get_filename().parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                path: dir.display().to_string(),
                source,
            })?;
        }
    }
    Ok(options)
}

async fn sqlite_pool(options: SqliteConnectOptions) -> Result<SqlitePool, sqlx::Error> {
    SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await
}

/// Whether a SQLite error code is `SQLITE_BUSY` or `SQLITE_LOCKED` (or
/// one of their extended codes): another connection holds the file.
fn is_busy(code: Option<&str>) -> bool {
    code.and_then(|c| c.parse::<i32>().ok())
        .is_some_and(|c| matches!(c & 0xff, 5 | 6))
}

/// The ledger's columns, in [`BatchTuple`] order.
const LEDGER_COLUMNS: &str = "batch_id, register, file_name, content_sha256, rows_read, \
                              rows_added, rows_rejected, first_error, started_at, published_at";

impl Store {
    /// Connects to `url` and brings the schema up to date. A SQLite file
    /// and its folder are created when missing.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        let store = if url.starts_with("sqlite:") {
            Store::Sqlite(sqlite_pool(sqlite_options(url)?).await?)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url)?
                .log_slow_statements(log::LevelFilter::Debug, std::time::Duration::from_secs(1));
            Store::Postgres(
                PgPoolOptions::new()
                    .max_connections(8)
                    .connect_with(options)
                    .await?,
            )
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_string()));
        };
        store.migrate().await?;
        Ok(store)
    }

    /// Connects for a bulk load by this process alone, as the command line
    /// ingests. A SQLite store that no other process has open leaves its
    /// write-ahead log for a rollback journal while this store is open:
    /// a batch's new pages are then written once, straight into the file,
    /// instead of into the log and again at the checkpoint (national
    /// `ssr`: 8–9 CPU seconds for SQLite's part instead of 21). A batch is
    /// as atomic either way. Another process's [`Store::connect`] waits
    /// for a batch under way (and fails after SQLite's busy timeout);
    /// between batches it returns the file to its log, and later batches
    /// see that and keep to it. A store another process has open (a
    /// running server) keeps its log, and this is [`Store::connect`].
    pub async fn connect_alone(url: &str) -> Result<Store, StoreError> {
        let store = Store::connect(url).await?;
        let Store::Sqlite(pool) = &store else {
            return Ok(store);
        };
        let options = (*pool.connect_options())
            .clone()
            .journal_mode(SqliteJournalMode::Truncate)
            // With a rollback journal, FULL is what survives a power cut.
            .synchronous(SqliteSynchronous::Full);
        pool.close().await;
        match sqlite_pool(options).await {
            Ok(pool) => {
                log::info!("the SQLite store is this process's alone: batches are written without the write-ahead log");
                Ok(Store::Sqlite(pool))
            }
            Err(sqlx::Error::Database(e)) if is_busy(e.code().as_deref()) => {
                log::info!(
                    "another process has the SQLite store open: batches go through its write-ahead log"
                );
                // Migrated already: the ordinary pool again.
                Ok(Store::Sqlite(sqlite_pool(sqlite_options(url)?).await?))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Closes every connection and waits until they are closed. A store
    /// merely dropped closes its connections in the background, so the
    /// file may still be open for a moment after: a process that opens
    /// the file again next (alone, say) closes it first.
    pub async fn close(self) {
        with_pool!(&self, pool => pool.close().await);
    }

    /// The engine's name, for logs.
    pub fn engine(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "SQLite",
            Store::Postgres(_) => "PostgreSQL",
        }
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(pool) => migrations::sqlite().await?.run(pool).await?,
            Store::Postgres(pool) => migrations::postgres().await?.run(pool).await?,
        }
        Ok(())
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        with_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(drop))?;
        Ok(())
    }

    /// The ledger entry of a batch, by id.
    pub async fn batch(&self, batch_id: &str) -> Result<Option<BatchRecord>, StoreError> {
        let sql = format!("SELECT {LEDGER_COLUMNS} FROM ingest_batches WHERE batch_id = $1");
        let row: Option<BatchTuple> = with_pool!(self, pool => sqlx::query_as(&sql).bind(batch_id).fetch_optional(pool).await)?;
        Ok(row.map(BatchRecord::from))
    }

    /// The ledger entry of a batch with this content, if one was published.
    pub async fn batch_by_content(
        &self,
        register: &str,
        content_sha256: &str,
    ) -> Result<Option<BatchRecord>, StoreError> {
        let sql = format!(
            "SELECT {LEDGER_COLUMNS} FROM ingest_batches WHERE register = $1 AND content_sha256 = $2"
        );
        let row: Option<BatchTuple> = with_pool!(self, pool => sqlx::query_as(&sql)
            .bind(register)
            .bind(content_sha256)
            .fetch_optional(pool)
            .await)?;
        Ok(row.map(BatchRecord::from))
    }

    /// Published batches in the ledger.
    pub async fn batch_count(&self) -> Result<i64, StoreError> {
        const SQL: &str = "SELECT COUNT(*) FROM ingest_batches";
        let (n,): (i64,) = with_pool!(self, pool => sqlx::query_as(SQL).fetch_one(pool).await)?;
        Ok(n)
    }

    /// Every period of residence in the CPR register, in no particular
    /// order (aggregation sorts its cells).
    pub async fn residences(&self) -> Result<Vec<ResidenceRow>, StoreError> {
        let mut out = Vec::new();
        self.each_residence(|row| out.push(row)).await?;
        Ok(out)
    }

    /// Every period of residence in the CPR register, one at a time, so
    /// that a national register need not be held as rows.
    pub async fn each_residence(
        &self,
        mut each: impl FnMut(ResidenceRow),
    ) -> Result<(), StoreError> {
        const SQL: &str = "SELECT pseudonym, birth_date, sex, municipality, valid_from, valid_to, \
                           status, civil_status, address_id FROM reg_cpr";
        if let Some(path) = self.sqlite_file()? {
            let date = facts::iso_date;
            return Self::scan_sqlite(&path, SQL, |row| {
                each(ResidenceRow {
                    pseudonym: row.get(0)?,
                    birth_date: date(row.get_ref(1)?.as_str()?)?,
                    sex: row.get(2)?,
                    municipality: row.get(3)?,
                    valid_from: date(row.get_ref(4)?.as_str()?)?,
                    valid_to: row.get_ref(5)?.as_str_or_null()?.map(date).transpose()?,
                    status: row.get(6)?,
                    civil_status: row.get(7)?,
                    address_id: row.get(8)?,
                });
                Ok(())
            });
        }
        type Row = (
            String,
            NaiveDate,
            String,
            i16,
            NaiveDate,
            Option<NaiveDate>,
            String,
            String,
            String,
        );
        self.scan_postgres(SQL, |row: Row| {
            let (
                pseudonym,
                birth_date,
                sex,
                municipality,
                valid_from,
                valid_to,
                status,
                civil_status,
                address_id,
            ) = row;
            each(ResidenceRow {
                pseudonym,
                birth_date,
                sex,
                municipality,
                valid_from,
                valid_to,
                status,
                civil_status,
                address_id,
            });
        })
        .await
    }

    /// The nursing-home addresses with their periods.
    pub async fn nursing_home_addresses(&self) -> Result<Vec<NursingHomeRow>, StoreError> {
        const SQL: &str = "SELECT address_id, valid_from, valid_to FROM reg_nursing_homes";
        let rows: Vec<(String, NaiveDate, Option<NaiveDate>)> =
            with_pool!(self, pool => sqlx::query_as(SQL).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(|(address_id, valid_from, valid_to)| NursingHomeRow {
                address_id,
                valid_from,
                valid_to,
            })
            .collect())
    }

    /// Every row of the SOR register, in SOR id order.
    pub async fn sor(&self) -> Result<Vec<SorRow>, StoreError> {
        const SQL: &str = "SELECT sor_id, name, level, institution_id, CAST(region AS INTEGER), \
                           CAST(municipality AS INTEGER) FROM reg_sor ORDER BY sor_id";
        let rows: Vec<(String, String, String, String, i32, Option<i32>)> =
            with_pool!(self, pool => sqlx::query_as(SQL).fetch_all(pool).await)?;
        rows.into_iter()
            .map(
                |(sor_id, name, level, institution_id, region, municipality)| {
                    Ok(SorRow {
                        municipality: municipality.and_then(|m| u16::try_from(m).ok()),
                        region: u16::try_from(region).map_err(|_| {
                            StoreError::Corrupt(format!("SOR {sor_id}: region {region}"))
                        })?,
                        sor_id,
                        name,
                        institution: level == "institution",
                        institution_id,
                    })
                },
            )
            .collect()
    }

    /// Every general practice of the provider register, in provider-number
    /// order.
    pub async fn general_practices(&self) -> Result<Vec<PracticeRow>, StoreError> {
        const SQL: &str = "SELECT provider_number, name, CAST(municipality AS INTEGER), \
                           CAST(COALESCE(gp_cluster, 0) AS INTEGER) FROM reg_ydr \
                           WHERE provider_type = 'general_practice' ORDER BY provider_number";
        let rows: Vec<(String, String, i32, i32)> =
            with_pool!(self, pool => sqlx::query_as(SQL).fetch_all(pool).await)?;
        rows.into_iter()
            .map(|(provider_number, name, municipality, cluster)| {
                let code = |n: i32, what: &str| {
                    u16::try_from(n).map_err(|_| {
                        StoreError::Corrupt(format!("YDR {provider_number}: {what} {n}"))
                    })
                };
                Ok(PracticeRow {
                    municipality: code(municipality, "municipality")?,
                    gp_cluster: code(cluster, "GP cluster")?,
                    provider_number: provider_number.clone(),
                    name,
                })
            })
            .collect()
    }

    /// Every person's RUKS chronic groups.
    pub async fn chronic_groups(&self) -> Result<Vec<ChronicRow>, StoreError> {
        const SQL: &str = "SELECT pseudonym, chronic_group, first_date FROM reg_ruks";
        if let Some(path) = self.sqlite_file()? {
            let mut out = Vec::new();
            Self::scan_sqlite(&path, SQL, |row| {
                let text = row.get_ref(2)?.as_str()?;
                out.push(ChronicRow {
                    pseudonym: row.get(0)?,
                    group: row.get(1)?,
                    first_date: facts::iso_date(text)?,
                });
                Ok(())
            })?;
            return Ok(out);
        }
        let rows: Vec<(String, String, NaiveDate)> =
            with_pool!(self, pool => sqlx::query_as(SQL).fetch_all(pool).await)?;
        Ok(rows
            .into_iter()
            .map(|(pseudonym, group, first_date)| ChronicRow {
                pseudonym,
                group,
                first_date,
            })
            .collect())
    }

    /// Opens the transaction that publishes a release: its tiles are
    /// written as they are encoded ([`ReleaseWriter::add`]), and the
    /// release that lists them at [`ReleaseWriter::finish`]. Until then no
    /// reader sees any of it.
    pub async fn begin_release(&self) -> Result<ReleaseWriter, StoreError> {
        Ok(ReleaseWriter {
            tx: match self {
                Store::Sqlite(pool) => registers::Tx::Sqlite(pool.begin().await?),
                Store::Postgres(pool) => registers::Tx::Postgres(pool.begin().await?),
            },
            tiles: Vec::new(),
            sqlite_pool: self.sqlite_pool(),
        })
    }

    /// The SQLite pool, when SQLite is the engine.
    fn sqlite_pool(&self) -> Option<SqlitePool> {
        match self {
            Store::Sqlite(pool) => Some(pool.clone()),
            Store::Postgres(_) => None,
        }
    }

    /// The newest release and its tiles.
    pub async fn latest_release(
        &self,
    ) -> Result<Option<(ReleaseRecord, Vec<StoredTile>)>, StoreError> {
        Ok(self.release(None).await?.map(|r| (r.record, r.tiles)))
    }

    /// A release (the newest if `id` is `None`) with its tiles and the
    /// tiles of the release built before it. Releases are kept, so an old
    /// link can still be served.
    pub async fn release(&self, id: Option<&str>) -> Result<Option<Release>, StoreError> {
        self.release_with(id, Tiles::All).await
    }

    /// [`Store::release`] with only the tiles `visible` selects (the
    /// manifest's: public ones and those of the caller's scope).
    pub async fn release_with(
        &self,
        id: Option<&str>,
        visible: Tiles<'_>,
    ) -> Result<Option<Release>, StoreError> {
        const NEWEST: &str = "SELECT id, created_at, seq FROM releases ORDER BY seq DESC LIMIT 1";
        const BY_ID: &str = "SELECT id, created_at, seq FROM releases WHERE id = $1";
        const BEFORE: &str = "SELECT id FROM releases WHERE seq < $1 ORDER BY seq DESC LIMIT 1";
        let found: Option<(String, String, i64)> = with_pool!(self, pool => match id {
            None => sqlx::query_as(NEWEST).fetch_optional(pool).await,
            Some(id) => sqlx::query_as(BY_ID).bind(id).fetch_optional(pool).await,
        })?;
        let Some((id, created_at, seq)) = found else {
            return Ok(None);
        };
        let previous: Option<(String,)> =
            with_pool!(self, pool => sqlx::query_as(BEFORE).bind(seq).fetch_optional(pool).await)?;
        let tiles = self.release_tiles(&id, visible).await?;
        let (previous, previous_tiles) = match previous {
            Some((p,)) => {
                let tiles = self.release_tiles(&p, visible).await?;
                (Some(p), tiles)
            }
            None => (None, Vec::new()),
        };
        Ok(Some(Release {
            record: ReleaseRecord { id, created_at },
            tiles,
            previous,
            previous_tiles,
        }))
    }

    /// The tiles of a release, in manifest order.
    async fn release_tiles(
        &self,
        release: &str,
        visible: Tiles<'_>,
    ) -> Result<Vec<StoredTile>, StoreError> {
        // `$2` is the one scope whose closed tiles are wanted besides the
        // public ones; `$3` asks for every tile.
        const TILES: &str = "SELECT t.id, t.family, t.dimension, t.rows, \
                             CAST(LENGTH(t.bytes) AS BIGINT) AS size, s.scope \
                             FROM release_tiles rt JOIN tiles t ON t.id = rt.tile_id \
                             LEFT JOIN tile_scopes s ON s.tile_id = t.id \
                             WHERE rt.release_id = $1 \
                             AND ($3 OR s.scope IS NULL OR s.scope = $2) \
                             ORDER BY rt.position";
        let (scope, all) = match visible {
            Tiles::All => (None, true),
            Tiles::PublicAnd(scope) => (scope, false),
        };
        let tiles: Vec<(String, String, String, i64, i64, Option<String>)> = with_pool!(self, pool => {
            sqlx::query_as(TILES).bind(release).bind(scope).bind(all).fetch_all(pool).await
        })?;
        Ok(tiles
            .into_iter()
            .map(|(id, family, dimension, rows, size, scope)| StoredTile {
                id,
                family,
                dimension,
                rows,
                size,
                scope,
            })
            .collect())
    }

    /// A tile's bytes.
    pub async fn tile_bytes(&self, id: &str) -> Result<Option<Vec<u8>>, StoreError> {
        const SQL: &str = "SELECT bytes FROM tiles WHERE id = $1";
        let row: Option<(Vec<u8>,)> =
            with_pool!(self, pool => sqlx::query_as(SQL).bind(id).fetch_optional(pool).await)?;
        Ok(row.map(|(b,)| b))
    }

    /// Whether the newest release holds closed tiles of `scope`.
    pub async fn current_release_has_scope(&self, scope: &str) -> Result<bool, StoreError> {
        const SQL: &str =
            "SELECT 1 FROM release_tiles rt JOIN tile_scopes s ON s.tile_id = rt.tile_id \
             WHERE rt.release_id = (SELECT id FROM releases ORDER BY seq DESC LIMIT 1) \
             AND s.scope = $1 LIMIT 1";
        let row: Option<(i32,)> =
            with_pool!(self, pool => sqlx::query_as(SQL).bind(scope).fetch_optional(pool).await)?;
        Ok(row.is_some())
    }

    /// Whether a tile exists, and its scope if it is closed: read before
    /// the bytes, so refusing a closed tile costs no blob read.
    pub async fn tile_scope(&self, id: &str) -> Result<Option<Option<String>>, StoreError> {
        const SQL: &str = "SELECT s.scope FROM tiles t \
                           LEFT JOIN tile_scopes s ON s.tile_id = t.id WHERE t.id = $1";
        let row: Option<(Option<String>,)> =
            with_pool!(self, pool => sqlx::query_as(SQL).bind(id).fetch_optional(pool).await)?;
        Ok(row.map(|(scope,)| scope))
    }
}

/// A release being published: one transaction, opened by
/// [`Store::begin_release`].
pub struct ReleaseWriter {
    tx: registers::Tx,
    /// The ids of the tiles written, in order.
    tiles: Vec<String>,
    /// The SQLite pool, for the checkpoint after the commit.
    sqlite_pool: Option<SqlitePool>,
}

/// Runs `$body` with `$tx` bound to the open transaction, whatever its engine.
macro_rules! with_tx {
    ($writer:expr, $tx:ident => $body:expr) => {
        match $writer {
            registers::Tx::Sqlite($tx) => $body,
            registers::Tx::Postgres($tx) => $body,
        }
    };
}

impl ReleaseWriter {
    /// Writes a tile of the release (nothing when a tile with its id is
    /// stored already: ids are content hashes).
    pub async fn add(&mut self, tile: &StoredTile, bytes: &[u8]) -> Result<(), StoreError> {
        with_tx!(&mut self.tx, tx => {
            sqlx::query(
                "INSERT INTO tiles (id, family, dimension, rows, bytes) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
            )
            .bind(tile.id.as_str())
            .bind(tile.family.as_str())
            .bind(tile.dimension.as_str())
            .bind(tile.rows)
            .bind(bytes)
            .execute(&mut **tx)
            .await?;
            if let Some(scope) = &tile.scope {
                sqlx::query(
                    "INSERT INTO tile_scopes (tile_id, scope) VALUES ($1, $2) \
                     ON CONFLICT (tile_id) DO NOTHING",
                )
                .bind(tile.id.as_str())
                .bind(scope.as_str())
                .execute(&mut **tx)
                .await?;
            }
        });
        self.tiles.push(tile.id.clone());
        Ok(())
    }

    /// Publishes `release`, listing the tiles written in their order, and
    /// commits. Returns `false` when a release with this id exists already
    /// (a replayed build): then the transaction is rolled back and nothing
    /// is written.
    pub async fn finish(self, release: &ReleaseRecord) -> Result<bool, StoreError> {
        let tiles = self.tiles;
        with_tx!(self.tx, tx => {
            let mut tx = tx;
            let exists: Option<(String,)> = sqlx::query_as("SELECT id FROM releases WHERE id = $1")
                .bind(release.id.as_str())
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_some() {
                tx.rollback().await?;
                return Ok(false);
            }
            sqlx::query(
                "INSERT INTO releases (id, seq, created_at) \
                 SELECT $1, COALESCE(MAX(seq), 0) + 1, $2 FROM releases",
            )
            .bind(release.id.as_str())
            .bind(release.created_at.as_str())
            .execute(&mut *tx)
            .await?;
            for (position, id) in tiles.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO release_tiles (release_id, tile_id, position) VALUES ($1, $2, $3)",
                )
                .bind(release.id.as_str())
                .bind(id.as_str())
                .bind(position as i64)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
        });
        // At national size a release's tiles are gigabytes, which the log
        // would otherwise keep, and the next start would read through.
        checkpoint(self.sqlite_pool.as_ref()).await?;
        Ok(true)
    }
}

/// On SQLite (`pool`), copies a large commit from the write-ahead log into
/// the database now and empties the log, so that the next write does not
/// pay for it and the log does not keep the size of the largest commit.
async fn checkpoint(pool: Option<&SqlitePool>) -> Result<(), StoreError> {
    if let Some(pool) = pool {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(pool)
            .await?;
    }
    Ok(())
}
