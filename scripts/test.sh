#!/usr/bin/env bash
# Runs every test: installs what is missing first, then vet and go test
# (unit, pipeline on real Tesseract and poppler, end-to-end on real Redis).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
go vet ./...
go test -count=1 -timeout 30m ./... "$@"
