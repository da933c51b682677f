"""One seam to the site engine: the demo, with unpublished content planted, builds with MkDocs and
with Zensical from the same generated engine config; both give the same pages, both keep every
unpublished marker out, and search works in both."""
from __future__ import annotations

from pathlib import Path

import pytest
from test_disclosure import MARKERS, plant_unpublished, public_texts

from benchmarks.browser import served
from benchmarks.project import copy_project
from generator.cli import main

# The query as the search page sends it (zk-search.js encodes Chinese as bigram terms, terms.py).
SEARCH = """async (q) => { const pf = await import('/pagefind/pagefind.js');
    const r = await pf.search(window.zkEncodeQuery(q)); const out = [];
    for (const x of r.results) { out.push((await x.data()).url); } return out; }"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    root = copy_project(tmp_path_factory.mktemp("engines") / "project")
    plant_unpublished(root)
    out = {}
    for engine in ("mkdocs", "zensical"):
        site = root / f"site-{engine}"
        assert main(["--root", str(root), "build", "--no-pdf", "--engine", engine, "--site-dir", str(site)]) == 0
        out[engine] = site
    return out


def pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html") if "pagefind" not in p.parts}


def test_both_engines_build_the_same_pages(sites):
    mkdocs, zensical = pages(sites["mkdocs"]), pages(sites["zensical"])
    assert len(mkdocs) > 90  # the demo: issues, stories, notices, centers, archive, search, 404
    assert mkdocs == zensical


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_no_unpublished_marker_in_either_site(sites, engine):
    site = sites[engine]
    leaks = [(label, path.relative_to(site).as_posix())
             for path, text in public_texts(site)
             for label, marker in MARKERS.items() if marker.lower() in text.lower()]
    assert leaks == []


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_search_works_in_either_site(sites, engine, browser):
    with served(sites[engine]) as base:
        tab = browser.new_page()
        tab.goto(base + "/search/")
        assert any("pediatrics" in url for url in tab.evaluate(SEARCH, "儿科"))
        tab.close()


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_either_site_carries_the_theme_override_and_chinese_chrome(sites, engine):
    home = (sites[engine] / "index.html").read_text(encoding="utf-8")
    assert 'href="feed.xml"' in home or "feed.xml" in home  # main.html override: the Atom feed
    assert "assets/zk.css" in home
    assert 'lang="zh' in home
