#!/usr/bin/env bash
# Installs the Debian packages and fonts the build and tests need, only what is missing.
# Idempotent: a second run does nothing and takes well under a second.
set -euo pipefail

need_pkgs=()
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# fonts-noto-cjk: 宋 (Serif) and 黑 (Sans) CJK; poppler-utils: pdftotext/pdftoppm for tests;
# chromium: browser tests (never a downloaded browser); fontconfig: fc-cache.
for p in fonts-noto-cjk poppler-utils chromium fontconfig; do
  have "$p" || need_pkgs+=("$p")
done
# node + npm: axe-core for the accessibility tests (and Lighthouse for `make lighthouse`) are npm
# packages pinned in benchmarks/web/package-lock.json; a machine may already have a Node.js of its own.
command -v node >/dev/null || need_pkgs+=(nodejs)
command -v npm >/dev/null || need_pkgs+=(npm)

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

if [ ${#need_pkgs[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_pkgs[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

# FandolFang (仿宋) and FandolKai (楷) ship only inside texlive-lang-chinese; extract the two
# .otf files from the .deb instead of installing TeX (hundreds of MB).
FONT_DIR=/usr/local/share/fonts/fandol
if [ ! -f "$FONT_DIR/FandolFang-Regular.otf" ] || [ ! -f "$FONT_DIR/FandolKai-Regular.otf" ]; then
  echo "setup: extracting FandolFang / FandolKai from texlive-lang-chinese"
  tmp=$(mktemp -d)
  (cd "$tmp" && apt-get download texlive-lang-chinese >/dev/null 2>&1 || { $SUDO apt-get update -qq && apt-get download texlive-lang-chinese >/dev/null; })
  dpkg-deb -x "$tmp"/texlive-lang-chinese_*.deb "$tmp/x"
  $SUDO mkdir -p "$FONT_DIR"
  $SUDO cp "$tmp"/x/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/Fandol{Fang,Kai}-Regular.otf "$FONT_DIR/"
  rm -rf "$tmp"
  $SUDO fc-cache -f >/dev/null
fi

# Compact print copies of the two Fandol fonts (scripts/compact_fonts.py: em of 250 units, outlines
# without redundant segments: a bulletin PDF half the size). Made again when the script changes.
# Runs with the project's virtualenv (fontTools, pinned in pyproject.toml); a few minutes, once.
PRINT_FONT_DIR=/usr/local/share/zkjb/print-fonts
here=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-$here/.venv/bin/python}
want=$(sha256sum "$here/scripts/compact_fonts.py" | cut -d' ' -f1)
if [ "$(cat "$PRINT_FONT_DIR/compact.sha256" 2>/dev/null)" != "$want" ] \
   || [ ! -f "$PRINT_FONT_DIR/FandolFang-Regular.otf" ] || [ ! -f "$PRINT_FONT_DIR/FandolKai-Regular.otf" ]; then
  [ -x "$PY" ] || { echo "setup: $PY not found; run make setup (it makes the virtualenv first)" >&2; exit 1; }
  echo "setup: making compact print copies of FandolFang / FandolKai (a few minutes, once)"
  $SUDO mkdir -p "$PRINT_FONT_DIR"
  $SUDO "$PY" "$here/scripts/compact_fonts.py" "$FONT_DIR" "$PRINT_FONT_DIR"
  echo "$want" | $SUDO tee "$PRINT_FONT_DIR/compact.sha256" >/dev/null
fi

# axe-core into benchmarks/web/node_modules (git-ignored), from the lock file; the tests never
# download anything. Lighthouse (a dev dependency there) only with `make lighthouse`.
WEB="$(dirname "$0")/../benchmarks/web"
if [ ! -f "$WEB/node_modules/axe-core/axe.min.js" ]; then
  echo "setup: installing axe-core (npm)"
  (cd "$WEB" && npm ci --omit=dev --no-audit --no-fund --loglevel=error >/dev/null)
fi
