#!/usr/bin/env bash
# Runs every test: installs what is missing first, then vet and go test
# (unit, pipeline on real Tesseract and poppler, end-to-end on real Redis).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
# PostgreSQL for the tests of the PostgreSQL store (DOSSIER_TEST_POSTGRES
# names the server; =off skips them): start the local cluster when no
# server answers, and give this user a role that may create databases.
if [ "${DOSSIER_TEST_POSTGRES:-}" != off ]; then
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    ver=$(ls /etc/postgresql | sort -V | tail -1)
    echo "starting PostgreSQL $ver" >&2
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$ver" main start
    for _ in $(seq 100); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.2; done
  fi
  if [ -z "${DOSSIER_TEST_POSTGRES:-}" ]; then
    me=$(id -un)
    as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
    # Over TCP where the server trusts local clients (CI), else over the
    # socket with peer authentication (Debian's default).
    tcp="postgres://$me@127.0.0.1:5432/postgres?sslmode=disable"
    sock="postgres:///postgres?host=/var/run/postgresql"
    if psql "$tcp" -tAc 'SELECT 1' >/dev/null 2>&1; then
      DOSSIER_TEST_POSTGRES=$tcp
    else
      psql "$sock" -tAc 'SELECT 1' >/dev/null 2>&1 || as_postgres createuser "$me"
      DOSSIER_TEST_POSTGRES=$sock
    fi
    if [ "$(psql "$DOSSIER_TEST_POSTGRES" -tAc 'SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user')" != t ]; then
      as_postgres psql -q -c "ALTER ROLE \"$me\" CREATEDB"
    fi
    export DOSSIER_TEST_POSTGRES
  fi
fi
go vet ./...
go test -count=1 -timeout 30m ./... "$@"
