#!/usr/bin/env bash
# Install the Debian packages the test suite drives (Chromium for the browser journeys)
# when they are missing. Playwright never downloads a browser of its own here.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# msgfmt: the test that the committed .mo files match their .po (issue #17).
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)  # axe-core for the browser crawl
command -v node >/dev/null 2>&1 || missing+=(nodejs)  # ical.js, FHIR R4 schema (tests/js)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null 2>&1; then
  echo "Missing ${missing[*]}: install it with your package manager (apt-get install ${missing[*]})." >&2
  exit 1
fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "Installing ${missing[*]} from Debian's packages..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
