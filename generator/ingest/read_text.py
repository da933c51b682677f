"""Reader for plain-text extractions (what a PDF-to-text tool or a copy from a web page gives).

Paragraphs are separated by blank lines; lines inside one paragraph are joined (hard wraps).
Markdown marks left by the extraction are read as what they mean: `#`s give a heading level,
`**…**` around a whole line makes it bold, `**…**` at the start marks a bold lead-in. A run of
tab-separated lines is a table. A line standing alone between blank lines is marked `alone`: a
text file shows no bold or centring, so the bulletin recogniser decides from that layout and the
neighbouring lines whether it is a headline (bulletin.py, `promote_text_headlines`).
"""
from __future__ import annotations

import re
from pathlib import Path

from .decode import Decoded, decode_text
from .document import Block, clean_text, join_cjk

_HEADING = re.compile(r"^\s*(#{1,6})\s*(.*)$")
_LEAD = re.compile(r"^\s*\*\*(.+?)\*\*(.*)$")


def line_block(line: str, where: str) -> Block:
    heading = _HEADING.match(line)
    if heading:
        return Block(clean_text(heading.group(2)), level=min(len(heading.group(1)), 4), where=where)
    lead = _LEAD.match(line)
    if lead:
        head, rest = clean_text(lead.group(1)), clean_text(lead.group(2))
        if not rest:
            return Block(head, bold=True, where=where)
        return Block(join_cjk(head, rest), lead=head, where=where)
    return Block(clean_text(line), where=where)


def read_text(path: Path) -> tuple[list[Block], Decoded]:
    """The blocks, and the decoded text (its encoding goes into the report)."""
    decoded = decode_text(path.read_bytes(), path.name)
    lines = decoded.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[Block] = []
    joinable = False  # the previous line continues a paragraph (no blank line in between)
    for number, line in enumerate(lines, 1):
        where = f"第 {number} 行"
        if not line.strip():
            joinable = False
            continue
        if "\t" in line.strip("\t "):
            cells = [clean_text(c) for c in line.split("\t")]
            if blocks and blocks[-1].is_table and joinable:
                blocks[-1].rows.append(cells)
            else:
                blocks.append(Block("", rows=[cells], where=where))
            joinable = True
            continue
        block = line_block(line, where)
        if not block.text:  # a line of markers only (`####`, `**`)
            continue
        prev = blocks[-1] if blocks else None
        if (joinable and prev is not None and not prev.is_table and prev.level == 0 and block.level == 0
                and not block.lead and not block.bold and not prev.bold):
            prev.text = join_cjk(prev.text, block.text)
            continue
        block.alone = (number == 1 or not lines[number - 2].strip()) and (number == len(lines) or not lines[number].strip())
        blocks.append(block)
        joinable = True
    return blocks, decoded
