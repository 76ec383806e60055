#!/usr/bin/env bash
# The slow reliability drills (not part of ./test.sh): SIGKILL of the API under write load,
# PostgreSQL stopped and restarted under load, and a 60-second soak of 32 clients. Each runs
# against a fresh database of a throwaway cluster, on 127.0.0.1 only. See docs/reliability.md.
#   scripts/reliability.sh [kill] [pg-restart] [soak]      (default: all three)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/postgres.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

modes=("$@"); [ ${#modes[@]} -gt 0 ] || modes=(kill pg-restart soak)
work=$(mktemp -d /tmp/ledger-reliability.XXXXXX); chmod 755 "$work"
port=$(( 57000 + RANDOM % 1000 ))
trap 'pg_stop "$work/pg"; rm -rf "$work"' EXIT
pg_start "$work/pg" "$port"
dotnet build tests/Ledger.Load -c Release -v quiet --nologo -o "$work/bin" >/dev/null

status=0
for mode in "${modes[@]}"; do
  db="ledger_${mode//-/_}"
  pg_createdb "$port" "$db"
  echo "== $mode"
  dotnet "$work/bin/Ledger.Load.dll" --mode "$mode" --api "$work/bin/Ledger.Api.dll" \
    --db "Host=127.0.0.1;Port=$port;Username=postgres;Database=$db;Maximum Pool Size=100" \
    --pgdata "$work/pg" --pgbin "$(pg_bindir)" --pguser "$(pg_user)" --registry data/registry || status=1
done
exit $status
