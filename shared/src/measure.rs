//! Quantities and measures.
//!
//! A *quantity* is an additive count stored in tiles (citizens, GP
//! contacts, admissions): summing it over any set of cells is meaningful,
//! because every person or event is in exactly one cell of a tile. A
//! *measure* is what users see: a quantity on a *scale* — the count itself,
//! per 1,000 of a denominator, a share in per cent, or a mean. Each measure
//! declares which scales make sense for it. Ratios are always computed from
//! summed numerators and denominators after filtering, never by averaging
//! ratios; [`Measure::evaluate`] is the one formula both the backend and the
//! browser use.

use serde::{Deserialize, Serialize};

use crate::register::RegisterId;
use crate::text::{Lang, Text};
use crate::tile::{TileFamily, TILE_FAMILIES};

/// The themes of the portal; every measure belongs to one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// The population itself.
    Population,
    /// General practice (SSR).
    GeneralPractice,
    /// Hospitals (LPR).
    Hospital,
    /// Municipal care (EOJ/FSIII).
    MunicipalCare,
    /// Contact across the three sectors: general practice, hospital and
    /// municipality, alone and together.
    CrossSector,
    /// Medicines redeemed by general practices' listed patients (LSR),
    /// by practice: the Ordiprax drug groups.
    Medicines,
}

impl Theme {
    /// Every theme, in display order.
    pub const ALL: [Theme; 6] = [
        Theme::Population,
        Theme::GeneralPractice,
        Theme::Hospital,
        Theme::MunicipalCare,
        Theme::CrossSector,
        Theme::Medicines,
    ];

    /// Label.
    pub fn label(self) -> Text {
        match self {
            Theme::Population => Text {
                da: "Befolkning",
                en: "Population",
            },
            Theme::GeneralPractice => Text {
                da: "Almen praksis",
                en: "General practice",
            },
            Theme::Hospital => Text {
                da: "Sygehus",
                en: "Hospital",
            },
            Theme::MunicipalCare => Text {
                da: "Kommunale ydelser",
                en: "Municipal care",
            },
            Theme::CrossSector => Text {
                da: "På tværs af sektorer",
                en: "Across sectors",
            },
            Theme::Medicines => Text {
                da: "Medicin (lægepraksis)",
                en: "Medicines (general practice)",
            },
        }
    }

    /// Stable key.
    pub fn key(self) -> &'static str {
        match self {
            Theme::Population => "population",
            Theme::GeneralPractice => "general_practice",
            Theme::Hospital => "hospital",
            Theme::MunicipalCare => "municipal_care",
            Theme::CrossSector => "cross_sector",
            Theme::Medicines => "medicines",
        }
    }
}

/// An additive quantity stored as a tile column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuantityId {
    /// Persons resident in the year.
    Citizens,
    /// Contacts with general practice (all contact types).
    GpContacts,
    /// GP consultations in the clinic.
    GpConsultations,
    /// GP phone consultations.
    GpPhone,
    /// GP e-mail consultations.
    GpEmail,
    /// GP video consultations.
    GpVideo,
    /// Other in-person GP contacts.
    GpOtherInPerson,
    /// GP home visits.
    GpHomeVisits,
    /// Persons with a GP contact.
    GpPatients,
    /// Citizens listed with a practice (by their latest listing in the year).
    ListedPatients,
    /// Hospital contacts starting in the year.
    HospitalContacts,
    /// Persons with a hospital contact.
    HospitalPatients,
    /// Hospital stays (contacts joined when ≤ 4 h apart).
    Stays,
    /// Stays of 12 hours or more.
    Admissions,
    /// Stays under 12 hours.
    OutpatientStays,
    /// Calendar days from admission to discharge.
    BedDays,
    /// Admissions whose first contact is acute.
    AdmissionsAcute,
    /// Admissions whose first contact is planned.
    AdmissionsPlanned,
    /// Admissions with somatic contacts only.
    AdmissionsSomatic,
    /// Admissions with psychiatric contacts only.
    AdmissionsPsychiatric,
    /// Admissions with both somatic and psychiatric contacts.
    AdmissionsBoth,
    /// Admissions followed by an acute admission within 30 days.
    Readmissions,
    /// Somatic admissions followed by an acute somatic admission within 30 days.
    ReadmissionsSomatic,
    /// Psychiatric admissions followed by an acute psychiatric admission within 30 days.
    ReadmissionsPsychiatric,
    /// Admissions with a contact with general practice in the window
    /// before their start.
    AdmissionsPriorGp,
    /// Admissions with municipal care in the window before their start.
    AdmissionsPriorCare,
    /// Contacts with a rehabilitation plan issued.
    RehabilitationPlans,
    /// Citizens aged 65 or more (the denominator of preventable admissions).
    #[serde(rename = "citizens_65plus")]
    Citizens65Plus,
    /// Preventable admissions of citizens 65+ (all nine groups).
    PreventableAdmissions,
    /// … with dehydration.
    PreventableDehydration,
    /// … with constipation.
    PreventableConstipation,
    /// … with lower respiratory disease.
    PreventableLowerRespiratory,
    /// … with cystitis.
    PreventableCystitis,
    /// … with gastroenteritis.
    PreventableGastroenteritis,
    /// … with a fracture.
    PreventableFracture,
    /// … with nutritional anaemia.
    PreventableNutritionalAnaemia,
    /// … for social and nursing circumstances.
    PreventableSocial,
    /// … with a pressure ulcer.
    PreventablePressureUlcer,
    /// Persons receiving home help (practical or personal).
    CareHomeHelp,
    /// Persons receiving practical home help (SEL § 83).
    CareSel83Practical,
    /// Persons receiving personal care (SEL § 83).
    CareSel83Personal,
    /// Persons in a reablement programme (SEL § 83 a).
    CareSel83a,
    /// Persons receiving rehabilitation training (SEL § 86, stk. 1).
    #[serde(rename = "care_sel86_1")]
    CareSel86_1,
    /// Persons receiving maintenance training (SEL § 86, stk. 2).
    #[serde(rename = "care_sel86_2")]
    CareSel86_2,
    /// Persons offered a preventive home visit (SEL § 79 a).
    CareSel79a,
    /// Persons receiving home nursing (SUL § 138).
    CareSul138,
    /// Persons receiving rehabilitation after hospital (SUL § 140).
    CareSul140,
    /// Persons receiving any municipal service.
    CareRecipients,
    /// Citizens in contact with none of the three sectors (general
    /// practice, hospital, municipal care) in the period.
    SectorsNone,
    /// … with general practice only.
    SectorsGpOnly,
    /// … with a hospital only.
    SectorsHospitalOnly,
    /// … with municipal care only.
    SectorsCareOnly,
    /// … with general practice and a hospital, not municipal care.
    SectorsGpHospital,
    /// … with general practice and municipal care, not a hospital.
    SectorsGpCare,
    /// … with a hospital and municipal care, not general practice.
    SectorsHospitalCare,
    /// … with all three.
    SectorsAll,
    /// … with two or three of them.
    SectorsTwoPlus,
    /// Listed patients who redeemed an opioid (N02A).
    OpioidPatients,
    /// DDD of opioids redeemed by listed patients.
    OpioidDdd,
    /// Listed patients who redeemed a sedative or hypnotic
    /// (benzodiazepines N05BA, N05CD; Z-drugs N05CF).
    SedativePatients,
    /// DDD of sedatives and hypnotics.
    SedativeDdd,
    /// Listed patients who redeemed an antipsychotic (N05A without
    /// lithium N05AN01).
    AntipsychoticPatients,
    /// DDD of antipsychotics.
    AntipsychoticDdd,
    /// Listed patients who redeemed a central stimulant (N06B).
    StimulantPatients,
    /// DDD of central stimulants.
    StimulantDdd,
    /// Listed patients who redeemed an antidepressant (N06A).
    AntidepressantPatients,
    /// DDD of antidepressants.
    AntidepressantDdd,
    /// Listed patients who redeemed a medicine of a drug group (the
    /// detail tile, by drug group, medicine, consumption, treatment and
    /// package size).
    RxPatients,
    /// Packages redeemed.
    RxPackages,
    /// DDD redeemed.
    RxDdd,
}

/// What a quantity counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Counted {
    /// Distinct persons.
    Persons,
    /// Events (contacts, stays, redemptions) or amounts (days).
    Events,
}

/// The definition of a quantity.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Quantity {
    /// Identifier.
    pub id: QuantityId,
    /// Tile column name (the identifier in snake case).
    pub column: &'static str,
    /// Label.
    pub label: Text,
    /// What one counts, plural ("kontakter"), shown after counts.
    pub unit: Text,
    /// The same, singular ("kontakt"), shown after "pr." in means.
    pub singular: Text,
    /// Persons or events.
    pub counted: Counted,
    /// How the backend derives it from the registers.
    pub derivation: Text,
    /// Registers it is computed from.
    pub sources: &'static [RegisterId],
}

/// Shorthand for the table below: (Danish, English).
type Da = (&'static str, &'static str);

const fn text((da, en): Da) -> Text {
    Text { da, en }
}

#[allow(clippy::too_many_arguments)]
const fn quantity(
    id: QuantityId,
    column: &'static str,
    counted: Counted,
    label: Da,
    unit: Da,
    singular: Da,
    derivation: Da,
    sources: &'static [RegisterId],
) -> Quantity {
    Quantity {
        id,
        column,
        label: text(label),
        unit: text(unit),
        singular: text(singular),
        counted,
        derivation: text(derivation),
        sources,
    }
}

const PERSONS: Da = ("personer", "persons");
const PERSON: Da = ("person", "person");
const ADMISSIONS: Da = ("indlæggelser", "admissions");
const ADMISSION: Da = ("indlæggelse", "admission");
const CONTACTS: Da = ("kontakter", "contacts");
const CONTACT: Da = ("kontakt", "contact");

use Counted::{Events, Persons};
use RegisterId::{Cpr, Eoj, Lpr, Lsr, PatientList, Ssr, Ydr};

/// Every quantity.
pub const QUANTITIES: &[Quantity] = &[
    quantity(
        QuantityId::Citizens,
        "citizens",
        Persons,
        ("Borgere", "Citizens"),
        ("borgere", "citizens"),
        ("borger", "citizen"),
        (
            "Personer i CPR-udtrækket med bopæl i en af de 98 kommuner i en periode, der overlapper året (CPR-status 30, 50 og 60 tælles ikke), født senest i året; placeret efter årets sidste bopælsperiode; alder = året minus fødselsåret.",
            "Persons in the CPR extract resident in one of the 98 municipalities in a period overlapping the year (CPR status 30, 50 and 60 not counted), born no later than the year; placed by the year's last period of residence; age = the year minus the birth year.",
        ),
        &[Cpr],
    ),
    quantity(
        QuantityId::GpContacts,
        "gp_contacts",
        Events,
        ("Kontakter til almen praksis", "Contacts with general practice"),
        CONTACTS,
        CONTACT,
        (
            "Ydelser i Sygesikringsregistret (SSR) i året hos ydere, der er almen praksis i Ydernummerregistret, alle kontakttyper, for årets borgere.",
            "Services in the Health Insurance Service Register (SSR) in the year by providers that are general practices in the provider register, all contact types, for the year's citizens.",
        ),
        &[Ssr, Ydr],
    ),
    quantity(
        QuantityId::GpConsultations,
        "gp_consultations",
        Events,
        ("Konsultationer i almen praksis", "GP consultations"),
        ("konsultationer", "consultations"),
        ("konsultation", "consultation"),
        ("Som kontakter til almen praksis, kontakttype konsultation.", "As contacts with general practice, contact type consultation."),
        &[Ssr, Ydr],
    ),
    quantity(
        QuantityId::GpPhone,
        "gp_phone",
        Events,
        ("Telefonkonsultationer i almen praksis", "GP phone consultations"),
        ("telefonkonsultationer", "phone consultations"),
        ("telefonkonsultation", "phone consultation"),
        ("Som kontakter til almen praksis, kontakttype telefon.", "As contacts with general practice, contact type phone."),
        &[Ssr, Ydr],
    ),
    quantity(
        QuantityId::GpEmail,
        "gp_email",
        Events,
        ("E-mailkonsultationer i almen praksis", "GP e-mail consultations"),
        ("e-mailkonsultationer", "e-mail consultations"),
        ("e-mailkonsultation", "e-mail consultation"),
        ("Som kontakter til almen praksis, kontakttype e-mail.", "As contacts with general practice, contact type e-mail."),
        &[Ssr, Ydr],
    ),
    quantity(
        QuantityId::GpVideo,
        "gp_video",
        Events,
        ("Videokonsultationer i almen praksis", "GP video consultations"),
        ("videokonsultationer", "video consultations"),
        ("videokonsultation", "video consultation"),
        ("Som kontakter til almen praksis, kontakttype video.", "As contacts with general practice, contact type video."),
        &[Ssr, Ydr],
    ),
    quantity(
        QuantityId::GpOtherInPerson,
        "gp_other_in_person",
        Events,
        ("Andre fremmødekontakter i almen praksis", "Other in-person GP contacts"),
        CONTACTS,
        CONTACT,
        ("Som kontakter til almen praksis, kontakttype andet fremmøde.", "As contacts with general practice, contact type other in-person."),
        &[Ssr, Ydr],
    ),
    quantity(
        QuantityId::GpHomeVisits,
        "gp_home_visits",
        Events,
        ("Sygebesøg fra almen praksis", "GP home visits"),
        ("sygebesøg", "home visits"),
        ("sygebesøg", "home visit"),
        ("Som kontakter til almen praksis, kontakttype sygebesøg.", "As contacts with general practice, contact type home visit."),
        &[Ssr, Ydr],
    ),
    quantity(
        QuantityId::GpPatients,
        "gp_patients",
        Persons,
        ("Borgere med kontakt til almen praksis", "Citizens in contact with general practice"),
        PERSONS,
        PERSON,
        ("Årets borgere med mindst én kontakt til almen praksis i året.", "The year's citizens with at least one contact with general practice in the year."),
        &[Ssr, Ydr],
    ),
    quantity(
        QuantityId::ListedPatients,
        "listed_patients",
        Persons,
        ("Tilmeldte patienter", "Listed patients"),
        ("tilmeldte", "listed patients"),
        ("tilmeldt", "listed patient"),
        ("Årets borgere tilmeldt praksis efter patientlisterne: borgeren tælles i den praksis, hvor årets seneste tilmelding er (samme regel som lægeklyngen). Efter kommune og region tælles patienterne i praksissens kommune efter ydernummerregistret, ikke i deres bopælskommune.", "The year's citizens listed with the practice according to the patient lists: a citizen counts at the practice of their latest listing in the year (the same rule as the GP cluster). By municipality and region, patients count in the practice's municipality according to the provider register, not in their municipality of residence."),
        &[Cpr, PatientList, Ydr],
    ),
    quantity(
        QuantityId::HospitalContacts,
        "hospital_contacts",
        Events,
        ("Sygehuskontakter", "Hospital contacts"),
        CONTACTS,
        CONTACT,
        ("Kontakter i Landspatientregistret (LPR3), der begynder i året, for årets borgere.", "Contacts in the National Patient Register (LPR3) starting in the year, for the year's citizens."),
        &[Lpr],
    ),
    quantity(
        QuantityId::HospitalPatients,
        "hospital_patients",
        Persons,
        ("Borgere med sygehuskontakt", "Citizens in contact with a hospital"),
        PERSONS,
        PERSON,
        ("Årets borgere med mindst én sygehuskontakt, der begynder i året.", "The year's citizens with at least one hospital contact starting in the year."),
        &[Lpr],
    ),
    quantity(
        QuantityId::Stays,
        "stays",
        Events,
        ("Sygehusophold", "Hospital stays"),
        ("ophold", "stays"),
        ("ophold", "stay"),
        (
            "En persons kontakter sorteret efter starttid: en kontakt, der begynder højst 4 timer efter det hidtidige opholds seneste sluttid (eller overlapper det), hører til samme ophold. Opholdet tælles i året for dets start.",
            "A person's contacts sorted by start: a contact starting at most 4 hours after the latest end of the stay so far (or overlapping it) belongs to the same stay. A stay counts in the year it starts.",
        ),
        &[Lpr],
    ),
    quantity(
        QuantityId::Admissions,
        "admissions",
        Events,
        ("Indlæggelser", "Admissions"),
        ADMISSIONS,
        ADMISSION,
        ("Sygehusophold på 12 timer eller mere (fra første start til seneste slut).", "Hospital stays of 12 hours or more (from first start to latest end)."),
        &[Lpr],
    ),
    quantity(
        QuantityId::OutpatientStays,
        "outpatient_stays",
        Events,
        ("Ambulante ophold", "Outpatient stays"),
        ("ophold", "stays"),
        ("ophold", "stay"),
        ("Sygehusophold på under 12 timer.", "Hospital stays shorter than 12 hours."),
        &[Lpr],
    ),
    quantity(
        QuantityId::BedDays,
        "bed_days",
        Events,
        ("Sengedage", "Bed days"),
        ("sengedage", "bed days"),
        ("sengedag", "bed day"),
        ("For hver indlæggelse antal kalenderdage fra indlæggelsesdato til udskrivningsdato (en indlæggelse inden for samme døgn giver 0).", "For each admission, the calendar days from the date of admission to the date of discharge (an admission within one day gives 0)."),
        &[Lpr],
    ),
    quantity(
        QuantityId::AdmissionsAcute,
        "admissions_acute",
        Events,
        ("Akutte indlæggelser", "Acute admissions"),
        ADMISSIONS,
        ADMISSION,
        ("Indlæggelser, hvis første kontakt er akut.", "Admissions whose first contact is acute."),
        &[Lpr],
    ),
    quantity(
        QuantityId::AdmissionsPlanned,
        "admissions_planned",
        Events,
        ("Planlagte indlæggelser", "Planned admissions"),
        ADMISSIONS,
        ADMISSION,
        ("Indlæggelser, hvis første kontakt er planlagt.", "Admissions whose first contact is planned."),
        &[Lpr],
    ),
    quantity(
        QuantityId::AdmissionsSomatic,
        "admissions_somatic",
        Events,
        ("Somatiske indlæggelser", "Somatic admissions"),
        ADMISSIONS,
        ADMISSION,
        ("Indlæggelser, hvor alle kontakter er somatiske.", "Admissions whose contacts are all somatic."),
        &[Lpr],
    ),
    quantity(
        QuantityId::AdmissionsPsychiatric,
        "admissions_psychiatric",
        Events,
        ("Psykiatriske indlæggelser", "Psychiatric admissions"),
        ADMISSIONS,
        ADMISSION,
        ("Indlæggelser, hvor alle kontakter er psykiatriske.", "Admissions whose contacts are all psychiatric."),
        &[Lpr],
    ),
    quantity(
        QuantityId::AdmissionsBoth,
        "admissions_both",
        Events,
        ("Indlæggelser i både somatik og psykiatri", "Admissions in both somatic and psychiatric care"),
        ADMISSIONS,
        ADMISSION,
        ("Indlæggelser med både somatiske og psykiatriske kontakter.", "Admissions with both somatic and psychiatric contacts."),
        &[Lpr],
    ),
    quantity(
        QuantityId::Readmissions,
        "readmissions",
        Events,
        ("Indlæggelser med akut genindlæggelse", "Admissions followed by an acute readmission"),
        ADMISSIONS,
        ADMISSION,
        ("Indlæggelser, hvor samme person indlægges akut igen senest 30 døgn (720 timer) efter udskrivningen. Tælles i året for den første indlæggelses start.", "Admissions after which the same person is admitted acutely again at most 30 days (720 hours) after discharge. Counted in the year the first admission starts."),
        &[Lpr],
    ),
    quantity(
        QuantityId::ReadmissionsSomatic,
        "readmissions_somatic",
        Events,
        ("Somatiske indlæggelser med akut somatisk genindlæggelse", "Somatic admissions followed by an acute somatic readmission"),
        ADMISSIONS,
        ADMISSION,
        ("Somatiske indlæggelser efterfulgt af en akut somatisk indlæggelse inden for 30 døgn.", "Somatic admissions followed by an acute somatic admission within 30 days."),
        &[Lpr],
    ),
    quantity(
        QuantityId::ReadmissionsPsychiatric,
        "readmissions_psychiatric",
        Events,
        ("Psykiatriske indlæggelser med akut psykiatrisk genindlæggelse", "Psychiatric admissions followed by an acute psychiatric readmission"),
        ADMISSIONS,
        ADMISSION,
        ("Psykiatriske indlæggelser efterfulgt af en akut psykiatrisk indlæggelse inden for 30 døgn.", "Psychiatric admissions followed by an acute psychiatric admission within 30 days."),
        &[Lpr],
    ),
    quantity(
        QuantityId::AdmissionsPriorGp,
        "admissions_prior_gp",
        Events,
        ("Indlæggelser med forudgående kontakt til almen praksis", "Admissions preceded by a contact with general practice"),
        ADMISSIONS,
        ADMISSION,
        ("Indlæggelser, hvor samme borger havde en kontakt med almen praksis (SSR) på indlæggelsesdagen eller i dagene før, inden for vinduet (standard 30 dage; tvaers build --prior-window-days, står i sygehusfliserne).", "Admissions of a citizen who had a contact with general practice (SSR) on the day of admission or in the days before it, within the window (30 days by default; tvaers build --prior-window-days, recorded in the hospital tiles)."),
        &[Lpr, Ssr, Ydr],
    ),
    quantity(
        QuantityId::AdmissionsPriorCare,
        "admissions_prior_care",
        Events,
        ("Indlæggelser med forudgående kommunal indsats", "Admissions preceded by municipal care"),
        ADMISSIONS,
        ADMISSION,
        ("Indlæggelser, hvor samme borger modtog en kommunal ydelse (EOJ, en hvilken som helst paragraf) i en måned, der overlapper indlæggelsesdagen eller vinduet før den (standard 30 dage).", "Admissions of a citizen who received a municipal service (EOJ, any paragraph) in a month overlapping the day of admission or the window before it (30 days by default)."),
        &[Lpr, Eoj],
    ),
    quantity(
        QuantityId::RehabilitationPlans,
        "rehabilitation_plans",
        Events,
        ("Genoptræningsplaner", "Rehabilitation plans"),
        ("genoptræningsplaner", "rehabilitation plans"),
        ("genoptræningsplan", "rehabilitation plan"),
        ("Sygehuskontakter, der begynder i året, hvor der er udarbejdet en genoptræningsplan.", "Hospital contacts starting in the year for which a rehabilitation plan was issued."),
        &[Lpr],
    ),
    quantity(
        QuantityId::Citizens65Plus,
        "citizens_65plus",
        Persons,
        ("Borgere på 65 år og derover", "Citizens aged 65 and over"),
        ("borgere på 65+ år", "citizens aged 65+"),
        ("borger på 65+ år", "citizen aged 65+"),
        ("Borgere (se borgere), der fylder 65 år eller mere i året.", "Citizens (see citizens) who reach the age of 65 or more in the year."),
        &[Cpr],
    ),
    quantity(
        QuantityId::PreventableAdmissions,
        "preventable_admissions",
        Events,
        ("Forebyggelige indlæggelser (65+ år)", "Preventable admissions (65+)"),
        ADMISSIONS,
        ADMISSION,
        ("Akutte indlæggelser af borgere på 65 år og derover, hvor aktionsdiagnosen på opholdets første kontakt er i en af de ni grupper (dehydrering, forstoppelse, nedre luftvejssygdom, blærebetændelse, mave-tarminfektion, knoglebrud, ernæringsbetinget blodmangel, sociale og plejemæssige forhold, tryksår; diagnosekoderne står under Om data). Tælles i året for indlæggelsens start.", "Acute admissions of citizens aged 65 and over whose stay's first contact has an action diagnosis in one of the nine groups (dehydration, constipation, lower respiratory disease, cystitis, gastroenteritis, fracture, nutritional anaemia, social and nursing circumstances, pressure ulcer; the diagnosis codes are under About the data). Counted in the year the admission starts."),
        &[Lpr, Cpr],
    ),
    quantity(
        QuantityId::PreventableDehydration,
        "preventable_dehydration",
        Events,
        ("Forebyggelige indlæggelser (65+ år): dehydrering", "Preventable admissions (65+): dehydration"),
        ADMISSIONS,
        ADMISSION,
        ("Forebyggelige indlæggelser (se dem) i gruppen dehydrering.", "Preventable admissions (see them) in the group dehydration."),
        &[Lpr, Cpr],
    ),
    quantity(
        QuantityId::PreventableConstipation,
        "preventable_constipation",
        Events,
        ("Forebyggelige indlæggelser (65+ år): forstoppelse", "Preventable admissions (65+): constipation"),
        ADMISSIONS,
        ADMISSION,
        ("Forebyggelige indlæggelser (se dem) i gruppen forstoppelse.", "Preventable admissions (see them) in the group constipation."),
        &[Lpr, Cpr],
    ),
    quantity(
        QuantityId::PreventableLowerRespiratory,
        "preventable_lower_respiratory",
        Events,
        ("Forebyggelige indlæggelser (65+ år): nedre luftvejssygdom", "Preventable admissions (65+): lower respiratory disease"),
        ADMISSIONS,
        ADMISSION,
        ("Forebyggelige indlæggelser (se dem) i gruppen nedre luftvejssygdom.", "Preventable admissions (see them) in the group lower respiratory disease."),
        &[Lpr, Cpr],
    ),
    quantity(
        QuantityId::PreventableCystitis,
        "preventable_cystitis",
        Events,
        ("Forebyggelige indlæggelser (65+ år): blærebetændelse", "Preventable admissions (65+): cystitis"),
        ADMISSIONS,
        ADMISSION,
        ("Forebyggelige indlæggelser (se dem) i gruppen blærebetændelse.", "Preventable admissions (see them) in the group cystitis."),
        &[Lpr, Cpr],
    ),
    quantity(
        QuantityId::PreventableGastroenteritis,
        "preventable_gastroenteritis",
        Events,
        ("Forebyggelige indlæggelser (65+ år): mave-tarminfektion", "Preventable admissions (65+): gastroenteritis"),
        ADMISSIONS,
        ADMISSION,
        ("Forebyggelige indlæggelser (se dem) i gruppen mave-tarminfektion.", "Preventable admissions (see them) in the group gastroenteritis."),
        &[Lpr, Cpr],
    ),
    quantity(
        QuantityId::PreventableFracture,
        "preventable_fracture",
        Events,
        ("Forebyggelige indlæggelser (65+ år): knoglebrud", "Preventable admissions (65+): fracture"),
        ADMISSIONS,
        ADMISSION,
        ("Forebyggelige indlæggelser (se dem) i gruppen knoglebrud.", "Preventable admissions (see them) in the group fracture."),
        &[Lpr, Cpr],
    ),
    quantity(
        QuantityId::PreventableNutritionalAnaemia,
        "preventable_nutritional_anaemia",
        Events,
        ("Forebyggelige indlæggelser (65+ år): ernæringsbetinget blodmangel", "Preventable admissions (65+): nutritional anaemia"),
        ADMISSIONS,
        ADMISSION,
        ("Forebyggelige indlæggelser (se dem) i gruppen ernæringsbetinget blodmangel.", "Preventable admissions (see them) in the group nutritional anaemia."),
        &[Lpr, Cpr],
    ),
    quantity(
        QuantityId::PreventableSocial,
        "preventable_social",
        Events,
        ("Forebyggelige indlæggelser (65+ år): sociale og plejemæssige forhold", "Preventable admissions (65+): social and nursing circumstances"),
        ADMISSIONS,
        ADMISSION,
        ("Forebyggelige indlæggelser (se dem) i gruppen sociale og plejemæssige forhold.", "Preventable admissions (see them) in the group social and nursing circumstances."),
        &[Lpr, Cpr],
    ),
    quantity(
        QuantityId::PreventablePressureUlcer,
        "preventable_pressure_ulcer",
        Events,
        ("Forebyggelige indlæggelser (65+ år): tryksår", "Preventable admissions (65+): pressure ulcer"),
        ADMISSIONS,
        ADMISSION,
        ("Forebyggelige indlæggelser (se dem) i gruppen tryksår.", "Preventable admissions (see them) in the group pressure ulcer."),
        &[Lpr, Cpr],
    ),
    quantity(
        QuantityId::CareHomeHelp,
        "care_home_help",
        Persons,
        ("Borgere med hjemmehjælp", "Citizens receiving home help"),
        PERSONS,
        PERSON,
        ("Årets borgere med praktisk hjælp eller personlig pleje (SEL § 83) i mindst én måned af året.", "The year's citizens with practical help or personal care (SEL § 83) in at least one month of the year."),
        &[Eoj],
    ),
    quantity(
        QuantityId::CareSel83Practical,
        "care_sel83_practical",
        Persons,
        ("Borgere med praktisk hjælp (SEL § 83)", "Citizens receiving practical help (SEL § 83)"),
        PERSONS,
        PERSON,
        ("Årets borgere med ydelsen i mindst én måned af året (EOJ/FSIII).", "The year's citizens with the service in at least one month of the year (EOJ/FSIII)."),
        &[Eoj],
    ),
    quantity(
        QuantityId::CareSel83Personal,
        "care_sel83_personal",
        Persons,
        ("Borgere med personlig pleje (SEL § 83)", "Citizens receiving personal care (SEL § 83)"),
        PERSONS,
        PERSON,
        ("Årets borgere med ydelsen i mindst én måned af året (EOJ/FSIII).", "The year's citizens with the service in at least one month of the year (EOJ/FSIII)."),
        &[Eoj],
    ),
    quantity(
        QuantityId::CareSel83a,
        "care_sel83a",
        Persons,
        ("Borgere i rehabiliteringsforløb (SEL § 83 a)", "Citizens in reablement (SEL § 83 a)"),
        PERSONS,
        PERSON,
        ("Årets borgere med ydelsen i mindst én måned af året (EOJ/FSIII).", "The year's citizens with the service in at least one month of the year (EOJ/FSIII)."),
        &[Eoj],
    ),
    quantity(
        QuantityId::CareSel86_1,
        "care_sel86_1",
        Persons,
        ("Borgere med genoptræning (SEL § 86, stk. 1)", "Citizens in rehabilitation training (SEL § 86(1))"),
        PERSONS,
        PERSON,
        ("Årets borgere med ydelsen i mindst én måned af året (EOJ/FSIII).", "The year's citizens with the service in at least one month of the year (EOJ/FSIII)."),
        &[Eoj],
    ),
    quantity(
        QuantityId::CareSel86_2,
        "care_sel86_2",
        Persons,
        ("Borgere med vedligeholdelsestræning (SEL § 86, stk. 2)", "Citizens in maintenance training (SEL § 86(2))"),
        PERSONS,
        PERSON,
        ("Årets borgere med ydelsen i mindst én måned af året (EOJ/FSIII).", "The year's citizens with the service in at least one month of the year (EOJ/FSIII)."),
        &[Eoj],
    ),
    quantity(
        QuantityId::CareSel79a,
        "care_sel79a",
        Persons,
        ("Borgere med forebyggende hjemmebesøg (SEL § 79 a)", "Citizens with preventive home visits (SEL § 79 a)"),
        PERSONS,
        PERSON,
        ("Årets borgere med ydelsen i mindst én måned af året (EOJ/FSIII).", "The year's citizens with the service in at least one month of the year (EOJ/FSIII)."),
        &[Eoj],
    ),
    quantity(
        QuantityId::CareSul138,
        "care_sul138",
        Persons,
        ("Borgere med hjemmesygepleje (SUL § 138)", "Citizens receiving home nursing (SUL § 138)"),
        PERSONS,
        PERSON,
        ("Årets borgere med ydelsen i mindst én måned af året (EOJ/FSIII).", "The year's citizens with the service in at least one month of the year (EOJ/FSIII)."),
        &[Eoj],
    ),
    quantity(
        QuantityId::CareSul140,
        "care_sul140",
        Persons,
        ("Borgere med genoptræning efter sygehus (SUL § 140)", "Citizens in rehabilitation after hospital (SUL § 140)"),
        PERSONS,
        PERSON,
        ("Årets borgere med ydelsen i mindst én måned af året (EOJ/FSIII).", "The year's citizens with the service in at least one month of the year (EOJ/FSIII)."),
        &[Eoj],
    ),
    quantity(
        QuantityId::CareRecipients,
        "care_recipients",
        Persons,
        ("Borgere med kommunale ydelser", "Citizens receiving municipal care"),
        ("borgere", "citizens"),
        ("borger", "citizen"),
        ("Årets borgere med mindst én af de kommunale ydelser (SEL §§ 83, 83 a, 86, 79 a, SUL §§ 138, 140) i mindst én måned af året (EOJ/FSIII).", "The year's citizens with at least one of the municipal services (SEL §§ 83, 83 a, 86, 79 a, SUL §§ 138, 140) in at least one month of the year (EOJ/FSIII)."),
        &[Eoj],
    ),
    quantity(
        QuantityId::SectorsNone,
        "sectors_none",
        Persons,
        ("Borgere uden kontakt til nogen sektor", "Citizens in contact with no sector"),
        ("borgere", "citizens"),
        ("borger", "citizen"),
        ("Årets borgere uden kontakt til nogen af de tre sektorer i året. Sektorerne er almen praksis (borgere med kontakt til almen praksis), sygehus (borgere med sygehuskontakt) og kommunen (borgere med kommunale ydelser), hver som defineret dér.", "The year's citizens in contact with none of the three sectors in the year. The sectors are general practice (citizens in contact with general practice), hospital (citizens in contact with a hospital) and the municipality (citizens receiving municipal care), each as defined there."),
        &[Ssr, Ydr, Lpr, Eoj, Cpr],
    ),
    quantity(
        QuantityId::SectorsGpOnly,
        "sectors_gp_only",
        Persons,
        ("Borgere med kontakt kun til almen praksis", "Citizens in contact with general practice only"),
        ("borgere", "citizens"),
        ("borger", "citizen"),
        ("Årets borgere med kontakt til almen praksis, men ikke til sygehus eller kommune i året. Sektorerne er almen praksis (borgere med kontakt til almen praksis), sygehus (borgere med sygehuskontakt) og kommunen (borgere med kommunale ydelser), hver som defineret dér.", "The year's citizens in contact with general practice, but not with a hospital or the municipality in the year. The sectors are general practice (citizens in contact with general practice), hospital (citizens in contact with a hospital) and the municipality (citizens receiving municipal care), each as defined there."),
        &[Ssr, Ydr, Lpr, Eoj, Cpr],
    ),
    quantity(
        QuantityId::SectorsHospitalOnly,
        "sectors_hospital_only",
        Persons,
        ("Borgere med kontakt kun til sygehus", "Citizens in contact with a hospital only"),
        ("borgere", "citizens"),
        ("borger", "citizen"),
        ("Årets borgere med sygehuskontakt, men ikke kontakt til almen praksis eller kommune i året. Sektorerne er almen praksis (borgere med kontakt til almen praksis), sygehus (borgere med sygehuskontakt) og kommunen (borgere med kommunale ydelser), hver som defineret dér.", "The year's citizens in contact with a hospital, but not with general practice or the municipality in the year. The sectors are general practice (citizens in contact with general practice), hospital (citizens in contact with a hospital) and the municipality (citizens receiving municipal care), each as defined there."),
        &[Ssr, Ydr, Lpr, Eoj, Cpr],
    ),
    quantity(
        QuantityId::SectorsCareOnly,
        "sectors_care_only",
        Persons,
        ("Borgere med kontakt kun til kommunen", "Citizens in contact with the municipality only"),
        ("borgere", "citizens"),
        ("borger", "citizen"),
        ("Årets borgere med kommunale ydelser, men ikke kontakt til almen praksis eller sygehus i året. Sektorerne er almen praksis (borgere med kontakt til almen praksis), sygehus (borgere med sygehuskontakt) og kommunen (borgere med kommunale ydelser), hver som defineret dér.", "The year's citizens receiving municipal care, but not in contact with general practice or a hospital in the year. The sectors are general practice (citizens in contact with general practice), hospital (citizens in contact with a hospital) and the municipality (citizens receiving municipal care), each as defined there."),
        &[Ssr, Ydr, Lpr, Eoj, Cpr],
    ),
    quantity(
        QuantityId::SectorsGpHospital,
        "sectors_gp_hospital",
        Persons,
        ("Borgere med kontakt til almen praksis og sygehus", "Citizens in contact with general practice and a hospital"),
        ("borgere", "citizens"),
        ("borger", "citizen"),
        ("Årets borgere med kontakt til almen praksis og sygehus, men ikke til kommunen i året. Sektorerne er almen praksis (borgere med kontakt til almen praksis), sygehus (borgere med sygehuskontakt) og kommunen (borgere med kommunale ydelser), hver som defineret dér.", "The year's citizens in contact with general practice and a hospital, but not with the municipality in the year. The sectors are general practice (citizens in contact with general practice), hospital (citizens in contact with a hospital) and the municipality (citizens receiving municipal care), each as defined there."),
        &[Ssr, Ydr, Lpr, Eoj, Cpr],
    ),
    quantity(
        QuantityId::SectorsGpCare,
        "sectors_gp_care",
        Persons,
        ("Borgere med kontakt til almen praksis og kommune", "Citizens in contact with general practice and the municipality"),
        ("borgere", "citizens"),
        ("borger", "citizen"),
        ("Årets borgere med kontakt til almen praksis og kommunale ydelser, men ikke sygehuskontakt i året. Sektorerne er almen praksis (borgere med kontakt til almen praksis), sygehus (borgere med sygehuskontakt) og kommunen (borgere med kommunale ydelser), hver som defineret dér.", "The year's citizens in contact with general practice and receiving municipal care, but not in contact with a hospital in the year. The sectors are general practice (citizens in contact with general practice), hospital (citizens in contact with a hospital) and the municipality (citizens receiving municipal care), each as defined there."),
        &[Ssr, Ydr, Lpr, Eoj, Cpr],
    ),
    quantity(
        QuantityId::SectorsHospitalCare,
        "sectors_hospital_care",
        Persons,
        ("Borgere med kontakt til sygehus og kommune", "Citizens in contact with a hospital and the municipality"),
        ("borgere", "citizens"),
        ("borger", "citizen"),
        ("Årets borgere med sygehuskontakt og kommunale ydelser, men ikke kontakt til almen praksis i året. Sektorerne er almen praksis (borgere med kontakt til almen praksis), sygehus (borgere med sygehuskontakt) og kommunen (borgere med kommunale ydelser), hver som defineret dér.", "The year's citizens in contact with a hospital and receiving municipal care, but not in contact with general practice in the year. The sectors are general practice (citizens in contact with general practice), hospital (citizens in contact with a hospital) and the municipality (citizens receiving municipal care), each as defined there."),
        &[Ssr, Ydr, Lpr, Eoj, Cpr],
    ),
    quantity(
        QuantityId::SectorsAll,
        "sectors_all",
        Persons,
        ("Borgere med kontakt til alle tre sektorer", "Citizens in contact with all three sectors"),
        ("borgere", "citizens"),
        ("borger", "citizen"),
        ("Årets borgere med kontakt til almen praksis, sygehus og kommune i året. Sektorerne er almen praksis (borgere med kontakt til almen praksis), sygehus (borgere med sygehuskontakt) og kommunen (borgere med kommunale ydelser), hver som defineret dér.", "The year's citizens in contact with general practice, a hospital and the municipality in the year. The sectors are general practice (citizens in contact with general practice), hospital (citizens in contact with a hospital) and the municipality (citizens receiving municipal care), each as defined there."),
        &[Ssr, Ydr, Lpr, Eoj, Cpr],
    ),
    quantity(
        QuantityId::SectorsTwoPlus,
        "sectors_two_plus",
        Persons,
        ("Borgere med kontakt til flere sektorer", "Citizens in contact with several sectors"),
        ("borgere", "citizens"),
        ("borger", "citizen"),
        ("Årets borgere med kontakt til mindst to af de tre sektorer i året. Sektorerne er almen praksis (borgere med kontakt til almen praksis), sygehus (borgere med sygehuskontakt) og kommunen (borgere med kommunale ydelser), hver som defineret dér.", "The year's citizens in contact with at least two of the three sectors in the year. The sectors are general practice (citizens in contact with general practice), hospital (citizens in contact with a hospital) and the municipality (citizens receiving municipal care), each as defined there."),
        &[Ssr, Ydr, Lpr, Eoj, Cpr],
    ),
    quantity(
        QuantityId::OpioidPatients,
        "opioid_patients",
        Persons,
        ("Patienter, der har indløst opioider", "Patients who redeemed opioids"),
        ("patienter", "patients"),
        ("patient", "patient"),
        ("Årets tilmeldte patienter (se tilmeldte patienter; talt i samme praksis), der i året har indløst mindst én recept på opioider (N02A) efter Lægemiddelstatistikregistret.", "The year's listed patients (see listed patients; counted at the same practice) who redeemed at least one prescription of opioids (N02A) in the year, according to the prescription register."),
        &[Lsr, Cpr, PatientList, Ydr],
    ),
    quantity(
        QuantityId::OpioidDdd,
        "opioid_ddd",
        Events,
        ("DDD af opioider", "DDD of opioids"),
        ("DDD", "DDD"),
        ("DDD", "DDD"),
        ("Definerede døgndoser (DDD) af opioider (N02A), som årets tilmeldte patienter har indløst i året, talt i patientens praksis: indløsningernes DDD lagt sammen i tusindedele og afrundet til hele DDD pr. celle (halve op). DDD-tabellen er illustrativ (WHO's tabel må ikke videregives).", "Defined daily doses (DDD) of opioids (N02A) redeemed in the year by the year's listed patients, counted at the patient's practice: the redemptions' DDD summed in thousandths and rounded to whole DDD per cell (halves up). The DDD table is illustrative (WHO's table may not be redistributed)."),
        &[Lsr, Cpr, PatientList, Ydr],
    ),
    quantity(
        QuantityId::SedativePatients,
        "sedative_patients",
        Persons,
        ("Patienter, der har indløst sovemidler og beroligende midler", "Patients who redeemed sedatives and hypnotics"),
        ("patienter", "patients"),
        ("patient", "patient"),
        ("Årets tilmeldte patienter (se tilmeldte patienter; talt i samme praksis), der i året har indløst mindst én recept på benzodiazepiner (N05BA, N05CD) eller Z-præparater (N05CF) efter Lægemiddelstatistikregistret.", "The year's listed patients (see listed patients; counted at the same practice) who redeemed at least one prescription of benzodiazepines (N05BA, N05CD) or Z-drugs (N05CF) in the year, according to the prescription register."),
        &[Lsr, Cpr, PatientList, Ydr],
    ),
    quantity(
        QuantityId::SedativeDdd,
        "sedative_ddd",
        Events,
        ("DDD af sovemidler og beroligende midler", "DDD of sedatives and hypnotics"),
        ("DDD", "DDD"),
        ("DDD", "DDD"),
        ("Definerede døgndoser (DDD) af benzodiazepiner (N05BA, N05CD) eller Z-præparater (N05CF), som årets tilmeldte patienter har indløst i året, talt i patientens praksis: indløsningernes DDD lagt sammen i tusindedele og afrundet til hele DDD pr. celle (halve op). DDD-tabellen er illustrativ (WHO's tabel må ikke videregives).", "Defined daily doses (DDD) of benzodiazepines (N05BA, N05CD) or Z-drugs (N05CF) redeemed in the year by the year's listed patients, counted at the patient's practice: the redemptions' DDD summed in thousandths and rounded to whole DDD per cell (halves up). The DDD table is illustrative (WHO's table may not be redistributed)."),
        &[Lsr, Cpr, PatientList, Ydr],
    ),
    quantity(
        QuantityId::AntipsychoticPatients,
        "antipsychotic_patients",
        Persons,
        ("Patienter, der har indløst antipsykotika", "Patients who redeemed antipsychotics"),
        ("patienter", "patients"),
        ("patient", "patient"),
        ("Årets tilmeldte patienter (se tilmeldte patienter; talt i samme praksis), der i året har indløst mindst én recept på antipsykotika (N05A, undtagen lithium N05AN01) efter Lægemiddelstatistikregistret.", "The year's listed patients (see listed patients; counted at the same practice) who redeemed at least one prescription of antipsychotics (N05A, lithium N05AN01 excepted) in the year, according to the prescription register."),
        &[Lsr, Cpr, PatientList, Ydr],
    ),
    quantity(
        QuantityId::AntipsychoticDdd,
        "antipsychotic_ddd",
        Events,
        ("DDD af antipsykotika", "DDD of antipsychotics"),
        ("DDD", "DDD"),
        ("DDD", "DDD"),
        ("Definerede døgndoser (DDD) af antipsykotika (N05A, undtagen lithium N05AN01), som årets tilmeldte patienter har indløst i året, talt i patientens praksis: indløsningernes DDD lagt sammen i tusindedele og afrundet til hele DDD pr. celle (halve op). DDD-tabellen er illustrativ (WHO's tabel må ikke videregives).", "Defined daily doses (DDD) of antipsychotics (N05A, lithium N05AN01 excepted) redeemed in the year by the year's listed patients, counted at the patient's practice: the redemptions' DDD summed in thousandths and rounded to whole DDD per cell (halves up). The DDD table is illustrative (WHO's table may not be redistributed)."),
        &[Lsr, Cpr, PatientList, Ydr],
    ),
    quantity(
        QuantityId::StimulantPatients,
        "stimulant_patients",
        Persons,
        ("Patienter, der har indløst centralstimulerende midler", "Patients who redeemed central stimulants"),
        ("patienter", "patients"),
        ("patient", "patient"),
        ("Årets tilmeldte patienter (se tilmeldte patienter; talt i samme praksis), der i året har indløst mindst én recept på centralstimulerende midler (N06B) efter Lægemiddelstatistikregistret.", "The year's listed patients (see listed patients; counted at the same practice) who redeemed at least one prescription of central stimulants (N06B) in the year, according to the prescription register."),
        &[Lsr, Cpr, PatientList, Ydr],
    ),
    quantity(
        QuantityId::StimulantDdd,
        "stimulant_ddd",
        Events,
        ("DDD af centralstimulerende midler", "DDD of central stimulants"),
        ("DDD", "DDD"),
        ("DDD", "DDD"),
        ("Definerede døgndoser (DDD) af centralstimulerende midler (N06B), som årets tilmeldte patienter har indløst i året, talt i patientens praksis: indløsningernes DDD lagt sammen i tusindedele og afrundet til hele DDD pr. celle (halve op). DDD-tabellen er illustrativ (WHO's tabel må ikke videregives).", "Defined daily doses (DDD) of central stimulants (N06B) redeemed in the year by the year's listed patients, counted at the patient's practice: the redemptions' DDD summed in thousandths and rounded to whole DDD per cell (halves up). The DDD table is illustrative (WHO's table may not be redistributed)."),
        &[Lsr, Cpr, PatientList, Ydr],
    ),
    quantity(
        QuantityId::AntidepressantPatients,
        "antidepressant_patients",
        Persons,
        ("Patienter, der har indløst antidepressiva", "Patients who redeemed antidepressants"),
        ("patienter", "patients"),
        ("patient", "patient"),
        ("Årets tilmeldte patienter (se tilmeldte patienter; talt i samme praksis), der i året har indløst mindst én recept på antidepressiva (N06A) efter Lægemiddelstatistikregistret.", "The year's listed patients (see listed patients; counted at the same practice) who redeemed at least one prescription of antidepressants (N06A) in the year, according to the prescription register."),
        &[Lsr, Cpr, PatientList, Ydr],
    ),
    quantity(
        QuantityId::AntidepressantDdd,
        "antidepressant_ddd",
        Events,
        ("DDD af antidepressiva", "DDD of antidepressants"),
        ("DDD", "DDD"),
        ("DDD", "DDD"),
        ("Definerede døgndoser (DDD) af antidepressiva (N06A), som årets tilmeldte patienter har indløst i året, talt i patientens praksis: indløsningernes DDD lagt sammen i tusindedele og afrundet til hele DDD pr. celle (halve op). DDD-tabellen er illustrativ (WHO's tabel må ikke videregives).", "Defined daily doses (DDD) of antidepressants (N06A) redeemed in the year by the year's listed patients, counted at the patient's practice: the redemptions' DDD summed in thousandths and rounded to whole DDD per cell (halves up). The DDD table is illustrative (WHO's table may not be redistributed)."),
        &[Lsr, Cpr, PatientList, Ydr],
    ),
    quantity(
        QuantityId::RxPatients,
        "rx_patients",
        Persons,
        ("Patienter", "Patients"),
        ("patienter", "patients"),
        ("patient", "patient"),
        ("Årets tilmeldte patienter (talt i deres praksis), der i året har indløst lægemidlet: i en lægemiddelgruppe, et lægemiddel (ATC-niveau 5), et produkt eller produkter med en egenskab, og i en pakningsstørrelse. Forbrugsgruppen er patientens DDD i gruppen i året; behandlingen er fortsat, når patienten også indløste i gruppen året før.", "The year's listed patients (counted at their practice) who redeemed the medicine in the year: in a drug group, a drug (ATC level 5), a product or products with an attribute, and in a package size. The consumption group is the patient's DDD in the group in the year; treatment is continued when the patient also redeemed in the group the year before."),
        &[Lsr, Cpr, PatientList, Ydr],
    ),
    quantity(
        QuantityId::RxPackages,
        "rx_packages",
        Events,
        ("Indløste pakninger", "Packages redeemed"),
        ("pakninger", "packages"),
        ("pakning", "package"),
        ("Pakninger af lægemidlet, som årets tilmeldte patienter har indløst i året, talt i patientens praksis.", "Packages of the medicine redeemed in the year by the year's listed patients, counted at the patient's practice."),
        &[Lsr, Cpr, PatientList, Ydr],
    ),
    quantity(
        QuantityId::RxDdd,
        "rx_ddd",
        Events,
        ("DDD", "DDD"),
        ("DDD", "DDD"),
        ("DDD", "DDD"),
        ("Definerede døgndoser af lægemidlet, som årets tilmeldte patienter har indløst i året, talt i patientens praksis, lagt sammen i tusindedele og afrundet til hele DDD pr. celle (halve op). DDD-tabellen er illustrativ.", "Defined daily doses of the medicine redeemed in the year by the year's listed patients, counted at the patient's practice, summed in thousandths and rounded to whole DDD per cell (halves up). The DDD table is illustrative."),
        &[Lsr, Cpr, PatientList, Ydr],
    ),
];

impl QuantityId {
    /// The catalogue entry.
    pub fn def(self) -> &'static Quantity {
        QUANTITIES
            .iter()
            .find(|q| q.id == self)
            .expect("every QuantityId has a catalogue entry")
    }
}

/// How a measure's numerator is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Scale {
    /// The summed numerator itself.
    #[serde(rename = "count")]
    Count,
    /// Numerator per 1,000 of the denominator.
    #[serde(rename = "per_1000")]
    PerThousand,
    /// Numerator as a percentage of the denominator.
    #[serde(rename = "percent")]
    Percent,
    /// Numerator divided by the denominator.
    #[serde(rename = "mean")]
    Mean,
}

impl Scale {
    /// Every scale.
    pub const ALL: [Scale; 4] = [
        Scale::Count,
        Scale::PerThousand,
        Scale::Percent,
        Scale::Mean,
    ];

    /// Stable key, used in URLs and the API.
    pub fn key(self) -> &'static str {
        match self {
            Scale::Count => "count",
            Scale::PerThousand => "per_1000",
            Scale::Percent => "percent",
            Scale::Mean => "mean",
        }
    }

    /// Looks a scale up by key.
    pub fn from_key(key: &str) -> Option<Scale> {
        Scale::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The factor a ratio is multiplied by.
    pub fn factor(self) -> f64 {
        match self {
            Scale::Count | Scale::Mean => 1.0,
            Scale::PerThousand => 1000.0,
            Scale::Percent => 100.0,
        }
    }

    /// Label, for the scale switch.
    pub fn label(self) -> Text {
        match self {
            Scale::Count => Text {
                da: "Antal",
                en: "Number",
            },
            Scale::PerThousand => Text {
                da: "Pr. 1.000",
                en: "Per 1,000",
            },
            Scale::Percent => Text {
                da: "Andel (%)",
                en: "Share (%)",
            },
            Scale::Mean => Text {
                da: "Gennemsnit",
                en: "Mean",
            },
        }
    }

    /// Decimals shown.
    pub fn decimals(self) -> usize {
        match self {
            Scale::Count => 0,
            Scale::PerThousand | Scale::Percent | Scale::Mean => 1,
        }
    }
}

/// A measure of the catalogue.
/// The measure the portal shows when the address names none (the
/// server preloads its tile for the front page).
pub const DEFAULT_MEASURE: MeasureId = MeasureId::GpContacts;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum MeasureId {
    Citizens,
    GpContacts,
    GpConsultations,
    GpPhone,
    GpEmail,
    GpVideo,
    GpOtherInPerson,
    GpHomeVisits,
    GpPatients,
    HospitalContacts,
    HospitalPatients,
    Stays,
    Admissions,
    OutpatientStays,
    BedDays,
    MeanLengthOfStay,
    AdmissionsAcute,
    AdmissionsPlanned,
    AdmissionsSomatic,
    AdmissionsPsychiatric,
    AdmissionsBoth,
    ReadmissionRate,
    ReadmissionRateSomatic,
    ReadmissionRatePsychiatric,
    /// Share of admissions preceded by a contact with general practice.
    AdmissionsPriorGpShare,
    /// Share of admissions preceded by municipal care.
    AdmissionsPriorCareShare,
    RehabilitationPlans,
    PreventableAdmissions,
    PreventableDehydration,
    PreventableConstipation,
    PreventableLowerRespiratory,
    PreventableCystitis,
    PreventableGastroenteritis,
    PreventableFracture,
    PreventableNutritionalAnaemia,
    PreventableSocial,
    PreventablePressureUlcer,
    CareHomeHelp,
    CareSel83Practical,
    CareSel83Personal,
    CareSel83a,
    CareSel86_1,
    CareSel86_2,
    CareSel79a,
    CareSul138,
    CareSul140,
    CareRecipients,
    SectorsNone,
    SectorsGpOnly,
    SectorsHospitalOnly,
    SectorsCareOnly,
    SectorsGpHospital,
    SectorsGpCare,
    SectorsHospitalCare,
    SectorsAll,
    SectorsTwoPlus,
    OpioidPatients,
    OpioidDdd,
    SedativePatients,
    SedativeDdd,
    AntipsychoticPatients,
    AntipsychoticDdd,
    StimulantPatients,
    StimulantDdd,
    AntidepressantPatients,
    AntidepressantDdd,
}

/// The definition of a measure.
#[derive(Clone, Copy, Debug)]
pub struct Measure {
    /// Identifier.
    pub id: MeasureId,
    /// Stable key, used in URLs and the API.
    pub key: &'static str,
    /// The theme it is shown under.
    pub theme: Theme,
    /// The summed quantity on top of the fraction.
    pub numerator: QuantityId,
    /// The summed quantity below it, for every scale but [`Scale::Count`].
    pub denominator: Option<QuantityId>,
    /// The scales that make sense, the default first.
    pub scales: &'static [Scale],
    /// Label and description when they are not the numerator's.
    own: Option<(Text, Text)>,
}

/// Events: per 1,000 citizens, or the count.
const RATE: &[Scale] = &[Scale::PerThousand, Scale::Count];
/// Persons: share of the citizens, or the count.
const SHARE: &[Scale] = &[Scale::Percent, Scale::Count];

/// A measure that is its numerator on the given scales, over citizens.
const fn of(
    id: MeasureId,
    key: &'static str,
    theme: Theme,
    numerator: QuantityId,
    scales: &'static [Scale],
) -> Measure {
    Measure {
        id,
        key,
        theme,
        numerator,
        denominator: Some(QuantityId::Citizens),
        scales,
        own: None,
    }
}

/// Patients of a drug group: per 1,000 listed patients (as Ordiprax
/// shows them), the share, or the count.
const LISTED_SHARE: &[Scale] = &[Scale::PerThousand, Scale::Percent, Scale::Count];
/// DDD of a drug group: per 1,000 listed patients, or the count.
const LISTED_RATE: &[Scale] = &[Scale::PerThousand, Scale::Count];

/// A measure of the medicines theme: its numerator over the practices'
/// listed patients.
const fn listed(
    id: MeasureId,
    key: &'static str,
    numerator: QuantityId,
    scales: &'static [Scale],
) -> Measure {
    Measure {
        id,
        key,
        theme: Theme::Medicines,
        numerator,
        denominator: Some(QuantityId::ListedPatients),
        scales,
        own: None,
    }
}

/// A ratio with its own label and description.
const fn ratio(
    id: MeasureId,
    key: &'static str,
    theme: Theme,
    (numerator, denominator): (QuantityId, QuantityId),
    scales: &'static [Scale],
    label: Da,
    description: Da,
) -> Measure {
    Measure {
        id,
        key,
        theme,
        numerator,
        denominator: Some(denominator),
        scales,
        own: Some((text(label), text(description))),
    }
}

/// A hospital measure of citizens 65+, per 1,000 of them or the count.
const fn per_elderly(id: MeasureId, key: &'static str, numerator: QuantityId) -> Measure {
    Measure {
        id,
        key,
        theme: Theme::Hospital,
        numerator,
        denominator: Some(QuantityId::Citizens65Plus),
        scales: RATE,
        own: None,
    }
}

use MeasureId as M;
use QuantityId as Q;
use Theme::{CrossSector as Cross, GeneralPractice as Gp, Hospital as Hosp, MunicipalCare as Care};

/// Every measure, in catalogue order.
pub const MEASURES: &[Measure] = &[
    Measure {
        id: M::Citizens,
        key: "citizens",
        theme: Theme::Population,
        numerator: Q::Citizens,
        denominator: None,
        scales: &[Scale::Count],
        own: None,
    },
    of(M::GpContacts, "gp_contacts", Gp, Q::GpContacts, RATE),
    of(M::GpConsultations, "gp_consultations", Gp, Q::GpConsultations, RATE),
    of(M::GpPhone, "gp_phone", Gp, Q::GpPhone, RATE),
    of(M::GpEmail, "gp_email", Gp, Q::GpEmail, RATE),
    of(M::GpVideo, "gp_video", Gp, Q::GpVideo, RATE),
    of(M::GpOtherInPerson, "gp_other_in_person", Gp, Q::GpOtherInPerson, RATE),
    of(M::GpHomeVisits, "gp_home_visits", Gp, Q::GpHomeVisits, RATE),
    of(M::GpPatients, "gp_patients", Gp, Q::GpPatients, SHARE),
    of(M::HospitalContacts, "hospital_contacts", Hosp, Q::HospitalContacts, RATE),
    of(M::HospitalPatients, "hospital_patients", Hosp, Q::HospitalPatients, SHARE),
    of(M::Stays, "stays", Hosp, Q::Stays, RATE),
    of(M::Admissions, "admissions", Hosp, Q::Admissions, RATE),
    of(M::OutpatientStays, "outpatient_stays", Hosp, Q::OutpatientStays, RATE),
    of(M::BedDays, "bed_days", Hosp, Q::BedDays, RATE),
    ratio(
        M::MeanLengthOfStay,
        "mean_length_of_stay",
        Hosp,
        (Q::BedDays, Q::Admissions),
        &[Scale::Mean],
        ("Gennemsnitlig liggetid", "Mean length of stay"),
        ("Sengedage pr. indlæggelse: kalenderdage fra indlæggelsesdato til udskrivningsdato, summeret over indlæggelserne og delt med deres antal.", "Bed days per admission: calendar days from the date of admission to the date of discharge, summed over the admissions and divided by their number."),
    ),
    of(M::AdmissionsAcute, "admissions_acute", Hosp, Q::AdmissionsAcute, RATE),
    of(M::AdmissionsPlanned, "admissions_planned", Hosp, Q::AdmissionsPlanned, RATE),
    of(M::AdmissionsSomatic, "admissions_somatic", Hosp, Q::AdmissionsSomatic, RATE),
    of(M::AdmissionsPsychiatric, "admissions_psychiatric", Hosp, Q::AdmissionsPsychiatric, RATE),
    of(M::AdmissionsBoth, "admissions_both", Hosp, Q::AdmissionsBoth, RATE),
    ratio(
        M::ReadmissionRate,
        "readmission_rate",
        Hosp,
        (Q::Readmissions, Q::Admissions),
        SHARE,
        ("Akutte genindlæggelser", "Acute readmissions"),
        ("Andel af indlæggelserne, hvor samme borger indlægges akut igen senest 30 døgn efter udskrivningen.", "Share of admissions after which the same citizen is admitted acutely again within 30 days of discharge."),
    ),
    ratio(
        M::ReadmissionRateSomatic,
        "readmission_rate_somatic",
        Hosp,
        (Q::ReadmissionsSomatic, Q::AdmissionsSomatic),
        SHARE,
        ("Akutte somatiske genindlæggelser", "Acute somatic readmissions"),
        ("Andel af de somatiske indlæggelser, hvor samme borger indlægges akut somatisk igen senest 30 døgn efter udskrivningen.", "Share of somatic admissions after which the same citizen is admitted acutely to somatic care again within 30 days of discharge."),
    ),
    ratio(
        M::ReadmissionRatePsychiatric,
        "readmission_rate_psychiatric",
        Hosp,
        (Q::ReadmissionsPsychiatric, Q::AdmissionsPsychiatric),
        SHARE,
        ("Akutte psykiatriske genindlæggelser", "Acute psychiatric readmissions"),
        ("Andel af de psykiatriske indlæggelser, hvor samme borger indlægges akut psykiatrisk igen senest 30 døgn efter udskrivningen.", "Share of psychiatric admissions after which the same citizen is admitted acutely to psychiatric care again within 30 days of discharge."),
    ),
    ratio(
        M::AdmissionsPriorGpShare,
        "admissions_prior_gp_share",
        Hosp,
        (Q::AdmissionsPriorGp, Q::Admissions),
        SHARE,
        ("Indlæggelser med forudgående kontakt til almen praksis", "Admissions preceded by a contact with general practice"),
        ("Andel af indlæggelserne, hvor borgeren havde kontakt med almen praksis på indlæggelsesdagen eller inden for vinduet før (standard 30 dage).", "Share of admissions where the citizen had a contact with general practice on the day of admission or within the window before it (30 days by default)."),
    ),
    ratio(
        M::AdmissionsPriorCareShare,
        "admissions_prior_care_share",
        Hosp,
        (Q::AdmissionsPriorCare, Q::Admissions),
        SHARE,
        ("Indlæggelser med forudgående kommunal indsats", "Admissions preceded by municipal care"),
        ("Andel af indlæggelserne, hvor borgeren modtog en kommunal ydelse i en måned, der overlapper indlæggelsesdagen eller vinduet før den (standard 30 dage).", "Share of admissions where the citizen received a municipal service in a month overlapping the day of admission or the window before it (30 days by default)."),
    ),
    of(M::RehabilitationPlans, "rehabilitation_plans", Hosp, Q::RehabilitationPlans, RATE),
    per_elderly(M::PreventableAdmissions, "preventable_admissions", Q::PreventableAdmissions),
    per_elderly(M::PreventableDehydration, "preventable_dehydration", Q::PreventableDehydration),
    per_elderly(M::PreventableConstipation, "preventable_constipation", Q::PreventableConstipation),
    per_elderly(M::PreventableLowerRespiratory, "preventable_lower_respiratory", Q::PreventableLowerRespiratory),
    per_elderly(M::PreventableCystitis, "preventable_cystitis", Q::PreventableCystitis),
    per_elderly(M::PreventableGastroenteritis, "preventable_gastroenteritis", Q::PreventableGastroenteritis),
    per_elderly(M::PreventableFracture, "preventable_fracture", Q::PreventableFracture),
    per_elderly(M::PreventableNutritionalAnaemia, "preventable_nutritional_anaemia", Q::PreventableNutritionalAnaemia),
    per_elderly(M::PreventableSocial, "preventable_social", Q::PreventableSocial),
    per_elderly(M::PreventablePressureUlcer, "preventable_pressure_ulcer", Q::PreventablePressureUlcer),
    of(M::CareHomeHelp, "care_home_help", Care, Q::CareHomeHelp, SHARE),
    of(M::CareSel83Practical, "care_sel83_practical", Care, Q::CareSel83Practical, SHARE),
    of(M::CareSel83Personal, "care_sel83_personal", Care, Q::CareSel83Personal, SHARE),
    of(M::CareSel83a, "care_sel83a", Care, Q::CareSel83a, SHARE),
    of(M::CareSel86_1, "care_sel86_1", Care, Q::CareSel86_1, SHARE),
    of(M::CareSel86_2, "care_sel86_2", Care, Q::CareSel86_2, SHARE),
    of(M::CareSel79a, "care_sel79a", Care, Q::CareSel79a, SHARE),
    of(M::CareSul138, "care_sul138", Care, Q::CareSul138, SHARE),
    of(M::CareSul140, "care_sul140", Care, Q::CareSul140, SHARE),
    of(M::CareRecipients, "care_recipients", Care, Q::CareRecipients, SHARE),
    of(M::SectorsNone, "sectors_none", Cross, Q::SectorsNone, SHARE),
    of(M::SectorsGpOnly, "sectors_gp_only", Cross, Q::SectorsGpOnly, SHARE),
    of(M::SectorsHospitalOnly, "sectors_hospital_only", Cross, Q::SectorsHospitalOnly, SHARE),
    of(M::SectorsCareOnly, "sectors_care_only", Cross, Q::SectorsCareOnly, SHARE),
    of(M::SectorsGpHospital, "sectors_gp_hospital", Cross, Q::SectorsGpHospital, SHARE),
    of(M::SectorsGpCare, "sectors_gp_care", Cross, Q::SectorsGpCare, SHARE),
    of(M::SectorsHospitalCare, "sectors_hospital_care", Cross, Q::SectorsHospitalCare, SHARE),
    of(M::SectorsAll, "sectors_all", Cross, Q::SectorsAll, SHARE),
    of(M::SectorsTwoPlus, "sectors_two_plus", Cross, Q::SectorsTwoPlus, SHARE),
    listed(M::OpioidPatients, "opioid_patients", Q::OpioidPatients, LISTED_SHARE),
    listed(M::OpioidDdd, "opioid_ddd", Q::OpioidDdd, LISTED_RATE),
    listed(M::SedativePatients, "sedative_patients", Q::SedativePatients, LISTED_SHARE),
    listed(M::SedativeDdd, "sedative_ddd", Q::SedativeDdd, LISTED_RATE),
    listed(M::AntipsychoticPatients, "antipsychotic_patients", Q::AntipsychoticPatients, LISTED_SHARE),
    listed(M::AntipsychoticDdd, "antipsychotic_ddd", Q::AntipsychoticDdd, LISTED_RATE),
    listed(M::StimulantPatients, "stimulant_patients", Q::StimulantPatients, LISTED_SHARE),
    listed(M::StimulantDdd, "stimulant_ddd", Q::StimulantDdd, LISTED_RATE),
    listed(M::AntidepressantPatients, "antidepressant_patients", Q::AntidepressantPatients, LISTED_SHARE),
    listed(M::AntidepressantDdd, "antidepressant_ddd", Q::AntidepressantDdd, LISTED_RATE),
];

impl MeasureId {
    /// The catalogue entry.
    pub fn def(self) -> &'static Measure {
        MEASURES
            .iter()
            .find(|m| m.id == self)
            .expect("every MeasureId has a catalogue entry")
    }

    /// Looks a measure up by its stable key.
    pub fn from_key(key: &str) -> Option<MeasureId> {
        MEASURES.iter().find(|m| m.key == key).map(|m| m.id)
    }
}

impl Measure {
    /// Label.
    pub fn label(&self) -> Text {
        self.own
            .map_or(self.numerator.def().label, |(label, _)| label)
    }

    /// What the measure means, for "Om data".
    pub fn description(&self) -> Text {
        self.own
            .map_or(self.numerator.def().derivation, |(_, description)| {
                description
            })
    }

    /// The default scale.
    pub fn default_scale(&self) -> Scale {
        self.scales[0]
    }

    /// `scale` if this measure offers it, else the default.
    pub fn scale_or_default(&self, scale: Option<Scale>) -> Scale {
        scale
            .filter(|s| self.scales.contains(s))
            .unwrap_or(self.default_scale())
    }

    /// The quantities `scale` reads, numerator first.
    pub fn quantities(&self, scale: Scale) -> Vec<QuantityId> {
        let mut q = vec![self.numerator];
        if scale != Scale::Count {
            q.extend(self.denominator);
        }
        q
    }

    /// The tile family holding this measure's quantities.
    pub fn family(&self) -> &'static TileFamily {
        TILE_FAMILIES
            .iter()
            .find(|f| {
                f.quantities.contains(&self.numerator)
                    && self.denominator.is_none_or(|d| f.quantities.contains(&d))
            })
            .expect("every measure's quantities share a tile family")
    }

    /// Whether the measure's tile places citizens by residence (so it can
    /// be shown by municipality, region and health cluster); the
    /// medicines measures are by practice instead.
    pub fn by_residence(&self) -> bool {
        self.family()
            .keys
            .contains(&crate::dimension::DimensionId::Municipality)
    }

    /// How the measure's count varies by chance, for funnel plots and
    /// confidence intervals: persons among persons are binomial, events
    /// (DDD too, as counts) in persons Poisson; `None` for a measure
    /// without a denominator.
    pub fn model(&self) -> Option<crate::funnel::Model> {
        use crate::funnel::Model;
        let denominator = self.denominator?.def();
        match (self.numerator.def().counted, denominator.counted) {
            (Counted::Persons, Counted::Persons) => Some(Model::Binomial),
            _ => Some(Model::Poisson),
        }
    }

    /// The value on `scale` from summed numerator and denominator. `None`
    /// when a ratio has an empty denominator.
    pub fn evaluate(&self, scale: Scale, numerator: u64, denominator: Option<u64>) -> Option<f64> {
        match (scale, denominator) {
            (Scale::Count, _) => Some(numerator as f64),
            (_, Some(d)) if d > 0 => Some(numerator as f64 / d as f64 * scale.factor()),
            (_, _) => None,
        }
    }

    /// The unit shown after values on `scale`, e.g. "pr. 1.000 borgere".
    pub fn unit(&self, scale: Scale, lang: Lang) -> String {
        let num = self.numerator.def();
        let den = self.denominator.map(|d| d.def());
        match (scale, den, lang) {
            (Scale::Count, _, _) | (_, None, _) => num.unit.get(lang).to_string(),
            (Scale::PerThousand, Some(d), Lang::Da) => format!("pr. 1.000 {}", d.unit.da),
            (Scale::PerThousand, Some(d), Lang::En) => format!("per 1,000 {}", d.unit.en),
            (Scale::Percent, Some(d), Lang::Da) => format!("% af {}", d.unit.da),
            (Scale::Percent, Some(d), Lang::En) => format!("% of {}", d.unit.en),
            (Scale::Mean, Some(d), Lang::Da) => format!("{} pr. {}", num.unit.da, d.singular.da),
            (Scale::Mean, Some(d), Lang::En) => format!("{} per {}", num.unit.en, d.singular.en),
        }
    }

    /// The formula on `scale` in words, over tile columns, e.g.
    /// `sum(gp_contacts) / sum(citizens) × 1000`.
    pub fn formula(&self, scale: Scale) -> String {
        let num = self.numerator.def().column;
        match (scale, self.denominator.map(|d| d.def().column)) {
            (Scale::Count, _) | (_, None) => format!("sum({num})"),
            (Scale::Mean, Some(den)) => format!("sum({num}) / sum({den})"),
            (scale, Some(den)) => format!("sum({num}) / sum({den}) × {}", scale.factor()),
        }
    }

    /// Registers the measure is computed from.
    pub fn sources(&self) -> Vec<RegisterId> {
        let mut s: Vec<RegisterId> = [Some(self.numerator), self.denominator]
            .into_iter()
            .flatten()
            .flat_map(|q| q.def().sources.iter().copied())
            .collect();
        s.sort();
        s.dedup();
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_is_computed_from_sums() {
        let m = MeasureId::GpContacts.def();
        assert_eq!(
            m.evaluate(Scale::PerThousand, 7_000, Some(1_000)),
            Some(7_000.0)
        );
        assert_eq!(m.evaluate(Scale::PerThousand, 3, Some(4)), Some(750.0));
        assert_eq!(m.evaluate(Scale::PerThousand, 3, Some(0)), None);
        assert_eq!(m.evaluate(Scale::PerThousand, 3, None), None);
        assert_eq!(m.evaluate(Scale::Count, 3, Some(0)), Some(3.0));
        let share = MeasureId::ReadmissionRate.def();
        assert_eq!(share.evaluate(Scale::Percent, 1, Some(8)), Some(12.5));
        let mean = MeasureId::MeanLengthOfStay.def();
        assert_eq!(mean.evaluate(Scale::Mean, 9, Some(2)), Some(4.5));
    }

    #[test]
    fn formulas_name_the_tile_columns() {
        assert_eq!(
            MeasureId::Citizens.def().formula(Scale::Count),
            "sum(citizens)"
        );
        let gp = MeasureId::GpContacts.def();
        assert_eq!(
            gp.formula(Scale::PerThousand),
            "sum(gp_contacts) / sum(citizens) × 1000"
        );
        assert_eq!(gp.formula(Scale::Count), "sum(gp_contacts)");
        assert_eq!(
            MeasureId::MeanLengthOfStay.def().formula(Scale::Mean),
            "sum(bed_days) / sum(admissions)"
        );
    }

    #[test]
    fn units_follow_the_scale_and_language() {
        let gp = MeasureId::GpContacts.def();
        assert_eq!(gp.unit(Scale::PerThousand, Lang::Da), "pr. 1.000 borgere");
        assert_eq!(gp.unit(Scale::Count, Lang::En), "contacts");
        let stay = MeasureId::MeanLengthOfStay.def();
        assert_eq!(
            stay.unit(Scale::Mean, Lang::Da),
            "sengedage pr. indlæggelse"
        );
        assert_eq!(
            MeasureId::GpPatients.def().unit(Scale::Percent, Lang::En),
            "% of citizens"
        );
    }

    #[test]
    fn every_measure_is_reachable_by_key_and_has_sources_and_a_family() {
        for m in MEASURES {
            assert_eq!(MeasureId::from_key(m.key), Some(m.id));
            assert!(!m.sources().is_empty(), "{}", m.key);
            assert!(!m.label().da.is_empty() && !m.label().en.is_empty());
            assert!(!m.scales.is_empty(), "{}", m.key);
            // Only counts may do without a denominator.
            assert!(
                m.denominator.is_some() || m.scales == [Scale::Count],
                "{}",
                m.key
            );
            // Its family holds every quantity it reads.
            for scale in m.scales {
                for q in m.quantities(*scale) {
                    assert!(m.family().quantities.contains(&q), "{} {:?}", m.key, q);
                }
            }
            assert_eq!(
                m.scale_or_default(Some(Scale::Mean)),
                if m.scales.contains(&Scale::Mean) {
                    Scale::Mean
                } else {
                    m.scales[0]
                }
            );
        }
        let mut keys: Vec<_> = MEASURES.iter().map(|m| m.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), MEASURES.len());
    }

    #[test]
    fn quantity_columns_are_unique_and_their_serialised_ids() {
        let mut cols: Vec<_> = QUANTITIES.iter().map(|q| q.column).collect();
        cols.sort_unstable();
        cols.dedup();
        assert_eq!(cols.len(), QUANTITIES.len());
        for q in QUANTITIES {
            let json = serde_json::to_string(&q.id).expect("serialises");
            assert_eq!(json, format!("\"{}\"", q.column));
            assert_eq!(q.id.def().column, q.column);
        }
    }

    #[test]
    fn scales_round_trip_by_key() {
        for s in Scale::ALL {
            assert_eq!(Scale::from_key(s.key()), Some(s));
            assert_eq!(
                serde_json::to_string(&s).expect("json"),
                format!("\"{}\"", s.key())
            );
        }
    }
}
