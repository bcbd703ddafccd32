package store

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestUsersAndSessions(t *testing.T) {
	forEach(t, func(t *testing.T, _ backend, s *DB, _ string) {
		ctx := context.Background()
		if err := s.AddUser(ctx, "alice", RoleClerk, "h1"); err != nil {
			t.Fatal(err)
		}
		if err := s.AddUser(ctx, "alice", RoleAdmin, "h2"); !errors.Is(err, ErrUserExists) {
			t.Fatalf("second alice: %v, want ErrUserExists", err)
		}
		if err := s.AddUser(ctx, "bob", "boss", "h"); err == nil {
			t.Fatal("role boss accepted")
		}
		c, err := s.Credentials(ctx, "alice")
		if err != nil || c.Hash != "h1" || c.Role != RoleClerk {
			t.Fatalf("credentials: %+v %v", c, err)
		}
		now := time.Now()
		if err := s.CreateSession(ctx, "tok", "alice", "csrf", now, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		ss, err := s.Session(ctx, "tok", now)
		if err != nil || ss.User.Name != "alice" || ss.CSRF != "csrf" {
			t.Fatalf("session: %+v %v", ss, err)
		}
		if _, err := s.Session(ctx, "tok", now.Add(2*time.Hour)); !errors.Is(err, ErrNoSession) {
			t.Fatalf("expired session: %v", err)
		}
		// Failures lock at the third here; the count starts again after.
		for i, want := range []bool{false, false, true} {
			locked, err := s.LoginFailed(ctx, "alice", 3, 15*time.Minute, now)
			if err != nil || locked != want {
				t.Fatalf("failure %d: locked %v %v, want %v", i+1, locked, err, want)
			}
		}
		if c, _ := s.Credentials(ctx, "alice"); !c.LockedUntil.After(now.Add(14 * time.Minute)) {
			t.Fatalf("locked until %v", c.LockedUntil)
		}
		if err := s.SetUserDisabled(ctx, "alice", true); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Session(ctx, "tok", now); !errors.Is(err, ErrNoSession) {
			t.Fatalf("session of a disabled user: %v", err)
		}
		if _, err := s.Credentials(ctx, "alice"); !errors.Is(err, ErrNoUser) {
			t.Fatalf("credentials of a disabled user: %v", err)
		}
		if err := s.SetUserDisabled(ctx, "nobody", true); !errors.Is(err, ErrNoUser) {
			t.Fatalf("disable nobody: %v", err)
		}
	})
}

// finish gives a dossier a report with a verdict.
func finish(t *testing.T, s *DB, id, verdict string) {
	t.Helper()
	if err := s.Finish(context.Background(), id, []byte(fmt.Sprintf(`{"verdict":%q,"findings":[]}`, verdict)), ""); err != nil {
		t.Fatal(err)
	}
}

func TestQueueOrderAndDecisions(t *testing.T) {
	forEach(t, func(t *testing.T, _ backend, s *DB, _ string) {
		ctx := context.Background()
		accept := create(t, s, "a")
		reject := create(t, s, "b")
		review := create(t, s, "c")
		decided := create(t, s, "d")
		pending := create(t, s, "e") // no report yet
		finish(t, s, accept.ID, "accept")
		finish(t, s, reject.ID, "reject")
		finish(t, s, review.ID, "review")
		finish(t, s, decided.ID, "review")
		if err := s.Decide(ctx, decided.ID, Decision{Decision: "accept", Reason: "pièce lue", Clerk: "alice", At: time.Now()}); err != nil {
			t.Fatal(err)
		}
		if err := s.Decide(ctx, decided.ID, Decision{Decision: "maybe", Clerk: "alice"}); err == nil {
			t.Fatal("decision maybe accepted")
		}
		items, counts, err := s.Queue(ctx, QueueFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, it := range items {
			got = append(got, it.ID)
		}
		want := []string{review.ID, reject.ID, accept.ID, decided.ID, pending.ID}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("queue order %v, want %v", got, want)
		}
		if counts.Total != 5 || counts.Waiting["review"] != 1 || counts.Waiting["reject"] != 1 || counts.Waiting["accept"] != 1 {
			t.Errorf("counts %+v", counts)
		}
		tests := []struct {
			f    QueueFilter
			want int
		}{
			{QueueFilter{State: "waiting"}, 3},
			{QueueFilter{State: "decided"}, 1},
			{QueueFilter{Verdict: "review"}, 2},
			{QueueFilter{Status: "received"}, 1},
			{QueueFilter{Procedure: "be-pcp-m36"}, 0},
			{QueueFilter{From: time.Now().Add(time.Hour)}, 0},
			{QueueFilter{To: time.Now().Add(time.Hour)}, 5},
			{QueueFilter{Limit: 2, Offset: 4}, 1},
		}
		for _, tt := range tests {
			items, _, err := s.Queue(ctx, tt.f)
			if err != nil || len(items) != tt.want {
				t.Errorf("Queue(%+v): %d items %v, want %d", tt.f, len(items), err, tt.want)
			}
		}
		if err := s.Override(ctx, decided.ID, Override{Finding: 2, Rule: "ANTS-4", Justification: "date lue à la main", Clerk: "alice", At: time.Now()}); err != nil {
			t.Fatal(err)
		}
		if err := s.AddAudit(ctx, decided.ID, "bob", AuditView, ""); err != nil {
			t.Fatal(err)
		}
		r, err := s.ReviewOf(ctx, decided.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Decision == nil || r.Decision.Decision != "accept" || r.Decision.Reason != "pièce lue" {
			t.Errorf("decision %+v", r.Decision)
		}
		if len(r.Overrides) != 1 || r.Overrides[0].Rule != "ANTS-4" {
			t.Errorf("overrides %+v", r.Overrides)
		}
		var actions []string
		for _, a := range r.Audit {
			actions = append(actions, a.Actor+":"+a.Action)
		}
		if fmt.Sprint(actions) != "[alice:decide alice:override bob:view]" {
			t.Errorf("audit %v", actions)
		}
		// Append-only: an entry cannot be changed.
		if _, err := s.w.ExecContext(ctx, `UPDATE audit SET actor = 'mallory'`); err == nil {
			t.Error("audit entry changed")
		}
		if err := s.AddAudit(ctx, "nosuch", "bob", AuditView, ""); !errors.Is(err, ErrNotFound) {
			t.Errorf("audit of an unknown dossier: %v", err)
		}
	})
}

func TestPurgeTakesClerkRecords(t *testing.T) {
	forEach(t, func(t *testing.T, _ backend, s *DB, _ string) {
		ctx := context.Background()
		d := create(t, s, "x")
		finish(t, s, d.ID, "reject")
		if err := s.Decide(ctx, d.ID, Decision{Decision: "reject", Reason: "facture ancienne", Clerk: "alice", At: time.Now()}); err != nil {
			t.Fatal(err)
		}
		if err := s.PutPageImage(ctx, d.ID, 0, 1, PageImage{FrameW: 10, FrameH: 20, ContentType: "image/jpeg", Data: []byte("img")}); err != nil {
			t.Fatal(err)
		}
		if p, ok, err := s.PageImage(ctx, d.ID, 0, 1); err != nil || !ok || p.FrameH != 20 || string(p.Data) != "img" {
			t.Fatalf("page image %+v %v %v", p, ok, err)
		}
		if err := s.Purge(ctx, d.ID); err != nil {
			t.Fatal(err)
		}
		for _, table := range []string{"decisions", "overrides", "audit", "page_images"} {
			if n := count(t, s, `SELECT COUNT(*) FROM `+table); n != 0 {
				t.Errorf("%s: %d rows after purge", table, n)
			}
		}
		if err := s.PutPageImage(ctx, d.ID, 0, 1, PageImage{ContentType: "image/jpeg", Data: []byte("img")}); !errors.Is(err, ErrNotFound) {
			t.Errorf("page image of a purged dossier: %v", err)
		}
	})
}
