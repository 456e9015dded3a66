//! Tiles: cubes written as Arrow IPC streams, content-addressed.
//!
//! This is the only place that writes Arrow, and the only place in the
//! server that reads it back (for the disclosure audit). A tile's id is the SHA-256 of
//! its bytes, so a tile never changes under its id and can be cached
//! forever; a release's id is the SHA-256 of its tile ids, so rebuilding
//! the same data gives the same release.

pub mod closed;

use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, UInt16Array, UInt32Array, UInt8Array};
use arrow_ipc::writer::StreamWriter;
use arrow_schema::{ArrowError, DataType};
use sha2::{Digest, Sha256};
use shared::cube::Cube;
use shared::disclosure::{Protection, META_DISCLOSURE};
use shared::tile::{key_data_type, quantity_data_type, TileKind, FORMAT_VERSION, META_FAMILY};

use crate::store::StoredTile;

/// Why a tile could not be written.
#[derive(Debug, thiserror::Error)]
pub enum TileError {
    /// A code or count does not fit its column type.
    #[error("value {value} of column {column} does not fit {data_type}")]
    Overflow {
        /// Column name.
        column: &'static str,
        /// The value.
        value: u64,
        /// The column type.
        data_type: DataType,
    },
    /// Arrow refused the batch.
    #[error("arrow: {0}")]
    Arrow(#[from] ArrowError),
    /// A stored tile does not have a tile's shape (decoding).
    #[error("not a tile of this version: {0}")]
    NotATile(String),
}

/// An encoded tile.
#[derive(Clone, Debug)]
pub struct EncodedTile {
    /// Manifest entry data.
    pub meta: StoredTile,
    /// Arrow IPC stream bytes.
    pub bytes: Vec<u8>,
}

/// Encodes `cube` as one Arrow IPC stream with its tile's schema.
pub fn encode(cube: &Cube) -> Result<EncodedTile, TileError> {
    encode_with(cube, &[])
}

/// Encodes `cube` with further schema metadata (such as the rule that
/// defined a target group).
pub fn encode_with(cube: &Cube, metadata: &[(&str, String)]) -> Result<EncodedTile, TileError> {
    let kind = cube.kind();
    let family = kind.family.def();
    let mut schema = kind.schema();
    schema.metadata.insert(
        META_DISCLOSURE.to_string(),
        cube.protection().key().to_string(),
    );
    for (key, value) in metadata {
        schema.metadata.insert((*key).to_string(), value.clone());
    }
    let schema = Arc::new(schema);
    let mut columns: Vec<ArrayRef> = Vec::with_capacity(schema.fields().len());
    for dimension in kind.keys() {
        let codes = cube.key_column(dimension).unwrap_or_default();
        let column = dimension.key();
        columns.push(match key_data_type(dimension) {
            DataType::UInt8 => Arc::new(UInt8Array::from(narrow::<u8, _>(
                column,
                codes,
                DataType::UInt8,
            )?)),
            _ => Arc::new(UInt16Array::from(codes.to_vec())),
        });
    }
    for quantity in family.quantities {
        let values = cube.quantity_column(*quantity).unwrap_or_default();
        let data_type = quantity_data_type(*quantity);
        columns.push(Arc::new(UInt32Array::from(narrow::<u32, _>(
            quantity.def().column,
            values,
            data_type,
        )?)));
    }
    let batch = RecordBatch::try_new(schema.clone(), columns)?;
    let mut writer = StreamWriter::try_new(Vec::new(), &schema)?;
    writer.write(&batch)?;
    writer.finish()?;
    let bytes = writer.into_inner()?;
    let id = content_id(&bytes);
    Ok(EncodedTile {
        meta: StoredTile {
            id,
            family: kind.key(),
            dimension: family.dimension.key().to_string(),
            rows: cube.rows() as i64,
            size: bytes.len() as i64,
            scope: None,
        },
        bytes,
    })
}

/// Decodes a tile written by [`encode_with`] back into its cube (with
/// the protection its metadata names).
pub fn decode(bytes: &[u8]) -> Result<Cube, TileError> {
    use arrow_array::types::{UInt16Type, UInt32Type, UInt8Type};
    use arrow_ipc::reader::StreamReader;

    let reader = StreamReader::try_new(bytes, None)?;
    let schema = reader.schema();
    let meta = schema.metadata();
    let family = meta
        .get(META_FAMILY)
        .ok_or_else(|| TileError::NotATile("no family in the metadata".into()))?;
    let key = match meta.get(shared::tile::META_SPLIT) {
        Some(split) => format!("{family}.{split}"),
        None => family.clone(),
    };
    let kind = TileKind::from_key(&key)
        .ok_or_else(|| TileError::NotATile(format!("unknown tile {key}")))?;
    // Tiles written before disclosure control carry exact counts.
    let protection = match meta.get(META_DISCLOSURE) {
        None => Protection::Exact,
        Some(p) => Protection::from_key(p)
            .ok_or_else(|| TileError::NotATile(format!("{key}: unknown {META_DISCLOSURE} {p}")))?,
    };
    let dimensions = kind.keys().len();
    let mut columns: Vec<Vec<u64>> = vec![Vec::new(); schema.fields().len()];
    for batch in reader {
        let batch = batch?;
        for (i, column) in batch.columns().iter().enumerate() {
            let out = &mut columns[i];
            match column.data_type() {
                DataType::UInt8 => widen::<UInt8Type>(column, out),
                DataType::UInt16 => widen::<UInt16Type>(column, out),
                DataType::UInt32 => widen::<UInt32Type>(column, out),
                other => return Err(TileError::NotATile(format!("{key}: column type {other}"))),
            }
        }
    }
    let values = columns.split_off(dimensions);
    let keys = columns
        .into_iter()
        .map(|c| c.into_iter().map(|v| v as u16).collect())
        .collect();
    let cube = Cube::new(kind, keys, values).map_err(|e| TileError::NotATile(e.to_string()))?;
    Ok(cube.with_protection(protection))
}

/// Appends an unsigned column's values, widened.
fn widen<T>(column: &arrow_array::ArrayRef, out: &mut Vec<u64>)
where
    T: arrow_array::types::ArrowPrimitiveType,
    T::Native: Into<u64>,
{
    use arrow_array::cast::AsArray;
    out.extend(
        column
            .as_primitive::<T>()
            .values()
            .iter()
            .map(|v| (*v).into()),
    );
}

/// Converts every value to the column's narrower type, or names the first
/// one that does not fit.
fn narrow<T: TryFrom<u64>, S: Copy + Into<u64>>(
    column: &'static str,
    values: &[S],
    data_type: DataType,
) -> Result<Vec<T>, TileError> {
    values
        .iter()
        .map(|v| {
            let v: u64 = (*v).into();
            T::try_from(v).map_err(|_| TileError::Overflow {
                column,
                value: v,
                data_type: data_type.clone(),
            })
        })
        .collect()
}

/// Brotli at quality 11 with a 4 MiB window: tiles are compressed once
/// and read many times.
pub fn brotli(raw: &[u8]) -> std::io::Result<Vec<u8>> {
    brotli_at(raw, 11)
}

/// A tile compressed with brotli at `quality` (0–11).
pub fn brotli_at(raw: &[u8], quality: u32) -> std::io::Result<Vec<u8>> {
    use std::io::Write;
    let mut out =
        brotli::CompressorWriter::new(Vec::with_capacity(raw.len() / 4), 4096, quality, 22);
    out.write_all(raw)?;
    out.flush()?;
    Ok(out.into_inner())
}

/// A tile's id: the SHA-256 of its bytes, hex.
pub fn content_id(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The id of a release made of `tiles` (in manifest order).
pub fn release_id<'a>(tiles: impl IntoIterator<Item = &'a StoredTile>) -> String {
    let mut hash = Sha256::new();
    hash.update(format!("tvaers-release-v{FORMAT_VERSION}\n"));
    for tile in tiles {
        hash.update(&tile.id);
        hash.update(b"\n");
    }
    hex::encode(hash.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::cast::AsArray;
    use arrow_array::types::{UInt16Type, UInt32Type};
    use arrow_ipc::reader::StreamReader;
    use shared::TileFamilyId;

    fn cube(contacts: u64) -> Cube {
        Cube::new(
            TileFamilyId::Geography,
            vec![vec![2024, 2024], vec![101, 851], vec![3, 17], vec![1, 2]],
            [vec![10, 20], vec![contacts, 5]]
                .into_iter()
                .chain((2..9).map(|_| vec![1, 2]))
                .collect(),
        )
        .expect("cube")
    }

    #[test]
    fn tile_round_trips_through_arrow_ipc() {
        let tile = encode(&cube(70)).expect("encodes");
        let mut reader = StreamReader::try_new(tile.bytes.as_slice(), None).expect("reads");
        let schema = reader.schema();
        assert_eq!(schema.metadata()["tvaers.family"], "geography");
        let batch = reader.next().expect("one batch").expect("valid batch");
        assert_eq!(batch.num_rows(), 2);
        let municipality = batch.column(1).as_primitive::<UInt16Type>();
        assert_eq!(municipality.values().to_vec(), vec![101, 851]);
        let contacts = batch.column(5).as_primitive::<UInt32Type>();
        assert_eq!(contacts.values().to_vec(), vec![70, 5]);
        assert!(reader.next().is_none());
    }

    #[test]
    fn a_tile_decodes_to_its_cube_with_its_protection() {
        for protection in [Protection::Exact, Protection::CellKey] {
            let cube = cube(70).with_protection(protection);
            let decoded = decode(&encode(&cube).expect("encodes").bytes).expect("decodes");
            assert_eq!(decoded, cube);
        }
    }

    #[test]
    fn ids_are_content_hashes_and_stable() {
        let a = encode(&cube(70)).expect("a");
        let b = encode(&cube(70)).expect("b");
        let c = encode(&cube(71)).expect("c");
        assert_eq!(a.meta.id, b.meta.id);
        assert_ne!(a.meta.id, c.meta.id);
        assert_eq!(a.meta.id, hex::encode(Sha256::digest(&a.bytes)));
        assert_eq!(release_id([&a.meta]), release_id([&b.meta]));
        assert_ne!(release_id([&a.meta]), release_id([&c.meta]));
    }

    #[test]
    fn refuses_counts_that_do_not_fit() {
        let err = encode(&cube(u64::from(u32::MAX) + 1)).expect_err("overflow");
        assert!(matches!(
            err,
            TileError::Overflow {
                column: "gp_contacts",
                ..
            }
        ));
    }
}
