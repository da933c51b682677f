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
import re
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


# How often a series appears (Series.frequency) → issues a year. With it, an issue numbered
# 第N期 covers its month (monthly), its two months (bimonthly) or its quarter (quarterly);
# an irregular series' 第N期, like a series that does not say, covers the whole year.
FREQUENCIES = {"monthly": 12, "bimonthly": 6, "quarterly": 4, "irregular": None}
FREQUENCY_CN = {"monthly": "月刊", "bimonthly": "双月刊", "quarterly": "季刊", "irregular": "不定期"}


def per_year(frequency: str | None) -> int | None:
    return FREQUENCIES.get(frequency) if frequency else None


def months(issue, frequency: str | None = None) -> tuple[int, int] | None:
    """First and last month the issue covers, or None for the whole year: its own month or
    quarter when it gives one, else what its 第N期 means in a series of that frequency."""
    if issue.month is not None:
        return issue.month, issue.month
    if issue.quarter is not None:
        return 3 * issue.quarter - 2, 3 * issue.quarter
    count, number = per_year(frequency), getattr(issue, "number", None)
    if count is None or number is None or not 1 <= number <= count:
        return None
    width = 12 // count
    return width * (number - 1) + 1, width * number


def date_range(issue, frequency: str | None = None) -> tuple[dt.date, dt.date]:
    """First and last day the issue's period covers: its month(s), else its quarter, else its year."""
    year, span = issue.year, months(issue, frequency)
    if span is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    return dt.date(year, span[0], 1), dt.date(year, span[1], calendar.monthrange(year, span[1])[1])


def range_text(issue, frequency: str | None = None) -> str:
    span = months(issue, frequency)
    if span is None:
        return f"{issue.year}年"
    first, last = span
    if first == last:
        return f"{issue.year}年{first}月"
    if last - first == 2 and first % 3 == 1:
        return f"{issue.year}年第{last // 3}季度（{first}—{last}月）"
    return f"{issue.year}年{first}—{last}月"


def clamp(day: dt.date, issue, frequency: str | None = None) -> dt.date:
    """`day` when it falls in the issue's period, else the nearest day of the period."""
    first, last = date_range(issue, frequency)
    return min(max(day, first), last)


# What an issue's file name says about its period: 2024-q3 (quarter), 2025-07 (期 or month), 2025-zk1 (year).
KEY_QUARTER = re.compile(r"^(\d{4})-q(\d+)$")
KEY_NUMBER = re.compile(r"^(\d{4})-(\d{1,3})$")
KEY_YEAR = re.compile(r"^(\d{4})(-|$)")


def key_numbers(key: str, fmt: str | None, frequency: str | None) -> dict:
    """year / quarter / month / number an issue's file name gives, read as its series numbers:
    2025-07 is the 7th 期, or July in a series that prints months and no 期; 2025-q3 is the
    3rd 期 of a quarterly series that prints 期, else the 3rd quarter."""
    uses = format_fields(fmt) if fmt else []
    if (m := KEY_QUARTER.match(key)):
        year, n = int(m.group(1)), int(m.group(2))
        if frequency == "quarterly" and "number" in uses and "quarter" not in uses:
            return {"year": year, "number": n}
        return {"year": year, "quarter": n}
    if (m := KEY_NUMBER.match(key)):
        kind = "month" if "month" in uses and "number" not in uses else "number"
        return {"year": int(m.group(1)), kind: int(m.group(2))}
    if (m := KEY_YEAR.match(key)):
        return {"year": int(m.group(1))}
    return {}


def prints_number(fmt: str | None, frequency: str | None) -> bool:
    """Whether the series' issues carry a 第N期: its format prints one, or, without a format,
    it says how often it appears (its issues are then counted)."""
    return "number" in format_fields(fmt) if fmt else frequency is not None


def ordinal(issue, frequency: str | None) -> int | None:
    """The issue's place in a regular series (issues since year 0), for counting 总第N期 between
    issues; None for irregular series, special issues and issues without their numbers."""
    count = per_year(frequency)
    if count is None:
        return None
    span = months(issue, frequency)
    if issue.number is not None and 1 <= issue.number <= count:
        return issue.year * count + issue.number - 1
    if span is None:
        return None
    return issue.year * count + (span[0] - 1) // (12 // count)


def next_total(issue, others: list, frequency: str | None) -> int | None:
    return total_from(issue, others, frequency)[0]


def total_from(issue, others: list, frequency: str | None) -> tuple[int | None, object]:
    """总第N期 of a new issue from the issues its series has, with the issue it was counted from:
    in a regular series the nearest earlier issue's number plus the issues between (or the
    nearest later one's minus them); otherwise the earlier issue's plus one (by year and 期), or,
    without frequency, one more than the highest so far."""
    counted = [o for o in others if o.total_number is not None]
    if not counted:
        return None, None
    here = ordinal(issue, frequency)
    if here is not None:
        placed = [(ordinal(o, frequency), o) for o in counted]
        placed = [(at, o) for at, o in placed if at is not None]
        before = [(at, o) for at, o in placed if at < here]
        after = [(at, o) for at, o in placed if at > here]
        if before:
            at, o = max(before, key=lambda p: p[0])
            return o.total_number + here - at, o
        if after:
            at, o = min(after, key=lambda p: p[0])
            total = o.total_number - (at - here)
            return (total, o) if total >= 1 else (None, None)
    if frequency is not None and issue.number is not None:
        key = (issue.year, issue.number)
        before = [o for o in counted if o.number is not None and (o.year, o.number) < key]
        if before:
            o = max(before, key=lambda o: (o.year, o.number))
            return o.total_number + 1, o
    o = max(counted, key=lambda o: o.total_number)
    return o.total_number + 1, o
