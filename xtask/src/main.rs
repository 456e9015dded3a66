//! The project's two commands.
//!
//! - `cargo xtask demo`: install what is missing, build the portal and the
//!   server, generate and ingest demo data, build tiles, serve on
//!   <http://127.0.0.1:8080>.
//! - `cargo xtask test`: install what is missing, then run every check:
//!   format, clippy (native and wasm32), unit + API + store tests (SQLite
//!   and PostgreSQL), the wasm tile-decoder tests in headless Chromium, and
//!   the browser and pyarrow tests in `e2e/` against a served demo.
//!
//! Builds go to a cargo target directory outside the clone
//! (`$HOME/.cache/tvaers/target` unless `CARGO_TARGET_DIR` is set), so
//! repeated runs are incremental.

mod bench;
mod server;
mod steps;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use steps::Steps;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  demo [--persons N] [--addr HOST:PORT]   build everything and serve the portal with demo data
  test                                    run every test (what CI runs)
  bench-ingest [--persons N] [--years Y] [--engines sqlite,postgres]
               [--postgres-settings NAME=VALUE,…]
                                          generate and ingest every register (default: national
                                          size, 5.96M persons) and print times, rows/s and peak
                                          memory next to DuckDB loading the same files
  bench-build [--persons N] [--years Y]   build a release from a generated population (default:
                                          national size) and print wall time and peak memory
                                          next to DuckDB computing the same cells, and each tile
                                          family's size raw, brotli and as Parquet-ZSTD
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("demo") => demo(&args[1..]),
        Some("test") => test(),
        Some("bench-ingest") => bench::bench_ingest(&args[1..]),
        Some("bench-ingest-postgres") => bench::bench_ingest_postgres(&args[1..]),
        Some("bench-build") => bench::bench_build(&args[1..]),
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root (the parent of `xtask/`).
fn root() -> PathBuf {
    // `cargo run` sets the variable for the process too; prefer it to the
    // path baked in at compile time, which is stale when a shared target
    // directory reuses a binary built from another clone.
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest_dir
        .parent()
        .expect("xtask is in the workspace")
        .to_path_buf()
}

/// The cargo target directory shared by every build.
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => cache_dir().join("target"),
    }
}

/// `$HOME/.cache/tvaers`: tools and builds that outlive a clone.
fn cache_dir() -> PathBuf {
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("/tmp"), PathBuf::from);
    home.join(".cache").join("tvaers")
}

fn flag(args: &[String], name: &str) -> Result<Option<String>, String> {
    match args.iter().position(|a| a == name) {
        None => Ok(None),
        Some(i) => args
            .get(i + 1)
            .cloned()
            .map(Some)
            .ok_or_else(|| format!("{name} needs a value")),
    }
}

fn demo(args: &[String]) -> Result<(), String> {
    let persons = flag(args, "--persons")?.unwrap_or_else(|| "50000".into());
    let addr = flag(args, "--addr")?.unwrap_or_else(|| "127.0.0.1:8080".into());
    let started = Instant::now();
    let mut steps = Steps::new(root(), target_dir());
    tools::ensure_build_tools(&mut steps)?;
    steps.trunk_build()?;
    steps.cargo(
        "build the server (release)",
        &["build", "--release", "-p", "tvaers-backend"],
    )?;
    let tvaers = steps.target.join("release").join("tvaers");
    let data = steps.root.join("data");
    // Three years, so that the portal has a development to show.
    steps.load_demo_data(
        "",
        &tvaers,
        &data,
        &data.join("extracts"),
        &persons,
        "2022..2024",
        "1",
    )?;
    let data_arg = data.display().to_string();
    let dist = steps.root.join("dist").display().to_string();
    println!(
        "\n==> ready in {:.0} s; serving the portal on http://{addr}  (Ctrl-C stops it)\n",
        started.elapsed().as_secs_f64()
    );
    let status = std::process::Command::new(&tvaers)
        .args([
            "--data-dir",
            &data_arg,
            "serve",
            "--addr",
            &addr,
            "--dist",
            &dist,
        ])
        .status()
        .map_err(|e| format!("starting the server: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the server stopped: {status}"))
    }
}

fn test() -> Result<(), String> {
    let started = Instant::now();
    let mut steps = Steps::new(root(), target_dir());
    tools::ensure_build_tools(&mut steps)?;
    tools::ensure_test_tools(&mut steps)?;

    steps.cargo("check formatting", &["fmt", "--all", "--check"])?;
    steps.cargo(
        "clippy (native)",
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    steps.cargo(
        "clippy (wasm32: shared, frontend)",
        &[
            "clippy",
            "-p",
            "tvaers-shared",
            "-p",
            "tvaers-frontend",
            "--all-targets",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    steps.cargo(
        "unit, API and store tests (SQLite and PostgreSQL)",
        &["test", "--workspace"],
    )?;
    steps.wasm_tests()?;
    steps.trunk_build()?;
    // The whole workspace, as `cargo test --workspace` built it: the same
    // feature set, so nothing is compiled again.
    steps.cargo("build the server", &["build", "--workspace"])?;
    server::end_to_end(&mut steps)?;
    steps.summary(started);
    Ok(())
}
