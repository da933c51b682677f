"""The characters the print fonts can show, and what becomes of the others.

Typst sets a character no font in its folders covers (an emoji, 'Ÿ') as nothing and, writing a
tagged PDF/UA-1, stops the whole build with "the text … could not be displayed". So `check`
warns at the character's file and line (`lacking_characters`), and the PDF data carries 〓 in its
place (`with_missing_marks`, the printer's conventional mark for a missing glyph), so the build
succeeds; the web pages and Word files keep the character (browsers and Word fall back to
system fonts).

Coverage is the union of the character maps of every face in engine.FONT_DIRS (what Typst may
fall back to), read with fontTools. Reading them takes seconds, so it is kept per user, keyed by
the font files' names, sizes and times (engine.font_stamp): one read per machine and font set.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from bisect import bisect_right
from functools import cache
from pathlib import Path

from generator.deferred import later
from generator.load.cache import LoadCache
from generator.load.listing import Listing
from generator.print.engine import FONT_DIRS, PrintSetupError, font_stamp
from generator.problems import Problem

MISSING_MARK = "〓"
# Shaped into nothing by Typst, so never "lacking": Unicode's default-ignorable code points
# (variation selectors as in ❤️, soft hyphen, joiners, tag characters) and controls; the load
# stage reports the invisible ones of these in their own words.
IGNORABLE = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
                       "\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
                       "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]")
FONT_SUFFIXES = {".otf", ".ttf", ".ttc", ".otc"}
TEXT_FILES = [("content", ".md"), ("content", ".yml"), ("content", ".yaml"), ("bulletins", ".yml")]  # **/*<suffix>
MAX_PER_FILE = 5
CACHE = "build/cache/print-coverage.pickle"  # each file's lacking lines, by its stat
_CODE = hashlib.sha1(Path(__file__).read_bytes()).hexdigest()[:12]


def _cache_file() -> Path:
    home = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    stamp = hashlib.sha256(font_stamp().encode("utf-8")).hexdigest()[:16]
    return Path(home) / "zkjb-publisher" / f"print-coverage-{stamp}.json"


def _read_fonts() -> list[list[int]]:
    """[first, last] code point ranges every font face in FONT_DIRS maps to a glyph."""
    from fontTools.ttLib import TTCollection, TTFont  # a third of a second to import: only when needed

    points: set[int] = set()
    for folder in FONT_DIRS:
        for file in sorted(folder.iterdir()) if folder.is_dir() else []:
            if file.suffix.lower() not in FONT_SUFFIXES:
                continue
            faces = (TTCollection(str(file), lazy=True).fonts if file.suffix.lower() in (".ttc", ".otc")
                     else [TTFont(str(file), lazy=True)])
            for face in faces:
                points.update(face.getBestCmap() or {})
    ranges: list[list[int]] = []
    for point in sorted(points):
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    return ranges


@cache
def covered() -> frozenset[int] | None:
    """Code points the print fonts show; None when the fonts are missing (the build says so)."""
    ranges = _ranges()
    return None if ranges is None else frozenset(p for first, last in ranges for p in range(first, last + 1))


@cache
def _uncovered() -> re.Pattern | None:
    """Any one character outside the fonts' ranges, as a regular expression: the search runs in C,
    so the usual text (every character covered) is one call, not one step per character."""
    ranges = _ranges()
    if ranges is None:
        return None
    return re.compile("[^" + "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "")
                                     for a, b in ranges) + "]")


@cache
def _ranges() -> list[list[int]] | None:
    """[first, last] code point ranges the print fonts show, kept per user; None without fonts."""
    try:
        path = _cache_file()
    except PrintSetupError:
        return None
    try:
        ranges = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        ranges = _read_fonts()
        try:  # written whole or not at all; an unwritable cache only costs the next run the read
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".part") as out:
                json.dump(ranges, out)
            os.replace(out.name, path)
        except OSError:
            pass
    return ranges


def lacking(text: str) -> list[str]:
    """The characters of `text` no print font shows, in order of first appearance."""
    pattern = _uncovered()
    found = pattern.findall(text) if pattern is not None else None
    if not found:
        return []
    return [ch for ch in dict.fromkeys(found) if not IGNORABLE.match(ch)]


def with_missing_marks(text: str) -> str:
    missing = lacking(text)
    return text.translate({ord(ch): MISSING_MARK for ch in missing}) if missing else text


def character_label(ch: str) -> str:
    """“😀”（U+1F600）: the character and its code, which an editor can search for."""
    return f"“{ch}”（U+{ord(ch):04X}）"


@cache
def _bounds() -> tuple[list[int], list[int]]:
    ranges = _ranges() or []
    return [first for first, _ in ranges], [last for _, last in ranges]


_SHOWN: set[str] = set()  # characters found printable (or ignorable) so far in this process


def _absent(text: str) -> list[str]:
    """The characters of `text` no print font shows, in order of first appearance: what `lacking`
    finds, without compiling its expression (a tenth of a second, more than checking the few
    files that changed). Only characters not met before are looked up in the fonts' ranges."""
    new = set(text) - _SHOWN
    if not new:
        return []
    firsts, lasts = _bounds()
    missing = set()
    for ch in new:
        point = ord(ch)
        at = bisect_right(firsts, point) - 1
        if (at < 0 or point > lasts[at]) and not IGNORABLE.match(ch):
            missing.add(ch)
        else:
            _SHOWN.add(ch)
    return [ch for ch in dict.fromkeys(text) if ch in missing] if missing else []


def _lacking_lines(path: str) -> list[tuple[int, list[str]]]:
    """(line, characters) of each line of the file with characters no print font shows."""
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read()
    except (OSError, UnicodeDecodeError):
        return []  # the load stage reports the file
    if not _absent(text):
        return []
    return [(n, chars) for n, line in enumerate(text.splitlines(), 1) if (chars := _absent(line))]


def lacking_characters(root: Path, keep: bool = False, listing: Listing | None = None) -> list[Problem]:
    """A warning at each line of the content that carries a character the PDF cannot print.
    `keep`: each file's result kept in build/cache (load/cache.py: by the file's stat, for this
    font set and code), so a run reads only the files that changed, as the loader does.
    `listing`: the load's listing of the folders (load/listing.py), not walked again."""
    if _ranges() is None:
        return []
    listing = listing or Listing(root)
    kept = LoadCache(root, enabled=keep, file=CACHE, version=_cache_file().name + _CODE) if keep else None
    problems = []
    for folder, suffix in TEXT_FILES:
        for entry in listing.files(folder, suffix):
            found = kept.get(entry.rel, entry.stamp) if kept and entry.stamp else None
            if found is None:
                found = _lacking_lines(entry.path)
                if kept:
                    kept.put(entry.rel, entry.stamp, "", found)
            for n, chars in found[:MAX_PER_FILE]:
                names = "、".join(character_label(ch) for ch in chars[:3])
                problems.append(Problem(
                    entry.rel, n, f"打印字体里没有字符{names}，PDF 上会印成“{MISSING_MARK}”（网页和 Word 照常显示）",
                    "换成中文或常用符号（如把表情符号改成文字），或确认 PDF 上印成“〓”也可以", warning=True))
    if kept:
        later(kept.save)
    return problems
