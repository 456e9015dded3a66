//! The tile client in WebAssembly, in a real browser: decode Arrow IPC
//! bytes written by an independent writer (arrow-rs' own StreamWriter with
//! the catalogue's schema), then slice them with the shared cube.

#![cfg(target_arch = "wasm32")]

use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, UInt16Array, UInt32Array, UInt8Array};
use arrow_ipc::writer::StreamWriter;
use arrow_schema::Schema;
use shared::cube::CubeError;
use shared::cube::{Filter, Grouping};
use shared::measure::Scale;
use shared::tile::{Split, TileKind};
use shared::{DimensionId, MeasureId, Sex, TileFamilyId};
use tvaers_frontend::api::tiles::{decode, DecodeError};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn base_schema() -> Schema {
    TileKind::from(TileFamilyId::Geography).schema()
}

/// Four cells: København (region 1084) and Aalborg (region 1081), men and
/// women, in two record batches. In a split tile, the men's cells have
/// split code 2 and the women's code 9.
fn tile_bytes(schema: Schema) -> Vec<u8> {
    let schema = Arc::new(schema);
    let batch = |muni: [u16; 2], sex: [u8; 2], citizens: [u32; 2], contacts: [u32; 2]| {
        let mut columns: Vec<ArrayRef> = vec![
            Arc::new(UInt16Array::from(vec![2024, 2024])),
            Arc::new(UInt16Array::from(muni.to_vec())),
            Arc::new(UInt8Array::from(vec![4, 4])),
            Arc::new(UInt8Array::from(sex.to_vec())),
        ];
        if schema.field(4).name() != "citizens" {
            columns.push(Arc::new(UInt8Array::from(vec![2, 9])));
        }
        columns.push(Arc::new(UInt32Array::from(citizens.to_vec())));
        columns.push(Arc::new(UInt32Array::from(contacts.to_vec())));
        // The family's other quantities are zero here.
        while columns.len() < schema.fields().len() {
            columns.push(Arc::new(UInt32Array::from(vec![0, 0])));
        }
        RecordBatch::try_new(schema.clone(), columns).expect("batch")
    };
    let mut writer = StreamWriter::try_new(Vec::new(), &schema).expect("writer");
    writer
        .write(&batch([101, 101], [1, 2], [1000, 1100], [5000, 8800]))
        .expect("write");
    writer
        .write(&batch([851, 851], [1, 2], [400, 500], [2400, 4000]))
        .expect("write");
    writer.finish().expect("finish");
    writer.into_inner().expect("bytes")
}

#[wasm_bindgen_test]
fn decodes_and_reaggregates_a_tile() {
    let cube = decode(&tile_bytes(base_schema())).expect("decodes");
    assert_eq!(cube.rows(), 4);

    let total = cube
        .evaluate(
            MeasureId::GpContacts,
            Scale::PerThousand,
            &Filter::all(),
            Grouping::Total,
        )
        .expect("total");
    assert_eq!(
        (total[0].numerator, total[0].denominator),
        (20_200, Some(3_000))
    );

    let women = Filter::all().with(DimensionId::Sex, [Sex::Female.code()]);
    let by_region = cube
        .evaluate(
            MeasureId::GpContacts,
            Scale::PerThousand,
            &women,
            Grouping::By(DimensionId::Region),
        )
        .expect("by region");
    let values: Vec<(Option<u16>, Option<f64>)> =
        by_region.iter().map(|p| (p.key, p.value)).collect();
    assert_eq!(
        values,
        vec![(Some(1081), Some(8000.0)), (Some(1084), Some(8000.0))]
    );
}

#[wasm_bindgen_test]
fn refuses_other_format_versions_and_garbage() {
    let schema = base_schema();
    let mut metadata = schema.metadata().clone();
    metadata.insert(shared::tile::META_FORMAT_VERSION, "999");
    let old = Schema::new_with_metadata(schema.fields().clone(), metadata);
    assert!(matches!(
        decode(&tile_bytes(old)),
        Err(DecodeError::Version { .. })
    ));
    assert!(matches!(
        decode(b"not arrow at all"),
        Err(DecodeError::Arrow(_))
    ));
}

#[wasm_bindgen_test]
fn decodes_a_split_tile_and_never_adds_up_target_groups() {
    let kind = TileKind {
        family: TileFamilyId::Geography,
        split: Split::TargetGroup,
    };
    let cube = decode(&tile_bytes(kind.schema())).expect("decodes");
    assert_eq!(cube.kind(), kind);
    assert_eq!(
        cube.evaluate(
            MeasureId::GpContacts,
            Scale::Count,
            &Filter::all(),
            Grouping::Total
        ),
        Err(CubeError::Overlapping(DimensionId::TargetGroup))
    );
    let group_9 = Filter::all().with(DimensionId::TargetGroup, [9]);
    let total = cube
        .evaluate(
            MeasureId::GpContacts,
            Scale::PerThousand,
            &group_9,
            Grouping::Total,
        )
        .expect("one group");
    // The women's cells: 8,800 + 4,000 contacts, 1,100 + 500 citizens.
    assert_eq!(
        (total[0].numerator, total[0].denominator),
        (12_800, Some(1_600))
    );
}
