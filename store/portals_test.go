package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"dossiercheck/dossier"
)

// createFrom stores a one-file dossier for a portal under an idempotency key.
func createFrom(t *testing.T, s *DB, o Origin, content string) (dossier.Dossier, Prior, error) {
	t.Helper()
	stg, err := s.Stage()
	if err != nil {
		t.Fatal(err)
	}
	sha, n, err := stg.Put(strings.NewReader(content), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	d := dossier.Dossier{ID: NewID(), Procedure: "be-pcp-m36", Submitted: time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC), Status: dossier.Received,
		Files: []dossier.File{{Name: "f.pdf", SHA256: sha, Size: n, Type: dossier.PDF}}}
	p, err := s.CreateFrom(context.Background(), &d, stg, o)
	return d, p, err
}

func TestPortals(t *testing.T) {
	forEach(t, func(t *testing.T, b backend, s *DB, dir string) {
		ctx := context.Background()
		if err := s.AddPortal(ctx, Portal{Name: "a", WebhookURL: "http://127.0.0.1:1/hook", WebhookSecret: "whsec_a"}, "hash-a"); err != nil {
			t.Fatal(err)
		}
		if err := s.AddPortal(ctx, Portal{Name: "a", WebhookSecret: "x"}, "hash-other"); !errors.Is(err, ErrPortalExists) {
			t.Errorf("second portal a: %v, want ErrPortalExists", err)
		}
		if err := s.AddPortal(ctx, Portal{Name: "b", WebhookSecret: "whsec_b"}, "hash-b"); err != nil {
			t.Fatal(err)
		}
		p, err := s.PortalByKey(ctx, "hash-a")
		if err != nil || p.Name != "a" || p.WebhookURL != "http://127.0.0.1:1/hook" || p.WebhookSecret != "whsec_a" || p.Revoked() {
			t.Fatalf("by key: %+v %v", p, err)
		}
		if _, err := s.PortalByKey(ctx, "hash-x"); !errors.Is(err, ErrNoPortal) {
			t.Errorf("unknown key: %v", err)
		}
		if err := s.RevokePortal(ctx, "a"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PortalByKey(ctx, "hash-a"); !errors.Is(err, ErrNoPortal) {
			t.Errorf("revoked key: %v", err)
		}
		if err := s.RevokePortal(ctx, "nope"); !errors.Is(err, ErrNoPortal) {
			t.Errorf("revoke unknown: %v", err)
		}
		ps, err := s.Portals(ctx)
		if err != nil || len(ps) != 2 || ps[0].Name != "a" || !ps[0].Revoked() || ps[1].Revoked() || ps[1].CreatedAt.IsZero() {
			t.Errorf("list: %+v %v", ps, err)
		}
	})
}

func TestIdempotency(t *testing.T) {
	forEach(t, func(t *testing.T, b backend, s *DB, dir string) {
		ctx := context.Background()
		o := Origin{Portal: "a", IdemKey: "k1", IdemHash: "h1"}
		first, _, err := createFrom(t, s, o, "%PDF-1 one")
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name   string
			o      Origin
			err    error
			sameID bool
		}{
			{"same key, same request", o, ErrReplay, true},
			{"same key, other request", Origin{Portal: "a", IdemKey: "k1", IdemHash: "h2"}, ErrIdempotencyConflict, true},
			{"same key, other portal", Origin{Portal: "b", IdemKey: "k1", IdemHash: "h1"}, nil, false},
			{"other key", Origin{Portal: "a", IdemKey: "k2", IdemHash: "h1"}, nil, false},
		}
		for _, tt := range tests {
			d, prior, err := createFrom(t, s, tt.o, "%PDF-1 two")
			if !errors.Is(err, tt.err) {
				t.Errorf("%s: %v, want %v", tt.name, err, tt.err)
			}
			if tt.sameID && (prior.ID != first.ID || prior.Status != dossier.Received) {
				t.Errorf("%s: prior %+v, want %s", tt.name, prior, first.ID)
			}
			if ok, _ := s.Exists(ctx, d.ID); ok == tt.sameID {
				t.Errorf("%s: new dossier stored %v", tt.name, ok)
			}
		}
		if n := count(t, s, `SELECT COUNT(*) FROM dossiers`); n != 3 {
			t.Errorf("%d dossiers, want 3", n)
		}
		// Past the TTL the key is swept, and may be used again.
		if _, err := s.w.Exec(s.q(`UPDATE idempotency_keys SET created_at = ? WHERE key = 'k2'`), s.dialect.time(time.Now().Add(-IdempotencyTTL-time.Minute))); err != nil {
			t.Fatal(err)
		}
		sw, err := s.Sweep(ctx, time.Hour)
		if err != nil || sw.IdemKeys != 1 {
			t.Errorf("sweep: %+v %v, want 1 key", sw, err)
		}
		if _, _, err := createFrom(t, s, Origin{Portal: "a", IdemKey: "k2", IdemHash: "h9"}, "%PDF-1 three"); err != nil {
			t.Errorf("expired key reused: %v", err)
		}
		// A purge takes the dossier's key with it.
		if err := s.Purge(ctx, first.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := createFrom(t, s, o, "%PDF-1 one"); err != nil {
			t.Errorf("key of a purged dossier: %v", err)
		}
	})
}

func TestListAndVerdict(t *testing.T) {
	forEach(t, func(t *testing.T, b backend, s *DB, dir string) {
		ctx := context.Background()
		var ids []string
		for i := range 23 {
			portal := "a"
			if i%5 == 4 {
				portal = "b"
			}
			d, _, err := createFrom(t, s, Origin{Portal: portal}, "%PDF-1 same")
			if err != nil {
				t.Fatal(err)
			}
			if portal == "a" {
				ids = append(ids, d.ID)
			}
		}
		if err := s.Finish(ctx, ids[3], []byte(`{"verdict":"reject","findings":[]}`), ""); err != nil {
			t.Fatal(err)
		}
		if m, err := s.Summary(ctx, ids[3]); err != nil || m.Verdict != "reject" || m.Status != dossier.Done || m.Portal != "a" || m.Procedure != "be-pcp-m36" {
			t.Errorf("summary %+v %v", m, err)
		}
		// A rules-only re-check moves the verdict too.
		if ok, err := s.Rechecked(ctx, ids[3], []byte(`{"verdict":"review"}`)); !ok || err != nil {
			t.Fatalf("rechecked: %v %v", ok, err)
		}
		if l, _ := s.List(ctx, Query{Portal: "a", Verdict: "review", Limit: 10}); len(l) != 1 || l[0].ID != ids[3] {
			t.Errorf("after a re-check, listed as review: %+v", l)
		}
		if err := s.Finish(ctx, ids[3], []byte(`{"verdict":"reject","findings":[]}`), ""); !errors.Is(err, ErrFinished) {
			t.Fatal(err)
		}
		if _, err := s.Rechecked(ctx, ids[3], []byte(`{"verdict":"reject"}`)); err != nil {
			t.Fatal(err)
		}
		// Pages of 4 walk every dossier of portal a once, newest first.
		var seen []Summary
		var after *Cursor
		for range 10 {
			page, err := s.List(ctx, Query{Portal: "a", Limit: 4, After: after})
			if err != nil {
				t.Fatal(err)
			}
			seen = append(seen, page...)
			if len(page) < 4 {
				break
			}
			last := page[len(page)-1]
			after = &Cursor{CreatedAt: last.CreatedAt, ID: last.ID}
		}
		if len(seen) != len(ids) {
			t.Fatalf("listed %d, want %d", len(seen), len(ids))
		}
		got := map[string]bool{}
		for i, m := range seen {
			got[m.ID] = true
			if i > 0 && (m.CreatedAt.After(seen[i-1].CreatedAt) || m.CreatedAt.Equal(seen[i-1].CreatedAt) && m.ID > seen[i-1].ID) {
				t.Errorf("not newest first at %d", i)
			}
		}
		for _, id := range ids {
			if !got[id] {
				t.Errorf("%s not listed", id)
			}
		}
		for _, tt := range []struct {
			name string
			q    Query
			want int
		}{
			{"verdict", Query{Portal: "a", Verdict: "reject", Limit: 100}, 1},
			{"status", Query{Portal: "a", Status: dossier.Received, Limit: 100}, len(ids) - 1},
			{"procedure", Query{Portal: "a", Procedure: "fr-ants-permis", Limit: 100}, 0},
			{"other portal", Query{Portal: "b", Limit: 100}, 23 - len(ids)},
			{"since", Query{Portal: "a", Since: time.Now().Add(time.Hour), Limit: 100}, 0},
			{"since before", Query{Portal: "a", Since: time.Now().Add(-time.Hour), Limit: 100}, len(ids)},
		} {
			if l, err := s.List(ctx, tt.q); err != nil || len(l) != tt.want {
				t.Errorf("%s: %d %v, want %d", tt.name, len(l), err, tt.want)
			}
		}
	})
}

func TestDeliveries(t *testing.T) {
	forEach(t, func(t *testing.T, b backend, s *DB, dir string) {
		ctx := context.Background()
		d := create(t, s, "%PDF-1 x")
		for i, code := range []int{500, 200} {
			errText := ""
			if code != 200 {
				errText = "status 500"
			}
			if err := s.RecordDelivery(ctx, Delivery{DossierID: d.ID, Event: "dossier.checked", Attempt: i + 1, URL: "http://h/x",
				StatusCode: code, Error: errText, Duration: 1500 * time.Millisecond}); err != nil {
				t.Fatal(err)
			}
		}
		ds, err := s.Deliveries(ctx, d.ID)
		if err != nil || len(ds) != 2 || ds[0].StatusCode != 500 || ds[0].Error != "status 500" || ds[1].Attempt != 2 ||
			ds[1].Duration != 1500*time.Millisecond || ds[1].At.IsZero() {
			t.Fatalf("deliveries %+v %v", ds, err)
		}
		if err := s.Purge(ctx, d.ID); err != nil {
			t.Fatal(err)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM deliveries`); n != 0 {
			t.Errorf("%d deliveries left after purge", n)
		}
		if err := s.RecordDelivery(ctx, Delivery{DossierID: d.ID, Event: "dossier.checked", Attempt: 3}); !errors.Is(err, ErrNotFound) {
			t.Errorf("delivery of a purged dossier: %v", err)
		}
		if err := s.Ping(ctx); err != nil {
			t.Error(err)
		}
	})
}

// A store made before portals (migration 1 only) keeps its dossiers: they
// belong to no portal, and a done one's verdict is read from its report.
func TestMigrationToPortals(t *testing.T) {
	forEach(t, func(t *testing.T, b backend, s *DB, dir string) {
		ctx := context.Background()
		d := create(t, s, "%PDF-1 before portals")
		if err := s.Finish(ctx, d.ID, []byte(`{"verdict":"accept","findings":[]}`), ""); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{`DROP TABLE deliveries`, `DROP TABLE idempotency_keys`, `DROP TABLE portals`, `DROP INDEX dossiers_portal_created`,
			`ALTER TABLE dossiers DROP COLUMN portal`, `ALTER TABLE dossiers DROP COLUMN verdict`, `DELETE FROM schema_migrations WHERE version = 2`} {
			if _, err := s.w.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		s.Close()
		s = b.open(t, dir)
		m, err := s.Summary(ctx, d.ID)
		if err != nil || m.Portal != "" || m.Verdict != "accept" || m.Status != dossier.Done {
			t.Errorf("dossier from before portals: %+v %v", m, err)
		}
		if l, err := s.List(ctx, Query{Portal: "any", Limit: 10}); err != nil || len(l) != 0 {
			t.Errorf("seen by a portal: %+v %v", l, err)
		}
	})
}
