#!/usr/bin/env bash
# Installs the pinned npm packages the interop tests use. Quick when node_modules is already current.
# Without Node/npm it only warns: the tests that need Node then skip with a message.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
  echo "js/install.sh: npm not found; interop tests will be skipped" >&2
  exit 0
fi
stamp=node_modules/.nodenogg-stamp
if [[ -f "$stamp" && "$stamp" -nt package-lock.json && "$stamp" -nt package.json ]]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
touch "$stamp"
