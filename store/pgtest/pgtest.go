// Package pgtest gives tests a fresh PostgreSQL database of their own.
//
// The server is DOSSIER_TEST_POSTGRES (a postgres:// URL of a role that may
// create databases), by default root on 127.0.0.1:5432 without a password
// (scripts/test.sh starts a local server and makes the role). Only
// DOSSIER_TEST_POSTGRES=off skips the tests that need one: anywhere else,
// a server that does not answer fails them.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

// DefaultURL is the server when DOSSIER_TEST_POSTGRES is not set.
const DefaultURL = "postgres://root@127.0.0.1:5432/postgres?sslmode=disable"

// Server returns the URL of the test server, or skips t when the tests
// needing PostgreSQL are turned off.
func Server(t testing.TB) string {
	t.Helper()
	v := os.Getenv("DOSSIER_TEST_POSTGRES")
	switch v {
	case "off":
		t.Skip("DOSSIER_TEST_POSTGRES=off")
	case "":
		v = DefaultURL
	}
	return v
}

// Database creates an empty database dossier_test_<random> on the test
// server, dropped when t ends, and returns its URL.
func Database(t testing.TB) string {
	t.Helper()
	server := Server(t)
	admin, err := sql.Open("pgx", server)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	b := make([]byte, 6)
	rand.Read(b)
	name := "dossier_test_" + hex.EncodeToString(b)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		t.Fatalf("PostgreSQL at %s (set DOSSIER_TEST_POSTGRES, or =off to skip): %v", redacted(server), err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		// FORCE: a process under test may still hold a connection.
		if _, err := admin.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

func redacted(s string) string {
	if u, err := url.Parse(s); err == nil {
		return u.Redacted()
	}
	return "(unparsable URL)"
}
