"""Reading built pages the way a reader sees them: visible text, and text of elements by class."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
INVISIBLE = {"script", "style", "template", "noscript"}
# Cell and block boundaries read as a space, as a reader sees two cells as two words.
BOUNDARY = {"td", "th", "tr", "p", "li", "div", "dt", "dd", "h1", "h2", "h3", "h4", "section", "article", "br"}


class _Collector(HTMLParser):
    def __init__(self, cls: str | None):
        super().__init__(convert_charrefs=True)
        self.cls = cls
        self.stack: list[tuple[str, int | None, bool]] = []  # (tag, index into hits, hides text)
        self.text: list[str] = []
        self.hits: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        if tag in BOUNDARY:
            self.handle_data(" ")
        if tag in VOID:
            return
        attrs = dict(attrs)
        hit = None
        if self.cls and self.cls in (attrs.get("class") or "").split():
            hit = len(self.hits)
            self.hits.append([])
        self.stack.append((tag, hit, tag in INVISIBLE or "hidden" in attrs))

    def handle_endtag(self, tag):
        if tag in BOUNDARY:
            self.handle_data(" ")
        if any(t == tag for t, _, _ in self.stack):
            while self.stack and self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data):
        if any(hides for _, _, hides in self.stack):
            return
        self.text.append(data)
        for _, hit, _ in self.stack:
            if hit is not None:
                self.hits[hit].append(data)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def visible_text(html: str) -> str:
    collector = _Collector(None)
    collector.feed(html)
    return _squash("".join(collector.text))


def texts_of_class(html: str, cls: str) -> list[str]:
    collector = _Collector(cls)
    collector.feed(html)
    return [_squash("".join(parts)) for parts in collector.hits]


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")
