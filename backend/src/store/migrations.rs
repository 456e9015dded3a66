//! Migrations, embedded in the binary: one folder per engine, same
//! version numbers, so both schemas move together.

use std::borrow::Cow;

use futures_util::future::BoxFuture;
use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};

/// (version, description, SQL) of every SQLite migration.
const SQLITE: &[(i64, &str, &str)] = &[
    (
        1,
        "skeleton",
        include_str!("../../migrations/sqlite/0001_skeleton.sql"),
    ),
    (
        2,
        "registers",
        include_str!("../../migrations/sqlite/0002_registers.sql"),
    ),
    (
        3,
        "access",
        include_str!("../../migrations/sqlite/0003_access.sql"),
    ),
    (
        4,
        "sor municipality",
        include_str!("../../migrations/sqlite/0004_sor_municipality.sql"),
    ),
    (
        5,
        "tile scopes",
        include_str!("../../migrations/sqlite/0005_tile_scopes.sql"),
    ),
    (
        6,
        "batch numbers",
        include_str!("../../migrations/sqlite/0006_batch_numbers.sql"),
    ),
    (
        7,
        "keyed without rowid",
        include_str!("../../migrations/sqlite/0007_keyed_without_rowid.sql"),
    ),
    (
        8,
        "byte order keys",
        include_str!("../../migrations/sqlite/0008_byte_order_keys.sql"),
    ),
];

/// (version, description, SQL) of every PostgreSQL migration.
const POSTGRES: &[(i64, &str, &str)] = &[
    (
        1,
        "skeleton",
        include_str!("../../migrations/postgres/0001_skeleton.sql"),
    ),
    (
        2,
        "registers",
        include_str!("../../migrations/postgres/0002_registers.sql"),
    ),
    (
        3,
        "access",
        include_str!("../../migrations/postgres/0003_access.sql"),
    ),
    (
        4,
        "sor municipality",
        include_str!("../../migrations/postgres/0004_sor_municipality.sql"),
    ),
    (
        5,
        "tile scopes",
        include_str!("../../migrations/postgres/0005_tile_scopes.sql"),
    ),
    (
        6,
        "batch numbers",
        include_str!("../../migrations/postgres/0006_batch_numbers.sql"),
    ),
    (
        7,
        "keyed without rowid",
        include_str!("../../migrations/postgres/0007_keyed_without_rowid.sql"),
    ),
    (
        8,
        "byte order keys",
        include_str!("../../migrations/postgres/0008_byte_order_keys.sql"),
    ),
];

#[derive(Debug)]
struct Embedded(&'static [(i64, &'static str, &'static str)]);

impl MigrationSource<'static> for Embedded {
    fn resolve(self) -> BoxFuture<'static, Result<Vec<Migration>, BoxDynError>> {
        Box::pin(async move {
            Ok(self
                .0
                .iter()
                .map(|(version, description, sql)| {
                    Migration::new(
                        *version,
                        Cow::Borrowed(*description),
                        MigrationType::Simple,
                        Cow::Borrowed(*sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

pub(super) async fn sqlite() -> Result<Migrator, sqlx::migrate::MigrateError> {
    Migrator::new(Embedded(SQLITE)).await
}

pub(super) async fn postgres() -> Result<Migrator, sqlx::migrate::MigrateError> {
    Migrator::new(Embedded(POSTGRES)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_engines_have_the_same_migration_versions() {
        fn versions(m: &[(i64, &'static str, &str)]) -> Vec<(i64, &'static str)> {
            m.iter().map(|(v, d, _)| (*v, *d)).collect()
        }
        assert_eq!(versions(SQLITE), versions(POSTGRES));
    }
}
