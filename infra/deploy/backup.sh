#!/bin/sh
# Backs up Duban: Temporal's two databases, then the application's, each with pg_dump (custom format) into
# DIR (default ./duban-backup-<time>). Safe while cycles run. Temporal first: a restored application database
# is then never older than the engine's state, so an activity the engine re-runs finds its mail already in
# the ledger and sends nothing twice (docs/deployment.md, "Backup and restore").
# Reads DATABASE_URL, TEMPORAL_DB, TEMPORAL_VISIBILITY_DB, TEMPORAL_DB_HOST, TEMPORAL_DB_PORT, TEMPORAL_DB_USER,
# TEMPORAL_DB_PASSWORD (duban.env); PG_DUMP names pg_dump (default: pg_dump, of the server's major version).
set -eu
umask 077 # the dumps hold people's names, addresses and reports
dir=${1:-duban-backup-$(date -u +%Y%m%dT%H%M%SZ)}
dump=${PG_DUMP:-pg_dump}
mkdir -p "$dir"
export PGHOST="${TEMPORAL_DB_HOST:-127.0.0.1}" PGPORT="${TEMPORAL_DB_PORT:-5432}" PGUSER="${TEMPORAL_DB_USER:-postgres}"
export PGPASSWORD="${TEMPORAL_DB_PASSWORD:-}"
for db in "${TEMPORAL_DB:-duban_temporal}" "${TEMPORAL_VISIBILITY_DB:-duban_temporal_visibility}"; do
  "$dump" -Fc -f "$dir/$db.dump" -d "$db"
done
"$dump" -Fc -f "$dir/application.dump" -d "${DATABASE_URL:?DATABASE_URL is not set}"
echo "backup: $dir"
