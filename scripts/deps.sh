#!/usr/bin/env bash
# Installs what dossiercheck needs on Debian 12 and is missing: Tesseract
# with French data and its headers (gosseract links them), poppler-utils
# (pdftotext, pdftoppm), libtiff-tools (tiffsplit), Redis, Go's build tools.
# Idempotent: does nothing when everything is there.
set -euo pipefail
pkgs=(tesseract-ocr tesseract-ocr-fra libtesseract-dev libleptonica-dev poppler-utils libtiff-tools redis-server gcc pkg-config)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then export PATH=$PATH:/usr/local/go/bin; else
    echo "Go 1.26 or later is needed: install it from go.dev/dl and put it on PATH" >&2; exit 1
  fi
fi
