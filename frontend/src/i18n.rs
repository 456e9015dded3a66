//! Interface texts that are not catalogue labels, in Danish and English.
//! Catalogue labels (measures, dimensions) come from `shared`.

use shared::disclosure::Status;
use shared::text::format_number;
use shared::{Lang, Text};

/// A value as shown: formatted for `lang`, or a dash when there is none.
pub fn format_value(value: Option<f64>, decimals: usize, lang: Lang) -> String {
    value.map_or_else(
        || NO_VALUE.get(lang).to_string(),
        |v| format_number(v, decimals, lang),
    )
}

/// A value as shown with its status: a suppressed value says it is
/// protected (never zero, never a dash).
pub fn format_shown(value: Option<f64>, status: Status, decimals: usize, lang: Lang) -> String {
    match status {
        Status::Suppressed => status.label().get(lang).to_string(),
        _ => format_value(value, decimals, lang),
    }
}

/// Under tables and key figures from protected tiles.
pub const PROTECTION_NOTE: Text = Text {
    da: "Tallene er afrundet til multipla af 5 for at beskytte personerne bag dem; summer og          andele er beregnet af afrundede tal. Værdier, der hviler på færre end 5 personer, vises          som beskyttet. Se Om data.",
    en: "Figures are rounded to multiples of 5 to protect the persons behind them; sums and          shares are computed from rounded counts. Values resting on fewer than 5 persons are          shown as protected. See About the data.",
};

/// After "rounded" under a protected key figure.
pub const ROUNDED_HINT: Text = Text {
    da: "til nærmeste 5 for at beskytte personer",
    en: "to a multiple of 5 to protect persons",
};

/// Under a key figure that sums exact figures (of the signed-in user's
/// own area) and rounded ones.
pub const PARTLY_ROUNDED: Text = Text {
    da: "delvis afrundet · tallene for dit område er præcise, de øvrige afrundet til nærmeste 5",
    en: "partly rounded · the figures for your area are exact, the others rounded to a multiple of 5",
};

/// After "exact" under a key figure of the signed-in user's own area.
pub const EXACT_HINT: Text = Text {
    da: "du ser præcise tal for dit område",
    en: "you see exact figures for your area",
};

/// Heading of the disclosure section on "Om data".
pub const DISCLOSURE: Text = Text {
    da: "Beskyttelse af personer (diskretionering)",
    en: "Protecting persons (disclosure control)",
};
/// Caption of the perturbation table.
pub const PERTURBATION_TABLE: Text = Text {
    da: "Afrundingstabellen: hvad der lægges til et tal med en given rest ved division med 5 \
         (rækker), efter hvilken femtedel af nøglernes interval cellens nøgle falder i (søjler)",
    en: "The perturbation table: what is added to a count with a given remainder on division \
         by 5 (rows), by the fifth of the key range the cell key falls in (columns)",
};
/// Row heading of the perturbation table.
pub const REMAINDER: Text = Text {
    da: "Rest",
    en: "Remainder",
};
/// Heading of the status column in CSV exports.
pub const STATUS: Text = Text {
    da: "Status",
    en: "Status",
};

/// The portal's name line.
pub const TITLE: Text = Text {
    da: "Sundhedsdata på tværs",
    en: "Cross-sector health data",
};
/// The accessible name of the notices under the menu (synthetic data,
/// exact figures for the signed-in organisation).
pub const NOTICES: Text = Text {
    da: "Om tallene",
    en: "About the figures",
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
    da: "Kilder: syntetiske udtræk af CPR-registret, Landspatientregistret, Sygesikringsregistret, kommunernes omsorgsdata, RUKS og Lægemiddelstatistikregistret (se Om data). Geografi: DAGI (SDFI).",
    en: "Sources: synthetic extracts of the CPR register, the National Patient Register, the Health Insurance Service Register, the municipalities' care records, RUKS and the Register of Medicinal Product Statistics (see About the data). Geography: DAGI (SDFI).",
};
/// Page title of the definitions page.
pub const ABOUT: Text = Text {
    da: "Om data",
    en: "About the data",
};
/// Page title for unknown addresses.
pub const NOT_FOUND: Text = Text {
    da: "Siden findes ikke",
    en: "Page not found",
};
/// Accessible name of the main navigation.
pub const NAVIGATION: Text = Text {
    da: "Hovedmenu",
    en: "Main menu",
};
/// Skip link for keyboard users.
pub const SKIP_TO_CONTENT: Text = Text {
    da: "Gå til indhold",
    en: "Skip to content",
};
/// Heading of the measures section.
pub const MEASURES: Text = Text {
    da: "Mål",
    en: "Measures",
};
/// Heading of the registers section.
pub const REGISTERS: Text = Text {
    da: "Registre",
    en: "Registers",
};
/// Definition list term: formula.
pub const FORMULA: Text = Text {
    da: "Formel",
    en: "Formula",
};
/// Definition list term: unit.
pub const UNIT: Text = Text {
    da: "Enhed",
    en: "Unit",
};
/// Definition list term: sources.
pub const SOURCES_TERM: Text = Text {
    da: "Kilder",
    en: "Sources",
};
/// Definition list term: how a quantity is counted.
pub const COMPUTED_AS: Text = Text {
    da: "Opgørelse",
    en: "Computed as",
};
/// Column heading: field of an extract.
pub const FIELD: Text = Text {
    da: "Felt",
    en: "Field",
};
/// Column heading: format of a field.
/// Marks an optional column of a register.
pub const OPTIONAL: Text = Text {
    da: " (kan være tom)",
    en: " (optional)",
};
pub const FORMAT: Text = Text {
    da: "Format",
    en: "Format",
};
/// The method paragraph of the definitions page.
pub const METHOD: Text = Text {
    da: "Rater beregnes altid som summen af tælleren divideret med summen af nævneren for den valgte befolkning – aldrig som et gennemsnit af rater. CPR-numre erstattes af et pseudonym (HMAC-SHA-256 med en hemmelig nøgle), når udtrækket læses, og gemmes aldrig.",
    en: "Ratios are always the sum of the numerator divided by the sum of the denominator over the selected population – never an average of ratios. CPR numbers are replaced by a pseudonym (HMAC-SHA-256 with a secret key) as the extract is read, and are never stored.",
};
/// Button: download the table as CSV.
pub const EXPORT_CSV: Text = Text {
    da: "Hent som CSV",
    en: "Download as CSV",
};
/// Filter label: geography.
pub const AREA: Text = Text {
    da: "Område",
    en: "Area",
};
/// Chart title suffix: "… by municipality".
pub const BY_MUNICIPALITY: Text = Text {
    da: "efter kommune",
    en: "by municipality",
};
/// Label of the measure select.
pub const MEASURE: Text = Text {
    da: "Mål",
    en: "Measure",
};
/// Legend of the scale switch.
pub const SCALE: Text = Text {
    da: "Vis som",
    en: "Show as",
};
/// Label of the person-attribute filter.
pub const RESTRICT_BY: Text = Text {
    da: "Afgræns borgere efter",
    en: "Restrict citizens by",
};
/// "no restriction".
pub const NO_RESTRICTION: Text = Text {
    da: "Alle borgere",
    en: "All citizens",
};
/// After a stacked bar with a protected part, instead of its total.
pub const PROTECTED_PART: Text = Text {
    da: "delvist beskyttet",
    en: "partly protected",
};
/// Why the person filter is locked.
pub const NOT_FOR_THESE_MEASURES: Text = Text {
    da: "Tallene for de valgte mål findes ikke opdelt sådan: vælg et andet mål for at bruge filteret.",
    en: "The figures of the chosen measures are not split this way: choose another measure to use the filter.",
};
/// Under the person filter while a quarter or month is chosen.
pub const NOT_WITH_PERIOD: Text = Text {
    da: "Kan ikke kombineres med et kvartal eller en måned: vælg hele året for at afgrænse borgerne.",
    en: "Cannot be combined with a quarter or a month: choose the whole year to restrict citizens.",
};
/// The period filter's label.
pub const PERIOD: Text = Text {
    da: "Periode",
    en: "Period",
};
/// The period filter's first option.
pub const WHOLE_YEAR: Text = Text {
    da: "Hele året",
    en: "Whole year",
};
/// Why the period filter is locked.
pub const NOT_WITH_ATTRIBUTE: Text = Text {
    da: "Et kvartal eller en måned kan ikke kombineres med en afgrænsning af borgerne: fjern den først.",
    en: "A quarter or a month cannot be combined with a restriction of citizens: remove it first.",
};
/// Under the period filter.
pub const PERIOD_HINT: Text = Text {
    da: "Hændelser tælles i kvartalet og måneden for deres dato, borgere i hvert kvartal og hver \
         måned, de boede i Danmark.",
    en: "Events count in the quarter and month of their date, citizens in each quarter and month \
         they lived in Denmark.",
};
/// Why person attributes come one at a time.
pub const ONE_ATTRIBUTE: Text = Text {
    da: "Målgruppe, lægeklynge, civilstand, plejehjem og CPR-status kan vælges én ad gangen.",
    en: "Target group, GP cluster, civil status, nursing home and CPR status can be chosen one at a time.",
};
/// Heading of the target-group definitions.
pub const TARGET_GROUPS: Text = Text {
    da: "Målgrupper",
    en: "Target groups",
};
/// How target groups are used.
pub const TARGET_GROUPS_INTRO: Text = Text {
    da: "En borger kan være i flere målgrupper samme år og tælles da med i hver af dem; målgrupper lægges derfor aldrig sammen. Vælg én målgruppe ad gangen under \"Afgræns borgere efter\".",
    en: "A citizen can be in several target groups in the same year and is then counted in each; target groups are therefore never added up. Choose one target group at a time under \"Restrict citizens by\".",
};
/// Heading of hospital activity by diagnosis group, specialty and
/// department type.
pub const HOSPITAL_GROUPS: Text = Text {
    da: "Diagnosegruppe, speciale og afdelingstype",
    en: "Diagnosis group, specialty and department type",
};
/// Heading of the preventable-admission diagnosis groups.
pub const PREVENTABLE_GROUPS: Text = Text {
    da: "Forebyggelige indlæggelser: diagnosegrupper",
    en: "Preventable admissions: diagnosis groups",
};
/// Column heading "group".
pub const GROUP: Text = Text {
    da: "Gruppe",
    en: "Group",
};
/// Column heading "diagnosis codes".
pub const DIAGNOSIS_CODES: Text = Text {
    da: "SKS-diagnosekoder (aktionsdiagnose begynder med)",
    en: "SKS diagnosis codes (action diagnosis begins with)",
};
/// "data release".
pub const RELEASE: Text = Text {
    da: "Dataudgivelse",
    en: "Data release",
};
/// Link text of a link that pins the release.
pub const PERMALINK: Text = Text {
    da: "fast link til netop disse tal",
    en: "permanent link to these very numbers",
};
/// Label of the Bornholm inset on the map.
pub const BORNHOLM: Text = Text {
    da: "Bornholm",
    en: "Bornholm",
};
/// Label of the capital-area inset on the map.
pub const CAPITAL_AREA: Text = Text {
    da: "Hovedstadsområdet",
    en: "Copenhagen area",
};
/// The map level switch.
pub const MAP_LEVEL: Text = Text {
    da: "Vis på kortet",
    en: "Show on the map",
};
/// Map level: municipalities.
pub const MUNICIPALITIES: Text = Text {
    da: "Kommuner",
    en: "Municipalities",
};
/// Map level: regions; also the area filter's group of regions.
pub const REGIONS: Text = Text {
    da: "Regioner",
    en: "Regions",
};
/// The area filter's group of health clusters.
pub const HEALTH_CLUSTERS: Text = Text {
    da: "Sundhedsklynger",
    en: "Health clusters",
};
/// How to use the map from the keyboard (part of its accessible name).
pub const MAP_KEYS: Text = Text {
    da: "Piletasterne skifter område, Enter vælger det",
    en: "Arrow keys move between areas, Enter selects one",
};
/// Map title prefix: "Map: …".
pub const MAP: Text = Text {
    da: "Kort",
    en: "Map",
};
/// Legend entry when every area falls in one class.
pub const ALL_VALUES: Text = Text {
    da: "Alle værdier",
    en: "All values",
};
/// Legend: "under 12,3".
pub const UNDER: Text = Text {
    da: "under",
    en: "under",
};
/// Legend: "45,6 or more".
pub const OR_MORE: Text = Text {
    da: "og derover",
    en: "or more",
};
/// Legend entry for areas without a value.
pub const NO_VALUE_LEGEND: Text = Text {
    da: "Ingen værdi",
    en: "No value",
};
/// The credit the map's boundary data require.
pub const MAP_CREDIT: Text = Text {
    da: "Kortgrundlag: indeholder data fra Styrelsen for Dataforsyning og Infrastruktur, Danmarks Administrative Geografiske Inddeling (DAGI) 1:500.000, 2014.",
    en: "Boundaries: contains data from the Danish Agency for Data Supply and Infrastructure, Danmarks Administrative Geografiske Inddeling (DAGI) 1:500,000, 2014.",
};
/// The advanced tool: page title and navigation.
pub const ADVANCED: Text = Text {
    da: "Avanceret værktøj",
    en: "Advanced tool",
};
/// The advanced tool: what it does.
pub const ADVANCED_INTRO: Text = Text {
    da: "Byg din egen rapport med op til fire diagrammer: vælg mål, opdeling og visning for hvert, og filtrér dem alle på én gang. Adressen gemmer rapporten, så et link viser den samme.",
    en: "Build your own report of up to four charts: choose the measure, breakdown and display of each, and filter them all at once. The address holds the report, so a link shows the same one.",
};
/// Heading of the filters that apply to every chart.
pub const FILTERS_ALL_CHARTS: Text = Text {
    da: "Filtre for alle diagrammer",
    en: "Filters for every chart",
};
/// Adds a chart to the report.
pub const ADD_CHART: Text = Text {
    da: "Tilføj diagram",
    en: "Add a chart",
};
/// Removes a chart (visible label).
pub const REMOVE: Text = Text {
    da: "Fjern",
    en: "Remove",
};
/// Removes a chart (accessible name, before its number).
pub const REMOVE_CHART: Text = Text {
    da: "Fjern diagram",
    en: "Remove chart",
};
/// A chart (accessible name, before its number).
pub const CHART: Text = Text {
    da: "Diagram",
    en: "Chart",
};
/// The breakdown select.
pub const BREAK_DOWN_BY: Text = Text {
    da: "Opdel efter",
    en: "Break down by",
};
/// The chart-type select.
pub const CHART_TYPE: Text = Text {
    da: "Diagramtype",
    en: "Chart type",
};
/// Chart titles: "… by age group".
pub const BY: Text = Text {
    da: "efter",
    en: "by",
};
/// Button: download the chart as SVG.
pub const EXPORT_SVG: Text = Text {
    da: "Hent som SVG",
    en: "Download as SVG",
};
/// Button: download the chart as PNG.
pub const EXPORT_PNG: Text = Text {
    da: "Hent som PNG",
    en: "Download as PNG",
};
/// The age filter.
pub const AGE: Text = Text {
    da: "Alder",
    en: "Age",
};
/// The age filter: no restriction.
pub const ALL_AGES: Text = Text {
    da: "Alle aldre",
    en: "All ages",
};
/// The overview's theme cards.
pub const KEY_FIGURES: Text = Text {
    da: "Nøgletal",
    en: "Key figures",
};

/// The demo sign-in menu.
pub const SIGN_IN_DEMO: Text = Text {
    da: "Log ind (demo)",
    en: "Sign in (demo)",
};

/// Under the demo sign-in menu.
pub const DEMO_NOTE: Text = Text {
    da: "Demobrugere uden adgangskode, kun til afprøvning. En rigtig installation logger ind via organisationens eget login.",
    en: "Demo users without a password, for trying out only. A real installation signs in through the organisation's own login.",
};

/// Marks a demo session.
pub const DEMO: Text = Text {
    da: "demo",
    en: "demo",
};

/// Sign out button.
pub const SIGN_OUT: Text = Text {
    da: "Log ud",
    en: "Sign out",
};

/// The closed view's page title and link.
pub const CLOSED_VIEW: Text = Text {
    da: "Lukket visning",
    en: "Closed view",
};

/// On the closed view.
pub const CLOSED_INTRO: Text = Text {
    da: "Som logget ind ser I præcise tal for jeres eget område, med opdelingerne helt ned på lægepraksis. Tal for andre områder er de offentlige, afrundede tal. Det gælder også rapporterne og det avancerede værktøj, så længe I er logget ind.",
    en: "Signed in, you see exact figures for your own area, with breakdowns down to the general practice. Figures for other areas are the public, rounded ones. The same holds in the reports and the advanced tool while you are signed in.",
};

/// Banner on every page while signed in.
pub const EXACT_BANNER: Text = Text {
    da: "Præcise tal for",
    en: "Exact figures for",
};

/// The closed view, signed out.
pub const SIGN_IN_FOR_CLOSED: Text = Text {
    da: "Log ind for at se lukkede tal for jeres område.",
    en: "Sign in to see closed figures for your area.",
};

/// Heading of the practice table.
pub const PRACTICES: Text = Text {
    da: "Lægepraksisser i jeres område",
    en: "General practices in your area",
};

/// Caption of the practice table, before the year.
pub const FIGURES_FOR: Text = Text {
    da: "Tal for",
    en: "Figures for",
};

/// Column: provider number.
pub const PROVIDER_NUMBER: Text = Text {
    da: "Ydernummer",
    en: "Provider number",
};

/// Column: name.
pub const NAME: Text = Text {
    da: "Navn",
    en: "Name",
};

/// Column: listed patients.
pub const LISTED_PATIENTS: Text = Text {
    da: "Tilmeldte patienter",
    en: "Listed patients",
};

/// Column: GP contacts.
pub const GP_CONTACTS: Text = Text {
    da: "Kontakter",
    en: "Contacts",
};

/// Column: contacts per listed patient.
pub const CONTACTS_PER_LISTED: Text = Text {
    da: "Kontakter pr. tilmeldt",
    en: "Contacts per listed patient",
};

/// No practices in the scope.
pub const NO_PRACTICES: Text = Text {
    da: "Ingen lægepraksisser i jeres område i dette udtræk.",
    en: "No general practices in your area in this extract.",
};

/// Heading of the saved reports.
pub const SAVED_REPORTS: Text = Text {
    da: "Gemte rapporter",
    en: "Saved reports",
};

/// No saved reports.
pub const NO_REPORTS: Text = Text {
    da: "Ingen gemte rapporter endnu. Byg en rapport i det avancerede værktøj, og gem den der.",
    en: "No saved reports yet. Build a report in the advanced tool and save it there.",
};

/// Save form heading and button.
pub const SAVE_REPORT: Text = Text {
    da: "Gem rapport",
    en: "Save report",
};

/// Save form: name.
pub const REPORT_NAME: Text = Text {
    da: "Navn på rapporten",
    en: "Name of the report",
};

/// Save form: description.
pub const REPORT_DESCRIPTION: Text = Text {
    da: "Beskrivelse (valgfri)",
    en: "Description (optional)",
};

/// Save form: share.
pub const SHARE_REPORT: Text = Text {
    da: "Del med min organisation",
    en: "Share with my organisation",
};

/// When a report is saved without a name.
pub const REPORT_UNNAMED: Text = Text {
    da: "Giv rapporten et navn.",
    en: "Give the report a name.",
};

/// After a report was saved.
pub const REPORT_SAVED: Text = Text {
    da: "Rapporten er gemt. Find den under Lukket visning.",
    en: "The report is saved. Find it under Closed view.",
};

/// A shared report.
pub const SHARED: Text = Text {
    da: "delt",
    en: "shared",
};

/// Rename button.
pub const RENAME: Text = Text {
    da: "Omdøb",
    en: "Rename",
};

/// Delete button.
pub const DELETE: Text = Text {
    da: "Slet",
    en: "Delete",
};

/// Something went wrong talking to the server.
pub const REQUEST_FAILED: Text = Text {
    da: "Det lykkedes ikke:",
    en: "That did not work:",
};

// --- The cluster insight pages (Ordiprax+) ---------------------------------

/// Page title: a GP cluster against the country.
pub const CLUSTER_INSIGHT: Text = Text {
    da: "Klyngeindsigt",
    en: "Cluster insight",
};
/// Page title: one area for the cluster.
pub const CLUSTER_AREA: Text = Text {
    da: "Klyngens indsatsområde",
    en: "Cluster intervention area",
};
/// Page title: one practice against its cluster and the country.
pub const PRACTICE_INSIGHT: Text = Text {
    da: "Praksisindsigt",
    en: "Practice insight",
};
/// Page title: one area for the practice.
pub const PRACTICE_AREA: Text = Text {
    da: "Praksis' indsatsområde",
    en: "Practice intervention area",
};
/// The public national overview of medicines.
pub const MEDICINES_OVERVIEW: Text = Text {
    da: "Landsoversigt: medicin i almen praksis",
    en: "National overview: medicines in general practice",
};
/// The insight pages' navigation.
pub const INSIGHT_PAGES: Text = Text {
    da: "Klynge- og praksisindsigt",
    en: "Cluster and practice insight",
};
/// Signed out on an insight page.
pub const SIGN_IN_FOR_INSIGHT: Text = Text {
    da: "Klynge- og praksisindsigt er for lægeklynger, lægepraksis og regioner. Log ind for at se jeres egne tal; alle kan se landsoversigten.",
    en: "Cluster and practice insight is for GP clusters, general practices and regions. Sign in to see your own figures; everybody can see the national overview.",
};
/// A practice in no GP cluster.
pub const NO_CLUSTER: Text = Text {
    da: "Ingen lægeklynge",
    en: "No GP cluster",
};
/// The year filter.
pub const YEAR: Text = Text {
    da: "År",
    en: "Year",
};
/// A general practice (also before an anonymous letter).
pub const PRACTICE: Text = Text {
    da: "Praksis",
    en: "Practice",
};
/// A confidence interval's heading.
pub const CONFIDENCE_95: Text = Text {
    da: "95 %-konfidensinterval",
    en: "95 % confidence interval",
};
/// A p-value's heading.
pub const P_VALUE: Text = Text {
    da: "p-værdi",
    en: "p-value",
};
/// The verdict's heading.
pub const ASSESSMENT: Text = Text {
    da: "Forskel fra landet",
    en: "Difference from the country",
};
/// A confidence interval's lower limit (CSV heading).
pub const LOWER_LIMIT: Text = Text {
    da: "Nedre 95 %-grænse",
    en: "Lower 95 % limit",
};
/// A confidence interval's upper limit (CSV heading).
pub const UPPER_LIMIT: Text = Text {
    da: "Øvre 95 %-grænse",
    en: "Upper 95 % limit",
};
/// The count behind a value.
pub const NUMBER: Text = Text {
    da: "Antal",
    en: "Number",
};
/// A statistically clear difference upwards.
pub const CLEARLY_HIGHER: Text = Text {
    da: "Klart højere",
    en: "Clearly higher",
};
/// A statistically clear difference downwards.
pub const CLEARLY_LOWER: Text = Text {
    da: "Klart lavere",
    en: "Clearly lower",
};
/// No statistically clear difference.
pub const NO_CLEAR_DIFFERENCE: Text = Text {
    da: "Ingen klar forskel",
    en: "No clear difference",
};
/// Under the insight tables and funnels; `{m}` is the number of
/// comparisons.
pub const INSIGHT_METHOD: Text = Text {
    da: "Metode: værdierne er pr. 1.000 tilmeldte patienter. Konfidensintervallerne er eksakte 95 %-intervaller (Clopper–Pearson for andele af patienter; Poisson for DDD, der behandles som tællinger og derfor kan variere mere end intervallet viser). p-værdien er den eksakte tosidede test mod landets værdi med samme filtre. En forskel kaldes klar, når den holder efter Benjamini–Hochberg-metoden med en falsk opdagelsesrate på 5 % over de {m} sammenligninger, siden viser. Tragtens grænser er eksakte binomial- eller Poisson-grænser (95 % og 99,8 %) om landets værdi.",
    en: "Method: values are per 1,000 listed patients. Confidence intervals are exact 95 % intervals (Clopper–Pearson for shares of patients; Poisson for DDD, which are treated as counts and may vary more than the interval shows). The p-value is the exact two-sided test against the country's value with the same filters. A difference is called clear when it holds under the Benjamini–Hochberg procedure at a false discovery rate of 5 % over the {m} comparisons the page shows. The funnel's limits are exact binomial or Poisson limits (95 % and 99.8 %) around the country's value.",
};
/// Under the insight table's heading.
pub const PER_THOUSAND_LISTED: Text = Text {
    da: "Pr. 1.000 tilmeldte patienter. Vælg et mål for at følge det som indsatsområde.",
    en: "Per 1,000 listed patients. Choose a measure to follow it as an intervention area.",
};
/// The insight table's caption.
pub const INSIGHT_TABLE_CAPTION: Text = Text {
    da: "Alle lægemiddelgrupper og mål, sammenlignet med hele landet",
    en: "Every drug group and measure, compared with the whole country",
};
/// A funnel plot.
pub const FUNNEL_PLOT: Text = Text {
    da: "Tragtdiagram",
    en: "Funnel plot",
};
/// Under a funnel plot; `{n}` practices, `{a}` outside the 95 % limits,
/// `{b}` of them outside the 99.8 % limits.
pub const FUNNEL_SUMMARY: Text = Text {
    da: "{n} praksis; {a} ligger uden for 95 %-grænserne, heraf {b} uden for 99,8 %-grænserne.",
    en: "{n} practices; {a} lie outside the 95 % limits, {b} of them outside the 99.8 % limits.",
};
/// The 95 % control limits.
pub const LIMITS_95: Text = Text {
    da: "95 %-kontrolgrænser",
    en: "95 % control limits",
};
/// The 99.8 % control limits.
pub const LIMITS_998: Text = Text {
    da: "99,8 %-kontrolgrænser",
    en: "99.8 % control limits",
};
/// After a unit's name on a time series.
pub const OVER_THE_YEARS: Text = Text {
    da: "over årene",
    en: "over the years",
};
/// After a unit's name on a breakdown by age.
pub const BY_AGE_GROUP: Text = Text {
    da: "efter aldersgruppe",
    en: "by age group",
};
