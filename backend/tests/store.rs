//! The store contract, run on SQLite and on PostgreSQL.

mod support;

use shared::api::BatchStatus;
use shared::register::{RegisterId, REGISTERS};
use tvaers::generate::{self, Format};
use tvaers::ingest::{self, Batch, IngestError, Rows, Value};
use tvaers::release;
use tvaers::store::{BatchRecord, ReportChange, SavedReport, Store};

use support::{csv_rows, key, population};

on_both_engines!(
    every_register_round_trips_as_csv,
    every_register_round_trips_as_arrow,
    every_kind_of_broken_file_is_reported_precisely_and_stores_nothing,
    replaying_a_batch_changes_nothing,
    a_failed_publish_leaves_nothing_behind,
    rebuilding_the_same_data_gives_the_same_release,
    saved_reports_are_kept_changed_and_deleted,
);

async fn ingest_file(
    store: &Store,
    register: RegisterId,
    path: &std::path::Path,
) -> shared::api::IngestReport {
    ingest::ingest(store, &key(), Batch::from_file(register, path))
        .await
        .unwrap_or_else(|e| panic!("{}: {e}: {:?}", path.display(), e.row_errors()))
}

async fn ingest_all(store: &Store, dir: &std::path::Path, extension: &str) {
    for register in REGISTERS {
        let path = dir.join(format!("{}.{extension}", register.key));
        let report = ingest_file(store, register.id, &path).await;
        assert_eq!(report.status, BatchStatus::Published, "{}", register.key);
        assert_eq!(report.rows_rejected, 0, "{}", register.key);
    }
}

async fn counts(store: &Store) -> Vec<(RegisterId, i64)> {
    store.register_counts().await.expect("counts")
}

async fn every_register_round_trips_as_csv(store: &Store) {
    let (dir, generated) = population(400, 11);
    ingest_all(store, dir.path(), "csv").await;
    for (register, stored) in counts(store).await {
        let file = dir.path().join(format!("{}.csv", register.key()));
        // Counted independently of both the generator and the ingestion.
        assert_eq!(stored as u64, csv_rows(&file), "{}", register.key());
        assert_eq!(
            generated.rows(register),
            stored as u64,
            "{}",
            register.key()
        );
        assert!(stored > 0, "{} is empty", register.key());
    }
    assert_eq!(
        store.batch_count().await.expect("batches"),
        REGISTERS.len() as i64
    );
    // Every row leads back to its own batch's ledger row, by number.
    let mut numbers = Vec::new();
    for register in REGISTERS {
        let table = register.table();
        let sql = format!(
            "SELECT COUNT(*), COUNT(b.batch_id), MIN(r.batch_no), MAX(r.batch_no) \
             FROM {table} AS r LEFT JOIN ingest_batches AS b \
             ON b.batch_no = r.batch_no AND b.register = '{}'",
            register.key
        );
        let (rows, in_ledger, first, last): (i64, i64, i64, i64) = match store {
            Store::Sqlite(pool) => sqlx::query_as(&sql).fetch_one(pool).await,
            Store::Postgres(pool) => sqlx::query_as(&sql).fetch_one(pool).await,
        }
        .expect("batch numbers");
        assert_eq!(
            in_ledger, rows,
            "{}: rows without their batch",
            register.key
        );
        assert_eq!(first, last, "{}: one batch, one number", register.key);
        numbers.push(first);
    }
    numbers.sort_unstable();
    numbers.dedup();
    assert_eq!(numbers.len(), REGISTERS.len(), "each batch its own number");
}

async fn every_register_round_trips_as_arrow(store: &Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut options = generate::Options::new(400, 2024, 11, dir.path().to_path_buf());
    options.format = Format::Arrow;
    let generated = generate::generate(&options, |_| {}).expect("generate");
    ingest_all(store, dir.path(), "arrows").await;
    for (register, stored) in counts(store).await {
        let bytes =
            std::fs::read(dir.path().join(format!("{}.arrows", register.key()))).expect("read");
        let rows: usize = arrow_ipc::reader::StreamReader::try_new(bytes.as_slice(), None)
            .expect("stream")
            .map(|b| b.expect("batch").num_rows())
            .sum();
        assert_eq!(stored, rows as i64, "{}", register.key());
        assert_eq!(
            generated.rows(register),
            stored as u64,
            "{}",
            register.key()
        );
    }
}

/// The broken files the generator writes, with their expected errors.
#[derive(serde::Deserialize)]
struct BrokenList {
    files: Vec<BrokenFile>,
}

#[derive(serde::Deserialize)]
struct BrokenFile {
    register: String,
    file: String,
    errors: Vec<ExpectedError>,
}

#[derive(serde::Deserialize)]
struct ExpectedError {
    line: u64,
    field: String,
    reason_contains: String,
}

async fn every_kind_of_broken_file_is_reported_precisely_and_stores_nothing(store: &Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut options = generate::Options::new(200, 2024, 31, dir.path().to_path_buf());
    options.broken = true;
    generate::generate(&options, |_| {}).expect("generate");
    // The references of the broken files point into these.
    ingest_file(store, RegisterId::Sor, &dir.path().join("sor.csv")).await;
    ingest_file(store, RegisterId::Ydr, &dir.path().join("ydr.csv")).await;
    let before = counts(store).await;

    let list: BrokenList = serde_json::from_slice(
        &std::fs::read(dir.path().join("broken.json")).expect("broken.json"),
    )
    .expect("parses");
    assert!(
        list.files.len() >= 15,
        "only {} kinds of broken file",
        list.files.len()
    );
    for broken in &list.files {
        let register = RegisterId::from_key(&broken.register).expect("known register");
        let path = dir.path().join(&broken.file);
        let err = ingest::ingest(store, &key(), Batch::from_file(register, &path))
            .await
            .expect_err(&broken.file);
        let IngestError::Rejected { rejected, .. } = &err else {
            panic!("{}: {err}", broken.file);
        };
        for expected in &broken.errors {
            let found = rejected.errors.iter().any(|e| {
                e.line == expected.line
                    && e.field == expected.field
                    && e.reason
                        .to_lowercase()
                        .contains(&expected.reason_contains.to_lowercase())
                    && e.file
                        == path
                            .file_name()
                            .map_or(String::new(), |n| n.to_string_lossy().into_owned())
            });
            assert!(
                found,
                "{}: expected line {} field {} ({:?}), got {:?}",
                broken.file,
                expected.line,
                expected.field,
                expected.reason_contains,
                rejected.errors
            );
        }
        assert_eq!(
            counts(store).await,
            before,
            "{} stored something",
            broken.file
        );
    }
}

async fn replaying_a_batch_changes_nothing(store: &Store) {
    let (dir, _) = population(200, 12);
    let ydr = ingest_file(store, RegisterId::Ydr, &dir.path().join("ydr.csv")).await;
    let ssr = dir.path().join("ssr.csv");
    ingest_file(store, RegisterId::Ssr, &ssr).await;
    let before = counts(store).await;

    let again = ingest_file(store, RegisterId::Ssr, &ssr).await;
    assert_eq!(again.status, BatchStatus::AlreadyIngested);
    assert_eq!(again.rows_added, 0);
    // The same content under another batch id is still a replay.
    let mut renamed = Batch::from_file(RegisterId::Ssr, &ssr);
    renamed.batch_id = Some("another-id".into());
    let renamed = ingest::ingest(store, &key(), renamed)
        .await
        .expect("replay");
    assert_eq!(renamed.status, BatchStatus::AlreadyIngested);
    assert_eq!(counts(store).await, before);

    // A batch id reused for different content is refused.
    let (other, _) = population(50, 13);
    let mut conflicting = Batch::from_file(RegisterId::Ssr, &other.path().join("ssr.csv"));
    conflicting.batch_id = Some(again.batch_id.clone());
    let err = ingest::ingest(store, &key(), conflicting)
        .await
        .expect_err("conflict");
    assert!(
        matches!(err, IngestError::BatchIdConflict { .. }),
        "{err:?}"
    );
    // So is one reused for content that is already in under its own id:
    // the id is what the caller is told about.
    let mut reused = Batch::from_file(RegisterId::Ssr, &ssr);
    reused.batch_id = Some(ydr.batch_id.clone());
    let err = ingest::ingest(store, &key(), reused)
        .await
        .expect_err("conflict");
    assert!(
        matches!(err, IngestError::BatchIdConflict { .. }),
        "{err:?}"
    );
    assert_eq!(counts(store).await, before);
}

async fn a_failed_publish_leaves_nothing_behind(store: &Store) {
    let (dir, _) = population(100, 14);
    let first = ingest_file(store, RegisterId::Ydr, &dir.path().join("ydr.csv")).await;
    let before = counts(store).await;

    // Rows written in several chunks, then a ledger row that collides with
    // the first batch's: the failure comes after rows were written inside
    // the transaction, which must roll all of them back.
    let register = RegisterId::Ssr.def();
    let mut writer = store.begin_batch(register).await.expect("begin");
    let mut rows = Rows::with_capacity(4, 5000);
    for _ in 0..5000 {
        let pseudonym = rows.text(&"0".repeat(32));
        let provider = rows.text("101001");
        rows.push([
            pseudonym,
            Value::Date(chrono::NaiveDate::from_ymd_opt(2024, 5, 1).expect("date")),
            provider,
            Value::Code(&"phone"),
        ]);
    }
    for _ in 0..3 {
        let written = writer.write(rows).await.expect("write");
        assert_eq!(written.len(), 5000, "the rows come back as they went");
        rows = written;
    }
    assert!(writer
        .commit(&colliding(&first, "ssr", 15_000))
        .await
        .is_err());
    assert_eq!(counts(store).await, before);
}

/// A ledger row for `rows` rows of `register` whose batch id is that of
/// the batch `first` reported: inserting it fails, last in a batch.
fn colliding(first: &shared::api::IngestReport, register: &str, rows: i64) -> BatchRecord {
    BatchRecord {
        batch_id: first.batch_id.clone(),
        register: register.into(),
        file_name: "collides.csv".into(),
        content_sha256: "0".repeat(64),
        rows_read: rows,
        rows_added: rows,
        rows_rejected: 0,
        first_error: None,
        started_at: "2026-01-01T00:00:00Z".into(),
        published_at: "2026-01-01T00:00:01Z".into(),
    }
}

/// On PostgreSQL the first batch of a keyed register is copied in without
/// the register's primary key, which is built again at the commit. The key
/// is back after a batch that failed, and after one that published it is
/// enforced: a row with a key already there is refused.
#[actix_web::test]
async fn a_first_postgres_batch_builds_its_key_and_a_failed_one_leaves_it() {
    let store = support::postgres_store().await;
    let Store::Postgres(pool) = &store else {
        panic!("a PostgreSQL store")
    };
    let key_of = |table: &'static str| async move {
        let key: Option<(String,)> = sqlx::query_as(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint \
             WHERE conrelid = $1::regclass AND contype = 'p'",
        )
        .bind(table)
        .fetch_optional(pool)
        .await
        .expect("constraint");
        key.map(|(definition,)| definition)
    };
    let cpr_key = Some("PRIMARY KEY (pseudonym, valid_from)".to_string());
    assert_eq!(key_of("reg_cpr").await, cpr_key);

    let (dir, generated) = population(150, 16);
    let first = ingest_file(&store, RegisterId::Ydr, &dir.path().join("ydr.csv")).await;
    let mut writer = store
        .begin_batch(RegisterId::Cpr.def())
        .await
        .expect("begin");
    let mut rows = Rows::with_capacity(10, 3);
    for (pseudonym, day) in [("b", 1), ("a", 2), ("c", 3)] {
        let date = |y, m, d| Value::Date(chrono::NaiveDate::from_ymd_opt(y, m, d).expect("date"));
        let pseudonym = rows.text(pseudonym);
        let address = rows.text("a-1");
        rows.push([
            pseudonym,
            date(1950, 6, 1),
            Value::Code(&"K"),
            Value::Int(101),
            address,
            date(2020, 1, day),
            Value::Null,
            Value::Code(&"G"),
            Value::Code(&"01"),
            Value::Null,
        ]);
    }
    writer.write(rows).await.expect("write");
    assert!(writer.commit(&colliding(&first, "cpr", 3)).await.is_err());
    assert_eq!(
        key_of("reg_cpr").await,
        cpr_key,
        "the failed batch left the key"
    );
    assert_eq!(support::register_rows(&store, RegisterId::Cpr).await, 0);

    let report = ingest_file(&store, RegisterId::Cpr, &dir.path().join("cpr.csv")).await;
    assert_eq!(report.status, BatchStatus::Published);
    assert_eq!(
        key_of("reg_cpr").await,
        cpr_key,
        "the batch built the key again"
    );
    let stored = support::register_rows(&store, RegisterId::Cpr).await;
    assert_eq!(stored as u64, generated.rows(RegisterId::Cpr));
    let repeated = sqlx::query(
        "INSERT INTO reg_cpr SELECT * FROM reg_cpr ORDER BY pseudonym, valid_from LIMIT 1",
    )
    .execute(pool)
    .await
    .expect_err("a repeated key is refused");
    let repeated = repeated.as_database_error().expect("a database error");
    assert!(repeated.is_unique_violation(), "{repeated}");
}

async fn rebuilding_the_same_data_gives_the_same_release(store: &Store) {
    let (dir, _) = population(300, 15);
    ingest_all(store, dir.path(), "csv").await;
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
    assert_eq!(tiles.len(), first.tiles.len() + first.closed.len());
    for (stored, built) in tiles.iter().zip(&first.tiles) {
        let bytes = store
            .tile_bytes(&stored.id)
            .await
            .expect("read")
            .expect("tile");
        assert_eq!(bytes, built.bytes, "{}", stored.family);
    }
    // The closed tiles follow the public ones, and each was stored
    // with the bytes its id is the hash of.
    for (stored, built) in tiles[first.tiles.len()..].iter().zip(&first.closed) {
        assert_eq!(stored, built);
        let bytes = store
            .tile_bytes(&stored.id)
            .await
            .expect("read")
            .expect("tile");
        assert_eq!(
            tvaers::tile::content_id(&bytes),
            stored.id,
            "{}",
            stored.family
        );
    }
}

#[actix_web::test]
async fn a_new_sqlite_store_has_large_pages_and_a_write_ahead_log() {
    let (store, dir) = support::sqlite_store().await;
    drop(store);
    let conn = rusqlite::Connection::open(dir.path().join("test.db")).expect("open");
    let page_size: u32 = conn
        .query_row("PRAGMA page_size", [], |row| row.get(0))
        .expect("page size");
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .expect("journal mode");
    assert_eq!(page_size, tvaers::store::SQLITE_PAGE_SIZE);
    assert_ne!(page_size, 4096, "SQLite's default");
    assert_eq!(mode, "wal");
}

/// The file's journal mode, as a new connection finds it.
fn journal_mode(path: &std::path::Path) -> String {
    rusqlite::Connection::open(path)
        .expect("open")
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .expect("journal mode")
}

#[actix_web::test]
async fn a_store_alone_is_written_without_its_log_and_a_shared_one_keeps_it() {
    let (store, dir) = support::sqlite_store().await;
    // Closed, not dropped: a dropped pool closes its connections in the
    // background, and one still open makes the next store shared.
    store.close().await;
    let path = dir.path().join("test.db");
    let url = format!("sqlite:{}", path.display());

    // Nobody else has the file open: a rollback journal while open.
    let alone = Store::connect_alone(&url).await.expect("connect alone");
    assert_eq!(journal_mode(&path), "delete");
    let (ydr, _) = population(50, 11);
    let batch = Batch::from_file(RegisterId::Ydr, &ydr.path().join("ydr.csv"));
    let report = ingest::ingest(&alone, &key(), batch).await.expect("ingest");
    assert_eq!(report.status, BatchStatus::Published);
    assert!(report.rows_added > 0);
    alone.close().await;

    // The next ordinary connection returns the file to its log, and the
    // batch is there.
    let shared = Store::connect(&url).await.expect("connect");
    assert_eq!(journal_mode(&path), "wal");
    assert_eq!(
        support::register_rows(&shared, RegisterId::Ydr).await,
        report.rows_added as i64
    );

    // Another connection has the file open: the log stays.
    let holder = support::hold_open(&path);
    let beside = Store::connect_alone(&url).await.expect("connect beside");
    assert_eq!(journal_mode(&path), "wal");
    assert_eq!(
        support::register_rows(&beside, RegisterId::Ydr).await,
        report.rows_added as i64
    );
    drop((shared, holder));
}

#[actix_web::test]
async fn both_engines_build_byte_identical_tiles() {
    let (dir, _) = population(300, 16);
    let (sqlite, _tmp) = support::sqlite_store().await;
    let postgres = support::postgres_store().await;
    let mut releases = Vec::new();
    for store in [&sqlite, &postgres] {
        ingest_all(store, dir.path(), "csv").await;
        releases.push(release::build(store).await.expect("build"));
    }
    assert_eq!(releases[0].release, releases[1].release);
    let families: Vec<&str> = releases[0]
        .tiles
        .iter()
        .filter(|t| t.meta.scope.is_none() && !t.meta.family.contains('='))
        .map(|t| t.meta.family.as_str())
        .collect();
    let mut expected: Vec<String> = ["geography", "hospital", "municipal_care", "sectors"]
        .iter()
        .flat_map(|f| {
            [
                "",
                ".civil_status",
                ".cpr_status",
                ".nursing_home",
                ".target_group",
                ".gp_cluster",
                ".quarter",
                ".month",
            ]
            .map(|split| format!("{f}{split}"))
        })
        .collect();
    expected.extend(
        [
            "by_hospital",
            "by_diagnosis",
            "by_specialty",
            "by_department",
            "by_practice",
            "prescriptions_geo",
        ]
        .map(String::from),
    );
    assert_eq!(families, expected);
    // Prescriptions by practice are closed only.
    assert!(!families.contains(&"prescriptions"));
    assert!(releases[0]
        .closed
        .iter()
        .any(|t| t.family == "prescriptions"));
    assert_eq!(releases[0].tiles.len(), releases[1].tiles.len());
    for (a, b) in releases[0].tiles.iter().zip(&releases[1].tiles) {
        assert_eq!(a.bytes, b.bytes, "{}", a.meta.family);
    }
    every_split_tile_is_published_in_parts_too(&releases[0].tiles);
    // A closed tile's id is the hash of its bytes.
    assert_eq!(releases[0].closed, releases[1].closed);
}

/// Each split tile is followed by its parts, one per code of its split
/// in code order, each holding exactly the tile's rows of that code.
fn every_split_tile_is_published_in_parts_too(tiles: &[tvaers::tile::EncodedTile]) {
    use shared::tile::{Split, TileRef};
    let mut split_tiles = 0;
    for (i, tile) in tiles.iter().enumerate() {
        let Some(kind) = shared::tile::TileKind::from_key(&tile.meta.family) else {
            continue;
        };
        let Some(dimension) = kind.split.dimension() else {
            continue;
        };
        split_tiles += 1;
        let whole = tvaers::tile::decode(&tile.bytes).expect("decodes");
        let codes = whole.codes(dimension).expect("its split's codes");
        assert!(codes.len() >= 2, "{}: {codes:?}", tile.meta.family);
        let parts = &tiles[i + 1..i + 1 + codes.len()];
        let mut rows = 0;
        for (code, part) in codes.iter().zip(parts) {
            let name = TileRef::part(kind, *code).key();
            assert_eq!(part.meta.family, name);
            let cube = tvaers::tile::decode(&part.bytes).expect("a part decodes");
            let expected = whole
                .retain(dimension, |c| c == *code)
                .expect("the split's column");
            assert!(cube.rows() > 0, "{name}");
            assert_eq!(cube, expected, "{name}");
            rows += cube.rows();
            // The part names its code in its schema metadata.
            let reader = arrow_ipc::reader::StreamReader::try_new(part.bytes.as_slice(), None)
                .expect("reads");
            assert_eq!(
                reader.schema().metadata().get(shared::tile::META_PART),
                Some(&code.to_string()),
                "{name}"
            );
        }
        assert_eq!(
            rows,
            whole.rows(),
            "{}: the parts add up to the tile",
            tile.meta.family
        );
        // Nothing more of this tile after its parts.
        if let Some(next) = tiles.get(i + 1 + codes.len()) {
            let next = TileRef::from_key(&next.meta.family).expect("a tile key");
            assert!(next.part.is_none(), "{}", tile.meta.family);
        }
    }
    assert_eq!(split_tiles, 4 * (Split::ALL.len() - 1));
}

#[actix_web::test]
async fn the_prior_window_changes_only_the_hospital_tiles() {
    use tvaers::aggregate::Rules;
    let (dir, _) = population(300, 17);
    let (store, _tmp) = support::sqlite_store().await;
    ingest_all(&store, dir.path(), "csv").await;
    let default = release::build(&store).await.expect("build");
    let narrow = Rules {
        prior_window_days: 0,
        ..Rules::default()
    };
    let other = release::build_with(&store, &narrow).await.expect("build");
    assert_ne!(default.release, other.release);
    let prior = |tiles: &[tvaers::tile::EncodedTile]| -> (u64, u64) {
        let tile = tiles
            .iter()
            .find(|t| t.meta.family == "hospital")
            .expect("hospital tile");
        let batches: Vec<_> =
            arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(&tile.bytes), None)
                .expect("an Arrow stream")
                .collect::<Result<_, _>>()
                .expect("readable batches");
        let sum = |name: &str| -> u64 {
            use arrow_array::cast::AsArray;
            batches
                .iter()
                .map(|b| {
                    let column = b.column_by_name(name).expect(name);
                    let values = column.as_primitive::<arrow_array::types::UInt32Type>();
                    values.iter().flatten().map(u64::from).sum::<u64>()
                })
                .sum()
        };
        (sum("admissions_prior_gp"), sum("admissions_prior_care"))
    };
    let (wide, narrow) = (prior(&default.tiles), prior(&other.tiles));
    assert!(
        wide.0 > narrow.0 && wide.1 >= narrow.1,
        "{wide:?} vs {narrow:?}"
    );
    for (a, b) in default.tiles.iter().zip(&other.tiles) {
        assert_eq!(a.meta.family, b.meta.family);
        let hospital = a.meta.family.split('.').next() == Some("hospital");
        assert_eq!(a.meta.id != b.meta.id, hospital, "{}", a.meta.family);
    }
}

#[actix_web::test]
async fn the_aemi_rule_changes_only_the_target_group_tiles() {
    use tvaers::aggregate::{AemiRule, Rules};
    let (dir, _) = population(300, 17);
    let (store, _tmp) = support::sqlite_store().await;
    ingest_all(&store, dir.path(), "csv").await;
    let default = release::build(&store).await.expect("build");
    let wider = Rules {
        aemi: AemiRule {
            min_age: 18,
            department_types: vec!["medical".into(), "surgical".into()],
            min_admissions: 1,
        },
        ..Rules::default()
    };
    let other = release::build_with(&store, &wider).await.expect("build");
    assert_ne!(default.release, other.release);
    for (a, b) in default.tiles.iter().zip(&other.tiles) {
        assert_eq!(a.meta.family, b.meta.family);
        // The target-group tiles and their parts carry the rule.
        let target_groups = shared::tile::TileRef::from_key(&a.meta.family)
            .is_some_and(|t| t.kind.split == shared::tile::Split::TargetGroup);
        if target_groups {
            assert_ne!(a.meta.id, b.meta.id, "{}", a.meta.family);
        } else {
            assert_eq!(a.meta.id, b.meta.id, "{}", a.meta.family);
        }
    }
    let unknown = Rules {
        aemi: AemiRule {
            department_types: vec!["medicine".into()],
            ..AemiRule::default()
        },
        ..Rules::default()
    };
    let err = release::build_with(&store, &unknown)
        .await
        .expect_err("no such department type");
    let message = err.to_string();
    assert!(
        message.contains("\"medicine\"") && message.contains("medical"),
        "{message}"
    );
}

async fn saved_reports_are_kept_changed_and_deleted(store: &Store) {
    let report = |id: &str, owner: &str, shared: bool| SavedReport {
        id: id.into(),
        owner: owner.into(),
        organisation: "municipality:0751".into(),
        name: format!("Rapport {id}"),
        description: "Indlæggelser 65+".into(),
        view: "/avanceret?chart=admissions.per_1000.municipality.bar".into(),
        shared,
        created_at: format!("2026-11-22T10:00:0{id}Z"),
        updated_at: format!("2026-11-22T10:00:0{id}Z"),
    };
    for r in [
        report("1", "a", false),
        report("2", "a", true),
        report("3", "b", false),
    ] {
        store.insert_report(&r).await.expect("insert");
    }
    let ids = |reports: Vec<SavedReport>| reports.into_iter().map(|r| r.id).collect::<Vec<_>>();
    // Newest change first; b sees a's shared report and its own only.
    let seen_by_a = store
        .reports_visible("a", "municipality:0751")
        .await
        .expect("list");
    assert_eq!(ids(seen_by_a), ["2", "1"]);
    let seen_by_b = store
        .reports_visible("b", "municipality:0751")
        .await
        .expect("list");
    assert_eq!(ids(seen_by_b), ["3", "2"]);
    let elsewhere = store
        .reports_visible("c", "municipality:0101")
        .await
        .expect("list");
    assert!(elsewhere.is_empty());

    let change = ReportChange {
        name: Some("Omdøbt".into()),
        shared: Some(false),
        ..ReportChange::default()
    };
    let changed = store
        .update_report("2", &change, "2026-11-22T11:00:00Z")
        .await
        .expect("update")
        .expect("still there");
    assert_eq!(changed.name, "Omdøbt");
    assert!(!changed.shared);
    assert_eq!(changed.description, "Indlæggelser 65+");
    let seen_by_b = store
        .reports_visible("b", "municipality:0751")
        .await
        .expect("list");
    assert_eq!(ids(seen_by_b), ["3"]);

    store.delete_report("1").await.expect("delete");
    assert_eq!(store.report("1").await.expect("read"), None);
    assert_eq!(
        store.report("3").await.expect("read"),
        Some(report("3", "b", false))
    );
}
