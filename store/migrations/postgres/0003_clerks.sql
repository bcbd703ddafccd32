-- Clerks: accounts, sessions (by the SHA-256 of their token, never the
-- token), decisions on dossiers, findings a clerk overrode, the audit trail
-- and the page images rendered for the review pages. What concerns one
-- dossier goes with it when it is purged (ON DELETE CASCADE): decisions,
-- overrides, its audit entries (their reasons may quote the applicant) and
-- its page images.
CREATE TABLE users (
	name text PRIMARY KEY,
	role text NOT NULL CHECK (role IN ('clerk', 'admin')),
	password_hash text NOT NULL,
	disabled integer NOT NULL DEFAULT 0,
	failures integer NOT NULL DEFAULT 0,
	locked_until text NOT NULL DEFAULT '',
	created_at timestamptz NOT NULL
);
CREATE TABLE sessions (
	token_hash text PRIMARY KEY,
	user_name text NOT NULL REFERENCES users (name) ON DELETE CASCADE,
	csrf text NOT NULL,
	created_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);
CREATE TABLE decisions (
	dossier_id text PRIMARY KEY REFERENCES dossiers (id) ON DELETE CASCADE,
	decision text NOT NULL CHECK (decision IN ('accept', 'reject')),
	reason text NOT NULL,
	clerk text NOT NULL,
	decided_at timestamptz NOT NULL
);
CREATE TABLE overrides (
	dossier_id text NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
	finding integer NOT NULL,
	rule text NOT NULL,
	justification text NOT NULL,
	clerk text NOT NULL,
	at timestamptz NOT NULL,
	PRIMARY KEY (dossier_id, finding)
);
CREATE TABLE audit (
	seq bigserial PRIMARY KEY,
	dossier_id text REFERENCES dossiers (id) ON DELETE CASCADE,
	actor text NOT NULL,
	action text NOT NULL,
	detail text NOT NULL DEFAULT '',
	at timestamptz NOT NULL
);
CREATE INDEX audit_dossier ON audit (dossier_id, seq);
-- Append-only: an entry is never changed (a purge deletes a dossier's).
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit is append-only'; END $$;
CREATE TRIGGER audit_append_only BEFORE UPDATE ON audit
	FOR EACH ROW EXECUTE FUNCTION audit_append_only();
-- EXTERNAL: the images are compressed already.
CREATE TABLE page_images (
	dossier_id text NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
	file_idx integer NOT NULL,
	page integer NOT NULL,
	frame_w integer NOT NULL,
	frame_h integer NOT NULL,
	content_type text NOT NULL,
	data bytea NOT NULL,
	PRIMARY KEY (dossier_id, file_idx, page)
);
ALTER TABLE page_images ALTER COLUMN data SET STORAGE EXTERNAL;
