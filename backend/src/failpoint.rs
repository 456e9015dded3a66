//! Named points at which a test can freeze the process, to kill it there.
//!
//! With `TVAERS_FAILPOINT=<name>` set, reaching the point of that name
//! prints `failpoint <name> reached` to standard error and blocks forever,
//! so a crash test can `kill -9` the process at a known step. Without the
//! variable this costs one cached comparison.

use std::sync::OnceLock;

/// The environment variable naming the armed failpoint.
pub const ENV: &str = "TVAERS_FAILPOINT";

fn armed() -> Option<&'static str> {
    static ARMED: OnceLock<Option<String>> = OnceLock::new();
    ARMED
        .get_or_init(|| std::env::var(ENV).ok().filter(|v| !v.is_empty()))
        .as_deref()
}

/// Blocks forever if the failpoint `name` is armed.
pub fn hit(name: &str) {
    if armed() == Some(name) {
        eprintln!("failpoint {name} reached");
        loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    }
}
