-- Portals (API keys stored as SHA-256), the dossiers' owner and verdict,
-- idempotency keys of uploads, and webhook delivery attempts.
-- A dossier whose portal is '' was created before portals: no portal sees
-- it through /v1 (the clerks' page and the CLI still do).
ALTER TABLE dossiers ADD COLUMN portal text NOT NULL DEFAULT '';
ALTER TABLE dossiers ADD COLUMN verdict text NOT NULL DEFAULT '';
UPDATE dossiers SET verdict = COALESCE(report->>'verdict', '') WHERE report IS NOT NULL;
CREATE INDEX dossiers_portal_created ON dossiers (portal, created_at DESC, id DESC);
CREATE TABLE portals (
	name text PRIMARY KEY,
	key_hash text NOT NULL UNIQUE,
	webhook_url text NOT NULL DEFAULT '',
	webhook_secret text NOT NULL,
	created_at timestamptz NOT NULL,
	revoked_at timestamptz
);
CREATE TABLE idempotency_keys (
	portal text NOT NULL,
	key text NOT NULL,
	request_hash text NOT NULL,
	dossier_id text NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
	created_at timestamptz NOT NULL,
	PRIMARY KEY (portal, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
CREATE INDEX idempotency_keys_dossier ON idempotency_keys (dossier_id);
CREATE TABLE deliveries (
	id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	dossier_id text NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
	event text NOT NULL,
	attempt integer NOT NULL,
	url text NOT NULL,
	status_code integer NOT NULL,
	error text NOT NULL DEFAULT '',
	duration_ms bigint NOT NULL,
	at timestamptz NOT NULL
);
CREATE INDEX deliveries_dossier ON deliveries (dossier_id, id);
