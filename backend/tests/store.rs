//! The store contract, run on SQLite and on PostgreSQL.

mod support;

use shared::api::BatchStatus;
use shared::register::RegisterId;
use tvaers::ingest::{self, Batch, GpContactRecord, IngestError};
use tvaers::release;
use tvaers::store::{BatchRecord, Store};

use support::{csv_rows, key, population};

on_both_engines!(
    ingested_counts_equal_generated_rows,
    replaying_a_batch_changes_nothing,
    a_failed_publish_leaves_nothing_behind,
    rebuilding_the_same_data_gives_the_same_release,
);

async fn ingest_file(
    store: &Store,
    register: RegisterId,
    path: &std::path::Path,
) -> shared::api::IngestReport {
    let bytes = std::fs::read(path).expect("read extract");
    let name = path.display().to_string();
    ingest::ingest(
        store,
        &key(),
        Batch {
            register,
            file_name: &name,
            format: ingest::ExtractFormat::Csv,
            bytes: &bytes,
            batch_id: None,
        },
    )
    .await
    .expect("ingests")
}

async fn ingested_counts_equal_generated_rows(store: &Store) {
    let (dir, _) = population(400, 11);
    let cpr = dir.path().join("cpr.csv");
    let ssr = dir.path().join("ssr.csv");
    let report = ingest_file(store, RegisterId::Cpr, &cpr).await;
    assert_eq!(report.status, BatchStatus::Published);
    assert_eq!(report.rows_added, csv_rows(&cpr));
    ingest_file(store, RegisterId::Ssr, &ssr).await;
    let counts = store.counts().await.expect("counts");
    assert_eq!(counts.persons as u64, csv_rows(&cpr));
    assert_eq!(counts.gp_contacts as u64, csv_rows(&ssr));
    assert_eq!(counts.batches, 2);
}

async fn replaying_a_batch_changes_nothing(store: &Store) {
    let (dir, _) = population(200, 12);
    let ssr = dir.path().join("ssr.csv");
    ingest_file(store, RegisterId::Ssr, &ssr).await;
    let before = store.counts().await.expect("counts");

    let again = ingest_file(store, RegisterId::Ssr, &ssr).await;
    assert_eq!(again.status, BatchStatus::AlreadyIngested);
    assert_eq!(again.rows_added, 0);
    // The same content under another batch id is still a replay.
    let bytes = std::fs::read(&ssr).expect("read");
    let renamed = ingest::ingest(
        store,
        &key(),
        Batch {
            register: RegisterId::Ssr,
            file_name: "x.csv",
            format: ingest::ExtractFormat::Csv,
            bytes: &bytes,
            batch_id: Some("another-id"),
        },
    )
    .await
    .expect("replay");
    assert_eq!(renamed.status, BatchStatus::AlreadyIngested);
    assert_eq!(store.counts().await.expect("counts"), before);

    // A batch id reused for different content is refused.
    let (other, _) = population(50, 13);
    let other_bytes = std::fs::read(other.path().join("ssr.csv")).expect("read");
    let err = ingest::ingest(
        store,
        &key(),
        Batch {
            register: RegisterId::Ssr,
            file_name: "y.csv",
            format: ingest::ExtractFormat::Csv,
            bytes: &other_bytes,
            batch_id: Some(&again.batch_id),
        },
    )
    .await
    .expect_err("conflict");
    assert!(
        matches!(err, IngestError::BatchIdConflict { .. }),
        "{err:?}"
    );
    assert_eq!(store.counts().await.expect("counts"), before);
}

async fn a_failed_publish_leaves_nothing_behind(store: &Store) {
    let (dir, _) = population(100, 14);
    let first = ingest_file(store, RegisterId::Cpr, &dir.path().join("cpr.csv")).await;
    let before = store.counts().await.expect("counts");

    // More rows than one INSERT holds, and a ledger row that collides with
    // the first batch's: the failure comes after rows were written inside
    // the transaction, which must roll all of them back.
    let pseudonym = ingest::PseudonymKey::from_hex(&"11".repeat(32))
        .expect("key")
        .pseudonymise(&ingest::Cpr::parse("0101801234").expect("cpr"));
    let rows: Vec<GpContactRecord> = (0..2500)
        .map(|_| GpContactRecord {
            pseudonym: pseudonym.clone(),
            contact_date: chrono::NaiveDate::from_ymd_opt(2024, 5, 1).expect("date"),
            provider_number: "101001".into(),
            contact_type: shared::register::GpContactType::Phone,
        })
        .collect();
    let colliding = BatchRecord {
        batch_id: first.batch_id.clone(),
        register: "ssr".into(),
        file_name: "collides.csv".into(),
        content_sha256: "0".repeat(64),
        rows_read: 2500,
        rows_added: 2500,
        published_at: "2026-01-01T00:00:00Z".into(),
    };
    assert!(store.publish_gp_contacts(&colliding, &rows).await.is_err());
    assert_eq!(store.counts().await.expect("counts"), before);
}

async fn rebuilding_the_same_data_gives_the_same_release(store: &Store) {
    let (dir, _) = population(300, 15);
    ingest_file(store, RegisterId::Cpr, &dir.path().join("cpr.csv")).await;
    ingest_file(store, RegisterId::Ssr, &dir.path().join("ssr.csv")).await;
    let first = release::build(store).await.expect("build");
    assert!(first.published);
    let second = release::build(store).await.expect("rebuild");
    assert!(!second.published);
    assert_eq!(first.release, second.release);
    let (current, tiles) = store
        .latest_release()
        .await
        .expect("read")
        .expect("a release");
    assert_eq!(current.id, first.release);
    assert_eq!(tiles.len(), first.tiles.len());
    let bytes = store
        .tile_bytes(&tiles[0].id)
        .await
        .expect("read")
        .expect("tile");
    assert_eq!(bytes, first.tiles[0].bytes);
}

#[actix_web::test]
async fn both_engines_build_byte_identical_tiles() {
    let (dir, _) = population(300, 16);
    let (sqlite, _tmp) = support::sqlite_store().await;
    let postgres = support::postgres_store().await;
    let mut releases = Vec::new();
    for store in [&sqlite, &postgres] {
        ingest_file(store, RegisterId::Cpr, &dir.path().join("cpr.csv")).await;
        ingest_file(store, RegisterId::Ssr, &dir.path().join("ssr.csv")).await;
        releases.push(release::build(store).await.expect("build"));
    }
    assert_eq!(releases[0].release, releases[1].release);
    assert_eq!(releases[0].tiles[0].bytes, releases[1].tiles[0].bytes);
}
