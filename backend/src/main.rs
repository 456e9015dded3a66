//! The `tvaers` command: serve, generate, ingest, build.

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use shared::api::{BatchStatus, RowError};
use shared::register::{RegisterId, REGISTERS};
use tvaers::config::Settings;
use tvaers::generate;
use tvaers::ingest::{self, Batch, IngestError, PseudonymKey, Source};
use tvaers::release;
use tvaers::startup::{self, AppState};
use tvaers::store::Store;

/// Tværs: cross-sector health data, from register extract to dashboard.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    #[command(flatten)]
    settings: Settings,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API and the portal.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "TVAERS_ADDR", default_value = "127.0.0.1:8080")]
        addr: String,
        /// Folder of the built portal (trunk's output).
        #[arg(long, env = "TVAERS_DIST", default_value = "dist")]
        dist: PathBuf,
        /// Trust tokens of issuer ISSUER signed with a key of the JWKS
        /// file FILE (`ISSUER=FILE`; repeatable).
        #[arg(long = "trust", env = "TVAERS_TRUST", value_delimiter = ',',
              value_parser = tvaers::auth::keys::parse_trust)]
        trust: Vec<(String, PathBuf)>,
        /// Do not trust the development issuer, and offer no demo sign-in
        /// (production).
        #[arg(long, env = "TVAERS_NO_DEV_ISSUER")]
        no_dev_issuer: bool,
        /// Mark the session cookie `Secure` (behind HTTPS).
        #[arg(long, env = "TVAERS_SECURE_COOKIE")]
        secure_cookie: bool,
    },
    /// Print a token signed by the development issuer (its key is
    /// generated into the data folder on first use).
    Token {
        /// Role: municipality, region, health_cluster, gp_practice,
        /// gp_cluster, national, ingest or admin.
        #[arg(long)]
        role: String,
        /// Organisation: municipality or region code, health-cluster id,
        /// GP-cluster code, provider number, or register key (ingest).
        #[arg(long)]
        org: Option<String>,
        /// Display name.
        #[arg(long)]
        name: Option<String>,
        /// Lifetime: seconds, or with a unit (`90s`, `15m`, `1h`, `2d`).
        #[arg(long, default_value = "1h", value_parser = parse_ttl)]
        ttl: u64,
    },
    /// Write synthetic extracts of all twelve registers for a population.
    Generate {
        /// Persons resident on the first day of the period.
        #[arg(long, default_value_t = 50_000)]
        persons: u64,
        /// Calendar years of the events: `2019..2024` (inclusive) or one
        /// year.
        #[arg(long, alias = "year", default_value = "2024", value_parser = generate::parse_years_until_today)]
        years: (i32, i32),
        /// Random seed; the same options give byte-identical files.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output folder.
        #[arg(long, default_value = "data/extracts")]
        out: PathBuf,
        /// File format: CSV with a header row, or Arrow IPC streams
        /// (`.arrows`).
        #[arg(long, value_enum, default_value_t = FormatArg::Csv)]
        format: FormatArg,
        /// Print the calibration report: generated totals of the last year
        /// against public figures scaled to the population.
        #[arg(long)]
        report: bool,
        /// Also write deliberately broken files and `broken.json` (for
        /// ingestion tests).
        #[arg(long)]
        broken: bool,
    },
    /// Ingest one register extract: CSV with a header row, or an Arrow IPC
    /// stream (`.arrow`, `.arrows`, `.ipc`) with the same columns.
    Ingest {
        /// Register key (see `GET /api/catalog` or the README).
        register: String,
        /// The extract file.
        file: PathBuf,
        /// Batch id (like the HTTP Idempotency-Key); default: the file's hash.
        #[arg(long)]
        batch_id: Option<String>,
    },
    /// Ingest every register extract in a folder (`<register>.csv` or
    /// `<register>.arrows`), referenced registers first.
    IngestDir {
        /// The folder.
        dir: PathBuf,
    },
    /// Aggregate what is stored and publish a release of tiles.
    Build {
        /// The ÆMI rule.
        #[command(flatten)]
        aemi: AemiArgs,
        /// After publishing, also print each tile's size brotli-compressed
        /// as served (quality 11: slow).
        #[arg(long)]
        sizes: bool,
        /// Publish exact counts in the public tiles instead of protected
        /// ones. Only for synthetic data (tests): public tiles must be
        /// protected. (Closed tiles are always exact.)
        #[arg(long)]
        exact: bool,
        /// Also print what protection costs: the mean absolute and
        /// relative error per measure at municipality level.
        #[arg(long, conflicts_with = "exact")]
        utility: bool,
    },
    /// Audit a release's public tiles for disclosure: every published
    /// count, and the differencing attacks an adversary with only the
    /// public tiles could run. Exits with an error on any violation.
    AuditDisclosure {
        /// Release id (default: the newest).
        #[arg(long)]
        release: Option<String>,
    },
    /// Print the register formats as Markdown (`docs/registers.md`).
    Registers,
}

/// The configurable rules of a build: elderly medical patients (ÆMI), who
/// have no national definition, and the window of prior contacts.
#[derive(Debug, clap::Args)]
struct AemiArgs {
    /// ÆMI: youngest age, reached in the year.
    #[arg(long, env = "TVAERS_AEMI_MIN_AGE", default_value_t = 65)]
    aemi_min_age: u32,
    /// ÆMI: department types whose admissions count (comma-separated
    /// codes of the SOR/LPR department types).
    #[arg(
        long,
        env = "TVAERS_AEMI_DEPARTMENTS",
        value_delimiter = ',',
        default_value = "medical"
    )]
    aemi_departments: Vec<String>,
    /// ÆMI: fewest such admissions in the year.
    #[arg(long, env = "TVAERS_AEMI_MIN_ADMISSIONS", default_value_t = 1,
          value_parser = clap::value_parser!(u32).range(1..))]
    aemi_min_admissions: u32,
    /// Days before an admission in which a contact with general practice
    /// or municipal care counts as prior to it (the day of admission
    /// itself always counts).
    #[arg(long, env = "TVAERS_PRIOR_WINDOW_DAYS", default_value_t = tvaers::aggregate::PRIOR_WINDOW_DAYS,
          value_parser = clap::value_parser!(u32).range(0..=365))]
    prior_window_days: u32,
}

impl AemiArgs {
    fn rules(&self) -> tvaers::aggregate::Rules {
        tvaers::aggregate::Rules {
            aemi: tvaers::aggregate::AemiRule {
                min_age: self.aemi_min_age,
                department_types: self.aemi_departments.clone(),
                min_admissions: self.aemi_min_admissions,
            },
            prior_window_days: self.prior_window_days,
            ..tvaers::aggregate::Rules::default()
        }
    }
}

/// The extract format on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum FormatArg {
    /// CSV with a header row.
    Csv,
    /// Arrow IPC streams.
    Arrow,
}

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let cli = Cli::parse();
    match cli.command {
        Command::Generate {
            persons,
            years: (first_year, last_year),
            seed,
            out,
            format,
            report,
            broken,
        } => {
            let started = Instant::now();
            let years = if first_year == last_year {
                first_year.to_string()
            } else {
                format!("{first_year}–{last_year}")
            };
            let format = match format {
                FormatArg::Csv => generate::Format::Csv,
                FormatArg::Arrow => generate::Format::Arrow,
            };
            println!(
                "Generating {persons} synthetic persons for {years} (seed {seed}, {}) into {} …",
                format.name(),
                out.display()
            );
            let options = generate::Options {
                persons,
                first_year,
                last_year,
                seed,
                out,
                format,
                broken,
            };
            let generated = generate::generate(&options, |p| println!("  {p:>3} %"))?;
            println!(
                "Wrote {} persons ({} resident on 1 January {first_year}, the others born or immigrated) in {:.1} s:",
                generated.persons_written,
                generated.persons,
                started.elapsed().as_secs_f64()
            );
            for ((register, rows), file) in generated.rows.iter().zip(&generated.files) {
                println!(
                    "  {:<14} {rows:>12} rows  {}",
                    register.key(),
                    file.display()
                );
            }
            if broken {
                if let Some(list) = generated.broken.last() {
                    println!(
                        "Wrote {} broken files, listed with their expected errors in {}",
                        generated.broken.len() - 1,
                        list.display()
                    );
                }
            }
            if report {
                println!();
                println!(
                    "Calibration, {last_year} (public figures scaled to {persons} of 5,961,249 persons; ✓ within ±5 %):"
                );
                print!("{}", generated.report());
            }
        }
        Command::Ingest {
            register,
            file,
            batch_id,
        } => {
            let Some(register) = RegisterId::from_key(&register) else {
                let known: Vec<&str> = REGISTERS.iter().map(|r| r.key).collect();
                bail!(
                    "unknown register {}: expected one of {}",
                    ingest::quote(&register),
                    known.join(", ")
                );
            };
            let store = connect_alone(&cli.settings).await?;
            let key = cli.settings.pseudonym_key()?;
            let mut batch = Batch::from_file(register, &file);
            batch.file_name = file.display().to_string();
            batch.batch_id = batch_id;
            batch.max_bad_rows = cli.settings.max_bad_rows;
            ingest_file(&store, &key, batch).await?;
        }
        Command::IngestDir { dir } => {
            if !dir.is_dir() {
                bail!(
                    "{} is not a folder: give the folder holding the extracts",
                    dir.display()
                );
            }
            let store = connect_alone(&cli.settings).await?;
            let key = cli.settings.pseudonym_key()?;
            let mut found = 0;
            for register in REGISTERS {
                let candidates = [
                    dir.join(format!("{}.csv", register.key)),
                    dir.join(format!("{}.arrows", register.key)),
                ];
                for file in candidates.iter().filter(|f| f.is_file()) {
                    found += 1;
                    let mut batch = Batch::from_file(register.id, file);
                    batch.file_name = file.display().to_string();
                    batch.max_bad_rows = cli.settings.max_bad_rows;
                    ingest_file(&store, &key, batch).await?;
                }
            }
            if found == 0 {
                bail!(
                    "no register extracts in {}: expected files such as cpr.csv or ssr.arrows",
                    dir.display()
                );
            }
        }
        Command::Registers => print!("{}", shared::register::markdown()),
        Command::Build {
            aemi,
            sizes,
            exact,
            utility,
        } => {
            let store = connect(&cli.settings).await?;
            let started = Instant::now();
            let mut rules = aemi.rules();
            if exact {
                log::warn!(
                    "building EXACT tiles: for synthetic data only, never for public release"
                );
                rules.disclosure = shared::disclosure::Protection::Exact;
            }
            rules.measure_utility = utility;
            let summary = release::build_with(&store, &rules).await?;
            let elapsed = started.elapsed().as_secs_f64();
            let closed_count = summary.closed.len();
            let closed_bytes: i64 = summary.closed.iter().map(|t| t.size).sum();
            // A split tile's parts are summed up on its line.
            let parts_of = |family| parts_of(&summary.tiles, family);
            for tile in summary.tiles.iter().filter(|t| part_of(t).is_none()) {
                let parts: Vec<_> = parts_of(&tile.meta.family).collect();
                let parts = match parts.iter().map(|t| t.meta.size).max() {
                    Some(largest) => format!(
                        " (and {} parts, one per code, the largest {largest} bytes)",
                        parts.len()
                    ),
                    None => String::new(),
                };
                println!(
                    "  tile {} {}: {} cells, {} bytes{parts}",
                    tile.meta.family, tile.meta.id, tile.meta.rows, tile.meta.size,
                );
            }
            println!(
                "  {closed_count} closed tiles (exact, one set per scope): {closed_bytes} bytes"
            );
            let unplaced = summary.unplaced;
            for (n, what) in [
                (unplaced.gp_contacts, "GP contacts"),
                (unplaced.hospital_contacts, "hospital contacts"),
                (unplaced.care_person_years, "person-years of municipal care"),
            ] {
                if n > 0 {
                    println!(
                        "  note: {n} {what} belong to persons who were no citizens in that year (or are missing from the CPR extract) and are in no cell"
                    );
                }
            }
            let state = if summary.published {
                "published"
            } else {
                "unchanged (already current)"
            };
            println!(
                "Release {} {state} in {elapsed:.1} s ({} values)",
                summary.release,
                if exact { "exact" } else { "protected" }
            );
            if !summary.utility.is_empty() {
                println!("\nWhat protection costs, per municipality and year (published vs true):");
                println!(
                    "{:<34} {:<10} {:>7} {:>12} {:>12} {:>10}",
                    "measure", "scale", "cells", "mean abs", "mean rel %", "suppressed"
                );
                for u in &summary.utility {
                    println!(
                        "{:<34} {:<10} {:>7} {:>12.3} {:>12.3} {:>10}",
                        u.measure,
                        u.scale,
                        u.cells,
                        u.mean_absolute,
                        u.mean_relative * 100.0,
                        u.suppressed
                    );
                }
            }
            if sizes {
                for tile in summary.tiles.iter().filter(|t| part_of(t).is_none()) {
                    let brotli = tvaers::tile::brotli(&tile.bytes)?;
                    println!(
                        "  size {}: {} bytes, {} bytes brotli",
                        tile.meta.family,
                        tile.meta.size,
                        brotli.len()
                    );
                    // "  parts FAMILY: N parts, largest CODE: B bytes, X bytes brotli"
                    let mut largest = None;
                    let mut count = 0;
                    for part in parts_of(&tile.meta.family) {
                        count += 1;
                        let brotli = tvaers::tile::brotli(&part.bytes)?.len();
                        if largest.is_none_or(|(_, b, _)| brotli > b) {
                            largest = Some((part.meta.size, brotli, &part.meta.family));
                        }
                    }
                    if let Some((raw, brotli, family)) = largest {
                        println!(
                            "  parts {}: {count} parts, largest {family}: {raw} bytes, {brotli} bytes brotli",
                            tile.meta.family
                        );
                    }
                }
            }
        }
        Command::AuditDisclosure { release } => {
            let store = connect(&cli.settings).await?;
            let Some((id, tiles, previous)) = release::cubes(&store, release.as_deref()).await?
            else {
                bail!(
                    "no release {}: build one with `tvaers build`",
                    release.as_deref().unwrap_or("at all")
                );
            };
            let public = tiles
                .iter()
                .filter(|c| c.protection() != shared::disclosure::Protection::Exact)
                .count();
            println!(
                "Disclosure audit of release {id}: {public} of {} tiles public (protected){}",
                tiles.len(),
                if previous.is_empty() {
                    String::new()
                } else {
                    ", compared with the release before it".to_string()
                }
            );
            let checks = tvaers::aggregate::disclosure::audit(&tiles, &previous);
            println!("{:<90} {:>12} {:>10}", "check", "checked", "violations");
            for c in &checks {
                println!("{:<90} {:>12} {:>10}", c.name, c.checked, c.violations);
            }
            let violations: u64 = checks.iter().map(|c| c.violations).sum();
            if public < tiles.len() {
                bail!(
                    "{} tiles of release {id} are exact: an exact release must not be public",
                    tiles.len() - public
                );
            }
            if violations > 0 {
                bail!("{violations} disclosure violations in release {id}");
            }
            println!("0 violations");
        }
        Command::Token {
            role,
            org,
            name,
            ttl,
        } => {
            let role = tvaers::auth::Role::from_key(&role).with_context(|| {
                let roles: Vec<_> = tvaers::auth::Role::ALL.iter().map(|r| r.key()).collect();
                format!(
                    "unknown role {role:?}: expected one of {}",
                    roles.join(", ")
                )
            })?;
            // The claims must be ones the server accepts.
            tvaers::auth::Scope::of(role, org.as_deref()).map_err(anyhow::Error::msg)?;
            if role == tvaers::auth::Role::Ingest
                && org.as_deref().and_then(RegisterId::from_key).is_none()
            {
                bail!("an ingest token needs --org <register key>");
            }
            let issuer = tvaers::auth::DevIssuer::load_or_create(&cli.settings.dev_issuer_dir())?;
            println!(
                "{}",
                issuer.sign(
                    role,
                    org.as_deref(),
                    name.as_deref(),
                    &cli.settings.audience,
                    ttl
                )
            );
        }
        Command::Serve {
            addr,
            dist,
            trust,
            no_dev_issuer,
            secure_cookie,
        } => {
            let store = connect(&cli.settings).await?;
            let key = cli.settings.pseudonym_key()?;
            let mut state = AppState::new(store, key, Some(dist.clone()));
            state.auth = auth(&cli.settings, &trust, no_dev_issuer, secure_cookie)?;
            state.max_bad_rows = cli.settings.max_bad_rows;
            state.spool_dir = cli.settings.data_dir.join("spool");
            std::fs::create_dir_all(&state.spool_dir)
                .with_context(|| format!("creating {}", state.spool_dir.display()))?;
            if state.dist.is_none() {
                log::warn!(
                    "no portal in {}: serving the API only (build it with `cargo xtask demo`)",
                    dist.display()
                );
            }
            if let Some(dist) = &state.dist {
                state.bundle.compress_in_background(dist.clone());
            }
            // Compress the current release's base tiles (the first views)
            // before the first visitor asks for them; the split tiles,
            // and their parts, fetched only when a person filter or a
            // quarter is used, on a thread of
            // their own once the server listens.
            if let Some((release, tiles)) = state.store.latest_release().await? {
                let mut later = Vec::new();
                // Closed tiles are compressed when first asked for.
                for tile in tiles.into_iter().filter(|t| t.scope.is_none()) {
                    let Some(bytes) = state.store.tile_bytes(&tile.id).await? else {
                        continue;
                    };
                    let split = shared::tile::TileRef::from_key(&tile.family)
                        .is_some_and(|t| t.kind.split != shared::tile::Split::None);
                    if split {
                        later.push((tile.id, bytes));
                    } else {
                        state.tiles.insert(
                            &tile.id,
                            bytes,
                            None,
                            tvaers::routes::tiles::Effort::Best,
                        );
                    }
                }
                log::info!("release {}: base tiles compressed", release.id);
                state.tiles.warm_in_background(
                    later,
                    format!("release {}: split tiles compressed", release.id),
                );
            }
            let listener = TcpListener::bind(&addr).with_context(|| format!("binding {addr}"))?;
            println!("Tværs is serving on http://{}", listener.local_addr()?);
            startup::run(listener, state)?.await?;
        }
    }
    Ok(())
}

/// The split tile a part is of (`None` for a whole tile).
fn part_of(tile: &tvaers::tile::EncodedTile) -> Option<shared::tile::TileKind> {
    shared::tile::TileRef::from_key(&tile.meta.family)
        .filter(|t| t.part.is_some())
        .map(|t| t.kind)
}

/// The parts of split tile `family` among `tiles`.
fn parts_of<'a>(
    tiles: &'a [tvaers::tile::EncodedTile],
    family: &'a str,
) -> impl Iterator<Item = &'a tvaers::tile::EncodedTile> {
    let kind = shared::tile::TileKind::from_key(family);
    tiles
        .iter()
        .filter(move |t| kind.is_some() && part_of(t) == kind)
}

/// The trusted keys: the development issuer's unless it is off, and
/// those of each `--trust ISSUER=FILE`.
fn auth(
    settings: &Settings,
    trust: &[(String, PathBuf)],
    no_dev_issuer: bool,
    secure_cookie: bool,
) -> anyhow::Result<tvaers::auth::request::Auth> {
    let mut keys = Vec::new();
    let dev = if no_dev_issuer {
        None
    } else {
        let issuer = tvaers::auth::DevIssuer::load_or_create(&settings.dev_issuer_dir())?;
        keys.push(issuer.trusted_key());
        log::warn!(
            "the development issuer is trusted and demo sign-in is on (production: --no-dev-issuer)"
        );
        Some(issuer)
    };
    for (issuer, file) in trust {
        let trusted = tvaers::auth::TrustedKey::load(issuer, file)?;
        log::info!(
            "trusting {} key(s) of {issuer} from {}",
            trusted.len(),
            file.display()
        );
        keys.extend(trusted);
    }
    Ok(tvaers::auth::request::Auth {
        verifier: tvaers::auth::Verifier::new(keys, &settings.audience)?,
        dev,
        secure_cookie,
    })
}

/// Reads a lifetime: seconds, or a number with `s`, `m`, `h` or `d`.
fn parse_ttl(text: &str) -> Result<u64, String> {
    let (number, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => text.split_at(i),
        None => (text, "s"),
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("{text:?}: expected e.g. 3600, 90s, 15m, 1h or 2d"))?;
    let unit = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(format!("{text:?}: the unit must be s, m, h or d")),
    };
    Ok(n.saturating_mul(unit))
}

/// Ingests one file with a progress bar, and prints its report.
async fn ingest_file(store: &Store, key: &PseudonymKey, mut batch: Batch) -> anyhow::Result<()> {
    let started = Instant::now();
    let size = match &batch.source {
        Source::File(path) => std::fs::metadata(path)
            .with_context(|| format!("reading {}", path.display()))?
            .len(),
        Source::Bytes(bytes) => bytes.len() as u64,
    };
    let read = Arc::new(AtomicU64::new(0));
    batch.progress = Some(Arc::clone(&read));
    let bar = ProgressBar::new(size).with_style(
        ProgressStyle::with_template(
            "{msg:>14} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar.set_message(batch.register.key());
    let ticking = {
        let bar = bar.clone();
        let read = Arc::clone(&read);
        actix_web::rt::spawn(async move {
            loop {
                bar.set_position(read.load(Ordering::Relaxed));
                actix_web::rt::time::sleep(std::time::Duration::from_millis(200)).await;
            }
        })
    };
    let result = ingest::ingest(store, key, batch).await;
    ticking.abort();
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    match result {
        Ok(report) => {
            println!(
                "{}: {}, {} rows read, {} added, {} rejected, batch {} ({seconds:.1} s, {:.0} rows/s, peak memory {})",
                report.file,
                match report.status {
                    BatchStatus::Published => "published",
                    BatchStatus::AlreadyIngested => "already ingested, nothing changed",
                },
                report.rows_read,
                report.rows_added,
                report.rows_rejected,
                report.batch_id,
                report.rows_read as f64 / seconds.max(1e-9),
                peak_memory()
            );
            print_row_errors(&report.errors);
            Ok(())
        }
        Err(e @ IngestError::Rejected { .. }) => {
            print_row_errors(e.row_errors());
            bail!("{e}");
        }
        Err(e) => Err(e.into()),
    }
}

/// Row errors as `file:line: field: reason`, saying when the list may be
/// cut.
fn print_row_errors(errors: &[RowError]) {
    for row in errors {
        eprintln!("{}:{}: {}: {}", row.file, row.line, row.field, row.reason);
    }
    if errors.len() >= ingest::MAX_REPORTED_ERRORS {
        eprintln!(
            "(at most {} errors are listed; the count of bad rows covers them all)",
            ingest::MAX_REPORTED_ERRORS
        );
    }
}

/// Peak resident memory of this process, from `/proc` (Linux).
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
        })
        .map_or_else(|| "unknown".to_string(), |kb| format!("{} MiB", kb / 1024))
}

async fn connect(settings: &Settings) -> anyhow::Result<Store> {
    open_store(settings, false).await
}

/// [`connect`] for a bulk load: see [`Store::connect_alone`].
async fn connect_alone(settings: &Settings) -> anyhow::Result<Store> {
    open_store(settings, true).await
}

async fn open_store(settings: &Settings, alone: bool) -> anyhow::Result<Store> {
    let url = settings.database_url();
    let store = if alone {
        Store::connect_alone(&url).await
    } else {
        Store::connect(&url).await
    }
    .with_context(|| format!("opening the store ({})", redact(&url)))?;
    log::info!("store: {}", store.engine());
    Ok(store)
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => format!("{}://…{}", &url[..scheme], &url[at..]),
        _ => url.to_string(),
    }
}
