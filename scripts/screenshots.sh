#!/usr/bin/env bash
# Regenerates docs/screenshots/*.png: the browser tests (same Chromium, same Playwright setup as ./test.sh) take them
# at the moments they check, when LEDGER_SCREENSHOTS names a directory.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p docs/screenshots
LEDGER_SCREENSHOTS="$PWD/docs/screenshots" ./test.sh --filter "FullyQualifiedName~Ledger.Tests.Browser"
ls -1 docs/screenshots/*.png
