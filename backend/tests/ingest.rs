//! Ingestion behaviour on both engines, with small hand-written extracts:
//! the bad-row threshold, the ledger, rows replaced by key, references to
//! other registers, and typed Arrow columns.

mod support;

use std::sync::Arc;

use shared::api::BatchStatus;
use shared::register::RegisterId;
use tvaers::ingest::{self, Batch, ExtractFormat, IngestError};
use tvaers::store::Store;

use support::{key, register_rows};

on_both_engines!(
    below_the_threshold_good_rows_publish_and_bad_rows_are_reported,
    a_later_batch_replaces_rows_by_key,
    a_keyed_extract_partly_in_key_order_lands_whole,
    a_repeated_key_is_reported_on_its_line_and_the_rest_publishes,
    references_to_an_empty_register_are_rejected,
    an_optional_reference_to_an_empty_register_fails_only_the_rows_using_it,
    arrow_streams_with_typed_columns_are_accepted,
);

const YDR: &str = "provider_number,name,provider_type,specialty,municipality,gp_cluster,valid_from,valid_to\n\
                   101001,\"Lægerne, Torvet\",general_practice,general_practice,101,1,2000-01-01,\n";

fn csv(register: RegisterId, text: &str) -> Batch {
    Batch::from_bytes(
        register,
        &format!("{}.csv", register.key()),
        ExtractFormat::Csv,
        text.as_bytes().to_vec(),
    )
}

/// SSR with ten contacts, three of them bad (lines 3, 6 and 9).
fn ssr_with_three_bad_rows() -> String {
    let mut text = String::from("cpr,contact_date,provider_number,contact_type\n");
    for i in 0..10 {
        let row = match i {
            1 => "0101801234,2024-02-30,101001,phone".to_string(),
            4 => "0101801234,2024-03-01,999999,phone".to_string(),
            7 => "0101801234,2024-03-01,101001,fax".to_string(),
            _ => format!("0101801234,2024-03-{:02},101001,consultation", i + 1),
        };
        text.push_str(&row);
        text.push('\n');
    }
    text
}

async fn below_the_threshold_good_rows_publish_and_bad_rows_are_reported(store: &Store) {
    ingest::ingest(store, &key(), csv(RegisterId::Ydr, YDR))
        .await
        .expect("ydr");
    let text = ssr_with_three_bad_rows();

    // Above the threshold: rejected whole, nothing stored.
    let mut strict = csv(RegisterId::Ssr, &text);
    strict.max_bad_rows = 2;
    let err = ingest::ingest(store, &key(), strict)
        .await
        .expect_err("too many bad rows");
    let IngestError::Rejected { rejected, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(rejected.bad_rows, 3);
    assert!(err.to_string().contains("more than the 2 allowed"), "{err}");
    assert_eq!(register_rows(store, RegisterId::Ssr).await, 0);
    assert_eq!(store.batch_count().await.expect("batches"), 1);

    // At the threshold: the seven good rows publish, the three are reported.
    let mut lenient = csv(RegisterId::Ssr, &text);
    lenient.max_bad_rows = 3;
    let report = ingest::ingest(store, &key(), lenient)
        .await
        .expect("publishes");
    assert_eq!(report.status, BatchStatus::Published);
    assert_eq!(
        (report.rows_read, report.rows_added, report.rows_rejected),
        (10, 7, 3)
    );
    let got: Vec<(u64, &str)> = report
        .errors
        .iter()
        .map(|e| (e.line, e.field.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (3, "contact_date"),
            (6, "provider_number"),
            (9, "contact_type")
        ]
    );
    assert_eq!(register_rows(store, RegisterId::Ssr).await, 7);
    // The provider register has rows: the provider is not among them.
    assert_eq!(
        report.errors[1].reason,
        "unknown provider number \"999999\": not in the Provider register (YDR)"
    );

    // The ledger remembers what was left out.
    let ledger = store
        .batch(&report.batch_id)
        .await
        .expect("read")
        .expect("in the ledger");
    assert_eq!((ledger.rows_added, ledger.rows_rejected), (7, 3));
    let first: shared::api::RowError =
        serde_json::from_str(ledger.first_error.as_deref().expect("first error")).expect("json");
    assert_eq!((first.line, first.field.as_str()), (3, "contact_date"));
    assert!(!ledger.started_at.is_empty());

    // Replaying it changes nothing.
    let mut again = csv(RegisterId::Ssr, &text);
    again.max_bad_rows = 3;
    let replay = ingest::ingest(store, &key(), again).await.expect("replay");
    assert_eq!(replay.status, BatchStatus::AlreadyIngested);
    assert_eq!(register_rows(store, RegisterId::Ssr).await, 7);
}

async fn a_later_batch_replaces_rows_by_key(store: &Store) {
    const HEADER: &str = "cpr,birth_date,sex,municipality,address_id,valid_from,valid_to,civil_status,status,status_date\n";
    let first = format!(
        "{HEADER}0101801234,1980-01-01,K,101,A-1,1980-01-01,2020-01-01,U,01,\n\
         0101801234,1980-01-01,K,751,B-1,2020-01-01,,G,01,\n"
    );
    // The second extract corrects the current period (municipality 851)
    // and adds a death.
    let second =
        format!("{HEADER}0101801234,1980-01-01,K,851,B-1,2020-01-01,2024-06-01,G,90,2024-06-01\n");
    ingest::ingest(store, &key(), csv(RegisterId::Cpr, &first))
        .await
        .expect("first");
    ingest::ingest(store, &key(), csv(RegisterId::Cpr, &second))
        .await
        .expect("second");
    let mut periods = store.residences().await.expect("residences");
    periods.sort_by_key(|r| r.valid_from);
    let got: Vec<(i16, Option<String>, &str)> = periods
        .iter()
        .map(|r| {
            (
                r.municipality,
                r.valid_to.map(|d| d.to_string()),
                r.status.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (101, Some("2020-01-01".into()), "01"),
            (851, Some("2024-06-01".into()), "90")
        ]
    );
}

async fn a_keyed_extract_partly_in_key_order_lands_whole(store: &Store) {
    // Into an empty register, rows that come in key order are written as
    // they come; from the first that breaks the order (101000), the rest
    // are sorted and written at the commit.
    let numbers = ["101001", "101002", "101004", "101000", "101003", "101005"];
    let mut text = String::from(
        "provider_number,name,provider_type,specialty,municipality,gp_cluster,valid_from,valid_to\n",
    );
    for (i, number) in numbers.iter().enumerate() {
        text.push_str(&format!(
            "{number},Praksis {i},general_practice,general_practice,101,1,2000-01-01,\n"
        ));
    }
    let report = ingest::ingest(store, &key(), csv(RegisterId::Ydr, &text))
        .await
        .expect("ingested");
    assert_eq!(report.rows_added, numbers.len() as u64);
    assert_eq!(
        register_rows(store, RegisterId::Ydr).await,
        numbers.len() as i64
    );
    let stored = store
        .known_values(RegisterId::Ydr, "provider_number")
        .await
        .expect("read");
    let expected: std::collections::HashSet<String> =
        numbers.iter().map(|n| n.to_string()).collect();
    assert_eq!(stored, expected);
}

async fn a_repeated_key_is_reported_on_its_line_and_the_rest_publishes(store: &Store) {
    // Repeats are found after the last row; the batch is then read again
    // to find their rows. The first extract repeats a key after five in
    // key order, the second one within rows out of order.
    let cases: [(&[&str], u64, u64); 2] = [
        (
            &["101001", "101002", "101003", "101004", "101005", "101002"],
            7,
            3,
        ),
        (&["102003", "102001", "102003", "102002"], 4, 2),
    ];
    for (numbers, line, first) in cases {
        let mut text = String::from(
            "provider_number,name,provider_type,specialty,municipality,gp_cluster,valid_from,valid_to
",
        );
        for (i, number) in numbers.iter().enumerate() {
            text.push_str(&format!(
                "{number},Praksis {i},general_practice,general_practice,101,1,2000-01-01,
"
            ));
        }
        let before = register_rows(store, RegisterId::Ydr).await;

        let err = ingest::ingest(store, &key(), csv(RegisterId::Ydr, &text))
            .await
            .expect_err("a repeated key is a bad row");
        let IngestError::Rejected { rejected, .. } = &err else {
            panic!("{err:?}");
        };
        assert_eq!(rejected.bad_rows, 1);
        assert_eq!(register_rows(store, RegisterId::Ydr).await, before);

        let mut lenient = csv(RegisterId::Ydr, &text);
        lenient.max_bad_rows = 1;
        let report = ingest::ingest(store, &key(), lenient)
            .await
            .expect("publishes");
        let rows = numbers.len() as u64;
        assert_eq!(
            (report.rows_read, report.rows_added, report.rows_rejected),
            (rows, rows - 1, 1)
        );
        let [error] = &report.errors[..] else {
            panic!("{:?}", report.errors);
        };
        assert_eq!(
            (error.line, error.field.as_str()),
            (line, "provider_number")
        );
        assert!(
            error
                .reason
                .contains(&format!("on line {first} of this batch")),
            "{}",
            error.reason
        );
        assert_eq!(
            register_rows(store, RegisterId::Ydr).await,
            before + rows as i64 - 1
        );
        let ledger = store
            .batch(&report.batch_id)
            .await
            .expect("read")
            .expect("in the ledger");
        assert_eq!(
            (ledger.rows_read, ledger.rows_added, ledger.rows_rejected),
            (rows as i64, rows as i64 - 1, 1)
        );
    }
}

async fn references_to_an_empty_register_are_rejected(store: &Store) {
    let err = ingest::ingest(
        store,
        &key(),
        csv(RegisterId::Ssr, &ssr_with_three_bad_rows()),
    )
    .await
    .expect_err("no providers yet");
    let IngestError::Rejected { rejected, .. } = &err else {
        panic!("{err:?}");
    };
    // One reason for the file, not one error per row.
    let reason = "the column `provider_number` refers to the Provider register (YDR), \
                  which has no rows yet: ingest it first";
    assert_eq!(rejected.whole_file.as_deref(), Some(reason));
    assert_eq!(rejected.errors.len(), 1);
    assert_eq!(
        (rejected.errors[0].line, rejected.errors[0].field.as_str()),
        (1, "provider_number")
    );
    assert!(err.to_string().contains(reason), "{err}");
    assert_eq!(register_rows(store, RegisterId::Ssr).await, 0);
}

async fn an_optional_reference_to_an_empty_register_fails_only_the_rows_using_it(store: &Store) {
    // A prescription without a prescriber needs no providers; one with a
    // prescriber does.
    let lsr = "cpr,redemption_date,atc,product,package_size,ddd,prescriber,depot\n\
               0101801234,2024-03-01,N02AA01,Morfin,10,2.5,,0\n\
               0101801234,2024-03-02,N02AA01,Morfin,10,2.5,101001,0\n";
    let mut batch = csv(RegisterId::Lsr, lsr);
    batch.max_bad_rows = 1;
    let report = ingest::ingest(store, &key(), batch)
        .await
        .expect("the row without a prescriber publishes");
    assert_eq!((report.rows_added, report.rows_rejected), (1, 1));
    let error = &report.errors[0];
    assert_eq!((error.line, error.field.as_str()), (3, "prescriber"));
    assert!(
        error
            .reason
            .ends_with("the Provider register (YDR) has no rows yet: ingest it first"),
        "{}",
        error.reason
    );
    assert_eq!(register_rows(store, RegisterId::Lsr).await, 1);
}

async fn arrow_streams_with_typed_columns_are_accepted(store: &Store) {
    use arrow_array::{
        ArrayRef, BooleanArray, Float64Array, Int16Array, RecordBatch, StringArray,
        TimestampSecondArray,
    };
    let sor = "sor_id,name,level,institution_id,region,municipality,department_type,specialty\n\
               600810,Hospital,institution,600810,1084,101,,\n\
               600810101,Medicine,unit,600810,1084,101,medical,internal_medicine\n";
    ingest::ingest(store, &key(), csv(RegisterId::Sor, sor))
        .await
        .expect("sor");
    let start = 1_706_774_400; // 2024-02-01T08:00:00
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("contact_id", Arc::new(StringArray::from(vec!["c1", "c2"]))),
        (
            "cpr",
            Arc::new(StringArray::from(vec!["0101801234", "0202802345"])),
        ),
        (
            "start_time",
            Arc::new(TimestampSecondArray::from(vec![start, start])),
        ),
        (
            "end_time",
            Arc::new(TimestampSecondArray::from(vec![start + 3_600, start - 60])),
        ),
        (
            "sor_unit",
            Arc::new(StringArray::from(vec!["600810101", "600810101"])),
        ),
        (
            "specialty",
            Arc::new(StringArray::from(vec!["internal_medicine"; 2])),
        ),
        (
            "department_type",
            Arc::new(StringArray::from(vec!["medical"; 2])),
        ),
        ("priority", Arc::new(StringArray::from(vec!["acute"; 2]))),
        ("sector", Arc::new(StringArray::from(vec!["somatic"; 2]))),
        (
            "action_diagnosis",
            Arc::new(StringArray::from(vec!["DJ189"; 2])),
        ),
        (
            "secondary_diagnoses",
            Arc::new(StringArray::from(vec![None, Some("DE119")])),
        ),
        (
            "rehabilitation_plan",
            Arc::new(BooleanArray::from(vec![true, false])),
        ),
        // Extra columns are ignored, whatever their type.
        ("weight", Arc::new(Float64Array::from(vec![1.5, 2.5]))),
        ("code", Arc::new(Int16Array::from(vec![1, 2]))),
    ];
    let batch = RecordBatch::try_from_iter(columns).expect("batch");
    let mut writer =
        arrow_ipc::writer::StreamWriter::try_new(Vec::new(), &batch.schema()).expect("writer");
    writer.write(&batch).expect("write");
    writer.finish().expect("finish");
    let bytes = writer.into_inner().expect("bytes");

    let mut lenient = Batch::from_bytes(
        RegisterId::Lpr,
        "lpr.arrows",
        ExtractFormat::ArrowIpc,
        bytes,
    );
    lenient.max_bad_rows = 1;
    let report = ingest::ingest(store, &key(), lenient)
        .await
        .expect("ingests");
    assert_eq!((report.rows_added, report.rows_rejected), (1, 1));
    // The second row ends a minute before it starts: row 2, `end_time`.
    assert_eq!(
        (report.errors[0].line, report.errors[0].field.as_str()),
        (2, "end_time")
    );
    assert_eq!(register_rows(store, RegisterId::Lpr).await, 1);
}
