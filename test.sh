#!/usr/bin/env bash
# The whole test suite against a throwaway PostgreSQL cluster. Ends with `tests: N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")"
. scripts/postgres.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Two throwaway clusters: the second stands in for a province's second database server (the
# province tests place one county on each). LEDGER_TEST_DB / LEDGER_TEST_DB_2 set: those are used.
data=$(mktemp -d /tmp/ledger-test-pg.XXXXXX)
chmod 755 "$data"
trap 'pg_stop "$data/pg"; pg_stop "$data/pg2"; rm -rf "$data"' EXIT
port=${LEDGER_TEST_PG_PORT:-$(( 56000 + RANDOM % 2000 ))}
throwaway_db() { # throwaway_db DIR PORT: a cluster and its ledger_test database; prints the connection string
  # fsync off: a throwaway cluster needs no durability, and the suite runs faster.
  LEDGER_PG_FSYNC=off pg_start "$1" "$2" >&2 && pg_createdb "$2" ledger_test >&2 \
    && echo "Host=127.0.0.1;Port=$2;Username=postgres;Database=ledger_test;Maximum Pool Size=50"
}
if [ -z "${LEDGER_TEST_DB:-}" ]; then
  LEDGER_TEST_DB=$(throwaway_db "$data/pg" "$port") || { echo "tests: 0 passed, 1 failed"; exit 1; }
  export LEDGER_TEST_DB
fi
if [ -z "${LEDGER_TEST_DB_2:-}" ]; then
  LEDGER_TEST_DB_2=$(throwaway_db "$data/pg2" "$(( port + 1 ))") || { echo "tests: 0 passed, 1 failed"; exit 1; }
  export LEDGER_TEST_DB_2
fi

# The API document's linters (Redocly CLI, Spectral; versions pinned in tools/lint/package-lock.json)
# and the client generator (Kiota, in the local tool manifest): the contract tests run them (docs/api.md).
if ! command -v npm >/dev/null 2>&1; then
  echo "installing node and npm (for the API document's linters)" >&2
  apt-get install -y nodejs npm >&2 || { apt-get update >&2 && apt-get install -y nodejs npm >&2; }
fi
if [ ! -x tools/lint/node_modules/.bin/redocly ] || [ ! -x tools/lint/node_modules/.bin/spectral ] \
   || [ tools/lint/package-lock.json -nt tools/lint/node_modules/.package-lock.json ]; then
  (cd tools/lint && npm ci --no-audit --no-fund >&2) || echo "npm ci in tools/lint failed: the lint test will say so" >&2
fi
dotnet tool restore >&2 || echo "dotnet tool restore failed: the client test will say so" >&2
# The browser tests drive Debian's Chromium (Playwright cannot download its own browsers here), with CJK fonts
# for the pages: installed when missing, as root, once per machine. Without it those tests fail and say why.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium and fonts-noto-cjk for the browser tests (once per machine)..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) >&2 \
      || echo "could not install chromium: the browser tests will fail" >&2
  else
    echo "no /usr/bin/chromium and not root: the browser tests will fail (apt-get install chromium fonts-noto-cjk)" >&2
  fi
fi

log=$(mktemp)
dotnet test Ledger.sln --nologo -v quiet --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Each test assembly ends with a summary block: "Passed: N", "Failed: N", "Skipped: N" lines.
count() { grep -E "^ +$1: +[0-9]+ *$" "$log" | awk '{ s += $2 } END { print s + 0 }'; }
passed=$(count Passed); failed=$(count Failed); skipped=$(count Skipped)
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # a build error is a failure too
if [ "$skipped" -gt 0 ]; then
  echo "tests: $passed passed, $failed failed, $skipped skipped"
else
  echo "tests: $passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
