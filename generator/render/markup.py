"""Editors' Markdown → safe HTML fragments, shared by web pages and PDFs.

Policy: contributed Markdown may not carry HTML. Raw HTML is escaped (shown as text), and the
result is sanitized with an allowlist (nh3) as a second wall, so no script, event handler,
javascript: URL, iframe or SVG/MathML payload can reach an output page.
"""
from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor

from generator.load.images import MARKDOWN_EXTENSIONS, NoRawHtml

ALLOWED_TAGS = {"p", "strong", "em", "b", "i", "br", "ul", "ol", "li", "blockquote", "a", "img",
                "figure", "figcaption", "table", "thead", "tbody", "tr", "th", "td", "h2", "h3",
                "h4", "hr", "code", "pre", "sup", "sub", "span"}
ALLOWED_ATTRS = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "th": {"align"}, "td": {"align"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


class _Figures(Treeprocessor):
    """A paragraph holding only an image with a title becomes <figure> with that title as caption."""

    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for i, child in enumerate(list(parent)):
                if child.tag == "p" and len(child) == 1 and child[0].tag == "img" \
                        and not (child.text or "").strip() and not (child[0].tail or "").strip():
                    img = child[0]
                    figure = etree.Element("figure")
                    figure.append(img)
                    caption = img.get("title") or img.get("alt")
                    if caption:
                        etree.SubElement(figure, "figcaption").text = caption
                    img.tail = None
                    parent.remove(child)
                    parent.insert(i, figure)


class _NoRawHtml(NoRawHtml):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        super().extendMarkdown(md)
        md.treeprocessors.register(_Figures(md), "figures", 5)


def _converter() -> markdown.Markdown:
    # The syntax the load stage finds images with (load/images.py): the same images, the same way.
    return markdown.Markdown(extensions=[*MARKDOWN_EXTENSIONS, _NoRawHtml()], output_format="html")


_md = _converter()


def to_html(text: str) -> str:
    """Markdown → sanitized HTML. Same input, same output (pages and PDFs rely on it)."""
    _md.reset()
    html = _md.convert(text)
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRS, url_schemes=ALLOWED_SCHEMES,
                     link_rel="noopener noreferrer")


THEME_UNSAFE = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇"})


def theme_text(text: str) -> str:
    """Text for places a site theme may print without escaping (<title>, navigation, <meta>
    attributes): HTML's special characters become their full-width look-alikes, so no title can
    open a tag or leave an attribute, whatever the theme's templates do with it."""
    return text.translate(THEME_UNSAFE)
