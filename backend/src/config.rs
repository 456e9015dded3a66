//! Configuration: command-line flags with environment fallbacks and
//! defaults that work out of the box (a SQLite file under `./data/`).

use std::path::{Path, PathBuf};

use crate::ingest::pseudonym::KeyError;
use crate::ingest::PseudonymKey;

/// Settings shared by every subcommand.
#[derive(Clone, Debug, clap::Args)]
pub struct Settings {
    /// Folder for the SQLite database and the generated pseudonymisation key.
    #[arg(long, env = "TVAERS_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// Database URL: `sqlite:…` (default: a file in the data folder) or
    /// `postgres://…`.
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Pseudonymisation key as 64 hex digits. Without it, a key is read from
    /// (or generated into) `<data-dir>/pseudonym.key`.
    #[arg(
        long,
        env = "TVAERS_PSEUDONYM_KEY",
        hide_env_values = true,
        global = true
    )]
    pub pseudonym_key: Option<String>,

    /// Bad rows an ingested batch may have and still publish its good rows
    /// (the bad ones are reported); a batch with more is rejected whole.
    #[arg(long, env = "TVAERS_MAX_BAD_ROWS", default_value_t = 0, global = true)]
    pub max_bad_rows: u64,

    /// The audience (`aud`) tokens must be meant for.
    #[arg(
        long,
        env = "TVAERS_JWT_AUDIENCE",
        default_value = "tvaers",
        global = true
    )]
    pub audience: String,
}

impl Settings {
    /// The database URL in force.
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite:{}", self.data_dir.join("tvaers.db").display()))
    }

    /// The pseudonymisation key in force.
    pub fn pseudonym_key(&self) -> Result<PseudonymKey, KeyError> {
        match &self.pseudonym_key {
            Some(hex) => PseudonymKey::from_hex(hex),
            None => PseudonymKey::load_or_create(&self.key_path()),
        }
    }

    /// Folder of the development issuer's key.
    pub fn dev_issuer_dir(&self) -> PathBuf {
        self.data_dir.join("dev-issuer")
    }

    fn key_path(&self) -> PathBuf {
        Path::new(&self.data_dir).join("pseudonym.key")
    }
}
