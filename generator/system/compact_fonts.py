"""Compact print copies of FandolFang and FandolKai, made once by scripts/setup-system.sh.

Why: Typst embeds a subset of every font a PDF uses, with its outlines as they are. Fandol's
outlines are traced with about twice as many segments as Noto CJK's (a glyph of 仿宋 costs about
600 bytes in a PDF, one of Noto about 190), so a bulletin carried 1 MB of font. This script:

1. scales the em from 1000 to 250 units (fontTools `scale_upem`: metrics, GPOS, BASE, VORG).
   One unit is then 0.023 mm at 16 pt, half a dot of a 600 dpi printer;
2. draws every outline anew on that integer grid (absolute coordinates rounded): drops segments
   of zero length, sets as lines the curves whose control points lie within two units of their
   chord, and joins runs of lines that pass within two units of every point they replace; no
   hints (a PDF for print and screen gains nothing from CFF hints).

Glyph edges move by at most two units (0.045 mm at 16 pt, one dot at 600 dpi; in Typst's own
600 dpi rendering no pixel differs more than two dots from the original's edge); metrics keep
their values in ems (full-width glyphs stay exactly one em). The family names stay, so the
templates do not change.

Usage: python generator/system/compact_fonts.py SOURCE_DIR TARGET_DIR  (both fonts, in parallel).
"""
from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

FONTS = ("FandolFang-Regular.otf", "FandolKai-Regular.otf")
UNITS_PER_EM = 250
TOLERANCE = 2.0  # units of the new em: 0.045 mm at 16 pt, a dot of a 600 dpi printer


def _off_chord(p, a, b) -> float:
    """Distance of point p from the segment a–b."""
    (x, y), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return ((x - ax) ** 2 + (y - ay) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / length2))
    return ((x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2) ** 0.5


def simplify(operations: list, tol: float = TOLERANCE) -> list:
    """Pen operations (RecordingPen values, absolute coordinates) of one glyph → the same outline
    on the integer grid with fewer segments. Points are rounded as absolute coordinates, so no
    error builds up along a contour; a run of lines becomes one line only while every point it
    passes lies within `tol` of the new line."""
    out: list = []
    contour: list = []  # (op, points) after the current moveTo
    passed: list = []  # points dropped from the last line of `contour`
    start = current = None

    def grid(pts):
        return tuple((round(x), round(y)) for x, y in pts)

    def add_line(end):
        if contour and contour[-1][0] == "lineTo":
            before = contour[-2][1][-1] if len(contour) > 1 else start
            corner = contour[-1][1][0]
            if all(_off_chord(p, before, end) <= tol for p in [*passed, corner]):
                passed.append(corner)
                contour[-1] = ("lineTo", (end,))
                return
        passed.clear()
        contour.append(("lineTo", (end,)))

    def flush():
        out.extend(contour)
        contour.clear()
        passed.clear()

    for op, pts in operations:
        pts = grid(pts)
        if op == "moveTo":
            flush()
            out.append((op, pts))
            start = current = pts[0]
        elif op == "lineTo":
            if pts[0] != current:
                add_line(pts[0])
                current = pts[0]
        elif op == "curveTo":
            c1, c2, end = pts
            if _off_chord(c1, current, end) <= tol and _off_chord(c2, current, end) <= tol:
                if end != current:
                    add_line(end)
            else:
                passed.clear()
                contour.append((op, pts))
            current = end
        elif op in ("closePath", "endPath"):
            flush()
            out.append((op, pts))
        else:
            raise ValueError(f"unexpected pen operation {op}")
    flush()
    return out


def compact(source: Path, target: Path) -> str:
    from fontTools.pens.recordingPen import RecordingPen
    from fontTools.pens.t2CharStringPen import T2CharStringPen
    from fontTools.pens.transformPen import TransformPen
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    # Metrics, GPOS, BASE, VORG and the font matrix scaled by fontTools; the outlines drawn anew
    # from the original ones (scale_upem rounds each relative charstring operand, so its error
    # adds up along a contour).
    original = TTFont(source)
    font = TTFont(source)
    scale_upem(font, UNITS_PER_EM)
    scale = UNITS_PER_EM / original["head"].unitsPerEm
    cff = font["CFF "].cff
    charstrings = cff.topDictIndex[0].CharStrings
    outlines, glyphs = original.getGlyphSet(), font.getGlyphSet()
    metrics = font["hmtx"]
    for name in font.getGlyphOrder():
        old = charstrings[name]
        recording = RecordingPen()
        outlines[name].draw(TransformPen(recording, (scale, 0, 0, scale, 0, 0)))
        pen = T2CharStringPen(metrics[name][0], glyphs)
        for op, pts in simplify(recording.value):
            getattr(pen, op)(*pts)
        new = pen.getCharString(private=old.private, globalSubrs=cff.GlobalSubrs)
        if hasattr(old, "fdSelectIndex"):
            new.fdSelectIndex = old.fdSelectIndex
        charstrings.charStringsIndex[charstrings.charStrings[name]] = new
    partial = target.with_suffix(f".{os.getpid()}.part")
    font.save(partial)
    os.replace(partial, target)
    return f"{source.name}: {source.stat().st_size // 1024} KB → {target.stat().st_size // 1024} KB"


def main(argv: list[str]) -> int:
    source, target = Path(argv[0]), Path(argv[1])
    target.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(max_workers=len(FONTS)) as pool:
        for line in pool.map(compact, [source / f for f in FONTS], [target / f for f in FONTS]):
            print(f"setup: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
