#!/usr/bin/env bash
# Quick start: install, build, then run the whole stack on embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash infra/scripts/ensure-deps.sh
bash infra/scripts/build.sh
exec node dist/infra/dev/up.js
