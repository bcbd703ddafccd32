-- Dossiers, their files and the files' contents (blobs, by SHA-256), and
-- the reading cache (OCR pages, by key; source is the file a page came
-- from, so that purging a file purges its text).
CREATE TABLE dossiers (
	id text PRIMARY KEY,
	procedure text NOT NULL,
	submitted date NOT NULL,
	declared jsonb NOT NULL,
	status text NOT NULL,
	-- json, not jsonb: the report is served byte for byte as the worker wrote it.
	report json,
	error text NOT NULL DEFAULT '',
	created_at timestamptz NOT NULL,
	updated_at timestamptz NOT NULL
);
CREATE INDEX dossiers_status ON dossiers (status, updated_at);
-- File contents as bytea (at most the upload limit per file, well under
-- bytea's 1 GB): written, read and deleted in the same transactions as
-- the rows that hold them, unlike large objects. EXTERNAL storage: PDFs
-- and images are compressed already, TOAST would only spend CPU on them.
CREATE TABLE blobs (
	sha256 text PRIMARY KEY,
	size bigint NOT NULL,
	data bytea NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE blobs ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE INDEX blobs_created ON blobs (created_at);
CREATE TABLE files (
	dossier_id text NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
	idx integer NOT NULL,
	name text NOT NULL,
	sha256 text NOT NULL REFERENCES blobs (sha256),
	size bigint NOT NULL,
	type text NOT NULL,
	PRIMARY KEY (dossier_id, idx)
);
CREATE INDEX files_sha ON files (sha256);
CREATE TABLE ocr_cache (
	key text PRIMARY KEY,
	source text NOT NULL,
	data bytea NOT NULL,
	created_at timestamptz NOT NULL
);
CREATE INDEX ocr_cache_source ON ocr_cache (source);
