#!/usr/bin/env bash
# Compiles the TypeScript (type-checking it), bundles the workflows once,
# generates the web app's typed API client from the OpenAPI document, and
# builds the web app (apps/web, type-checked, Vite) into dist/web.
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "[duban] compiling TypeScript…" >&2
# From scratch: Jest runs what is in dist/, so a deleted test must not linger there.
rm -rf dist
npx tsc -p tsconfig.json
node dist/apps/worker/src/bundle-workflows.js
# The web app's typed client, from the API's OpenAPI document (what GET /api/docs publishes).
node dist/infra/openapi/generate-client.js
echo "[duban] building the web app…" >&2
npx tsc -p apps/web/tsconfig.json
npx vite build --config apps/web/vite.config.ts --logLevel warn
