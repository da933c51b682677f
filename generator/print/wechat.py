"""Publish stage, 公众号 side: each issue and notice as a paste-ready article, `wechat.html` in its
page's folder, offered on the page by a 「复制到公众号」 button (site/assets/zk-wechat.js).

The 公众号 editor keeps inline `style=` and little else: it drops <style>, <link>, <script>,
classes, ids and positioning, and it strips links. So the article is rendered from the Jinja
templates in print/templates/wechat (autoescaped: every editor string is text; their classes only
name rules of wechat.css, the print look in px), css-inline writes those rules into `style=`
attributes, and nh3 then keeps only the tags, attributes and style properties the editor keeps.
Images are given by their absolute address on the public site and every link becomes a numbered
note at the end, so the article needs `url` in content/site.yml; without it no article is made
and the build says so (`missing_url_notice`).

The inlined article is cached in build/cache/wechat.json by a hash of the rendered template and
of this code (render/cache.py), so an unchanged document costs one template render.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import css_inline
import nh3
from markupsafe import Markup

from generator.print import blocks as blocks_module
from generator.print.blocks import html_tree
from generator.problems import Problem
from generator.render.cache import TextCache, code_version
from generator.render.markup import to_html
from generator.render.pages import Download, environment

TEMPLATES = Path(__file__).parent / "templates" / "wechat"
STYLE = TEMPLATES / "wechat.css"
NAME = "wechat.html"
LABEL = "复制到公众号"
# What the 公众号 editor keeps, and nothing more survives the final clean.
TAGS = {"section", "p", "span", "strong", "em", "b", "i", "br", "ul", "ol", "li", "blockquote", "table",
        "thead", "tbody", "tr", "th", "td", "h1", "h2", "h3", "h4", "figure", "figcaption", "img", "sup",
        "sub", "hr"}
ATTRIBUTES = {"*": {"style"}, "img": {"src", "alt", "style"}, "ol": {"start", "style"}}
STYLE_PROPERTIES = {
    "color", "background-color", "font-family", "font-size", "font-weight", "font-style", "letter-spacing",
    "line-height", "text-align", "text-indent", "text-decoration", "margin", "margin-top", "margin-bottom",
    "margin-left", "margin-right", "padding", "padding-top", "padding-bottom", "padding-left",
    "padding-right", "border", "border-top", "border-bottom", "border-left", "border-right",
    "border-collapse", "width", "max-width", "height", "display", "vertical-align", "word-break",
    "white-space", "list-style-type", "justify-content",
}
# Tags of a story body the article keeps as they are; anything else sanitized HTML may hold
# (code, pre, a span) keeps its text in a <span>.
BODY_TAGS = TAGS - {"section", "h1"}


def wechat_rel_path(doc) -> str:
    return f"{doc.url}{NAME}"


@dataclass
class Notes:
    """External links of one article, numbered in reading order (a repeated address keeps its number)."""

    urls: list[str] = field(default_factory=list)

    def number(self, url: str) -> int:
        if url not in self.urls:
            self.urls.append(url)
        return self.urls.index(url) + 1


def body_nodes(html: str, page_url: str, images: dict[str, str], notes: Notes) -> list:
    """Sanitized body HTML → plain nodes for the `nodes` macro: strings, or dicts with a `tag`
    from BODY_TAGS, `children`, and per tag `note` (a link's number), `src`/`alt` (an image at
    its absolute address, or none: caption only), `start`, `align`."""
    return _nodes(html_tree(html), page_url, images, notes)


def _nodes(node, page_url: str, images: dict[str, str], notes: Notes) -> list:
    out: list = []
    for child in node.children:
        if isinstance(child, str):
            text = child.replace("\r", "").replace("\n", "")  # soft line breaks of Chinese text join
            if text:
                out.append(text)
            continue
        item: dict = {"tag": child.tag if child.tag in BODY_TAGS | {"a"} else "span",
                      "children": _nodes(child, page_url, images, notes)}
        if child.tag == "a":
            target = urljoin(page_url, child.attrs.get("href") or "")
            item["note"] = notes.number(target) if urlsplit(target).scheme in ("http", "https") else None
        elif child.tag == "img":
            item["src"] = images.get(child.attrs.get("src") or "")
            item["alt"] = child.attrs.get("alt") or ""
        elif child.tag == "ol":
            start = child.attrs.get("start") or ""
            item["start"] = int(start) if start.isdigit() else None
        elif child.tag in ("th", "td"):
            align = child.attrs.get("align") or ""
            item["align"] = align if align in ("left", "center", "right") else None
        out.append(item)
    return out


def absolute(site_url: str, rel: str) -> str:
    """A site-relative path as the public address (non-ASCII and spaces percent-encoded)."""
    return site_url + quote(rel, safe="/")


def wechat_qr_file(issue) -> tuple[str, Path] | None:
    """Where the 公众号's QR image (closing.wechat_qr) is published for the article: in the
    series' folder, named by its content, so the issues sharing it share one file."""
    image = issue.closing.wechat_qr_file
    if image is None:
        return None
    digest = hashlib.sha256(image.path.read_bytes()).hexdigest()[:12]
    return f"{issue.series.id}/wechat-qr-{digest}{image.path.suffix.lower()}", image.path


def issue_context(issue, site_url: str, cache: TextCache, wechat_qr: str | None = None) -> dict:
    notes = Notes()

    def story(s) -> dict:
        page_url = absolute(site_url, s.url)
        # Only the files the load stage verified (load/images.py), published beside the issue page.
        images = {image.src: absolute(site_url, f"{issue.url}{image.name}") for image in s.story.images}
        return {"view": s, "body": body_nodes(cache.get(s.story.body, to_html), page_url, images, notes),
                "commentary": body_nodes(cache.get(s.commentary.body, to_html), page_url, {}, notes)
                if s.commentary else None}

    sections = [{"title": sec.title, "stories": [story(s) for s in sec.stories]} for sec in issue.sections]
    preface = [p.strip().replace("\n", "") for p in (issue.issue.preface or "").strip().split("\n\n") if p.strip()]
    return {"issue": issue, "sections": sections, "wechat_qr": wechat_qr, "preface": preface, "note_urls": notes.urls,
            "address": absolute(site_url, issue.url)}


def notice_context(notice, site_url: str, cache: TextCache) -> dict:
    notes = Notes()
    address = absolute(site_url, notice.url)
    return {"notice": notice, "body": body_nodes(cache.get(notice.body, to_html), address, {}, notes),
            "note_urls": notes.urls, "address": address}


def inlined(html: str) -> str:
    """The print look written into style= attributes; then only what the 公众号 editor keeps."""
    styled = css_inline.inline_fragment(html, STYLE.read_text("utf-8"))
    return nh3.clean(styled, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https"}, link_rel=None,
                     filter_style_properties=STYLE_PROPERTIES, strip_comments=True)


def style_version() -> str:
    return code_version(blocks_module, __import__(__name__, fromlist=["_"])) + json.dumps(
        [STYLE.read_text("utf-8"), metadata.version("css-inline")])


def missing_url_notice() -> Problem:
    return Problem("content/site.yml", None, "没有写网站的公开地址 url：公众号文章（wechat.html、「复制到公众号」按钮）"
                   "和 PDF、Word 里的网页二维码都需要它，本次构建不生成这些",
                   "在 content/site.yml 里写上网站发布后的地址，如 url: https://example.org/zkjb/", warning=True)


def render_wechat(site, root: Path) -> tuple[dict[str, bytes | Path], dict[str, list[Download]]]:
    """wechat.html of every issue and notice ({docs-relative path: bytes}, with the 公众号 QR
    images they show: {path: file}) and, per document URL,
    the `Download` the page shows as its copy button; nothing without the site's `url`."""
    if not site.url:
        return {}, {}
    env = environment(TEMPLATES)
    markup = TextCache(root / "build" / "cache" / "wechat-markup.json", code_version())
    articles = TextCache(root / "build" / "cache" / "wechat.json", style_version())
    files: dict[str, bytes | Path] = {}
    downloads: dict[str, list[Download]] = {}
    qr_images = {issue.url: found for issue in site.issues if (found := wechat_qr_file(issue))}
    files.update(qr_images.values())
    docs = [*(("issue.html.j2", i, issue_context(i, site.url, markup, absolute(site.url, qr_images[i.url][0])
                                                 if i.url in qr_images else None)) for i in site.issues),
            *(("notice.html.j2", n, notice_context(n, site.url, markup)) for n in site.notices)]
    for template, view, context in docs:
        article = articles.get(env.get_template(template).render(**context), inlined)
        page = env.get_template("document.html.j2").render(title=view.title, article=Markup(article))  # cleaned by nh3 above
        rel = wechat_rel_path(view)
        files[rel] = page.encode("utf-8")
        downloads[view.url] = [Download(rel, LABEL, len(files[rel]), kind="wechat")]
    markup.save()
    articles.save()
    return files, downloads
