#!/usr/bin/env bash
# Regenerates the screenshots of the clerks' workspace in docs/screens/
# (queue, dossier page, applicant letter) with the browser test, on the
# demo's rejected ANTS dossier. Needs Chromium (scripts/deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
go test -count=1 -run 'TestBrowserReview$' ./e2e/ -screens
ls -l docs/screens/
