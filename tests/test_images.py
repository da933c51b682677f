"""A story with a photo: the image reaches the story page, the issue page and the PDF."""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

from pypdf import PdfReader

from generator.cli import main

STORY = "content/stories/hubei-bulletin/2024-q3/pediatrics.md"


def tiny_png(path: Path) -> None:
    """An 8×8 red PNG, written by hand so the test needs no image library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\0" + b"\xc0\x00\x00" * 8 for _ in range(8))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_story_image_reaches_pages_and_pdf(project, capsys):
    images = project / "content/stories/hubei-bulletin/2024-q3/images"
    images.mkdir()
    tiny_png(images / "ward.png")
    story = project / STORY
    story.write_text(story.read_text(encoding="utf-8") + '\n![儿科病房](images/ward.png "督查组在儿科病房")\n',
                     encoding="utf-8")
    assert main(["--root", str(project), "build"]) == 0, capsys.readouterr().err
    site = project / "site" / "hubei-bulletin/2024-q3"
    assert (site / "images/ward.png").is_file()
    story_html = (site / "pediatrics/index.html").read_text(encoding="utf-8")
    assert 'src="../images/ward.png"' in story_html and "<figcaption>督查组在儿科病房</figcaption>" in story_html
    assert 'src="images/ward.png"' in (site / "index.html").read_text(encoding="utf-8")
    pdf = next(site.glob("*.pdf"))
    assert any(page.images for page in PdfReader(pdf).pages)
