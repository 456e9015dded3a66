//! Answers compressed once and sent many times — tiles and the bundle's
//! files — in brotli, gzip or as they are, as the client accepts. Each
//! variant has its own strong `ETag`, as its bytes differ.

use std::io::Write as _;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use flate2::write::GzEncoder;
use flate2::Compression;

/// One body in the encodings we send.
#[derive(Debug)]
pub struct Compressed {
    raw: web::Bytes,
    gzip: web::Bytes,
    brotli: web::Bytes,
}

/// How hard a body is compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Effort {
    /// The best compression, before any visitor asks (at start-up and in
    /// the background): Brotli's quality 11 takes seconds for a large
    /// tile.
    Best,
    /// Quickly, for a request that found the tile not compressed yet: the
    /// visitor waits for it, and four such requests at quality 11 on two
    /// cores took up to 24 s each.
    Quick,
}

/// The variant of a [`Compressed`] body chosen for a request.
#[derive(Debug)]
struct Variant {
    /// `Content-Encoding`, if any.
    coding: Option<&'static str>,
    /// The bytes to send.
    body: web::Bytes,
    /// A strong `ETag` of these bytes.
    etag: String,
    /// Whether the request's `If-None-Match` names `etag`.
    not_modified: bool,
}

impl Compressed {
    /// `raw`, compressed with `effort`.
    pub fn new(raw: Vec<u8>, effort: Effort) -> Compressed {
        let (gzip_level, brotli_quality) = match effort {
            Effort::Best => (Compression::best(), 11),
            Effort::Quick => (Compression::default(), 5),
        };
        let in_memory = "compressing into memory cannot fail";
        let mut gz = GzEncoder::new(Vec::with_capacity(raw.len() / 4), gzip_level);
        gz.write_all(&raw).expect(in_memory);
        Compressed {
            gzip: gz.finish().expect(in_memory).into(),
            brotli: crate::tile::brotli_at(&raw, brotli_quality)
                .expect(in_memory)
                .into(),
            raw: raw.into(),
        }
    }

    /// The variant `req` prefers — brotli, then gzip, then the raw bytes
    /// — with `tag` as its `ETag` (`"tag.br"`, `"tag.gz"`, `"tag"`).
    fn variant(&self, req: &HttpRequest, tag: &str) -> Variant {
        let (coding, body, etag) = match negotiate(req) {
            Encoding::Brotli => (Some("br"), &self.brotli, format!("\"{tag}.br\"")),
            Encoding::Gzip => (Some("gzip"), &self.gzip, format!("\"{tag}.gz\"")),
            Encoding::Identity => (None, &self.raw, format!("\"{tag}\"")),
        };
        let not_modified = req
            .headers()
            .get_all(header::IF_NONE_MATCH)
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|t| t.trim() == etag || t.trim() == "*");
        Variant {
            coding,
            body: body.clone(),
            etag,
            not_modified,
        }
    }

    /// Whether brotli makes the body at least a tenth smaller: a body that
    /// is compressed already (an image) is not worth keeping three times.
    pub fn worth_it(&self) -> bool {
        self.brotli.len() * 10 <= self.raw.len() * 9
    }

    /// The answer to `req`: the variant it prefers as [`variant`] picks
    /// it, of `content_type`, with `cache_control` and `vary` (which
    /// names `Accept-Encoding` too) — or `304 Not Modified`.
    ///
    /// [`variant`]: Compressed::variant
    pub fn respond(
        &self,
        req: &HttpRequest,
        tag: &str,
        content_type: &str,
        cache_control: &'static str,
        vary: &'static str,
    ) -> HttpResponse {
        let variant = self.variant(req, tag);
        let mut response = if variant.not_modified {
            HttpResponse::NotModified()
        } else {
            HttpResponse::Ok()
        };
        response
            .insert_header((header::ETAG, variant.etag))
            .insert_header((header::CACHE_CONTROL, cache_control))
            .insert_header((header::VARY, vary));
        if variant.not_modified {
            return response.finish();
        }
        response.insert_header((header::CONTENT_TYPE, content_type));
        if let Some(coding) = variant.coding {
            response.insert_header((header::CONTENT_ENCODING, coding));
        }
        response.body(variant.body)
    }
}

/// How a body is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

/// Whether `Accept-Encoding` accepts `coding` (a q-value of 0 refuses).
fn accepts(req: &HttpRequest, coding: &str) -> bool {
    req.headers()
        .get_all(header::ACCEPT_ENCODING)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|token| {
            let mut parts = token.trim().split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            name.eq_ignore_ascii_case(coding) && !refused
        })
}

/// Brotli if accepted, else gzip if accepted, else the raw bytes.
fn negotiate(req: &HttpRequest) -> Encoding {
    if accepts(req, "br") {
        Encoding::Brotli
    } else if accepts(req, "gzip") {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn encodings_are_negotiated_with_q_values() {
        let req = |v: &str| {
            TestRequest::default()
                .insert_header((header::ACCEPT_ENCODING, v))
                .to_http_request()
        };
        assert_eq!(negotiate(&req("gzip, deflate, br")), Encoding::Brotli);
        assert_eq!(negotiate(&req("br;q=0, GZIP;q=0.5")), Encoding::Gzip);
        assert_eq!(negotiate(&req("gzip;q=0.000")), Encoding::Identity);
        assert_eq!(negotiate(&req("br")), Encoding::Brotli);
        assert_eq!(negotiate(&req("deflate")), Encoding::Identity);
        assert_eq!(
            negotiate(&TestRequest::default().to_http_request()),
            Encoding::Identity
        );
    }

    #[test]
    fn each_variant_decodes_to_the_raw_bytes_and_has_its_own_etag() {
        use std::io::Read;
        let raw: Vec<u8> = (0..10_000u32)
            .flat_map(|i| (i % 97).to_le_bytes())
            .collect();
        let body = Compressed::new(raw.clone(), Effort::Quick);
        let req = |accept: &str, tags: &str| {
            TestRequest::default()
                .insert_header((header::ACCEPT_ENCODING, accept))
                .insert_header((header::IF_NONE_MATCH, tags))
                .to_http_request()
        };

        let br = body.variant(&req("br, gzip", "\"t.gz\""), "t");
        assert_eq!((br.coding, br.etag.as_str()), (Some("br"), "\"t.br\""));
        assert!(!br.not_modified, "the gzip tag is not the brotli one");
        assert!(br.body.len() < raw.len() / 4);
        let mut back = Vec::new();
        brotli::Decompressor::new(br.body.as_ref(), 4096)
            .read_to_end(&mut back)
            .expect("brotli decodes");
        assert_eq!(back, raw);

        let gz = body.variant(&req("gzip", "\"x\", \"t.gz\""), "t");
        assert_eq!((gz.coding, gz.etag.as_str()), (Some("gzip"), "\"t.gz\""));
        assert!(gz.not_modified);
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(gz.body.as_ref())
            .read_to_end(&mut back)
            .expect("gzip decodes");
        assert_eq!(back, raw);

        let plain = body.variant(&req("identity", "*"), "t");
        assert_eq!((plain.coding, plain.etag.as_str()), (None, "\"t\""));
        assert!(plain.not_modified);
        assert_eq!(plain.body.as_ref(), raw.as_slice());
    }
}
