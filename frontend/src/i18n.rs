//! Interface texts that are not catalogue labels, in Danish and English.
//! Catalogue labels (measures, dimensions) come from `shared`.

use shared::Text;

/// The portal's name line.
pub const TITLE: Text = Text {
    da: "Sundhedsdata på tværs",
    en: "Cross-sector health data",
};
/// Warning shown on every page while only synthetic data exist.
pub const SYNTHETIC_NOTICE: Text = Text {
    da: "Demodata: alle tal er beregnet på en syntetisk befolkning, ikke på rigtige personer.",
    en: "Demo data: every figure is computed from a synthetic population, not real persons.",
};
/// Page heading of the overview.
pub const OVERVIEW: Text = Text {
    da: "Landsoverblik",
    en: "National overview",
};
/// "the whole country".
pub const WHOLE_COUNTRY: Text = Text {
    da: "Hele landet",
    en: "Whole country",
};
/// Filter value meaning no restriction.
pub const ALL: Text = Text {
    da: "Alle",
    en: "All",
};
/// Filter panel heading.
pub const FILTERS: Text = Text {
    da: "Filtre",
    en: "Filters",
};
/// Chart title prefix: "… by region".
pub const BY_REGION: Text = Text {
    da: "efter region",
    en: "by region",
};
/// Table twin caption prefix.
pub const TABLE_OF: Text = Text {
    da: "Tabel",
    en: "Table",
};
/// Column heading for values.
pub const VALUE: Text = Text {
    da: "Værdi",
    en: "Value",
};
/// Loading message.
pub const LOADING: Text = Text {
    da: "Henter data …",
    en: "Loading data …",
};
/// Error message prefix.
pub const LOAD_FAILED: Text = Text {
    da: "Data kunne ikke hentes",
    en: "Data could not be loaded",
};
/// Shown when a ratio has no denominator.
pub const NO_VALUE: Text = Text {
    da: "–", en: "–"
};
/// The language switch's label: names the *other* language.
pub const SWITCH_LANGUAGE: Text = Text {
    da: "English",
    en: "Dansk",
};
/// Footer source line.
pub const SOURCES: Text = Text {
    da: "Kilder: syntetiske udtræk af CPR-registret og Sygesikringsregistret. Geografi: DAGI (SDFI).",
    en: "Sources: synthetic extracts of the CPR register and the Health Insurance Service Register. Geography: DAGI (SDFI).",
};
