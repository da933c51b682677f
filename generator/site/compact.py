"""The built pages without the theme's indentation: the same rendering in fewer bytes.

Material's templates indent every nav item, link and icon over many lines: at 10,000 stories
~24 % of the site's HTML was whitespace between tags (310 MB of pages, tests/test_compact.py).
A run of whitespace that holds a line break renders as one space wherever whitespace collapses
(everything but preformatted text), so it is written as one line break; the text and the markup
are unchanged. Preformatted and raw-text elements (`pre`, `textarea`, `script`, `style`, `code`)
are kept byte for byte. MkDocs applies it to each page as it is written (`Compact`, added to
the config in this process as passthrough.py's plugin is); a Zensical build's pages get the
same function afterwards (`compact_folder`).
"""
from __future__ import annotations

import re
from pathlib import Path

from mkdocs.plugins import BasePlugin

# A kept element (group 1) or a whitespace run with a line break in it.
_RUNS = re.compile(r"(<(pre|textarea|script|style|code)\b.*?</\2\s*>)|[ \t\r\f]*\n\s*", re.S | re.I)


def compact_html(html: str) -> str:
    """`html` with each whitespace run that holds a line break written as one line break."""
    return _RUNS.sub(lambda m: m.group(1) or "\n", html)


def compact_folder(site: Path) -> None:
    """Every HTML file under `site` compacted in place (an engine without page hooks)."""
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        compacted = compact_html(text)
        if compacted != text:
            path.write_text(compacted, encoding="utf-8")


class Compact(BasePlugin):
    """MkDocs: each page's HTML compacted before it is written."""

    def on_post_page(self, output: str, *, page, config) -> str:
        return compact_html(output)

    def on_post_template(self, output_content: str, *, template_name: str, config) -> str:
        return compact_html(output_content) if template_name.endswith(".html") else output_content


def add_compact(config) -> None:
    """Add the plugin to a loaded MkDocs config (never written to a config file)."""
    config.plugins["zk-compact"] = Compact()
