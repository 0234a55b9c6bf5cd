#!/bin/sh
# Restores a backup made by backup.sh into a server whose Duban databases do not exist yet (a fresh server, or
# after dropping them): creates each database, pg_restores it, and clears Temporal's cluster_membership (the
# address book of the servers that were running; left in place, a Temporal Server started on the restored
# database tries to join those and stops). Then start Temporal Server, run `duban migrate` and start the
# workers and APIs: cycles resume where the backup left them.
# Reads the same variables as backup.sh; PG_RESTORE names pg_restore (default: pg_restore).
set -eu
dir=${1:?usage: restore.sh BACKUP_DIR}
restore=${PG_RESTORE:-pg_restore}
export PGHOST="${TEMPORAL_DB_HOST:-127.0.0.1}" PGPORT="${TEMPORAL_DB_PORT:-5432}" PGUSER="${TEMPORAL_DB_USER:-postgres}"
export PGPASSWORD="${TEMPORAL_DB_PASSWORD:-}"
for db in "${TEMPORAL_DB:-duban_temporal}" "${TEMPORAL_VISIBILITY_DB:-duban_temporal_visibility}"; do
  psql -v ON_ERROR_STOP=1 -q -d postgres -c "CREATE DATABASE \"$db\""
  "$restore" --no-owner --exit-on-error -d "$db" "$dir/$db.dump"
done
psql -v ON_ERROR_STOP=1 -q -d "${TEMPORAL_DB:-duban_temporal}" -c 'TRUNCATE cluster_membership'
app="${DATABASE_URL:?DATABASE_URL is not set}"
app_db=$(printf '%s' "$app" | sed -e 's#?.*##' -e 's#.*/##')
psql -v ON_ERROR_STOP=1 -q -d "$(printf '%s' "$app" | sed -e "s#/$app_db\(?\|\$\)#/postgres\1#")" -c "CREATE DATABASE \"$app_db\""
"$restore" --no-owner --exit-on-error -d "$app" "$dir/application.dump"
echo "restore: $dir restored"
