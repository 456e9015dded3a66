-- Every register gets a table of the catalogue's columns (shared/src/register.rs);
-- the skeleton's two tables are replaced. Their ledger rows go with them, so
-- the same extracts can be ingested again.
--
-- A row's batch_id names the batch that wrote it. It is not a foreign key:
-- rows and their ledger row are written in one transaction, and checking a
-- key per row would cost more than the rest of the insert.
DROP TABLE cpr_persons;
DROP TABLE gp_contacts;
DELETE FROM ingest_batches;

-- The ledger also keeps rows rejected (a batch below the bad-row threshold
-- publishes its good rows), the first error and when ingestion started.
ALTER TABLE ingest_batches ADD COLUMN rows_rejected INTEGER NOT NULL DEFAULT 0;
ALTER TABLE ingest_batches ADD COLUMN first_error TEXT;
ALTER TABLE ingest_batches ADD COLUMN started_at TEXT NOT NULL DEFAULT '';

-- Health-care organisation register (SOR). A row is a hospital (SOR health institution) or one of its units.
CREATE TABLE reg_sor (
    sor_id               TEXT NOT NULL,
    name                 TEXT NOT NULL,
    level                TEXT NOT NULL,
    institution_id       TEXT NOT NULL,
    region               INTEGER NOT NULL,
    department_type      TEXT,
    specialty            TEXT,
    batch_id             TEXT NOT NULL,
    PRIMARY KEY (sor_id)
);

-- Provider register (YDR). A row is a provider (practice) with its active period.
CREATE TABLE reg_ydr (
    provider_number      TEXT NOT NULL,
    name                 TEXT NOT NULL,
    provider_type        TEXT NOT NULL,
    specialty            TEXT NOT NULL,
    municipality         INTEGER NOT NULL,
    gp_cluster           INTEGER,
    valid_from           TEXT NOT NULL,
    valid_to             TEXT,
    batch_id             TEXT NOT NULL,
    PRIMARY KEY (provider_number)
);

-- Nursing-home addresses (SDS). A row is an address that is a nursing home.
CREATE TABLE reg_nursing_homes (
    address_id           TEXT NOT NULL,
    municipality         INTEGER NOT NULL,
    name                 TEXT NOT NULL,
    valid_from           TEXT NOT NULL,
    valid_to             TEXT,
    batch_id             TEXT NOT NULL,
    PRIMARY KEY (address_id)
);

-- Civil Registration System (CPR). A row is a period of residence of a person, with the person's facts.
CREATE TABLE reg_cpr (
    pseudonym            TEXT NOT NULL,
    birth_date           TEXT NOT NULL,
    sex                  TEXT NOT NULL,
    municipality         INTEGER NOT NULL,
    address_id           TEXT NOT NULL,
    valid_from           TEXT NOT NULL,
    valid_to             TEXT,
    civil_status         TEXT NOT NULL,
    status               TEXT NOT NULL,
    status_date          TEXT,
    batch_id             TEXT NOT NULL,
    PRIMARY KEY (pseudonym, valid_from)
);

-- Patient lists (registration with a GP practice). A row is a period in which a person is listed with a practice.
CREATE TABLE reg_patient_list (
    pseudonym            TEXT NOT NULL,
    provider_number      TEXT NOT NULL,
    valid_from           TEXT NOT NULL,
    valid_to             TEXT,
    batch_id             TEXT NOT NULL,
    PRIMARY KEY (pseudonym, valid_from)
);

-- National Patient Register (LPR3). A row is a hospital contact.
CREATE TABLE reg_lpr (
    contact_id           TEXT NOT NULL,
    pseudonym            TEXT NOT NULL,
    start_time           TEXT NOT NULL,
    end_time             TEXT NOT NULL,
    sor_unit             TEXT NOT NULL,
    specialty            TEXT NOT NULL,
    department_type      TEXT NOT NULL,
    priority             TEXT NOT NULL,
    sector               TEXT NOT NULL,
    action_diagnosis     TEXT NOT NULL,
    secondary_diagnoses  TEXT,
    rehabilitation_plan  INTEGER NOT NULL,
    batch_id             TEXT NOT NULL,
    PRIMARY KEY (contact_id)
);

-- Health Insurance Service Register (SSR). A row is a service from general or specialist practice.
CREATE TABLE reg_ssr (
    pseudonym            TEXT NOT NULL,
    contact_date         TEXT NOT NULL,
    provider_number      TEXT NOT NULL,
    contact_type         TEXT NOT NULL,
    batch_id             TEXT NOT NULL
);

-- Municipal care records (EOJ/FSIII). A row is a citizen's month of one municipal service.
CREATE TABLE reg_eoj (
    pseudonym            TEXT NOT NULL,
    month                TEXT NOT NULL,
    municipality         INTEGER NOT NULL,
    service              TEXT NOT NULL,
    hours                REAL,
    conditions           TEXT,
    interventions        TEXT,
    batch_id             TEXT NOT NULL,
    PRIMARY KEY (pseudonym, month, service)
);

-- Register of Selected Chronic Diseases (RUKS). A row is a person in a chronic group.
CREATE TABLE reg_ruks (
    pseudonym            TEXT NOT NULL,
    chronic_group        TEXT NOT NULL,
    first_date           TEXT NOT NULL,
    batch_id             TEXT NOT NULL,
    PRIMARY KEY (pseudonym, chronic_group)
);

-- Register of Medicinal Product Statistics (LSR). A row is a redeemed prescription.
CREATE TABLE reg_lsr (
    pseudonym            TEXT NOT NULL,
    redemption_date      TEXT NOT NULL,
    atc                  TEXT NOT NULL,
    product              TEXT NOT NULL,
    package_size         INTEGER NOT NULL,
    ddd                  REAL NOT NULL,
    prescriber           TEXT,
    depot                INTEGER NOT NULL,
    batch_id             TEXT NOT NULL
);

-- Clinical data from general practice (AIM). A row is a diagnosis or examination recorded in general practice.
CREATE TABLE reg_aim (
    pseudonym            TEXT NOT NULL,
    record_date          TEXT NOT NULL,
    provider_number      TEXT NOT NULL,
    kind                 TEXT NOT NULL,
    code                 TEXT NOT NULL,
    value                REAL,
    unit                 TEXT,
    batch_id             TEXT NOT NULL
);

-- Specialist practice (Sentinel). A row is a contact with a specialist practice.
CREATE TABLE reg_sentinel (
    pseudonym            TEXT NOT NULL,
    contact_date         TEXT NOT NULL,
    provider_number      TEXT NOT NULL,
    specialty            TEXT NOT NULL,
    diagnosis            TEXT,
    referral_from        TEXT NOT NULL,
    batch_id             TEXT NOT NULL
);

