"""One rule decides what is public on a day (generator/publication.py), for every kind of content."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from types import SimpleNamespace

from generator.evaluation.series import Gate
from generator.load.models import Commentary, Story
from generator.publication import marked_published, opens_on, public_on

GENERATOR = Path(__file__).resolve().parent.parent / "generator"
DAY = dt.date(2025, 1, 10)


def test_every_kind_follows_the_same_rule():
    story = Story(title="t", center="c", date=dt.date(2024, 9, 1), issue="s/2024-q3", publish_date=DAY)
    commentary = Commentary(story="s/2024-q3/x", status="review")
    gate = Gate("published", dt.date(2025, 1, 11))
    assert public_on(story, DAY) and not public_on(story, DAY - dt.timedelta(days=1))
    assert not public_on(commentary, DAY) and not marked_published(commentary)
    assert not public_on(gate, DAY) and public_on(gate, dt.date(2025, 1, 11)) and marked_published(gate)
    assert public_on(SimpleNamespace(status="published", publish_date=None), DAY)
    assert opens_on(story, gate) == dt.date(2025, 1, 11)
    assert opens_on(story, commentary) is None and opens_on(story, None) is None


def test_no_other_module_reads_status_and_publish_date_for_publication():
    """The rule lives in one place: no stage compares `status` with "published" itself, nor
    compares a `publish_date` with a day (the README's "one rule lives in one place")."""
    raw = re.compile(r"status\s*[!=]=\s*[\"']published|publish_date\s*<=|is_public\(")
    found = [f"{path.relative_to(GENERATOR)}:{n}"
             for path in GENERATOR.rglob("*.py") if path.name != "publication.py"
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if raw.search(line)]
    assert found == []


def test_today_is_decided_at_the_pipeline_edge_only():
    """Only pipeline.py asks for the day (the scaffolding commands in cli/ and ingest/ date new
    files, which is not publication); every stage is handed it."""
    asking = {path.relative_to(GENERATOR).as_posix()
              for path in GENERATOR.rglob("*.py") if path.parts[-2] not in ("cli", "ingest")
              for line in path.read_text(encoding="utf-8").splitlines()
              if "date.today()" in line or "publication_day()" in line}
    assert asking == {"publication.py", "pipeline.py"}
