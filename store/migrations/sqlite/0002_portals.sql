-- Portals (API keys stored as SHA-256), the dossiers' owner and verdict,
-- idempotency keys of uploads, and webhook delivery attempts.
-- A dossier whose portal is '' was created before portals: no portal sees
-- it through /v1 (the clerks' page and the CLI still do).
ALTER TABLE dossiers ADD COLUMN portal TEXT NOT NULL DEFAULT '';
ALTER TABLE dossiers ADD COLUMN verdict TEXT NOT NULL DEFAULT '';
UPDATE dossiers SET verdict = COALESCE(json_extract(report, '$.verdict'), '') WHERE report IS NOT NULL;
CREATE INDEX dossiers_portal_created ON dossiers(portal, created_at DESC, id DESC);
CREATE TABLE portals (
	name TEXT PRIMARY KEY,
	key_hash TEXT NOT NULL UNIQUE,
	webhook_url TEXT NOT NULL DEFAULT '',
	webhook_secret TEXT NOT NULL,
	created_at TEXT NOT NULL,
	revoked_at TEXT
);
CREATE TABLE idempotency_keys (
	portal TEXT NOT NULL,
	key TEXT NOT NULL,
	request_hash TEXT NOT NULL,
	dossier_id TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	PRIMARY KEY (portal, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at);
CREATE INDEX idempotency_keys_dossier ON idempotency_keys(dossier_id);
CREATE TABLE deliveries (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	dossier_id TEXT NOT NULL REFERENCES dossiers(id) ON DELETE CASCADE,
	event TEXT NOT NULL,
	attempt INTEGER NOT NULL,
	url TEXT NOT NULL,
	status_code INTEGER NOT NULL,
	error TEXT NOT NULL DEFAULT '',
	duration_ms INTEGER NOT NULL,
	at TEXT NOT NULL
);
CREATE INDEX deliveries_dossier ON deliveries(dossier_id, id);
