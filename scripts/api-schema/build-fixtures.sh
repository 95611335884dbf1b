#!/usr/bin/env bash
# Builds the API's real database schema on scratch databases and dumps it as fixtures:
#   src/database/api-schema/models.sql      the API's Sequelize models synced (alter) on an empty database
#   src/database/api-schema/migrations.sql  the API's migrations/*.sql applied with psql, alone: the
#                                           API's loader (alter or plain sync) fails on such a database,
#                                           so the API can only run there with DB_SYNC_MODE=false; the
#                                           script tries both on copies and records the outcome
# The API is only run from a checkout (with its node_modules installed); none of its code is copied here.
#
# Usage: scripts/api-schema/build-fixtures.sh [API_CHECKOUT] [API_COMMIT]
#   API_CHECKOUT  path of the API checkout (default $API_CHECKOUT or /tmp/api)
#   API_COMMIT    the checkout's full commit hash (default $API_COMMIT, else `git rev-parse HEAD` in the checkout)
# Postgres: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres), PGPASSWORD; the user must be able to
# create databases. Scratch databases are named api_schema_<variant>_<random> and always dropped.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
OUT_DIR="${OUT_DIR:-$REPO/src/database/api-schema}"

API_CHECKOUT="$(cd "${1:-${API_CHECKOUT:-/tmp/api}}" && pwd)"
API_COMMIT="${2:-${API_COMMIT:-$(git -C "$API_CHECKOUT" rev-parse HEAD 2>/dev/null || true)}}"
if [[ ! "$API_COMMIT" =~ ^[0-9a-f]{40}$ ]]; then
  echo "API_COMMIT must be the checkout's full 40-hex commit hash (got '${API_COMMIT}'); pass it as the second argument" >&2
  exit 2
fi
[[ -f "$API_CHECKOUT/src/loaders/sequelize.load.js" ]] || { echo "$API_CHECKOUT is not an API checkout (no src/loaders/sequelize.load.js)" >&2; exit 2; }
[[ -d "$API_CHECKOUT/node_modules" ]] || { echo "$API_CHECKOUT has no node_modules: run npm ci there first" >&2; exit 2; }

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
SUFFIX="$(date +%s)_$$"
DBS=()
cleanup() {
  for db in "${DBS[@]}"; do
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null || true
  done
}
trap cleanup EXIT

# Sets $DB to a new empty database (not echoed: a command substitution would lose the DBS entry).
new_db() {
  DB="api_schema_$1_$SUFFIX"
  DBS+=("$DB")
  psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE \"$DB\"" >/dev/null
}

# The API's loader, as the API runs it at start-up with DB_SYNC_MODE=alter. It runs from an empty
# directory so that no stray .env (the API reads ./.env for missing keys) changes its settings.
api_alter() {
  local db="$1" cwd
  cwd="$(mktemp -d)"
  (cd "$cwd" && NODE_ENV=development LOG_LEVEL=warn DB_ENABLED=true DB_SYNC_MODE=alter DB_SSL=false DB_LOGGING=false \
    DB_NAME="$db" DB_HOST="$PGHOST" DB_PORT="$PGPORT" DB_USER="$PGUSER" DB_PASSWORD="${PGPASSWORD:-x}" \
    node "$HERE/load-api-schema.mjs" "$API_CHECKOUT") >"$cwd/loader.log" 2>&1 || {
    echo "the API's loader failed on $db:" >&2; tail -n 40 "$cwd/loader.log" >&2; rm -rf "$cwd"; exit 1; }
  rm -rf "$cwd"
}

# migrations/*.sql in file-name order, as the API's migrations/README.md loop runs them
# (000_rollback_all.sql drops everything and is not a migration). Both 055 files are applied, in that
# order: 055_add_case_approval_and_disputes.sql first (VARCHAR + CHECK), then
# 055_case_approval_and_disputes.sql, which is written to run after it (IF NOT EXISTS everywhere,
# DROP TRIGGER IF EXISTS); see src/database/api-schema/README.md.
apply_migrations() {
  local db="$1" f
  for f in $(cd "$API_CHECKOUT/migrations" && LC_ALL=C ls -1 -- *.sql); do
    [[ "$f" == 000_rollback_all.sql ]] && continue
    psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$API_CHECKOUT/migrations/$f" >/dev/null 2>"$OUT_TMP/psql.err" || {
      echo "migration $f failed on $db:" >&2; cat "$OUT_TMP/psql.err" >&2; exit 1; }
  done
}

# pg_dump output made loadable by one pg `client.query(text)`: no psql meta-commands (\restrict,
# \unrestrict), and no session settings (SET ..., set_config('search_path', '')) that would otherwise
# stay on the pooled connection that loads the file; every object in the dump is schema-qualified,
# so none of them is needed.
dump() {
  local db="$1" variant="$2" how="$3" out="$4"
  {
    echo "-- The Mordecai API's database schema, variant '$variant' (generated fixture: do not edit)."
    echo "-- API commit: $API_COMMIT"
    echo "-- Generated: $(date -u +%Y-%m-%dT%H:%M:%SZ) by scripts/api-schema/build-fixtures.sh"
    echo "-- How: $how"
    echo "-- Dumped with: pg_dump --schema-only --no-owner --no-privileges ($(pg_dump --version | awk '{print $3}'));"
    echo "--   psql meta-commands and session SET / set_config lines removed."
    echo
    pg_dump --schema-only --no-owner --no-privileges -d "$db" \
      | grep -v -E '^\\(restrict|unrestrict) ' \
      | grep -v -E '^SET [a-z_]+ = ' \
      | grep -v -E "^SELECT pg_catalog\.set_config\('search_path', '', false\);$" \
      | cat -s
  } >"$out"
}

OUT_TMP="$(mktemp -d)"
trap 'cleanup; rm -rf "$OUT_TMP"' EXIT
mkdir -p "$OUT_DIR"

echo "models: the API's loader (alter) on an empty database"
new_db models; MODELS_DB="$DB"
api_alter "$MODELS_DB"
dump "$MODELS_DB" models "the API's Sequelize models synced (DB_SYNC_MODE=alter, src/loaders/sequelize.load.js loadDatabase()) on an empty database." "$OUT_TMP/models.sql"

echo "migrations: migrations/*.sql with psql"
new_db migrations; MIGR_DB="$DB"
apply_migrations "$MIGR_DB"

# The API started on that database: a copy gets the loader with alter (DB_SYNC_MODE=alter) and one
# with a plain sync (any other non-false mode); both are expected to fail at this commit, which is why
# the 'migrations' variant is the SQL migrations alone (the API can only run there with
# DB_SYNC_MODE=false, the value of its .env.example). Their outcome goes into the dump's header.
# Runs in a command substitution (a subshell): the copy's name is registered for cleanup beforehand.
loader_outcome() {
  local mode="$1" db="$2" cwd
  psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE \"$db\"" -c "CREATE DATABASE \"$db\" TEMPLATE \"$MIGR_DB\"" >/dev/null
  cwd="$(mktemp -d)"
  if (cd "$cwd" && NODE_ENV=development DB_ENABLED=true DB_SYNC_MODE="$mode" DB_SSL=false DB_LOGGING=false \
      DB_NAME="$db" DB_HOST="$PGHOST" DB_PORT="$PGPORT" DB_USER="$PGUSER" DB_PASSWORD="${PGPASSWORD:-x}" \
      node "$HERE/load-api-schema.mjs" "$API_CHECKOUT") >"$cwd/loader.log" 2>&1; then
    echo "succeeded"
  else
    # The first "original: error: ..." line of the loader's error is Postgres' own message.
    echo "FAILED: $(grep -m1 -oE 'original: error: .*' "$cwd/loader.log" | sed 's/^original: error: //' || echo 'see the loader output')"
  fi
  rm -rf "$cwd"
}
new_db try_alter; ALTER_OUTCOME="$(loader_outcome alter "$DB")"
new_db try_sync; SYNC_OUTCOME="$(loader_outcome true "$DB")"
echo "  the API's loader on it: alter $ALTER_OUTCOME; plain sync $SYNC_OUTCOME"
dump "$MIGR_DB" migrations "the API's migrations/*.sql applied in file-name order with psql (000_rollback_all.sql skipped; both 055 files, 055_add_ first). The API's loader on top of it, run by this script on copies: DB_SYNC_MODE=alter $ALTER_OUTCOME; DB_SYNC_MODE=true (sync without alter) $SYNC_OUTCOME." "$OUT_TMP/migrations.sql"

mv "$OUT_TMP/models.sql" "$OUT_DIR/models.sql"
mv "$OUT_TMP/migrations.sql" "$OUT_DIR/migrations.sql"
echo "wrote $OUT_DIR/models.sql and $OUT_DIR/migrations.sql (API commit $API_COMMIT)"
