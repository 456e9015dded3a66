//! The end-to-end stage: demo data through the real binary, a served
//! portal, and the browser and pyarrow tests of `e2e/` against it.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::steps::Steps;

/// Persons in the end-to-end population: small enough to be quick, large
/// enough that every region has many people of each sex and the hospital
/// rules (joined contacts, readmissions) all occur for the fidelity test.
const E2E_PERSONS: &str = "20000";

/// Kills the server when the stage ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> Result<u16, String> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("finding a free port: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

fn healthy(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    if stream
        .write_all(b"GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.starts_with("HTTP/1.0 200") || answer.starts_with("HTTP/1.1 200")
}

pub fn end_to_end(steps: &mut Steps) -> Result<(), String> {
    let tvaers = steps.target.join("debug").join("tvaers");
    let work = steps.target.join("e2e-run");
    let _ = std::fs::remove_dir_all(&work);
    let data = work.join("data");
    let extracts = work.join("extracts");
    // Two years: the time series and the trends have a year to compare.
    steps.load_demo_data(
        "e2e: ",
        &tvaers,
        &data,
        &extracts,
        E2E_PERSONS,
        "2023..2024",
        "7",
    )?;
    let data_arg = data.display().to_string();
    let cli = |args: &[&str]| {
        let mut c = Command::new(&tvaers);
        c.arg("--data-dir").arg(&data).args(args);
        c
    };

    // The browser tests compare the portal with values computed from the
    // extracts, so the release they see first is exact (the data is
    // synthetic); the protected public release built above is the one
    // before it (`previous` in the manifest), which the disclosure tests
    // and the protected-values browser test open by its id.
    steps.run(
        "e2e: build exact tiles of the synthetic data (for the oracles)",
        &mut cli(&["build", "--exact"]),
    )?;

    let port = free_port()?;
    let addr = format!("127.0.0.1:{port}");
    let log = std::fs::File::create(work.join("server.log")).map_err(|e| e.to_string())?;
    let child = cli(&[
        "serve",
        "--addr",
        &addr,
        "--dist",
        &steps.root.join("dist").display().to_string(),
    ])
    .stdout(log.try_clone().map_err(|e| e.to_string())?)
    .stderr(log)
    .spawn()
    .map_err(|e| format!("starting the server: {e}"))?;
    let _server = Server(child);
    let started = Instant::now();
    while !healthy(port) {
        if started.elapsed() > Duration::from_secs(30) {
            return Err(format!(
                "the server did not answer on {addr}; see {}",
                work.join("server.log").display()
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    println!("\n==> e2e: server on http://{addr} (data in {data_arg})");

    let e2e = steps.root.join("e2e");
    let geography = steps
        .root
        .join("shared/data/kommuner_regioner_sundhedsklynger.csv");
    let path = steps.path();
    let env = |c: &mut Command, dir: &Path| {
        c.current_dir(dir)
            .env("TVAERS_URL", format!("http://{addr}"))
            .env("TVAERS_EXTRACTS", &extracts)
            .env("TVAERS_DATA", &data)
            .env("TVAERS_BIN", &tvaers)
            .env("TVAERS_GEOGRAPHY", &geography)
            .env("TVAERS_ARTIFACTS", e2e.join("artifacts"))
            .env(
                "TVAERS_CHROMIUM_FLAGS",
                crate::tools::CHROMIUM_FLAGS.join(" "),
            )
            .env("PATH", &path)
            .stdin(Stdio::null());
    };
    let mut node = Command::new("node");
    node.args(["--test", "--test-reporter=spec", "tests/"]);
    env(&mut node, &e2e);
    steps.run("e2e: browser tests (headless Chromium)", &mut node)?;
    let mut pytest = Command::new("python");
    pytest.args(["-m", "pytest", "-q", "tests/"]);
    env(&mut pytest, &e2e);
    steps.run("e2e: tiles read by pyarrow", &mut pytest)?;
    Ok(())
}
