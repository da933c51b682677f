#!/usr/bin/env bash
# This repository's setup: what every office's build needs (generator/system/setup-system.sh:
# CJK and Fandol fonts, compact print fonts), plus what the tool's own tests need.
# Idempotent: a second run does nothing and takes well under a second.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-$here/.venv/bin/python}
[ -x "$PY" ] || { echo "setup: $PY not found; run make setup (it makes the virtualenv first)" >&2; exit 1; }

# poppler-utils: pdftotext/pdftoppm for tests; chromium: browser tests (never a downloaded
# browser); node + npm: axe-core for the accessibility tests (and Lighthouse for `make lighthouse`)
# are npm packages pinned in benchmarks/web/package-lock.json; a machine may have a Node.js of its own.
"$PY" -m generator.system setup poppler-utils chromium node:nodejs npm:npm

# axe-core into benchmarks/web/node_modules (git-ignored), from the lock file; the tests never
# download anything. Lighthouse (a dev dependency there) only with `make lighthouse`.
WEB="$here/benchmarks/web"
if [ ! -f "$WEB/node_modules/axe-core/axe.min.js" ]; then
  echo "setup: installing axe-core (npm)"
  (cd "$WEB" && npm ci --omit=dev --no-audit --no-fund --loglevel=error >/dev/null)
fi
