#!/usr/bin/env bash
# The slow reliability drills (not part of ./test.sh): SIGKILL of the API under write load,
# PostgreSQL stopped and restarted under load, a 60-second soak of 32 clients, and a backup taken
# under load and restored into a new cluster (scripts/backup.sh, scripts/restore.sh). Each runs
# against a fresh database of a throwaway cluster, on 127.0.0.1 only. See docs/reliability.md.
#   scripts/reliability.sh [kill] [pg-restart] [soak] [backup]      (default: all four)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/postgres.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

modes=("$@"); [ ${#modes[@]} -gt 0 ] || modes=(kill pg-restart soak backup)
work=$(mktemp -d /tmp/ledger-reliability.XXXXXX); chmod 755 "$work"
port=$(( 57000 + RANDOM % 1000 ))
api_port=$(( 58000 + RANDOM % 1000 ))
# The backup drill restores into a second cluster ($work/pg-restored, the next port).
trap 'pg_stop "$work/pg"; pg_stop "$work/pg-restored"; rm -rf "$work"' EXIT
pg_start "$work/pg" "$port"
dotnet build tests/Ledger.Load -c Release -v quiet --nologo -o "$work/bin" >/dev/null

status=0
for mode in "${modes[@]}"; do
  db="ledger_${mode//-/_}"
  pg_createdb "$port" "$db"
  echo "== $mode"
  dotnet "$work/bin/Ledger.Load.dll" --mode "$mode" --api "$work/bin/Ledger.Api.dll" \
    --db "Host=127.0.0.1;Port=$port;Username=postgres;Database=$db;Maximum Pool Size=100" \
    --pgdata "$work/pg" --pgbin "$(pg_bindir)" --pguser "$(pg_user)" --registry data/registry --port "$api_port" \
    --work "$work" --scripts "$PWD/scripts" --witness "$work/witness" --restore-pgdata "$work/pg-restored" --restore-port "$(( port + 1 ))" \
    || status=1
done
exit $status
