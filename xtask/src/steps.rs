//! Running steps with progress output and timings.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The steps of one command, with their timings.
pub struct Steps {
    /// Repository root.
    pub root: PathBuf,
    /// Cargo target directory.
    pub target: PathBuf,
    /// Extra directories put first on PATH (local tools).
    pub path_prefix: Vec<PathBuf>,
    timings: Vec<(String, f64)>,
}

impl Steps {
    pub fn new(root: PathBuf, target: PathBuf) -> Steps {
        Steps {
            root,
            target,
            path_prefix: Vec::new(),
            timings: Vec::new(),
        }
    }

    /// PATH with the local tool folders first.
    pub fn path(&self) -> OsString {
        let mut parts: Vec<PathBuf> = self.path_prefix.clone();
        if let Some(path) = std::env::var_os("PATH") {
            parts.extend(std::env::split_paths(&path));
        }
        std::env::join_paths(parts).unwrap_or_default()
    }

    /// A command with the shared environment (target dir, PATH), run in
    /// the repository root.
    pub fn command(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.current_dir(&self.root)
            .env("CARGO_TARGET_DIR", &self.target)
            .env("PATH", self.path());
        c
    }

    /// Runs `command` as a named step; fails with the step's name.
    pub fn run(&mut self, name: &str, command: &mut Command) -> Result<(), String> {
        println!("\n==> {name}");
        let started = Instant::now();
        let status = command
            .status()
            .map_err(|e| format!("{name}: cannot start {:?}: {e}", command.get_program()))?;
        let seconds = started.elapsed().as_secs_f64();
        self.timings.push((name.to_string(), seconds));
        if !status.success() {
            return Err(format!("{name} failed ({status}) after {seconds:.0} s"));
        }
        println!("    done in {seconds:.1} s");
        Ok(())
    }

    /// Runs `cargo <args>` as a step.
    pub fn cargo(&mut self, name: &str, args: &[&str]) -> Result<(), String> {
        let mut c = self.command("cargo");
        c.args(args);
        self.run(name, &mut c)
    }

    /// Builds the browser bundle into `dist/`.
    pub fn trunk_build(&mut self) -> Result<(), String> {
        let mut c = self.command("trunk");
        c.args(["build", "--release"])
            .env("TRUNK_SKIP_VERSION_CHECK", "true");
        self.run("build the portal (trunk, wasm32, release)", &mut c)
    }

    /// The tile client's tests in headless Chromium via chromedriver.
    pub fn wasm_tests(&mut self) -> Result<(), String> {
        let config = self.target.join("webdriver.json");
        std::fs::create_dir_all(&self.target).map_err(|e| e.to_string())?;
        std::fs::write(
            &config,
            format!(
                r#"{{"goog:chromeOptions": {{"binary": "/usr/bin/chromium", "args": [{}]}}}}"#,
                crate::tools::CHROMIUM_FLAGS
                    .iter()
                    .map(|f| format!("\"{f}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
        .map_err(|e| format!("writing {}: {e}", config.display()))?;
        let mut c = self.command("cargo");
        c.args([
            "test",
            "-p",
            "tvaers-frontend",
            "--target",
            "wasm32-unknown-unknown",
        ])
        .env("CHROMEDRIVER", "/usr/bin/chromedriver")
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
        .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &config);
        self.run("wasm tile-decoder tests (headless Chromium)", &mut c)
    }

    /// Runs the data pipeline with the `tvaers` binary: generate `persons`
    /// synthetic persons with events in `years` (`2023..2024`) into
    /// `extracts`, ingest every register into the store under `data`, and
    /// build a release of tiles. Step names start with `label`.
    #[allow(clippy::too_many_arguments)]
    pub fn load_demo_data(
        &mut self,
        label: &str,
        tvaers: &Path,
        data: &Path,
        extracts: &Path,
        persons: &str,
        years: &str,
        seed: &str,
    ) -> Result<(), String> {
        let cli = |args: &[&str]| {
            let mut c = Command::new(tvaers);
            c.arg("--data-dir").arg(data).args(args);
            c
        };
        let out = extracts.display().to_string();
        self.run(
            &format!("{label}generate {persons} synthetic persons, {years}"),
            &mut cli(&[
                "generate",
                "--persons",
                persons,
                "--years",
                years,
                "--seed",
                seed,
                "--out",
                &out,
            ]),
        )?;
        self.run(
            &format!("{label}ingest every register"),
            &mut cli(&["ingest-dir", &out]),
        )?;
        self.run(&format!("{label}build tiles"), &mut cli(&["build"]))?;
        self.run(
            &format!("{label}audit the public tiles for disclosure"),
            &mut cli(&["audit-disclosure"]),
        )
    }

    /// Prints the timing table.
    pub fn summary(&self, started: Instant) {
        println!("\n==> all steps passed");
        for (name, seconds) in &self.timings {
            println!("    {seconds:>7.1} s  {name}");
        }
        println!("    {:>7.1} s  total", started.elapsed().as_secs_f64());
    }
}
