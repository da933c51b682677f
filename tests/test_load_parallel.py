"""A first build reads the editors' files on two cores (load/content.cached_files, the second
half in a child forked by generator/parallel.py): the content, its problems, the files' digests
and the load cache it saves are exactly those of a serial read, bad files included."""
from __future__ import annotations

import pickle

import pytest

from generator import parallel
from generator.load import load_content
from generator.load.cache import FILE, LoadCache


def _broken(project) -> None:
    """Files that fail in different ways, spread so that both halves get some."""
    stories = sorted((project / "content/stories").rglob("*.md"))
    stories[1].write_text("---\ntitle: [没有闭合\n---\n正文\n", encoding="utf-8")
    stories[-2].write_text("---\ntitle: 空正文\n---\n", encoding="utf-8")
    (stories[-1].parent / "Bad Name.md").write_text(stories[-1].read_text(encoding="utf-8"), encoding="utf-8")


def _load(project, cache: bool, tasks_per_fork: int, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_TASKS", tasks_per_fork)
    (project / FILE).unlink(missing_ok=True)
    files = LoadCache(project) if cache else None
    content = load_content(project, files)
    if files:
        files.save()
    return content, ((project / FILE).read_bytes() if cache else None)


def _view(content) -> tuple:
    return ([s.model_dump() for s in content.stories], [c.model_dump() for c in content.commentaries],
            [n.model_dump() for n in content.notices], [i.model_dump() for i in content.issues],
            [p.format() for p in content.problems], list(content.digests.items()))


@pytest.mark.skipif(not parallel.forks(), reason="needs fork and two cores")
@pytest.mark.parametrize("cache", [True, False], ids=["first-build", "check"])
def test_files_read_on_two_cores_equal_a_serial_read(project, monkeypatch, cache):
    _broken(project)
    serial, serial_kept = _load(project, cache, 10**9, monkeypatch)
    forked, forked_kept = _load(project, cache, 1, monkeypatch)
    assert len(serial.stories) > 20 and len(serial.commentaries) > 5 and len(serial.problems) >= 3
    assert _view(forked) == _view(serial)
    assert [s.file for s in forked.stories] == [s.file for s in serial.stories]  # private attributes too
    if cache:
        kept, serial_entries = pickle.loads(forked_kept)["entries"], pickle.loads(serial_kept)["entries"]
        assert kept.keys() == serial_entries.keys()
        assert {k: v[:2] for k, v in kept.items()} == {k: v[:2] for k, v in serial_entries.items()}
        assert all(pickle.loads(kept[k][2]) == pickle.loads(serial_entries[k][2]) for k in kept if kept[k][2])
