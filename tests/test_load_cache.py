"""The cache of loaded files (generator/load/cache.py) never serves a stale, deleted or
unpublished file: edits (also one that keeps size and mtime), deletes, renames, a passing
publish_date, a replaced picture, a damaged cache and changed loading code are all seen.

Files are dated a minute back before each run: files saved in the last two seconds are never
kept (their stat could repeat), and the tests must exercise the cached path."""
from __future__ import annotations

import datetime as dt
import os
import pickle
import time
from pathlib import Path

import pytest

from generator.load import cache as load_cache
from generator.load import content as load_module
from generator.load.cache import LoadCache
from generator.load.content import load_content as load_files
from generator.pipeline import checked_content, generate

STORY = "content/stories/hubei-bulletin/2024-q3/pediatrics.md"
ISSUE = "bulletins/hubei-bulletin/2024-q3.yml"
OLD = time.time() - 60


def age(project: Path) -> None:
    """Every editor file saved a minute ago (so the cache may keep it)."""
    for name in ("content", "bulletins"):
        for path in (project / name).rglob("*"):
            if path.is_file():
                os.utime(path, (OLD, OLD))


@pytest.fixture
def reads(monkeypatch):
    """Paths the loader actually parsed in a run."""
    seen: list[str] = []
    original = load_module.load_markdown_file

    def counting(path, root):
        seen.append(Path(path).relative_to(root).as_posix())
        return original(path, root)

    monkeypatch.setattr(load_module, "load_markdown_file", counting)
    return seen


def load_content(project: Path, keep: bool = True):
    """A load with the cache, saved after (as pipeline.checked_content does for good content)."""
    files = LoadCache(project)
    content = load_files(project, files)
    files.save()
    return content


def story(content, slug: str):
    return next((s for s in content.stories if s.slug == slug), None)


def test_unchanged_files_are_not_read_again_and_an_edit_is(project, reads):
    age(project)
    first = load_content(project)
    assert reads and (project / load_cache.FILE).is_file()
    reads.clear()
    again = load_content(project)
    assert reads == [], "unchanged files were parsed again"
    assert [s.model_dump() for s in again.stories] == [s.model_dump() for s in first.stories]
    assert again.problems == first.problems

    path = project / STORY
    path.write_text(path.read_text(encoding="utf-8").replace("推进全省同质化管理", "缓存测试新标题"), encoding="utf-8")
    os.utime(path, (OLD + 5, OLD + 5))
    reads.clear()
    edited = load_content(project)
    assert reads == [STORY]
    assert story(edited, "pediatrics").title.startswith("缓存测试新标题")


def test_an_edit_keeping_size_and_mtime_is_seen(project):
    """Same length, mtime put back: the inode change time still differs."""
    age(project)
    load_content(project)
    path = project / STORY
    text = path.read_text(encoding="utf-8")
    assert "推进全省" in text
    path.write_text(text.replace("推进全省", "推进全市"), encoding="utf-8")
    os.utime(path, (OLD, OLD))
    assert story(load_content(project), "pediatrics").title.startswith("推进全市")


def test_a_deleted_or_renamed_file_is_gone(project):
    age(project)
    load_content(project)
    folder = project / "content/stories/hubei-bulletin/2024-q3"
    (folder / "pediatrics.md").rename(folder / "pediatrics-renamed.md")
    (folder / "nursing.md").unlink()
    content = load_content(project)
    assert story(content, "pediatrics") is None and story(content, "nursing") is None
    assert story(content, "pediatrics-renamed") is not None
    kept = pickle.loads((project / load_cache.FILE).read_bytes())["entries"]
    assert f"{folder.relative_to(project).as_posix()}/pediatrics-renamed.md" in kept
    assert not any(key.startswith("content/stories/") and key.endswith(("/pediatrics.md", "/nursing.md"))
                   for key in kept)


def test_a_problem_is_reported_from_the_cache_too(project):
    """A file with an error is kept with its error: every run reports it until it is fixed."""
    path = project / STORY
    path.write_text(path.read_text(encoding="utf-8").replace("center: hb-pediatrics", "center: hb-nowhere"),
                    encoding="utf-8")
    age(project)
    for _ in range(2):
        with pytest.raises(Exception) as failed:
            checked_content(project, keep=True)
        assert "hb-nowhere" in str([p.message for p in failed.value.problems])


def test_a_publish_date_passing_publishes_with_the_cache_warm(project):
    """Publication is decided after loading, on the day of the run: a kept model of an issue
    that opens tomorrow is hidden today and public tomorrow."""
    issue = project / ISSUE
    issue.write_text(issue.read_text(encoding="utf-8").replace("date: 2024-09-27\n",
                                                                 "date: 2024-09-27\npublish_date: 2030-01-02\n", 1),
                     encoding="utf-8")
    age(project)
    before = generate(project, today=dt.date(2030, 1, 1), pdf=False)
    assert not before.site.issues
    assert not (project / "build/docs/hubei-bulletin/2024-q3/pediatrics/index.md").exists()
    after = generate(project, today=dt.date(2030, 1, 2), pdf=False)
    assert [i.issue.key for i in after.site.issues] == ["2024-q3"]
    assert "推进全省同质化管理" in (project / "build/docs/hubei-bulletin/2024-q3/pediatrics/index.md").read_text(
        encoding="utf-8")
    gone = generate(project, today=dt.date(2030, 1, 1), pdf=False)  # a clock set back hides it again
    assert not gone.site.issues and not (project / "build/docs/hubei-bulletin/2024-q3").exists()


def test_a_story_with_a_picture_is_read_every_time(project):
    """Its result depends on the picture: replacing the picture by a non-picture is an error."""
    folder = project / "content/stories/hubei-bulletin/2024-q3"
    (folder / "images").mkdir(exist_ok=True)
    from PIL import Image

    Image.new("RGB", (4, 4), "red").save(folder / "images/photo.png")
    path = folder / "pediatrics.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n![现场](images/photo.png)\n", encoding="utf-8")
    age(project)
    assert [i.name for i in story(checked_content(project, keep=True), "pediatrics").images] == ["images/photo.png"]
    (folder / "images/photo.png").write_bytes(b"not a picture")
    os.utime(folder / "images/photo.png", (OLD, OLD))
    with pytest.raises(Exception) as failed:
        checked_content(project, keep=True)
    assert any("photo.png" in p.message for p in failed.value.problems)


def test_a_recent_save_is_not_kept(project):
    """A file saved in the last two seconds is read again next time (its stat could repeat)."""
    age(project)
    path = project / STORY
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")  # now
    load_content(project)
    kept = pickle.loads((project / load_cache.FILE).read_bytes())["entries"]
    assert STORY not in kept and "content/stories/hubei-bulletin/2024-q3/nursing.md" in kept


def test_damaged_or_foreign_cache_means_a_full_read(project, reads, monkeypatch):
    age(project)
    expected = len(load_content(project).stories)
    target = project / load_cache.FILE
    for damage in (b"\x80\x05garbage", target.read_bytes()[:100], b""):
        target.write_bytes(damage)
        reads.clear()
        assert len(load_content(project).stories) == expected
        assert STORY in reads
    reads.clear()
    monkeypatch.setattr(load_cache, "VERSION", "other-code")  # the loading code changed
    assert len(load_content(project).stories) == expected and STORY in reads


def test_check_writes_nothing(project):
    age(project)
    checked_content(project)
    assert not (project / "build").exists()


ROUND = "content/evaluations/guangxi-notices/2024.yml"
REGISTRY = "content/centers/guangxi.yml"


@pytest.fixture
def yaml_reads(monkeypatch):
    """YAML files (site, series, centers, issues, rounds, facts) the loaders actually parsed."""
    from generator.load import evaluations

    seen: list[str] = []
    original = load_module.load_yaml_file

    def counting(path, root):
        seen.append(Path(path).relative_to(root).as_posix())
        return original(path, root)

    monkeypatch.setattr(load_module, "load_yaml_file", counting)
    monkeypatch.setattr(evaluations, "load_yaml_file", counting)
    return seen


def test_registry_series_and_rounds_are_kept_and_an_edit_is_seen(project, yaml_reads):
    age(project)
    first = load_content(project)
    assert {ROUND, REGISTRY, "content/site.yml", "content/series/guangxi-notices.yml"} <= set(yaml_reads)
    yaml_reads.clear()
    again = load_content(project)
    assert yaml_reads == [], "unchanged YAML files were parsed again"
    assert again.problems == first.problems and again.digests == first.digests
    assert again.site == first.site and [c.id for c in again.centers] == [c.id for c in first.centers]
    assert again.evaluations["guangxi-notices"].rounds == first.evaluations["guangxi-notices"].rounds

    path = project / ROUND
    path.write_text(path.read_text(encoding="utf-8").replace("{center: gx-nursing, grade: 优秀}",
                                                             "{center: gx-nursing, grade: 良好}"), encoding="utf-8")
    os.utime(path, (OLD + 5, OLD + 5))
    yaml_reads.clear()
    edited = load_content(project)
    assert yaml_reads == [ROUND]
    assert edited.digests[ROUND] != first.digests[ROUND]
    grades = {r.center: r.grade for r in edited.evaluations["guangxi-notices"].rounds[2024].results}
    assert grades["gx-nursing"] == "良好"


def test_a_kept_round_is_checked_against_the_registry_of_each_run(project, yaml_reads):
    """The round file is not read again, but a center removed from the registry is a problem at
    the round's line: cross-file checks run on every load."""
    age(project)
    assert not [p for p in load_content(project).problems if p.file == ROUND]
    path = project / REGISTRY
    text = path.read_text(encoding="utf-8")
    start = text.index("- id: gx-nursing")
    path.write_text(text[:start] + text[text.index("- id:", start + 1):], encoding="utf-8")
    os.utime(path, (OLD + 5, OLD + 5))
    yaml_reads.clear()
    problems = [p for p in load_content(project).problems if p.file == ROUND and "gx-nursing" in p.message]
    assert ROUND not in yaml_reads and REGISTRY in yaml_reads
    assert problems and all(p.line for p in problems)


def test_a_running_process_shares_unchanged_models_and_reads_an_edit(project, reads):
    """The preview runs the pipeline again in one process: unchanged stories are the models of the
    run before (not unpickled again), the cache file is not read again while no other process
    wrote it, and an edited story is a new model with the edit."""
    age(project)
    load_content(project)
    first = load_content(project)  # the models as unpickled from the kept file
    reads.clear()
    again = load_content(project)
    assert reads == [] and [s.model_dump() for s in again.stories] == [s.model_dump() for s in first.stories]
    assert all(a is b for a, b in zip(again.stories, first.stories)), "unchanged models unpickled again"
    path = project / STORY
    path.write_text(path.read_text(encoding="utf-8").replace("推进全省同质化管理", "缓存测试新标题"), encoding="utf-8")
    os.utime(path, (OLD + 5, OLD + 5))
    edited = load_content(project)
    assert reads == [STORY] and story(edited, "pediatrics").title.startswith("缓存测试新标题")
    assert story(edited, "pediatrics") is not story(first, "pediatrics")
    assert story(edited, "nursing") is story(first, "nursing")
    assert story(load_content(project), "pediatrics").title.startswith("缓存测试新标题")
    LoadCache._files.clear()  # as another process finds it: read from the file, the same models' data
    LoadCache._results.clear()
    fresh = load_content(project)
    assert [s.model_dump() for s in fresh.stories] == [s.model_dump() for s in edited.stories]
