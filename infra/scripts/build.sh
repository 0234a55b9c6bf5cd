#!/usr/bin/env bash
# Compiles the TypeScript (type-checking it) and bundles the workflows once.
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "[duban] compiling TypeScript…" >&2
# From scratch: Jest runs what is in dist/, so a deleted test must not linger there.
rm -rf dist
npx tsc -p tsconfig.json
node dist/apps/worker/src/bundle-workflows.js
