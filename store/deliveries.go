package store

import (
	"context"
	"fmt"
	"time"
)

// Delivery is one attempt at delivering a webhook event.
type Delivery struct {
	ID         int64
	DossierID  string
	Event      string
	Attempt    int // 1 for the first
	URL        string
	StatusCode int    // 0 when no response came
	Error      string // "" for a 2xx response
	Duration   time.Duration
	At         time.Time
}

// RecordDelivery records an attempt. The dossier must still be stored
// (ErrNotFound otherwise): its attempts are purged with it.
func (s *DB) RecordDelivery(ctx context.Context, d Delivery) error {
	if d.At.IsZero() {
		d.At = time.Now()
	}
	res, err := s.w.ExecContext(ctx, s.q(`INSERT INTO deliveries (dossier_id, event, attempt, url, status_code, error, duration_ms, at)
		SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM dossiers WHERE id = ?)`),
		d.DossierID, d.Event, d.Attempt, d.URL, d.StatusCode, d.Error, d.Duration.Milliseconds(), s.dialect.time(d.At), d.DossierID)
	if err != nil {
		return fmt.Errorf("store delivery %s: %w", d.DossierID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// Deliveries lists a dossier's delivery attempts, oldest first.
func (s *DB) Deliveries(ctx context.Context, dossierID string) ([]Delivery, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, dossier_id, event, attempt, url, status_code, error, duration_ms, at
		FROM deliveries WHERE dossier_id = ? ORDER BY id`), dossierID)
	if err != nil {
		return nil, fmt.Errorf("store deliveries %s: %w", dossierID, err)
	}
	defer rows.Close()
	var out []Delivery
	for rows.Next() {
		var d Delivery
		var ms int64
		if err := rows.Scan(&d.ID, &d.DossierID, &d.Event, &d.Attempt, &d.URL, &d.StatusCode, &d.Error, &ms, scanTime{&d.At}); err != nil {
			return nil, fmt.Errorf("store deliveries %s: %w", dossierID, err)
		}
		d.Duration = time.Duration(ms) * time.Millisecond
		out = append(out, d)
	}
	return out, rows.Err()
}

// Ping says whether the database answers.
func (s *DB) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("store %s: %w", s.name, err)
	}
	var one int
	if err := s.db.QueryRowContext(ctx, `SELECT 1`).Scan(&one); err != nil {
		return fmt.Errorf("store %s: %w", s.name, err)
	}
	return nil
}
