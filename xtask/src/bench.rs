//! `cargo xtask bench-ingest`: generation and ingestion of every register
//! at national size, on SQLite and PostgreSQL, next to DuckDB loading the
//! same CSV files in the same run.
//!
//! Every `tvaers` step runs as its own process under `/usr/bin/time`, so
//! wall time and peak memory are those of that step alone. PostgreSQL is a
//! throwaway cluster made by Debian's `pg_virtualenv` for the run.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::steps::Steps;

/// Register keys in ingestion order (the catalogue's order).
const REGISTERS: &[&str] = &[
    "sor",
    "ydr",
    "nursing_homes",
    "cpr",
    "patient_list",
    "lpr",
    "ssr",
    "eoj",
    "ruks",
    "lsr",
    "aim",
    "sentinel",
];

/// One measured step.
#[derive(Clone, Debug, Default)]
struct Measured {
    seconds: f64,
    peak_kib: u64,
    /// User and system CPU time of the process, and for PostgreSQL of
    /// the server's processes during the step.
    cpu_seconds: f64,
    /// Of that, the PostgreSQL server's (0 for SQLite).
    server_cpu_seconds: f64,
}

/// What every benchmark starts from: its options, the release server and
/// an empty work folder.
struct Bench {
    persons: String,
    years: String,
    root: PathBuf,
    tvaers: PathBuf,
    work: PathBuf,
    extracts: PathBuf,
}

impl Bench {
    /// Reads `--persons` (default national size) and `--years`, builds the
    /// release server, and empties `<cache>/bench/<name>-<persons>`.
    fn prepare(args: &[String], name: &str) -> Result<Bench, String> {
        let persons = crate::flag(args, "--persons")?.unwrap_or_else(|| "5960000".into());
        let years = crate::flag(args, "--years")?.unwrap_or_else(|| "2024".into());
        let root = crate::root();
        let mut steps = Steps::new(root.clone(), crate::target_dir());
        crate::tools::ensure_test_tools(&mut steps)?;
        steps.cargo(
            "build the server (release)",
            &["build", "--release", "--locked", "-p", "tvaers-backend"],
        )?;
        let work = crate::cache_dir()
            .join("bench")
            .join(format!("{name}-{persons}"));
        let _ = std::fs::remove_dir_all(&work);
        std::fs::create_dir_all(&work).map_err(|e| format!("creating {}: {e}", work.display()))?;
        Ok(Bench {
            persons,
            years,
            root,
            tvaers: crate::target_dir().join("release").join("tvaers"),
            extracts: work.join("extracts"),
            work,
        })
    }

    /// Generates the population into `extracts`, timed.
    fn generate(&self) -> Result<Measured, String> {
        println!(
            "\n==> generating {} persons, years {}",
            self.persons, self.years
        );
        timed(
            Command::new(&self.tvaers)
                .arg("--data-dir")
                .arg(&self.work)
                .args([
                    "generate",
                    "--persons",
                    &self.persons,
                    "--years",
                    &self.years,
                ])
                .args(["--seed", "1", "--out"])
                .arg(&self.extracts),
            &self.work,
        )
    }

    /// Runs one of the `e2e/bench` Python scripts (DuckDB, pyarrow) and
    /// returns what it printed.
    fn python(&self, script: &str, args: &[PathBuf]) -> Result<String, String> {
        let python = crate::cache_dir().join("venv").join("bin").join("python");
        let out = Command::new(python)
            .arg(self.root.join("e2e").join("bench").join(script))
            .args(args)
            .output()
            .map_err(|e| format!("running {script}: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "{script} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

/// `cargo xtask bench-ingest [--persons N] [--years Y] [--engines sqlite,postgres]
/// [--postgres-settings NAME=VALUE,…]`.
pub fn bench_ingest(args: &[String]) -> Result<(), String> {
    let engines = crate::flag(args, "--engines")?.unwrap_or_else(|| "sqlite,postgres".into());
    // Server settings for the throwaway cluster (default: none, the
    // package's defaults), e.g. `wal_level=minimal,max_wal_senders=0`.
    let settings = crate::flag(args, "--postgres-settings")?.unwrap_or_default();
    let settings: Vec<&str> = settings.split(',').filter(|s| !s.is_empty()).collect();
    if let Some(bad) = settings.iter().find(|s| !s.contains('=')) {
        return Err(format!("--postgres-settings: {bad:?} is not NAME=VALUE"));
    }
    let bench = Bench::prepare(args, "ingest")?;
    let Bench {
        persons,
        years,
        tvaers,
        work,
        extracts,
        ..
    } = &bench;

    let generation = bench.generate()?;
    let present: Vec<&str> = REGISTERS
        .iter()
        .copied()
        .filter(|r| extracts.join(format!("{r}.csv")).is_file())
        .collect();

    println!("\n==> DuckDB read_csv of the same files");
    let mut args = vec![extracts.clone()];
    args.extend(present.iter().map(PathBuf::from));
    let duckdb: Vec<(String, u64, f64, f64)> = bench
        .python("duckdb_ingest.py", &args)?
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            Some((
                f.next()?.to_string(),
                f.next()?.parse().ok()?,
                f.next()?.parse().ok()?,
                f.next()?.parse().ok()?,
            ))
        })
        .collect();

    let mut results: Vec<(&str, Vec<Measured>)> = Vec::new();
    for engine in engines.split(',') {
        println!("\n==> ingesting into {engine}");
        let measured = match engine {
            "sqlite" => {
                let db = work.join("bench.db");
                let url = format!("sqlite:{}", db.display());
                let measured = ingest_all(tvaers, &url, work, extracts, &present)?;
                // Make room for the next engine.
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
                }
                measured
            }
            "postgres" => {
                // Re-enter this command inside a throwaway cluster.
                let results_file = work.join("postgres.results");
                let mut command = Command::new("pg_virtualenv");
                for setting in &settings {
                    command.arg("-o").arg(setting);
                }
                let status = command
                    .arg("--")
                    .arg(std::env::current_exe().map_err(|e| e.to_string())?)
                    .arg("bench-ingest-postgres")
                    .arg(tvaers)
                    .arg(work)
                    .arg(extracts)
                    .arg(&results_file)
                    .status()
                    .map_err(|e| format!("running pg_virtualenv: {e}"))?;
                if !status.success() {
                    return Err("ingesting into PostgreSQL failed".into());
                }
                read_results(&results_file)?
            }
            other => return Err(format!("unknown engine {other:?}: sqlite or postgres")),
        };
        results.push((
            if engine == "sqlite" {
                "SQLite"
            } else {
                "PostgreSQL"
            },
            measured,
        ));
    }

    println!(
        "\n==> ingest benchmark: {persons} persons, years {years}, on {}",
        machine()
    );
    if engines.contains("postgres") {
        println!(
            "PostgreSQL server settings: {}",
            if settings.is_empty() {
                "the package's defaults".to_string()
            } else {
                settings.join(", ")
            }
        );
    }
    println!(
        "generation: {:.1} s, peak memory {} MiB",
        generation.seconds,
        generation.peak_kib / 1024
    );
    let mut header = format!("{:<14} {:>12}", "register", "rows");
    for (engine, _) in &results {
        header.push_str(&format!(
            " | {engine:>10} s {:>10} {:>10} {:>8} {:>9}",
            "rows/s", "rows/CPU-s", "peak MiB", "vs DuckDB"
        ));
    }
    header.push_str(&format!(
        " | {:>8} s {:>10} {:>10}",
        "DuckDB", "rows/s", "rows/CPU-s"
    ));
    println!("{header}");
    for (i, register) in present.iter().enumerate() {
        let (rows, duck_seconds, duck_cpu) = duckdb
            .iter()
            .find(|(r, _, _, _)| r == register)
            .map_or((0, f64::NAN, f64::NAN), |(_, n, s, c)| (*n, *s, *c));
        let mut line = format!("{register:<14} {rows:>12}");
        for (_, measured) in &results {
            let m = measured.get(i).cloned().unwrap_or_default();
            line.push_str(&format!(
                " | {:>12.1} {:>10} {:>10} {:>8} {:>8.2}×",
                m.seconds,
                rate(rows, m.seconds),
                rate(rows, m.cpu_seconds),
                m.peak_kib / 1024,
                m.seconds / duck_seconds
            ));
        }
        line.push_str(&format!(
            " | {:>10.1} {:>10} {:>10}",
            duck_seconds,
            rate(rows, duck_seconds),
            rate(rows, duck_cpu)
        ));
        println!("{line}");
    }
    // All registers together: the ingest of a whole national delivery.
    let total_rows: u64 = present
        .iter()
        .filter_map(|register| duckdb.iter().find(|(r, _, _, _)| r == register))
        .map(|(_, n, _, _)| *n)
        .sum();
    let duck_total = |pick: fn(&(String, u64, f64, f64)) -> f64| {
        present
            .iter()
            .filter_map(|register| duckdb.iter().find(|(r, _, _, _)| r == register))
            .map(pick)
            .sum::<f64>()
    };
    let (duck_seconds, duck_cpu) = (duck_total(|d| d.2), duck_total(|d| d.3));
    let mut line = format!("{:<14} {total_rows:>12}", "all registers");
    let mut verdicts = Vec::new();
    for (engine, measured) in &results {
        let seconds: f64 = measured.iter().map(|m| m.seconds).sum();
        let cpu: f64 = measured.iter().map(|m| m.cpu_seconds).sum();
        let peak = measured.iter().map(|m| m.peak_kib).max().unwrap_or(0) / 1024;
        let per_core = total_rows as f64 / cpu;
        line.push_str(&format!(
            " | {:>12.1} {:>10.0} {:>10.0} {:>8} {:>8.2}×",
            seconds,
            total_rows as f64 / seconds,
            per_core,
            peak,
            seconds / duck_seconds
        ));
        let met = per_core >= 1e6 && peak <= 4096;
        let server_cpu: f64 = measured.iter().map(|m| m.server_cpu_seconds).sum();
        // How much of the rate is the server's own work, which no client
        // can take away.
        let server_share = if server_cpu > 0.0 {
            format!(
                " (the server alone: {server_cpu:.0} of {cpu:.0} CPU seconds, {:.2}M rows per second of its CPU time)",
                total_rows as f64 / server_cpu / 1e6
            )
        } else {
            String::new()
        };
        verdicts.push(format!(
            "{engine} {:.2}M rows per CPU second ({:.2}× DuckDB's CPU time), peak {peak} MiB: {}{server_share}",
            per_core / 1e6,
            cpu / duck_cpu,
            if met { "met" } else { "not met" }
        ));
    }
    line.push_str(&format!(
        " | {:>10.1} {:>10} {:>10}",
        duck_seconds,
        rate(total_rows, duck_seconds),
        rate(total_rows, duck_cpu)
    ));
    println!("{line}");
    println!(
        "goal (all registers: at least 1M rows per CPU second, at most 4 GB peak): {}",
        verdicts.join("; ")
    );
    println!(
        "(\"rows/CPU-s\": rows per second of the ingest process's CPU time, user and system — the rate per core; \
         for PostgreSQL with its server's processes. \"vs DuckDB\": our time ÷ DuckDB's time for the same file, \
         and \"× DuckDB's CPU time\" the same for CPU time, which changes less between machines \
         than rates do; DuckDB loads into memory without validation.)"
    );
    Ok(())
}

/// The machine the figures were measured on: its cores, and its
/// processor as the kernel names it, with the clock (rates per core
/// differ between machines by more than any one change of ours, DuckDB's
/// with them, so a reading names its machine).
fn machine() -> String {
    format!(
        "{} cores ({})",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        processor()
    )
}

/// The processor's name and clock, from `/proc/cpuinfo`.
fn processor() -> String {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let field = |name: &str| {
        info.lines()
            .filter_map(|line| line.split_once(':'))
            .find(|(key, _)| key.trim() == name)
            .map(|(_, value)| value.trim().to_string())
    };
    match (field("model name"), field("cpu MHz")) {
        (Some(model), Some(mhz)) => {
            let mhz = mhz.parse::<f64>().map_or(mhz, |m| format!("{m:.0}"));
            format!("{model}, {mhz} MHz")
        }
        (Some(model), None) => model,
        _ => "processor unknown".to_string(),
    }
}

/// The PostgreSQL half, run inside `pg_virtualenv` (which sets `PG*`).
pub fn bench_ingest_postgres(args: &[String]) -> Result<(), String> {
    let [tvaers, work, extracts, results] = args else {
        return Err("usage: bench-ingest-postgres TVAERS WORK EXTRACTS RESULTS".into());
    };
    let var = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
    let url = format!(
        "postgres://{}:{}@{}:{}/{}",
        var("PGUSER")?,
        var("PGPASSWORD")?,
        var("PGHOST")?,
        var("PGPORT")?,
        var("PGDATABASE")?
    );
    let extracts = PathBuf::from(extracts);
    let present: Vec<&str> = REGISTERS
        .iter()
        .copied()
        .filter(|r| extracts.join(format!("{r}.csv")).is_file())
        .collect();
    let server = Server::find()?;
    let measured = present
        .iter()
        .map(|register| {
            let before = server.cpu_seconds()?;
            let mut m = ingest_one(
                Path::new(tvaers),
                &url,
                Path::new(work),
                &extracts,
                register,
            )?;
            m.server_cpu_seconds = server.cpu_seconds()? - before;
            m.cpu_seconds += m.server_cpu_seconds;
            Ok(m)
        })
        .collect::<Result<Vec<_>, String>>()?;
    let text: String = measured
        .iter()
        .map(|m| {
            format!(
                "{} {} {} {}\n",
                m.seconds, m.peak_kib, m.cpu_seconds, m.server_cpu_seconds
            )
        })
        .collect();
    std::fs::write(results, text).map_err(|e| format!("writing {results}: {e}"))
}

fn ingest_all(
    tvaers: &Path,
    database_url: &str,
    work: &Path,
    extracts: &Path,
    registers: &[&str],
) -> Result<Vec<Measured>, String> {
    registers
        .iter()
        .map(|register| ingest_one(tvaers, database_url, work, extracts, register))
        .collect()
}

/// `tvaers ingest` of one register's CSV file, timed.
fn ingest_one(
    tvaers: &Path,
    database_url: &str,
    work: &Path,
    extracts: &Path,
    register: &str,
) -> Result<Measured, String> {
    let file = extracts.join(format!("{register}.csv"));
    timed(
        Command::new(tvaers)
            .arg("--data-dir")
            .arg(work)
            .arg("--database-url")
            .arg(database_url)
            .args(["ingest", register])
            .arg(&file),
        work,
    )
}

/// The local PostgreSQL server named by `PG*`, for its CPU time.
struct Server {
    postmaster: u32,
    ticks_per_second: f64,
}

impl Server {
    /// Finds the server's postmaster: the parent of its checkpointer.
    fn find() -> Result<Server, String> {
        let out = Command::new("psql")
            .args([
                "-Atc",
                "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'",
            ])
            .output()
            .map_err(|e| format!("running psql: {e}"))?;
        let checkpointer: u32 = String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .map_err(|_| "psql did not name the server's checkpointer".to_string())?;
        let postmaster = proc_stat(checkpointer)
            .and_then(|f| f.get(1).and_then(|p| p.parse().ok()))
            .ok_or("the checkpointer's parent is not in /proc")?;
        let ticks = Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .map_err(|e| format!("running getconf: {e}"))?;
        let ticks_per_second = String::from_utf8_lossy(&ticks.stdout)
            .trim()
            .parse()
            .map_err(|_| "getconf CLK_TCK did not print a number".to_string())?;
        Ok(Server {
            postmaster,
            ticks_per_second,
        })
    }

    /// CPU time (user and system) of the postmaster, its live processes
    /// and those that ended (which the postmaster has waited for).
    fn cpu_seconds(&self) -> Result<f64, String> {
        let ticks = |f: &[String], from: usize, n: usize| -> u64 {
            f[from..from + n]
                .iter()
                .filter_map(|t| t.parse::<u64>().ok())
                .sum()
        };
        // Fields after the command: state(0) ppid(1) … utime(11) stime(12)
        // cutime(13) cstime(14).
        let own = || proc_stat(self.postmaster).ok_or("the postmaster is gone");
        loop {
            let before = ticks(&own()?, 11, 4);
            let mut children = 0;
            let entries = std::fs::read_dir("/proc").map_err(|e| format!("reading /proc: {e}"))?;
            for entry in entries.flatten() {
                let Some(pid) = entry.file_name().to_str().and_then(|p| p.parse().ok()) else {
                    continue;
                };
                if let Some(f) = proc_stat(pid) {
                    if f.get(1).and_then(|p| p.parse::<u32>().ok()) == Some(self.postmaster) {
                        children += ticks(&f, 11, 2);
                    }
                }
            }
            // A child that ended while the folder was read is in neither
            // count (or in both): read again.
            if ticks(&own()?, 11, 4) == before {
                return Ok((before + children) as f64 / self.ticks_per_second);
            }
        }
    }
}

/// The fields of `/proc/PID/stat` after the command's name.
fn proc_stat(pid: u32) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = text.rsplit_once(") ")?;
    Some(rest.split_whitespace().map(str::to_string).collect())
}

/// Runs `command` under `/usr/bin/time`, passing its output through.
fn timed(command: &mut Command, work: &Path) -> Result<Measured, String> {
    timed_to(command, work, None)
}

/// Runs `command` under `/usr/bin/time`, its standard output into `stdout`
/// if given.
fn timed_to(command: &mut Command, work: &Path, stdout: Option<&Path>) -> Result<Measured, String> {
    let report = work.join("time.out");
    let program = command.get_program().to_os_string();
    let args: Vec<_> = command.get_args().map(|a| a.to_os_string()).collect();
    let mut time = Command::new("/usr/bin/time");
    if let Some(path) = stdout {
        time.stdout(
            std::fs::File::create(path).map_err(|e| format!("creating {}: {e}", path.display()))?,
        );
    }
    let status = time
        .args(["-f", "%e %M %U %S", "-o"])
        .arg(&report)
        .arg(&program)
        .args(&args)
        .status()
        .map_err(|e| format!("running /usr/bin/time (Debian package `time`): {e}"))?;
    if !status.success() {
        return Err(format!("{} {:?} failed", program.to_string_lossy(), args));
    }
    let text = std::fs::read_to_string(&report).map_err(|e| e.to_string())?;
    let mut f = text.split_whitespace();
    let mut number = || f.next().and_then(|s| s.parse::<f64>().ok());
    Ok(Measured {
        seconds: number().unwrap_or(f64::NAN),
        peak_kib: number().map_or(0, |kib| kib as u64),
        cpu_seconds: number().unwrap_or(f64::NAN) + number().unwrap_or(f64::NAN),
        server_cpu_seconds: 0.0,
    })
}

fn read_results(path: &Path) -> Result<Vec<Measured>, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    Ok(text
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            Some(Measured {
                seconds: f.next()?.parse().ok()?,
                peak_kib: f.next()?.parse().ok()?,
                cpu_seconds: f.next()?.parse().ok()?,
                server_cpu_seconds: f.next()?.parse().ok()?,
            })
        })
        .collect())
}

/// `cargo xtask bench-build [--persons N] [--years Y]`: a release build
/// from a SQLite store of a generated population (default national size),
/// next to DuckDB computing the same cells from the same extracts, and
/// every tile family's size raw, brotli and as Parquet-ZSTD.
pub fn bench_build(args: &[String]) -> Result<(), String> {
    let bench = Bench::prepare(args, "build")?;
    let Bench {
        persons,
        years,
        tvaers,
        work,
        extracts,
        ..
    } = &bench;
    let cli = || {
        let mut c = Command::new(tvaers);
        c.arg("--data-dir").arg(work);
        c
    };

    bench.generate()?;
    println!("\n==> ingesting into SQLite");
    timed(cli().arg("ingest-dir").arg(extracts), work)?;

    println!("\n==> building the release");
    let report = work.join("build.out");
    let mut build = timed_to(cli().args(["build", "--sizes"]), work, Some(&report))?;
    let output = std::fs::read_to_string(&report).map_err(|e| e.to_string())?;
    print!("{output}");
    // The build's own time ("Release ID published in T s (…)"), without the
    // brotli size report that follows it.
    if let Some(seconds) = output
        .lines()
        .find_map(|l| l.strip_prefix("Release ")?.split(" in ").nth(1))
        .and_then(|t| t.split(" s").next()?.parse().ok())
    {
        build.seconds = seconds;
    }
    // "  size FAMILY: B bytes, X bytes brotli"
    let brotli: Vec<(String, u64)> = output
        .lines()
        .filter_map(|l| {
            let (family, rest) = l.trim().strip_prefix("size ")?.split_once(": ")?;
            let bytes = rest
                .split(", ")
                .nth(1)?
                .split_whitespace()
                .next()?
                .parse()
                .ok()?;
            Some((family.to_string(), bytes))
        })
        .collect();

    // Disclosure control: what the rounding costs per measure at
    // municipality level (the same release again, with the exact values
    // kept to compare; not part of the timed build), and the audit of the
    // public tiles.
    println!("\n==> disclosure control: utility cost (tvaers build --utility)");
    timed(cli().args(["build", "--utility"]), work)?;
    println!("\n==> disclosure control: audit of the public tiles");
    timed(cli().arg("audit-disclosure"), work)?;

    println!("\n==> DuckDB computing the same cells; tiles as Parquet-ZSTD");
    let text = bench.python(
        "duckdb_build.py",
        &[extracts.clone(), work.join("tvaers.db")],
    )?;
    let field = |line: &str, i: usize| line.split_whitespace().nth(i).unwrap_or("").to_string();
    let duck = text
        .lines()
        .find(|l| l.starts_with("duckdb "))
        .ok_or("DuckDB printed no timing")?;
    let duck_seconds: f64 = field(duck, 1).parse().unwrap_or(f64::NAN);
    let duck_peak_kib: u64 = field(duck, 2).parse().unwrap_or(0);

    println!(
        "\n==> build benchmark: {persons} persons, years {years}, on {}",
        machine()
    );
    println!("{:<28} {:>10} {:>10}", "", "wall s", "peak MiB");
    println!(
        "{:<28} {:>10.1} {:>10}",
        "tvaers build (SQLite)",
        build.seconds,
        build.peak_kib / 1024
    );
    println!(
        "{:<28} {:>10.1} {:>10}",
        "DuckDB, same cells from CSV",
        duck_seconds,
        duck_peak_kib / 1024
    );
    println!("ratio: {:.2}× DuckDB's time", build.seconds / duck_seconds);
    println!(
        "\n{:<28} {:>8} {:>12} {:>12} {:>14} {:>16}",
        "tile family", "rows", "raw bytes", "brotli", "Parquet-ZSTD", "brotli/Parquet"
    );
    for line in text.lines().filter(|l| l.starts_with("parquet ")) {
        let family = field(line, 1);
        let parquet: f64 = field(line, 4).parse().unwrap_or(f64::NAN);
        let br = brotli
            .iter()
            .find(|(f, _)| *f == family)
            .map_or(0, |(_, b)| *b);
        println!(
            "{:<28} {:>8} {:>12} {:>12} {:>14} {:>15.2}×",
            family,
            field(line, 2),
            field(line, 3),
            br,
            field(line, 4),
            br as f64 / parquet
        );
    }
    Ok(())
}

/// Rows per second, or "–" when the time is too short to have been
/// measured (a register of a few thousand rows can take 0.00 s of CPU).
fn rate(rows: u64, seconds: f64) -> String {
    if seconds > 0.0 {
        format!("{:.0}", rows as f64 / seconds)
    } else {
        "–".to_string()
    }
}
