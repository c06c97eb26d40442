-- A staged file checked again with other choices before any send (a header row, the account column of a CRM export,
-- values in scientific notation kept): the latest re-check's choices, verdict and clean package, derived from the
-- upload's 'rechecked' events like the rest of the state (Uploads/UploadState.Apply). NULL for an upload never
-- re-checked, which is what replaying its events gives: nothing to rebuild.
ALTER TABLE upload_state ADD COLUMN recheck_options TEXT;
ALTER TABLE upload_state ADD COLUMN recheck_original_sendable INTEGER;
ALTER TABLE upload_state ADD COLUMN recheck_valid_count INTEGER;
ALTER TABLE upload_state ADD COLUMN recheck_duplicate_count INTEGER;
ALTER TABLE upload_state ADD COLUMN recheck_clean_file_name TEXT;
ALTER TABLE upload_state ADD COLUMN recheck_clean_size INTEGER;
ALTER TABLE upload_state ADD COLUMN recheck_clean_sha256 TEXT;
ALTER TABLE upload_state ADD COLUMN recheck_clean_account_count INTEGER;
ALTER TABLE upload_state ADD COLUMN recheck_invalid_count INTEGER;
ALTER TABLE upload_state ADD COLUMN recheck_blank_row_count INTEGER;
ALTER TABLE upload_state ADD COLUMN recheck_header_row INTEGER;

-- "This exact package was already sent to this app": looked up by the SHA-256 of what was sent.
CREATE INDEX ix_upload_state_sent_sha256 ON upload_state (sent_sha256);
