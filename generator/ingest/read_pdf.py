"""Reader for PDFs with a text layer (as Word, WPS or this generator print them), with pdfplumber.

A PDF has lines, not paragraphs. A paragraph starts where a line is indented (首行缩进), centred,
set in another size, or follows a line that stopped short of the right edge; a paragraph whose
last line on a page runs to the edge continues on the next page (page-end joins). Headings are
told by size (larger than the body text) and weight (a bold or 黑体 font). Page numbers, running
heads (the same line at the top or foot of many pages) and contents pages are left out.
Scanned PDFs have no text layer: they are refused with a message (OCR is not done here).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from generator.problems import UsageError

from .document import TOC_HEAD, TOC_LINE, Block, ends_complete, is_noise, join_cjk

ATTACHMENT_LINE = re.compile(r"^附\s*件\s*[：:]")
BOLD_FONT = re.compile(r"bold|black|heavy|semibold|hei|sans|黑|粗", re.IGNORECASE)


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: list[bool]  # per character
    page: int


def _lines(page, number: int) -> list[Line]:
    out = []
    for raw in page.extract_text_lines(return_chars=True, strip=True):
        chars = [c for c in raw["chars"] if c["text"].strip()]
        if not chars:
            continue
        size = Counter(round(c["size"], 1) for c in chars).most_common(1)[0][0]
        out.append(Line(raw["text"], raw["x0"], raw["x1"], raw["top"], raw["bottom"], size, _weights(raw["chars"]), number))
    return out


def _weights(chars) -> list[bool]:
    """Bold or not, per printed character. Latin letters and digits are bold when the characters
    on both sides are: a bold Chinese lead-in often borrows a regular Latin font for "PIVAS"."""
    flags: list[bool | None] = []
    for c in chars:
        if c["text"] == " ":
            continue
        flags.append(None if c["text"].isascii() else bool(BOLD_FONT.search(c["fontname"].split("+")[-1])))
    known = [i for i, f in enumerate(flags) if f is not None]
    out = []
    for i, f in enumerate(flags):
        if f is None:
            before = next((flags[j] for j in reversed(known) if j < i), False)
            after = next((flags[j] for j in known if j > i), False)
            f = bool(before and after)
        out.append(f)
    return out


def _furniture(pages: list[list[Line]], heights: list[float]) -> set[tuple[int, float]]:
    """Running heads and feet: the same text in the top or bottom 10 % of at least 3 pages."""
    seen: Counter = Counter()
    for lines, height in zip(pages, heights):
        for ln in lines:
            if ln.top < height * 0.1 or ln.bottom > height * 0.9:
                seen[re.sub(r"\d+", "#", ln.text)] += 1
    drop = set()
    for lines, height in zip(pages, heights):
        for ln in lines:
            if (ln.top < height * 0.1 or ln.bottom > height * 0.9) and seen[re.sub(r"\d+", "#", ln.text)] >= 3:
                drop.add((ln.page, ln.top))
    return drop


def read_pdf(path: Path) -> list[Block]:
    import pdfplumber

    try:
        pdf = pdfplumber.open(str(path))
    except Exception as exc:
        raise UsageError(f"{path.name} 打不开，不是有效的 PDF（{type(exc).__name__}）") from exc
    with pdf:
        pages, heights, tables = [], [], {}
        for n, page in enumerate(pdf.pages, 1):
            found = page.find_tables()
            lines = _lines(page, n)
            for t in found:
                x0, top, _x1, bottom = t.bbox
                rows = [[join_cells(c) for c in row] for row in t.extract()]
                rows = [r for r in rows if sum(1 for c in r if c) >= 2]
                if len(rows) < 2:
                    continue  # ruled text (a 报尾 between rules), not a table: read as lines
                lines = [ln for ln in lines if not (top - 1 <= ln.top <= bottom + 1 and ln.x0 >= x0 - 1)]
                tables.setdefault(n, []).append((top, rows))
            pages.append(lines)
            heights.append(page.height)
        if not any(pages):
            raise UsageError(f"{path.name} 没有文字层（可能是扫描件）：请先用 OCR 软件转成文字，或导入 Word 原件")
    furniture = _furniture(pages, heights)
    kept: list[Line] = []
    in_contents = False
    for lines in pages:
        lines = [ln for ln in lines if (ln.page, ln.top) not in furniture]
        lines, in_contents = _without_contents(lines, in_contents)
        kept += [ln for ln in lines if not is_noise(ln.text)]
    return _paragraphs(kept, tables)


def _without_contents(lines: list[Line], in_contents: bool) -> tuple[list[Line], bool]:
    """Leave out a table of contents (the headlines come again with the articles), and only it:
    it may share its first page with the 报头 and 按语, and run on to the top of the next page.
    An entry wrapped over two lines has its leaders only on the second, so everything from the
    目录 head (or the page top, when the contents ran on) to the last leader line goes."""
    head = next((i for i, ln in enumerate(lines) if TOC_HEAD.match(ln.text.strip())), None)
    start = head if head is not None else (0 if in_contents else None)
    if start is None:
        return lines, False
    leaders = [i for i, ln in enumerate(lines) if i >= start and TOC_LINE.search(ln.text)]
    if not leaders:
        return lines[:start] + lines[start + 1:] if head is not None else lines, False
    end = leaders[-1]
    return lines[:start] + lines[end + 1:], end == len(lines) - 1


def join_cells(cell) -> str:
    text = ""
    for part in (cell or "").split("\n"):
        text = join_cjk(text, part.strip())
    return text


def _paragraphs(lines: list[Line], tables: dict) -> list[Block]:
    if not lines:
        return [Block("", rows=rows, where=f"第 {n} 页") for n, ts in sorted(tables.items()) for _, rows in ts]
    body_size = Counter(ln.size for ln in lines).most_common(1)[0][0]
    left = Counter(round(ln.x0) for ln in lines if ln.size == body_size).most_common(1)[0][0]
    # the measure: most body lines run to it (max() would be thrown by one overhanging line)
    right = Counter(round(ln.x1) for ln in lines if ln.size == body_size).most_common(1)[0][0]
    blocks: list[Block] = []
    current: list[Line] = []
    pending_tables = {n: list(ts) for n, ts in tables.items()}

    def level_of(ln: Line) -> int:
        if ln.size >= body_size * 1.6:
            return 1
        return 2 if ln.size >= body_size * 1.15 else 0

    def centred(ln: Line) -> bool:
        # equal margins, both wider than a character; a body-size line needs wider ones, or an
        # indented first line that stops short (or a 点评 box's ragged line) would count
        margins = ln.x0 - left, right - ln.x1
        least = ln.size * (1.2 if ln.size > body_size * 1.05 else 2.5)
        return min(margins) > least and abs(margins[0] - margins[1]) < ln.size * 0.6

    def flush():
        if current:
            blocks.append(_block(current, level_of(current[0]), centred(current[0]), right - left))
            current.clear()

    for k, ln in enumerate(lines):
        for top, rows in list(pending_tables.get(ln.page, [])):  # a table above this line
            if top < ln.top:
                flush()
                blocks.append(Block("", rows=rows, where=f"第 {ln.page} 页"))
                pending_tables[ln.page].remove((top, rows))
        prev = current[-1] if current else None
        nxt = lines[k + 1] if k + 1 < len(lines) and lines[k + 1].page == ln.page else None
        # indented against its neighbours, not the page: a 点评 box has margins of its own
        margin = min([x.x0 for x in (prev, nxt) if x is not None and x.page == ln.page] or [left])
        starts = prev is None or (
            ln.size != prev.size or centred(ln) != centred(prev)
            or (ln.x0 > margin + ln.size * 0.8 and not centred(ln))  # first-line indent
            or prev.x1 < right - prev.size * 3  # the previous line stopped short: its paragraph ended
            # a justified line never stops short, so a sentence end a character or more before the edge
            # ends the paragraph too (at a page end the next page's neighbours may hide an indent)
            or (prev.x1 < right - prev.size * 0.9 and ends_complete(prev.text))
            or (len(current) >= 2 and ln.x0 < prev.x0 - ln.size * 0.5)  # out of a 点评 box
            or (ln.page == prev.page and ln.top - prev.bottom > prev.size * 1.2)  # a blank line
            or (level_of(ln) == 0 and ends_complete(prev.text) and ln.bold and all(prev.bold) != all(ln.bold)
                and not (all(prev.bold) and ln.bold[0])))  # a bold line standing alone, or text after it
        if prev is not None and ln.size == prev.size and ln.page == prev.page and ln.top - prev.bottom < prev.size \
                and (level_of(ln) > 0 or (centred(ln) and centred(prev))):
            starts = False  # a heading set on two lines
        if prev is not None and ATTACHMENT_LINE.match(current[0].text) and len(current) == 1 and ln.x0 > prev.x0 + ln.size \
                and prev.x1 >= right - prev.size * 1.5 and ln.page == prev.page:
            starts = False  # 附件说明 wraps with a hanging indent under its title (GB/T 9704)
        if starts:
            flush()
        current.append(ln)
    flush()
    for n, ts in sorted(pending_tables.items()):
        blocks += [Block("", rows=rows, where=f"第 {n} 页") for _, rows in ts]
    return blocks


_PHRASE_END = re.compile(r"[\u4e00-\u9fffA-Za-z0-9”’》）]$")
_PHRASE_START = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9“‘《（]")


def _block(lines: list[Line], level: int, centre: bool, measure: float) -> Block:
    # Body lines join without a space (Chinese has none where a line breaks; gaps a printer left
    # between Chinese and Latin are dropped by document.normalise_extraction). A heading line that
    # stops well short of the measure was broken on purpose, between the phrases of a couplet
    # ("打造PIVAS全流程管理模式 / 为患者守护…"): the space between them is content, put it back.
    # (A notice title drops such spaces again: notice.py squeezes its title.)
    heading = level > 0 or (centre and all(b for ln in lines for b in ln.bold))
    text = ""
    for prev, ln in zip([None, *lines], lines):
        if prev is not None and heading and prev.x1 - prev.x0 < measure - 2 * prev.size \
                and _PHRASE_END.search(text) and _PHRASE_START.match(ln.text):
            text = f"{text} {ln.text}"
        else:
            text = join_cjk(text, ln.text) if text else ln.text
    text = re.sub(r"\s+", " ", text).strip()
    flags = [b for ln in lines for b in ln.bold]
    bold = bool(flags) and all(flags)
    lead = ""
    if flags and flags[0] and not bold:
        count = next((i for i, b in enumerate(flags) if not b), len(flags))
        chars = [ch for ch in text if ch != " "]
        lead_chars = "".join(chars[:count])
        # map back onto the text with its spaces
        i = seen = 0
        while i < len(text) and seen < len(lead_chars):
            seen += text[i] != " "
            i += 1
        lead = text[:i]
    return Block(text, level=level, bold=bold, center=centre, lead=lead, where=f"第 {lines[0].page} 页")
