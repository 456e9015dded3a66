//! Wiring: the application state, the routes, and the HTTP server.

use std::net::TcpListener;
use std::path::PathBuf;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{Compress, DefaultHeaders, Logger};
use actix_web::{web, App, HttpServer};

use crate::auth::request::Auth;
use crate::ingest::PseudonymKey;
use crate::routes;
use crate::store::Store;

/// Everything a request handler may need.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The store.
    pub store: Store,
    /// Pseudonymisation key for ingestion.
    pub key: PseudonymKey,
    /// Cache of tile bytes by id (tiles are immutable).
    pub tiles: routes::tiles::TileCache,
    /// The built single-page app (`dist/`), if any.
    pub dist: Option<PathBuf>,
    /// Its bundle files, once compressed.
    pub bundle: routes::spa::Bundle,
    /// Its page, compressed once per release.
    pub pages: routes::spa::Pages,
    /// Default bad-row threshold of ingested batches.
    pub max_bad_rows: u64,
    /// Folder where uploads are spooled while they are ingested.
    pub spool_dir: PathBuf,
    /// Trusted keys, the development issuer, cookie settings.
    pub auth: Auth,
}

impl AppState {
    /// State over `store`, serving the SPA from `dist` when it holds an
    /// `index.html`.
    pub fn new(store: Store, key: PseudonymKey, dist: Option<PathBuf>) -> AppState {
        let dist = dist.filter(|d| d.join("index.html").is_file());
        AppState {
            store,
            key,
            tiles: routes::tiles::TileCache::default(),
            dist,
            bundle: routes::spa::Bundle::default(),
            pages: routes::spa::Pages::default(),
            max_bad_rows: 0,
            spool_dir: std::env::temp_dir(),
            auth: Auth::none(),
        }
    }
}

/// Registers every route; used by the server and by the API tests.
pub fn configure(state: AppState) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg: &mut web::ServiceConfig| {
        let dist = state.dist.clone();
        cfg.app_data(web::Data::new(state))
            .route("/healthz", web::get().to(routes::health::healthz))
            .service(
                web::scope("/api")
                    .route("/catalog", web::get().to(routes::catalog::catalog))
                    .route("/manifest", web::get().to(routes::manifest::manifest))
                    .route("/releases/{id}", web::get().to(routes::manifest::release))
                    .route("/tiles/{id}", web::get().to(routes::tiles::tile))
                    // Caches revalidate with HEAD; actix sends no body for it.
                    .route("/tiles/{id}", web::head().to(routes::tiles::tile))
                    .route("/ingest/batches/{id}", web::get().to(routes::ingest::batch))
                    .route("/ingest/{register}", web::post().to(routes::ingest::ingest))
                    .route("/session", web::get().to(routes::session::current))
                    .route("/session", web::post().to(routes::session::sign_in))
                    .route("/session", web::delete().to(routes::session::sign_out))
                    .route("/session/demo", web::post().to(routes::session::demo))
                    .route("/reports", web::get().to(routes::reports::list))
                    .route("/reports", web::post().to(routes::reports::create))
                    .route("/reports/{id}", web::get().to(routes::reports::get))
                    .route("/reports/{id}", web::patch().to(routes::reports::update))
                    .route("/reports/{id}", web::delete().to(routes::reports::delete))
                    .route("/admin/keys", web::get().to(routes::admin::keys))
                    .route("/admin/releases", web::post().to(routes::admin::build))
                    .default_service(web::to(routes::not_found)),
            );
        routes::spa::mount(cfg, dist);
    }
}

/// The application with its middleware; the server runs one per worker,
/// the API tests call it directly.
pub fn app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let csp = routes::spa::content_security_policy(state.dist.as_deref());
    App::new()
        .wrap(
            DefaultHeaders::new()
                .add(("Content-Security-Policy", csp))
                .add(("X-Content-Type-Options", "nosniff"))
                .add(("Referrer-Policy", "same-origin")),
        )
        // Responses that already carry a Content-Encoding (tiles, which are
        // pre-compressed) pass through Compress untouched.
        .wrap(Compress::default())
        .wrap(
            Logger::new("%{request}xi %s %b %Dms").custom_request_replace("request", |req| {
                // The request line, but no digits of a path segment or
                // query value that may be a CPR number.
                format!(
                    "{} {} {:?}",
                    req.method(),
                    crate::ingest::mask_cpr_like_parts(
                        &req.uri().to_string(),
                        &['/', '?', '&', '=']
                    ),
                    req.version()
                )
            }),
        )
        .configure(configure(state))
}

/// Starts the HTTP server on `listener`.
pub fn run(listener: TcpListener, state: AppState) -> std::io::Result<Server> {
    let server = HttpServer::new(move || app(state.clone()))
        .listen(listener)?
        .run();
    Ok(server)
}
