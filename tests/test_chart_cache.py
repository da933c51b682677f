"""The chart cache (charts/files.py): many missing charts are drawn by worker processes beside the
generator and are all there, whole, once the pages are written; files no chart uses any more go
once a day old (a preview running beside a build keeps its own)."""
from __future__ import annotations

import datetime as dt
import os
import time

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
