#!/usr/bin/env bash
# Compiles the TypeScript (type-checking it), bundles the workflows once, and
# builds the web app (apps/web, type-checked, Vite) into dist/web.
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "[duban] compiling TypeScript…" >&2
# From scratch: Jest runs what is in dist/, so a deleted test must not linger there.
rm -rf dist
npx tsc -p tsconfig.json
node dist/apps/worker/src/bundle-workflows.js
echo "[duban] building the web app…" >&2
npx tsc -p apps/web/tsconfig.json
npx vite build --config apps/web/vite.config.ts --logLevel warn
