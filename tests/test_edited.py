"""The preview's first answer to an edit (generator/edited.py): a story's or 点评's new text on its
page and its issue's page before the full run, the very pages the full run then writes (it writes
nothing more), and no first answer for any edit the last run's site cannot show as it is."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.edited import show_edit
from generator.pipeline import generate_preview
from generator.site.watch import edited_files, snapshot

STORY = "content/stories/hubei-bulletin/2024-q3/drg.md"
COMMENTARY = "content/commentary/hubei-bulletin/2024-q3/cardiology.md"
STORY_PAGE = "hubei-bulletin/2024-q3/drg/index.md"
ISSUE_PAGE = "hubei-bulletin/2024-q3/index.md"
CARDIOLOGY_PAGE = "hubei-bulletin/2024-q3/cardiology/index.md"


@pytest.fixture(scope="module")
def previewed(tmp_path_factory):
    """The demo's preview, generated once (each test edits a copy of it)."""
    from benchmarks.project import copy_project

    root = copy_project(tmp_path_factory.mktemp("edited") / "project")
    generate_preview(root)
    return root


@pytest.fixture
def root(previewed, tmp_path) -> Path:
    copy = tmp_path / "project"
    shutil.copytree(previewed, copy, symlinks=True)
    return copy


def _append(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{text}\n", encoding="utf-8")


def _docs(result) -> dict[str, str]:
    return {p.relative_to(result.docs).as_posix(): p.read_text(encoding="utf-8")
            for p in result.docs.rglob("*.md")}


def test_an_edited_story_text_is_on_its_page_and_its_issue_page_as_the_full_run_writes_them(root):
    last = generate_preview(root)
    _append(root, STORY, "首答标记：新增一段。<script>alert(1)</script>")
    first = show_edit(root, last, [STORY])
    assert first is not None and first.changed == {STORY_PAGE, ISSUE_PAGE}
    shown = _docs(first)
    for page in (STORY_PAGE, ISSUE_PAGE):
        assert "首答标记：新增一段。" in shown[page]
        assert "<script>" not in shown[page] and "&lt;script&gt;" in shown[page]  # inert, as always
    full = generate_preview(root)
    assert full.changed == set()  # the first answer wrote exactly the pages the full run makes
    assert _docs(full) == shown


def test_an_edited_commentary_text_is_on_its_story_page_and_its_issue_page(root):
    last = generate_preview(root)
    _append(root, COMMENTARY, "点评首答标记")
    first = show_edit(root, last, [COMMENTARY])
    assert first is not None and first.changed == {CARDIOLOGY_PAGE, ISSUE_PAGE}
    assert all("点评首答标记" in _docs(first)[page] for page in first.changed)
    assert generate_preview(root).changed == set()


@pytest.mark.parametrize("edit", [
    lambda text: text.replace("title: 提升基层DRG应用水平", "title: 新标题"),  # lists show the title
    lambda text: text.replace("date: 2024-09-27", "date: 2024-09-28"),
    lambda text: text.replace("issue: hubei-bulletin/2024-q3\n", "issue: hubei-bulletin/2024-q3\nstatus: draft\n"),
    lambda text: text.split("---\n\n", 1)[0] + "---\n\n",  # an empty body: the file's own error
    lambda text: text.replace("date: 2024-09-27", "date: 2024-9-27<b>"),  # a front matter error
    lambda text: text + "\n![巡讲现场](photo.png)\n",  # a picture: what is published changes
])
def test_an_edit_beyond_the_text_waits_for_the_full_run(root, edit):
    from PIL import Image

    last = generate_preview(root)
    story = root / STORY
    Image.new("RGB", (40, 30), "white").save(story.parent / "photo.png")
    story.write_text(edit(story.read_text(encoding="utf-8")), encoding="utf-8")
    before = _docs(last)
    assert show_edit(root, last, [STORY]) is None
    assert _docs(last) == before  # nothing written


def test_files_the_last_run_did_not_show_wait_for_the_full_run(root):
    last = generate_preview(root)
    notice = next(p for p in (root / "content/notices").rglob("*.md"))
    _append(root, notice.relative_to(root).as_posix(), "通报新增")
    assert show_edit(root, last, [notice.relative_to(root).as_posix(), STORY]) is None
    (root / "content/stories/hubei-bulletin/2024-q3/new-story.md").write_text(
        (root / STORY).read_text(encoding="utf-8"), encoding="utf-8")
    assert show_edit(root, last, ["content/stories/hubei-bulletin/2024-q3/new-story.md"]) is None
    assert show_edit(root, last, []) is None


def test_the_watcher_names_files_saved_again_and_none_when_files_came_or_went(root):
    before = snapshot(root)
    _append(root, STORY, "再存一次")
    assert edited_files(root, before, snapshot(root)) == [STORY]
    (root / COMMENTARY).unlink()
    assert edited_files(root, before, snapshot(root)) is None
