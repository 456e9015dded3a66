-- A register row names the batch that wrote it by the ledger's batch number,
-- a small integer, instead of repeating the batch id on every row (64
-- characters when the id is the content hash: half of a health-insurance
-- row). Existing rows get the number of their batch.
ALTER TABLE ingest_batches ADD COLUMN batch_no INTEGER;
UPDATE ingest_batches SET batch_no = rowid;
CREATE UNIQUE INDEX ingest_batches_by_no ON ingest_batches (batch_no);

ALTER TABLE reg_sor ADD COLUMN batch_no INTEGER NOT NULL DEFAULT 0;
UPDATE reg_sor SET batch_no = COALESCE(
    (SELECT b.batch_no FROM ingest_batches AS b WHERE b.batch_id = reg_sor.batch_id), 0);
ALTER TABLE reg_sor DROP COLUMN batch_id;

ALTER TABLE reg_ydr ADD COLUMN batch_no INTEGER NOT NULL DEFAULT 0;
UPDATE reg_ydr SET batch_no = COALESCE(
    (SELECT b.batch_no FROM ingest_batches AS b WHERE b.batch_id = reg_ydr.batch_id), 0);
ALTER TABLE reg_ydr DROP COLUMN batch_id;

ALTER TABLE reg_nursing_homes ADD COLUMN batch_no INTEGER NOT NULL DEFAULT 0;
UPDATE reg_nursing_homes SET batch_no = COALESCE(
    (SELECT b.batch_no FROM ingest_batches AS b WHERE b.batch_id = reg_nursing_homes.batch_id), 0);
ALTER TABLE reg_nursing_homes DROP COLUMN batch_id;

ALTER TABLE reg_cpr ADD COLUMN batch_no INTEGER NOT NULL DEFAULT 0;
UPDATE reg_cpr SET batch_no = COALESCE(
    (SELECT b.batch_no FROM ingest_batches AS b WHERE b.batch_id = reg_cpr.batch_id), 0);
ALTER TABLE reg_cpr DROP COLUMN batch_id;

ALTER TABLE reg_patient_list ADD COLUMN batch_no INTEGER NOT NULL DEFAULT 0;
UPDATE reg_patient_list SET batch_no = COALESCE(
    (SELECT b.batch_no FROM ingest_batches AS b WHERE b.batch_id = reg_patient_list.batch_id), 0);
ALTER TABLE reg_patient_list DROP COLUMN batch_id;

ALTER TABLE reg_lpr ADD COLUMN batch_no INTEGER NOT NULL DEFAULT 0;
UPDATE reg_lpr SET batch_no = COALESCE(
    (SELECT b.batch_no FROM ingest_batches AS b WHERE b.batch_id = reg_lpr.batch_id), 0);
ALTER TABLE reg_lpr DROP COLUMN batch_id;

ALTER TABLE reg_ssr ADD COLUMN batch_no INTEGER NOT NULL DEFAULT 0;
UPDATE reg_ssr SET batch_no = COALESCE(
    (SELECT b.batch_no FROM ingest_batches AS b WHERE b.batch_id = reg_ssr.batch_id), 0);
ALTER TABLE reg_ssr DROP COLUMN batch_id;

ALTER TABLE reg_eoj ADD COLUMN batch_no INTEGER NOT NULL DEFAULT 0;
UPDATE reg_eoj SET batch_no = COALESCE(
    (SELECT b.batch_no FROM ingest_batches AS b WHERE b.batch_id = reg_eoj.batch_id), 0);
ALTER TABLE reg_eoj DROP COLUMN batch_id;

ALTER TABLE reg_ruks ADD COLUMN batch_no INTEGER NOT NULL DEFAULT 0;
UPDATE reg_ruks SET batch_no = COALESCE(
    (SELECT b.batch_no FROM ingest_batches AS b WHERE b.batch_id = reg_ruks.batch_id), 0);
ALTER TABLE reg_ruks DROP COLUMN batch_id;

ALTER TABLE reg_lsr ADD COLUMN batch_no INTEGER NOT NULL DEFAULT 0;
UPDATE reg_lsr SET batch_no = COALESCE(
    (SELECT b.batch_no FROM ingest_batches AS b WHERE b.batch_id = reg_lsr.batch_id), 0);
ALTER TABLE reg_lsr DROP COLUMN batch_id;

ALTER TABLE reg_aim ADD COLUMN batch_no INTEGER NOT NULL DEFAULT 0;
UPDATE reg_aim SET batch_no = COALESCE(
    (SELECT b.batch_no FROM ingest_batches AS b WHERE b.batch_id = reg_aim.batch_id), 0);
ALTER TABLE reg_aim DROP COLUMN batch_id;

ALTER TABLE reg_sentinel ADD COLUMN batch_no INTEGER NOT NULL DEFAULT 0;
UPDATE reg_sentinel SET batch_no = COALESCE(
    (SELECT b.batch_no FROM ingest_batches AS b WHERE b.batch_id = reg_sentinel.batch_id), 0);
ALTER TABLE reg_sentinel DROP COLUMN batch_id;
