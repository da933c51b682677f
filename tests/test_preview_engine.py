"""The preview's page-by-page engine builds (site/incremental.py) over the pinned MkDocs: after one
story is saved its page and its issue's page show the edit and no other page is built again; a
new or removed page, or a changed engine config, makes a full build. Fails if MkDocs' page
functions (`_populate_page`, `_build_page`) stop doing what the preview relies on."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.pipeline import generate_preview, preview_config
from generator.site.incremental import PreviewEngine
from generator.site.preview import write_preview

STORY = "content/stories/hubei-bulletin/2024-q3/drg.md"
PAGE = "hubei-bulletin/2024-q3/drg/index.html"
ISSUE = "hubei-bulletin/2024-q3/index.html"
URL = "http://127.0.0.1:8000/"


def _html_times(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*.html")}


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    """The demo's preview pages and a first (clean) engine build, shared by the steps below."""
    from benchmarks.project import copy_project

    root = copy_project(tmp_path_factory.mktemp("engine") / "project")
    config = preview_config(root)
    write_preview(root, config, generate_preview)
    engine = PreviewEngine(config, str(root / "build/preview-site"))
    assert engine.build(None, URL) == "clean"
    return root, engine


def _edit(root: Path, engine: PreviewEngine, path: str, new_text: str | None) -> tuple[str, set[str]]:
    file = root / path
    if new_text is None:
        file.unlink()
    else:
        file.write_text(new_text, encoding="utf-8")
    changed = write_preview(root, preview_config(root), generate_preview)
    return engine.build(changed, URL), changed


def test_an_edited_story_rebuilds_its_page_and_its_issue_page_only(preview):
    root, engine = preview
    site = Path(engine.site_dir)
    before = _html_times(site)
    story = root / STORY
    how, changed = _edit(root, engine, STORY, story.read_text(encoding="utf-8") + "\n\n引擎增量构建标记。\n")
    assert how == "pages"
    assert {PAGE.replace(".html", ".md"), ISSUE.replace(".html", ".md")} <= changed
    assert "引擎增量构建标记" in (site / PAGE).read_text(encoding="utf-8")
    assert "引擎增量构建标记" in (site / ISSUE).read_text(encoding="utf-8")
    after = _html_times(site)
    rebuilt = {p for p in after if after[p] != before.get(p)}
    assert {PAGE, ISSUE} <= rebuilt <= {p.replace(".md", ".html") for p in changed}  # nothing else touched
    assert len(rebuilt) < len(after) // 4  # not a full build
    # The page is the theme's whole page (navigation, assets), as a full build makes it.
    html = (site / PAGE).read_text(encoding="utf-8")
    assert "assets/zk.css" in html and "md-nav" in html


def test_a_new_or_removed_story_makes_a_full_build(preview):
    root, engine = preview
    site = Path(engine.site_dir)
    source = (root / STORY).read_text(encoding="utf-8")
    issue_file = root / "bulletins/hubei-bulletin/2024-q3.yml"
    listed = issue_file.read_text(encoding="utf-8")
    issue_file.write_text(listed.replace("      - drg\n", "      - drg\n      - drg-extra\n", 1), encoding="utf-8")
    how, _ = _edit(root, engine, STORY.replace("drg.md", "drg-extra.md"),
                   source.replace("提升基层DRG应用水平", "新增一篇稿件", 1))
    assert how == "dirty"
    new_page = site / PAGE.replace("/drg/", "/drg-extra/")
    assert "新增一篇稿件" in new_page.read_text(encoding="utf-8")
    assert "新增一篇稿件" in (site / ISSUE).read_text(encoding="utf-8")  # its issue lists it
    issue_file.write_text(listed, encoding="utf-8")
    how, _ = _edit(root, engine, STORY.replace("drg.md", "drg-extra.md"), None)
    assert how == "dirty"
    assert not new_page.exists()  # a removed page is never served from an old build
    assert "新增一篇稿件" not in (site / ISSUE).read_text(encoding="utf-8")


def test_a_changed_engine_config_rebuilds_every_page(preview):
    root, engine = preview
    site = Path(engine.site_dir)
    site_yml = root / "content/site.yml"
    text = site_yml.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    how, _ = _edit(root, engine, "content/site.yml", text.replace(title, "title: 改名后的网站", 1))
    assert how == "clean"
    for page in (PAGE, ISSUE, "index.html"):
        assert "改名后的网站" in (site / page).read_text(encoding="utf-8")


def test_the_preview_writes_its_caches_after_the_pages(project):
    """deferred.py: inside `deferring()` the caches' files wait for the caller; the next run of
    the preview writes what the last one queued before it reads them."""
    from generator.deferred import deferring, run_all
    from generator.site.preview import PreviewState, regenerate

    with deferring() as saves:
        generate_preview(project)
    pages = project / "build/preview/docs" / PAGE.replace(".html", ".md")
    assert pages.exists() and saves  # the pages are written, the caches not yet
    assert not (project / "build/cache/loaded.pickle").exists()
    run_all(saves)
    assert (project / "build/cache/loaded.pickle").exists() and not saves

    state = PreviewState()
    assert regenerate(project, preview_config(project), generate_preview, state)
    queued = list(state.saves)
    assert regenerate(project, preview_config(project), generate_preview, state)
    assert all(fn not in state.saves for fn in queued)  # run before the second run, not left behind


@pytest.fixture(scope="module")
def lazy(tmp_path_factory):
    """A preview's first build (lazy) next to a clean full build of the same pages."""
    from benchmarks.project import copy_project

    root = copy_project(tmp_path_factory.mktemp("lazy") / "project")
    config = preview_config(root)
    write_preview(root, config, generate_preview)
    engine = PreviewEngine(config, str(root / "build/lazy-site"))
    engine.start(URL)
    full = PreviewEngine(config, str(root / "build/full-site"))
    full.full(URL, clean=True)
    return root, engine, Path(full.site_dir)


def test_the_first_build_lays_out_the_home_page_only(lazy):
    root, engine, full = lazy
    site = Path(engine.site_dir)
    pages = _html_times(full)
    assert "index.html" in _html_times(site)
    assert not (site / PAGE).exists() and not (site / ISSUE).exists()
    assert len(engine.state.deferred) == len([p for p in pages if p != "404.html"]) - 1


def test_a_requested_page_is_laid_out_at_once_and_the_rest_by_fill(lazy):
    root, engine, full = lazy
    site = Path(engine.site_dir)
    assert engine.ensure("/" + PAGE.removesuffix("index.html"))
    assert (site / PAGE).read_bytes() == (full / PAGE).read_bytes()
    assert not engine.ensure("/" + PAGE)  # already laid out
    assert not (site / ISSUE).exists()
    # An edit before the background reaches its pages builds them, and they leave the queue.
    story = root / STORY
    how, _ = _edit(root, engine, STORY, story.read_text(encoding="utf-8") + "\n\n延迟构建期间的修改。\n")
    assert how == "pages"
    assert "延迟构建期间的修改" in (site / ISSUE).read_text(encoding="utf-8")
    assert ISSUE.removesuffix("index.html") not in engine.state.deferred
    story.write_text(story.read_text(encoding="utf-8").replace("\n\n延迟构建期间的修改。\n", ""), encoding="utf-8")
    assert engine.build(write_preview(root, preview_config(root), generate_preview), URL) == "pages"
    assert engine.fill() > 90
    assert engine.state.deferred == {}
    built, expected = _html_times(site), _html_times(full)
    assert built.keys() == expected.keys()
    assert [p for p in expected if (site / p).read_bytes() != (full / p).read_bytes()] == []
