#!/bin/sh
# Temporal Server's two databases: created when missing, set up once (schema version 0.0), then brought to the
# newest schema the tool embeds. Safe to run at every deployment: a database already set up is only updated.
# Reads TEMPORAL_DB, TEMPORAL_VISIBILITY_DB, TEMPORAL_DB_HOST, TEMPORAL_DB_PORT, TEMPORAL_DB_USER,
# TEMPORAL_DB_PASSWORD (as infra/temporal/production.yaml does). SQL_TOOL names the schema tool (default: sql).
set -eu
tool=${SQL_TOOL:-sql}
export PGPASSWORD="${TEMPORAL_DB_PASSWORD:-}"
export SQL_PASSWORD="${TEMPORAL_DB_PASSWORD:-}"
host=${TEMPORAL_DB_HOST:-127.0.0.1}
port=${TEMPORAL_DB_PORT:-5432}
user=${TEMPORAL_DB_USER:-postgres}
for pair in "${TEMPORAL_DB:-duban_temporal}:temporal" "${TEMPORAL_VISIBILITY_DB:-duban_temporal_visibility}:visibility"; do
  db=${pair%%:*}
  schema=${pair##*:}
  set -- --ep "$host" -p "$port" -u "$user" --pl postgres12 --db "$db"
  if ! psql -h "$host" -p "$port" -U "$user" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
    "$tool" "$@" create-database
  fi
  present=$(psql -h "$host" -p "$port" -U "$user" -d "$db" -tAc "SELECT to_regclass('schema_version') IS NOT NULL")
  if [ "$present" != "t" ]; then
    "$tool" "$@" setup-schema -v 0.0
  fi
  "$tool" "$@" update-schema -s "postgresql/v12/$schema"
  echo "temporal-schema: $db up to date"
done
