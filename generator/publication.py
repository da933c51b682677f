"""What is public on a day: the one rule for every kind of content.

Stories, 点评, issues, notices (load/models.py `Publishable`), evaluation rounds and open-year facts
(evaluation/series.py `Gate`) all carry `status` and `publish_date`; `public_on` is the only place
that reads them together. The day itself is decided once, at the pipeline's edge (`publication_day`,
called by pipeline.py when no day is given) and handed down to every stage that needs it.

`marked_published` is the *written* status regardless of date: rules about what an editor has
declared finished (a scheduled file still holding 【待填写】 must fail today, not on its day) use it.

Like problems.py this module imports nothing of the pipeline, so every stage may use it.
"""
from __future__ import annotations

import datetime as dt
from typing import Protocol


class Scheduled(Protocol):
    status: str
    publish_date: dt.date | None


def publication_day() -> dt.date:
    """The day a build publishes for: today (the edge of the pipeline calls this once)."""
    return dt.date.today()


def marked_published(item: Scheduled) -> bool:
    """The editor wrote `status: published` (whatever its `publish_date`)."""
    return item.status == "published"


def public_on(item: Scheduled, day: dt.date) -> bool:
    """Marked published, and its `publish_date` (if any) has come by `day`."""
    return marked_published(item) and (item.publish_date is None or item.publish_date <= day)


def opens_on(*items: Scheduled | None) -> dt.date | None:
    """The day all `items` are public (None: already, or — when one is missing or not marked
    published — no date can be promised). For the preview's 未公开 banner."""
    if any(item is None or not marked_published(item) for item in items):
        return None
    return max((item.publish_date for item in items if item.publish_date), default=None)
