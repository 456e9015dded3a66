//! Test fixtures: fresh stores on either engine, a key, a generated
//! population.

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the fixtures"
)]

pub mod postgres;

/// Runs each named async test body (`async fn name(store: &Store)` in the
/// crate root) against a fresh store of each engine.
#[macro_export]
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[actix_web::test]
                async fn $name() {
                    let (store, _dir) = $crate::support::sqlite_store().await;
                    $crate::$name(&store).await;
                }
            )*
        }
        mod postgres {
            $(
                #[actix_web::test]
                async fn $name() {
                    let store = $crate::support::postgres_store().await;
                    $crate::$name(&store).await;
                }
            )*
        }
    };
}

use std::path::Path;

use tempfile::TempDir;
use tvaers::generate::{self, Generated};
use tvaers::ingest::PseudonymKey;
use tvaers::store::Store;

/// A fresh SQLite store in a temporary folder (kept alive by the `TempDir`).
pub async fn sqlite_store() -> (Store, TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite:{}", dir.path().join("test.db").display());
    (Store::connect(&url).await.expect("sqlite store"), dir)
}

/// A fresh PostgreSQL store: a new database on the test server.
pub async fn postgres_store() -> Store {
    let url = postgres::fresh_database().await;
    Store::connect(&url).await.expect("postgres store")
}

/// A fixed test key.
pub fn key() -> PseudonymKey {
    PseudonymKey::from_hex(&"5a".repeat(32)).expect("key")
}

/// Generated CSV extracts of every register for `persons` persons in 2024.
pub fn population(persons: u64, seed: u64) -> (TempDir, Generated) {
    let dir = tempfile::tempdir().expect("tempdir");
    let options = generate::Options::new(persons, 2024, seed, dir.path().to_path_buf());
    let generated = generate::generate(&options, |_| {}).expect("generate");
    (dir, generated)
}

/// Rows the store holds for `register`.
pub async fn register_rows(store: &Store, register: shared::register::RegisterId) -> i64 {
    store
        .register_counts()
        .await
        .expect("counts")
        .into_iter()
        .find(|(r, _)| *r == register)
        .map(|(_, n)| n)
        .expect("every register is counted")
}

/// Data rows of a CSV file, counted independently of the code under test.
pub fn csv_rows(path: &Path) -> u64 {
    let text = std::fs::read_to_string(path).expect("read csv");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .count() as u64
}

/// A connection that holds the SQLite file at `path` open, as another
/// process's (a running server's) would: it has read from the file.
pub fn hold_open(path: &std::path::Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.query_row("SELECT COUNT(*) FROM ingest_batches", [], |row| {
        row.get::<_, i64>(0)
    })
    .expect("read");
    conn
}
