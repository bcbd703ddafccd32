package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"dossiercheck/dossier"
)

// IdempotencyTTL is how long an upload's idempotency key is kept: a retry
// within it returns the first dossier; the sweep removes older keys.
const IdempotencyTTL = 24 * time.Hour

// Origin is who uploads a dossier, and under which idempotency key.
type Origin struct {
	Portal   string
	IdemKey  string // "" for none
	IdemHash string // hash of the request, to tell a retry from a reuse
}

// Prior is the dossier an earlier upload with the same key created.
type Prior struct {
	ID     string
	Status dossier.Status
}

var (
	// ErrReplay: the key was used for the same request; Prior is its dossier.
	ErrReplay = errors.New("idempotency key replayed")
	// ErrIdempotencyConflict: the key was used for another request.
	ErrIdempotencyConflict = errors.New("idempotency key used for another request")
	errKeyTaken            = errors.New("idempotency key taken")
)

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// priorUpload looks up a live key: nil error when there is none.
func (s *DB) priorUpload(ctx context.Context, q querier, o Origin, now time.Time) (Prior, error) {
	var p Prior
	var hash string
	err := q.QueryRowContext(ctx, s.q(`SELECT k.request_hash, d.id, d.status FROM idempotency_keys k JOIN dossiers d ON d.id = k.dossier_id
		WHERE k.portal = ? AND k.key = ? AND k.created_at >= ?`), o.Portal, o.IdemKey, s.dialect.time(now.Add(-IdempotencyTTL))).Scan(&hash, &p.ID, &p.Status)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Prior{}, nil
	case err != nil:
		return Prior{}, fmt.Errorf("store idempotency key: %w", err)
	case hash != o.IdemHash:
		return p, ErrIdempotencyConflict
	}
	return p, ErrReplay
}

// recordKey records the key of a new dossier, replacing an expired one
// not swept yet; errKeyTaken when a live one holds it.
func (s *DB) recordKey(ctx context.Context, tx *sql.Tx, o Origin, id string, now time.Time) error {
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM idempotency_keys WHERE portal = ? AND key = ? AND created_at < ?`),
		o.Portal, o.IdemKey, s.dialect.time(now.Add(-IdempotencyTTL))); err != nil {
		return fmt.Errorf("idempotency key: %w", err)
	}
	res, err := tx.ExecContext(ctx, s.q(`INSERT INTO idempotency_keys (portal, key, request_hash, dossier_id, created_at) VALUES (?,?,?,?,?)
		ON CONFLICT DO NOTHING`), o.Portal, o.IdemKey, o.IdemHash, id, s.dialect.time(now))
	if err != nil {
		return fmt.Errorf("idempotency key: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errKeyTaken
	}
	return nil
}

// sweepKeys removes the idempotency keys older than IdempotencyTTL.
func (s *DB) sweepKeys(ctx context.Context, now time.Time) (int, error) {
	res, err := s.w.ExecContext(ctx, s.q(`DELETE FROM idempotency_keys WHERE created_at < ?`), s.dialect.time(now.Add(-IdempotencyTTL)))
	if err != nil {
		return 0, fmt.Errorf("store sweep idempotency keys: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
