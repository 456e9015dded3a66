//! The built single-page app, with history fallback: any path that is not
//! a file serves `index.html`, so deep links work.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use sha2::{Digest, Sha256};

use actix_files::{Files, NamedFile};
use actix_web::dev::{fn_service, ServiceRequest, ServiceResponse};
use actix_web::http::header::{CacheControl, CacheDirective};
use actix_web::{web, HttpResponse};

/// Mounts the SPA at `/`, or a page explaining how to build it.
pub fn mount(cfg: &mut web::ServiceConfig, dist: Option<PathBuf>) {
    match dist {
        Some(dist) => {
            let index = dist.join("index.html");
            cfg.service(
                Files::new("/", dist)
                    .index_file("index.html")
                    .default_handler(fn_service(move |req: ServiceRequest| {
                        let index = index.clone();
                        async move {
                            let (req, _) = req.into_parts();
                            let file = NamedFile::open_async(&index).await?;
                            let mut res = file.into_response(&req);
                            res.headers_mut().insert(
                                actix_web::http::header::CACHE_CONTROL,
                                CacheControl(vec![CacheDirective::NoCache])
                                    .to_string()
                                    .parse()
                                    .expect("valid header"),
                            );
                            Ok(ServiceResponse::new(req, res))
                        }
                    })),
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
