//! The tiles of a visit, fetched once each: an app-wide cache in a Yew
//! context, and [`use_tile`], the hook through which every chart asks for
//! its tile. Tiles are immutable, so a tile decoded once serves every page,
//! chart and filter change after it; two charts asking for the same tile
//! in the same render share one request. A release's manifest, once read,
//! is kept, so the tiles fetched after it come from the same release.
//!
//! Signed in, a tile is the public tile with the closed tile of the user's
//! scope laid over it (exact values for their own area, see
//! `Cube::overlay`); tiles and manifests are kept per scope, so signing
//! in or out never mixes the two.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use shared::api::Manifest;
use shared::cube::Cube;
use shared::tile::{TileKind, TileRef, META_SCOPE_CODES};
use yew::prelude::*;

use super::ApiError;
use crate::components::session::Session;

/// Loading state of one tile.
#[derive(Clone, Debug, PartialEq)]
pub enum Load {
    /// Requested, not here yet.
    Loading,
    /// Could not be fetched or decoded.
    Failed(ApiError),
    /// The tile, and the id of the release it came from.
    Ready(Rc<Cube>, Rc<str>),
}

/// The tiles by release and tile key.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tiles(HashMap<String, Load>);

impl Reducible for Tiles {
    type Action = (String, Load);

    fn reduce(self: Rc<Self>, (key, load): Self::Action) -> Rc<Self> {
        let mut tiles = (*self).clone();
        tiles.0.insert(key, load);
        Rc::new(tiles)
    }
}

/// The cache as the context hands it out.
#[derive(Clone)]
pub struct TileCache {
    tiles: UseReducerHandle<Tiles>,
    /// Keys requested and not yet in `tiles`: seen by every hook at once,
    /// unlike the reducer's state, which a render sees as it was.
    requested: Rc<RefCell<HashSet<String>>>,
    /// The manifests read, by release (`current` for the current one):
    /// one request per release rather than one per tile, and every tile
    /// of "the current release" from the same release.
    manifests: Rc<RefCell<HashMap<String, Manifest>>>,
}

impl PartialEq for TileCache {
    fn eq(&self, other: &TileCache) -> bool {
        self.tiles == other.tiles
            && Rc::ptr_eq(&self.requested, &other.requested)
            && Rc::ptr_eq(&self.manifests, &other.manifests)
    }
}

/// Properties of [`TileCacheProvider`].
#[derive(Clone, Debug, PartialEq, Properties)]
pub struct TileCacheProviderProps {
    /// The app.
    pub children: Html,
}

/// Holds the cache for everything inside it.
#[function_component(TileCacheProvider)]
pub fn tile_cache_provider(props: &TileCacheProviderProps) -> Html {
    let tiles = use_reducer(Tiles::default);
    let requested = use_mut_ref(HashSet::new);
    // The current public manifest, as the server wrote it into the page.
    let manifests = use_mut_ref(|| {
        let mut manifests = HashMap::new();
        if let Some(manifest) = super::boot().manifest {
            manifests.insert(manifest_key(None, None), manifest);
        }
        manifests
    });
    let cache = TileCache {
        tiles,
        requested,
        manifests,
    };
    html! {
        <ContextProvider<TileCache> context={cache}>{ props.children.clone() }</ContextProvider<TileCache>>
    }
}

/// The manifest of `release` (`None`: the current one) as the user of
/// `scope` sees it, read once.
async fn manifest(
    manifests: &RefCell<HashMap<String, Manifest>>,
    scope: Option<&str>,
    release: Option<&str>,
) -> Result<Manifest, ApiError> {
    let key = manifest_key(scope, release);
    if let Some(manifest) = manifests.borrow().get(&key) {
        return Ok(manifest.clone());
    }
    let manifest = super::manifest(release).await?;
    manifests.borrow_mut().insert(key, manifest.clone());
    Ok(manifest)
}

/// The cache key of the manifest of `release` (`None`: the current one)
/// for the user of `scope`.
fn manifest_key(scope: Option<&str>, release: Option<&str>) -> String {
    format!(
        "{}/{}",
        scope.unwrap_or("public"),
        release.unwrap_or("current")
    )
}

/// The cache key of tile `kind` of `release` (`None`: the current one),
/// for the user of `scope`.
fn key(scope: Option<&str>, release: Option<&str>, tile: TileRef) -> String {
    format!(
        "{}/{}/{}",
        scope.unwrap_or("public"),
        release.unwrap_or("current"),
        tile.key()
    )
}

/// The tile `wanted` of `manifest`: the public one, with the closed tile of
/// `scope` laid over it when the manifest lists one.
///
/// A part the manifest does not list (a release from before parts, or a
/// value without cells) is read from the whole split tile. Closed tiles
/// are whole: a scope's own is small; of a part, its rows of the part's
/// value are laid over.
async fn fetch(
    manifest: &Manifest,
    scope: Option<&str>,
    wanted: TileRef,
) -> Result<Cube, ApiError> {
    let part = manifest.tile(&wanted.key());
    let tile = wanted.kind.key();
    let entry = part
        .or_else(|| manifest.tile(&tile))
        .ok_or_else(|| ApiError::Decode(format!("the release has no {tile} tile")))?;
    let Some(closed) = scope.and_then(|s| manifest.closed_tile(&tile, s)) else {
        return super::tile(entry).await;
    };
    // Both tiles at once.
    let (public, (closed, metadata)) =
        futures_util::future::try_join(super::tile(entry), super::tile_with_metadata(closed))
            .await?;
    let codes: Vec<u16> = metadata
        .get(META_SCOPE_CODES)
        .and_then(|codes| serde_json::from_str(codes).ok())
        .ok_or_else(|| ApiError::Decode(format!("the closed {tile} tile names no codes")))?;
    let closed = match wanted.restriction().filter(|_| part.is_some()) {
        Some((dimension, code)) => closed.retain(dimension, |c| c == code).ok_or_else(|| {
            ApiError::Decode(format!("the closed {tile} tile has no {dimension:?}"))
        })?,
        None => closed,
    };
    public
        .overlay(&closed, &codes)
        .ok_or_else(|| ApiError::Decode(format!("the closed {tile} tile is of another kind")))
}

/// The codes whose parts of split tile `kind` the manifest of `release`
/// (`None`: the current one) lists, sorted; `None` until that manifest is
/// here, or when it lists no parts (a release from before them). The
/// values a filter offers, without fetching a tile.
#[hook]
pub fn use_parts(release: Option<String>, kind: TileKind) -> Option<Vec<u16>> {
    let cache = use_context::<TileCache>().expect("inside a TileCacheProvider");
    let session = use_context::<Session>().expect("inside a SessionProvider");
    let key = manifest_key(session.scope(), release.as_deref());
    let manifests = cache.manifests.borrow();
    let manifest = manifests.get(&key)?;
    let mut codes: Vec<u16> = manifest
        .tiles
        .iter()
        .filter(|t| t.scope.is_none())
        .filter_map(|t| TileRef::from_key(&t.family))
        .filter(|t| t.kind == kind)
        .filter_map(|t| t.part)
        .collect();
    codes.sort_unstable();
    (!codes.is_empty()).then_some(codes)
}

/// Tile `tile` of `release` (`None`: the current release): fetched and
/// decoded on first use, from the cache after that.
#[hook]
pub fn use_tile(release: Option<String>, tile: TileRef) -> Load {
    let cache = use_context::<TileCache>().expect("inside a TileCacheProvider");
    let session = use_context::<Session>().expect("inside a SessionProvider");
    // Until the server has said who is signed in, nothing is fetched: a
    // public tile would be fetched in vain for a signed-in user.
    let known = session.info.is_some();
    let scope = session.scope().map(str::to_string);
    let key = key(scope.as_deref(), release.as_deref(), tile);
    {
        let cache = cache.clone();
        use_effect_with((key.clone(), known), move |(key, known)| {
            let fresh = *known
                && !cache.tiles.0.contains_key(key)
                && cache.requested.borrow_mut().insert(key.clone());
            if fresh {
                let key = key.clone();
                cache.tiles.dispatch((key.clone(), Load::Loading));
                wasm_bindgen_futures::spawn_local(async move {
                    let result = async {
                        let scope = scope.as_deref();
                        let manifest =
                            manifest(&cache.manifests, scope, release.as_deref()).await?;
                        let cube = fetch(&manifest, scope, tile).await?;
                        Ok::<_, ApiError>((cube, manifest.release))
                    }
                    .await;
                    cache.requested.borrow_mut().remove(&key);
                    cache.tiles.dispatch((
                        key,
                        match result {
                            Ok((cube, release)) => Load::Ready(Rc::new(cube), release.into()),
                            Err(e) => Load::Failed(e),
                        },
                    ));
                });
            }
        });
    }
    cache.tiles.0.get(&key).cloned().unwrap_or(Load::Loading)
}
