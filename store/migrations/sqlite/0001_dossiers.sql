-- Dossiers, their files (by content hash: the blobs are files under
-- blobs/), and the reading cache (OCR pages, by key; source is the file
-- a page came from, so that purging a file purges its text).
-- IF NOT EXISTS: databases made before numbered migrations already hold
-- exactly this schema, with its version in schema_version, dropped here.
CREATE TABLE IF NOT EXISTS dossiers (
	id TEXT PRIMARY KEY,
	procedure TEXT NOT NULL,
	submitted TEXT NOT NULL,
	declared TEXT NOT NULL,
	status TEXT NOT NULL,
	report TEXT,
	error TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS dossiers_status ON dossiers(status, updated_at);
CREATE TABLE IF NOT EXISTS files (
	dossier_id TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
	idx INTEGER NOT NULL,
	name TEXT NOT NULL,
	sha256 TEXT NOT NULL,
	size INTEGER NOT NULL,
	type TEXT NOT NULL,
	PRIMARY KEY (dossier_id, idx)
);
CREATE INDEX IF NOT EXISTS files_sha ON files(sha256);
CREATE TABLE IF NOT EXISTS ocr_cache (
	key TEXT PRIMARY KEY,
	source TEXT NOT NULL,
	data BLOB NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ocr_cache_source ON ocr_cache(source);
DROP TABLE IF EXISTS schema_version;
