#!/usr/bin/env bash
# The full test suite, as the README and CI run it: install, build (tsc
# type-checks), lint (including the architecture's import boundaries), then
# Jest's unit, integration and end-to-end projects against real Temporal,
# PostgreSQL and SMTP that the global setup provides. Extra arguments go to Jest.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash infra/scripts/ensure-deps.sh
bash infra/scripts/ensure-chromium.sh
bash infra/scripts/build.sh
echo "[duban] linting…" >&2
npx eslint --max-warnings 0 .
npx prettier --check --log-level warn .
mkdir -p .data
results=.data/jest-results.json
rm -f "$results"
status=0
node --experimental-vm-modules --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js \
  --ci --json --outputFile="$results" "$@" || status=$?
if [ -f "$results" ]; then
  node -e 'const r=require(process.argv[1]);console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed`+(r.numPendingTests?`, ${r.numPendingTests} skipped`:""))' "$(pwd)/$results"
fi
exit "$status"
