"""Typst as the PDF engine: one compiler per process, fonts from explicit folders, cache keys.

A document is a template (common.typ + bulletin.typ or notice.typ, joined into
build/print/<kind>.typ: the compiler's root is the project, where the story images are) and its
JSON data, passed as `sys.inputs.data`. The key of a PDF hashes everything that shapes it: the data, the template
sources, the font files (name, size, mtime), the images it embeds, Typst's version and the PDF
standard, so an unchanged document is never compiled again.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from functools import cache
from pathlib import Path

import typst

TEMPLATES = Path(__file__).parent / "templates"
# generator/system/setup-system.sh puts compact copies of FandolFang/FandolKai here (compact_fonts.py there:
# a quarter of the outline bytes of the originals, so half the PDF size), fonts-noto-cjk the Noto
# CJK faces. The compact folder lies outside fontconfig's folders: only the print uses it.
FONT_DIRS = (Path("/usr/local/share/zkjb/print-fonts"), Path("/usr/share/fonts/opentype/noto"))
FONT_FILES = ("FandolFang-Regular.otf", "FandolKai-Regular.otf", "NotoSerifCJK-Regular.ttc",
              "NotoSerifCJK-Bold.ttc", "NotoSansCJK-Regular.ttc")
# Tagged PDF/UA-1 (title, language, structure tree, bookmarks); Typst checks it while writing.
PDF_STANDARDS = ["ua-1"]


class PrintSetupError(RuntimeError):
    """The machine lacks what printing needs (fonts); the message says how to fix it, in Chinese."""


@cache
def template_source(kind: str) -> str:
    return (TEMPLATES / "common.typ").read_text("utf-8") + "\n" + (TEMPLATES / f"{kind}.typ").read_text("utf-8")


@cache
def font_stamp() -> str:
    """Every font file the compiler may use, with size and mtime (a changed font → new keys)."""
    missing = [name for name in FONT_FILES if not any((d / name).is_file() for d in FONT_DIRS)]
    if missing:
        raise PrintSetupError(f"缺少打印字体：{'、'.join(missing)}。请先运行 make setup（或 make site）安装字体")
    parts = []
    for folder in FONT_DIRS:
        for file in sorted(folder.iterdir()):
            if file.is_file():
                stat = file.stat()
                parts.append(f"{file}:{stat.st_size}:{stat.st_mtime_ns}")
    return "\n".join(parts)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else f"missing:{path}"


def image_digest(root: Path, src: str) -> str:
    path = root / src.lstrip("/")
    return file_digest(path) if path.is_file() else f"missing:{src}"


def cache_key(kind: str, data_json: str, images: list[str], root: Path) -> str:
    h = hashlib.sha256()
    for part in [kind, data_json, template_source(kind), font_stamp(), typst_version(),
                 ",".join(PDF_STANDARDS), *(image_digest(root, src) for src in images)]:
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


@cache
def typst_version() -> str:
    from importlib.metadata import version

    return version("typst")


_fonts: typst.Fonts | None = None


def fonts() -> typst.Fonts:
    """The font folders, scanned once per process and shared by every compiler."""
    global _fonts
    if _fonts is None:
        font_stamp()  # fails early, in Chinese, when the fonts are missing
        _fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                             font_paths=[str(d) for d in FONT_DIRS])
    return _fonts


def write_templates(root: Path) -> dict[str, Path]:
    """The joined template of each kind as build/print/<kind>.typ inside the project (Typst reads
    its main file and the images from under one root). Rewritten only when it changed."""
    folder = root / "build" / "print"
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for kind in ("bulletin", "notice"):
        path = folder / f"{kind}.typ"
        text = template_source(kind)
        if not path.is_file() or path.read_text("utf-8") != text:
            partial = path.with_suffix(f".{os.getpid()}.part")
            partial.write_text(text, "utf-8")
            os.replace(partial, path)
        paths[kind] = path
    return paths


def imprint_break(compiler: typst.Compiler) -> str:
    """Where a notice's 版记 goes, from a first layout: "" (the foot of this even page), "next"
    (the last page is odd: the next, even page) or "blank" (no room left on an even page: a blank
    page, then the 版记 on the next even page). Typst cannot break pages from inside `context`."""
    found = json.loads(compiler.query("<imprint-at>", field="value", one=True))
    if found["page"] % 2:
        return "next"
    return "blank" if found["need"] > found["room"] else ""


def compile_pdf(kind: str, data_json: str, root: str, target: str, date: dt.date) -> str:
    """Data → PDF file (written beside, then renamed: the cache never holds half a file).
    The creation date is the document's own, so the same input gives the same bytes."""
    main = Path(root) / "build" / "print" / f"{kind}.typ"
    inputs = {"data": data_json, "imprint": ""}
    compiler = typst.Compiler(input=str(main), root=root, font_paths=fonts(), ignore_system_fonts=True,
                              sys_inputs=inputs)
    if kind == "notice":
        inputs = {**inputs, "imprint": imprint_break(compiler)}
    partial = f"{target}.{os.getpid()}.part"
    stamp = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)
    compiler.compile(output=partial, sys_inputs=inputs, pdf_standards=PDF_STANDARDS, timestamp=stamp)
    os.replace(partial, target)
    return target
