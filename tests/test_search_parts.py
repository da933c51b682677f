"""A site larger than one Pagefind run (generator/search/pagefind.py PART_PAGES) is indexed in
parts, one run after the other, and the search page merges them: built here with parts of 40
pages, searched in headless Chromium like the single-bundle demo (tests/test_search.py)."""
from __future__ import annotations

import json

import pytest

from benchmarks.browser import TOP, is_hit, load_queries, search_page, served
from benchmarks.project import copy_project
from generator.cli import main
from generator.search import pagefind
from generator.search.pagefind import PARTS_FILE, SEARCH_PAGES, split_parts

QUERIES = load_queries()[::3]  # a third of the query set: the whole set runs on the demo (test_search.py)


def test_parts_deal_documents_in_turn_and_stay_within_size():
    docs = [f"p{n:03}/index.html" for n in range(105)]
    parts = split_parts(docs, 40)
    assert len(parts) == 3 and all(len(p) <= 40 for p in parts)
    assert sorted(d for p in parts for d in p) == docs
    assert parts[1][:2] == ["p001/index.html", "p004/index.html"]
    assert split_parts(docs[:40], 40) == [docs[:40]] and split_parts([], 40) == [[]]


@pytest.fixture(scope="module")
def parted(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("parted") / "project")
    patch = pytest.MonkeyPatch()
    patch.setattr(pagefind, "PART_PAGES", 40)
    try:
        assert main(["--root", str(root), "build", "--no-pdf"]) == 0
    finally:
        patch.undo()
    return root


def test_large_site_is_indexed_in_parts_listed_by_the_first_bundle(parted):
    bundle = parted / "site" / "pagefind"
    listed = json.loads((bundle / PARTS_FILE).read_text(encoding="utf-8"))["parts"]
    documents = sorted(parted.joinpath(SEARCH_PAGES).rglob("*.html"))
    assert len(listed) == len(split_parts(documents, 40)) - 1 >= 1
    for part in listed:
        folder = bundle / part
        assert (folder / "pagefind-entry.json").is_file() and list(folder.glob("*.pf_meta"))
        assert not list(folder.glob("*.js")) and not list(folder.glob("wasm.*")), "merged bundles carry data only"
    assert not list(parted.joinpath("build", "search").glob("pages.part-*")), "linked part folders are removed"


def test_search_finds_stories_of_every_part(browser, parted):
    """The query set finds its stories as on the one-bundle demo, and the hits come from more
    than one part (so the merge is what found them)."""
    rel = {d.parent.relative_to(parted / SEARCH_PAGES).as_posix(): k
           for k, part in enumerate(split_parts(sorted(p.relative_to(parted / SEARCH_PAGES).as_posix()
                                                       for p in (parted / SEARCH_PAGES).rglob("*.html")), 40))
           for d in map(lambda r: parted / SEARCH_PAGES / r, part)}
    context = browser.new_context()
    page = context.new_page()
    misses, parts_hit = [], set()
    with served(parted / "site") as base:
        for item in QUERIES:
            links = search_page(page, base, item["q"])
            if not is_hit(links, item["slug"]):
                misses.append((item["q"], links[:TOP]))
            parts_hit.update(rel.get(link.strip("/"), -1) for link in links[:TOP])
    context.close()
    assert len(misses) <= 1, misses
    assert len(parts_hit - {-1}) >= 2, parts_hit
