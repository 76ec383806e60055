#!/usr/bin/env bash
# Shared helpers for run.sh and test.sh: find (or install) PostgreSQL and run a private cluster
# in a folder of ours, as an unprivileged user, on 127.0.0.1 and a port of its own.
# Source this file; it defines functions only.

pg_bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "PostgreSQL is missing: installing the Debian package 'postgresql'..." >&2
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) >&2 || {
        echo "Could not install PostgreSQL with apt-get." >&2; return 1; }
      dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    else
      echo "PostgreSQL is missing. Install it first, e.g. 'sudo apt-get install postgresql'," >&2
      echo "or set LEDGER_DB (run.sh) / LEDGER_TEST_DB (tests) to a connection string." >&2
      return 1
    fi
  fi
  echo "$dir"
}

# The user the server runs as: PostgreSQL refuses to run as root.
pg_user() {
  if [ "$(id -u)" -ne 0 ]; then id -un; return; fi
  if ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres >&2
  fi
  echo postgres
}

pg_as() { # pg_as USER CMD...
  local user=$1; shift
  if [ "$(id -un)" = "$user" ]; then "$@"; else runuser -u "$user" -- "$@"; fi
}

# pg_start DATADIR PORT: initialise the cluster when new, start it when it is not running.
pg_start() {
  local data=$1 port=$2 bin user
  bin=$(pg_bindir) || return 1
  user=$(pg_user)
  mkdir -p "$data"
  chown "$user" "$data"
  chmod 700 "$data"
  if [ ! -f "$data/PG_VERSION" ]; then
    pg_as "$user" "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null || return 1
    # The cluster's own settings, so that a plain `pg_ctl start` (a restart drill) comes back the same.
    cat >> "$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$data'
max_connections = 200
fsync = ${LEDGER_PG_FSYNC:-on}
CONF
  fi
  if ! pg_as "$user" "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    pg_as "$user" "$bin/pg_ctl" -D "$data" -w -t 60 -l "$data/server.log" start >/dev/null || {
        echo "PostgreSQL did not start; see $data/server.log" >&2; return 1; }
  fi
}

pg_stop() { # pg_stop DATADIR
  local data=$1 bin user
  bin=$(pg_bindir) || return 0
  user=$(pg_user)
  [ -f "$data/PG_VERSION" ] && pg_as "$user" "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1
  return 0
}

# pg_createdb PORT NAME: create the database when it does not exist.
pg_createdb() {
  local port=$1 name=$2 bin
  bin=$(pg_bindir) || return 1
  if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "select 1 from pg_database where datname='$name'" postgres | grep -q 1; then
    "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$name"
  fi
}
