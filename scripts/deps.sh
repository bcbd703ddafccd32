#!/usr/bin/env bash
# Installs what dossiercheck needs on Debian 12 and is missing: Tesseract
# with French data and its headers (ocr/ links them through cgo), poppler-utils
# (pdftotext, pdftoppm), libtiff-tools (tiffsplit), Redis, a C compiler, and
# Go itself. Idempotent: does nothing when everything is there. Sourced by
# run.sh and test.sh; leaves Go on PATH.
set -euo pipefail
GO_VERSION=1.26.8
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
pkgs=(tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng libtesseract-dev libleptonica-dev poppler-utils libtiff-tools redis-server gcc libc6-dev pkg-config curl ca-certificates fonts-dejavu-core fonts-dejavu-extra)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# Go: Debian 12 ships 1.19, too old for this module. Without a Go on PATH or
# in /usr/local/go, Debian's go only fetches the toolchain module of
# GO_VERSION from the Go module proxy, and that becomes /usr/local/go.
GOROOT_TARGET=${GOROOT_TARGET:-/usr/local/go}
# A go of 1.21 or later fetches the toolchain go.mod names by itself.
go_ok() {
  local v minor
  v=$(go env GOVERSION 2>/dev/null) || return 1
  v=${v#go}; minor=${v#1.}; minor=${minor%%.*}
  [ "${v%%.*}" = 1 ] && [ "$minor" -ge 21 ] 2>/dev/null
}
[ -x "$GOROOT_TARGET/bin/go" ] && export PATH="$GOROOT_TARGET/bin:$PATH"
if ! go_ok; then
  echo "installing Go $GO_VERSION into $GOROOT_TARGET" >&2
  dpkg-query -W -f='${Status}' golang-go 2>/dev/null | grep -q "install ok installed" || {
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends golang-go >&2
  }
  arch=$(dpkg --print-architecture)
  tmp=$(mktemp -d)
  dir=$(cd "$tmp" && GOPATH="$tmp/gopath" GOFLAGS=-modcacherw /usr/lib/go/bin/go mod download -json \
        "golang.org/toolchain@v0.0.1-go${GO_VERSION}.linux-${arch}" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] || { echo "could not download Go $GO_VERSION from the module proxy" >&2; exit 1; }
  $SUDO mkdir -p "$GOROOT_TARGET"
  $SUDO cp -r "$dir/." "$GOROOT_TARGET/"
  # Module zips carry no executable bits.
  $SUDO chmod +x "$GOROOT_TARGET"/bin/* "$GOROOT_TARGET"/pkg/tool/*/*
  rm -rf "$tmp"
  export PATH="$GOROOT_TARGET/bin:$PATH"
fi
go version >&2

# PostgreSQL: the store that intake and workers on several hosts share
# (-store postgres://…), and the server the store's tests run on
# (scripts/test.sh starts the local cluster when none answers).
if ! dpkg-query -W -f='${Status}' postgresql 2>/dev/null | grep -q "install ok installed"; then
  echo "installing: postgresql" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >&2
fi

# Chromium: the clerks' letters print to PDF with it, and the workspace's
# browser test (e2e/browser_test.go) drives it headless.
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing: chromium" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >&2
fi
