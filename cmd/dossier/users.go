package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"dossiercheck/config"
	"dossiercheck/review"
	"dossiercheck/store"
)

const usersUsage = `usage:
  dossier users add NAME --role clerk|admin [--data DIR] [--store SPEC]   (password on stdin, one line)
  dossier users list [--data DIR] [--store SPEC]
  dossier users disable NAME [--data DIR] [--store SPEC]`

// users manages the clerks' accounts of the review workspace.
func users(ctx context.Context, args []string, in io.Reader, out io.Writer) error {
	if len(args) == 0 {
		return usageError{errors.New("users needs add, list or disable\n" + usersUsage)}
	}
	cmd, args := args[0], args[1:]
	// The name may come before or after the flags.
	var name string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("users "+cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cfg := config.Register(fs)
	role := fs.String("role", store.RoleClerk, "clerk or admin")
	if err := fs.Parse(args); err != nil {
		return usageError{err}
	}
	if name == "" && fs.NArg() > 0 {
		name = fs.Arg(0)
	}
	needName := cmd == "add" || cmd == "disable"
	switch {
	case cmd != "add" && cmd != "list" && cmd != "disable":
		return usageError{fmt.Errorf("unknown users command %q\n%s", cmd, usersUsage)}
	case needName && name == "":
		return usageError{fmt.Errorf("users %s needs a name\n%s", cmd, usersUsage)}
	case *role != store.RoleClerk && *role != store.RoleAdmin:
		return usageError{fmt.Errorf("--role must be clerk or admin, not %q", *role)}
	}
	st, err := store.Connect(ctx, cfg.Store, cfg.DataDir)
	if err != nil {
		return err
	}
	defer st.Close()
	switch cmd {
	case "add":
		line, err := bufio.NewReader(in).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read password: %w", err)
		}
		hash, err := review.HashPassword(strings.TrimRight(line, "\r\n"))
		if err != nil {
			return usageError{err}
		}
		if err := st.AddUser(ctx, name, *role, hash); err != nil {
			return fmt.Errorf("add %s: %w", name, err)
		}
		fmt.Fprintf(out, "added %s (%s)\n", name, *role)
	case "disable":
		if err := st.SetUserDisabled(ctx, name, true); err != nil {
			return fmt.Errorf("disable %s: %w", name, err)
		}
		fmt.Fprintf(out, "disabled %s\n", name)
	case "list":
		us, err := st.Users(ctx)
		if err != nil {
			return err
		}
		for _, u := range us {
			state := "active"
			switch {
			case u.Disabled:
				state = "disabled"
			case u.LockedUntil.After(time.Now()):
				state = "locked until " + u.LockedUntil.Format(time.RFC3339)
			}
			fmt.Fprintf(out, "%s\t%s\t%s\tsince %s\n", u.Name, u.Role, state, u.CreatedAt.Format(time.DateOnly))
		}
	}
	return nil
}
