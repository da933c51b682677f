"""The period of a bulletin issue: what it covers (year, quarter, month) and how it prints.

Offices number their bulletins differently — 2024年第3季度, 2025年第7期（总第58期）, 2025年5月 —
so the series says how the period prints (`period_format`) and the issue gives the numbers.
One string comes out, and every output (报头, nav, archive, feed, PDF, search) uses that string.
Pure functions: used by validate (is the date inside the period? does the format have its numbers?)
and by assemble (the string itself).
"""
from __future__ import annotations

import calendar
import datetime as dt
import string

# The numbers a period format may name, with what an editor writes in the issue file.
PERIOD_FIELDS = {"year": "year", "quarter": "quarter", "month": "month", "number": "number",
                 "total_number": "total_number"}


def format_fields(fmt: str) -> list[str]:
    """Names used by a period format; ValueError for anything but plain {name} fields
    (no attribute access, indexing, conversions or specs: the format is written by editors)."""
    names = []
    for _, name, spec, conversion in string.Formatter().parse(fmt):
        if name is None:
            continue
        if name not in PERIOD_FIELDS or spec or conversion:
            raise ValueError("period_format")
        names.append(name)
    return names


def default_format(issue) -> str:
    """The usual wording for the numbers an issue gives: quarter, else 期, else month, else the year."""
    if issue.quarter is not None:
        fmt = "{year}年第{quarter}季度"
    elif issue.number is not None:
        fmt = "{year}年第{number}期"
    elif issue.month is not None:
        fmt = "{year}年{month}月"
    else:
        fmt = "{year}年"
    return fmt + ("（总第{total_number}期）" if issue.total_number is not None else "")


def missing_fields(fmt: str, issue) -> list[str]:
    return [name for name in format_fields(fmt) if getattr(issue, name) is None]


def numbered(fmt: str | None, issue) -> bool:
    """Whether the issue has the numbers its period format prints."""
    if fmt:
        return not missing_fields(fmt, issue)
    return any(getattr(issue, name) is not None for name in ("quarter", "month", "number"))


def period_text(fmt: str | None, issue) -> str:
    """The one period string of an issue. A special issue (专刊) outside the numbering — without
    the numbers its series' format prints — is named by its own title instead."""
    if issue.title and not numbered(fmt, issue):
        return issue.title
    return (fmt or default_format(issue)).format(**{name: getattr(issue, name) for name in PERIOD_FIELDS})


def in_year(text: str, year: int) -> str:
    """The period without its leading year, for lists already grouped by year ("第3季度")."""
    prefix = f"{year}年"
    return text[len(prefix):] if text.startswith(prefix) and len(text) > len(prefix) else text


def parenthesized(text: str) -> str:
    """（2024年第3季度） as printed under a bulletin's name; a period that brings its own
    brackets (2025年第7期（总第58期）) is not bracketed again."""
    return text if "（" in text else f"（{text}）"


def date_range(issue) -> tuple[dt.date, dt.date]:
    """First and last day the issue's period covers: its month, else its quarter, else its year."""
    year = issue.year
    if issue.month is not None:
        return dt.date(year, issue.month, 1), dt.date(year, issue.month, calendar.monthrange(year, issue.month)[1])
    if issue.quarter is not None:
        first = 3 * issue.quarter - 2
        return dt.date(year, first, 1), dt.date(year, first + 2, calendar.monthrange(year, first + 2)[1])
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def range_text(issue) -> str:
    if issue.month is not None:
        return f"{issue.year}年{issue.month}月"
    if issue.quarter is not None:
        return f"{issue.year}年第{issue.quarter}季度（{3 * issue.quarter - 2}—{3 * issue.quarter}月）"
    return f"{issue.year}年"


def clamp(day: dt.date, issue) -> dt.date:
    """`day` when it falls in the issue's period, else the nearest day of the period."""
    first, last = date_range(issue)
    return min(max(day, first), last)
