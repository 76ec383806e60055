#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into a NEW database (or a new cluster), then checks
# that it holds what the manifest says the backup held.
#
#   scripts/restore.sh BACKUP_DIR --dbname NEW_DB [--host H] [--port P] [--user U]
#                      [--new-cluster DATADIR] [--roles | --no-roles] [--no-owner]
#                      [--physical [--wal-archive DIR [--recover-to TIME]]] [--replace [--over-live]]
#
# Logical (the default): checks SHA256SUMS; restores roles.sql (cluster-wide roles: by default only
# into a new cluster; --roles into an existing one, which changes existing roles' attributes and
# passwords to the backup's); creates NEW_DB from template0; pg_restore of ledger.dump in one
# transaction (stops at the first error); re-applies the database's own settings and grants under
# the new name; then compares the restored last event sequence, event count and chain size with the
# manifest. --no-owner: everything owned by the restoring user, no grants (for a cluster without the
# backup's roles).
# --new-cluster DATADIR: initialises a new cluster there (must not exist or be empty) on 127.0.0.1
# and --port, as run.sh's, and restores into it. --physical (needs --new-cluster): the cluster is
# the backup's pg_basebackup instead (every database, as of the end of the base backup).
# --wal-archive DIR (with --physical): point-in-time recovery from the WAL the server archived there
# (archive_command, docs/reliability.md): replays the archive up to --recover-to TIME (a PostgreSQL
# timestamp with time zone, e.g. '2026-11-28 14:30:00+08'), or to its end without one, then promotes.
# Safety: an existing NEW_DB is refused unless --replace (it is dropped first); the database the
# backup was taken from (same host, port and name as the manifest says) is refused unless
# --replace --over-live as well. Nothing is ever restored over a database without those flags.
# Exit code 0 when restored and the checks hold, 1 when a check fails, 2 on wrong usage.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/postgres.sh"

backup=""; host=${PGHOST:-127.0.0.1}; port=${PGPORT:-}; user=${PGUSER:-postgres}; dbname=""
cluster=""; wal_archive=""; recover_to=""; roles=default; no_owner=0; physical=0; replace=0; over_live=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dbname) dbname=$2; shift 2 ;;
    --host) host=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --user) user=$2; shift 2 ;;
    --new-cluster) cluster=$2; shift 2 ;;
    --roles) roles=yes; shift ;;
    --no-roles) roles=no; shift ;;
    --no-owner) no_owner=1; shift ;;
    --physical) physical=1; shift ;;
    --wal-archive) wal_archive=$2; shift 2 ;;
    --recover-to) recover_to=$2; shift 2 ;;
    --replace) replace=1; shift ;;
    --over-live) over_live=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "restore.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) [ -z "$backup" ] || { echo "restore.sh: one backup directory only" >&2; exit 2; }; backup=$1; shift ;;
  esac
done
fail() { echo "restore.sh: $*" >&2; exit 1; }
usage() { echo "restore.sh: $*" >&2; exit 2; }
[ -n "$backup" ] && [ -f "$backup/manifest.json" ] || usage "give a backup directory (one with manifest.json)"
[ -n "$port" ] || usage "--port is required (the target cluster's, or the new cluster's)"
[ "$physical" -eq 0 ] || [ -n "$cluster" ] || usage "--physical restores a whole cluster: give --new-cluster DATADIR"
[ "$physical" -eq 1 ] || [ -n "$dbname" ] || usage "--dbname NEW_DB is required"
[ -z "$wal_archive" ] || [ "$physical" -eq 1 ] || usage "--wal-archive replays WAL over a base backup: give --physical"
[ -z "$recover_to" ] || [ -n "$wal_archive" ] || usage "--recover-to needs --wal-archive DIR"
[ -z "$wal_archive" ] || [ -d "$wal_archive" ] || usage "$wal_archive is not a directory"
bin=$(pg_bindir)
manifest() { sed -n "s/^  \"$1\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}\$/\1/p" "$backup/manifest.json" | head -n 1; }
source_db=$(sed -n 's/.*"source": {"host": "\([^"]*\)", "port": \([0-9]*\), "database": "\([^"]*\)".*/\1 \2 \3/p' "$backup/manifest.json")
want_sequence=$(manifest lastSequence); want_events=$(manifest eventCount)
want_chain=$(sed -n 's/^  "chain": {"size": \([0-9]*\),.*/\1/p' "$backup/manifest.json")

echo "restore.sh: checking the backup's files" >&2
(cd "$backup" && sha256sum --quiet -c SHA256SUMS) || fail "the backup's files do not match SHA256SUMS: not restoring"

conn=(-h "$host" -p "$port" -U "$user")
new_cluster=0
if [ -n "$cluster" ]; then
  [ ! -e "$cluster" ] || [ -z "$(ls -A "$cluster" 2>/dev/null)" ] || usage "$cluster exists and is not empty: a new cluster needs a new directory"
  if "$bin/pg_isready" -q -h "$host" -p "$port" 2>/dev/null; then usage "something already listens on $host:$port"; fi
  new_cluster=1
  if [ "$physical" -eq 1 ]; then
    [ -f "$backup/base/base.tar.gz" ] || fail "this backup has no base/ (it was taken without --physical)"
    pguser=$(pg_user)
    mkdir -p "$cluster/pg_wal"
    tar -xzf "$backup/base/base.tar.gz" -C "$cluster"
    [ ! -f "$backup/base/pg_wal.tar.gz" ] || tar -xzf "$backup/base/pg_wal.tar.gz" -C "$cluster/pg_wal"
    rm -f "$cluster/postmaster.pid"
    # The copy's own settings name the old port and socket directory: these lines come last and win.
    cat >>"$cluster/postgresql.conf" <<CONF
# restore.sh: this copy's own address
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$cluster'
CONF
    if [ -n "$wal_archive" ]; then
      # Point-in-time recovery: replay the archived WAL (up to the target), then promote to a new timeline.
      wal_archive=$(cd "$wal_archive" && pwd)
      cat >>"$cluster/postgresql.conf" <<CONF
archive_mode = off
restore_command = 'cp "$wal_archive/%f" "%p"'
recovery_target_action = 'promote'
CONF
      [ -z "$recover_to" ] || printf "recovery_target_time = '%s'\n" "${recover_to//\'/\'\'}" >>"$cluster/postgresql.conf"
      touch "$cluster/recovery.signal"
    fi
    chown -R "$pguser" "$cluster"; chmod 700 "$cluster"
    pg_as "$pguser" "$bin/pg_ctl" -D "$cluster" -w -t 300 -l "$cluster/server.log" start >/dev/null \
      || fail "the restored cluster did not start; see $cluster/server.log"
    if [ -n "$wal_archive" ]; then
      for _ in $(seq 600); do
        [ "$("$bin/psql" -h "$host" -p "$port" -U "$user" -d postgres -X -t -A -c 'select pg_is_in_recovery()' 2>/dev/null)" = f ] && break
        sleep 1
      done
      [ "$("$bin/psql" -h "$host" -p "$port" -U "$user" -d postgres -X -t -A -c 'select pg_is_in_recovery()')" = f ] \
        || fail "the restored cluster is still recovering after 10 minutes; see $cluster/server.log"
    fi
  else
    pg_start "$cluster" "$port" || fail "could not start a new cluster in $cluster"
  fi
fi

if [ "$physical" -eq 1 ]; then
  read -r _ _ dbname <<<"$source_db"
else
  read -r source_host source_port source_name <<<"$source_db"
  if [ "$new_cluster" -eq 0 ] && [ "$dbname" = "$source_name" ] && [ "$port" = "$source_port" ] && [ "$host" = "$source_host" ] && [ "$over_live" -eq 0 ]; then
    usage "$host:$port/$dbname is the database this backup was taken from: restoring over it needs --replace --over-live (it is dropped first)"
  fi
  exists=$("$bin/psql" "${conn[@]}" -d postgres -X -t -A -c "select 1 from pg_database where datname = '${dbname//\'/\'\'}'")
  if [ "$exists" = 1 ]; then
    [ "$replace" -eq 1 ] || usage "database $dbname exists on $host:$port: restore into a new one, or give --replace to drop it first"
    echo "restore.sh: dropping the existing database $dbname (--replace)" >&2
    "$bin/dropdb" "${conn[@]}" --force "$dbname"
  fi

  if [ -f "$backup/roles.sql" ] && { [ "$roles" = yes ] || { [ "$roles" = default ] && [ "$new_cluster" -eq 1 ]; }; }; then
    echo "restore.sh: restoring roles" >&2
    # Roles the cluster has already (its bootstrap superuser at least) answer "already exists": expected.
    errors=$("$bin/psql" "${conn[@]}" -d postgres -X -q -v ON_ERROR_STOP=0 -f "$backup/roles.sql" 2>&1 >/dev/null | grep -v 'already exists' || true)
    [ -z "$errors" ] || fail "restoring roles failed: $errors"
  elif [ -f "$backup/roles.sql" ]; then
    missing=$(sed -n 's/^CREATE ROLE \(.*\);$/\1/p' "$backup/roles.sql" | while read -r role; do
      r=${role#\"}; r=${r%\"}
      [ "$("$bin/psql" "${conn[@]}" -d postgres -X -t -A -c "select 1 from pg_roles where rolname = '${r//\'/\'\'}'")" = 1 ] || printf '%s ' "$role"
    done)
    [ -z "$missing" ] || echo "restore.sh: roles not restored (existing cluster, no --roles) and missing here: $missing" >&2
  fi

  echo "restore.sh: restoring into $host:$port/$dbname" >&2
  "$bin/createdb" "${conn[@]}" -T template0 -E UTF8 "$dbname"
  owner_flags=(); [ "$no_owner" -eq 0 ] || owner_flags=(--no-owner --no-privileges)
  "$bin/pg_restore" "${conn[@]}" -d "$dbname" --exit-on-error --single-transaction "${owner_flags[@]}" "$backup/ledger.dump" \
    || fail "pg_restore failed (roles missing? try --roles, or --no-owner); $dbname is left as it is"
  if [ "$no_owner" -eq 0 ]; then
    # The database's own settings and grants are part of the dump only with --create: re-apply them to the new name.
    qsource=$("$bin/psql" "${conn[@]}" -d postgres -X -t -A -c "select quote_ident('${source_name//\'/\'\'}')")
    qdb=$("$bin/psql" "${conn[@]}" -d postgres -X -t -A -c "select quote_ident('${dbname//\'/\'\'}')")
    "$bin/pg_restore" -C -s -f - "$backup/ledger.dump" \
      | { grep -E "^(ALTER DATABASE|GRANT .* ON DATABASE|REVOKE .* ON DATABASE) " || true; } | { grep -v "^ALTER DATABASE [^ ]* OWNER TO" || true; } \
      | awk -v from="$qsource" -v to="$qdb" '{ n = index($0, " " from " "); if (n == 0) { n = index($0, " " from ";"); } if (n > 0) print substr($0, 1, n) to substr($0, n + 1 + length(from)); }' \
      | "$bin/psql" "${conn[@]}" -d postgres -X -q -v ON_ERROR_STOP=1 -f - || fail "re-applying the database's settings and grants failed"
  fi
fi

# Does the restored database hold what the backup held?
ask() { "$bin/psql" "${conn[@]}" -d "$dbname" -X -t -A -F ' ' -c "$1"; }
read -r got_sequence got_events <<<"$(ask "select coalesce(max(seq_id), 0), count(*) from ledger.mt_events")"
got_chain=$(ask "select count(*) from ledger.ledger_chain")
echo "restore.sh: restored $host:$port/$dbname: last event sequence $got_sequence, $got_events events, chain $got_chain (backup: $want_sequence, $want_events, $want_chain)" >&2
if [ -n "$recover_to" ]; then
  echo "restore.sh: recovered to $recover_to: the manifest describes the dump, not this moment; not compared" >&2
elif [ "$physical" -eq 1 ]; then
  # A base backup ends after the dump's snapshot: it holds at least as much.
  [ "$got_sequence" -ge "$want_sequence" ] && [ "$got_events" -ge "$want_events" ] || fail "the restored cluster holds less than the manifest"
else
  [ "$got_sequence" = "$want_sequence" ] && [ "$got_events" = "$want_events" ] && [ "$got_chain" = "$want_chain" ] \
    || fail "the restored database does not hold what the manifest says the backup held"
fi
echo "Host=$host;Port=$port;Username=$user;Database=$dbname"
