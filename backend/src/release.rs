//! A data release: aggregate every tile family, encode the tiles and
//! publish them together under one content-derived id.

use chrono::Utc;
use shared::cube::Cube;
use shared::tile::{Split, META_HOSPITALS, META_PRACTICES};
use shared::TileFamilyId;

use crate::aggregate::{self, AggregateError, Rules};
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
    /// What protection costs, per measure (when the rules ask).
    pub utility: Vec<aggregate::disclosure::Utility>,
}

/// Schema metadata key of the ÆMI rule, in target-group tiles.
pub const META_AEMI_RULE: &str = "tvaers.aemi_rule";

/// Schema metadata key of the window of prior contacts, in hospital tiles.
pub const META_PRIOR_WINDOW: &str = "tvaers.prior_window_days";

/// The tiles of a release (the newest when `id` is `None`) as cubes, and
/// those of the release before it; `None` when there is no such release.
pub async fn cubes(
    store: &Store,
    id: Option<&str>,
) -> Result<Option<(String, Vec<Cube>, Vec<Cube>)>, ReleaseError> {
    let Some(release) = store.release(id).await? else {
        return Ok(None);
    };
    let mut decoded = [Vec::new(), Vec::new()];
    for (out, tiles) in decoded
        .iter_mut()
        .zip([&release.tiles, &release.previous_tiles])
    {
        for t in tiles {
            if let Some(bytes) = store.tile_bytes(&t.id).await? {
                out.push(tile::decode(&bytes)?);
            }
        }
    }
    let [tiles, previous] = decoded;
    Ok(Some((release.record.id, tiles, previous)))
}

/// Builds and publishes a release from what the store holds now, with the
/// default rules.
pub async fn build(store: &Store) -> Result<BuildSummary, ReleaseError> {
    build_with(store, &Rules::default()).await
}

/// Builds and publishes a release with the given rules. Each rule is
/// written into the tiles it shapes — the ÆMI rule into the target-group
/// tiles, the window of prior contacts into the hospital tiles — so a
/// different rule gives those tiles, and only those, different ids. The
/// tiles by hospital and by practice carry the names of their codes.
pub async fn build_with(store: &Store, rules: &Rules) -> Result<BuildSummary, ReleaseError> {
    let aggregated = aggregate::build_with(store, rules).await?;
    let tiles = aggregated
        .cubes
        .iter()
        .map(|cube| {
            let mut metadata = Vec::new();
            if cube.kind().split == Split::TargetGroup {
                metadata.push((META_AEMI_RULE, rules.aemi.describe()));
            }
            if cube.kind().family == TileFamilyId::Hospital {
                metadata.push((META_PRIOR_WINDOW, rules.prior_window_days.to_string()));
            }
            if cube.kind().family == TileFamilyId::ByHospital {
                let dictionary =
                    serde_json::to_string(&aggregated.hospitals).expect("hospital codes serialise");
                metadata.push((META_HOSPITALS, dictionary));
            }
            if cube.kind().family == TileFamilyId::ByPractice {
                let dictionary =
                    serde_json::to_string(&aggregated.practices).expect("practice codes serialise");
                metadata.push((META_PRACTICES, dictionary));
            }
            tile::encode_with(cube, &metadata)
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
        utility: aggregated.utility,
    })
}
