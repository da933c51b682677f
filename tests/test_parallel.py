"""generator/parallel.py: work beside this process gives the same answer as work here, a failing
child never hides an error, and what a child writes is on disk once `settle` returns."""
from __future__ import annotations

import os
import time
from functools import partial
from pathlib import Path

import pytest

from generator import parallel
from generator.deferred import later


def test_beside_answers_from_a_child_and_its_deferred_writes_are_done_there(tmp_path):
    marker = tmp_path / "saved"

    def work():
        later(lambda: marker.write_text(str(os.getpid())))
        return {"pid": os.getpid(), "text": "甲乙丙"}

    beside = parallel.Beside(work)
    assert not beside.ready  # two cores here: it runs in a child
    answer = beside.result()
    assert answer["text"] == "甲乙丙" and answer["pid"] != os.getpid()
    assert marker.read_text() == str(answer["pid"])  # written by the child, before its answer was taken


def test_a_failing_child_has_the_work_run_here_so_its_error_is_raised_here():
    calls = []

    def work():
        calls.append(os.getpid())
        raise ValueError("坏了")

    beside = parallel.Beside(work)
    with pytest.raises(ValueError, match="坏了"):
        beside.result()
    assert calls == [os.getpid()]  # the child's attempt is not seen here: this process ran it again


def _slow_write(path: Path) -> None:
    time.sleep(0.2)  # still writing when settle is called
    path.write_text("好", encoding="utf-8")


def test_what_run_later_and_settled_children_write_is_on_disk_after_settle(tmp_path):
    files = [tmp_path / f"{n}.txt" for n in range(3)]
    parallel.run_later([partial(_slow_write, f) for f in files[:2]])
    parallel.Beside(partial(_slow_write, files[2]), settled=True)
    assert not any(f.exists() for f in files)
    parallel.settle()
    assert all(f.read_text(encoding="utf-8") == "好" for f in files)
    assert not parallel._background and not parallel._beside


def test_in_a_thread_nothing_forks_and_the_work_is_done_at_once():
    import threading

    seen = {}

    def run():
        beside = parallel.Beside(lambda: os.getpid())
        seen["ready"], seen["pid"] = beside.ready, beside.result()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert seen == {"ready": True, "pid": os.getpid()}
