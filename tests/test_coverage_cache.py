"""The print-coverage warnings kept between runs (print/coverage.py over load/cache.py) follow
every edit: a character the print fonts lack is warned about once it is typed, and no more once
it is gone; a run with errors keeps nothing."""
from __future__ import annotations

import os
import time

import pytest

from generator.pipeline import checked_content
from generator.print.coverage import CACHE, covered, lacking_characters

STORY = "content/stories/hubei-bulletin/2024-q3/drg.md"


def _save(path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    old = time.time() - 10  # older than the racy window: the result is kept
    os.utime(path, (old, old))


def test_kept_coverage_follows_each_edit(project):
    assert covered() is not None, "print fonts not set up: run make setup"
    story = project / STORY
    good = story.read_text(encoding="utf-8")
    assert lacking_characters(project, keep=True) == []
    assert (project / CACHE).exists()
    _save(story, good + "\n\n表情😀\n")
    found = lacking_characters(project, keep=True)
    assert [(p.file, "U+1F600" in p.message) for p in found] == [(STORY, True)]
    assert lacking_characters(project, keep=True) == found  # from the cache: the same warning
    _save(story, good)
    assert lacking_characters(project, keep=True) == []


def test_a_failed_check_keeps_nothing(project, capsys):
    from generator.problems import ContentError

    story = project / STORY
    _save(story, story.read_text(encoding="utf-8").replace("date: 2024-09-27", "date: 2024-13-40") + "\n😀\n")
    with pytest.raises(ContentError) as failed:
        checked_content(project, keep=True)
    assert not (project / CACHE).exists()
    if covered() is not None:  # the warning is still said beside the error
        assert any("U+1F600" in p.message for p in failed.value.problems)


def test_the_file_check_finds_what_the_print_side_marks():
    """The check reads a file's characters against the fonts' ranges (no expression compiled);
    the PDF side's `lacking` marks the same characters, in the same order."""
    from generator.print.coverage import _absent, lacking

    assert covered() is not None, "print fonts not set up: run make setup"
    text = "医疗质量😀控制Ÿ中心\u200b，❤️ 第𠀀二次😀 abc\ue000\U0010fffd。"
    found = _absent(text)
    assert found == lacking(text) and _absent(text) == found  # the second time from what it met
    assert "😀" in found and "\u200b" not in found and "医" not in found
