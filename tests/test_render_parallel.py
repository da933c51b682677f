"""Pages and search index documents made half in a forked child (generator/parallel.py)
are exactly those a serial run makes, the child's cache entries are kept, and a child that
fails costs only time: its tasks run in the parent, whose error is the one raised."""
from __future__ import annotations

import datetime as dt
import json
import os

import pytest

from generator import parallel
from generator.assemble import assemble
from generator.pipeline import checked_content
from generator.render.pages import Renderer, render_site
from generator.search.terms import index_pages

TODAY = dt.date(2030, 1, 1)


def test_results_in_order_and_the_childs_harvest(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_TASKS", 1)
    tasks = [lambda n=n: (n * n, os.getpid()) for n in range(9)]
    results, harvested = parallel.in_two(tasks, harvest=lambda: {"pid": os.getpid()})
    assert [r[0] for r in results] == [n * n for n in range(9)]
    pids = {r[1] for r in results}
    if parallel.forks():
        assert len(pids) == 2 and harvested["pid"] in pids and harvested["pid"] != os.getpid()
        assert {r[1] for r in results[5:]} == {harvested["pid"]}  # the second half ran in the child
    else:
        assert pids == {os.getpid()} and harvested is None


def test_a_failing_child_is_replaced_by_the_parent(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_TASKS", 1)
    parent = os.getpid()

    def dies_in_child():
        if os.getpid() != parent:
            os._exit(3)
        return "here"

    results, harvested = parallel.in_two([lambda: "a", dies_in_child], harvest=lambda: "child")
    assert results == ["a", "here"] and harvested is None


def test_an_error_is_raised_by_the_parent(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_TASKS", 1)

    def bad():
        raise ValueError("bad page")

    with pytest.raises(ValueError, match="bad page"):
        parallel.in_two([lambda: 1, bad])
    with pytest.raises(ValueError, match="bad page"):  # failing here, with the child still at work
        parallel.in_two([bad, lambda: 1])


def _render(project, cache: bool):
    content = checked_content(project, TODAY, keep=cache)
    site = assemble(content, content.site, TODAY, False)
    if cache:
        return render_site(site, project / "build/cache", {}, content.digests, f"{TODAY} public")[0]
    return render_site(site)[0]


def _kept(project, name: str):
    return json.loads((project / "build/cache" / name).read_text("utf-8"))


@pytest.mark.skipif(not parallel.forks(), reason="needs fork and two cores")
@pytest.mark.parametrize("cache", [False, True], ids=["no-cache", "page-cache"])
def test_parallel_pages_and_documents_equal_serial(project, monkeypatch, cache):
    cache_dir = project / "build/cache" if cache else None
    monkeypatch.setattr(parallel, "MIN_TASKS", 10**9)
    serial = _render(project, cache)
    serial_documents = index_pages(serial, cache_dir)
    if cache:
        from generator.render.page_cache import PageCache

        serial_kept = _kept(project, "markup.json"), _kept(project, "search-terms.json")
        for kept in cache_dir.iterdir():
            kept.unlink()  # a first build: every page rendered, every document made
        PageCache._memory.clear()
    monkeypatch.setattr(parallel, "MIN_TASKS", 1)
    # Site order backwards: the demo's one issue page (all its stories' Markdown) falls to the child.
    planned = Renderer.planned_pages
    monkeypatch.setattr(Renderer, "planned_pages", lambda self: planned(self)[::-1])
    forked = _render(project, cache)[::-1]
    assert len(serial) > 30 and forked == serial
    assert [p.digest for p in forked] == [p.digest for p in serial]
    documents = index_pages(forked, cache_dir)
    assert documents == serial_documents and [d.digest for d in documents] == [d.digest for d in serial_documents]
    if cache:  # what the child converted is kept for the next run, as a serial run keeps it
        assert (_kept(project, "markup.json"), _kept(project, "search-terms.json")) == serial_kept
