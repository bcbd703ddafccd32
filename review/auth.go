package review

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"

	"dossiercheck/store"
	"dossiercheck/wording"
)

// Passwords are hashed with Argon2id at the parameters RFC 9106 §4
// recommends where memory is scarce (t=3, 64 MiB), one lane.
const (
	argonTime    = 3
	argonMemory  = 64 << 10 // KiB
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword hashes a password for the store, in the usual encoded form
// ($argon2id$v=19$m=…,t=…,p=…$salt$hash).
func HashPassword(password string) (string, error) {
	if len(password) < 12 {
		return "", errors.New("password: at least 12 characters")
	}
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword says whether password matches an encoded hash.
func CheckPassword(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when the user is unknown, so that a
// wrong name takes as long as a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("not the password of anyone")
	return h
})

const (
	sessionCookie = "dossier_session"
	loginCookie   = "dossier_login" // the login form's CSRF token
	langCookie    = "lang"
)

// token returns a random secret, URL-safe.
func token() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// tokenHash is what the store keeps of a session token.
func tokenHash(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

// secure says whether the client reached us over TLS (directly, or through
// the trusted proxy).
func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || (s.fromProxy(r) && r.Header.Get("X-Forwarded-Proto") == "https")
}

// fromProxy says whether r comes from the trusted proxy.
func (s *Server) fromProxy(r *http.Request) bool {
	if s.TrustedProxy == "" {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip, want := net.ParseIP(host), net.ParseIP(s.TrustedProxy)
	return ip != nil && want != nil && ip.Equal(want)
}

func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
}

// lang is the page's language: ?lang= (remembered in a cookie), the
// cookie, else French.
func (s *Server) lang(w http.ResponseWriter, r *http.Request) wording.Lang {
	if v := r.URL.Query().Get("lang"); v != "" {
		l := wording.Parse(v)
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
			Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil {
		return wording.Parse(c.Value)
	}
	return wording.FR
}

// signedIn serves h to a signed-in user only; anyone else is sent to the
// login form. A POST must carry the session's CSRF token.
func (s *Server) signedIn(h func(http.ResponseWriter, *http.Request, store.Session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ss, ok := s.session(w, r)
		if !ok {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			http.Error(w, "session expirée : reconnectez-vous", http.StatusUnauthorized)
			return
		}
		if r.Method == http.MethodPost && subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(ss.CSRF)) != 1 {
			http.Error(w, "jeton de formulaire invalide : rechargez la page", http.StatusForbidden)
			return
		}
		h(w, r, ss)
	}
}

// session finds the request's session; in trusted-header mode a user the
// proxy names gets one without a password.
func (s *Server) session(w http.ResponseWriter, r *http.Request) (store.Session, bool) {
	var fromHeader string
	if s.TrustedHeader != "" && s.fromProxy(r) {
		fromHeader = r.Header.Get(s.TrustedHeader)
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		ss, err := s.Store.Session(r.Context(), tokenHash(c.Value), s.now())
		if err == nil && (fromHeader == "" || fromHeader == ss.User.Name) {
			return ss, true
		}
		if err != nil && !errors.Is(err, store.ErrNoSession) {
			s.log().Error("read session", "err", err)
		}
	}
	if fromHeader == "" {
		return store.Session{}, false
	}
	c, err := s.Store.Credentials(r.Context(), fromHeader)
	if err != nil {
		return store.Session{}, false // unknown or disabled here
	}
	ss, err := s.startSession(w, r, c.User)
	return ss, err == nil
}

func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u store.User) (store.Session, error) {
	ttl := s.SessionTTL
	if ttl <= 0 {
		ttl = DefaultSessionTTL
	}
	tok, now := token(), s.now()
	ss := store.Session{User: u, CSRF: token(), Expires: now.Add(ttl)}
	if err := s.Store.CreateSession(r.Context(), tokenHash(tok), u.Name, ss.CSRF, now, ss.Expires); err != nil {
		s.log().Error("create session", "err", err)
		return ss, err
	}
	s.setCookie(w, r, sessionCookie, tok, int(ttl.Seconds()))
	s.Store.AddAudit(r.Context(), "", u.Name, store.AuditLogin, "")
	return ss, nil
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	s.renderLogin(w, r, http.StatusOK, "")
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, msg string) {
	l := s.lang(w, r)
	csrf := token()
	s.setCookie(w, r, loginCookie, csrf, 3600)
	htmlHeaders(w.Header())
	w.WriteHeader(status)
	s.render(w, "login", map[string]any{"L": l, "CSRF": csrf, "Error": msg, "Next": safeNext(r.FormValue("next"))})
}

// safeNext keeps a redirect after login within the workspace.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/review/") && !strings.HasPrefix(next, "//") && !strings.Contains(next, "\\") {
		return next
	}
	return "/review/"
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	l := s.lang(w, r)
	c, err := r.Cookie(loginCookie)
	if err != nil || subtle.ConstantTimeCompare([]byte(c.Value), []byte(r.PostFormValue("csrf"))) != 1 {
		s.renderLogin(w, r, http.StatusForbidden, wording.UI("login.expired", l))
		return
	}
	name, password := strings.TrimSpace(r.PostFormValue("name")), r.PostFormValue("password")
	ctx := r.Context()
	cred, err := s.Store.Credentials(ctx, name)
	if err != nil {
		CheckPassword(dummyHash(), password)
		if !errors.Is(err, store.ErrNoUser) {
			s.log().Error("read credentials", "err", err)
		}
		s.renderLogin(w, r, http.StatusUnauthorized, wording.UI("login.failed", l))
		return
	}
	now := s.now()
	locked := cred.LockedUntil.After(now)
	if locked || !CheckPassword(cred.Hash, password) {
		if !locked {
			if justLocked, err := s.Store.LoginFailed(ctx, name, MaxFailures, LockFor, now); err != nil {
				s.log().Error("count failed login", "err", err)
			} else if justLocked {
				s.log().Warn("account locked after failed logins", "user", name)
				s.Store.AddAudit(ctx, "", name, store.AuditLocked, "")
			}
		}
		s.renderLogin(w, r, http.StatusUnauthorized, wording.UI("login.failed", l))
		return
	}
	if err := s.Store.LoginSucceeded(ctx, name); err != nil {
		s.log().Error("login", "err", err)
	}
	if _, err := s.startSession(w, r, cred.User); err != nil {
		http.Error(w, wording.UI("error.store", l), http.StatusInternalServerError)
		return
	}
	s.setCookie(w, r, loginCookie, "", -1)
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, ss store.Session) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.Store.DeleteSession(r.Context(), tokenHash(c.Value)); err != nil {
			s.log().Error("end session", "err", err)
		}
	}
	s.Store.AddAudit(r.Context(), "", ss.User.Name, store.AuditLogout, "")
	s.setCookie(w, r, sessionCookie, "", -1)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
