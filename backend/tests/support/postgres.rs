//! A PostgreSQL server for the tests.
//!
//! `TVAERS_TEST_POSTGRES_URL` names a running server to use. Without it,
//! the tests start their own from Debian's `postgresql` package: a cluster
//! in the temp folder, listening on 127.0.0.1 only, trust authentication,
//! fsync off (throwaway data). A server left running from an earlier run
//! is reused. Every test gets a database of its own.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use sqlx::Connection;

const DEFAULT_PORT: u16 = 54329;

fn server_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| match std::env::var("TVAERS_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => start_local_server(),
    })
}

/// Creates a new, empty database and returns its URL.
pub async fn fresh_database() -> String {
    let base = server_url();
    let mut conn = sqlx::PgConnection::connect(base)
        .await
        .unwrap_or_else(|e| panic!("connecting to the test PostgreSQL server: {e}"));
    drop_databases_of_finished_runs(&mut conn).await;
    let name = format!(
        "tvaers_test_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_nanos()
    );
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .expect("create database");
    let (prefix, _) = base.rsplit_once('/').expect("URL has a database path");
    format!("{prefix}/{name}")
}

/// Drops the test databases of test processes that have ended (their
/// names carry the process id), so the server does not fill the disk run
/// after run. Once per process.
async fn drop_databases_of_finished_runs(conn: &mut sqlx::PgConnection) {
    static DONE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if DONE.swap(true, std::sync::atomic::Ordering::SeqCst) {
        return;
    }
    let names: Vec<(String,)> =
        sqlx::query_as("SELECT datname FROM pg_database WHERE datname LIKE 'tvaers_test_%'")
            .fetch_all(&mut *conn)
            .await
            .unwrap_or_default();
    for (name,) in names {
        let pid = name.split('_').nth(2).and_then(|p| p.parse::<u32>().ok());
        let running = pid.is_some_and(|p| Path::new(&format!("/proc/{p}")).exists());
        if !running {
            // Best effort: a database still in use stays for the next run.
            let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
                .execute(&mut *conn)
                .await;
        }
    }
}

fn start_local_server() -> String {
    let port: u16 = std::env::var("TVAERS_TEST_POSTGRES_PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(DEFAULT_PORT);
    let url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
    if listening(port) {
        return url;
    }
    let bin = postgres_bin().unwrap_or_else(|| {
        panic!(
            "PostgreSQL is not installed: install Debian's `postgresql` package \
             (the test command does), or set TVAERS_TEST_POSTGRES_URL to a running server"
        )
    });
    let dir = std::env::temp_dir().join(format!("tvaers-pg-{port}"));
    let as_root = is_root();
    if dir.join("PG_VERSION").exists() && start(&bin, &dir, port, as_root) {
        return url;
    }
    // No cluster yet, or one left broken by a killed run: start afresh (the
    // data are throwaway test databases).
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create cluster folder");
    if as_root {
        // PostgreSQL refuses to run as root: the cluster belongs to the
        // `postgres` user the package created.
        run(Command::new("chown").arg("postgres:postgres").arg(&dir));
    }
    run(pg_command(&bin.join("initdb"), as_root)
        .args([
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
            "-E",
            "UTF8",
            "-D",
        ])
        .arg(&dir));
    assert!(
        start(&bin, &dir, port, as_root),
        "PostgreSQL did not start; see {}",
        dir.join("server.log").display()
    );
    url
}

/// Starts the cluster in `dir`; `false` if it did not come up.
fn start(bin: &Path, dir: &Path, port: u16, as_root: bool) -> bool {
    let options = format!(
        "-p {port} -c listen_addresses=127.0.0.1 -k {} -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
        dir.display()
    );
    pg_command(&bin.join("pg_ctl"), as_root)
        .arg("-D")
        .arg(dir)
        .arg("-l")
        .arg(dir.join("server.log"))
        .args(["-o", &options, "-w", "-t", "60", "start"])
        .output()
        .is_ok_and(|o| o.status.success())
        && listening(port)
}

fn listening(port: u16) -> bool {
    TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(300)).is_ok()
}

/// The newest installed `/usr/lib/postgresql/<version>/bin`.
fn postgres_bin() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn pg_command(program: &Path, as_root: bool) -> Command {
    if as_root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn run(command: &mut Command) {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("running {command:?}: {e}"));
    assert!(
        output.status.success(),
        "{command:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
