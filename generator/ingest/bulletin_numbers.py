"""Which issue an imported bulletin is: the numbers of its issue file, from the file name read the
way its series numbers issues (load/periods.key_numbers) and from the masthead line
(2025年第2期（总第26期）, 2024年第3季度). Only what the series' period format prints is asked for:
a series numbered by 期 is never asked for a quarter."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from generator.load import periods

ORDER = ("year", "quarter", "month", "number", "total_number")
NAMES = {"year": "年份（year）", "quarter": "季度（quarter）", "month": "月份（month）",
         "number": "期号（number，第N期）", "total_number": "总期号（total_number，总第N期）",
         "period": "期次（第N期写 number，第N季度写 quarter，N月写 month）"}


def issue_numbers(key: str, series, parsed, report, issue_rel: str) -> dict:
    """year / quarter / month / number / total_number to write, in that order; what is missing or
    disagrees is reported, never guessed."""
    fields = periods.key_numbers(key, series.period_format, series.frequency)
    masthead: dict = {}
    if parsed.period:
        year, n = parsed.period
        masthead = {"year": year, "quarter" if parsed.period_unit == "季度" else "number": n}
    if parsed.total_number:
        masthead["total_number"] = parsed.total_number
    for name, value in masthead.items():
        if name not in fields:
            fields[name] = value
        elif fields[name] != value:
            report.note("", f"报头写的{NAMES[name]}是 {value}，命令里的期号 {key} 说是 {fields[name]}："
                            f"{issue_rel} 按期号写了 {fields[name]}，请核对")
    issue = SimpleNamespace(**{name: fields.get(name) for name in ORDER}, title=None)
    for name in _missing(series, issue):
        field = "其中之一" if name == "period" else name
        report.note("", f"报头和期号 {key} 都看不出{NAMES[name]}：{issue_rel} 里没有写 {field}，请补上")
    return {name: fields[name] for name in ORDER if name in fields}


def _missing(series, issue) -> list[str]:
    missing = [] if issue.year is not None else ["year"]
    if series.period_format:
        return missing + [n for n in periods.missing_fields(series.period_format, issue) if n != "year"]
    if not periods.numbered(None, issue):  # the series prints whatever numbers an issue gives
        return missing + ["number" if series.frequency else "period"]
    return missing


def date_outside(fields: dict, series, date: dt.date) -> str:
    """Why the masthead's date cannot be this issue's ('' when it can): check would refuse it."""
    if "year" not in fields:
        return ""
    issue = SimpleNamespace(**{name: fields.get(name) for name in ORDER})
    first, last = periods.date_range(issue, series.frequency)
    if first <= date <= last:
        return ""
    return (f"印发日期 {date.isoformat()} 不在这一期所属的{periods.range_text(issue, series.frequency)}之内："
            "请核对报头，或期文件里的 date 和期号")
