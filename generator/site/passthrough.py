"""The generator's pages reach MkDocs' theme as the HTML they already are.

Every page the generator writes (render/templates/site/*.md.j2) is HTML that opens with a
`<div class="zk-doc …">` element: the stories' Markdown was converted by the generator itself. MkDocs would still run
Python-Markdown over each page, and its raw-HTML handling parses every tag twice with
html.parser only to hand the same HTML back: about 60 % of the engine's time at 1,000 stories
(~5 of 9.5 s on two cores, 2026-12-03). `Passthrough` is a plugin object added to the config in
this process, never written to a config file (so Zensical builds the same engine config
without it). For such a page it sets the page's HTML directly;
any other page (an office's own Markdown, a placeholder) renders as MkDocs always does.
tests/test_passthrough.py builds the demo both ways and compares every HTML file.
"""
from __future__ import annotations

from mkdocs.plugins import BasePlugin
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

OPENING = '<div class="zk-doc'


def is_generated_html(markdown: str) -> bool:
    """The body is the generator's HTML: it opens with a zk-doc element and ends with a tag (a
    story page's pager follows its element; an office's Markdown page opens otherwise)."""
    body = markdown.strip()
    return body.startswith(OPENING) and body.endswith(">")


class Passthrough(BasePlugin):
    """Gives generated pages their HTML without a Markdown pass (see the module docstring)."""

    def __init__(self) -> None:
        self.passed = 0  # pages that skipped Markdown, for tests and logs

    def on_pre_page(self, page: Page, *, config, files) -> Page:
        page.render = lambda config, files, _page=page: self._render(_page, config, files)
        return page

    def _render(self, page: Page, config, files) -> None:
        if page.markdown is None or not is_generated_html(page.markdown):
            Page.render(page, config, files)
            return
        # What Page.render leaves for a raw HTML block: the HTML itself, no headings of its own
        # (raw HTML gives the toc extension none), no title from the body (the front matter's
        # title stands), no links MkDocs checks.
        page.content = page.markdown.strip()
        page.toc = get_toc([])
        page.present_anchor_ids = set()
        page.links_to_anchors = {}
        self.passed += 1


def add_passthrough(config) -> Passthrough:
    """Add the plugin to a loaded MkDocs config; returns it."""
    plugin = Passthrough()
    config.plugins["zk-passthrough"] = plugin
    return plugin
