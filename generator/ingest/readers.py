"""Pick the reader for a file by its type: text, Word (.docx) or PDF."""
from __future__ import annotations

from pathlib import Path

from generator.problems import UsageError

from .document import Block, normalise_blocks

TEXT = {".txt", ".md", ".markdown", ".text"}


def read_document(path: Path, report=None) -> list[Block]:
    """The document's blocks, whatever its type, with the extraction's spacing and half-width
    punctuation normalised (BRIEF: faithful content joins the breaks, it does not copy artefacts).
    A text file's encoding is noted in `report` (a Report), so the editor sees which one was read."""
    if not path.is_file():
        raise UsageError(f"找不到要导入的文件 {path}")
    if path.suffix.lower() in TEXT:
        from .read_text import read_text
        blocks, decoded = read_text(path)
        if report is not None:
            report.encoding = decoded.encoding
        return normalise_blocks(blocks)
    return normalise_blocks(_read(path))


def _read(path: Path) -> list[Block]:
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from .read_docx import read_docx
        return read_docx(path)
    if suffix == ".pdf":
        from .read_pdf import read_pdf
        return read_pdf(path)
    if suffix in (".doc", ".wps"):
        raise UsageError(f"{path.name} 是旧版 Word/WPS 格式：请先在 Word 或 WPS 里“另存为” .docx 再导入")
    raise UsageError(f"不认识 {path.name} 的格式：可以导入 .docx、.pdf 或纯文本（.txt）")
