//! `GET /api/catalog`: the shared catalogue as JSON.

use actix_web::HttpResponse;
use shared::api::Catalog;

/// The catalogue: dimensions, quantities, measures with formulas, tile
/// families with columns, register extract formats.
pub async fn catalog() -> HttpResponse {
    HttpResponse::Ok().json(Catalog::current())
}
