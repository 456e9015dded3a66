//! A data release: aggregate every tile family, encode the tiles and
//! publish them together under one content-derived id.

use chrono::Utc;
use shared::cube::Cube;
use shared::tile::{
    HospitalCode, PracticeCode, Split, TileRef, META_HOSPITALS, META_PART, META_PRACTICES,
};
use shared::{DimensionId, TileFamilyId};

use crate::aggregate::{self, AggregateError, Rules};
use crate::store::{ReleaseRecord, Store, StoreError, StoredTile};
use crate::tile::{self, closed, EncodedTile, TileError};

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
    /// The public tiles.
    pub tiles: Vec<EncodedTile>,
    /// The closed tiles, without their bytes: at national size they add
    /// up to gigabytes, so each is written to the store as it is encoded
    /// and let go.
    pub closed: Vec<StoredTile>,
    /// Events of persons who were no citizens in the event's year.
    pub unplaced: aggregate::Unplaced,
    /// What protection costs, per measure (when the rules ask).
    pub utility: Vec<aggregate::disclosure::Utility>,
}

/// Schema metadata key of the ÆMI rule, in target-group tiles.
pub const META_AEMI_RULE: &str = "tvaers.aemi_rule";

/// Schema metadata key of the window of prior contacts, in hospital tiles.
pub const META_PRIOR_WINDOW: &str = "tvaers.prior_window_days";

/// A code dictionary as JSON: the entries whose code is `wanted`.
fn dictionary<T: serde::Serialize>(
    entries: &[T],
    code: impl Fn(&T) -> u16,
    wanted: impl Fn(u16) -> bool,
) -> String {
    let kept: Vec<&T> = entries.iter().filter(|e| wanted(code(e))).collect();
    serde_json::to_string(&kept).expect("code dictionaries serialise")
}

/// The public tiles of a release (the newest when `id` is `None`) as
/// cubes, without the parts of split tiles, and those of the release before it; `None` when there is no such release.
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
        // A part repeats rows of its split tile.
        let whole = |family: &str| TileRef::from_key(family).is_none_or(|t| t.part.is_none());
        for t in tiles
            .iter()
            .filter(|t| t.scope.is_none() && whole(&t.family))
        {
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

/// Builds and publishes a release with the given rules: the public tiles,
/// then the closed tiles of every scope (exact, see `docs/access.md`).
/// Each rule is
/// written into the tiles it shapes — the ÆMI rule into the target-group
/// tiles, the window of prior contacts into the hospital tiles — so a
/// different rule gives those tiles, and only those, different ids. The
/// tiles by hospital and by practice carry the names of their codes.
///
/// A thread encodes the tiles one by one while this task writes them into
/// the release's transaction, so encoding and writing share the cores and
/// no more than a few encoded tiles are held at a time.
pub async fn build_with(store: &Store, rules: &Rules) -> Result<BuildSummary, ReleaseError> {
    let aggregate::Aggregated {
        cubes,
        exact,
        unplaced,
        hospitals,
        practices,
        utility,
    } = aggregate::build_with(store, rules).await?;
    let names = Names {
        hospitals,
        practices,
        aemi_rule: rules.aemi.describe(),
        prior_window_days: rules.prior_window_days,
    };
    let (send, mut encoded) = tokio::sync::mpsc::channel(ENCODED_IN_FLIGHT);
    let encoder = std::thread::spawn(move || {
        let public = cubes
            .iter()
            .filter(|cube| cube.kind().family.def().public)
            .flat_map(|cube| {
                let whole = tile::encode_with(cube, &names.metadata(cube, None));
                std::iter::once(whole).chain(parts(cube, &names))
            });
        let closed = closed::cut(&exact, &names.hospitals, &names.practices).map(|c| {
            let mut all = names.metadata(&c.cube, Some(&c.named));
            all.extend(c.metadata);
            let mut encoded = tile::encode_with(&c.cube, &all)?;
            encoded.meta.scope = Some(c.scope.to_string());
            Ok(encoded)
        });
        for tile in public.chain(closed) {
            let failed = tile.is_err();
            // The receiver is gone when writing failed: stop.
            if send.blocking_send(tile).is_err() || failed {
                break;
            }
        }
    });
    let mut writer = store.begin_release().await?;
    let mut tiles = Vec::new();
    let mut closed = Vec::new();
    while let Some(tile) = encoded.recv().await {
        let tile = tile?;
        writer.add(&tile.meta, &tile.bytes).await?;
        if tile.meta.scope.is_some() {
            closed.push(tile.meta);
        } else {
            tiles.push(tile);
        }
    }
    encoder.join().expect("the tile encoder does not panic");
    let release = ReleaseRecord {
        id: tile::release_id(tiles.iter().map(|t| &t.meta).chain(&closed)),
        created_at: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    };
    let published = writer.finish(&release).await?;
    Ok(BuildSummary {
        release: release.id,
        published,
        tiles,
        closed,
        unplaced,
        utility,
    })
}

/// The parts of a split tile, one per code of its split, each with its
/// rows of that code (see [`TileRef`]); none for a base tile.
fn parts<'a>(
    cube: &'a Cube,
    names: &'a Names,
) -> impl Iterator<Item = Result<EncodedTile, TileError>> + 'a {
    let kind = cube.kind();
    let dimension = kind.split.dimension();
    let codes = dimension
        .and_then(|d| cube.codes(d).ok())
        .unwrap_or_default();
    codes.into_iter().filter_map(move |code| {
        let part = cube.retain(dimension?, |c| c == code)?;
        let mut metadata = names.metadata(&part, None);
        metadata.push((META_PART, code.to_string()));
        Some(tile::encode_with(&part, &metadata).map(|mut encoded| {
            encoded.meta.family = TileRef::part(kind, code).key();
            encoded
        }))
    })
}

/// Encoded tiles waiting to be written, at most.
const ENCODED_IN_FLIGHT: usize = 4;

/// What a build writes into tiles besides their cells: the rules that
/// shaped them and the names of their codes.
struct Names {
    hospitals: Vec<HospitalCode>,
    practices: Vec<PracticeCode>,
    aemi_rule: String,
    prior_window_days: u32,
}

impl Names {
    /// The metadata every tile of a kind carries, public or closed; a
    /// closed tile's dictionary names only the hospitals or practices it
    /// covers (`only`).
    fn metadata(&self, cube: &Cube, only: Option<&[u16]>) -> Vec<(&'static str, String)> {
        let wanted = |code: u16| only.is_none_or(|codes| codes.binary_search(&code).is_ok());
        let mut metadata = Vec::new();
        if cube.kind().split == Split::TargetGroup {
            metadata.push((META_AEMI_RULE, self.aemi_rule.clone()));
        }
        if cube.kind().family == TileFamilyId::Hospital {
            metadata.push((META_PRIOR_WINDOW, self.prior_window_days.to_string()));
        }
        if cube.kind().family == TileFamilyId::ByHospital {
            let codes = dictionary(&self.hospitals, |h| h.code, wanted);
            metadata.push((META_HOSPITALS, codes));
        }
        if cube.kind().family.def().dimension == DimensionId::Practice {
            let codes = dictionary(&self.practices, |p| p.code, wanted);
            metadata.push((META_PRACTICES, codes));
        }
        metadata
    }
}
