"""Chinese search terms for the index: every page's indexed text as character bigrams.

Why: Pagefind (extended) segments Chinese at index time with a dictionary segmenter (jieba via
charabia), while the browser segments the query with its own, different one (ICU, since Pagefind
1.5); a place name or a medical term the two split differently is never found (county and
prefecture names and terms like 急诊急救 found nothing in the demo). Character bigrams need no dictionary: the indexed text and
the query are split the same way.

For every page with an indexed region (`data-pagefind-body`, minus `data-pagefind-ignore`
parts) the generator writes an index document (build/search/pages/<url>/index.html): the
regions as on the page, then one more region after the word INDEX_ONLY holding what is searched
but never shown in a result's excerpt: the page furniture (`data-zk-furniture` elements: bylines,
mastheads, download links, labels such as 按：; filter values) and the bigrams of all regions encoded as ASCII
words (`x` + 3 base-36 digits per character: 质控组 → `xhm0 xhm09ev x9evero xero`), so that
neither segmenter splits them. The search page builds excerpts from the text before INDEX_ONLY. Pagefind indexes these documents (same URLs as the site's pages), not the site's
HTML: the published pages stay free of index-only text and the indexer reads ~3 KB per page
instead of ~25 KB of theme. The search page (assets/zk-search.js) encodes the query the same
way: `bigram_terms` and `encodeQuery` there must stay in step. Each run's first and last
characters are also written alone, so a one-character query finds them at either end.
"""
from __future__ import annotations

import hashlib
import html
import re
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

from generator.parallel import in_two
from generator.render import cache
from generator.render.pages import KeptPage, Page

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
FIRST = 0x3400  # CJK Extension A … Unified Ideographs end at U+9FFF: 27,648 code points < 36**3
CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
PREFIX = "x"
TERMS_CLASS = "zk-search-terms"
# Pagefind's text of a page is its regions in order; everything after this word is for matching
# only (zk-search.js cuts a result's text here before making its excerpt).
INDEX_ONLY = "zkindexonly"
# The index documents' language: "und" (no segmenter). Queries come from the search page, which
# encodes them as bigram terms; a segmenter would only add a second copy of every page's words,
# and Pagefind keeps all of them in memory (measured on the national archive, 11,000 pages: "zh"
# ~0.62 MB per document, "und" ~27 % less, same recall through the search page). A raw Chinese
# query through Pagefind's own API then finds nothing: nothing of the site sends one.
LANG = "und"

_BODY_OPEN = re.compile(r"<(\w+)\b[^>]*\bdata-pagefind-body\b[^>]*>")
_IGNORED_OPEN = re.compile(r"<(\w+)\b[^>]*\bdata-pagefind-ignore\b[^>]*>")
# Searched but not shown in excerpts: marked furniture and filter values (hidden spans).
_FURNITURE_OPEN = re.compile(r"<(\w+)\b[^>]*\b(?:data-zk-furniture|data-pagefind-filter)\b[^>]*>")
_TAG = re.compile(r"<(/?)(\w*)[^>]*>")
# Inline elements join the text around them (as Pagefind reads them); any other tag separates.
INLINE = {"a", "abbr", "b", "bdo", "big", "cite", "code", "dfn", "em", "i", "kbd", "mark", "q", "s",
          "samp", "small", "span", "strong", "sub", "sup", "time", "tt", "u", "var"}


def char_code(ch: str) -> str:
    n = ord(ch) - FIRST
    return DIGITS[n // 1296] + DIGITS[n // 36 % 36] + DIGITS[n % 36]


# Every character closes the term before it and opens the next: with F(c) = "code x code",
# "x" + F(c0) F(c1) F(c2) = "xC0 xC0C1 xC1C2 xC2", and a run boundary becomes " x". A whole
# page is encoded by one str.translate call (C speed); each run also yields its first and last
# character alone, which lets a one-character query find it at either end. The translation
# table grows with the characters met (a site uses a few thousand of the 27,648 CJK code
# points: building every entry cost more than a warm run's encoding).
_TABLE: dict[int, str] = {ord("\n"): " " + PREFIX}
_IN_TABLE: set[str] = {"\n"}


def bigram_terms(text: str) -> str:
    """Encoded bigrams of every run of Chinese characters, separated by spaces:
    质控组 → `xhm0 xhm09ev x9evero xero`."""
    runs = CJK_RUN.findall(text)
    if not runs:
        return ""
    joined = "\n".join(runs)
    for ch in set(joined) - _IN_TABLE:
        code = char_code(ch)
        _TABLE[ord(ch)] = f"{code} {PREFIX}{code}"
        _IN_TABLE.add(ch)
    return PREFIX + joined.translate(_TABLE)


def element_end(text: str, tag: str, start: int) -> int:
    """Index of the `</tag>` closing the element whose opening tag ends at `start`."""
    depth = 1
    for m in re.compile(rf"<(/?){tag}\b[^>]*>", re.I).finditer(text, start):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.start()
    return len(text)


def indexed_text(region: str) -> str:
    """The text Pagefind indexes in a region: tags and `data-pagefind-ignore` elements removed."""
    while m := _IGNORED_OPEN.search(region):
        end = element_end(region, m.group(1), m.end())
        region = region[: m.start()] + region[end:]
    return html.unescape(_TAG.sub(lambda t: "" if t.group(2).lower() in INLINE else " ", region))


_LATIN_WORD = re.compile(r"[0-9A-Za-z]+")


def region_terms(region: str) -> str:
    """The encoded bigrams of the inside of one indexed region, then its Latin words and numbers
    on their own: Pagefind reads Chinese text unsegmented (LANG), so PIVAS in 中心（PIVAS）建设
    is a word only here ("" when the region has neither)."""
    text = indexed_text(region)
    latin = " ".join(dict.fromkeys(w.lower() for w in _LATIN_WORD.findall(text)))
    return " ".join(t for t in (bigram_terms(text), latin) if t)


def split_furniture(region: str) -> tuple[str, list[str]]:
    """A region without its `data-zk-furniture` elements, and those elements (searched, not shown)."""
    furniture = []
    while m := _FURNITURE_OPEN.search(region):
        end = element_end(region, m.group(1), m.end())
        close = region.find(">", end) + 1
        furniture.append(region[m.start():close])
        region = region[: m.start()] + region[close:]
    return region, furniture


_WEIGHT = re.compile(r"""\bdata-pagefind-weight=["']?([0-9.]+)""")


def index_document(page: str, terms_of: Callable[[str], str] = region_terms, lang: str = LANG) -> str | None:
    """What Pagefind reads for a page: its indexed regions (`data-pagefind-body` elements, with
    their filters and meta) without their furniture, then one region after INDEX_ONLY with the
    furniture and every region's terms, in a minimal HTML document; None for a page with no
    indexed region. A region's `data-pagefind-weight` goes with its furniture and terms (they are
    what a query matches). `terms_of` may be a cached `region_terms`."""
    regions, tail, pos = [], [], 0
    for m in _BODY_OPEN.finditer(page):
        if m.start() < pos:
            continue  # a body nested in a body is covered by the outer one
        end = element_end(page, m.group(1), m.end())
        inside, pieces = split_furniture(page[m.end():end])
        regions += [page[m.start():m.end()], inside, f"</{m.group(1)}>\n"]
        terms = terms_of(page[m.end():end])
        searched = "".join(pieces) + (f'<div class="{TERMS_CLASS}" hidden aria-hidden="true">{terms}</div>'
                                      if terms else "")
        weight = _WEIGHT.search(m.group(0))
        tail.append(f'<div data-pagefind-weight="{weight.group(1)}">{searched}</div>' if weight and searched
                    else searched)
        pos = end
    if not regions:
        return None
    searched = "\n".join(t for t in tail if t)
    return (f'<!DOCTYPE html>\n<html lang="{lang}">\n<head><meta charset="utf-8"></head>\n<body>\n'
            f'{"".join(regions)}<div data-pagefind-body>\n<p>{INDEX_ONLY}</p>\n{searched}\n</div>\n'
            f'</body>\n</html>\n')


def index_pages(pages: list[Page], cache_dir: Path | None = None) -> list[Page]:
    """The index documents of the site's pages (`<url>/index.html` for `<url>/index.md`); terms of
    unchanged regions come from the previous run's cache. A page whose text is unchanged (known by
    its digest, render/page_cache.py) keeps its document's digest: the document is the file the run
    before wrote (a KeptPage, made again only if asked for), not a copy in the cache (those copies
    were 140 MB read and written per run at 10,000 stories). Many new documents (a first build)
    are made half in a forked copy of this process (generator/parallel.py)."""
    version = cache.code_version(sys.modules[__name__])
    terms = cache.TextCache(cache_dir / "search-terms.json" if cache_dir else None, version)
    documents = cache.DigestCache(cache_dir / "search-documents.pickle" if cache_dir else None, version)
    terms_of = partial(terms.get, compute=region_terms)
    known = {page.path: documents.get(page.digest) for page in pages if page.digest}  # "": no document
    new = [page for page in pages if known.get(page.path) is None]
    made, child_terms = in_two([partial(_document, page.text, terms_of) for page in new], harvest=lambda: terms.new)
    if child_terms:
        terms.new.update(child_terms)
    texts = {}
    for page, (document, digest) in zip(new, made):
        known[page.path] = digest or ""
        texts[page.path] = document
        if page.digest:
            documents.put(page.digest, digest or "")
    out = []
    for page in pages:
        digest, path = known[page.path], page.path.removesuffix(".md") + ".html"
        if page.path in texts:
            if digest:
                out.append(Page(path, texts[page.path], digest))
        elif digest:
            out.append(KeptPage(path, digest, partial(_kept_document, page, terms_of)))
    terms.save()
    documents.save()
    return out


def _kept_document(page: Page, terms_of: Callable[[str], str]) -> str:
    """A kept document made again from its page: the same page text gives the same document."""
    return index_document(page.text, terms_of) or ""


def _document(page: str, terms_of: Callable[[str], str]) -> tuple[str | None, str | None]:
    """A page's index document and its sha256 (None, None: the page has no indexed region)."""
    document = index_document(page, terms_of)
    return document, hashlib.sha256(document.encode("utf-8")).hexdigest() if document else None
