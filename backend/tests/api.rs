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
use shared::api::{BatchInfo, Change, ErrorBody, IngestReport, Manifest};
use shared::disclosure::Protection;
use shared::register::{RegisterId, REGISTERS};
use shared::TileFamilyId;
use tvaers::startup::{app, AppState};
use tvaers::store::Store;

use support::{csv_rows, key, population, register_rows};

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

/// [`state`] trusting the tokens of a development issuer, which it returns.
async fn state_with_issuer() -> (AppState, Store, tempfile::TempDir, tvaers::auth::DevIssuer) {
    use tvaers::auth::request::Auth;
    use tvaers::auth::{DevIssuer, Verifier};
    let (mut state, store, dir) = state().await;
    let issuer = DevIssuer::load_or_create(&dir.path().join("dev-issuer")).expect("a key");
    state.auth = Auth {
        verifier: Verifier::new(vec![issuer.trusted_key()], "tvaers").expect("one key"),
        dev: Some(issuer.clone()),
        secure_cookie: false,
    };
    (state, store, dir, issuer)
}

#[actix_web::test]
async fn healthz_reports_the_store() {
    let (state, _store, _dir) = state().await;
    let app = test::init_service(app(state)).await;
    let body: serde_json::Value =
        test::call_and_read_body_json(&app, TestRequest::get().uri("/healthz").to_request()).await;
    assert_eq!(body["status"], "ok");
    assert_eq!(body["store"], "SQLite");
    assert_eq!(body["tiles_compressing"], 0);
}

#[actix_web::test]
async fn healthz_counts_the_tiles_compressed_in_the_background_down_to_zero() {
    let (state, _store, _dir) = state().await;
    let cache = state.tiles.clone();
    let app = test::init_service(app(state)).await;
    let compressing = || async {
        let body: serde_json::Value =
            test::call_and_read_body_json(&app, TestRequest::get().uri("/healthz").to_request())
                .await;
        body["tiles_compressing"].as_u64().expect("a count")
    };
    // Three tiles of 256 KiB that compress badly (brotli at quality 11).
    let mut x: u32 = 7;
    let tiles: Vec<(String, Vec<u8>)> = (0..3)
        .map(|i| {
            let bytes = (0..256 * 1024)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 17;
                    x ^= x << 5;
                    x as u8
                })
                .collect();
            (format!("{i:064x}"), bytes)
        })
        .collect();
    cache.warm_in_background(tiles, "test tiles compressed".into());
    assert!(compressing().await <= 3);
    let mut left = compressing().await;
    for _ in 0..600 {
        if left == 0 {
            break;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
        left = compressing().await;
    }
    assert_eq!(left, 0, "still compressing after a minute");
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
    assert!(keys.contains(&"gp_contacts"), "{keys:?}");
    assert!(keys.contains(&"mean_length_of_stay"), "{keys:?}");
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

/// Posts every generated register extract in `dir`, in catalogue order,
/// and checks each is published whole.
async fn post_all<S, B>(app: &S, dir: &Path)
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    for register in REGISTERS {
        let path = dir.join(format!("{}.csv", register.key));
        let body = std::fs::read(&path).expect("read extract");
        let res = test::call_service(app, post_csv(register.key, "x.csv", body).to_request()).await;
        assert_eq!(res.status(), StatusCode::CREATED, "{}", register.key);
        let report: IngestReport = test::read_body_json(res).await;
        assert_eq!(report.rows_added, csv_rows(&path), "{}", register.key);
    }
}

/// The rows of a CSV file as maps of column name to value, read with the
/// csv crate (not with the code under test).
fn csv_records(path: &Path) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).expect("open csv");
    let header = reader.headers().expect("header").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            header
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// Citizens of `year` by CPR number (status not 30/50/60, a residence
/// period overlapping the year, placed by the last such period): their
/// municipality and sex.
fn citizens(dir: &Path, year: i32) -> HashMap<String, (u16, String)> {
    let (first, last) = (format!("{year}-01-01"), format!("{year}-12-31"));
    let mut found: HashMap<String, HashMap<String, String>> = HashMap::new();
    for r in csv_records(&dir.join("cpr.csv")) {
        let overlaps =
            r["valid_from"] <= last && (r["valid_to"].is_empty() || r["valid_to"] > first);
        let born = r["birth_date"][..4].parse::<i32>().expect("year") <= year;
        if ["30", "50", "60"].contains(&r["status"].as_str()) || !overlaps || !born {
            continue;
        }
        let later = found
            .get(&r["cpr"])
            .is_none_or(|before| before["valid_from"] < r["valid_from"]);
        if later {
            found.insert(r["cpr"].clone(), r);
        }
    }
    found
        .into_iter()
        .map(|(cpr, r)| {
            (
                cpr,
                (r["municipality"].parse().expect("code"), r["sex"].clone()),
            )
        })
        .collect()
}

/// Contacts with general practice in `year`: (CPR number) per contact.
fn gp_contacts(dir: &Path, year: i32) -> Vec<String> {
    let practices: HashSet<String> = csv_records(&dir.join("ydr.csv"))
        .into_iter()
        .filter(|p| p["provider_type"] == "general_practice")
        .map(|p| p["provider_number"].clone())
        .collect();
    csv_records(&dir.join("ssr.csv"))
        .into_iter()
        .filter(|c| {
            practices.contains(&c["provider_number"])
                && c["contact_date"].starts_with(&year.to_string())
        })
        .map(|c| c["cpr"].clone())
        .collect()
}

#[actix_web::test]
async fn ingested_extracts_become_a_tile_with_the_extracts_totals() {
    let (state, store, _dir) = state().await;
    let app = test::init_service(app(state)).await;
    let (extracts, _) = population(600, 21);
    post_all(&app, extracts.path()).await;
    // Exact counts, to compare with the extracts (public builds round
    // them; see the next test).
    let exact = tvaers::aggregate::Rules {
        disclosure: Protection::Exact,
        ..Default::default()
    };
    tvaers::release::build_with(&store, &exact)
        .await
        .expect("build");

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
    // One year is generated: every cell is of that year.
    let years: HashSet<u16> = col("year")
        .as_primitive::<UInt16Type>()
        .values()
        .iter()
        .copied()
        .collect();
    assert_eq!(years, HashSet::from([2024]));
    let people = citizens(extracts.path(), 2024);
    let contacts: Vec<String> = gp_contacts(extracts.path(), 2024)
        .into_iter()
        .filter(|c| people.contains_key(c))
        .collect();
    let sum = |name: &str| -> u64 {
        col(name)
            .as_primitive::<UInt32Type>()
            .values()
            .iter()
            .map(|v| u64::from(*v))
            .sum()
    };
    assert_eq!(sum("citizens"), people.len() as u64);
    assert_eq!(sum("gp_contacts"), contacts.len() as u64);

    let women_contacts = contacts.iter().filter(|c| people[*c].1 == "K").count() as u64;
    let sex = col("sex");
    let sex = sex.as_primitive::<UInt8Type>();
    let contacts_col = col("gp_contacts");
    let contacts_col = contacts_col.as_primitive::<UInt32Type>();
    let tile_women: u64 = (0..batch.num_rows())
        .filter(|i| sex.value(*i) == 2)
        .map(|i| u64::from(contacts_col.value(i)))
        .sum();
    assert_eq!(tile_women, women_contacts);

    // Citizens per municipality, as the extracts place them.
    let mut expected: HashMap<u16, u64> = HashMap::new();
    for (m, _) in people.values() {
        *expected.entry(*m).or_default() += 1;
    }
    let mut in_tile: HashMap<u16, u64> = HashMap::new();
    let municipality = col("municipality");
    let municipality = municipality.as_primitive::<UInt16Type>();
    let citizens_col = col("citizens");
    let citizens_col = citizens_col.as_primitive::<UInt32Type>();
    for i in 0..batch.num_rows() {
        *in_tile.entry(municipality.value(i)).or_default() += u64::from(citizens_col.value(i));
    }
    in_tile.retain(|_, n| *n > 0);
    assert_eq!(in_tile, expected);
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

/// Every (key columns → quantity columns) row of a served tile, and its
/// disclosure metadata.
fn tile_cells(bytes: &[u8]) -> (String, HashMap<Vec<u64>, Vec<u64>>) {
    let mut reader = StreamReader::try_new(bytes, None).expect("arrow stream");
    let schema = reader.schema();
    let protection = schema.metadata()["tvaers.disclosure"].clone();
    let mut cells = HashMap::new();
    for batch in reader.by_ref() {
        let batch = batch.expect("valid");
        let value = |c: usize, row: usize| -> u64 {
            let column = batch.column(c);
            match column.data_type() {
                arrow_schema::DataType::UInt8 => {
                    column.as_primitive::<UInt8Type>().value(row).into()
                }
                arrow_schema::DataType::UInt16 => {
                    column.as_primitive::<UInt16Type>().value(row).into()
                }
                _ => column.as_primitive::<UInt32Type>().value(row).into(),
            }
        };
        let keys = batch.num_columns() - TileFamilyId::Geography.def().quantities.len();
        for row in 0..batch.num_rows() {
            let key = (0..keys).map(|c| value(c, row)).collect();
            let values = (keys..batch.num_columns()).map(|c| value(c, row)).collect();
            cells.insert(key, values);
        }
    }
    (protection, cells)
}

/// Builds the stored data twice: exact tiles (the truth), then the public
/// release.
async fn exact_then_public(
    store: &Store,
) -> (tvaers::release::BuildSummary, tvaers::release::BuildSummary) {
    let exact = tvaers::aggregate::Rules {
        disclosure: Protection::Exact,
        ..Default::default()
    };
    let truth = tvaers::release::build_with(store, &exact)
        .await
        .expect("exact build");
    let public = tvaers::release::build(store).await.expect("public build");
    (truth, public)
}

#[actix_web::test]
async fn public_tiles_round_every_count_to_a_multiple_of_five_near_the_truth() {
    let (state, store, _dir) = state().await;
    let app = test::init_service(app(state)).await;
    let (extracts, _) = population(400, 23);
    post_all(&app, extracts.path()).await;
    let (truth, public) = exact_then_public(&store).await;
    let (protection, truth) = tile_cells(&truth.tiles[0].bytes);
    assert_eq!(protection, "exact");
    let served = test::call_and_read_body(
        &app,
        TestRequest::get()
            .uri(&format!("/api/tiles/{}", public.tiles[0].meta.id))
            .to_request(),
    )
    .await;
    let (protection, shown) = tile_cells(&served);
    assert_eq!(protection, "cell_key_round_5");
    // A small population has small cells, so the test can fail.
    let small = truth
        .values()
        .flatten()
        .filter(|n| (1..=4).contains(*n))
        .count();
    assert!(small > 100, "only {small} counts of 1-4 in the exact tile");
    let mut changed = 0;
    for (key, true_values) in &truth {
        let zeros = vec![0; true_values.len()];
        let published = shown.get(key).unwrap_or(&zeros);
        for (p, t) in published.iter().zip(true_values) {
            assert_eq!(p % 5, 0, "{key:?}: {t} published as {p}");
            assert!(p.abs_diff(*t) <= 4, "{key:?}: {t} published as {p}");
            changed += usize::from(p != t);
        }
    }
    assert!(
        shown.keys().all(|k| truth.contains_key(k)),
        "no cell appears from nothing"
    );
    assert!(changed >= small, "{changed} values changed");
    // The same data gives the same noise: a rebuild is the same release.
    let again = tvaers::release::build(&store).await.expect("rebuild");
    assert_eq!(again.release, public.release);
    assert!(!again.published);
}

#[actix_web::test]
async fn tiles_revalidate_by_etag_and_come_compressed_on_request() {
    let (state, store, _dir) = state().await;
    let app = test::init_service(app(state)).await;
    let (extracts, _) = population(100, 22);
    post_all(&app, extracts.path()).await;
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

    // Brotli is preferred when the browser accepts it.
    let res = test::call_service(
        &app,
        TestRequest::get()
            .uri(&uri)
            .insert_header((header::ACCEPT_ENCODING, "gzip, deflate, br"))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(hv(&res, header::CONTENT_ENCODING), "br");
    assert_eq!(hv(&res, header::ETAG), format!("\"{}.br\"", tile.meta.id));
    let br = test::read_body(res).await;
    assert!(
        br.len() < gz.len(),
        "brotli {} < gzip {}",
        br.len(),
        gz.len()
    );
    let mut raw = Vec::new();
    brotli::Decompressor::new(br.as_ref(), 4096)
        .read_to_end(&mut raw)
        .expect("brotli");
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
    const HEADER: &str = "cpr,birth_date,sex,municipality,address_id,valid_from,valid_to,civil_status,status,status_date\n";
    let cases: [Case; 3] = [
        (
            "unknown-municipality.csv",
            "0101801234,1980-01-01,K,101,A1,1980-01-01,,U,01,\n0202801235,1980-02-02,M,999,A2,1980-02-02,,U,01,\n",
            "municipality",
            vec![(3, "municipality")],
        ),
        (
            "bad-date.csv",
            "0101801234,1980-01-01,K,101,A1,1980-01-01,,U,01,\n0202801235,80-02-02,M,101,A2,1980-02-02,,U,01,\n0303801236,1980-02-30,K,851,A3,1980-03-03,,U,01,\n",
            "malformed date",
            vec![(3, "birth_date"), (4, "birth_date")],
        ),
        (
            "missing-column.csv",
            "",
            "missing column",
            vec![(1, "sex")],
        ),
    ];
    for (file, rows, reason, expected) in cases {
        let csv = if rows.is_empty() {
            // The header without `sex`, and one row to match.
            "cpr,birth_date,municipality,address_id,valid_from,valid_to,civil_status,status,status_date\n\
             0101801234,1980-01-01,101,A1,1980-01-01,,U,01,\n"
                .to_string()
        } else {
            format!("{HEADER}{rows}")
        };
        let res =
            test::call_service(&app, post_csv("cpr", file, csv.into_bytes()).to_request()).await;
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
    assert_eq!(register_rows(&store, RegisterId::Cpr).await, 0);
    assert_eq!(store.batch_count().await.expect("batches"), 0);
}

#[actix_web::test]
async fn the_same_batch_twice_adds_nothing_the_second_time() {
    let (state, store, _dir) = state().await;
    let app = test::init_service(app(state)).await;
    let (extracts, _) = population(150, 23);
    let ydr = std::fs::read(extracts.path().join("ydr.csv")).expect("read");
    test::call_service(&app, post_csv("ydr", "ydr.csv", ydr).to_request()).await;
    let body = std::fs::read(extracts.path().join("ssr.csv")).expect("read");
    let first =
        test::call_service(&app, post_csv("ssr", "ssr.csv", body.clone()).to_request()).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let after_first = register_rows(&store, RegisterId::Ssr).await;
    assert_eq!(
        after_first as u64,
        csv_rows(&extracts.path().join("ssr.csv"))
    );
    let second = test::call_service(&app, post_csv("ssr", "ssr.csv", body).to_request()).await;
    assert_eq!(second.status(), StatusCode::OK);
    let report: IngestReport = test::read_body_json(second).await;
    assert_eq!(report.rows_added, 0);
    assert_eq!(register_rows(&store, RegisterId::Ssr).await, after_first);

    // The ledger reports the batch as first published.
    let uri = format!("/api/ingest/batches/{}", report.batch_id);
    let info: BatchInfo = test::call_and_read_body_json(
        &app,
        TestRequest::get().uri(&uri).peer_addr(local()).to_request(),
    )
    .await;
    assert_eq!(info.rows_added, after_first as u64);
    assert_eq!((info.rows_rejected, info.first_error.as_ref()), (0, None));
    assert!(info.started_at <= info.published_at);
    assert_eq!(
        (info.register.as_str(), info.file.as_str()),
        ("ssr", "ssr.csv")
    );
    let missing = TestRequest::get()
        .uri("/api/ingest/batches/nope")
        .peer_addr(local())
        .to_request();
    assert_eq!(
        test::call_service(&app, missing).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn a_cpr_number_in_a_batch_id_or_file_name_is_never_kept_or_shown() {
    let (state, store, _dir) = state().await;
    let app = test::init_service(app(state)).await;
    let (extracts, _) = population(60, 29);
    let ydr = std::fs::read(extracts.path().join("ydr.csv")).expect("read");

    // A batch id that may be a CPR number is refused, unshown; nothing is
    // stored.
    for id in ["ydr-0101801234", "010180-1234"] {
        let req = post_csv("ydr", "ydr.csv", ydr.clone())
            .insert_header(("Idempotency-Key", id))
            .to_request();
        let res = test::call_service(&app, req).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{id}");
        let body: ErrorBody = test::read_body_json(res).await;
        assert_eq!(body.error, "bad_batch_id", "{id}");
        assert!(body.message.contains("CPR number"), "{}", body.message);
        assert!(!body.message.contains("1234"), "{}", body.message);
    }
    assert_eq!(register_rows(&store, RegisterId::Ydr).await, 0);

    // A file name's digits that may be a CPR number are masked in the
    // report and the ledger; ten digits that are no date are kept.
    let req = post_csv("ydr", "ydr 010180-1234 1732500000.csv", ydr)
        .insert_header(("Idempotency-Key", "ydr-2024-11-25"))
        .to_request();
    let res = test::call_service(&app, req).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let report: IngestReport = test::read_body_json(res).await;
    assert_eq!(report.batch_id, "ydr-2024-11-25");
    let masked = "ydr ******-**** 1732500000.csv";
    assert_eq!(report.file, masked);
    let info: BatchInfo = test::call_and_read_body_json(
        &app,
        TestRequest::get()
            .uri("/api/ingest/batches/ydr-2024-11-25")
            .peer_addr(local())
            .to_request(),
    )
    .await;
    assert_eq!(info.file, masked);
    assert!(register_rows(&store, RegisterId::Ydr).await > 0);
}

#[actix_web::test]
async fn a_file_unusable_as_a_whole_is_rejected_whatever_the_threshold() {
    let (state, store, _dir) = state().await;
    let app = test::init_service(app(state)).await;
    let (extracts, _) = population(60, 31);
    let ydr = std::fs::read(extracts.path().join("ydr.csv")).expect("read");
    let text = String::from_utf8(ydr).expect("UTF-8");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() > 6, "a few providers");
    // A stray quote at the start of the fourth line: read as an opening
    // quote, it would make the rest of the file one value of one bad row.
    let mut stray = lines.clone();
    let quoted = format!("\"{}", lines[3]);
    stray[3] = &quoted;
    // The header without one of its columns.
    let header: Vec<&str> = lines[0].split(',').collect();
    let without_type = header
        .iter()
        .position(|h| *h == "provider_type")
        .expect("a type");
    let short: Vec<String> = lines
        .iter()
        .map(|l| {
            let mut fields: Vec<&str> = l.split(',').collect();
            fields.remove(without_type);
            fields.join(",")
        })
        .collect();
    for (file, body, reason) in [
        (
            "stray-quote.csv",
            stray.join("\n"),
            "the quote opened on line 4 is never closed (the rest of the file would be one value)",
        ),
        (
            "no-type.csv",
            short.join("\n"),
            "the header lacks the column `provider_type`",
        ),
    ] {
        let req =
            post_csv("ydr", file, body.into_bytes()).insert_header(("X-Max-Bad-Rows", "1000"));
        let res = test::call_service(&app, req.to_request()).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{file}");
        let body: ErrorBody = test::read_body_json(res).await;
        assert_eq!(body.error, "invalid_batch");
        assert_eq!(
            body.message,
            format!("{file}: {reason}; nothing from this batch was stored")
        );
    }
    assert_eq!(register_rows(&store, RegisterId::Ydr).await, 0);
    assert_eq!(store.batch_count().await.expect("batches"), 0);
}

#[actix_web::test]
async fn the_ledger_answers_only_those_who_may_upload() {
    use tvaers::auth::Role;
    let (state, _store, _dir, issuer) = state_with_issuer().await;
    let app = test::init_service(app(state)).await;
    let (extracts, _) = population(60, 37);
    let ydr = std::fs::read(extracts.path().join("ydr.csv")).expect("read");
    let res = test::call_service(&app, post_csv("ydr", "ydr.csv", ydr).to_request()).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let report: IngestReport = test::read_body_json(res).await;
    let uri = format!("/api/ingest/batches/{}", report.batch_id);

    let token = |role, register| issuer.sign(role, register, None, "tvaers", 60);
    let remote: SocketAddr = "192.0.2.7:5000".parse().expect("addr");
    for (peer, token, status) in [
        (local(), None, StatusCode::OK),
        (remote, None, StatusCode::FORBIDDEN),
        (
            remote,
            Some(token(Role::Ingest, Some("ydr"))),
            StatusCode::OK,
        ),
        // Another register's batches are as if not there.
        (
            remote,
            Some(token(Role::Ingest, Some("ssr"))),
            StatusCode::NOT_FOUND,
        ),
        (remote, Some(token(Role::Admin, None)), StatusCode::OK),
        (
            remote,
            Some(token(Role::National, None)),
            StatusCode::FORBIDDEN,
        ),
        (
            local(),
            Some(token(Role::National, None)),
            StatusCode::FORBIDDEN,
        ),
    ] {
        let mut req = TestRequest::get().uri(&uri).peer_addr(peer);
        if let Some(token) = &token {
            req = req.insert_header((header::AUTHORIZATION, format!("Bearer {token}")));
        }
        let res = test::call_service(&app, req.to_request()).await;
        assert_eq!(res.status(), status, "{peer} {}", token.is_some());
        if status == StatusCode::OK {
            let info: BatchInfo = test::read_body_json(res).await;
            assert_eq!(
                (info.register.as_str(), info.rows_added),
                ("ydr", report.rows_added)
            );
        }
    }
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
    let res = test::call_service(&app, unknown.to_request()).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let body: ErrorBody = test::read_body_json(res).await;
    assert!(
        body.message
            .starts_with("Unknown register \"lpr9\": expected one of sor, ydr, "),
        "{}",
        body.message
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
    std::fs::write(dist.path().join("app-0123456789abcdef.css"), "main{}").expect("write");
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
    // A file whose name carries its content's hash is kept for a year; a
    // missing one is missing, not the page; the page is revalidated.
    let year = "public, max-age=31536000, immutable";
    for (uri, status, cache, body) in [
        ("/app-0123456789abcdef.css", StatusCode::OK, year, "main{}"),
        ("/app.css", StatusCode::OK, "", "body{}"),
        ("/app-fedcba9876543210.css", StatusCode::NOT_FOUND, "", ""),
        ("/", StatusCode::OK, "no-cache", "Tværs test"),
        (
            "/rapporter/aeldre",
            StatusCode::OK,
            "no-cache",
            "Tværs test",
        ),
    ] {
        let res = test::call_service(&app, TestRequest::get().uri(uri).to_request()).await;
        assert_eq!(res.status(), status, "{uri}");
        assert_eq!(hv(&res, header::CACHE_CONTROL), cache, "{uri}");
        let read = test::read_body(res).await;
        assert!(String::from_utf8_lossy(&read).contains(body), "{uri}");
    }
    let res = test::call_service(&app, TestRequest::get().uri("/api/nope").to_request()).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let body: ErrorBody = test::read_body_json(res).await;
    assert_eq!(body.error, "not_found");
}

#[actix_web::test]
async fn bundle_files_are_sent_compressed_from_memory_once_ready() {
    let (store, _dir) = support::sqlite_store().await;
    let dist = tempfile::tempdir().expect("dist");
    std::fs::write(dist.path().join("index.html"), "<!doctype html>").expect("write");
    let script: String = (0..2000)
        .map(|i| format!("export const v{i} = {};\n", i % 7))
        .collect();
    std::fs::write(dist.path().join("app-0123456789abcdef.js"), &script).expect("write");
    // Bytes that do not compress, as an image's.
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let noise: Vec<u8> = (0..20_000)
        .map(|_| {
            // xorshift64
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 32) as u8
        })
        .collect();
    std::fs::write(dist.path().join("logo-fedcba9876543210.png"), &noise).expect("write");
    let state = AppState::new(store, key(), Some(dist.path().to_path_buf()));
    let bundle = state.bundle.clone();
    let app = test::init_service(app(state)).await;
    let get = |uri: &str, accept: &str| {
        TestRequest::get()
            .uri(uri)
            .insert_header((header::ACCEPT_ENCODING, accept))
            .to_request()
    };
    let decoded = |coding: &str, body: &[u8]| {
        let mut out = Vec::new();
        match coding {
            "br" => brotli::Decompressor::new(body, 4096).read_to_end(&mut out),
            "gzip" => flate2::read::GzDecoder::new(body).read_to_end(&mut out),
            _ => {
                out.extend_from_slice(body);
                Ok(out.len())
            }
        }
        .expect("decodes");
        out
    };

    // Before the bundle is compressed, actix-files sends the file (and
    // gzips it on the fly).
    let res = test::call_service(&app, get("/app-0123456789abcdef.js", "br")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(hv(&res, header::CONTENT_ENCODING), "");
    assert_eq!(test::read_body(res).await.as_ref(), script.as_bytes());

    assert_eq!(bundle.compress(dist.path()).expect("compressed"), 1);
    assert_eq!(bundle.pending(), 0);
    let year = "public, max-age=31536000, immutable";
    for (accept, coding) in [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("identity", ""),
    ] {
        let res = test::call_service(&app, get("/app-0123456789abcdef.js", accept)).await;
        assert_eq!(res.status(), StatusCode::OK, "{accept}");
        assert_eq!(hv(&res, header::CONTENT_ENCODING), coding, "{accept}");
        assert_eq!(hv(&res, header::CACHE_CONTROL), year, "{accept}");
        assert_eq!(hv(&res, header::VARY), "Accept-Encoding", "{accept}");
        assert!(
            hv(&res, header::CONTENT_TYPE).contains("javascript"),
            "{accept}"
        );
        let etag = hv(&res, header::ETAG);
        let body = test::read_body(res).await;
        if !coding.is_empty() {
            assert!(
                body.len() * 5 < script.len(),
                "{accept}: {} bytes",
                body.len()
            );
        }
        assert_eq!(decoded(coding, &body), script.as_bytes(), "{accept}");
        // The browser asking again with the variant's tag gets 304.
        let again = TestRequest::get()
            .uri("/app-0123456789abcdef.js")
            .insert_header((header::ACCEPT_ENCODING, accept))
            .insert_header((header::IF_NONE_MATCH, etag.as_str()))
            .to_request();
        let res = test::call_service(&app, again).await;
        assert_eq!(res.status(), StatusCode::NOT_MODIFIED, "{accept} {etag}");
        assert_eq!(hv(&res, header::ETAG), etag);
    }
    // What does not compress is still sent as it is, and kept a year.
    let res = test::call_service(&app, get("/logo-fedcba9876543210.png", "br")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(hv(&res, header::CONTENT_ENCODING), "");
    assert_eq!(hv(&res, header::CACHE_CONTROL), year);
    assert_eq!(test::read_body(res).await.as_ref(), noise.as_slice());
    // The page is never kept.
    let res = test::call_service(&app, get("/", "br")).await;
    assert_eq!(hv(&res, header::CACHE_CONTROL), "no-cache");
}

/// The `Boot` the server wrote into a page.
fn boot_of(page: &[u8]) -> shared::api::Boot {
    let page = String::from_utf8_lossy(page);
    let start = format!(
        "<script type=\"application/json\" id=\"{}\">",
        shared::api::BOOT_ELEMENT
    );
    let json = page
        .split_once(&start)
        .and_then(|(_, rest)| rest.split_once("</script>"))
        .map(|(json, _)| json.to_string())
        .unwrap_or_else(|| panic!("no boot element in {page}"));
    serde_json::from_str(&json).expect("boot JSON")
}

#[actix_web::test]
async fn the_page_carries_the_public_manifest_and_preloads_the_first_tile() {
    let (store, _dir) = support::sqlite_store().await;
    let dist = tempfile::tempdir().expect("dist");
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><html><head><title>Tværs test</title></head><body></body></html>",
    )
    .expect("write");
    let state = AppState::new(store.clone(), key(), Some(dist.path().to_path_buf()));
    let app = test::init_service(app(state)).await;
    let get = |uri: &str| TestRequest::get().uri(uri).to_request();

    // Before any release: no manifest, no preload.
    let res = test::call_service(&app, get("/")).await;
    let first_tag = hv(&res, header::ETAG);
    let page = test::read_body(res).await;
    assert_eq!(boot_of(&page), shared::api::Boot::default());
    assert!(!String::from_utf8_lossy(&page).contains("rel=\"preload\""));

    let (extracts, _) = population(300, 31);
    post_all(&app, extracts.path()).await;
    tvaers::release::build(&store).await.expect("build");
    let res = test::call_service(&app, get("/")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(hv(&res, header::CACHE_CONTROL), "no-cache");
    let page = test::read_body(res).await;
    // Exactly what the request it saves would have answered.
    let manifest: Manifest = test::call_and_read_body_json(&app, get("/api/manifest")).await;
    assert!(manifest.tiles.iter().all(|t| t.scope.is_none()));
    assert_eq!(boot_of(&page).manifest.as_ref(), Some(&manifest));
    // The front page preloads the public tile of the default measure.
    let family = shared::measure::DEFAULT_MEASURE.def().family().id;
    let url = &manifest.tile(family.def().key).expect("its tile").url;
    let page = String::from_utf8_lossy(&page).to_string();
    assert!(
        page.contains(&format!(
            "<link rel=\"preload\" href=\"{url}\" as=\"fetch\" crossorigin>"
        )),
        "{page}"
    );
    assert!(page.find("tvaers-boot") < page.find("</head>"));
    // The page is compressed once per release and revalidated by its tag:
    // a new release, a new tag; the same release, `304`.
    let with = |accept: &str, tag: &str| {
        TestRequest::get()
            .uri("/")
            .insert_header((header::ACCEPT_ENCODING, accept))
            .insert_header((header::IF_NONE_MATCH, tag))
            .to_request()
    };
    let res = test::call_service(&app, with("br, gzip", "\"other\"")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(hv(&res, header::CONTENT_ENCODING), "br");
    assert_eq!(hv(&res, header::CACHE_CONTROL), "no-cache");
    let tag = hv(&res, header::ETAG);
    assert!(tag.ends_with(".br\""), "{tag}");
    assert_ne!(
        tag.replace(".br", ""),
        first_tag,
        "a release changes the page's tag"
    );
    let packed = test::read_body(res).await;
    let mut unpacked = String::new();
    brotli::Decompressor::new(packed.as_ref(), 4096)
        .read_to_string(&mut unpacked)
        .expect("brotli");
    assert_eq!(unpacked, page);
    let res = test::call_service(&app, with("br, gzip", &tag)).await;
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(hv(&res, header::ETAG), tag);
    // Other pages and addresses with choices preload nothing, but carry
    // the manifest.
    for uri in ["/om-data", "/?measure=admissions"] {
        let page = test::call_and_read_body(&app, get(uri)).await;
        assert_eq!(boot_of(&page).manifest.as_ref(), Some(&manifest), "{uri}");
        assert!(
            !String::from_utf8_lossy(&page).contains("rel=\"preload\""),
            "{uri}"
        );
    }
}

fn post_arrow(register: &str, body: Vec<u8>) -> TestRequest {
    post_csv(register, "extract.arrows", body)
        .insert_header((header::CONTENT_TYPE, "application/vnd.apache.arrow.stream"))
}

/// Data rows of an Arrow IPC stream, read with arrow-rs.
fn arrow_rows(bytes: &[u8]) -> u64 {
    StreamReader::try_new(bytes, None)
        .expect("arrow stream")
        .map(|b| b.expect("batch").num_rows() as u64)
        .sum()
}

#[actix_web::test]
async fn arrow_ipc_extracts_are_ingested_like_csv() {
    use arrow_array::{ArrayRef, Date32Array, StringArray};
    use std::sync::Arc;

    let (state, store, _dir) = state().await;
    let app = test::init_service(app(state)).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut options = tvaers::generate::Options::new(300, 2024, 24, dir.path().to_path_buf());
    options.format = tvaers::generate::Format::Arrow;
    tvaers::generate::generate(&options, |_| {}).expect("generate");

    for register in REGISTERS {
        let body = std::fs::read(dir.path().join(format!("{}.arrows", register.key)))
            .expect("read stream");
        let rows = arrow_rows(&body);
        let res = test::call_service(&app, post_arrow(register.key, body).to_request()).await;
        assert_eq!(res.status(), StatusCode::CREATED, "{}", register.key);
        let report: IngestReport = test::read_body_json(res).await;
        assert_eq!(report.rows_added, rows, "{}", register.key);
        assert_eq!(
            register_rows(&store, register.id).await as u64,
            rows,
            "{}",
            register.key
        );
    }

    // Replaying a stream adds nothing.
    let cpr = std::fs::read(dir.path().join("cpr.arrows")).expect("read");
    let res = test::call_service(&app, post_arrow("cpr", cpr).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);

    // A null is a missing value, reported by row and field; nothing is stored.
    let before = register_rows(&store, RegisterId::Ssr).await;
    let provider = first_provider(&dir.path().join("ydr.arrows"));
    let bad = {
        let batch = arrow_array::RecordBatch::try_from_iter(vec![
            (
                "cpr",
                Arc::new(StringArray::from(vec!["0101801234", "0202801235"])) as ArrayRef,
            ),
            (
                "contact_date",
                Arc::new(Date32Array::from(vec![Some(19_800), None])),
            ),
            (
                "provider_number",
                Arc::new(StringArray::from(vec![provider.as_str(); 2])),
            ),
            (
                "contact_type",
                Arc::new(StringArray::from(vec!["phone"; 2])),
            ),
        ])
        .expect("batch");
        let mut writer =
            arrow_ipc::writer::StreamWriter::try_new(Vec::new(), &batch.schema()).expect("writer");
        writer.write(&batch).expect("write");
        writer.finish().expect("finish");
        writer.into_inner().expect("bytes")
    };
    let res = test::call_service(&app, post_arrow("ssr", bad).to_request()).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body: ErrorBody = test::read_body_json(res).await;
    let got: Vec<(u64, &str)> = body
        .errors
        .iter()
        .map(|e| (e.line, e.field.as_str()))
        .collect();
    assert_eq!(got, vec![(2, "contact_date")]);
    assert_eq!(register_rows(&store, RegisterId::Ssr).await, before);
}

/// The first provider number of a YDR Arrow stream.
fn first_provider(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("read");
    let mut reader = StreamReader::try_new(bytes.as_slice(), None).expect("stream");
    let batch = reader.next().expect("a batch").expect("valid");
    let column = batch
        .column(batch.schema().index_of("provider_number").expect("column"))
        .clone();
    column.as_string::<i32>().value(0).to_string()
}

#[actix_web::test]
async fn releases_are_kept_and_a_manifest_says_what_changed() {
    let (state, store, _dir) = state().await;
    let app = test::init_service(app(state)).await;
    let (extracts, _) = population(300, 23);
    post_all(&app, extracts.path()).await;
    let first = tvaers::release::build(&store).await.expect("build");

    // One more GP contact of a citizen with no hospital contact: only the
    // general-practice tiles change (a GP contact before an admission would
    // change the hospital family's cross-sector measures).
    let admitted: HashSet<String> = csv_records(&extracts.path().join("lpr.csv"))
        .into_iter()
        .map(|r| r["cpr"].clone())
        .collect();
    let mut never_admitted: Vec<String> = citizens(extracts.path(), 2024)
        .into_keys()
        .filter(|cpr| !admitted.contains(cpr))
        .collect();
    never_admitted.sort();
    let person = never_admitted.first().expect("a citizen never admitted");
    let practice = csv_records(&extracts.path().join("ydr.csv"))
        .into_iter()
        .find(|p| p["provider_type"] == "general_practice")
        .expect("a practice")["provider_number"]
        .clone();
    let extra = format!(
        "cpr,contact_date,provider_number,contact_type\n{person},2024-06-03,{practice},phone\n"
    );
    let res = test::call_service(
        &app,
        post_csv("ssr", "extra.csv", extra.into_bytes()).to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let second = tvaers::release::build(&store).await.expect("build");
    assert_ne!(first.release, second.release);

    let manifest: Manifest =
        test::call_and_read_body_json(&app, TestRequest::get().uri("/api/manifest").to_request())
            .await;
    assert_eq!(manifest.release, second.release);
    assert_eq!(manifest.previous.as_deref(), Some(first.release.as_str()));
    let change = |family: &str| {
        manifest
            .changes
            .iter()
            .find(|c| c.family == family)
            .map(|c| c.change)
    };
    assert_eq!(change("geography"), Some(Change::Changed));
    assert_eq!(change("hospital"), Some(Change::Unchanged));
    assert_eq!(change("municipal_care"), Some(Change::Unchanged));

    // The first release is still served, with its own tiles.
    let uri = format!("/api/releases/{}", first.release);
    let old: Manifest =
        test::call_and_read_body_json(&app, TestRequest::get().uri(&uri).to_request()).await;
    let ids: Vec<&str> = old.tiles.iter().map(|t| t.id.as_str()).collect();
    let built: Vec<&str> = first
        .tiles
        .iter()
        .filter(|t| t.meta.scope.is_none())
        .map(|t| t.meta.id.as_str())
        .collect();
    assert_eq!(ids, built);
    assert_eq!(old.previous, None);
    assert!(old.changes.iter().all(|c| c.change == Change::Added));
    let res =
        test::call_service(&app, TestRequest::get().uri(&old.tiles[0].url).to_request()).await;
    assert_eq!(res.status(), StatusCode::OK);

    let res = test::call_service(
        &app,
        TestRequest::get()
            .uri(&format!("/api/releases/{}", "0".repeat(64)))
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let body: ErrorBody = test::read_body_json(res).await;
    assert_eq!(body.error, "no_such_release");
}

#[actix_web::test]
async fn closed_tiles_are_exact_and_reach_only_their_own_scope() {
    use tvaers::auth::Role;
    let (state, store, _dir, issuer) = state_with_issuer().await;
    let app = test::init_service(app(state)).await;
    let (extracts, _) = population(400, 29);
    post_all(&app, extracts.path()).await;
    let (truth, public) = exact_then_public(&store).await;

    // The base geography tile of the municipality with most citizens.
    let (_, base) = tile_cells(&truth.tiles[0].bytes);
    let mut citizens: HashMap<u64, u64> = HashMap::new();
    for (key, values) in &base {
        *citizens.entry(key[1]).or_default() += values[0];
    }
    let (&municipality, _) = citizens.iter().max_by_key(|(_, n)| **n).expect("citizens");
    let scope = format!("municipality:{municipality:04}");
    let closed = |scope: &str| {
        public
            .closed
            .iter()
            .find(|t| t.family == "geography" && t.scope.as_deref() == Some(scope))
            .unwrap_or_else(|| panic!("a closed geography tile of {scope}"))
    };
    let own = closed(&scope);
    let other = public
        .closed
        .iter()
        .find(|t| t.scope.as_deref().is_some_and(|s| s != scope))
        .expect("another scope's tile");
    let token = issuer.sign(
        Role::Municipality,
        Some(&format!("{municipality:04}")),
        None,
        "tvaers",
        60,
    );
    let get = |uri: String, token: Option<&str>| {
        let mut req = TestRequest::get().uri(&uri);
        if let Some(token) = token {
            req = req.insert_header((header::AUTHORIZATION, format!("Bearer {token}")));
        }
        req.to_request()
    };

    // The manifest lists the caller's closed tiles, and no others.
    let manifest: Manifest =
        test::call_and_read_body_json(&app, get("/api/manifest".into(), Some(&token))).await;
    let scopes: HashSet<Option<String>> = manifest.tiles.iter().map(|t| t.scope.clone()).collect();
    assert_eq!(scopes, HashSet::from([None, Some(scope.clone())]));
    let anonymous: Manifest =
        test::call_and_read_body_json(&app, get("/api/manifest".into(), None)).await;
    assert!(anonymous.tiles.iter().all(|t| t.scope.is_none()));

    // Its own closed tile: exact, and exactly the public exact tile's rows
    // of the municipality.
    let res = test::call_service(&app, get(format!("/api/tiles/{}", own.id), Some(&token))).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(hv(&res, header::CACHE_CONTROL).contains("private"));
    let (protection, cells) = tile_cells(&test::read_body(res).await);
    assert_eq!(protection, "exact");
    let expected: HashMap<Vec<u64>, Vec<u64>> = base
        .into_iter()
        .filter(|(key, _)| key[1] == municipality)
        .collect();
    assert_eq!(cells, expected);

    // Anyone else's closed tile, or any closed tile without a token, is
    // answered as if it did not exist; a bad token is refused outright.
    for (id, token) in [(&other.id, Some(token.as_str())), (&own.id, None)] {
        let res = test::call_service(&app, get(format!("/api/tiles/{id}"), token)).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
    }
    let mut forged = token.clone().into_bytes();
    let i = forged.len() - 10;
    forged[i] = if forged[i] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).expect("ASCII");
    let res = test::call_service(&app, get(format!("/api/tiles/{}", own.id), Some(&forged))).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // National sees every scope.
    let national = issuer.sign(Role::National, None, None, "tvaers", 60);
    let res = test::call_service(
        &app,
        get(format!("/api/tiles/{}", other.id), Some(&national)),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);

    // A covering scope may ask for another scope's manifest: the country
    // for any scope, a municipality for its own only.
    let asked = format!("/api/manifest?scope={scope}");
    let listed: Manifest =
        test::call_and_read_body_json(&app, get(asked.clone(), Some(&national))).await;
    let scopes: HashSet<Option<String>> = listed.tiles.iter().map(|t| t.scope.clone()).collect();
    assert_eq!(scopes, HashSet::from([None, Some(scope.clone())]));
    assert!(listed.tiles.iter().any(|t| t.id == own.id));
    let same: Manifest = test::call_and_read_body_json(&app, get(asked, Some(&token))).await;
    assert_eq!(same.tiles.len(), listed.tiles.len());
    for (uri, token, status) in [
        (
            "/api/manifest?scope=national",
            Some(token.as_str()),
            StatusCode::FORBIDDEN,
        ),
        (
            "/api/manifest?scope=gp_cluster:1",
            Some(token.as_str()),
            StatusCode::FORBIDDEN,
        ),
        ("/api/manifest?scope=national", None, StatusCode::FORBIDDEN),
        (
            "/api/manifest?scope=everything",
            Some(national.as_str()),
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let res = test::call_service(&app, get(uri.to_string(), token)).await;
        assert_eq!(res.status(), status, "{uri}");
    }
}
