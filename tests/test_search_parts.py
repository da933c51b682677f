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
from generator.search.pagefind import PART_FOLDER, PARTS_FILE, SEARCH_PAGES, part_count, placed

QUERIES = load_queries()[::3]  # a third of the query set: the whole set runs on the demo (test_search.py)


def test_documents_are_placed_in_part_folders_by_their_path_and_parts_stay_near_size():
    docs = [f"series-{n % 7}/20{n % 30:02}-q{n % 4 + 1}/center-{n}/index.html" for n in range(10_000)]
    count = part_count(len(docs))
    assert count == -(-10_000 // pagefind.PART_PAGES) >= 2 and part_count(0) == part_count(pagefind.PART_PAGES) == 1
    where = {d: placed(d, count) for d in docs}
    assert all(w.startswith(PART_FOLDER) and w.endswith("/" + d) for d, w in where.items())
    sizes = [sum(1 for w in where.values() if w.startswith(f"{PART_FOLDER}{k}/")) for k in range(count)]
    assert sum(sizes) == 10_000 and max(sizes) <= pagefind.PART_PAGES * 1.1, sizes
    assert placed(docs[0], 1) == docs[0], "one part: the documents at the folder itself"


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
    pages = parted / SEARCH_PAGES
    folders = sorted(pages.iterdir())
    assert folders and all(f.name.startswith(PART_FOLDER) for f in folders), "every document in its part's folder"
    assert len(folders) == -(-len(list(pages.rglob("*.html"))) // 40) >= 2
    assert len(listed) == len(folders) - 1
    for part in listed:
        folder = bundle / part
        assert (folder / "pagefind-entry.json").is_file() and list(folder.glob("*.pf_meta"))
        assert not list(folder.glob("*.js")) and not list(folder.glob("wasm.*")), "merged bundles carry data only"


def test_search_finds_stories_of_every_part(browser, parted):
    """The query set finds its stories as on the one-bundle demo, and the hits come from more
    than one part (so the merge is what found them)."""
    pages = parted / SEARCH_PAGES  # _part-K/<url>/index.html → the part K's documents
    rel = {d.parent.relative_to(folder).as_posix(): k
           for k, folder in enumerate(sorted(pages.iterdir(), key=lambda f: int(f.name.removeprefix(PART_FOLDER))))
           for d in folder.rglob("*.html")}
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
