//! The built single-page app, with history fallback: any path that is not
//! a file serves `index.html`, so deep links work. The page is served with
//! the public manifest written into it (see [`shared::api::Boot`]), and
//! the front page with a preload of the tile its first chart draws. The
//! bundle's files are compressed once (brotli and gzip at their best) on a
//! thread started with the server, and sent from memory from then on.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use base64::Engine as _;
use sha2::{Digest, Sha256};

use actix_files::Files;
use actix_web::dev::{fn_service, Service as _, ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::future::{FutureExt as _, LocalBoxFuture};
use shared::api::{Boot, BOOT_ELEMENT};
use shared::measure::DEFAULT_MEASURE;
use shared::tile::{Split, TileKind};

use super::encoding::{Compressed, Effort};
use crate::startup::AppState;

/// Mounts the SPA at `/`, or a page explaining how to build it.
pub fn mount(cfg: &mut web::ServiceConfig, dist: Option<PathBuf>) {
    match dist {
        Some(dist) => {
            let template: Rc<str> = std::fs::read_to_string(dist.join("index.html"))
                .unwrap_or_default()
                .into();
            let front = {
                let template = template.clone();
                move |req: HttpRequest| {
                    let template = template.clone();
                    async move { page(&req, &template).await }
                }
            };
            cfg.service(
                web::resource("/")
                    .route(web::get().to(front.clone()))
                    .route(web::head().to(front)),
            );
            let files =
                Files::new("/", dist).default_handler(fn_service(move |req: ServiceRequest| {
                    let template = template.clone();
                    async move {
                        let (req, _) = req.into_parts();
                        // A bundle file that is not here (an old release's,
                        // asked for by a page cached before) is missing,
                        // not a page: HTML under a script's name fails as
                        // that script.
                        let res = if is_hashed_asset(req.path()) {
                            HttpResponse::NotFound().finish()
                        } else {
                            page(&req, &template).await
                        };
                        Ok(ServiceResponse::new(req, res))
                    }
                }));
            cfg.service(
                web::scope("")
                    .wrap_fn(|req, srv| -> LocalBoxFuture<_> {
                        if let Some((name, file)) = compressed(&req) {
                            let (req, _) = req.into_parts();
                            let res = file.body.respond(
                                &req,
                                &name,
                                &file.content_type,
                                IMMUTABLE,
                                "Accept-Encoding",
                            );
                            return Box::pin(async move { Ok(ServiceResponse::new(req, res)) });
                        }
                        let immutable = is_hashed_asset(req.path());
                        let res = srv.call(req);
                        async move {
                            let mut res = res.await?;
                            // Only the file itself, never an error.
                            let found = res.status().is_success()
                                || res.status() == StatusCode::NOT_MODIFIED;
                            let headers = res.headers_mut();
                            if immutable && found && !headers.contains_key(header::CACHE_CONTROL) {
                                headers.insert(
                                    header::CACHE_CONTROL,
                                    header::HeaderValue::from_static(IMMUTABLE),
                                );
                            }
                            Ok(res)
                        }
                        .boxed_local()
                    })
                    .service(files),
            );
        }
        None => {
            cfg.default_service(web::to(|| async {
                HttpResponse::ServiceUnavailable()
                    .content_type("text/html; charset=utf-8")
                    .body(
                        "<!doctype html><meta charset=utf-8><title>Tværs</title>\
                     <p>The portal has not been built. Run <code>cargo xtask demo</code>.</p>",
                    )
            }));
        }
    }
}

/// How a bundle file is cached: its name changes with its content.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The bundle's files — those named by their hash — compressed once, at
/// the best quality: the WebAssembly takes seconds at brotli's quality
/// 11, so it is done on a thread started with the server. Until a file is
/// ready it is sent as actix-files sends it, gzipped on every request.
#[derive(Clone, Debug, Default)]
pub struct Bundle {
    /// By request path (`/name`).
    files: Arc<RwLock<HashMap<String, Arc<BundleFile>>>>,
    pending: Arc<AtomicUsize>,
}

/// A compressed bundle file.
#[derive(Debug)]
struct BundleFile {
    content_type: String,
    body: Compressed,
}

impl Bundle {
    /// Compresses every bundle file directly in `dist` into memory, and
    /// returns how many it keeps: a file that compresses by less than a
    /// tenth (an image), or cannot be read (logged), is left to
    /// actix-files.
    pub fn compress(&self, dist: &Path) -> std::io::Result<usize> {
        let mut names = Vec::new();
        for entry in std::fs::read_dir(dist)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if is_hashed_asset(&name) && entry.file_type()?.is_file() {
                names.push(name);
            }
        }
        self.pending.fetch_add(names.len(), Ordering::SeqCst);
        let mut kept = 0;
        for name in names {
            match std::fs::read(dist.join(&name)) {
                Ok(raw) => {
                    let body = Compressed::new(raw, Effort::Best);
                    if body.worth_it() {
                        let extension = name.rsplit('.').next().unwrap_or_default();
                        let content_type =
                            actix_files::file_extension_to_mime(extension).to_string();
                        if let Ok(mut files) = self.files.write() {
                            let file = Arc::new(BundleFile { content_type, body });
                            files.insert(format!("/{name}"), file);
                            kept += 1;
                        }
                    }
                }
                Err(e) => log::warn!("bundle file {name}: {e}"),
            }
            self.pending.fetch_sub(1, Ordering::SeqCst);
        }
        Ok(kept)
    }

    /// [`Bundle::compress`] on a thread of its own; logs when done.
    pub fn compress_in_background(&self, dist: PathBuf) {
        let bundle = self.clone();
        // Counted at once, so `/healthz` never reads 0 before the thread
        // has listed the files.
        bundle.pending.fetch_add(1, Ordering::SeqCst);
        std::thread::spawn(move || {
            let result = bundle.compress(&dist);
            bundle.pending.fetch_sub(1, Ordering::SeqCst);
            match result {
                Ok(kept) => log::info!("bundle: {kept} files compressed"),
                Err(e) => log::warn!(
                    "bundle in {}: {e}; its files are compressed on every request",
                    dist.display()
                ),
            }
        });
    }

    /// How many files are still being compressed (or listed).
    pub fn pending(&self) -> usize {
        self.pending.load(Ordering::SeqCst)
    }

    fn get(&self, path: &str) -> Option<Arc<BundleFile>> {
        self.files.read().ok()?.get(path).cloned()
    }
}

/// The compressed bundle file a `GET` or `HEAD` of `req` asks for, with
/// its name, if it is ready.
fn compressed(req: &ServiceRequest) -> Option<(String, Arc<BundleFile>)> {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return None;
    }
    let file = req
        .app_data::<web::Data<AppState>>()?
        .bundle
        .get(req.path())?;
    let name = req.path().trim_start_matches('/').to_string();
    Some((name, file))
}

/// Whether `path` names a file of the bundle, whose name trunk gives the
/// hash of its content (`style-9d9607b1fd55d38e.css`,
/// `tvaers-frontend-eddc280524f74fd6_bg.wasm`): such a file never
/// changes, so a browser keeps it for a year without asking again.
fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    name.match_indices('-').any(|(at, _)| {
        let rest = &name.as_bytes()[at + 1..];
        rest.len() > 17
            && rest[..16]
                .iter()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
            && matches!(rest[16], b'.' | b'_')
    })
}

/// The page as last sent, compressed, by its tag (a hash of its bytes):
/// it changes only with a release, and carries the whole public manifest
/// (about 110 KB), so it is compressed once per release, not per request,
/// and a reload is answered `304 Not Modified`.
#[derive(Clone, Debug, Default)]
pub struct Pages {
    pages: Arc<Mutex<HashMap<String, Arc<Compressed>>>>,
}

impl Pages {
    /// Pages of one release: the front page (with its preload) and the
    /// others; a few more while a new release replaces one.
    const KEPT: usize = 8;

    fn get_or_compress(&self, body: String) -> (String, Arc<Compressed>) {
        let tag = hex::encode(&Sha256::digest(body.as_bytes())[..12]);
        // A map left by a panicking request is still a map of pages.
        let mut pages = self.pages.lock().unwrap_or_else(PoisonError::into_inner);
        if !pages.contains_key(&tag) && pages.len() >= Self::KEPT {
            pages.clear();
        }
        let page = pages
            .entry(tag.clone())
            .or_insert_with(|| Arc::new(Compressed::new(body.into_bytes(), Effort::Quick)))
            .clone();
        (tag, page)
    }
}

/// `index.html` for `req`, with its [`Boot`]. It changes with every
/// release, so it is revalidated every time (by its `ETag`).
async fn page(req: &HttpRequest, template: &str) -> HttpResponse {
    let state = req.app_data::<web::Data<AppState>>();
    let boot = match state {
        Some(state) => boot(state).await,
        None => Boot::default(),
    };
    // The front page without choices in its address draws the default
    // measure's tile first; any other page or address picks its own.
    let preload = (req.path() == "/" && req.query_string().is_empty())
        .then(|| {
            let kind = TileKind {
                family: DEFAULT_MEASURE.def().family().id,
                split: Split::None,
            };
            boot.manifest
                .as_ref()?
                .tile(&kind.key())
                .map(|t| t.url.clone())
        })
        .flatten();
    let pages = state.map(|state| state.pages.clone()).unwrap_or_default();
    let (tag, page) = pages.get_or_compress(with_boot(template, &boot, preload.as_deref()));
    page.respond(
        req,
        &tag,
        "text/html; charset=utf-8",
        "no-cache",
        "Accept-Encoding",
    )
}

/// The public manifest, as `GET /api/manifest` answers a caller without
/// credentials. The page's request never carries the session cookie (its
/// path is `/api`), so the page is the same for everyone.
async fn boot(state: &AppState) -> Boot {
    let manifest = super::manifest::manifest_for(state, None, None)
        .await
        .unwrap_or_else(|e| {
            log::error!("manifest for the page: {e}");
            None
        });
    Boot { manifest }
}

/// `template` with `boot` as JSON in a data element, and a preload of
/// `preload`, at the end of its head. `<` is escaped in the JSON, so no
/// value can close the element.
fn with_boot(template: &str, boot: &Boot, preload: Option<&str>) -> String {
    let json = serde_json::to_string(boot)
        .unwrap_or_else(|_| "{}".to_string())
        .replace('<', "\\u003c");
    let mut head =
        format!("<script type=\"application/json\" id=\"{BOOT_ELEMENT}\">{json}</script>");
    if let Some(url) = preload {
        head.push_str(&format!(
            "<link rel=\"preload\" href=\"{url}\" as=\"fetch\" crossorigin>"
        ));
    }
    match template.find("</head>") {
        Some(at) => format!("{}{head}{}", &template[..at], &template[at..]),
        None => format!("{template}{head}"),
    }
}

/// The Content-Security-Policy of every answer: scripts only from this
/// server (and the loader trunk writes inline into `index.html`, allowed
/// by its hash), WebAssembly compilation, no plugins, no framing, and
/// requests only to this server. Injected script therefore cannot run, and
/// could not send anything elsewhere if it did (see `docs/access.md`).
pub fn content_security_policy(dist: Option<&Path>) -> String {
    let index = dist
        .and_then(|d| std::fs::read_to_string(d.join("index.html")).ok())
        .unwrap_or_default();
    let hashes: String = inline_scripts(&index)
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The bodies of the `<script>` elements without `src`.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (tag, body) = rest.split_once('>')?;
        let (body, _) = body.split_once("</script>")?;
        (!tag.contains("src=")).then_some(body)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_files_are_known_by_the_hash_in_their_names() {
        for hashed in [
            "/style-9d9607b1fd55d38e.css",
            "/tvaers-frontend-eddc280524f74fd6_bg.wasm",
            "/tvaers-frontend-eddc280524f74fd6.js",
            "/favicon-60de0e6767a68ba4.svg",
        ] {
            assert!(is_hashed_asset(hashed), "{hashed}");
        }
        for plain in [
            "/",
            "/index.html",
            "/app.css",
            "/rapporter/boern-og-unge",
            "/praksisindsigt/indsats",
            "/style-9D9607B1FD55D38E.css",
            "/style-9d9607b1fd55d38.css",
            "/style-9d9607b1fd55d38e",
        ] {
            assert!(!is_hashed_asset(plain), "{plain}");
        }
    }

    #[test]
    fn the_boot_cannot_close_its_element() {
        let boot = Boot {
            manifest: Some(shared::api::Manifest {
                release: "</script><script>alert(1)</script>".to_string(),
                created_at: String::new(),
                format_version: 1,
                tiles: Vec::new(),
                previous: None,
                changes: Default::default(),
            }),
        };
        let page = with_boot(
            "<html><head><title>t</title></head></html>",
            &boot,
            Some("/t"),
        );
        assert_eq!(page.matches("</script>").count(), 1, "{page}");
        assert!(page.ends_with(
            "<link rel=\"preload\" href=\"/t\" as=\"fetch\" crossorigin></head></html>"
        ));
        let (_, json) = page.split_once("id=\"tvaers-boot\">").expect("element");
        let (json, _) = json.split_once("</script>").expect("closed");
        assert_eq!(serde_json::from_str::<Boot>(json).expect("JSON"), boot);
    }

    #[test]
    fn inline_scripts_are_allowed_by_their_hash_only() {
        let html = "<head><script type=\"module\">\nimport init from '/a.js';\n</script>\
                    <script src=\"/b.js\"></script></head>";
        let scripts: Vec<&str> = inline_scripts(html).collect();
        assert_eq!(scripts, ["\nimport init from '/a.js';\n"]);
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("index.html"), html).expect("written");
        let csp = content_security_policy(Some(dir.path()));
        let expected = base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest(b"\nimport init from '/a.js';\n"));
        assert!(csp.contains(&format!("'sha256-{expected}'")), "{csp}");
        assert!(!csp.contains("'unsafe-eval'"), "{csp}");
        assert!(!content_security_policy(None).contains("sha256"));
    }
}
