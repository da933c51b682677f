"""The generator runs with Python's cycle collector paused (pipeline.collector_paused: at 10,000
stories the collections it triggered cost a third of a run after one edit) and restores it after
every run, a failed one too, so the preview's long-running process collects as before."""
from __future__ import annotations

import gc
import threading

import pytest

from generator import pipeline
from generator.problems import ContentError

STORY = "content/stories/hubei-bulletin/2024-q3/pediatrics.md"


@pytest.fixture
def seen(monkeypatch) -> list[bool]:
    """gc.isenabled() as the content was being loaded, run by run."""
    states: list[bool] = []
    original = pipeline.load_content

    def loading(*args, **kwargs):
        states.append(gc.isenabled())
        return original(*args, **kwargs)

    monkeypatch.setattr(pipeline, "load_content", loading)
    return states


def test_paused_during_a_run_and_restored_after(project, seen):
    assert gc.isenabled()
    result = pipeline.generate(project, pdf=False)
    assert seen == [False] and gc.isenabled()
    assert (result.docs / "index.md").is_file()


def test_restored_after_a_failed_run(project, seen):
    path = project / STORY
    path.write_text(path.read_text(encoding="utf-8").replace("issue:", "issue: nowhere/0000\n# was:", 1),
                    encoding="utf-8")
    with pytest.raises(ContentError):
        pipeline.generate(project, pdf=False)
    assert seen == [False] and gc.isenabled()


def test_overlapping_runs_restore_it_once_both_ended():
    """The preview's watcher and another run may overlap: the first to end must not switch the
    collector back on under the other."""
    outer_started, outer_may_end = threading.Event(), threading.Event()
    states = []

    def outer():
        with pipeline.collector_paused():
            outer_started.set()
            outer_may_end.wait(5)
            states.append(("outer end", gc.isenabled()))

    thread = threading.Thread(target=outer)
    thread.start()
    assert outer_started.wait(5)
    with pipeline.collector_paused():
        states.append(("inner", gc.isenabled()))
    states.append(("between", gc.isenabled()))
    outer_may_end.set()
    thread.join()
    assert states == [("inner", False), ("between", False), ("outer end", False)]
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off():
    gc.disable()
    try:
        with pipeline.collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
