//! JSON wire types of the HTTP API, shared by server and browser.

use serde::{Deserialize, Serialize};

use crate::dimension::DIMENSIONS;
use crate::measure::{Counted, Scale, Theme, MEASURES, QUANTITIES};
use crate::register::REGISTERS;
use crate::text::{Lang, Text};
use crate::tile::{Split, TileKind, FORMAT_VERSION, TILE_FAMILIES};

/// `GET /api/manifest`: the current data release and its tiles.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Release id: a hash over the release's tile ids.
    pub release: String,
    /// When the release was built (RFC 3339, UTC).
    pub created_at: String,
    /// Tile format version.
    pub format_version: u32,
    /// The tiles.
    pub tiles: Vec<TileEntry>,
    /// The release built before this one, if any.
    #[serde(default)]
    pub previous: Option<String>,
    /// Per tile family, what changed since the previous release.
    #[serde(default)]
    pub changes: Vec<TileChange>,
}

/// How a tile family changed from one release to the next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TileChange {
    /// Tile family key.
    pub family: String,
    /// What happened to it.
    pub change: Change,
    /// Its tile id in the previous release, if it had one.
    pub previous_id: Option<String>,
}

/// See [`TileChange`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// New in this release.
    Added,
    /// Different bytes.
    Changed,
    /// The same tile.
    Unchanged,
    /// In the previous release only.
    Removed,
}

impl TileChange {
    /// The changes from `previous` (tile family, id pairs) to `current`,
    /// current families first in their order, then removed ones.
    pub fn between(previous: &[(String, String)], current: &[(String, String)]) -> Vec<TileChange> {
        let mut changes: Vec<TileChange> = current
            .iter()
            .map(|(family, id)| {
                let before = previous
                    .iter()
                    .find(|(f, _)| f == family)
                    .map(|(_, i)| i.clone());
                TileChange {
                    family: family.clone(),
                    change: match &before {
                        None => Change::Added,
                        Some(b) if b == id => Change::Unchanged,
                        Some(_) => Change::Changed,
                    },
                    previous_id: before,
                }
            })
            .collect();
        changes.extend(
            previous
                .iter()
                .filter(|(f, _)| !current.iter().any(|(c, _)| c == f))
                .map(|(family, id)| TileChange {
                    family: family.clone(),
                    change: Change::Removed,
                    previous_id: Some(id.clone()),
                }),
        );
        changes
    }
}

/// One tile of a release.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TileEntry {
    /// Content id: the SHA-256 of the tile's bytes, hex.
    pub id: String,
    /// Tile family key (see [`crate::tile`]).
    pub family: String,
    /// Key of the dimension the tile is cut by.
    pub dimension: String,
    /// Number of cells.
    pub rows: u64,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the bytes, hex (equal to `id`).
    pub sha256: String,
    /// Where to fetch it.
    pub url: String,
    /// The scope of a closed tile (e.g. `municipality:0751`); absent for
    /// public tiles. See `docs/access.md`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

impl Manifest {
    /// The public tile `family` (a tile key: family and split).
    pub fn tile(&self, family: &str) -> Option<&TileEntry> {
        self.tiles
            .iter()
            .find(|t| t.family == family && t.scope.is_none())
    }

    /// The closed tile `family` of `scope`, if the caller may read one.
    pub fn closed_tile(&self, family: &str, scope: &str) -> Option<&TileEntry> {
        self.tiles
            .iter()
            .find(|t| t.family == family && t.scope.as_deref() == Some(scope))
    }
}

/// A user the portal offers to sign in as, in demo mode.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemoUser {
    /// Role claim.
    pub role: String,
    /// Organisation claim.
    pub org: Option<String>,
    /// What to call it, in Danish.
    pub label: String,
    /// What to call it, in English (empty from a server before it).
    #[serde(default)]
    pub label_en: String,
}

impl DemoUser {
    /// What to call it in `lang`.
    pub fn label_in(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::En if !self.label_en.is_empty() => &self.label_en,
            _ => &self.label,
        }
    }
}

/// The id of the element in which the server hands the page what the
/// first requests would fetch (see [`Boot`]).
pub const BOOT_ELEMENT: &str = "tvaers-boot";

/// What the server writes into the page it serves, as JSON in a
/// `<script type="application/json">` element: the current manifest as
/// `GET /api/manifest` answers a caller without credentials, so that the
/// front page's first chart does not wait for it. (The page never sees
/// the session cookie, whose path is `/api`; a signed-in user's portal
/// asks for its own manifest.)
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Boot {
    /// The public manifest; `None` before the first release.
    pub manifest: Option<Manifest>,
}

/// `GET /api/session`: who is signed in (see `docs/access.md`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// Whether a valid token came with the request.
    pub signed_in: bool,
    /// Role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Organisation claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org: Option<String>,
    /// The scope of closed tiles it opens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The organisation's name, in Danish.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope_label: Option<String>,
    /// The organisation's name, in English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope_label_en: Option<String>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Expiry (seconds since 1970).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<u64>,
    /// Signed by the development issuer.
    #[serde(default)]
    pub demo: bool,
    /// Demo users on offer (development issuer on, signed out).
    #[serde(default)]
    pub demo_users: Vec<DemoUser>,
}

impl SessionInfo {
    /// The organisation's name in `lang`.
    pub fn scope_label_in(&self, lang: crate::Lang) -> Option<&str> {
        match lang {
            crate::Lang::En => self
                .scope_label_en
                .as_deref()
                .or(self.scope_label.as_deref()),
            crate::Lang::Da => self.scope_label.as_deref(),
        }
    }
}

/// A saved report as `/api/reports` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportEntry {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Portal address of the view (path and query).
    pub view: String,
    /// Shared with the organisation.
    pub shared: bool,
    /// The caller owns it.
    pub mine: bool,
    /// Created (RFC 3339).
    pub created_at: String,
    /// Last changed (RFC 3339).
    pub updated_at: String,
}

/// `POST /api/reports` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewReport {
    /// Name.
    pub name: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Portal address of the view.
    pub view: String,
    /// Shared with the organisation.
    #[serde(default)]
    pub shared: bool,
}

/// Outcome of an accepted ingestion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchStatus {
    /// The batch was new and is now published.
    Published,
    /// The same content was ingested before; nothing changed.
    AlreadyIngested,
}

/// `POST /api/ingest/{register}` answer for an accepted batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IngestReport {
    /// Batch id (the `Idempotency-Key`, or the content hash).
    pub batch_id: String,
    /// Register key.
    pub register: String,
    /// File name the rows came from.
    pub file: String,
    /// SHA-256 of the batch's bytes.
    pub content_sha256: String,
    /// Published or a replay.
    pub status: BatchStatus,
    /// Data rows in the batch.
    pub rows_read: u64,
    /// Rows written to the store by this request (0 for a replay); in a
    /// keyed register, a row that replaced the stored row with its key is
    /// counted too.
    pub rows_added: u64,
    /// Bad rows left out (a batch with no more bad rows than the
    /// threshold publishes its good rows).
    #[serde(default)]
    pub rows_rejected: u64,
    /// The bad rows' errors, at most a capped number of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<RowError>,
}

/// `GET /api/ingest/batches/{id}`: a published batch, from the ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchInfo {
    /// Batch id.
    pub batch_id: String,
    /// Register key.
    pub register: String,
    /// File name given at ingestion.
    pub file: String,
    /// SHA-256 of the batch's bytes.
    pub content_sha256: String,
    /// Data rows read.
    pub rows_read: u64,
    /// Rows written to the store (replacements in a keyed register too).
    pub rows_added: u64,
    /// Bad rows left out.
    #[serde(default)]
    pub rows_rejected: u64,
    /// The first bad row's error, if any.
    #[serde(default)]
    pub first_error: Option<RowError>,
    /// When ingestion started (RFC 3339, UTC).
    #[serde(default)]
    pub started_at: String,
    /// When it was published (RFC 3339, UTC).
    pub published_at: String,
}

/// One rejected field of one row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// File name.
    pub file: String,
    /// 1-based line number in a CSV file (the header is line 1); for an
    /// Arrow IPC stream, the 1-based row number.
    pub line: u64,
    /// Column name.
    pub field: String,
    /// Why the value was rejected.
    pub reason: String,
}

/// Error body of every API error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Machine-readable error kind.
    pub error: String,
    /// Human-readable message.
    pub message: String,
    /// Row-level errors, for rejected batches.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<RowError>,
}

/// `GET /api/catalog`: the catalogue as JSON.
#[derive(Clone, Debug, Serialize)]
pub struct Catalog {
    /// Tile format version.
    pub format_version: u32,
    /// Dimensions.
    pub dimensions: &'static [crate::dimension::Dimension],
    /// Additive quantities.
    pub quantities: &'static [crate::measure::Quantity],
    /// Measures.
    pub measures: Vec<MeasureEntry>,
    /// Tile families with their column lists.
    pub tile_families: Vec<TileFamilyEntry>,
    /// Register extracts the ingestion accepts.
    pub registers: &'static [crate::register::Register],
    /// The diagnosis groups of preventable admissions, with their codes.
    pub preventable_groups: &'static [crate::diagnosis::PreventableGroup],
}

/// A measure with its definition spelled out.
#[derive(Clone, Debug, Serialize)]
pub struct MeasureEntry {
    /// Stable key.
    pub key: &'static str,
    /// Theme.
    pub theme: Theme,
    /// Label.
    pub label: Text,
    /// What it means.
    pub description: Text,
    /// Numerator column.
    pub numerator_column: &'static str,
    /// Denominator column, for every scale but `count`.
    pub denominator_column: Option<&'static str>,
    /// Whether the numerator counts persons or events.
    pub numerator_counts: Counted,
    /// The scales offered, the default first.
    pub scales: &'static [Scale],
    /// The formula on each scale, e.g. `sum(gp_contacts) / sum(citizens) × 1000`.
    pub formulas: Vec<ScaleFormula>,
    /// Key of the tile family holding its columns.
    pub family: &'static str,
    /// Source register keys.
    pub sources: Vec<&'static str>,
}

/// A measure's formula and unit on one scale.
#[derive(Clone, Debug, Serialize)]
pub struct ScaleFormula {
    /// The scale.
    pub scale: Scale,
    /// The formula over tile columns.
    pub formula: String,
    /// Unit in Danish and English.
    pub unit_da: String,
    /// Unit in English.
    pub unit_en: String,
}

/// A tile family with its columns.
#[derive(Clone, Debug, Serialize)]
pub struct TileFamilyEntry {
    /// The catalogue entry.
    #[serde(flatten)]
    pub family: crate::tile::TileFamily,
    /// Column names of the base tile, in order.
    pub columns: Vec<String>,
    /// The further tiles of the family, each split by one more key
    /// column: their manifest keys (`geography.civil_status` …).
    pub splits: Vec<String>,
}

impl Catalog {
    /// The whole catalogue.
    pub fn current() -> Catalog {
        Catalog {
            format_version: FORMAT_VERSION,
            dimensions: DIMENSIONS,
            quantities: QUANTITIES,
            measures: MEASURES
                .iter()
                .map(|m| MeasureEntry {
                    key: m.key,
                    theme: m.theme,
                    label: m.label(),
                    description: m.description(),
                    numerator_column: m.numerator.def().column,
                    denominator_column: m.denominator.map(|d| d.def().column),
                    numerator_counts: m.numerator.def().counted,
                    scales: m.scales,
                    formulas: m
                        .scales
                        .iter()
                        .map(|s| ScaleFormula {
                            scale: *s,
                            formula: m.formula(*s),
                            unit_da: m.unit(*s, Lang::Da),
                            unit_en: m.unit(*s, Lang::En),
                        })
                        .collect(),
                    family: m.family().key,
                    sources: m.sources().iter().map(|r| r.key()).collect(),
                })
                .collect(),
            tile_families: TILE_FAMILIES
                .iter()
                .map(|f| TileFamilyEntry {
                    family: *f,
                    splits: f
                        .splits
                        .iter()
                        .filter(|s| **s != Split::None)
                        .map(|&split| {
                            TileKind {
                                family: f.id,
                                split,
                            }
                            .key()
                        })
                        .collect(),
                    columns: TileKind::from(f.id)
                        .schema()
                        .fields()
                        .iter()
                        .map(|c| c.name().clone())
                        .collect(),
                })
                .collect(),
            registers: REGISTERS,
            preventable_groups: &crate::diagnosis::PREVENTABLE_GROUPS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_json_spells_out_formulas() {
        let json = serde_json::to_value(Catalog::current()).expect("serialises");
        let measures = json["measures"].as_array().expect("measures");
        let gp = measures
            .iter()
            .find(|m| m["key"] == "gp_contacts")
            .expect("gp measure");
        assert_eq!(gp["scales"], serde_json::json!(["per_1000", "count"]));
        assert_eq!(
            gp["formulas"][0]["formula"],
            "sum(gp_contacts) / sum(citizens) × 1000"
        );
        assert_eq!(gp["formulas"][0]["unit_da"], "pr. 1.000 borgere");
        assert_eq!(gp["formulas"][1]["formula"], "sum(gp_contacts)");
        assert_eq!(gp["sources"], serde_json::json!(["cpr", "ydr", "ssr"]));
        assert_eq!(gp["label"]["da"], "Kontakter til almen praksis");
        assert_eq!(gp["family"], "geography");
        assert_eq!(gp["denominator_column"], "citizens");
        let stay = measures
            .iter()
            .find(|m| m["key"] == "mean_length_of_stay")
            .expect("length of stay");
        assert_eq!(stay["family"], "hospital");
        assert_eq!(stay["denominator_column"], "admissions");
        assert_eq!(json["tile_families"][0]["columns"][0], "year");
    }

    #[test]
    fn changes_name_added_changed_unchanged_and_removed_families() {
        let pair = |f: &str, i: &str| (f.to_string(), i.to_string());
        let changes = TileChange::between(
            &[
                pair("geography", "a"),
                pair("hospital", "b"),
                pair("old", "c"),
            ],
            &[
                pair("geography", "a"),
                pair("hospital", "x"),
                pair("new", "d"),
            ],
        );
        let got: Vec<(&str, Change, Option<&str>)> = changes
            .iter()
            .map(|c| (c.family.as_str(), c.change, c.previous_id.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("geography", Change::Unchanged, Some("a")),
                ("hospital", Change::Changed, Some("b")),
                ("new", Change::Added, None),
                ("old", Change::Removed, Some("c")),
            ]
        );
    }

    #[test]
    fn manifest_round_trips_through_json() {
        let m = Manifest {
            release: "r".into(),
            created_at: "2026-01-01T00:00:00Z".into(),
            format_version: FORMAT_VERSION,
            tiles: vec![TileEntry {
                id: "ab".into(),
                family: "geography".into(),
                dimension: "municipality".into(),
                scope: None,
                rows: 3,
                bytes: 10,
                sha256: "ab".into(),
                url: "/api/tiles/ab".into(),
            }],
            previous: None,
            changes: Vec::new(),
        };
        let back: Manifest =
            serde_json::from_str(&serde_json::to_string(&m).expect("json")).expect("parses");
        assert_eq!(back, m);
        assert!(back.tile("geography").is_some());
    }
}
