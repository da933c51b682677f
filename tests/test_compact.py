"""The built pages are written without the theme's indentation (site/compact.py): the demo built
again without compaction has the same pages, the same text a reader sees, the same links and
preformatted blocks, in at least 15 % more bytes."""
from __future__ import annotations

import re
from pathlib import Path

from generator.site.compact import compact_html
from generator.site.engine import build_with_mkdocs
from tests.htmltext import visible_text


def html_files(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
            for p in site.rglob("*.html") if "pagefind" not in p.parts}


def links(html: str) -> list[str]:
    return re.findall(r'\b(?:href|src)="([^"]*)"', html)


def test_compacted_pages_read_the_same_in_fewer_bytes(built_demo, tmp_path):
    compacted = html_files(built_demo / "site")
    build_with_mkdocs(built_demo / "build" / "engine.yml", tmp_path / "site", "0", compact=False)
    indented = html_files(tmp_path / "site")
    assert len(compacted) > 90 and compacted.keys() == indented.keys()
    for name, html in compacted.items():
        assert visible_text(html) == visible_text(indented[name]), name
        assert links(html) == links(indented[name]), name
        assert re.findall(r"<pre\b.*?</pre>", html, re.S) == re.findall(r"<pre\b.*?</pre>", indented[name], re.S)
        assert not re.search(r"\n[ \t]+<", html.split("<pre", 1)[0]), name  # no indented tag before any <pre>
    before, after = sum(map(len, indented.values())), sum(map(len, compacted.values()))
    assert after < 0.85 * before, (before, after)


def test_preformatted_and_raw_text_are_kept_byte_for_byte():
    html = ("<nav>\n    <a href=\"x\">\n      首页\n    </a>\n</nav>\n<pre><code>  缩进\n\n    保留\n</code></pre>\n"
            "<textarea>\n  a\n</textarea>\n<script>\n  var a = 1\n  // 注释\n</script>\n<p>一  二\n   三</p>")
    out = compact_html(html)
    assert out.startswith('<nav>\n<a href="x">\n首页\n</a>\n</nav>\n')
    assert "<pre><code>  缩进\n\n    保留\n</code></pre>" in out
    assert "<textarea>\n  a\n</textarea>" in out and "<script>\n  var a = 1\n  // 注释\n</script>" in out
    assert "<p>一  二\n三</p>" in out  # spaces without a line break are left as they are
