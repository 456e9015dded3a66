//! Ingestion: parse → validate → pseudonymise → publish.
//!
//! A batch is one extract file for one register. It is streamed: a reader
//! thread parses and validates rows against the register's catalogue entry
//! (every error with file, line and field), replaces CPR numbers by
//! pseudonyms, and hands good rows on in chunks to the writer, which puts
//! them into the store inside one transaction. At the end the batch is
//! published — its ledger row inserted and the transaction committed — if
//! it has no more bad rows than the threshold allows; otherwise it is
//! rolled back and nothing of it is stored. A batch whose content was
//! published before is recognised by its SHA-256 and changes nothing.

mod extract;
pub mod pseudonym;
mod records;
mod validate;

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use chrono::Utc;
use sha2::{Digest, Sha256};
use shared::api::{BatchStatus, IngestReport, RowError};
use shared::register::RegisterId;

pub use extract::{Rejected, Summary, MAX_REPORTED_ERRORS};
pub use pseudonym::{cpr_like_spans, mask_cpr_like, Cpr, Pseudonym, PseudonymKey};
pub use validate::{mask_cpr_like_parts, quote, KeyCheck, Rows, Validator, Value};

use crate::store::{BatchRecord, Store, StoreError};

/// Validated rows handed from the reader to the writer at a time.
const CHUNK_ROWS: usize = 8192;

/// Chunks in flight between reader and writer (bounds memory).
const CHUNKS_IN_FLIGHT: usize = 4;

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

/// Where a batch's bytes come from.
#[derive(Clone, Debug)]
pub enum Source {
    /// A file, streamed.
    File(PathBuf),
    /// Bytes in memory (small batches and tests).
    Bytes(Arc<[u8]>),
}

impl Source {
    /// The content, unbuffered: its readers read in large blocks of their
    /// own (a buffer between would copy every byte once more).
    fn open(&self) -> std::io::Result<Box<dyn Read + Send>> {
        Ok(match self {
            Source::File(path) => Box::new(std::fs::File::open(path)?),
            Source::Bytes(bytes) => Box::new(std::io::Cursor::new(Arc::clone(bytes))),
        })
    }

    /// SHA-256 of the content, hex, read in a streaming pass.
    pub fn sha256(&self) -> std::io::Result<String> {
        let mut reader = self.open()?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; extract::READ_BLOCK];
        loop {
            match reader.read(&mut buf)? {
                0 => break,
                n => hasher.update(&buf[..n]),
            }
        }
        Ok(hex::encode(hasher.finalize()))
    }
}

/// One batch to ingest.
#[derive(Clone, Debug)]
pub struct Batch {
    /// Which register the extract comes from.
    pub register: RegisterId,
    /// File name, for error reports and the ledger.
    pub file_name: String,
    /// CSV or Arrow IPC.
    pub format: ExtractFormat,
    /// The extract.
    pub source: Source,
    /// The caller's batch id (`Idempotency-Key`); the content hash if none.
    pub batch_id: Option<String>,
    /// The content's SHA-256 if already known (computed otherwise).
    pub content_sha256: Option<String>,
    /// Bad rows a batch may have and still publish its good rows.
    pub max_bad_rows: u64,
    /// Counts bytes read, for progress bars.
    pub progress: Option<Arc<AtomicU64>>,
}

impl Batch {
    /// A strict batch (any bad row rejects it) of `bytes`.
    pub fn from_bytes(
        register: RegisterId,
        file_name: &str,
        format: ExtractFormat,
        bytes: impl Into<Arc<[u8]>>,
    ) -> Batch {
        Batch {
            register,
            file_name: file_name.to_string(),
            format,
            source: Source::Bytes(bytes.into()),
            batch_id: None,
            content_sha256: None,
            max_bad_rows: 0,
            progress: None,
        }
    }

    /// A strict batch of the file at `path`; the format follows the name.
    pub fn from_file(register: RegisterId, path: &Path) -> Batch {
        let file_name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        Batch {
            register,
            format: ExtractFormat::from_file_name(&file_name),
            file_name,
            source: Source::File(path.to_path_buf()),
            batch_id: None,
            content_sha256: None,
            max_bad_rows: 0,
            progress: None,
        }
    }
}

/// Why a batch was not published.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The file as a whole, or too many of its rows, failed validation;
    /// nothing was stored.
    #[error("{file}: {}; nothing from this batch was stored", rejection(rejected, *max_bad_rows))]
    Rejected {
        /// The file.
        file: String,
        /// The errors.
        rejected: Rejected,
        /// The threshold that was exceeded.
        max_bad_rows: u64,
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
    /// The batch id holds what may be a CPR number; it is not shown.
    #[error(
        "batch id holds ten digits that begin with a date, as a CPR number does; \
         it would be kept and shown, so choose another (nothing was stored)"
    )]
    CprLikeBatchId,
    /// The extract could not be read.
    #[error("{file}: cannot read the extract: {io}")]
    Read {
        /// The file.
        file: String,
        /// The I/O error (in the message, so not a `source` told again).
        io: std::io::Error,
    },
    /// The store failed; nothing was stored.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why a batch was rejected, in a few words.
fn rejection(rejected: &Rejected, max_bad_rows: u64) -> String {
    match &rejected.whole_file {
        Some(reason) => reason.clone(),
        None => format!(
            "{} bad row{}, more than the {max_bad_rows} allowed",
            rejected.bad_rows,
            if rejected.bad_rows == 1 { "" } else { "s" }
        ),
    }
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

/// Ingests one batch: streams and validates every row into an open
/// transaction, then publishes the good rows atomically — or nothing, when
/// there are more bad rows than `batch.max_bad_rows`.
pub async fn ingest(
    store: &Store,
    key: &PseudonymKey,
    batch: Batch,
) -> Result<IngestReport, IngestError> {
    let started_at = now();
    // The caller's file name is kept in the ledger and shown in reports.
    let batch = Batch {
        file_name: mask_cpr_like(&batch.file_name).into_owned(),
        ..batch
    };
    let read_error = |io| IngestError::Read {
        file: batch.file_name.clone(),
        io,
    };
    let content_sha256 = match &batch.content_sha256 {
        Some(sha) => sha.clone(),
        None => {
            let source = batch.source.clone();
            let started = std::time::Instant::now();
            let sha = actix_web::rt::task::spawn_blocking(move || source.sha256())
                .await
                .map_err(|e| read_error(std::io::Error::other(e)))?
                .map_err(read_error)?;
            log::debug!(
                "{}: content hash in {:.2} s",
                batch.file_name,
                started.elapsed().as_secs_f64()
            );
            sha
        }
    };
    let batch_id = match &batch.batch_id {
        Some(id) if !valid_batch_id(id) => return Err(IngestError::BadBatchId),
        Some(id) if !cpr_like_spans(id).is_empty() => return Err(IngestError::CprLikeBatchId),
        Some(id) => id.clone(),
        None => content_sha256.clone(),
    };
    let register = batch.register.def();

    // A replay, by id or by content, changes nothing; an id names one
    // content only, so it is looked up first.
    let previous = match store.batch(&batch_id).await? {
        found @ Some(_) => found,
        None => {
            store
                .batch_by_content(register.key, &content_sha256)
                .await?
        }
    };
    if let Some(previous) = previous {
        if previous.content_sha256 != content_sha256 || previous.register != register.key {
            return Err(IngestError::BatchIdConflict { batch_id });
        }
        return Ok(IngestReport {
            batch_id: previous.batch_id,
            register: register.key.to_string(),
            file: batch.file_name,
            content_sha256,
            status: BatchStatus::AlreadyIngested,
            rows_read: u64::try_from(previous.rows_read).unwrap_or(0),
            rows_added: 0,
            rows_rejected: u64::try_from(previous.rows_rejected).unwrap_or(0),
            errors: Vec::new(),
        });
    }

    // Rows are read once, their keys checked for repeats at the end; only
    // a batch in which a key repeats is read a second time, to report the
    // rows (see `KeyCheck`).
    let mut key_check = KeyCheck::Gathered;
    let (writer, summary, rows_added) = loop {
        // Values other registers hold, for reference checks.
        let mut known = HashMap::new();
        for column in register.columns {
            if let Some((to, name)) = column.references {
                let values = store.known_values(to, name).await?;
                if values.is_empty() && column.required {
                    // Every row would fail on this column: one reason,
                    // before a row is read, not one per row after the
                    // whole file.
                    return Err(IngestError::Rejected {
                        rejected: Rejected::referenced_empty(&batch.file_name, column.name, to),
                        file: batch.file_name,
                        max_bad_rows: batch.max_bad_rows,
                    });
                }
                known.insert(column.name, values);
            }
        }
        let validator = Validator::new(
            register,
            key.clone(),
            Utc::now().date_naive(),
            known,
            key_check,
        );

        let mut writer = store.begin_batch(register).await?;
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<Rows>(CHUNKS_IN_FLIGHT);
        // Written chunks go back to the reader to be filled again: no
        // allocation per chunk, and none freed on another thread than the one
        // that made it (which the allocator returns to the system, and the
        // next chunk faults in again, zeroed page by page).
        let (recycle, recycled) = std::sync::mpsc::channel::<Rows>();
        let reading = {
            let batch = batch.clone();
            actix_web::rt::task::spawn_blocking(move || {
                read_batch(&batch, validator, &sender, &recycled)
            })
        };
        let mut rows_added = 0u64;
        let mut failed = None;
        while let Some(chunk) = receiver.recv().await {
            let rows = chunk.len() as u64;
            match writer.write(chunk).await {
                Ok(mut chunk) => {
                    chunk.clear();
                    // A reader that has finished no longer takes them.
                    recycle.send(chunk).ok();
                }
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
            rows_added += rows;
            crate::failpoint::hit("ingest-after-first-chunk");
        }
        // Closing the channel stops the reader if the writer failed.
        drop(receiver);
        let read = reading
            .await
            .map_err(|e| read_error(std::io::Error::other(e)));
        match (failed, read) {
            (Some(e), _) => {
                writer.rollback().await.ok();
                return Err(e.into());
            }
            (None, Err(e)) | (None, Ok(Err(ReadFailure::Io(e)))) => {
                writer.rollback().await.ok();
                return Err(e);
            }
            (None, Ok(Err(ReadFailure::Rejected(rejected)))) => {
                writer.rollback().await?;
                return Err(IngestError::Rejected {
                    file: batch.file_name,
                    rejected,
                    max_bad_rows: batch.max_bad_rows,
                });
            }
            (None, Ok(Err(ReadFailure::RepeatedKeys))) => {
                writer.rollback().await?;
                log::info!(
                    "{}: a row key repeats; reading the batch again to find the rows",
                    batch.file_name
                );
                if let Some(progress) = &batch.progress {
                    progress.store(0, Ordering::Relaxed);
                }
                key_check = KeyCheck::Exact;
                continue;
            }
            (None, Ok(Ok(summary))) => break (writer, summary, rows_added),
        };
    };
    let rejected = summary.rejected;
    if rejected.bad_rows > batch.max_bad_rows {
        writer.rollback().await?;
        return Err(IngestError::Rejected {
            file: batch.file_name,
            rejected,
            max_bad_rows: batch.max_bad_rows,
        });
    }
    let ledger = BatchRecord {
        batch_id: batch_id.clone(),
        register: register.key.to_string(),
        file_name: batch.file_name.clone(),
        content_sha256: content_sha256.clone(),
        rows_read: summary.rows_read as i64,
        rows_added: rows_added as i64,
        rows_rejected: rejected.bad_rows as i64,
        first_error: rejected
            .errors
            .first()
            .map(|e| serde_json::to_string(e).expect("row errors serialise")),
        started_at,
        published_at: now(),
    };
    writer.commit(&ledger).await?;
    crate::failpoint::hit("ingest-after-commit");
    Ok(IngestReport {
        batch_id,
        register: register.key.to_string(),
        file: batch.file_name,
        content_sha256,
        status: BatchStatus::Published,
        rows_read: summary.rows_read,
        rows_added,
        rows_rejected: rejected.bad_rows,
        errors: rejected.errors,
    })
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Why reading stopped short of a summary.
enum ReadFailure {
    /// The file is unusable as a whole (header, format).
    Rejected(Rejected),
    /// The file could not be read.
    Io(IngestError),
    /// A row key repeats ([`KeyCheck::Gathered`]): the batch is to be read
    /// again with [`KeyCheck::Exact`].
    RepeatedKeys,
}

/// Reads and validates the whole extract, sending good rows in chunks.
/// Runs on a blocking thread.
fn read_batch(
    batch: &Batch,
    mut validator: Validator,
    sender: &tokio::sync::mpsc::Sender<Rows>,
    recycled: &std::sync::mpsc::Receiver<Rows>,
) -> Result<Summary, ReadFailure> {
    let io = |io| {
        ReadFailure::Io(IngestError::Read {
            file: batch.file_name.clone(),
            io,
        })
    };
    let input = Counting {
        inner: batch.source.open().map_err(io)?,
        count: batch.progress.clone(),
    };
    let columns = batch.register.def().columns;
    let new_chunk = || Rows::with_capacity(columns.len(), CHUNK_ROWS);
    // The validator appends good rows to the chunk; the chunk is sent on
    // when full.
    let chunk = std::cell::RefCell::new(new_chunk());
    let started = std::time::Instant::now();
    let mut waiting = std::time::Duration::ZERO;
    let summary = extract::read(
        batch.format,
        &batch.file_name,
        input,
        columns,
        |row| validator.row(row, &mut chunk.borrow_mut()).then_some(()),
        |()| {
            let mut chunk = chunk.borrow_mut();
            if chunk.len() < CHUNK_ROWS {
                return true;
            }
            let next = recycled.try_recv().unwrap_or_else(|_| new_chunk());
            let full = std::mem::replace(&mut *chunk, next);
            let sending = std::time::Instant::now();
            let sent = sender.blocking_send(full).is_ok();
            waiting += sending.elapsed();
            sent
        },
    )
    .map_err(ReadFailure::Rejected)?;
    let chunk = chunk.into_inner();
    // Which side limits the speed: a reader that mostly waits has a slow
    // writer behind it.
    log::debug!(
        "{}: read and validated {} rows in {:.2} s, of which {:.2} s waiting for the writer",
        batch.file_name,
        summary.rows_read,
        started.elapsed().as_secs_f64(),
        waiting.as_secs_f64()
    );
    if !summary.stopped && !chunk.is_empty() {
        // A closed channel means the writer failed; it reports why.
        sender.blocking_send(chunk).ok();
    }
    if validator.repeated_keys() {
        return Err(ReadFailure::RepeatedKeys);
    }
    Ok(summary)
}

/// A reader that counts the bytes it reads.
struct Counting {
    inner: Box<dyn Read + Send>,
    count: Option<Arc<AtomicU64>>,
}

impl Read for Counting {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(count) = &self.count {
            count.fetch_add(n as u64, Ordering::Relaxed);
        }
        Ok(n)
    }
}

fn valid_batch_id(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
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
}
