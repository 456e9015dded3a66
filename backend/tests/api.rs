//! Black-box tests of the HTTP API, through the same application (routes
//! and middleware) the server runs, on a fresh SQLite store.

mod support;

use std::collections::{HashMap, HashSet};
use std::io::Read as _;
use std::net::SocketAddr;
use std::path::Path;

use actix_web::http::{header, StatusCode};
use actix_web::test::{self, TestRequest};
use arrow_array::cast::AsArray;
use arrow_array::types::{UInt16Type, UInt32Type, UInt8Type};
use arrow_ipc::reader::StreamReader;
use shared::api::{BatchInfo, ErrorBody, IngestReport, Manifest};
use tvaers::startup::{app, AppState};
use tvaers::store::Store;

use support::{csv_rows, key, population};

const LOCAL: &str = "127.0.0.1:40000";

fn local() -> SocketAddr {
    LOCAL.parse().expect("addr")
}

/// A response header as text ("" when absent).
fn hv(
    res: &actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
    name: header::HeaderName,
) -> String {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

fn post_csv(register: &str, file: &str, body: Vec<u8>) -> TestRequest {
    TestRequest::post()
        .uri(&format!("/api/ingest/{register}"))
        .peer_addr(local())
        .insert_header((header::CONTENT_TYPE, "text/csv"))
        .insert_header(("X-File-Name", file))
        .set_payload(body)
}

async fn state() -> (AppState, Store, tempfile::TempDir) {
    let (store, dir) = support::sqlite_store().await;
    (AppState::new(store.clone(), key(), None), store, dir)
}

#[actix_web::test]
async fn healthz_reports_the_store() {
    let (state, _store, _dir) = state().await;
    let app = test::init_service(app(state)).await;
    let body: serde_json::Value =
        test::call_and_read_body_json(&app, TestRequest::get().uri("/healthz").to_request()).await;
    assert_eq!(body["status"], "ok");
    assert_eq!(body["store"], "SQLite");
}

#[actix_web::test]
async fn catalog_lists_measures_with_formulas() {
    let (state, _store, _dir) = state().await;
    let app = test::init_service(app(state)).await;
    let body: serde_json::Value =
        test::call_and_read_body_json(&app, TestRequest::get().uri("/api/catalog").to_request())
            .await;
    let keys: Vec<&str> = body["measures"]
        .as_array()
        .expect("measures")
        .iter()
        .filter_map(|m| m["key"].as_str())
        .collect();
    assert!(keys.contains(&"gp_contacts_per_1000"), "{keys:?}");
    assert!(keys.contains(&"citizens"));
}

#[actix_web::test]
async fn manifest_is_a_clear_404_before_any_build() {
    let (state, _store, _dir) = state().await;
    let app = test::init_service(app(state)).await;
    let res = test::call_service(&app, TestRequest::get().uri("/api/manifest").to_request()).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let body: ErrorBody = test::read_body_json(res).await;
    assert_eq!(body.error, "no_release");
}

/// Sex letter of each CPR number in a generated `cpr.csv`.
fn sex_by_cpr(path: &Path) -> HashMap<String, String> {
    std::fs::read_to_string(path)
        .expect("read")
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_string(), f[2].to_string())
        })
        .collect()
}

#[actix_web::test]
async fn ingested_extracts_become_a_tile_with_the_extracts_totals() {
    let (state, store, _dir) = state().await;
    let app = test::init_service(app(state)).await;
    let (extracts, _) = population(600, 21);
    let cpr = extracts.path().join("cpr.csv");
    let ssr = extracts.path().join("ssr.csv");
    for (register, path) in [("cpr", &cpr), ("ssr", &ssr)] {
        let res = test::call_service(
            &app,
            post_csv(register, "x.csv", std::fs::read(path).expect("read")).to_request(),
        )
        .await;
        assert_eq!(res.status(), StatusCode::CREATED, "{register}");
        let report: IngestReport = test::read_body_json(res).await;
        assert_eq!(report.rows_added, csv_rows(path));
    }
    tvaers::release::build(&store).await.expect("build");

    let manifest: Manifest =
        test::call_and_read_body_json(&app, TestRequest::get().uri("/api/manifest").to_request())
            .await;
    let entry = manifest.tile("geography").expect("geography tile");
    assert_eq!(entry.dimension, "municipality");
    let res = test::call_service(&app, TestRequest::get().uri(&entry.url).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        hv(&res, header::CONTENT_TYPE),
        "application/vnd.apache.arrow.stream"
    );
    assert_eq!(
        hv(&res, header::CACHE_CONTROL),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(hv(&res, header::ETAG), format!("\"{}\"", entry.id));
    let bytes = test::read_body(res).await;
    assert_eq!(bytes.len() as u64, entry.bytes);

    // Decode with arrow-rs directly and compare with the CSV files,
    // counted here without the code under test.
    let mut reader = StreamReader::try_new(bytes.as_ref(), None).expect("arrow stream");
    let batch = reader.next().expect("a batch").expect("valid");
    let col = |name: &str| {
        batch
            .column(batch.schema().index_of(name).expect("column"))
            .clone()
    };
    let citizens: u64 = col("citizens")
        .as_primitive::<UInt32Type>()
        .values()
        .iter()
        .map(|v| u64::from(*v))
        .sum();
    let contacts: u64 = col("gp_contacts")
        .as_primitive::<UInt32Type>()
        .values()
        .iter()
        .map(|v| u64::from(*v))
        .sum();
    assert_eq!(citizens, csv_rows(&cpr));
    assert_eq!(contacts, csv_rows(&ssr));

    let sexes = sex_by_cpr(&cpr);
    let women_contacts = std::fs::read_to_string(&ssr)
        .expect("read")
        .lines()
        .skip(1)
        .filter(|l| {
            sexes
                .get(l.split(',').next().unwrap_or(""))
                .is_some_and(|s| s == "K")
        })
        .count() as u64;
    let sex = col("sex");
    let sex = sex.as_primitive::<UInt8Type>();
    let contacts_col = col("gp_contacts");
    let contacts_col = contacts_col.as_primitive::<UInt32Type>();
    let tile_women: u64 = (0..batch.num_rows())
        .filter(|i| sex.value(*i) == 2)
        .map(|i| u64::from(contacts_col.value(i)))
        .sum();
    assert_eq!(tile_women, women_contacts);
    let municipalities: HashSet<u16> = col("municipality")
        .as_primitive::<UInt16Type>()
        .values()
        .iter()
        .copied()
        .collect();
    assert!(municipalities
        .iter()
        .all(|m| shared::geography::municipality(*m).is_some()));
}

#[actix_web::test]
async fn tiles_revalidate_by_etag_and_come_gzip_compressed_on_request() {
    let (state, store, _dir) = state().await;
    let app = test::init_service(app(state)).await;
    let (extracts, _) = population(100, 22);
    for register in ["cpr", "ssr"] {
        let body = std::fs::read(extracts.path().join(format!("{register}.csv"))).expect("read");
        test::call_service(&app, post_csv(register, "x.csv", body).to_request()).await;
    }
    let built = tvaers::release::build(&store).await.expect("build");
    let tile = &built.tiles[0];
    let uri = format!("/api/tiles/{}", tile.meta.id);

    let res = test::call_service(
        &app,
        TestRequest::get()
            .uri(&uri)
            .insert_header((header::IF_NONE_MATCH, format!("\"{}\"", tile.meta.id)))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);

    let res = test::call_service(
        &app,
        TestRequest::get()
            .uri(&uri)
            .insert_header((header::ACCEPT_ENCODING, "gzip"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(hv(&res, header::CONTENT_ENCODING), "gzip");
    assert_eq!(hv(&res, header::ETAG), format!("\"{}.gz\"", tile.meta.id));
    let gz = test::read_body(res).await;
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(gz.as_ref())
        .read_to_end(&mut raw)
        .expect("gunzip");
    assert_eq!(raw, tile.bytes);

    let res = test::call_service(
        &app,
        TestRequest::default()
            .method(actix_web::http::Method::HEAD)
            .uri(&uri)
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(hv(&res, header::ETAG), format!("\"{}\"", tile.meta.id));

    let res = test::call_service(
        &app,
        TestRequest::get()
            .uri(&format!("/api/tiles/{}", "0".repeat(64)))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn bad_rows_are_reported_with_file_line_field_and_nothing_is_stored() {
    let (state, store, _dir) = state().await;
    let app = test::init_service(app(state)).await;
    // (file, body, words the first reason must contain, expected (line, field)s)
    type Case = (
        &'static str,
        &'static str,
        &'static str,
        Vec<(u64, &'static str)>,
    );
    let cases: [Case; 3] = [
        (
            "unknown-municipality.csv",
            "cpr,birth_date,sex,municipality\n0101801234,1980-01-01,K,101\n0202801235,1980-02-02,M,999\n",
            "municipality",
            vec![(3, "municipality")],
        ),
        (
            "bad-date.csv",
            "cpr,birth_date,sex,municipality\n0101801234,1980-01-01,K,101\n0202801235,80-02-02,M,101\n0303801236,1980-02-30,K,851\n",
            "malformed date",
            vec![(3, "birth_date"), (4, "birth_date")],
        ),
        (
            "missing-column.csv",
            "cpr,birth_date,municipality\n0101801234,1980-01-01,101\n",
            "missing column",
            vec![(1, "sex")],
        ),
    ];
    for (file, csv, reason, expected) in cases {
        let res = test::call_service(
            &app,
            post_csv("cpr", file, csv.as_bytes().to_vec()).to_request(),
        )
        .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{file}");
        let body: ErrorBody = test::read_body_json(res).await;
        assert_eq!(body.error, "invalid_batch");
        let got: Vec<(u64, &str)> = body
            .errors
            .iter()
            .map(|e| (e.line, e.field.as_str()))
            .collect();
        assert_eq!(got, expected, "{file}");
        assert!(body.errors.iter().all(|e| e.file == file));
        assert!(
            body.errors[0].reason.contains(reason),
            "{:?}",
            body.errors[0]
        );
    }
    let counts = store.counts().await.expect("counts");
    assert_eq!((counts.persons, counts.batches), (0, 0));
}

#[actix_web::test]
async fn the_same_batch_twice_adds_nothing_the_second_time() {
    let (state, store, _dir) = state().await;
    let app = test::init_service(app(state)).await;
    let (extracts, _) = population(150, 23);
    let body = std::fs::read(extracts.path().join("ssr.csv")).expect("read");
    let first =
        test::call_service(&app, post_csv("ssr", "ssr.csv", body.clone()).to_request()).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let after_first = store.counts().await.expect("counts");
    let second = test::call_service(&app, post_csv("ssr", "ssr.csv", body).to_request()).await;
    assert_eq!(second.status(), StatusCode::OK);
    let report: IngestReport = test::read_body_json(second).await;
    assert_eq!(report.rows_added, 0);
    assert_eq!(store.counts().await.expect("counts"), after_first);

    // The ledger reports the batch as first published.
    let uri = format!("/api/ingest/batches/{}", report.batch_id);
    let info: BatchInfo =
        test::call_and_read_body_json(&app, TestRequest::get().uri(&uri).to_request()).await;
    assert_eq!(info.rows_added, after_first.gp_contacts as u64);
    assert_eq!(
        (info.register.as_str(), info.file.as_str()),
        ("ssr", "ssr.csv")
    );
    let missing = TestRequest::get()
        .uri("/api/ingest/batches/nope")
        .to_request();
    assert_eq!(
        test::call_service(&app, missing).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn ingestion_refuses_remote_peers_unknown_registers_and_other_media() {
    let (state, _store, _dir) = state().await;
    let app = test::init_service(app(state)).await;
    let remote = post_csv("cpr", "x.csv", b"cpr\n".to_vec())
        .peer_addr("192.0.2.7:5000".parse().expect("addr"));
    assert_eq!(
        test::call_service(&app, remote.to_request()).await.status(),
        StatusCode::FORBIDDEN
    );
    let unknown = post_csv("lpr9", "x.csv", b"a\n".to_vec());
    assert_eq!(
        test::call_service(&app, unknown.to_request())
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let json = post_csv("cpr", "x.csv", b"{}".to_vec())
        .insert_header((header::CONTENT_TYPE, "application/json"));
    assert_eq!(
        test::call_service(&app, json.to_request()).await.status(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE
    );
}

#[actix_web::test]
async fn the_spa_answers_deep_links_and_the_api_answers_json_404() {
    let (store, _dir) = support::sqlite_store().await;
    let dist = tempfile::tempdir().expect("dist");
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><title>Tværs test</title>",
    )
    .expect("write");
    std::fs::write(dist.path().join("app.css"), "body{}").expect("write");
    let app = test::init_service(app(AppState::new(
        store,
        key(),
        Some(dist.path().to_path_buf()),
    )))
    .await;

    for uri in ["/", "/rapporter/borgere-65?sex=2"] {
        let body = test::call_and_read_body(&app, TestRequest::get().uri(uri).to_request()).await;
        assert!(
            String::from_utf8_lossy(&body).contains("Tværs test"),
            "{uri}"
        );
    }
    let css = test::call_and_read_body(&app, TestRequest::get().uri("/app.css").to_request()).await;
    assert_eq!(css.as_ref(), b"body{}");
    let res = test::call_service(&app, TestRequest::get().uri("/api/nope").to_request()).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let body: ErrorBody = test::read_body_json(res).await;
    assert_eq!(body.error, "not_found");
}

/// The rows of a generated CSV as columns of text.
fn csv_columns(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).expect("read");
    let mut columns: Vec<Vec<String>> = Vec::new();
    for line in text.lines().skip(1) {
        for (i, field) in line.split(',').enumerate() {
            if columns.len() <= i {
                columns.push(Vec::new());
            }
            columns[i].push(field.to_string());
        }
    }
    columns
}

fn days_since_epoch(date: &str) -> i32 {
    let date = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("date");
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch");
    (date - epoch).num_days() as i32
}

fn arrow_stream(columns: Vec<(&str, arrow_array::ArrayRef)>) -> Vec<u8> {
    let batch = arrow_array::RecordBatch::try_from_iter(columns).expect("batch");
    let mut writer =
        arrow_ipc::writer::StreamWriter::try_new(Vec::new(), &batch.schema()).expect("writer");
    writer.write(&batch).expect("write");
    writer.finish().expect("finish");
    writer.into_inner().expect("bytes")
}

fn post_arrow(register: &str, body: Vec<u8>) -> TestRequest {
    post_csv(register, "extract.arrows", body)
        .insert_header((header::CONTENT_TYPE, "application/vnd.apache.arrow.stream"))
}

#[actix_web::test]
async fn arrow_ipc_extracts_are_ingested_like_csv() {
    use arrow_array::{ArrayRef, Date32Array, StringArray, UInt16Array};
    use std::sync::Arc;

    let (state, store, _dir) = state().await;
    let app = test::init_service(app(state)).await;
    let (extracts, _) = population(300, 24);
    let cpr_path = extracts.path().join("cpr.csv");
    let ssr_path = extracts.path().join("ssr.csv");

    // Typed columns, as a register would send them.
    let c = csv_columns(&cpr_path);
    let cpr = arrow_stream(vec![
        ("cpr", Arc::new(StringArray::from(c[0].clone())) as ArrayRef),
        (
            "birth_date",
            Arc::new(Date32Array::from(
                c[1].iter().map(|d| days_since_epoch(d)).collect::<Vec<_>>(),
            )),
        ),
        ("sex", Arc::new(StringArray::from(c[2].clone()))),
        (
            "municipality",
            Arc::new(UInt16Array::from(
                c[3].iter()
                    .map(|m| m.parse::<u16>().expect("code"))
                    .collect::<Vec<_>>(),
            )),
        ),
    ]);
    let s = csv_columns(&ssr_path);
    let ssr = arrow_stream(vec![
        ("cpr", Arc::new(StringArray::from(s[0].clone())) as ArrayRef),
        (
            "contact_date",
            Arc::new(Date32Array::from(
                s[1].iter().map(|d| days_since_epoch(d)).collect::<Vec<_>>(),
            )),
        ),
        ("provider_number", Arc::new(StringArray::from(s[2].clone()))),
        ("contact_type", Arc::new(StringArray::from(s[3].clone()))),
    ]);
    for (register, body, path) in [("cpr", cpr.clone(), &cpr_path), ("ssr", ssr, &ssr_path)] {
        let res = test::call_service(&app, post_arrow(register, body).to_request()).await;
        assert_eq!(res.status(), StatusCode::CREATED, "{register}");
        let report: IngestReport = test::read_body_json(res).await;
        assert_eq!(report.rows_added, csv_rows(path), "{register}");
    }
    let counts = store.counts().await.expect("counts");
    assert_eq!(
        (counts.persons as u64, counts.gp_contacts as u64),
        (csv_rows(&cpr_path), csv_rows(&ssr_path))
    );

    // Replaying the stream adds nothing.
    let res = test::call_service(&app, post_arrow("cpr", cpr).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);

    // A null is a missing value, reported by row and field; nothing is stored.
    let bad = arrow_stream(vec![
        (
            "cpr",
            Arc::new(StringArray::from(vec!["0101801234", "0202801235"])) as ArrayRef,
        ),
        (
            "birth_date",
            Arc::new(Date32Array::from(vec![Some(3652), None])),
        ),
        ("sex", Arc::new(StringArray::from(vec!["K", "M"]))),
        ("municipality", Arc::new(UInt16Array::from(vec![101, 851]))),
    ]);
    let res = test::call_service(&app, post_arrow("cpr", bad).to_request()).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body: ErrorBody = test::read_body_json(res).await;
    let got: Vec<(u64, &str)> = body
        .errors
        .iter()
        .map(|e| (e.line, e.field.as_str()))
        .collect();
    assert_eq!(got, vec![(2, "birth_date")]);
    assert_eq!(store.counts().await.expect("counts"), counts);
}
