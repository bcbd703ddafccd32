package store

import (
	"context"
	"fmt"
	"time"

	"dossiercheck/dossier"
)

// Rechecked replaces a done dossier's report with one made again from its
// stored readings (a rules-only re-check). It says whether it did: a
// dossier purged or taken back for a full reading meanwhile is left alone.
func (s *DB) Rechecked(ctx context.Context, id string, report []byte) (bool, error) {
	res, err := s.w.ExecContext(ctx, s.q(`UPDATE dossiers SET report = ?, updated_at = ? WHERE id = ? AND status = ?`),
		string(report), s.dialect.time(time.Now()), id, string(dossier.Done))
	if err != nil {
		return false, fmt.Errorf("store recheck %s: %w", id, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}
