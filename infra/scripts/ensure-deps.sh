#!/usr/bin/env bash
# Installs exactly what package-lock.json pins (npm ci), but only when the lock
# changed since the last install, so repeated runs start quickly.
set -euo pipefail
cd "$(dirname "$0")/../.."
stamp=node_modules/.duban-lock-sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "[duban] installing dependencies (npm ci)…" >&2
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi
