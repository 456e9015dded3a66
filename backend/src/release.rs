//! A data release: aggregate every tile family, encode the tiles and
//! publish them together under one content-derived id.

use chrono::Utc;
use shared::tile::Split;

use crate::aggregate::{self, AemiRule, AggregateError};
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

/// Schema metadata key of the ÆMI rule, in target-group tiles.
pub const META_AEMI_RULE: &str = "tvaers.aemi_rule";

/// Builds and publishes a release from what the store holds now, with the
/// default ÆMI rule.
pub async fn build(store: &Store) -> Result<BuildSummary, ReleaseError> {
    build_with(store, &AemiRule::default()).await
}

/// Builds and publishes a release with the given ÆMI rule. The rule is
/// written into the target-group tiles, so a different rule gives
/// different tile ids.
pub async fn build_with(store: &Store, rule: &AemiRule) -> Result<BuildSummary, ReleaseError> {
    let aggregated = aggregate::build_with(store, rule).await?;
    let described = [(META_AEMI_RULE, rule.describe())];
    let tiles = aggregated
        .cubes
        .iter()
        .map(|cube| {
            let metadata: &[(&str, String)] = if cube.kind().split == Split::TargetGroup {
                &described
            } else {
                &[]
            };
            tile::encode_with(cube, metadata)
        })
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
