"""The chart cache (charts/files.py): many missing charts are drawn by worker processes beside the
generator (a first build's worker started before the content is loaded, ended when not needed)
and are all there, whole, once the pages are written; files no chart uses any more go once a day
old (a preview running beside a build keeps its own)."""
from __future__ import annotations

import datetime as dt
import os
import time

from benchmarks.project import copy_project
from generator.assemble import assemble
from generator.charts import chart_files
from generator.charts import files as chart_module
from generator.pipeline import checked_content


def test_charts_drawn_beside_the_generator_and_the_unused_pruned(project, monkeypatch):
    content = checked_content(project)
    site = assemble(content, content.site, dt.date(2026, 1, 1))
    folder = project / chart_module.CACHE
    folder.mkdir(parents=True)
    old, recent = folder / ("0" * 24 + ".svg"), folder / ("1" * 24 + "-print.png")
    for stale in (old, recent):
        stale.write_bytes(b"stale")
    day_ago = time.time() - 2 * chart_module.KEEP_UNUSED_S
    os.utime(old, (day_ago, day_ago))

    monkeypatch.setattr(chart_module, "PARALLEL_MIN", 1)  # the demo's few charts: drawn as a first build's are
    charts = chart_files(site, project)
    assert charts.drawn >= 1 and charts.workers  # drawing in other processes
    files = charts.files  # waits for them
    assert not charts.workers and files
    for path in files.values():
        assert path.read_bytes().lstrip().startswith(b"<?xml") and path.read_bytes().rstrip().endswith(b"</svg>")
    assert not old.exists()  # unused for a day: gone
    assert recent.exists()  # unused but recent (another process may be using it): kept
    again = chart_files(site, project)
    assert again.drawn == 0 and again.files == files  # unchanged data: nothing drawn again


def test_a_first_build_draws_in_the_worker_started_before_the_load(tmp_path, monkeypatch):
    one, two = copy_project(tmp_path / "one"), copy_project(tmp_path / "two")
    early = chart_module.early_worker(one)  # no chart cache yet: started before the content is read
    assert early is not None and early.poll() is None
    content = checked_content(one)
    site = assemble(content, content.site, dt.date(2026, 1, 1))
    charts = chart_files(site, one, early)
    assert charts.workers == [early] and charts.drawn >= 1
    files = charts.files
    assert early.returncode == 0  # it drew them all (the parent drew nothing it left)
    monkeypatch.setattr(chart_module, "PARALLEL_MIN", 10**9)  # drawn in this process, one by one
    content = checked_content(two)
    here = chart_files(assemble(content, content.site, dt.date(2026, 1, 1)), two).files
    assert {rel: p.read_bytes() for rel, p in files.items()} == {rel: p.read_bytes() for rel, p in here.items()}
    assert chart_module.early_worker(one) is None  # a cache exists: most charts are kept


def test_an_early_worker_with_nothing_to_draw_or_a_failed_build_is_ended(project, monkeypatch):
    from generator import pipeline
    from generator.problems import ContentError

    early = chart_module.early_worker(project)
    (project / chart_module.CACHE).mkdir(parents=True)
    content = checked_content(project)
    site = assemble(content, content.site, dt.date(2026, 1, 1))
    first = chart_files(site, project)  # every chart drawn here: none missing for the early worker
    first.wait()
    again = chart_files(site, project, early)
    assert again.drawn == 0 and not again.workers and early.returncode is not None

    import shutil

    shutil.rmtree(project / "build")
    started = []
    monkeypatch.setattr(pipeline, "early_worker", lambda root: started.append(chart_module.early_worker(root)) or started[-1])
    story = next((project / "content/stories").rglob("*.md"))
    story.write_text(story.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    try:
        pipeline.generate(project, pdf=False)
    except ContentError:
        pass
    else:
        raise AssertionError("a misspelt field is an error")
    assert started and started[0] is not None and started[0].returncode is not None  # ended with the build
