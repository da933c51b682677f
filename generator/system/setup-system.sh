#!/usr/bin/env bash
# Installs the Debian packages and fonts a build needs, only what is missing (run by
# `python -m generator.system setup`, which passes PYTHON and COMPACT_FONTS).
# Idempotent: a second run does nothing and takes well under a second.
# Arguments: more Debian packages to have, each `package` or `command:package` (installed when the
# command is missing, for tools a machine may have from elsewhere, e.g. node:nodejs).
set -euo pipefail

need_pkgs=()
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# fonts-noto-cjk: 宋 (Serif) and 黑 (Sans) CJK; fontconfig: fc-cache.
for p in fonts-noto-cjk fontconfig "$@"; do
  case "$p" in
    *:*) command -v "${p%%:*}" >/dev/null || need_pkgs+=("${p#*:}") ;;
    *) have "$p" || need_pkgs+=("$p") ;;
  esac
done

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

# Compact print copies of the two Fandol fonts (compact_fonts.py beside this script: em of 250
# units, outlines without redundant segments: a bulletin PDF half the size). Made again when that
# file changes. Runs with the publisher's Python (fontTools is a dependency); a few minutes, once.
PRINT_FONT_DIR=/usr/local/share/zkjb/print-fonts
PY=${PYTHON:?PYTHON: the Python that has the publisher installed}
COMPACT=${COMPACT_FONTS:?COMPACT_FONTS: path of compact_fonts.py}
want=$(sha256sum "$COMPACT" | cut -d' ' -f1)
if [ "$(cat "$PRINT_FONT_DIR/compact.sha256" 2>/dev/null)" != "$want" ] \
   || [ ! -f "$PRINT_FONT_DIR/FandolFang-Regular.otf" ] || [ ! -f "$PRINT_FONT_DIR/FandolKai-Regular.otf" ]; then
  echo "setup: making compact print copies of FandolFang / FandolKai (a few minutes, once)"
  $SUDO mkdir -p "$PRINT_FONT_DIR"
  $SUDO "$PY" "$COMPACT" "$FONT_DIR" "$PRINT_FONT_DIR"
  echo "$want" | $SUDO tee "$PRINT_FONT_DIR/compact.sha256" >/dev/null
fi
