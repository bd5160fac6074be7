#!/usr/bin/env bash
# Installs the pinned npm packages the interop tests use: js/package.json, and every js/<feature>/ folder that
# has its own package.json + package-lock.json (features whose oracles need dependency trees of their own, e.g. a
# pinned older `ws`). Quick when each node_modules is already current.
# Without Node/npm it only warns: the tests that need Node then skip with a message.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
  echo "js/install.sh: npm not found; interop tests will be skipped" >&2
  exit 0
fi
install_dir() {
  local dir=$1 stamp="$1/node_modules/.nodenogg-stamp"
  if [[ -f "$stamp" && "$stamp" -nt "$dir/package-lock.json" && "$stamp" -nt "$dir/package.json" ]]; then
    return 0
  fi
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  touch "$stamp"
}
install_dir .
for pkg in */package.json; do
  dir=${pkg%/package.json}
  [[ "$dir" == node_modules ]] && continue
  [[ -f "$dir/package-lock.json" ]] || { echo "js/install.sh: $dir has no package-lock.json; skipped" >&2; continue; }
  install_dir "$dir"
done
