//! The server's request log, read from a real `tvaers serve` process: a
//! CPR number a caller puts into a path or a query never reaches it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

/// Sends one GET over HTTP/1.1 and returns the status line.
fn get(addr: &str, target: &str) -> String {
    let mut stream = TcpStream::connect(addr).expect("connect");
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    response.lines().next().unwrap_or_default().to_string()
}

#[test]
fn the_request_log_masks_what_may_be_a_cpr_number() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_tvaers"))
        .arg("--database-url")
        .arg(format!("sqlite:{}", dir.path().join("store.db").display()))
        .arg("--data-dir")
        .arg(dir.path())
        .arg("--pseudonym-key")
        .arg("5a".repeat(32))
        .args(["serve", "--addr", "127.0.0.1:0", "--dist"])
        .arg(dir.path().join("no-portal"))
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn tvaers serve");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("read the address");
    let addr = line
        .trim()
        .rsplit("http://")
        .next()
        .expect("an address")
        .to_string();

    let statuses = [
        get(&addr, "/api/ingest/batches/0101801234"),
        get(&addr, "/api/ingest/batches/x?note=010180-1234"),
        get(&addr, "/api/ingest/batches/ssr-2024-03-01"),
    ];
    child.kill().expect("kill");
    child.wait().expect("reap");
    let mut log = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut log)
        .expect("read the log");

    // The requests were answered (not found: there are no batches) and
    // logged.
    for status in &statuses {
        assert!(status.contains(" 404 "), "{status}");
    }
    assert!(
        log.contains("GET /api/ingest/batches/********** HTTP/1.1 404"),
        "{log}"
    );
    assert!(
        log.contains("GET /api/ingest/batches/x?note=******-**** HTTP/1.1 404"),
        "{log}"
    );
    // A date is not a CPR number: shown as sent.
    assert!(
        log.contains("GET /api/ingest/batches/ssr-2024-03-01 HTTP/1.1 404"),
        "{log}"
    );
    for digits in ["0101801234", "010180-1234"] {
        assert!(!log.contains(digits), "{digits} in the log:\n{log}");
    }
}
