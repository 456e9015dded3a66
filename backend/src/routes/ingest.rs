//! `POST /api/ingest/{register}`: a register extract as the request body;
//! `GET /api/ingest/batches/{id}`: the ledger entry of a published batch.
//!
//! Both need an `ingest` token for the register, or a request from the
//! machine itself (loopback peers, no token); an `admin` token may read
//! the ledger too. Anyone else is refused before any of the body is read.
//! The body is streamed to a spool file while its hash is computed, then
//! ingested from there: memory does not grow with the upload.

use actix_web::http::header::{self, ContentType};
use actix_web::http::StatusCode;
use std::io::Write;

use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use shared::api::{BatchInfo, BatchStatus, ErrorBody};
use shared::register::{RegisterId, REGISTERS};

use super::error_response;
use crate::auth::request::check_csrf;
use crate::auth::Role;
use crate::ingest::{self, Batch, ExtractFormat, IngestError, Source};
use crate::startup::AppState;

/// Header naming the uploaded file, for error reports.
pub const FILE_NAME_HEADER: &str = "X-File-Name";

/// Header overriding the server's bad-row threshold for one batch.
pub const MAX_BAD_ROWS_HEADER: &str = "X-Max-Bad-Rows";

impl ResponseError for IngestError {
    fn status_code(&self) -> StatusCode {
        match self {
            IngestError::Rejected { .. }
            | IngestError::BadBatchId
            | IngestError::CprLikeBatchId => StatusCode::BAD_REQUEST,
            IngestError::BatchIdConflict { .. } => StatusCode::CONFLICT,
            IngestError::Read { .. } | IngestError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (error, message) = match self {
            IngestError::Rejected { .. } => ("invalid_batch", self.to_string()),
            IngestError::BatchIdConflict { .. } => ("batch_id_conflict", self.to_string()),
            IngestError::BadBatchId | IngestError::CprLikeBatchId => {
                ("bad_batch_id", self.to_string())
            }
            IngestError::Read { .. } | IngestError::Store(_) => {
                // Details go to the log, never to the client.
                log::error!("ingest: {self}");
                (
                    "internal",
                    "The batch could not be stored; nothing was stored.".to_string(),
                )
            }
        };
        HttpResponse::build(self.status_code()).json(ErrorBody {
            error: error.to_string(),
            message,
            errors: self.row_errors().to_vec(),
        })
    }
}

/// Ingests the body as one batch of `register`.
pub async fn ingest(
    req: HttpRequest,
    register: web::Path<String>,
    mut body: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, IngestError> {
    match uploader(&req, &state, true) {
        Err(refusal) => return Ok(*refusal),
        Ok(Uploader::Register(allowed)) if allowed != register.as_str() => {
            return Ok(error_response(
                StatusCode::FORBIDDEN,
                "forbidden",
                format!(
                    "This token may upload to {allowed:?} only, not to {}.",
                    ingest::quote(register.as_str())
                ),
            ));
        }
        Ok(_) => {}
    }
    let Some(register) = RegisterId::from_key(&register) else {
        return Ok(error_response(
            StatusCode::NOT_FOUND,
            "unknown_register",
            format!(
                "Unknown register {}: expected one of {}.",
                ingest::quote(register.as_str()),
                REGISTERS
                    .iter()
                    .map(|r| r.key)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    };
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("text/csv");
    let Some(format) = ExtractFormat::from_media_type(content_type) else {
        return Ok(error_response(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!(
                "Send the extract as text/csv or {}, not {content_type}.",
                shared::tile::MEDIA_TYPE
            ),
        ));
    };
    let header_text = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    let default_name = match format {
        ExtractFormat::Csv => format!("{}.csv", register.key()),
        ExtractFormat::ArrowIpc => format!("{}.arrows", register.key()),
    };
    // Kept in the ledger and shown in reports: no CPR number in it.
    let file_name = header_text(FILE_NAME_HEADER).map_or(default_name.clone().into(), |name| {
        ingest::mask_cpr_like(name)
    });
    let file_name = file_name.as_ref();
    let max_bad_rows = match header_text(MAX_BAD_ROWS_HEADER) {
        None => state.max_bad_rows,
        Some(text) => match text.trim().parse() {
            Ok(n) => n,
            Err(_) => {
                return Ok(error_response(
                    StatusCode::BAD_REQUEST,
                    "bad_max_bad_rows",
                    format!("{MAX_BAD_ROWS_HEADER} must be a whole number, not {text:?}."),
                ))
            }
        },
    };

    // Spool the body to a file, hashing it on the way.
    let spool_error = |e: std::io::Error| IngestError::Read {
        file: file_name.to_string(),
        io: e,
    };
    let mut spool = tempfile::Builder::new()
        .prefix("tvaers-upload-")
        .tempfile_in(&state.spool_dir)
        .map_err(spool_error)?;
    let mut hasher = Sha256::new();
    while let Some(chunk) = body.next().await {
        let chunk = match chunk {
            Ok(c) => c,
            Err(e) => {
                return Ok(error_response(
                    StatusCode::BAD_REQUEST,
                    "incomplete_body",
                    format!("The upload broke off: {e}. Nothing was stored."),
                ))
            }
        };
        hasher.update(&chunk);
        spool.write_all(&chunk).map_err(spool_error)?;
    }
    spool.flush().map_err(spool_error)?;

    let report = ingest::ingest(
        &state.store,
        &state.key,
        Batch {
            register,
            file_name: file_name.to_string(),
            format,
            source: Source::File(spool.path().to_path_buf()),
            batch_id: header_text("Idempotency-Key").map(str::to_string),
            content_sha256: Some(hex::encode(hasher.finalize())),
            max_bad_rows,
            progress: None,
        },
    )
    .await?;
    drop(spool);
    log::info!(
        "ingest {}: batch {} {:?}, {} rows added",
        report.register,
        report.batch_id,
        report.status,
        report.rows_added
    );
    let status = match report.status {
        BatchStatus::Published => StatusCode::CREATED,
        BatchStatus::AlreadyIngested => StatusCode::OK,
    };
    Ok(HttpResponse::build(status)
        .content_type(ContentType::json())
        .json(report))
}

/// Who may upload, and read the ledger: a request from this machine
/// without a token (any register), an ingest token (its register), or —
/// to read the ledger only — an admin token (any register).
enum Uploader {
    Any,
    Register(&'static str),
}

/// The caller as an uploader, or the answer refusing it (with the CSRF
/// check of a request that changes something when `changes` is set).
fn uploader(
    req: &HttpRequest,
    state: &AppState,
    changes: bool,
) -> Result<Uploader, Box<HttpResponse>> {
    match state.auth.caller(req) {
        Err(refused) => Err(Box::new(refused.error_response())),
        Ok(Some(caller)) => {
            let principal = &caller.principal;
            if principal.role == Role::Admin && !changes {
                return Ok(Uploader::Any);
            }
            let (Role::Ingest, Some(register)) = (principal.role, principal.register) else {
                return Err(Box::new(error_response(
                    StatusCode::FORBIDDEN,
                    "forbidden",
                    "Ingestion needs an ingest token for the register; this token is not one.",
                )));
            };
            let register = register.key();
            if changes {
                check_csrf(req, caller.via_cookie)
                    .map_err(|refusal| Box::new(refusal.error_response()))?;
            }
            Ok(Uploader::Register(register))
        }
        Ok(None) if !req.peer_addr().is_some_and(|a| a.ip().is_loopback()) => {
            Err(Box::new(error_response(
                StatusCode::FORBIDDEN,
                "local_only",
                "Ingestion needs an ingest token for the register, or a request from this machine.",
            )))
        }
        Ok(None) => Ok(Uploader::Any),
    }
}

/// The ledger entry of a published batch, for the same callers as uploads
/// (an ingest token sees its own register's batches only) and admins.
/// Rejected batches are not kept: their report is the answer to the upload.
pub async fn batch(
    req: HttpRequest,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let uploader = match uploader(&req, &state, false) {
        Ok(uploader) => uploader,
        Err(refusal) => return *refusal,
    };
    let visible = |register: &str| match uploader {
        Uploader::Any => true,
        Uploader::Register(allowed) => allowed == register,
    };
    match state.store.batch(&id).await {
        Ok(Some(b)) if visible(&b.register) => HttpResponse::Ok().json(BatchInfo {
            batch_id: b.batch_id,
            register: b.register,
            file: b.file_name,
            content_sha256: b.content_sha256,
            rows_read: u64::try_from(b.rows_read).unwrap_or(0),
            rows_added: u64::try_from(b.rows_added).unwrap_or(0),
            rows_rejected: u64::try_from(b.rows_rejected).unwrap_or(0),
            first_error: b
                .first_error
                .as_deref()
                .and_then(|e| serde_json::from_str(e).ok()),
            started_at: b.started_at,
            published_at: b.published_at,
        }),
        Ok(_) => error_response(
            StatusCode::NOT_FOUND,
            "no_such_batch",
            "No published batch has this id.",
        ),
        Err(e) => {
            log::error!("batch {id}: {e}");
            error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "Could not read the ledger.",
            )
        }
    }
}
