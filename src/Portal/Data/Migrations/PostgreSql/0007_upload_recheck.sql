-- As SQLite's 0007_upload_recheck.sql: the latest re-check of a staged file, derived from its 'rechecked' events.
ALTER TABLE upload_state ADD COLUMN recheck_options text COLLATE "C";
ALTER TABLE upload_state ADD COLUMN recheck_original_sendable boolean;
ALTER TABLE upload_state ADD COLUMN recheck_valid_count bigint;
ALTER TABLE upload_state ADD COLUMN recheck_duplicate_count bigint;
ALTER TABLE upload_state ADD COLUMN recheck_clean_file_name text COLLATE "C";
ALTER TABLE upload_state ADD COLUMN recheck_clean_size bigint;
ALTER TABLE upload_state ADD COLUMN recheck_clean_sha256 text COLLATE "C";
ALTER TABLE upload_state ADD COLUMN recheck_clean_account_count bigint;
ALTER TABLE upload_state ADD COLUMN recheck_invalid_count bigint;
ALTER TABLE upload_state ADD COLUMN recheck_blank_row_count bigint;
ALTER TABLE upload_state ADD COLUMN recheck_header_row boolean;

CREATE INDEX ix_upload_state_sent_sha256 ON upload_state (sent_sha256);
