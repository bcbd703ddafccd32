package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// The users command manages the workspace's accounts in the store of --data.
func TestUsers(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	run := func(stdin string, args ...string) (string, error) {
		var out bytes.Buffer
		err := users(ctx, append(args, "--data", dir), strings.NewReader(stdin), &out)
		return out.String(), err
	}
	tests := []struct {
		name, stdin string
		args        []string
		want        string // in the output; "" when an error is wanted
		usage       bool   // a usage error
	}{
		{"add a clerk", "a long enough password\n", []string{"add", "alice"}, "added alice (clerk)", false},
		{"add an admin", "another long password\n", []string{"add", "bob", "--role", "admin"}, "added bob (admin)", false},
		{"short password", "short\n", []string{"add", "carol"}, "", true},
		{"bad role", "a long enough password\n", []string{"add", "carol", "--role", "boss"}, "", true},
		{"no name", "", []string{"disable"}, "", true},
		{"twice", "a long enough password\n", []string{"add", "alice"}, "", false},
		{"disable", "", []string{"disable", "alice"}, "disabled alice", false},
		{"list", "", []string{"list"}, "alice\tclerk\tdisabled", false},
	}
	for _, tt := range tests {
		out, err := run(tt.stdin, tt.args...)
		var ue usageError
		switch {
		case tt.want != "" && (err != nil || !strings.Contains(out, tt.want)):
			t.Errorf("%s: %q %v, want %q", tt.name, out, err, tt.want)
		case tt.want == "" && err == nil:
			t.Errorf("%s: no error", tt.name)
		case tt.want == "" && tt.usage != errors.As(err, &ue):
			t.Errorf("%s: usage error %v, want %v (%v)", tt.name, !tt.usage, tt.usage, err)
		}
	}
}
