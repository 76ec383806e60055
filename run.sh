#!/usr/bin/env bash
# Serves the ledger on http://127.0.0.1:${LEDGER_PORT:-5080} with the Xinfeng registry loaded.
# First run: installs PostgreSQL when missing (as root), creates a cluster in .local/pg, a
# database, a token signing key, a tree-head signing key (.local/head-key.pem) and a witness
# directory (.local/witness); later runs reuse them. The schema is owned and migrated by the role
# ledger_owner (`ledger migrate`), and the API runs as ledger_app, which may read and insert history
# but never alter it (docs/audit.md); a cluster made before then is handed over on its next run.
# LEDGER_DB=<connection string> uses that database instead of the local cluster, with one
# connection for everything as before (or set LEDGER_OWNER_DB too: migrated as that owner first).
set -euo pipefail
cd "$(dirname "$0")"
. scripts/postgres.sh

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
mkdir -p .local
pg_port=${LEDGER_PG_PORT:-55480}

if [ -z "${LEDGER_DB:-}" ]; then
  chmod 755 .local
  pg_start "$PWD/.local/pg" "$pg_port"
  pg_createdb "$pg_port" ledger
  LEDGER_ADMIN_DB="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=ledger"
  LEDGER_OWNER_DB="Host=127.0.0.1;Port=$pg_port;Username=ledger_owner;Database=ledger"
  LEDGER_DB="Host=127.0.0.1;Port=$pg_port;Username=ledger_app;Database=ledger"
  echo "PostgreSQL: 127.0.0.1:$pg_port (data in .local/pg; stop with: runuser -u $(pg_user) -- $(pg_bindir)/pg_ctl -D .local/pg stop)"
fi
export ConnectionStrings__Ledger="$LEDGER_DB"

if [ -z "${Ledger__Jwt__SigningKey:-}" ]; then
  [ -s .local/jwt-key ] || { head -c 48 /dev/urandom | base64 -w0 > .local/jwt-key; chmod 600 .local/jwt-key; }
  Ledger__Jwt__SigningKey=$(cat .local/jwt-key)
  export Ledger__Jwt__SigningKey
fi

if [ -z "${Ledger__Crypto__Key:-}" ]; then
  [ -s .local/crypto-key ] || { head -c 32 /dev/urandom | base64 -w0 > .local/crypto-key; chmod 600 .local/crypto-key; }
  Ledger__Crypto__Key=$(cat .local/crypto-key)   # encrypts household ID numbers and tip contacts
  export Ledger__Crypto__Key
fi

if [ -z "${Ledger__Audit__MacKey:-}" ]; then
  [ -s .local/mac-key ] || { head -c 32 /dev/urandom | base64 -w0 > .local/mac-key; chmod 600 .local/mac-key; }
  Ledger__Audit__MacKey=$(cat .local/mac-key)    # seals every event as it is appended (docs/audit.md)
  export Ledger__Audit__MacKey
fi
if [ -z "${Ledger__Audit__SigningKey:-}" ]; then
  # Signs the hash chain's tree heads (ECDSA P-256, PKCS#8 PEM); kept out of the database.
  if ! command -v openssl >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null) >&2
  fi
  [ -s .local/head-key.pem ] || { (umask 077; openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out .local/head-key.pem); }
  Ledger__Audit__SigningKey=$(cat .local/head-key.pem)
  export Ledger__Audit__SigningKey
fi
# Every signed head is also written here, one file per head, outside the database.
export Ledger__Audit__WitnessDirectory="${Ledger__Audit__WitnessDirectory:-$PWD/.local/witness}"
mkdir -p "$Ledger__Audit__WitnessDirectory"

dotnet build src/Ledger.Api -c Release -v quiet --nologo -o .local/bin >/dev/null
api=(dotnet .local/bin/Ledger.Api.dll)

# The two roles (the local cluster's superuser makes them and hands the schema to the owner; idempotent),
# then the schema made or patched by its owner, with the app role's grants. The API never gets the owner's connection.
if [ -n "${LEDGER_ADMIN_DB:-}" ]; then
  ConnectionStrings__LedgerAdmin="$LEDGER_ADMIN_DB" "${api[@]}" ledger roles
fi
if [ -n "${LEDGER_OWNER_DB:-}" ]; then
  ConnectionStrings__LedgerOwner="$LEDGER_OWNER_DB" "${api[@]}" ledger migrate
fi

# The sample registry; importing it again appends nothing.
"${api[@]}" registry import data/registry/towns.csv data/registry/villages.csv data/registry/units.csv data/registry/pairings.csv

# The first administrator, on the first start only (its one-time password is printed once; later starts say so).
"${api[@]}" accounts bootstrap

port=${LEDGER_PORT:-5080}
cat <<EOT

Ledger: http://127.0.0.1:$port   (API reference: /docs, OpenAPI: /openapi/v1.json, health: /health)
Sign in: open http://127.0.0.1:$port/ as admin with the one-time password printed above (first start only),
          set a new password, then create the other accounts on the 账户 page.
A token:  TOKEN=\$(./ledger token --user 张三 --role poverty-office)    (./ledger --help: every command)
Then:     curl -H "Authorization: Bearer \$TOKEN" http://127.0.0.1:$port/api/towns

EOT
cd .local/bin
exec dotnet Ledger.Api.dll --urls "http://127.0.0.1:$port" --contentRoot "$PWD"
