-- A register row names the batch that wrote it by the ledger's batch number,
-- a small integer, instead of repeating the batch id on every row (64
-- characters when the id is the content hash: half of a health-insurance
-- row). Existing rows get the number of their batch.
CREATE SEQUENCE ingest_batch_no;
ALTER TABLE ingest_batches ADD COLUMN batch_no BIGINT;
UPDATE ingest_batches AS b SET batch_no = n.no
FROM (SELECT batch_id, row_number() OVER (ORDER BY published_at, batch_id) AS no
      FROM ingest_batches) AS n
WHERE n.batch_id = b.batch_id;
SELECT setval('ingest_batch_no', COALESCE((SELECT MAX(batch_no) FROM ingest_batches), 0) + 1, false);
ALTER TABLE ingest_batches ADD CONSTRAINT ingest_batches_batch_no_key UNIQUE (batch_no);

ALTER TABLE reg_sor ADD COLUMN batch_no BIGINT NOT NULL DEFAULT 0;
UPDATE reg_sor AS r SET batch_no = b.batch_no FROM ingest_batches AS b WHERE b.batch_id = r.batch_id;
ALTER TABLE reg_sor ALTER COLUMN batch_no DROP DEFAULT;
ALTER TABLE reg_sor DROP COLUMN batch_id;

ALTER TABLE reg_ydr ADD COLUMN batch_no BIGINT NOT NULL DEFAULT 0;
UPDATE reg_ydr AS r SET batch_no = b.batch_no FROM ingest_batches AS b WHERE b.batch_id = r.batch_id;
ALTER TABLE reg_ydr ALTER COLUMN batch_no DROP DEFAULT;
ALTER TABLE reg_ydr DROP COLUMN batch_id;

ALTER TABLE reg_nursing_homes ADD COLUMN batch_no BIGINT NOT NULL DEFAULT 0;
UPDATE reg_nursing_homes AS r SET batch_no = b.batch_no FROM ingest_batches AS b WHERE b.batch_id = r.batch_id;
ALTER TABLE reg_nursing_homes ALTER COLUMN batch_no DROP DEFAULT;
ALTER TABLE reg_nursing_homes DROP COLUMN batch_id;

ALTER TABLE reg_cpr ADD COLUMN batch_no BIGINT NOT NULL DEFAULT 0;
UPDATE reg_cpr AS r SET batch_no = b.batch_no FROM ingest_batches AS b WHERE b.batch_id = r.batch_id;
ALTER TABLE reg_cpr ALTER COLUMN batch_no DROP DEFAULT;
ALTER TABLE reg_cpr DROP COLUMN batch_id;

ALTER TABLE reg_patient_list ADD COLUMN batch_no BIGINT NOT NULL DEFAULT 0;
UPDATE reg_patient_list AS r SET batch_no = b.batch_no FROM ingest_batches AS b WHERE b.batch_id = r.batch_id;
ALTER TABLE reg_patient_list ALTER COLUMN batch_no DROP DEFAULT;
ALTER TABLE reg_patient_list DROP COLUMN batch_id;

ALTER TABLE reg_lpr ADD COLUMN batch_no BIGINT NOT NULL DEFAULT 0;
UPDATE reg_lpr AS r SET batch_no = b.batch_no FROM ingest_batches AS b WHERE b.batch_id = r.batch_id;
ALTER TABLE reg_lpr ALTER COLUMN batch_no DROP DEFAULT;
ALTER TABLE reg_lpr DROP COLUMN batch_id;

ALTER TABLE reg_ssr ADD COLUMN batch_no BIGINT NOT NULL DEFAULT 0;
UPDATE reg_ssr AS r SET batch_no = b.batch_no FROM ingest_batches AS b WHERE b.batch_id = r.batch_id;
ALTER TABLE reg_ssr ALTER COLUMN batch_no DROP DEFAULT;
ALTER TABLE reg_ssr DROP COLUMN batch_id;

ALTER TABLE reg_eoj ADD COLUMN batch_no BIGINT NOT NULL DEFAULT 0;
UPDATE reg_eoj AS r SET batch_no = b.batch_no FROM ingest_batches AS b WHERE b.batch_id = r.batch_id;
ALTER TABLE reg_eoj ALTER COLUMN batch_no DROP DEFAULT;
ALTER TABLE reg_eoj DROP COLUMN batch_id;

ALTER TABLE reg_ruks ADD COLUMN batch_no BIGINT NOT NULL DEFAULT 0;
UPDATE reg_ruks AS r SET batch_no = b.batch_no FROM ingest_batches AS b WHERE b.batch_id = r.batch_id;
ALTER TABLE reg_ruks ALTER COLUMN batch_no DROP DEFAULT;
ALTER TABLE reg_ruks DROP COLUMN batch_id;

ALTER TABLE reg_lsr ADD COLUMN batch_no BIGINT NOT NULL DEFAULT 0;
UPDATE reg_lsr AS r SET batch_no = b.batch_no FROM ingest_batches AS b WHERE b.batch_id = r.batch_id;
ALTER TABLE reg_lsr ALTER COLUMN batch_no DROP DEFAULT;
ALTER TABLE reg_lsr DROP COLUMN batch_id;

ALTER TABLE reg_aim ADD COLUMN batch_no BIGINT NOT NULL DEFAULT 0;
UPDATE reg_aim AS r SET batch_no = b.batch_no FROM ingest_batches AS b WHERE b.batch_id = r.batch_id;
ALTER TABLE reg_aim ALTER COLUMN batch_no DROP DEFAULT;
ALTER TABLE reg_aim DROP COLUMN batch_id;

ALTER TABLE reg_sentinel ADD COLUMN batch_no BIGINT NOT NULL DEFAULT 0;
UPDATE reg_sentinel AS r SET batch_no = b.batch_no FROM ingest_batches AS b WHERE b.batch_id = r.batch_id;
ALTER TABLE reg_sentinel ALTER COLUMN batch_no DROP DEFAULT;
ALTER TABLE reg_sentinel DROP COLUMN batch_id;
