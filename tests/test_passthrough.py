"""The generator's HTML pages skip MkDocs' Markdown pass (site/passthrough.py) and come out the
same: the built demo against the same engine config built with the Markdown pass, every HTML
file compared; a page that is Markdown still renders as Markdown."""
from __future__ import annotations

from pathlib import Path

import yaml

from generator.site.engine import build_with_mkdocs, write_engine_config
from generator.site.passthrough import is_generated_html


def html_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html") if "pagefind" not in p.parts}


def test_demo_pages_are_the_same_without_the_markdown_pass(built_demo, tmp_path):
    with_pass = html_files(built_demo / "site")
    build_with_mkdocs(built_demo / "build" / "engine.yml", tmp_path / "site", "0", passthrough=False)
    without = html_files(tmp_path / "site")
    assert len(with_pass) > 90
    assert with_pass.keys() == without.keys()
    differing = [name for name in with_pass if with_pass[name] != without[name]]
    assert differing == []


def test_every_generated_page_is_recognised(built_demo):
    docs = built_demo / "build" / "docs"
    pages = [p for p in docs.rglob("*.md")]
    body = lambda text: text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
    assert len(pages) > 90
    assert [p.relative_to(docs).as_posix() for p in pages if not is_generated_html(body(p.read_text("utf-8")))] == []


def test_a_markdown_page_still_renders_as_markdown(built_demo, tmp_path):
    config = yaml.safe_load((built_demo / "build" / "engine.yml").read_text(encoding="utf-8"))
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# 预览\n\n这是**加粗**的字。\n", encoding="utf-8")
    (docs / "page.md").write_text('<div class="zk-doc">\n\n**不转换**\n\n</div>\n', encoding="utf-8")
    config.update(docs_dir=str(docs), nav=[{"首页": "index.md"}, {"页": "page.md"}])
    engine = write_engine_config(tmp_path / "engine.yml", config)
    build_with_mkdocs(engine, tmp_path / "site", "0")
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "<strong>加粗</strong>" in index
    page = (tmp_path / "site" / "page" / "index.html").read_text(encoding="utf-8")
    assert "**不转换**" in page
