#!/usr/bin/env bash
# Sets up and runs dossiercheck: installs what is missing, starts a Redis if
# none answers, builds, and starts intake and worker on the embedded SQLite
# store under ./var. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
REDIS=${DOSSIER_REDIS:-127.0.0.1:6379}
host=${REDIS%:*}; port=${REDIS##*:}
if ! redis-cli -h "$host" -p "$port" ping >/dev/null 2>&1; then
  echo "starting redis-server on $REDIS (append-only file under var/redis)" >&2
  mkdir -p -m 0700 var var/redis
  # Persistence on and no eviction: asynq's keys must survive and stay.
  redis-server --daemonize yes --bind "$host" --port "$port" --dir "$PWD/var/redis" \
    --appendonly yes --maxmemory-policy noeviction --logfile "$PWD/var/redis/redis.log"
  for _ in $(seq 50); do redis-cli -h "$host" -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
mkdir -p bin
# var holds personal data: private to this user (the services also keep
# their files 0600 and directories 0700).
mkdir -p -m 0700 var && chmod 0700 var
go build -o bin/ ./cmd/...
ADDR=${DOSSIER_ADDR:-127.0.0.1:8080}
# A local demo portal, made on the first start: its credentials are kept
# in var/demo-portal.json (0600; the store keeps only the key's hash) so
# that later starts print the key again.
DEMO=var/demo-portal.json
if [ ! -s "$DEMO" ]; then
  (umask 077; ./bin/dossier portal add demo -data var > "$DEMO.tmp") || {
    rm -f "$DEMO.tmp"
    echo "could not create the demo portal: var holds a portal 'demo' but not $DEMO;" \
      "make another with ./bin/dossier portal add NAME -data var, or start afresh without var" >&2
    exit 1
  }
  mv "$DEMO.tmp" "$DEMO"
fi
chmod 0600 "$DEMO"
DOSSIER_KEY=$(sed -n 's/.*"api_key":"\([^"]*\)".*/\1/p' "$DEMO")
./bin/worker -data var -redis "$REDIS" -public-url "http://$ADDR" & wpid=$!
./bin/intake -data var -redis "$REDIS" -addr "$ADDR" & ipid=$!
trap 'kill $wpid $ipid 2>/dev/null; wait' INT TERM EXIT
for _ in $(seq 100); do curl -fs "http://$ADDR/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
echo "dossiercheck API listening on http://$ADDR (POST /v1/dossiers, GET /v1/dossiers/{id}); Ctrl-C to stop"
echo "demo portal API key (also in $DEMO):"
echo "  export DOSSIER_KEY=$DOSSIER_KEY"
echo "  curl -s -H \"Authorization: Bearer \$DOSSIER_KEY\" http://$ADDR/v1/dossiers"
wait
