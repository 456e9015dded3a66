//! The built single-page app, with history fallback: any path that is not
//! a file serves `index.html`, so deep links work.

use std::path::PathBuf;

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
