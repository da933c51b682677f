"""Kept pages (generator/render/page_cache.py) are exactly the pages a full render makes: after
each of a series of edits — a story's body and title, a 点评, a center's name in the registry, a
story turned draft, a story moved to another center, a passing publish_date, the preview and the
public build — every page rendered with the cache equals the page rendered without it, and only
the pages the edit touches are rendered again."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from pathlib import Path

import pytest

from generator.assemble import assemble
from generator.pipeline import checked_content
from generator.render.pages import KeptPage, render_site

STORIES = "content/stories/hubei-bulletin/2024-q3"
ISSUE = "bulletins/hubei-bulletin/2024-q3.yml"
TODAY = dt.date(2030, 1, 1)


def edit(project: Path, rel: str, old: str, new: str) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def age(project: Path) -> None:
    """Every file saved a minute ago, so that the load cache keeps it (it skips recent saves)."""
    old = time.time() - 60
    for name in ("content", "bulletins"):
        for path in (project / name).rglob("*"):
            if path.is_file():
                os.utime(path, (old, old))


def render_both(project: Path, today: dt.date = TODAY, preview: bool = False) -> tuple[dict, dict, int]:
    """(pages with the cache, pages without it, how many the cached render made anew)."""
    age(project)
    content = checked_content(project, today, keep=True)
    site = assemble(content, content.site, today, preview)
    run = f"{today.isoformat()} {'preview' if preview else 'public'}"
    cached, _ = render_site(site, project / "build/cache", {}, content.digests, run)
    fresh, _ = render_site(site)
    # A kept page is its earlier text's digest (the text is the file that run wrote): compared by
    # digest, never rendered here, or the comparison would be of two fresh renders.
    kept = {p.path: p.digest for p in cached if isinstance(p, KeptPage)}
    ours = kept | {p.path: sha(p.text) for p in cached if p.path not in kept}
    assert not any(p._text for p in cached if isinstance(p, KeptPage)), "a kept page was rendered"
    return ours, {p.path: sha(p.text) for p in fresh}, _rendered(project, run)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _rendered(project: Path, run: str) -> int:
    return len(_entries(project, run))


def _entries(project: Path, run: str) -> dict:
    """The page cache's entries by page path."""
    import pickle

    mode = run.rpartition(" ")[2]
    return pickle.loads((project / f"build/cache/pages-{mode}.pickle").read_bytes())["entries"]


@pytest.fixture
def rendered(monkeypatch):
    """Paths of the pages the cache rendered anew in a run."""
    from generator.render import page_cache

    made: list[str] = []
    original = page_cache.PageCache.keep

    def counting(self, path, key, text):
        made.append(path)
        return original(self, path, key, text)

    monkeypatch.setattr(page_cache.PageCache, "keep", counting)
    return made


EDITS = [
    ("story body", lambda p: edit(p, f"{STORIES}/pediatrics.md", "50余名专家", "五十余名专家（缓存测试）")),
    ("story title", lambda p: edit(p, f"{STORIES}/pediatrics.md", "title: 推进全省同质化管理", "title: 缓存测试标题")),
    ("commentary", lambda p: edit(p, "content/commentary/hubei-bulletin/2024-q3/pediatrics.md",
                                  "宝贵贡献", "宝贵贡献（缓存测试）")),
    ("center name", lambda p: edit(p, "content/centers/hubei.yml", "name: 湖北省儿科医疗质量控制中心",
                                   "name: 湖北省儿科医疗质量控制中心（缓存测试）")),
    ("story to draft", lambda p: (edit(p, f"{STORIES}/nursing.md", "\n---\n", "\nstatus: draft\n---\n"),
                                  edit(p, ISSUE, "sections:", "published_later: {stories: [nursing], pdf_will_change: true}\n"
                                                              "sections:"))),
    ("story to another center", lambda p: edit(p, f"{STORIES}/orthopedics.md", "center: hb-orthopedics",
                                               "center: hb-pediatrics")),
]


@pytest.mark.parametrize("preview", [False, True], ids=["public", "preview"])
def test_kept_pages_equal_a_full_render_after_every_edit(project, rendered, preview):
    cached, fresh, _ = render_both(project, preview=preview)
    assert cached == fresh and len(cached) > 30
    rendered.clear()
    cached, fresh, _ = render_both(project, preview=preview)
    assert cached == fresh and rendered == [], "an unchanged site rendered pages again"
    for name, mutate in EDITS:
        mutate(project)
        rendered.clear()
        cached, fresh, _ = render_both(project, preview=preview)
        different = [path for path in fresh if cached.get(path) != fresh[path]]
        assert not different and cached.keys() == fresh.keys(), (name, different[:5])
        assert rendered, name
        if name == "story body":  # one issue: its page and its stories (prev/next), centers listing them
            assert all(p.startswith(("hubei-bulletin/2024-q3/", "centers/")) for p in rendered), rendered
            assert len(rendered) < len(cached) / 2


def test_a_passing_publish_date_renders_the_issue(project):
    edit(project, ISSUE, "date: 2024-09-27\n", "date: 2024-09-27\npublish_date: 2030-01-02\n")
    before, fresh, _ = render_both(project, today=dt.date(2030, 1, 1))
    assert before == fresh and not any(p.startswith("hubei-bulletin/2024-q3/") for p in before)
    after, fresh, _ = render_both(project, today=dt.date(2030, 1, 2))
    assert after == fresh and "hubei-bulletin/2024-q3/pediatrics/index.md" in after
    again, fresh, _ = render_both(project, today=dt.date(2030, 1, 1))  # a clock set back
    assert again == fresh and "hubei-bulletin/2024-q3/pediatrics/index.md" not in again


def test_a_damaged_page_cache_is_a_full_render(project):
    render_both(project)
    for kept in (project / "build/cache").glob("pages-*.pickle"):
        kept.write_bytes(b"\x80\x05damaged")
    from generator.render.page_cache import PageCache

    PageCache._memory.clear()  # as a fresh process finds it
    cached, fresh, _ = render_both(project)
    assert cached == fresh


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def clean_build(project: Path, elsewhere: Path, preview: bool) -> Path:
    """The same content generated from nothing (no build/ caches) in another folder."""
    import shutil

    from generator.pipeline import generate

    shutil.rmtree(elsewhere, ignore_errors=True)
    shutil.copytree(project, elsewhere, ignore=shutil.ignore_patterns("build"))
    generate(elsewhere, TODAY, preview=preview, pdf=False)
    return elsewhere


@pytest.mark.parametrize("preview", [False, True], ids=["public", "preview"])
def test_warm_pages_and_search_documents_equal_a_clean_build_and_lost_files_come_back(project, tmp_path, preview):
    """Kept pages and search documents are the files the run before wrote (KeptPage): after an
    edit, and after someone deleted some of those files, the docs and search folders are exactly
    what a build from nothing writes."""
    from generator.pipeline import generate
    from generator.search.pagefind import SEARCH_PAGES

    age(project)
    generate(project, TODAY, preview=preview, pdf=False)
    edit(project, f"{STORIES}/pediatrics.md", "50余名专家", "五十余名专家（缓存测试）")
    age(project)
    result = generate(project, TODAY, preview=preview, pdf=False)
    if result.search:
        result.search.result()  # the search documents are written beside the pages: done
    docs, run = result.docs, f"{TODAY.isoformat()} {'preview' if preview else 'public'}"
    kept = [p for p in sorted(_entries(project, run)) if p not in result.changed]
    assert len(kept) > 5 and result.changed
    kept_page = kept[0]
    (docs / kept_page).unlink()  # lost: its text is not in the cache, it is rendered again
    lost_documents = []
    if not preview:  # two kept pages' search documents lost too
        lost_documents = [project / SEARCH_PAGES / p.replace(".md", ".html") for p in kept[1:3]]
        for document in lost_documents:
            document.unlink()
    generate(project, TODAY, preview=preview, pdf=False)
    clean = clean_build(project, tmp_path / "clean", preview)
    clean_docs = clean / docs.relative_to(project)
    assert tree(docs) == tree(clean_docs) and kept_page in tree(docs)
    if not preview:
        assert lost_documents and all(d.exists() for d in lost_documents)
        assert tree(project / SEARCH_PAGES) == tree(clean / SEARCH_PAGES)
