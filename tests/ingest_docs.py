"""Documents typed the way an office types them, made from the reference texts with python-docx:
no heading styles — headlines bold and centred, lead-ins as bold runs, 点评 as a bold label,
the annex as a Word table."""
from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

LEAD = re.compile(r"^\*\*(.+?)\*\*(.*)$")
HEADING = re.compile(r"^(#{1,6})\s*(.*)$")


def _paragraph(doc, text: str, bold: bool = False, centre: bool = False, size: int = 16, lead: str = ""):
    p = doc.add_paragraph()
    if centre:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if lead:
        run = p.add_run(lead)
        run.bold = True
        run.font.size = Pt(size)
    run = p.add_run(text)
    run.bold = bold or None
    run.font.size = Pt(size)
    return p


def office_docx(source: Path, target: Path) -> Path:
    doc = Document()
    table = None
    for line in source.read_text(encoding="utf-8").splitlines():
        line = line.rstrip()
        if not line.strip() or re.fullmatch(r"-{3,}", line.strip()):
            table = None if not line.strip() else table
            continue
        if "\t" in line:  # annex rows: one Word table per printed page, as offices paste them
            cells = line.split("\t")
            if table is None:
                table = doc.add_table(rows=0, cols=len(cells))
            for cell, value in zip(table.add_row().cells, cells):
                cell.text = value
            continue
        table = None
        line = line.strip()
        heading = HEADING.match(line)
        lead = LEAD.match(line)
        if heading:
            level, text = len(heading.group(1)), heading.group(2).replace("**", "").strip()
            if level <= 2:
                _paragraph(doc, text, bold=True, centre=True, size=26 if level == 1 else 18)
            else:  # 点评 labels and sub-heads: bold, not centred
                _paragraph(doc, text, bold=True)
        elif lead and not lead.group(2).strip():
            _paragraph(doc, lead.group(1), bold=True)
        elif lead:
            _paragraph(doc, lead.group(2), lead=lead.group(1))
        elif re.match(r"^点评\s*[：:]$", line) or re.match(r"^[一二三四五六七八九十]+、", line) and len(line) < 30:
            _paragraph(doc, line, bold=True)
        else:
            _paragraph(doc, line)
    doc.save(str(target))
    return target
