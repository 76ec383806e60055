#!/usr/bin/env bash
# Backs up the ledger's database with PostgreSQL's own tools, into a new directory:
#   ledger.dump     pg_dump -Fc of the database (a consistent snapshot: every transaction committed
#                   before it started, none after)
#   roles.sql       pg_dumpall --roles-only (roles are cluster-wide, outside the dump; it may hold
#                   password hashes: the directory is private)
#   base/           with --physical: pg_basebackup of the whole cluster (tar, gzip, WAL included)
#   manifest.json   when, from where, the files' sizes and SHA-256, and what the dump holds: the last
#                   event sequence, the event count, the chain's size and each county's log (size, last
#                   sequence, last chain hash), each county's newest signed head stored in the database,
#                   read in the dump's own snapshot
#   SHA256SUMS      the same checksums for `sha256sum -c`
# The witness directory of signed heads (Ledger:Audit:WitnessDirectory) is NOT backed up here: it
# is kept apart from the database on purpose, and a restore must not roll it back (docs/reliability.md).
#
#   scripts/backup.sh [--host H] [--port P] [--user U] [--dbname D] [--out DIR] [--physical]
#                     [--api URL --token TOKEN]
# Defaults: PGHOST/PGPORT/PGUSER/PGDATABASE, else run.sh's cluster (127.0.0.1:55480, postgres, ledger);
# --out defaults to backups/<database>-<UTC time>. With --api and a token of a reader role, the
# ledger's digest (GET /api/ledger/digest) is recorded too, as the API saw it when the dump ended.
# Exit code 0 when everything asked for was written, else 1.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/postgres.sh"

host=${PGHOST:-127.0.0.1}; port=${PGPORT:-${LEDGER_PG_PORT:-55480}}; user=${PGUSER:-postgres}; dbname=${PGDATABASE:-ledger}
out=""; physical=0; api=""; token=""
while [ $# -gt 0 ]; do
  case "$1" in
    --host) host=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --user) user=$2; shift 2 ;;
    --dbname) dbname=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --physical) physical=1; shift ;;
    --api) api=$2; shift 2 ;;
    --token) token=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "backup.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
bin=$(pg_bindir)
started=$(date -u +%Y-%m-%dT%H:%M:%S.%6NZ)
[ -n "$out" ] || out="backups/$dbname-$(date -u +%Y%m%dT%H%M%SZ)"
if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; then echo "backup.sh: $out exists and is not empty" >&2; exit 2; fi
(umask 077; mkdir -p "$out")
chmod 700 "$out"
conn=(-h "$host" -p "$port" -U "$user")

# One transaction holds a snapshot open: pg_dump takes exactly that snapshot, and the facts of the
# manifest are read in it, so they describe what the dump holds (not a moment before or after).
coproc SNAP { "$bin/psql" "${conn[@]}" -d "$dbname" -X -q -t -A -F '|' -v ON_ERROR_STOP=1 2>&1; }
ask() { # ask SQL: one line of answer from the snapshot's session
  local line
  printf '%s\n' "$1" >&"${SNAP[1]}"
  IFS= read -r -t 120 line <&"${SNAP[0]}" || { echo "backup.sh: no answer from the database to: $1" >&2; return 1; }
  case "$line" in ERROR:*|FATAL:*|psql:*) echo "backup.sh: $line" >&2; return 1 ;; esac
  printf '%s\n' "$line"
}
printf 'begin isolation level repeatable read read only;\n' >&"${SNAP[1]}"   # -q: begin answers nothing
snapshot=$(ask "select pg_export_snapshot();")
server_version=$(ask "select current_setting('server_version');")
has_ledger=$(ask "select to_regclass('ledger.mt_events') is not null;")
if [ "$has_ledger" = "t" ]; then
  IFS='|' read -r last_sequence event_count <<<"$(ask "select coalesce(max(seq_id), 0), count(*) from ledger.mt_events;")"
  chain_size=$(ask "select count(*) from ledger.ledger_chain;")
  # One log per county (docs/audit.md): each county's size, last sequence and last chain hash, and its newest signed head.
  chain_logs=$(ask "select coalesce(json_agg(json_build_object('county', tenant_id, 'size', n, 'lastSequence', last, 'head', trim(head)) order by tenant_id), '[]') from (select tenant_id, count(*) n, max(seq_id) last, (array_agg(chain_hash order by seq_id desc))[1] head from ledger.ledger_chain group by tenant_id) c;")
  heads=$(ask "select coalesce(json_agg(json_build_object('county', county, 'treeSize', tree_size, 'merkleRoot', trim(merkle_root), 'lastSequence', last_seq, 'time', head_time) order by county), '[]') from (select distinct on (county) * from ledger.ledger_heads order by county, tree_size desc) h;")
else
  echo "backup.sh: warning: $dbname has no ledger.mt_events (not a ledger database, or never started)" >&2
  last_sequence=0 event_count=0 chain_size=0 chain_logs="[]" heads="[]"
fi

echo "backup.sh: dumping $dbname from $host:$port (snapshot $snapshot, last event sequence $last_sequence)" >&2
"$bin/pg_dump" "${conn[@]}" -d "$dbname" -Fc --snapshot="$snapshot" -f "$out/ledger.dump"
printf 'commit;\n' >&"${SNAP[1]}"
exec {SNAP[1]}>&-
wait "$SNAP_PID" 2>/dev/null || true

# Roles (the owner and app roles, when the cluster has them). Reading password hashes needs a
# superuser; without one, the roles are dumped without their passwords (set them again after a restore).
roles_note="with password hashes"
if ! "$bin/pg_dumpall" "${conn[@]}" -l "$dbname" --roles-only -f "$out/roles.sql" 2>"$out/roles.err"; then
  if "$bin/pg_dumpall" "${conn[@]}" -l "$dbname" --roles-only --no-role-passwords -f "$out/roles.sql" 2>>"$out/roles.err"; then
    roles_note="without passwords (not a superuser): set them after a restore"
  else
    roles_note="not taken: $(tr '\n' ' ' <"$out/roles.err")"; rm -f "$out/roles.sql"
  fi
fi
rm -f "$out/roles.err"
roles=$("$bin/psql" "${conn[@]}" -d "$dbname" -X -t -A -c "select string_agg(quote_ident(rolname), ' ' order by rolname) from pg_roles where rolname !~ '^pg_'" || true)

if [ "$physical" -eq 1 ]; then
  echo "backup.sh: pg_basebackup of the cluster at $host:$port" >&2
  "$bin/pg_basebackup" "${conn[@]}" -D "$out/base" -Ft -z -X stream -c fast --label "ledger backup $started"
fi

api_digest=null
if [ -n "$api" ]; then
  if [ -z "$token" ]; then echo "backup.sh: --api needs --token (a reader's token)" >&2; exit 2; fi
  api_digest=$(curl -fsS -H "Authorization: Bearer $token" "$api/api/ledger/digest") || { echo "backup.sh: the API did not answer its digest" >&2; exit 1; }
fi
finished=$(date -u +%Y-%m-%dT%H:%M:%S.%6NZ)

(cd "$out" && find . -type f ! -name SHA256SUMS ! -name manifest.json -printf '%P\n' | sort | xargs -r sha256sum > SHA256SUMS)
json_string() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
json_or_null() { if [ -n "$1" ]; then printf '%s' "$1"; else printf null; fi; }
{
  printf '{\n'
  printf '  "format": "ledger-backup-v1",\n'
  printf '  "startedAt": "%s",\n  "finishedAt": "%s",\n' "$started" "$finished"
  printf '  "source": {"host": %s, "port": %s, "database": %s, "serverVersion": %s, "pgDump": %s},\n' \
    "$(json_string "$host")" "$port" "$(json_string "$dbname")" "$(json_string "$server_version")" "$(json_string "$("$bin/pg_dump" --version)")"
  printf '  "snapshot": %s,\n' "$(json_string "$snapshot")"
  printf '  "lastSequence": %s,\n  "eventCount": %s,\n' "$last_sequence" "$event_count"
  printf '  "chain": {"size": %s, "logs": %s},\n' "$chain_size" "$chain_logs"
  printf '  "newestSignedHeadsInDatabase": %s,\n' "$heads"
  printf '  "apiDigestAfterDump": %s,\n' "$(json_or_null "$api_digest")"
  printf '  "roles": %s,\n  "rolesNote": %s,\n' "$(json_string "$roles")" "$(json_string "$roles_note")"
  printf '  "physical": %s,\n' "$([ "$physical" -eq 1 ] && echo true || echo false)"
  printf '  "files": ['
  sep=""
  while read -r sum name; do
    printf '%s\n    {"name": %s, "bytes": %s, "sha256": "%s"}' "$sep" "$(json_string "$name")" "$(stat -c %s "$out/$name")" "$sum"
    sep=","
  done <"$out/SHA256SUMS"
  printf '\n  ]\n}\n'
} >"$out/manifest.json"
find "$out" -type d -exec chmod 700 {} + ; find "$out" -type f -exec chmod 600 {} +
echo "backup.sh: wrote $out (last event sequence $last_sequence, $event_count events, chain $chain_size)" >&2
echo "$out"
