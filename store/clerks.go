package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Clerks' records: accounts, sessions, decisions, overrides, the audit
// trail (migration 0003_clerks). Passwords arrive hashed and session
// tokens as their SHA-256: the store never sees a secret.

var (
	// ErrUserExists is returned when adding a name already taken.
	ErrUserExists = errors.New("user already exists")
	// ErrNoUser is returned for an unknown (or disabled, where it says so) user.
	ErrNoUser = errors.New("no such user")
	// ErrNoSession is returned for an unknown or expired session.
	ErrNoSession = errors.New("no such session")
)

// Roles of users.
const (
	RoleClerk = "clerk"
	RoleAdmin = "admin"
)

// User is a clerk's or an administrator's account.
type User struct {
	Name        string
	Role        string
	Disabled    bool
	CreatedAt   time.Time
	LockedUntil time.Time // zero when not locked
}

// AddUser creates an account with a password hash.
func (s *DB) AddUser(ctx context.Context, name, role, hash string) error {
	if role != RoleClerk && role != RoleAdmin {
		return fmt.Errorf("store add user: role %q is neither clerk nor admin", role)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM users WHERE name = ?`), name).Scan(&n); err != nil {
		return fmt.Errorf("store add user: %w", err)
	}
	if n > 0 {
		return ErrUserExists
	}
	_, err := s.w.ExecContext(ctx, s.q(`INSERT INTO users (name, role, password_hash, created_at) VALUES (?,?,?,?)`),
		name, role, hash, s.dialect.time(time.Now()))
	if err != nil {
		return fmt.Errorf("store add user %s: %w", name, err)
	}
	return nil
}

// Users lists the accounts by name.
func (s *DB) Users(ctx context.Context) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, role, disabled, created_at, locked_until FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store users: %w", err)
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		var u User
		var disabled int
		var locked string
		if err := rows.Scan(&u.Name, &u.Role, &disabled, scanTime{&u.CreatedAt}, &locked); err != nil {
			return nil, fmt.Errorf("store users: %w", err)
		}
		u.Disabled = disabled != 0
		u.LockedUntil, _ = time.Parse(time.RFC3339, locked)
		out = append(out, u)
	}
	return out, rows.Err()
}

// SetUserDisabled disables (or enables again) an account; disabling it
// ends its sessions.
func (s *DB) SetUserDisabled(ctx context.Context, name string, disabled bool) error {
	v := 0
	if disabled {
		v = 1
	}
	res, err := s.w.ExecContext(ctx, s.q(`UPDATE users SET disabled = ? WHERE name = ?`), v, name)
	if err != nil {
		return fmt.Errorf("store disable %s: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNoUser
	}
	if disabled {
		if _, err := s.w.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE user_name = ?`), name); err != nil {
			return fmt.Errorf("store disable %s: sessions: %w", name, err)
		}
	}
	return nil
}

// Credentials are what a login is checked against.
type Credentials struct {
	User
	Hash string
}

// Credentials reads an enabled account and its password hash; a disabled
// or unknown one is ErrNoUser.
func (s *DB) Credentials(ctx context.Context, name string) (Credentials, error) {
	var c Credentials
	var disabled int
	var locked string
	err := s.db.QueryRowContext(ctx, s.q(`SELECT name, role, disabled, created_at, locked_until, password_hash FROM users WHERE name = ?`), name).
		Scan(&c.Name, &c.Role, &disabled, scanTime{&c.CreatedAt}, &locked, &c.Hash)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && disabled != 0) {
		return Credentials{}, ErrNoUser
	}
	if err != nil {
		return Credentials{}, fmt.Errorf("store credentials: %w", err)
	}
	c.LockedUntil, _ = time.Parse(time.RFC3339, locked)
	return c, nil
}

// LoginFailed counts a failed login of name; at the max-th failure in a
// row the account is locked until now+lock and the count starts again.
// It reports whether this failure locked the account.
func (s *DB) LoginFailed(ctx context.Context, name string, max int, lock time.Duration, now time.Time) (bool, error) {
	var failures int
	err := s.w.QueryRowContext(ctx, s.q(`UPDATE users SET failures = failures + 1 WHERE name = ? RETURNING failures`), name).Scan(&failures)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store login failed: %w", err)
	}
	if failures < max {
		return false, nil
	}
	_, err = s.w.ExecContext(ctx, s.q(`UPDATE users SET failures = 0, locked_until = ? WHERE name = ?`), now.Add(lock).UTC().Format(time.RFC3339), name)
	if err != nil {
		return false, fmt.Errorf("store lock %s: %w", name, err)
	}
	return true, nil
}

// LoginSucceeded clears the failure count of name.
func (s *DB) LoginSucceeded(ctx context.Context, name string) error {
	if _, err := s.w.ExecContext(ctx, s.q(`UPDATE users SET failures = 0, locked_until = '' WHERE name = ?`), name); err != nil {
		return fmt.Errorf("store login: %w", err)
	}
	return nil
}

// Session is a signed-in user's session.
type Session struct {
	User    User
	CSRF    string
	Expires time.Time
}

// CreateSession records a session by its token's hash.
func (s *DB) CreateSession(ctx context.Context, tokenHash, user, csrf string, now, expires time.Time) error {
	// Expired sessions of anyone go at each login: they are few.
	if _, err := s.w.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE expires_at < ?`), s.dialect.time(now)); err != nil {
		return fmt.Errorf("store session: %w", err)
	}
	_, err := s.w.ExecContext(ctx, s.q(`INSERT INTO sessions (token_hash, user_name, csrf, created_at, expires_at) VALUES (?,?,?,?,?)`),
		tokenHash, user, csrf, s.dialect.time(now), s.dialect.time(expires))
	if err != nil {
		return fmt.Errorf("store session: %w", err)
	}
	return nil
}

// Session reads a live session of an enabled user.
func (s *DB) Session(ctx context.Context, tokenHash string, now time.Time) (Session, error) {
	var ss Session
	var disabled int
	err := s.db.QueryRowContext(ctx, s.q(`SELECT u.name, u.role, u.disabled, s.csrf, s.expires_at FROM sessions s JOIN users u ON u.name = s.user_name
		WHERE s.token_hash = ? AND s.expires_at > ?`), tokenHash, s.dialect.time(now)).
		Scan(&ss.User.Name, &ss.User.Role, &disabled, &ss.CSRF, scanTime{&ss.Expires})
	if errors.Is(err, sql.ErrNoRows) || (err == nil && disabled != 0) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, fmt.Errorf("store session: %w", err)
	}
	return ss, nil
}

// DeleteSession ends a session.
func (s *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	if _, err := s.w.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE token_hash = ?`), tokenHash); err != nil {
		return fmt.Errorf("store end session: %w", err)
	}
	return nil
}

// Decision is a clerk's decision on a dossier. The report's verdict is
// left as the pipeline wrote it.
type Decision struct {
	Decision string    `json:"decision"` // accept or reject
	Reason   string    `json:"reason"`
	Clerk    string    `json:"clerk"`
	At       time.Time `json:"at"`
}

// Override is a finding a clerk set aside, with why.
type Override struct {
	Finding       int       `json:"finding"` // index in the report's findings
	Rule          string    `json:"rule"`
	Justification string    `json:"justification"`
	Clerk         string    `json:"clerk"`
	At            time.Time `json:"at"`
}

// AuditEntry is one line of the audit trail.
type AuditEntry struct {
	Seq    int64     `json:"seq"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	Detail string    `json:"detail,omitempty"`
	At     time.Time `json:"at"`
}

// Audit actions.
const (
	AuditView     = "view"
	AuditDecide   = "decide"
	AuditOverride = "override"
	AuditLogin    = "login"
	AuditLogout   = "logout"
	AuditLocked   = "locked"
)

// execer is a transaction or the write pool.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

func (s *DB) audit(ctx context.Context, ex execer, id, actor, action, detail string, at time.Time) error {
	var dossierID any
	if id != "" {
		dossierID = id
	}
	_, err := ex.ExecContext(ctx, s.q(`INSERT INTO audit (dossier_id, actor, action, detail, at) VALUES (?,?,?,?,?)`),
		dossierID, actor, action, detail, s.dialect.time(at))
	if err != nil {
		return fmt.Errorf("store audit: %w", err)
	}
	return nil
}

// AddAudit appends an entry to the audit trail; id is empty for what
// concerns no dossier (a login). An unknown dossier is ErrNotFound.
func (s *DB) AddAudit(ctx context.Context, id, actor, action, detail string) error {
	err := s.audit(ctx, s.w, id, actor, action, detail, time.Now())
	if err != nil && id != "" {
		if ok, _ := s.Exists(ctx, id); !ok {
			return ErrNotFound
		}
	}
	return err
}

// Decide records a clerk's decision on a dossier (replacing an earlier
// one) and its audit entry, in one transaction.
func (s *DB) Decide(ctx context.Context, id string, d Decision) error {
	if d.Decision != "accept" && d.Decision != "reject" {
		return fmt.Errorf("store decide %s: decision %q is neither accept nor reject", id, d.Decision)
	}
	return s.withAudit(ctx, id, "decide", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO decisions (dossier_id, decision, reason, clerk, decided_at) VALUES (?,?,?,?,?)
		ON CONFLICT (dossier_id) DO UPDATE SET decision = excluded.decision, reason = excluded.reason, clerk = excluded.clerk, decided_at = excluded.decided_at`),
			id, d.Decision, d.Reason, d.Clerk, s.dialect.time(d.At)); err != nil {
			return err
		}
		return s.audit(ctx, tx, id, d.Clerk, AuditDecide, d.Decision+": "+d.Reason, d.At)
	})
}

// Override records that a clerk set a finding aside, with its audit entry.
func (s *DB) Override(ctx context.Context, id string, o Override) error {
	return s.withAudit(ctx, id, "override", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO overrides (dossier_id, finding, rule, justification, clerk, at) VALUES (?,?,?,?,?,?)
		ON CONFLICT (dossier_id, finding) DO UPDATE SET rule = excluded.rule, justification = excluded.justification, clerk = excluded.clerk, at = excluded.at`),
			id, o.Finding, o.Rule, o.Justification, o.Clerk, s.dialect.time(o.At)); err != nil {
			return err
		}
		return s.audit(ctx, tx, id, o.Clerk, AuditOverride, fmt.Sprintf("%s #%d: %s", o.Rule, o.Finding, o.Justification), o.At)
	})
}

// withAudit runs record, which writes a clerk's record and its audit
// entry, in one transaction on a stored dossier (ErrNotFound otherwise).
func (s *DB) withAudit(ctx context.Context, id, what string, record func(tx *sql.Tx) error) (err error) {
	if ok, err := s.Exists(ctx, id); err != nil || !ok {
		if err == nil {
			err = ErrNotFound
		}
		return err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store %s %s: %w", what, id, err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	if err := record(tx); err != nil {
		return fmt.Errorf("store %s %s: %w", what, id, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store %s %s: %w", what, id, err)
	}
	return nil
}

// Review is what clerks recorded on one dossier.
type Review struct {
	Decision  *Decision    `json:"decision"`
	Overrides []Override   `json:"overrides"`
	Audit     []AuditEntry `json:"audit"`
}

// ReviewOf reads the decision, overrides and audit trail of a dossier
// (empty for a dossier no clerk has opened).
func (s *DB) ReviewOf(ctx context.Context, id string) (Review, error) {
	var r Review
	var d Decision
	err := s.db.QueryRowContext(ctx, s.q(`SELECT decision, reason, clerk, decided_at FROM decisions WHERE dossier_id = ?`), id).
		Scan(&d.Decision, &d.Reason, &d.Clerk, scanTime{&d.At})
	switch {
	case err == nil:
		r.Decision = &d
	case !errors.Is(err, sql.ErrNoRows):
		return r, fmt.Errorf("store decision %s: %w", id, err)
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT finding, rule, justification, clerk, at FROM overrides WHERE dossier_id = ? ORDER BY finding`), id)
	if err != nil {
		return r, fmt.Errorf("store overrides %s: %w", id, err)
	}
	for rows.Next() {
		var o Override
		if err := rows.Scan(&o.Finding, &o.Rule, &o.Justification, &o.Clerk, scanTime{&o.At}); err != nil {
			rows.Close()
			return r, fmt.Errorf("store overrides %s: %w", id, err)
		}
		r.Overrides = append(r.Overrides, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return r, fmt.Errorf("store overrides %s: %w", id, err)
	}
	rows, err = s.db.QueryContext(ctx, s.q(`SELECT seq, actor, action, detail, at FROM audit WHERE dossier_id = ? ORDER BY seq`), id)
	if err != nil {
		return r, fmt.Errorf("store audit %s: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var a AuditEntry
		if err := rows.Scan(&a.Seq, &a.Actor, &a.Action, &a.Detail, scanTime{&a.At}); err != nil {
			return r, fmt.Errorf("store audit %s: %w", id, err)
		}
		r.Audit = append(r.Audit, a)
	}
	return r, rows.Err()
}

// PageImage is a page rendered for the review pages. FrameW and FrameH
// are the size of the frame the report's boxes are in (the page as the
// pipeline read it), which may differ from the image's own.
type PageImage struct {
	FrameW, FrameH int
	ContentType    string
	Data           []byte
}

// PageImage reads a cached page image (false when none is cached).
func (s *DB) PageImage(ctx context.Context, id string, file, page int) (PageImage, bool, error) {
	var p PageImage
	err := s.db.QueryRowContext(ctx, s.q(`SELECT frame_w, frame_h, content_type, data FROM page_images WHERE dossier_id = ? AND file_idx = ? AND page = ?`), id, file, page).
		Scan(&p.FrameW, &p.FrameH, &p.ContentType, &p.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return p, false, nil
	}
	if err != nil {
		return p, false, fmt.Errorf("store page image: %w", err)
	}
	return p, true, nil
}

// PutPageImage caches a page image of a stored dossier; it goes with the
// dossier when that is purged. A dossier purged meanwhile is ErrNotFound.
func (s *DB) PutPageImage(ctx context.Context, id string, file, page int, p PageImage) error {
	_, err := s.w.ExecContext(ctx, s.q(`INSERT INTO page_images (dossier_id, file_idx, page, frame_w, frame_h, content_type, data) VALUES (?,?,?,?,?,?,?)
		ON CONFLICT (dossier_id, file_idx, page) DO NOTHING`), id, file, page, p.FrameW, p.FrameH, p.ContentType, p.Data)
	if err != nil {
		if ok, _ := s.Exists(ctx, id); !ok {
			return ErrNotFound
		}
		return fmt.Errorf("store page image: %w", err)
	}
	return nil
}

// QueueFilter selects the dossiers of the clerks' work queue. Empty
// fields select everything.
type QueueFilter struct {
	State     string // "waiting" (done, no decision yet), "decided", or "" for all
	Status    string // dossier status
	Verdict   string // the report's verdict
	Procedure string
	Portal    string
	From, To  time.Time // received on or after From, before To (zero: open)
	Offset    int
	Limit     int
}

// QueueItem is one dossier in the queue.
type QueueItem struct {
	ID         string
	Procedure  string
	Submitted  time.Time
	Status     string
	Verdict    string // "" until there is a report
	Decision   string // "" until a clerk decided
	ReceivedAt time.Time
}

// QueueCounts are the counts of a queue's dossiers: all those the filter
// selects, and those among them waiting for a clerk, by verdict.
type QueueCounts struct {
	Total   int
	Waiting map[string]int
}

// verdictExpr reads the verdict from the report as each backend can.
// The portals migration adds a verdict column; the report stays the
// reference here, as it is for every dossier stored before it.
func (s *DB) verdictExpr() string {
	if s.dialect.name == "postgres" {
		return `COALESCE(d.report->>'verdict', '')`
	}
	return `COALESCE(json_extract(d.report, '$.verdict'), '')`
}

// HasPortalColumn says whether dossiers have a portal column (added by
// the portals migration): the queue's portal filter needs it.
func (s *DB) HasPortalColumn(ctx context.Context) bool {
	rows, err := s.db.QueryContext(ctx, `SELECT portal FROM dossiers WHERE 1 = 0`)
	if err != nil {
		return false
	}
	rows.Close()
	return true
}

// Queue lists a page of the clerks' work queue: dossiers waiting for a
// clerk first (done, no decision), among them review verdicts, then
// rejects, then the rest; then the others; oldest first within each.
func (s *DB) Queue(ctx context.Context, f QueueFilter) ([]QueueItem, QueueCounts, error) {
	v := s.verdictExpr()
	var where []string
	var args []any
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	switch f.State {
	case "waiting":
		add(`d.status = ? AND c.dossier_id IS NULL`, "done")
	case "decided":
		add(`c.dossier_id IS NOT NULL`)
	}
	if f.Status != "" {
		add(`d.status = ?`, f.Status)
	}
	if f.Verdict != "" {
		add(v+` = ?`, f.Verdict)
	}
	if f.Procedure != "" {
		add(`d.procedure = ?`, f.Procedure)
	}
	if f.Portal != "" {
		add(`d.portal = ?`, f.Portal)
	}
	if !f.From.IsZero() {
		add(`d.created_at >= ?`, s.dialect.time(f.From))
	}
	if !f.To.IsZero() {
		add(`d.created_at < ?`, s.dialect.time(f.To))
	}
	from := ` FROM dossiers d LEFT JOIN decisions c ON c.dossier_id = d.id`
	if len(where) > 0 {
		from += ` WHERE ` + strings.Join(where, ` AND `)
	}
	counts := QueueCounts{Waiting: map[string]int{}}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT `+v+`, CASE WHEN d.status = 'done' AND c.dossier_id IS NULL THEN 1 ELSE 0 END, COUNT(*)`+from+` GROUP BY 1, 2`), args...)
	if err != nil {
		return nil, counts, fmt.Errorf("store queue counts: %w", err)
	}
	for rows.Next() {
		var verdict string
		var waiting, n int
		if err := rows.Scan(&verdict, &waiting, &n); err != nil {
			rows.Close()
			return nil, counts, fmt.Errorf("store queue counts: %w", err)
		}
		counts.Total += n
		if waiting == 1 {
			counts.Waiting[verdict] += n
		}
	}
	rows.Close()
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	order := ` ORDER BY CASE WHEN d.status = 'done' AND c.dossier_id IS NULL THEN 0 ELSE 1 END,
		CASE ` + v + ` WHEN 'review' THEN 0 WHEN 'reject' THEN 1 ELSE 2 END, d.created_at, d.id LIMIT ? OFFSET ?`
	rows, err = s.db.QueryContext(ctx, s.q(`SELECT d.id, d.procedure, d.submitted, d.status, `+v+`, COALESCE(c.decision, ''), d.created_at`+from+order),
		append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, counts, fmt.Errorf("store queue: %w", err)
	}
	defer rows.Close()
	var out []QueueItem
	for rows.Next() {
		var it QueueItem
		if err := rows.Scan(&it.ID, &it.Procedure, scanTime{&it.Submitted}, &it.Status, &it.Verdict, &it.Decision, scanTime{&it.ReceivedAt}); err != nil {
			return nil, counts, fmt.Errorf("store queue: %w", err)
		}
		out = append(out, it)
	}
	return out, counts, rows.Err()
}
