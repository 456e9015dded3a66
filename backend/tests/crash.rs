//! Crash safety of ingestion: the `tvaers ingest` process is killed with
//! SIGKILL at several points of a batch; the store must then hold the
//! batch entirely or not at all, and running the batch again must leave it
//! there exactly once. On PostgreSQL, and on SQLite both with the store to
//! itself (a rollback journal) and beside another process that has it
//! open (its write-ahead log).

mod support;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use shared::register::RegisterId;
use tvaers::store::Store;

/// Contacts in the test batch: several of the ingestion's chunks, and
/// more pages than a batch's SQLite cache holds, so that pages are in the
/// file (or its log) before the commit.
const CONTACTS: usize = 200_000;

/// Where the process is frozen and killed, and whether the batch was
/// committed by then.
const POINTS: &[(&str, bool)] = &[
    ("ingest-after-first-chunk", false),
    ("ingest-before-ledger", false),
    ("ingest-before-commit", false),
    ("ingest-after-commit", true),
];

/// Writes a provider register with one practice and an SSR extract of
/// [`CONTACTS`] contacts with it.
fn write_extracts(dir: &Path) {
    let mut ydr = std::fs::File::create(dir.join("ydr.csv")).expect("create");
    writeln!(
        ydr,
        "provider_number,name,provider_type,specialty,municipality,gp_cluster,valid_from,valid_to\n\
         101001,Lægerne på Torvet,general_practice,general_practice,101,1,2000-01-01,"
    )
    .expect("write");
    let mut ssr =
        std::io::BufWriter::new(std::fs::File::create(dir.join("ssr.csv")).expect("create"));
    writeln!(ssr, "cpr,contact_date,provider_number,contact_type").expect("write");
    for i in 0..CONTACTS {
        // Persons born 1 January 1980, serial numbers 0000–0999.
        writeln!(
            ssr,
            "010180{:04},2024-{:02}-{:02},101001,consultation",
            i % 1000,
            1 + i % 12,
            1 + i % 28
        )
        .expect("write");
    }
    ssr.flush().expect("flush");
}

fn tvaers(database_url: &str, data_dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tvaers"));
    command
        .arg("--database-url")
        .arg(database_url)
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--pseudonym-key")
        .arg("5a".repeat(32))
        .args(args)
        .env_remove(tvaers::failpoint::ENV)
        .env("RUST_LOG", "warn");
    command
}

/// Runs `tvaers ingest` until it reports the failpoint, then kills it.
fn ingest_and_kill_at(database_url: &str, data_dir: &Path, file: &Path, point: &str) {
    let mut child = tvaers(
        database_url,
        data_dir,
        &["ingest", "ssr", file.to_str().expect("utf-8 path")],
    )
    .env(tvaers::failpoint::ENV, point)
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .expect("spawn tvaers");
    let stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let expected = format!("failpoint {point} reached");
    let mut seen = Vec::new();
    for line in stderr.lines() {
        let line = line.expect("read stderr");
        if line.contains(&expected) {
            // SIGKILL: no destructor, no rollback, no flush.
            child.kill().expect("kill");
            child.wait().expect("reap");
            return;
        }
        seen.push(line);
    }
    let status = child.wait().expect("reap");
    panic!("tvaers exited ({status}) without reaching {point}: {seen:?}");
}

fn ingest(database_url: &str, data_dir: &Path, register: &str, file: &Path) {
    let out = tvaers(
        database_url,
        data_dir,
        &["ingest", register, file.to_str().expect("utf-8 path")],
    )
    .output()
    .expect("run tvaers");
    assert!(
        out.status.success(),
        "ingest {register} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn ssr_rows_and_batches(database_url: &str) -> (i64, i64) {
    let store = Store::connect(database_url)
        .await
        .expect("reopen the store");
    (
        support::register_rows(&store, RegisterId::Ssr).await,
        store.batch_count().await.expect("batches"),
    )
}

/// The size of a file (0 when missing).
fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// Kills an ingestion at `point` in a fresh store, checks that the batch
/// is in the store entirely or not at all, re-runs it and checks it is
/// there exactly once. `sqlite_file`: the SQLite file, and whether another
/// process has it open (the batch then goes through the write-ahead log,
/// else through a rollback journal).
async fn killed_at(
    point: &str,
    committed: bool,
    database_url: &str,
    sqlite_file: Option<(&Path, bool)>,
) {
    let dir = tempfile::tempdir().expect("tempdir");
    write_extracts(dir.path());
    ingest(database_url, dir.path(), "ydr", &dir.path().join("ydr.csv"));
    let ssr = dir.path().join("ssr.csv");

    ingest_and_kill_at(database_url, dir.path(), &ssr, point);
    if let (Some((file, shared)), false) = (sqlite_file, committed) {
        let beside = |suffix: &str| {
            let mut name = file.as_os_str().to_owned();
            name.push(suffix);
            file_size(Path::new(&name))
        };
        if shared {
            assert_eq!(
                beside("-journal"),
                0,
                "killed at {point}: no rollback journal"
            );
        } else {
            assert_eq!(beside("-wal"), 0, "killed at {point}: no write-ahead log");
            if point != "ingest-after-first-chunk" {
                // All rows are written, more than the cache holds: the
                // file has pages of the batch, the journal what they
                // replaced.
                assert!(beside("-journal") > 0, "killed at {point}: a hot journal");
            }
        }
    }
    let (rows, batches) = ssr_rows_and_batches(database_url).await;
    if committed {
        assert_eq!((rows, batches), (CONTACTS as i64, 2), "killed at {point}");
    } else {
        assert_eq!(
            (rows, batches),
            (0, 1),
            "killed at {point}: nothing of the batch"
        );
    }

    // The restart re-runs the batch: in the store exactly once.
    ingest(database_url, dir.path(), "ssr", &ssr);
    let (rows, batches) = ssr_rows_and_batches(database_url).await;
    assert_eq!(
        (rows, batches),
        (CONTACTS as i64, 2),
        "after re-running ({point})"
    );
}

#[actix_web::test]
async fn sqlite_survives_kill_9_at_every_point() {
    for (point, committed) in POINTS {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("crash.db");
        let url = format!("sqlite:{}", file.display());
        killed_at(point, *committed, &url, Some((&file, false))).await;
    }
}

#[actix_web::test]
async fn sqlite_open_elsewhere_survives_kill_9_at_every_point() {
    for (point, committed) in POINTS {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("crash.db");
        let url = format!("sqlite:{}", file.display());
        // Another process's connection, as a running server's: the
        // ingestion keeps to the write-ahead log.
        drop(Store::connect(&url).await.expect("create the store"));
        let holder = support::hold_open(&file);
        killed_at(point, *committed, &url, Some((&file, true))).await;
        drop(holder);
    }
}

#[actix_web::test]
async fn postgres_survives_kill_9_at_every_point() {
    for (point, committed) in POINTS {
        let url = support::postgres::fresh_database().await;
        killed_at(point, *committed, &url, None).await;
    }
}
