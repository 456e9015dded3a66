//! `POST /api/ingest/{register}`: a register extract as the request body.
//!
//! Until authentication exists, ingestion is accepted only from the local
//! machine (loopback peers), and says so to anyone else.

use actix_web::http::header::{self, ContentType};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use shared::api::{BatchInfo, BatchStatus, ErrorBody};
use shared::register::{RegisterId, REGISTERS};

use super::error_response;
use crate::ingest::{self, Batch, ExtractFormat, IngestError};
use crate::startup::AppState;

/// Header naming the uploaded file, for error reports.
pub const FILE_NAME_HEADER: &str = "X-File-Name";

impl ResponseError for IngestError {
    fn status_code(&self) -> StatusCode {
        match self {
            IngestError::Rejected { .. } | IngestError::BadBatchId => StatusCode::BAD_REQUEST,
            IngestError::BatchIdConflict { .. } => StatusCode::CONFLICT,
            IngestError::Store(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (error, message) = match self {
            IngestError::Rejected { .. } => ("invalid_batch", self.to_string()),
            IngestError::BatchIdConflict { .. } => ("batch_id_conflict", self.to_string()),
            IngestError::BadBatchId => ("bad_batch_id", self.to_string()),
            IngestError::Store(e) => {
                // Details go to the log, never to the client.
                log::error!("ingest: {e}");
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
    body: web::Bytes,
    state: web::Data<AppState>,
) -> Result<HttpResponse, IngestError> {
    if !req.peer_addr().is_some_and(|a| a.ip().is_loopback()) {
        return Ok(error_response(
            StatusCode::FORBIDDEN,
            "local_only",
            "Ingestion is accepted only from this machine until authentication is configured.",
        ));
    }
    let Some(register) = RegisterId::from_key(&register) else {
        return Ok(error_response(
            StatusCode::NOT_FOUND,
            "unknown_register",
            format!(
                "Unknown register {register:?}: expected one of {}.",
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
    let file_name = header_text(FILE_NAME_HEADER).unwrap_or(&default_name);
    let report = ingest::ingest(
        &state.store,
        &state.key,
        Batch {
            register,
            file_name,
            format,
            bytes: &body,
            batch_id: header_text("Idempotency-Key"),
        },
    )
    .await?;
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

/// The ledger entry of a published batch. Rejected batches are not kept:
/// their report is the answer to the upload.
pub async fn batch(id: web::Path<String>, state: web::Data<AppState>) -> HttpResponse {
    match state.store.batch(&id).await {
        Ok(Some(b)) => HttpResponse::Ok().json(BatchInfo {
            batch_id: b.batch_id,
            register: b.register,
            file: b.file_name,
            content_sha256: b.content_sha256,
            rows_read: u64::try_from(b.rows_read).unwrap_or(0),
            rows_added: u64::try_from(b.rows_added).unwrap_or(0),
            published_at: b.published_at,
        }),
        Ok(None) => error_response(
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
