//! A data release: aggregate every tile family, encode the tiles and
//! publish them together under one content-derived id.

use chrono::Utc;

use crate::aggregate::{self, AggregateError};
use crate::store::{ReleaseRecord, Store, StoreError};
use crate::tile::{self, EncodedTile, TileError};

/// Why a release could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    /// Aggregation failed.
    #[error(transparent)]
    Aggregate(#[from] AggregateError),
    /// Encoding failed.
    #[error(transparent)]
    Tile(#[from] TileError),
    /// Publishing failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a build produced.
#[derive(Debug)]
pub struct BuildSummary {
    /// Release id.
    pub release: String,
    /// `false` when the same release existed already (nothing written).
    pub published: bool,
    /// The tiles.
    pub tiles: Vec<EncodedTile>,
    /// Events of persons who were no citizens in the event's year.
    pub unplaced: aggregate::Unplaced,
}

/// Builds and publishes a release from what the store holds now.
pub async fn build(store: &Store) -> Result<BuildSummary, ReleaseError> {
    let aggregated = aggregate::build(store).await?;
    let tiles = aggregated
        .cubes
        .iter()
        .map(tile::encode)
        .collect::<Result<Vec<_>, _>>()?;
    let release = ReleaseRecord {
        id: tile::release_id(&tiles),
        created_at: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    };
    let rows: Vec<_> = tiles
        .iter()
        .map(|t| (&t.meta, t.bytes.as_slice()))
        .collect();
    let published = store.publish_release(&release, &rows).await?;
    Ok(BuildSummary {
        release: release.id,
        published,
        tiles,
        unplaced: aggregated.unplaced,
    })
}
