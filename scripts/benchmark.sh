#!/usr/bin/env bash
# The benchmark of docs/performance.md (not part of ./test.sh): each figure of the ledger beside
# the same work done with raw Npgsql on the same throwaway PostgreSQL cluster, and their ratio.
#   scripts/benchmark.sh [SECONDS_PER_FIGURE] [--only writes]   (default 10 s; --only writes: the write figures alone)
#   scripts/benchmark.sh history [SECONDS] [YEARS…]             (history growth: scores, breakdown, asOf at 1, 5, 10 years)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/postgres.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
work=$(mktemp -d /tmp/ledger-bench.XXXXXX); chmod 755 "$work"
port=$(( 58000 + RANDOM % 1000 ))
trap 'pg_stop "$work/pg"; rm -rf "$work"' EXIT
pg_start "$work/pg" "$port"
pg_createdb "$port" ledger_bench
dotnet build tests/Ledger.Load -c Release -v quiet --nologo -o "$work/bin" >/dev/null
if [ "${1:-}" = "history" ]; then
  # scripts/benchmark.sh history [SECONDS] [YEARS…]: the history-growth table of docs/performance.md, one
  # generated county per row (default 1, 5 and 10 years), each in a database of its own.
  seconds=${2:-5}; shift $(( $# < 2 ? $# : 2 ))
  echo "| years | events | scores p50 (before → after) | one town's breakdown p50 | a town's accountability asOf p50 | note |"
  echo "|---|---|---|---|---|---|"
  for years in ${@:-1 5 10}; do
    pg_createdb "$port" "ledger_history_$years"
    dotnet "$work/bin/Ledger.Load.dll" --mode history --years "$years" --seconds "$seconds" --api "$work/bin/Ledger.Api.dll" \
      --registry data/registry --db "Host=127.0.0.1;Port=$port;Username=postgres;Database=ledger_history_$years;Maximum Pool Size=100" | grep '^| '
  done
  exit 0
fi
dotnet "$work/bin/Ledger.Load.dll" --mode bench --seconds "${1:-10}" "${@:2}" --api "$work/bin/Ledger.Api.dll" --registry data/registry \
  --db "Host=127.0.0.1;Port=$port;Username=postgres;Database=ledger_bench;Maximum Pool Size=100"
