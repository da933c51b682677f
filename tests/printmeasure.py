"""Measuring printed PDFs from glyph positions and drawings (PyMuPDF); the method is described in
docs/print.md ("How the print is measured"). All lengths in millimetres from the page's top left.
"""
from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass

import pymupdf

MM = 72 / 25.4
# GB/T 9704 text block: 28 mm from the left, 37 mm from the top, 156 × 225 mm.
LEFT, TOP, WIDTH, HEIGHT = 28.0, 37.0, 156.0, 225.0
RIGHT, BOTTOM = LEFT + WIDTH, TOP + HEIGHT
BODY_SIZE = 16.0  # 3号
PITCH = HEIGHT / 22  # 22 lines a page
# Closing punctuation is set half an em wide at a line end (its ink sits in the left half).
HALF_WIDTH_AT_END = set("，。、；：！？）》」』”’〕】")


@dataclass
class Line:
    page: int  # 0-based
    y: float  # baseline
    x0: float
    x1: float  # end of the last glyph as set
    size: float  # the largest glyph size on the line
    text: str


def lines(doc: pymupdf.Document) -> list[Line]:
    """Every text line of the document, in reading order: glyphs grouped by baseline."""
    out = []
    for pno, page in enumerate(doc):
        rows: dict[float, list] = defaultdict(list)
        for block in page.get_text("rawdict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    for ch in span["chars"]:
                        rows[round(ch["origin"][1] / MM, 1)].append((ch["origin"][0] / MM, ch["bbox"][2] / MM, ch["c"], span["size"]))
        for y in sorted(rows):
            glyphs = sorted(rows[y])
            x, end, last, size = glyphs[-1]
            if last in HALF_WIDTH_AT_END:
                end = x + size / 2 / MM
            text = "".join(g[2] for g in glyphs)
            out.append(Line(pno, y, glyphs[0][0], end, max(g[3] for g in glyphs), text))
    return out


def continued_lines(doc: pymupdf.Document) -> list[Line]:
    """Body lines (3号, inside the block) followed by a line of the same paragraph: the next body
    line starts at the block's left edge (a new paragraph or heading starts two characters in;
    titles are centred and larger) one line pitch lower (a byline or a 点评 box starts after a
    gap), or, when this line is the last of a full page, at the top of the next page."""
    body = [ln for ln in lines(doc) if abs(ln.size - BODY_SIZE) < 0.5 and TOP - 1 < ln.y < BOTTOM + 1
            and LEFT - 0.5 <= ln.x0 and ln.x1 <= RIGHT + 5 and ln.text.strip()]
    out = []
    for a, b in itertools.pairwise(body):
        same_flow = (b.page == a.page and 0 < b.y - a.y < PITCH + 0.5) or (
            b.page == a.page + 1 and a.y > BOTTOM - PITCH and b.y < TOP + PITCH)
        byline = b.text.endswith("——")  # "中心名称——" opens a story, flush left
        if same_flow and not byline and abs(b.x0 - LEFT) < 0.5 and abs(a.x0 - LEFT) < 12:
            out.append(a)
    return out


def flush_ratio(doc: pymupdf.Document, tolerance: float = 1.0) -> tuple[int, int, list[Line]]:
    """(flush, all, ragged lines): continued lines ending within `tolerance` mm of the right edge."""
    cont = continued_lines(doc)
    ragged = [ln for ln in cont if abs(ln.x1 - RIGHT) > tolerance]
    return len(cont) - len(ragged), len(cont), ragged


def lines_of_size(doc: pymupdf.Document, size: float, pages=None) -> list[Line]:
    return [ln for ln in lines(doc) if abs(ln.size - size) < 0.3 and (pages is None or ln.page in pages)]


def bottom_rule(doc: pymupdf.Document, page: int) -> float | None:
    """y of the lowest horizontal rule as wide as the text block on a page (e.g. 报尾, 版记)."""
    found = []
    for d in doc[page].get_drawings():
        for item in d["items"]:
            if item[0] == "l":
                p, q = item[1], item[2]
                if abs(p.y - q.y) < 0.1 and abs(q.x - p.x) / MM > WIDTH - 1:
                    found.append(p.y / MM)
            elif item[0] == "re":
                r = item[1]
                if r.height / MM < 1 and r.width / MM > WIDTH - 1:
                    found.append((r.y0 + r.y1) / 2 / MM)
    inside = [y for y in found if y < BOTTOM + 5]
    return max(inside) if inside else None


def page_number_dashes(doc: pymupdf.Document, dpi: int = 600) -> list[tuple[int, float, str]]:
    """(page, mm from the block's bottom edge to the dash stroke's middle, side) for every page
    number "— N —": the stroke is found in a rendering of the first dash's glyph box."""
    out = []
    for pno, page in enumerate(doc):
        for block in page.get_text("rawdict")["blocks"]:
            for line in block.get("lines", []):
                chars = [c for s in line["spans"] for c in s["chars"]]
                if not chars or chars[0]["c"] != "—" or chars[0]["origin"][1] / MM < BOTTOM:
                    continue
                box = pymupdf.Rect(chars[0]["bbox"])
                pix = page.get_pixmap(clip=box, dpi=dpi, colorspace=pymupdf.csGRAY)
                dark = [row for row in range(pix.height)
                        if min(pix.samples[row * pix.stride: row * pix.stride + pix.width]) < 128]
                if dark:
                    middle = box.y0 / MM + (dark[0] + dark[-1] + 1) / 2 / dpi * 25.4
                    side = "right" if box.x0 / MM > LEFT + WIDTH / 2 else "left"
                    out.append((pno, middle - BOTTOM, side))
    return out


def is_tagged(doc: pymupdf.Document) -> dict:
    """What the catalog says about tagging, language, standard and bookmarks."""
    catalog = doc.pdf_catalog()
    keys = doc.xref_get_keys(catalog)
    marked = doc.xref_get_key(catalog, "MarkInfo")
    metadata = doc.xref_stream(int(doc.xref_get_key(catalog, "Metadata")[1].split()[0])) if "Metadata" in keys else b""
    return {
        "struct_tree": "StructTreeRoot" in keys,
        "marked": "true" in (doc.xref_get_key(int(marked[1].split()[0]), "Marked")[1] if marked[0] == "xref" else marked[1]),
        "lang": doc.xref_get_key(catalog, "Lang")[1].strip("()"),
        "title": doc.metadata.get("title", ""),
        "pdfua": b"pdfuaid:part" in metadata,
        "bookmarks": len(doc.get_toc()),
    }
