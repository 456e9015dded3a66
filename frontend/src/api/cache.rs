//! The tiles of a visit, fetched once each: an app-wide cache in a Yew
//! context, and [`use_tile`], the hook through which every chart asks for
//! its tile. Tiles are immutable, so a tile decoded once serves every page,
//! chart and filter change after it; two charts asking for the same tile
//! in the same render share one request. A release's manifest, once read,
//! is kept, so the tiles fetched after it come from the same release.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use shared::api::Manifest;
use shared::cube::Cube;
use shared::tile::TileKind;
use yew::prelude::*;

use super::ApiError;

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
    let manifests = use_mut_ref(HashMap::new);
    let cache = TileCache {
        tiles,
        requested,
        manifests,
    };
    html! {
        <ContextProvider<TileCache> context={cache}>{ props.children.clone() }</ContextProvider<TileCache>>
    }
}

/// The manifest of `release` (`None`: the current one), read once.
async fn manifest(
    manifests: &RefCell<HashMap<String, Manifest>>,
    release: Option<&str>,
) -> Result<Manifest, ApiError> {
    let key = release.unwrap_or("current").to_string();
    if let Some(manifest) = manifests.borrow().get(&key) {
        return Ok(manifest.clone());
    }
    let manifest = super::manifest(release).await?;
    manifests.borrow_mut().insert(key, manifest.clone());
    Ok(manifest)
}

/// The cache key of tile `kind` of `release` (`None`: the current one).
fn key(release: Option<&str>, kind: TileKind) -> String {
    format!("{}/{}", release.unwrap_or("current"), kind.key())
}

/// Tile `kind` of `release` (`None`: the current release): fetched and
/// decoded on first use, from the cache after that.
#[hook]
pub fn use_tile(release: Option<String>, kind: TileKind) -> Load {
    let cache = use_context::<TileCache>().expect("inside a TileCacheProvider");
    let key = key(release.as_deref(), kind);
    {
        let cache = cache.clone();
        use_effect_with(key.clone(), move |key| {
            let fresh = !cache.tiles.0.contains_key(key)
                && cache.requested.borrow_mut().insert(key.clone());
            if fresh {
                let key = key.clone();
                cache.tiles.dispatch((key.clone(), Load::Loading));
                wasm_bindgen_futures::spawn_local(async move {
                    let result = async {
                        let manifest = manifest(&cache.manifests, release.as_deref()).await?;
                        let tile = kind.key();
                        let entry = manifest.tile(&tile).ok_or_else(|| {
                            ApiError::Decode(format!("the release has no {tile} tile"))
                        })?;
                        Ok::<_, ApiError>((super::tile(entry).await?, manifest.release))
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
