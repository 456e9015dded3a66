//! Ingestion: parse → validate → pseudonymise → publish.
//!
//! A batch is one extract file for one register. It is read whole, every
//! row is validated (all errors are collected, with file, line and field),
//! CPR numbers are replaced by pseudonyms, and the batch is published in a
//! single transaction together with its ledger entry. A batch with any bad
//! row stores nothing. A batch whose content was published before is
//! recognised by its SHA-256 and changes nothing.

mod cpr;
mod extract;
pub mod pseudonym;
mod ssr;

use chrono::{NaiveDate, Utc};
use sha2::{Digest, Sha256};
use shared::api::{BatchStatus, IngestReport, RowError};
use shared::register::{GpContactType, RegisterId};
use shared::Sex;

pub use extract::{Rejected, MAX_REPORTED_ERRORS};
pub use pseudonym::{Cpr, Pseudonym, PseudonymKey};

use crate::store::{BatchRecord, Store, StoreError};

/// A validated CPR row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CprRecord {
    /// Pseudonym of the person.
    pub pseudonym: Pseudonym,
    /// Birth date.
    pub birth_date: NaiveDate,
    /// Sex.
    pub sex: Sex,
    /// Municipality of residence (one of the 98).
    pub municipality: u16,
}

/// A validated SSR row: one contact with general practice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GpContactRecord {
    /// Pseudonym of the patient.
    pub pseudonym: Pseudonym,
    /// Date of the contact.
    pub contact_date: NaiveDate,
    /// The practice's provider number (ydernummer).
    pub provider_number: String,
    /// Kind of contact.
    pub contact_type: GpContactType,
}

/// The two forms an extract can take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtractFormat {
    /// CSV with a header row (`text/csv`).
    Csv,
    /// An Arrow IPC stream with the same column names
    /// (`application/vnd.apache.arrow.stream`).
    ArrowIpc,
}

impl ExtractFormat {
    /// From a media type (parameters ignored); `None` if not accepted.
    pub fn from_media_type(media_type: &str) -> Option<ExtractFormat> {
        match media_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
            .as_str()
        {
            "text/csv" | "application/csv" | "text/plain" => Some(ExtractFormat::Csv),
            shared::tile::MEDIA_TYPE => Some(ExtractFormat::ArrowIpc),
            _ => None,
        }
    }

    /// From a file name: `.arrow`, `.arrows` and `.ipc` are Arrow IPC
    /// streams, anything else CSV.
    pub fn from_file_name(name: &str) -> ExtractFormat {
        let lower = name.to_ascii_lowercase();
        if [".arrow", ".arrows", ".ipc"]
            .iter()
            .any(|ext| lower.ends_with(ext))
        {
            ExtractFormat::ArrowIpc
        } else {
            ExtractFormat::Csv
        }
    }
}

/// One batch to ingest.
#[derive(Clone, Copy, Debug)]
pub struct Batch<'a> {
    /// Which register the extract comes from.
    pub register: RegisterId,
    /// File name, for error reports and the ledger.
    pub file_name: &'a str,
    /// CSV or Arrow IPC.
    pub format: ExtractFormat,
    /// The extract's bytes.
    pub bytes: &'a [u8],
    /// The caller's batch id (`Idempotency-Key`); the content hash if none.
    pub batch_id: Option<&'a str>,
}

/// Why a batch was not published.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// Rows or the header failed validation; nothing was stored.
    #[error("{file}: {} bad row(s); nothing from this batch was stored", .rejected.bad_rows)]
    Rejected {
        /// The file.
        file: String,
        /// The errors.
        rejected: Rejected,
    },
    /// The batch id was used before for different content.
    #[error("batch id {batch_id} was already used for different content")]
    BatchIdConflict {
        /// The batch id.
        batch_id: String,
    },
    /// The batch id is not usable as a key.
    #[error("batch id must be 1–128 characters of A–Z, a–z, 0–9, '-', '_' or '.'")]
    BadBatchId,
    /// The store failed; nothing was stored.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl IngestError {
    /// The row errors, for rejections.
    pub fn row_errors(&self) -> &[RowError] {
        match self {
            IngestError::Rejected { rejected, .. } => &rejected.errors,
            _ => &[],
        }
    }
}

/// Ingests one batch: validates every row, then publishes all of it
/// atomically, or nothing.
pub async fn ingest(
    store: &Store,
    key: &PseudonymKey,
    batch: Batch<'_>,
) -> Result<IngestReport, IngestError> {
    let content_sha256 = hex::encode(Sha256::digest(batch.bytes));
    let batch_id = match batch.batch_id {
        Some(id) if valid_batch_id(id) => id.to_string(),
        Some(_) => return Err(IngestError::BadBatchId),
        None => content_sha256.clone(),
    };
    let register = batch.register.key();

    // A replay, by content or by id, changes nothing.
    let previous = match store.batch_by_content(register, &content_sha256).await? {
        Some(found) => Some(found),
        None => store.batch(&batch_id).await?,
    };
    if let Some(previous) = previous {
        if previous.content_sha256 != content_sha256 || previous.register != register {
            return Err(IngestError::BatchIdConflict { batch_id });
        }
        return Ok(IngestReport {
            batch_id: previous.batch_id,
            register: register.to_string(),
            file: batch.file_name.to_string(),
            content_sha256,
            status: BatchStatus::AlreadyIngested,
            rows_read: u64::try_from(previous.rows_read).unwrap_or(0),
            rows_added: 0,
        });
    }

    let today = Utc::now().date_naive();
    let rejected = |rejected| IngestError::Rejected {
        file: batch.file_name.to_string(),
        rejected,
    };
    let mut ledger = BatchRecord {
        batch_id: batch_id.clone(),
        register: register.to_string(),
        file_name: batch.file_name.to_string(),
        content_sha256: content_sha256.clone(),
        rows_read: 0,
        rows_added: 0,
        published_at: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    };
    let (rows_read, rows_added) = match batch.register {
        RegisterId::Cpr => {
            let (rows, read) = cpr::parse(batch.format, batch.file_name, batch.bytes, key, today)
                .map_err(rejected)?;
            ledger.rows_read = read as i64;
            ledger.rows_added = rows.len() as i64;
            store.publish_cpr(&ledger, &rows).await?;
            (read, rows.len() as u64)
        }
        RegisterId::Ssr => {
            let (rows, read) = ssr::parse(batch.format, batch.file_name, batch.bytes, key, today)
                .map_err(rejected)?;
            ledger.rows_read = read as i64;
            ledger.rows_added = rows.len() as i64;
            store.publish_gp_contacts(&ledger, &rows).await?;
            (read, rows.len() as u64)
        }
    };
    Ok(IngestReport {
        batch_id,
        register: register.to_string(),
        file: batch.file_name.to_string(),
        content_sha256,
        status: BatchStatus::Published,
        rows_read,
        rows_added,
    })
}

fn valid_batch_id(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Parses a `YYYY-MM-DD` date within `[earliest, latest]`.
fn parse_date(text: &str, earliest: NaiveDate, latest: NaiveDate) -> Result<NaiveDate, String> {
    let date = (text.len() == 10)
        .then(|| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| format!("malformed date {text:?}: expected YYYY-MM-DD"))?;
    if date < earliest || date > latest {
        return Err(format!("date {date} is outside {earliest} … {latest}"));
    }
    Ok(date)
}

/// Parses and pseudonymises a CPR number.
fn parse_cpr(text: &str, key: &PseudonymKey) -> Result<Pseudonym, String> {
    // The reason never contains the value: it may be a real CPR number.
    Cpr::parse(text)
        .map(|cpr| key.pseudonymise(&cpr))
        .map_err(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_media_types_and_file_names() {
        assert_eq!(
            ExtractFormat::from_media_type("text/csv; charset=utf-8"),
            Some(ExtractFormat::Csv)
        );
        assert_eq!(
            ExtractFormat::from_media_type("application/vnd.apache.arrow.stream"),
            Some(ExtractFormat::ArrowIpc)
        );
        assert_eq!(ExtractFormat::from_media_type("application/json"), None);
        assert_eq!(
            ExtractFormat::from_file_name("data/CPR.ARROWS"),
            ExtractFormat::ArrowIpc
        );
        assert_eq!(ExtractFormat::from_file_name("cpr.csv"), ExtractFormat::Csv);
    }

    #[test]
    fn batch_ids_are_restricted_to_safe_characters() {
        assert!(valid_batch_id("cpr-2024.01_a"));
        assert!(!valid_batch_id(""));
        assert!(!valid_batch_id("a b"));
        assert!(!valid_batch_id(&"x".repeat(129)));
    }

    #[test]
    fn dates_are_strict_and_bounded() {
        let lo = NaiveDate::from_ymd_opt(2000, 1, 1).expect("date");
        let hi = NaiveDate::from_ymd_opt(2024, 12, 31).expect("date");
        assert!(parse_date("2024-02-29", lo, hi).is_ok());
        assert!(parse_date("2023-02-29", lo, hi)
            .expect_err("no such day")
            .contains("malformed"));
        assert!(parse_date("2024-2-1", lo, hi).is_err());
        assert!(parse_date("2025-01-01", lo, hi)
            .expect_err("late")
            .contains("outside"));
    }

    #[test]
    fn cpr_errors_never_echo_the_value() {
        let key = PseudonymKey::from_hex(&"ab".repeat(32)).expect("key");
        let reason = parse_cpr("12345", &key).expect_err("too short");
        assert!(!reason.contains("12345"));
    }
}
