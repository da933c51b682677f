"""`python -m generator.charts.batch`: draw the charts listed on stdin, each into its file.

The worker chart_files (files.py) starts when many charts are missing, or the pipeline before it
loads the content when there is no chart cache yet (a first build: matplotlib is imported before
stdin is read, so the import overlaps the load); it draws
while the generator goes on rendering pages, on another core. It imports only matplotlib and
draw.py, never the pipeline. Input: a JSON list of {"spec", "fmt", "ink", "path"}; each file is
written whole (a temporary name, then renamed) or not at all; anything it leaves undrawn the
generator draws itself.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from generator.charts.draw import draw, write_whole


def main() -> int:
    for job in json.load(sys.stdin):
        write_whole(Path(job["path"]), draw(job["spec"], job["fmt"], job["ink"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
