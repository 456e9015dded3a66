//! Installing what the commands need, each tool only when it is missing
//! or at the wrong version. Nothing is downloaded from anywhere but the
//! package registries (crates.io, npm, PyPI, Debian).

use std::path::Path;
use std::process::{Command, Stdio};

use crate::steps::Steps;

/// The trunk release that builds with this machine's rustc.
const TRUNK_VERSION: &str = "0.21.14";

/// Flags for headless Chromium on a machine with no network but loopback.
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
];

/// Output of `program args…`, if it ran successfully.
fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program)
        .args(args)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The version of `package` in Cargo.lock.
pub fn locked_version(root: &Path, package: &str) -> Result<String, String> {
    let lock =
        std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock
        .find(&needle)
        .ok_or_else(|| format!("{package} is not in Cargo.lock"))?
        + needle.len();
    let end = lock[start..].find('"').ok_or("malformed Cargo.lock")? + start;
    Ok(lock[start..end].to_string())
}

/// Everything needed to build: the wasm32 target, crates fetched (trunk
/// builds offline), trunk, wasm-bindgen-cli at the Cargo.lock version, and
/// wasm-opt from npm.
pub fn ensure_build_tools(steps: &mut Steps) -> Result<(), String> {
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if !installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        steps.run(
            "install the wasm32 target",
            Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]),
        )?;
    }
    steps.cargo(
        "fetch crates (trunk builds offline)",
        &["fetch", "--locked"],
    )?;

    let trunk = output("trunk", &["--version"]).unwrap_or_default();
    if !trunk.contains(TRUNK_VERSION) {
        steps.run(
            &format!("install trunk {TRUNK_VERSION} (about 10 minutes, once)"),
            Command::new("cargo").args([
                "install",
                "trunk",
                "--version",
                TRUNK_VERSION,
                "--locked",
            ]),
        )?;
    }

    let bindgen = locked_version(&steps.root, "wasm-bindgen")?;
    let trunk_toml = std::fs::read_to_string(steps.root.join("Trunk.toml"))
        .map_err(|e| format!("Trunk.toml: {e}"))?;
    if !trunk_toml.contains(&format!("wasm_bindgen = \"{bindgen}\"")) {
        return Err(format!(
            "Trunk.toml's [tools] wasm_bindgen must equal Cargo.lock's wasm-bindgen {bindgen}: update Trunk.toml"
        ));
    }
    let installed = output("wasm-bindgen", &["--version"]).unwrap_or_default();
    if installed.split_whitespace().nth(1) != Some(bindgen.as_str()) {
        // Without --locked: one of its pinned dependencies is gone from
        // the registry index.
        steps.run(
            &format!("install wasm-bindgen-cli {bindgen} (about 3 minutes, once)"),
            Command::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &bindgen]),
        )?;
    }

    let e2e = steps.root.join("e2e");
    let mut npm = Command::new("npm");
    npm.current_dir(&e2e)
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]);
    steps.run(
        "install npm packages (wasm-opt from binaryen, playwright-core, arquero, DuckDB-WASM)",
        &mut npm,
    )?;
    steps
        .path_prefix
        .push(e2e.join("node_modules").join(".bin"));
    Ok(())
}

/// Debian packages (Chromium, its driver, PostgreSQL) and a Python venv
/// with the packages of `e2e/requirements.txt` (pyarrow, pytest, DuckDB,
/// PyJWT, cryptography, SciPy).
pub fn ensure_test_tools(steps: &mut Steps) -> Result<(), String> {
    let wanted = ["chromium", "chromium-driver", "postgresql"];
    let missing: Vec<&str> = wanted
        .into_iter()
        .filter(|p| {
            !output("dpkg-query", &["-W", "-f=${Status}", p])
                .is_some_and(|s| s.contains("install ok installed"))
        })
        .collect();
    if !missing.is_empty() {
        let sudo = output("id", &["-u"]).is_none_or(|u| u.trim() != "0");
        let apt = |args: &[&str]| {
            let mut c = Command::new(if sudo { "sudo" } else { "apt-get" });
            if sudo {
                c.arg("apt-get");
            }
            c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
            c
        };
        steps.run("apt-get update", &mut apt(&["update", "-qq"]))?;
        let mut install = apt(&["install", "-y", "-qq", "--no-install-recommends"]);
        install.args(&missing);
        steps.run(&format!("install {}", missing.join(", ")), &mut install)?;
    }

    let venv = crate::cache_dir().join("venv");
    let python = venv.join("bin").join("python");
    let ready = Command::new(&python)
        .args([
            "-c",
            "import pyarrow, pytest, duckdb, jwt, cryptography, scipy",
        ])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ready {
        steps.run(
            "create a Python venv",
            Command::new("python3").arg("-m").arg("venv").arg(&venv),
        )?;
        steps.run(
            "install pyarrow, pytest, DuckDB, PyJWT, cryptography and SciPy",
            Command::new(&python)
                .args([
                    "-m",
                    "pip",
                    "install",
                    "--quiet",
                    "--disable-pip-version-check",
                    "-r",
                ])
                .arg(steps.root.join("e2e").join("requirements.txt")),
        )?;
    }
    steps.path_prefix.push(venv.join("bin"));
    Ok(())
}
