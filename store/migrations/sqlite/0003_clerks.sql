-- Clerks: accounts, sessions (by the SHA-256 of their token, never the
-- token), decisions on dossiers, findings a clerk overrode, the audit trail
-- and the page images rendered for the review pages. What concerns one
-- dossier goes with it when it is purged (ON DELETE CASCADE): decisions,
-- overrides, its audit entries (their reasons may quote the applicant) and
-- its page images. IF NOT EXISTS: a database made before numbered
-- migrations is migrated from 0001 again (TestLegacySQLite).
CREATE TABLE IF NOT EXISTS users (
	name TEXT PRIMARY KEY,
	role TEXT NOT NULL CHECK (role IN ('clerk', 'admin')),
	password_hash TEXT NOT NULL,
	disabled INTEGER NOT NULL DEFAULT 0,
	failures INTEGER NOT NULL DEFAULT 0,
	locked_until TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
	token_hash TEXT PRIMARY KEY,
	user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
	csrf TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions(expires_at);
CREATE TABLE IF NOT EXISTS decisions (
	dossier_id TEXT PRIMARY KEY REFERENCES dossiers(id) ON DELETE CASCADE,
	decision TEXT NOT NULL CHECK (decision IN ('accept', 'reject')),
	reason TEXT NOT NULL,
	clerk TEXT NOT NULL,
	decided_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS overrides (
	dossier_id TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
	finding INTEGER NOT NULL,
	rule TEXT NOT NULL,
	justification TEXT NOT NULL,
	clerk TEXT NOT NULL,
	at TEXT NOT NULL,
	PRIMARY KEY (dossier_id, finding)
);
CREATE TABLE IF NOT EXISTS audit (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	dossier_id TEXT REFERENCES dossiers(id) ON DELETE CASCADE,
	actor TEXT NOT NULL,
	action TEXT NOT NULL,
	detail TEXT NOT NULL DEFAULT '',
	at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_dossier ON audit(dossier_id, seq);
-- Append-only: an entry is never changed (a purge deletes a dossier's).
CREATE TRIGGER IF NOT EXISTS audit_append_only BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TABLE IF NOT EXISTS page_images (
	dossier_id TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
	file_idx INTEGER NOT NULL,
	page INTEGER NOT NULL,
	frame_w INTEGER NOT NULL,
	frame_h INTEGER NOT NULL,
	content_type TEXT NOT NULL,
	data BLOB NOT NULL,
	PRIMARY KEY (dossier_id, file_idx, page)
);
