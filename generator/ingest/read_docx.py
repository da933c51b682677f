"""Reader for Word files (.docx, as Word and WPS save them), with python-docx.

Offices rarely use heading styles: a headline is a bold, centred paragraph; a lead-in is a bold
run at the start of a paragraph; 点评 is a bold label. So the reader reports what it sees — style
level, bold (whole paragraph or leading runs), centring — and leaves the meaning to the
recognisers. Headers, footers and page numbers are not part of the body and never read.
"""
from __future__ import annotations

import re
from pathlib import Path

from generator.problems import UsageError

from .document import Block, clean_text

_HEADING_STYLE = re.compile(r"^(heading|标题)\s*(\d)$", re.IGNORECASE)


def _style_level(paragraph) -> int:
    style = paragraph.style
    while style is not None:
        name = (style.name or "").strip()
        if name.lower() == "title" or name == "标题":
            return 1
        if m := _HEADING_STYLE.match(name):
            return min(int(m.group(2)) + 1, 4)  # Heading 1 is an article headline (level 2)
        style = style.base_style
    return 0


def _style_bold(paragraph) -> bool:
    style = paragraph.style
    while style is not None:
        if style.font.bold is not None:
            return bool(style.font.bold)
        style = style.base_style
    return False


def _centred(paragraph) -> bool:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    align = paragraph.alignment
    style = paragraph.style
    while align is None and style is not None:
        align = style.paragraph_format.alignment
        style = style.base_style
    return align == WD_ALIGN_PARAGRAPH.CENTER


def paragraph_block(paragraph, where: str) -> Block | None:
    default_bold = _style_bold(paragraph)
    runs = [(r.text.replace("\n", " "), default_bold if r.bold is None else bool(r.bold)) for r in paragraph.runs]
    runs = [(t, b) for t, b in runs if t]
    text = clean_text("".join(t for t, _ in runs) or paragraph.text)
    if not text:
        return None
    level, centred = _style_level(paragraph), _centred(paragraph)
    visible = [(t, b) for t, b in runs if t.strip()]
    all_bold = bool(visible) and all(b for _, b in visible)
    lead = ""
    if visible and not all_bold and visible[0][1]:
        head = ""
        for t, b in runs:
            if not b and t.strip():
                break
            head += t
        lead = clean_text(head)
        if not text.startswith(lead):
            lead = ""
    return Block(text, level=level, bold=all_bold, center=centred, lead=lead, where=where)


def read_docx(path: Path) -> list[Block]:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # a renamed .doc, a damaged file: say so in Chinese
        raise UsageError(f"{path.name} 打不开，不是有效的 .docx 文件（{type(exc).__name__}）；请在 Word 或 WPS 里另存为 .docx 再导入") from exc
    blocks: list[Block] = []
    paragraphs = tables = 0
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            tables += 1
            rows = []
            for row in item.rows:
                cells = [clean_text(c.text.replace("\n", " ")) for c in row.cells]
                if any(cells):
                    rows.append(cells)
            if rows:
                blocks.append(Block("", rows=rows, where=f"第 {tables} 个表格"))
            continue
        paragraphs += 1
        block = paragraph_block(item, f"第 {paragraphs} 段")
        if block is not None:
            blocks.append(block)
    return blocks
