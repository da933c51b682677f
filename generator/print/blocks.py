"""Sanitized HTML (markup.to_html) → a small JSON block tree the Typst templates typeset.

Editors' text reaches Typst only as strings inside this tree (passed as JSON data), never as
Typst markup, so no editor string can run Typst code. The tree knows paragraphs of runs (bold,
italic, line breaks), headings 2–4, lists, block quotes, tables, figures and rules; anything else
the allowlist lets through (links, code, sup/sub, spans) keeps its text and drops its markup.

Block shapes (all JSON):
  {"t": "p", "runs": [...]}           {"t": "h", "level": 2|3|4, "runs": [...]}
  {"t": "list", "ordered": bool, "start": int, "items": [[block, ...], ...]}
  {"t": "quote", "blocks": [...]}     {"t": "hr"}
  {"t": "table", "head": [cell, ...] | null, "rows": [[cell, ...], ...]}, cell = [run, ...]
  {"t": "figure", "raw": editor's address, "src": root-relative path | null, "caption": str}
Runs: {"s": text, "b": bool, "i": bool} or {"br": true}.
"""
from __future__ import annotations

from html.parser import HTMLParser

BLOCK_TAGS = {"p", "h2", "h3", "h4", "ul", "ol", "li", "blockquote", "table", "thead", "tbody", "tr",
              "th", "td", "figure", "figcaption", "hr", "pre"}
BOLD, ITALIC = {"strong", "b"}, {"em", "i"}


class _Node:
    __slots__ = ("attrs", "children", "tag")

    def __init__(self, tag: str, attrs: dict):
        self.tag, self.attrs, self.children = tag, attrs, []


class _TreeBuilder(HTMLParser):
    """Sanitized HTML is well nested (nh3 serializes a parsed tree), so a plain stack suffices."""

    VOID = frozenset({"br", "img", "hr"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def _runs(node: _Node, bold: bool = False, italic: bool = False) -> list[dict]:
    out: list[dict] = []
    for child in node.children:
        if isinstance(child, str):
            if child:
                out.append({"s": child, "b": bold, "i": italic})
        elif child.tag == "br":
            out.append({"br": True})
        elif child.tag == "img":
            alt = child.attrs.get("alt") or ""
            if alt:
                out.append({"s": alt, "b": bold, "i": italic})
        else:
            out += _runs(child, bold or child.tag in BOLD, italic or child.tag in ITALIC)
    return _merged(out)


def _merged(runs: list[dict]) -> list[dict]:
    """Adjacent runs of the same style joined; newlines inside a paragraph are soft (as in HTML)."""
    out: list[dict] = []
    for run in runs:
        if "s" in run:
            run = {**run, "s": run["s"].replace("\r", "").replace("\n", "")}
            if not run["s"]:
                continue
        if out and "s" in run and "s" in out[-1] and (out[-1]["b"], out[-1]["i"]) == (run["b"], run["i"]):
            out[-1] = {**out[-1], "s": out[-1]["s"] + run["s"]}
        else:
            out.append(run)
    return out


def _text(node: _Node) -> str:
    return "".join(r.get("s", "") for r in _runs(node))


def _blocks(node: _Node) -> list[dict]:
    blocks: list[dict] = []
    loose: list = []  # inline content sitting directly in a container (e.g. "<li>text</li>")

    def flush():
        if loose:
            holder = _Node("p", {})
            holder.children = list(loose)
            runs = _runs(holder)
            if any(r.get("s", "").strip() for r in runs):
                blocks.append({"t": "p", "runs": runs})
            loose.clear()

    for child in node.children:
        if isinstance(child, str) or child.tag not in BLOCK_TAGS | {"img"}:
            loose.append(child)
            continue
        flush()
        blocks += _block(child)
    flush()
    return blocks


def _block(node: _Node) -> list[dict]:
    tag = node.tag
    if tag == "p":
        runs = _runs(node)
        return [{"t": "p", "runs": runs}] if runs else []
    if tag == "pre":
        return [{"t": "p", "runs": [{"s": _text(node), "b": False, "i": False}]}]
    if tag in ("h2", "h3", "h4"):
        return [{"t": "h", "level": int(tag[1]), "runs": _runs(node)}]
    if tag in ("ul", "ol"):
        items = [_blocks(li) for li in node.children if isinstance(li, _Node) and li.tag == "li"]
        start = node.attrs.get("start") or "1"
        return [{"t": "list", "ordered": tag == "ol", "start": int(start) if start.isdigit() else 1, "items": items}]
    if tag == "blockquote":
        return [{"t": "quote", "blocks": _blocks(node)}]
    if tag == "hr":
        return [{"t": "hr"}]
    if tag == "table":
        return [_table(node)]
    if tag in ("figure", "img"):
        img = node if tag == "img" else next((c for c in node.children if isinstance(c, _Node) and c.tag == "img"), None)
        cap = next((c for c in node.children if isinstance(c, _Node) and c.tag == "figcaption"), None)
        caption = _text(cap) if cap else ""
        raw = img.attrs.get("src") or "" if img is not None else ""
        return [{"t": "figure", "raw": raw, "src": None,
                 "caption": caption or (img.attrs.get("alt", "") if img is not None else "")}]
    return _blocks(node)


def _table(node: _Node) -> dict:
    head, rows = None, []
    for tr in _descendants(node, "tr"):
        cells = [c for c in tr.children if isinstance(c, _Node) and c.tag in ("th", "td")]
        row = [_runs(c) for c in cells]
        if head is None and not rows and cells and all(c.tag == "th" for c in cells):
            head = row
        else:
            rows.append(row)
    return {"t": "table", "head": head, "rows": rows}


def _descendants(node: _Node, tag: str):
    for child in node.children:
        if isinstance(child, _Node):
            if child.tag == tag:
                yield child
            else:
                yield from _descendants(child, tag)


def html_tree(html: str) -> _Node:
    """The element tree of a sanitized HTML fragment (tag, attrs, children: nodes and strings)."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def html_blocks(html: str) -> list[dict]:
    """Block tree of a sanitized HTML fragment. A figure keeps the editor's address in "raw"; its
    "src" (the file the template may load, or null: caption only) is filled per document."""
    return _blocks(html_tree(html))
