package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"dossiercheck/dossier"
)

// Portal is a client of the API: it uploads dossiers with its API key
// (stored as a SHA-256 only) and receives webhooks signed with its secret.
type Portal struct {
	Name          string
	WebhookURL    string // "" for none
	WebhookSecret string
	CreatedAt     time.Time
	RevokedAt     time.Time // zero while the key is valid
}

// Revoked says whether the portal's key was revoked.
func (p Portal) Revoked() bool { return !p.RevokedAt.IsZero() }

// ErrPortalExists is returned by AddPortal for a name already taken.
var ErrPortalExists = errors.New("portal already exists")

// ErrNoPortal is returned for an unknown portal, or an unknown or revoked
// key.
var ErrNoPortal = errors.New("no such portal")

// AddPortal records a portal with the hash of its API key.
func (s *DB) AddPortal(ctx context.Context, p Portal, keyHash string) error {
	if p.Name == "" || keyHash == "" {
		return fmt.Errorf("store add portal: name and key hash required")
	}
	if p.CreatedAt.IsZero() {
		p.CreatedAt = time.Now()
	}
	res, err := s.w.ExecContext(ctx, s.q(`INSERT INTO portals (name, key_hash, webhook_url, webhook_secret, created_at) VALUES (?,?,?,?,?)
		ON CONFLICT DO NOTHING`), p.Name, keyHash, p.WebhookURL, p.WebhookSecret, s.dialect.time(p.CreatedAt))
	if err != nil {
		return fmt.Errorf("store add portal %s: %w", p.Name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store add portal %s: %w", p.Name, ErrPortalExists)
	}
	return nil
}

const portalColumns = `name, webhook_url, webhook_secret, created_at, revoked_at`

func scanPortal(row interface{ Scan(...any) error }) (Portal, error) {
	var p Portal
	err := row.Scan(&p.Name, &p.WebhookURL, &p.WebhookSecret, scanTime{&p.CreatedAt}, nullTime{&p.RevokedAt})
	return p, err
}

// nullTime scans a timestamp that may be NULL (zero time).
type nullTime struct{ t *time.Time }

func (nt nullTime) Scan(v any) error {
	if v == nil {
		*nt.t = time.Time{}
		return nil
	}
	return scanTime(nt).Scan(v)
}

// Portals lists every portal, revoked ones too, by name.
func (s *DB) Portals(ctx context.Context) ([]Portal, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+portalColumns+` FROM portals ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store portals: %w", err)
	}
	defer rows.Close()
	var out []Portal
	for rows.Next() {
		p, err := scanPortal(rows)
		if err != nil {
			return nil, fmt.Errorf("store portals: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// PortalNamed reads one portal, revoked or not.
func (s *DB) PortalNamed(ctx context.Context, name string) (Portal, error) {
	p, err := scanPortal(s.db.QueryRowContext(ctx, s.q(`SELECT `+portalColumns+` FROM portals WHERE name = ?`), name))
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNoPortal
	}
	if err != nil {
		return p, fmt.Errorf("store portal %s: %w", name, err)
	}
	return p, nil
}

// PortalByKey finds the portal whose API key hashes to keyHash; an
// unknown or revoked key is ErrNoPortal.
func (s *DB) PortalByKey(ctx context.Context, keyHash string) (Portal, error) {
	p, err := scanPortal(s.db.QueryRowContext(ctx, s.q(`SELECT `+portalColumns+` FROM portals WHERE key_hash = ? AND revoked_at IS NULL`), keyHash))
	if errors.Is(err, sql.ErrNoRows) {
		return p, ErrNoPortal
	}
	if err != nil {
		return p, fmt.Errorf("store portal by key: %w", err)
	}
	return p, nil
}

// RevokePortal revokes a portal's key: its requests are refused from now
// on and no webhook is sent to it. Its dossiers stay until their
// retention ends.
func (s *DB) RevokePortal(ctx context.Context, name string) error {
	res, err := s.w.ExecContext(ctx, s.q(`UPDATE portals SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL`), s.dialect.time(time.Now()), name)
	if err != nil {
		return fmt.Errorf("store revoke portal %s: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := s.PortalNamed(ctx, name); err != nil {
			return err
		}
	}
	return nil
}

// Summary is a dossier without its files and report: what a listing shows.
type Summary struct {
	ID        string
	Portal    string // "" for a dossier created before portals
	Procedure string
	Status    dossier.Status
	Verdict   string // "" until done
	Submitted time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

const summaryColumns = `id, portal, procedure, status, verdict, submitted, created_at, updated_at`

func scanSummary(row interface{ Scan(...any) error }) (Summary, error) {
	var m Summary
	err := row.Scan(&m.ID, &m.Portal, &m.Procedure, &m.Status, &m.Verdict, scanTime{&m.Submitted}, scanTime{&m.CreatedAt}, scanTime{&m.UpdatedAt})
	return m, err
}

// Summary reads one dossier's summary (its portal among it).
func (s *DB) Summary(ctx context.Context, id string) (Summary, error) {
	m, err := scanSummary(s.db.QueryRowContext(ctx, s.q(`SELECT `+summaryColumns+` FROM dossiers WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, ErrNotFound
	}
	if err != nil {
		return m, fmt.Errorf("store summary %s: %w", id, err)
	}
	return m, nil
}

// Cursor is a position in a listing: the last dossier seen.
type Cursor struct {
	CreatedAt time.Time
	ID        string
}

// Query selects a portal's dossiers for a listing. Empty fields select
// everything.
type Query struct {
	Portal    string
	Status    dossier.Status
	Verdict   string
	Procedure string
	Since     time.Time // created at or after
	After     *Cursor   // continue after this dossier
	Limit     int
}

// List returns the portal's dossiers that match q, newest first (created
// at, then id, descending: a total order, so that a cursor neither skips
// nor repeats a dossier created in the same instant as another).
func (s *DB) List(ctx context.Context, q Query) ([]Summary, error) {
	where := []string{`portal = ?`}
	args := []any{q.Portal}
	for _, f := range []struct{ col, v string }{{"status", string(q.Status)}, {"verdict", q.Verdict}, {"procedure", q.Procedure}} {
		if f.v != "" {
			where = append(where, f.col+` = ?`)
			args = append(args, f.v)
		}
	}
	if !q.Since.IsZero() {
		where = append(where, `created_at >= ?`)
		args = append(args, s.dialect.time(q.Since))
	}
	if q.After != nil {
		at := s.dialect.time(q.After.CreatedAt)
		where = append(where, `(created_at < ? OR (created_at = ? AND id < ?))`)
		args = append(args, at, at, q.After.ID)
	}
	args = append(args, q.Limit)
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+summaryColumns+` FROM dossiers WHERE `+strings.Join(where, " AND ")+
		` ORDER BY created_at DESC, id DESC LIMIT ?`), args...)
	if err != nil {
		return nil, fmt.Errorf("store list: %w", err)
	}
	defer rows.Close()
	var out []Summary
	for rows.Next() {
		m, err := scanSummary(rows)
		if err != nil {
			return nil, fmt.Errorf("store list: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
