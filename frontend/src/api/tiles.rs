//! The tile client's decoder: Arrow IPC stream bytes → [`Cube`].
//!
//! The only place in the browser that reads Arrow. It checks the tile's
//! family and format version against the compiled-in catalogue, so a
//! server and a client of different formats fail loudly, not subtly.

use arrow_array::cast::AsArray;
use arrow_array::types::{UInt16Type, UInt32Type, UInt64Type, UInt8Type};
use arrow_array::{Array, RecordBatch};
use arrow_ipc::reader::StreamReader;
use arrow_schema::{ArrowError, DataType};
use shared::cube::{Cube, CubeError};
use shared::disclosure::{Protection, META_DISCLOSURE};
use shared::tile::{
    HospitalCode, Split, TileKind, FORMAT_VERSION, META_FAMILY, META_FORMAT_VERSION,
    META_HOSPITALS, META_SPLIT,
};
use shared::{DimensionId, TileFamilyId};

/// Why a tile could not be decoded.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// Not a readable Arrow IPC stream.
    #[error("arrow: {0}")]
    Arrow(#[from] ArrowError),
    /// The schema names no family we know.
    #[error("unknown tile family {0:?}")]
    UnknownFamily(String),
    /// The tile was written in another format version.
    #[error("tile format version {found:?}, this client reads {FORMAT_VERSION}")]
    Version {
        /// Version in the tile.
        found: Option<String>,
    },
    /// A column the family needs is missing or has an unexpected type.
    #[error("column {column}: {problem}")]
    Column {
        /// Column name.
        column: String,
        /// What is wrong.
        problem: String,
    },
    /// The columns do not form a valid cube.
    #[error(transparent)]
    Cube(#[from] CubeError),
    /// The tile names a protection this portal does not know.
    #[error("unknown disclosure protection {0:?}: reload the page")]
    UnknownProtection(String),
}

/// A tile's schema metadata.
pub type Metadata = std::collections::HashMap<String, String>;

/// Decodes an Arrow IPC stream into a cube of its family.
pub fn decode(bytes: &[u8]) -> Result<Cube, DecodeError> {
    Ok(decode_with_metadata(bytes)?.0)
}

/// Decodes an Arrow IPC stream into a cube of its family, and hands back
/// the schema metadata too.
pub fn decode_with_metadata(bytes: &[u8]) -> Result<(Cube, Metadata), DecodeError> {
    let reader = StreamReader::try_new(std::io::Cursor::new(bytes), None)?;
    let schema = reader.schema();
    let metadata: Metadata = schema.metadata().clone().into();
    let metadata = &metadata;
    let version = metadata.get(META_FORMAT_VERSION);
    if version.map(String::as_str) != Some(FORMAT_VERSION.to_string().as_str()) {
        return Err(DecodeError::Version {
            found: version.cloned(),
        });
    }
    let family_key = metadata.get(META_FAMILY).cloned().unwrap_or_default();
    let family = TileFamilyId::from_key(&family_key)
        .ok_or_else(|| DecodeError::UnknownFamily(family_key.clone()))?;
    let split = match metadata.get(META_SPLIT) {
        None => Split::None,
        Some(key) => shared::dimension::DIMENSIONS
            .iter()
            .find(|d| d.key == key)
            .and_then(|d| Split::of(d.id))
            .ok_or_else(|| DecodeError::UnknownFamily(format!("{family_key}.{key}")))?,
    };
    let kind = TileKind { family, split };
    // Tiles written before disclosure control carry exact counts.
    let protection = match metadata.get(META_DISCLOSURE) {
        None => Protection::Exact,
        Some(key) => {
            Protection::from_key(key).ok_or_else(|| DecodeError::UnknownProtection(key.clone()))?
        }
    };
    let def = family.def();
    let dimensions: Vec<DimensionId> = kind.keys();

    let mut keys: Vec<Vec<u16>> = vec![Vec::new(); dimensions.len()];
    let mut values: Vec<Vec<u64>> = vec![Vec::new(); def.quantities.len()];
    for batch in reader {
        let batch = batch?;
        for (out, dimension) in keys.iter_mut().zip(&dimensions) {
            append_codes(out, column(&batch, dimension.key())?, dimension.key())?;
        }
        for (out, quantity) in values.iter_mut().zip(def.quantities) {
            let name = quantity.def().column;
            append_counts(out, column(&batch, name)?, name)?;
        }
    }
    // The names and regions of a release's hospitals, for charts by
    // hospital.
    let hospitals = metadata
        .get(META_HOSPITALS)
        .and_then(|h| serde_json::from_str::<Vec<HospitalCode>>(h).ok())
        .unwrap_or_default();
    let regions = hospitals.iter().map(|h| (h.code, h.region)).collect();
    let municipalities = hospitals
        .iter()
        .filter_map(|h| Some((h.code, h.municipality?)))
        .collect();
    let names = hospitals.into_iter().map(|h| (h.code, h.name)).collect();
    let cube = Cube::new(kind, keys, values)?
        .with_protection(protection)
        .with_names(names)
        .with_regions(regions)
        .with_municipalities(municipalities);
    Ok((cube, metadata.clone()))
}

fn column<'b>(batch: &'b RecordBatch, name: &str) -> Result<&'b dyn Array, DecodeError> {
    batch
        .column_by_name(name)
        .map(|c| c.as_ref())
        .ok_or_else(|| DecodeError::Column {
            column: name.to_string(),
            problem: "missing".to_string(),
        })
}

fn no_nulls(array: &dyn Array, name: &str) -> Result<(), DecodeError> {
    if array.null_count() > 0 {
        return Err(DecodeError::Column {
            column: name.to_string(),
            problem: "has nulls".to_string(),
        });
    }
    Ok(())
}

fn unexpected(name: &str, data_type: &DataType) -> DecodeError {
    DecodeError::Column {
        column: name.to_string(),
        problem: format!("unexpected type {data_type}"),
    }
}

fn append_codes(out: &mut Vec<u16>, array: &dyn Array, name: &str) -> Result<(), DecodeError> {
    no_nulls(array, name)?;
    match array.data_type() {
        DataType::UInt8 => out.extend(
            array
                .as_primitive::<UInt8Type>()
                .values()
                .iter()
                .map(|v| u16::from(*v)),
        ),
        DataType::UInt16 => out.extend_from_slice(array.as_primitive::<UInt16Type>().values()),
        other => return Err(unexpected(name, other)),
    }
    Ok(())
}

fn append_counts(out: &mut Vec<u64>, array: &dyn Array, name: &str) -> Result<(), DecodeError> {
    no_nulls(array, name)?;
    match array.data_type() {
        DataType::UInt32 => out.extend(
            array
                .as_primitive::<UInt32Type>()
                .values()
                .iter()
                .map(|v| u64::from(*v)),
        ),
        DataType::UInt64 => out.extend_from_slice(array.as_primitive::<UInt64Type>().values()),
        other => return Err(unexpected(name, other)),
    }
    Ok(())
}
