"""Loading evaluation rounds, open-year facts and notices into the grading engine's classes.

Files (see docs/CONTENT.md, "Evaluation rounds and notices"):
    content/evaluations/<series-id>/<year>.yml   one round each (complete or `partial: true`)
    content/evaluations/<series-id>/facts.yml    facts whose year is not published
    content/notices/<series-id>/<year>-<number>.md   a notice; its body may hold `{{ 评估结果 }}`

Every problem comes back as generator.errors.Problem with the file and the line of the field.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from generator.evaluation.checks import history_problems, round_problems
from generator.evaluation.grading import (
    FAIL,
    PASS,
    Area,
    Excluded,
    Fact,
    Finding,
    Rectification,
    Result,
    Round,
    Scheme,
    Tier,
)
from generator.evaluation.series import EvaluationSeries, Gate
from generator.load.cache import LoadCache, kept_or_read, stamp
from generator.load.center_names import named_hint
from generator.load.fields import build_model, line_at
from generator.load.figure_names import closest_figure
from generator.load.models import Count, Model, Status
from generator.load.numbers import number_text
from generator.load.yaml_source import SourceFile, load_yaml_file
from generator.problems import Problem

YEAR_FILE = re.compile(r"^(\d{4})\.yml$")


MAX_NUMBER = Decimal(1_000_000)  # scores, maxima and shares are small; 1e999999 would overflow or hang
MAX_DIGITS, MAX_PLACES = 6, 6  # integer digits and decimal places a score or a share may have


def _sized(number: Decimal) -> bool:
    """Finite, under a million, at most MAX_PLACES decimals — judged from the digits as written,
    with no arithmetic: '1e999999999' or '1e-999999999' would overflow Decimal's context or make
    a Fraction with a billion-digit denominator (a hang), so they are refused before either."""
    if not number.is_finite():
        return False
    exponent = number.as_tuple().exponent
    return (not number or number.adjusted() < MAX_DIGITS) and isinstance(exponent, int) and exponent >= -MAX_PLACES


def _bounded(number: Decimal, what: str) -> Decimal:
    if not _sized(number) or abs(number) > MAX_NUMBER:
        raise ValueError(f"数值过大或不是有限的数（{what}，最多 {MAX_PLACES} 位小数）")
    return number


def _share(value: object) -> Decimal:
    """10%, "10 %", 0.1 and "0.1" all mean one tenth."""
    if isinstance(value, bool):
        raise ValueError("比例应写成 10% 或 0.1")
    text = str(number_text(value)).strip()
    percent = text.endswith(("%", "％"))
    try:
        written = Decimal(text[:-1].strip() if percent else text)
    except (InvalidOperation, ArithmeticError):
        raise ValueError("比例应写成 10% 或 0.1") from None
    if not _sized(written):
        raise ValueError("比例应在 0 到 100% 之间，写成 10% 或 0.1（最多 6 位小数）")
    number = written / 100 if percent else written
    if not 0 <= number <= 1:
        raise ValueError("比例应在 0 到 100% 之间，写成 10% 或 0.1")
    return number


def _number(value: object) -> object:
    """A score or maximum: checked for size before anything computes with it."""
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return value  # pydantic reports the type
    try:
        number = Decimal(str(number_text(value)).strip())
    except (InvalidOperation, ArithmeticError):
        raise ValueError("应为数字，如 85 或 92.5") from None
    return _bounded(number, "分数、满分应在 ±1000000 以内")


Share = Annotated[Decimal, BeforeValidator(_share)]
Number = Annotated[Decimal, BeforeValidator(_number)]


class AreaFile(Model):
    name: str = Field(min_length=1)
    max: Number | None = None

    @model_validator(mode="before")
    @classmethod
    def _plain_name(cls, data):
        return {"name": data} if isinstance(data, str) else data


class TierFile(Model):
    grade: str = Field(min_length=1)
    top: Share | None = None
    bottom: Share | None = None


class SchemeFile(Model):
    areas: list[AreaFile] = []
    # Required: a scale has no "usual" size (100 or 110 points, with or without bonus points).
    bonus_max: Number
    total_max: Number
    tiers: list[TierFile] = Field(min_length=1)
    rest: str = PASS
    # The failing grade, as the commission names it (default 不合格; a scheme without one has no fails).
    fail: str | None = Field(default=None, min_length=1)
    bottom_grades: list[str] | None = None  # 末档; default: the failing grade only
    rounding: Literal["round_half_up", "floor", "ceil"] = "round_half_up"
    ties: Literal["include", "exclude"] = "include"


class ResultFile(Model):
    center: str
    figures: dict[str, Count] = {}  # the center's activity figures of the year, declared by the series
    grade: str | None = None
    scores: dict[str, Number] | None = None
    bonus: Number | None = None
    total: Number | None = None
    source: str | None = None
    note: str | None = None


class ExcludedFile(Model):
    count: int = Field(ge=0, le=100_000)
    reason: str = Field(min_length=1)
    centers: list[str] = []  # names when published; often only the count is


class RectificationFile(Model):
    applies_to: list[str] | None = None  # default: the scheme's failing grade
    report: str = "整改报告"
    due_text: str | None = None
    due: dt.date | None = None
    to: str | None = None


class RoundFile(Model):
    year: int = Field(ge=1990, le=2100)
    status: Status = "published"  # a draft or future round is absent from every public file
    publish_date: dt.date | None = None
    partial: bool = False
    figure_totals: dict[str, Count] = {}  # totals as published (`{{ 工作量 }}`); summed ones must agree
    scheme: SchemeFile | None = None
    evaluated: int | None = Field(default=None, ge=0, le=100_000)
    excluded: ExcludedFile | None = None
    results: list[ResultFile] = []
    rectification: RectificationFile | None = None
    source: str | None = None
    note: str | None = None
    # The notice that discloses this round when none cites it (`evaluation:`), e.g. a later
    # notice's account of an earlier year: "<notice series>/<file name>" or its 发文字号.
    notice: str | None = Field(default=None, min_length=1)


class FactFile(Model):
    center: str
    grade: str = Field(min_length=1)
    years: list[Annotated[int, Field(ge=1990, le=2100)]] = Field(min_length=1)
    source: str = Field(min_length=1)
    note: str | None = None
    status: Status = "published"
    publish_date: dt.date | None = None
    notice: str | None = Field(default=None, min_length=1)  # the notice that discloses the fact


class FactsFile(Model):
    facts: list[FactFile] = []


# ---------------------------------------------------------------- conversion


def _scheme(s: SchemeFile) -> Scheme:
    return Scheme(
        areas=tuple(Area(a.name, a.max) for a in s.areas),
        tiers=tuple(
            Tier(t.grade, Fraction(t.top) if t.top is not None else None,
                   Fraction(t.bottom) if t.bottom is not None else None)
            for t in s.tiers
        ),
        rest=s.rest,
        bonus_max=s.bonus_max,
        total_max=s.total_max,
        rounding=s.rounding,
        ties=s.ties,
        fail=s.fail or FAIL,
        bottom=tuple(s.bottom_grades) if s.bottom_grades is not None else None,
    )


def to_round(f: RoundFile) -> Round:
    rect = f.rectification
    fail = f.scheme.fail or FAIL if f.scheme else FAIL
    return Round(
        year=f.year,
        results=tuple(Result(r.center, r.grade, r.scores, r.bonus, r.total, r.source, r.figures or None)
                      for r in f.results),
        scheme=_scheme(f.scheme) if f.scheme else None,
        partial=f.partial,
        evaluated=f.evaluated,
        excluded=Excluded(f.excluded.count, f.excluded.reason) if f.excluded else None,
        rectification=Rectification(tuple(rect.applies_to or (fail,)), rect.report, rect.due_text, rect.due, rect.to)
        if rect else None,
        source=f.source,
        note=f.note,
        figure_totals=f.figure_totals or None,
    )


def to_fact(f: FactFile) -> Fact:
    return Fact(f.center, f.grade, tuple(f.years), f.source, f.note)


# ---------------------------------------------------------------- locating engine problems


def _locate(src: SourceFile, problems: list[Finding], registry: Sequence = (), near: str = "") -> list[Problem]:
    """Findings at their file's lines; an unknown center that is a registered center's name or
    abbreviation says which id to write (as a story's center does), not "register it"."""
    return [_with_center_hint(p, registry, near).at(src.rel, line_at(src.data, p.path)) for p in problems]


def _with_center_hint(p: Finding, registry: Sequence, near: str) -> Finding:
    if p.code != "unknown_center" or not registry:
        return p
    exact = next((c.id for c in registry if p.subject in (c.name, *c.aliases)), None)
    hint = f"这里要写编号而不是名称：center: {exact}" if exact else named_hint(p.subject, list(registry), near)
    return replace(p, hint=hint or p.hint)


# ---------------------------------------------------------------- loaders


def read_round(path: Path, root: Path) -> tuple[Round | None, SourceFile, RoundFile | None]:
    """One round file as read (its own field problems on the source), not yet checked."""
    src = load_yaml_file(path, root)
    if src.data is None:
        return None, src, None
    f = build_model(src, RoundFile, src.data)
    if f is None:
        return None, src, None
    match = YEAR_FILE.match(path.name)
    if match and int(match.group(1)) != f.year:
        src.problem(f"文件名是 {path.name}，但 year 写的是 {f.year}", f"文件名与 year 一致：{f.year}.yml",
                    line_at(src.data, ("year",)))
    return to_round(f), src, f


def checked_round(rnd: Round, src: SourceFile, f: RoundFile, centers, series_grades=None,
                  registry: Sequence = (), near: str = "") -> list[Problem]:
    return src.problems + _locate(src, round_problems(rnd, centers, series_grades=series_grades), registry, near) \
        + _excluded_with_results(src, f, centers) + _fail_named(src, f)


def _fail_named(src: SourceFile, f: RoundFile) -> list[Problem]:
    """A `fail:` written in the scheme must be one of its grades (history flags count it)."""
    s = f.scheme
    if s is None or s.fail is None or s.fail in {t.grade for t in s.tiers} | {s.rest}:
        return []
    return [Problem(src.rel, line_at(src.data, ("scheme", "fail")), f"不合格等次 fail 写的是“{s.fail}”，不在本方案的等次中",
                    "fail 写本方案中表示不合格的那个等次（默认 不合格）；历次评估的“连续不合格”等提示按它统计")]


def load_round(path: Path, root: Path, centers: Iterable[str] | None = None) -> tuple[Round | None, list[Problem]]:
    rnd, src, f = read_round(path, root)
    return rnd, (checked_round(rnd, src, f, centers) if rnd is not None else src.problems)


def _excluded_with_results(src: SourceFile, f: RoundFile, centers) -> list[Problem]:
    """A center excluded from the round (listed, or 筹建 in the registry) cannot have a result."""
    excluded = set(f.excluded.centers) if f.excluded else set()
    statuses = centers if isinstance(centers, dict) else {}
    problems = []
    for i, r in enumerate(f.results):
        if r.center in excluded or statuses.get(r.center) == "筹建":
            why = "在本年度 excluded 名单中" if r.center in excluded else "在名录中的状态是“筹建”"
            problems.append(Problem(src.rel, line_at(src.data, ("results", i, "center")),
                                    f"质控中心“{r.center}”{why}，不参加评估，却写了评估结果",
                                    "删除这一行结果；若该中心已正式运行，把名录中的 status 改为 active 并移出 excluded"))
    return problems


def _gate(f: RoundFile | FactFile, src: SourceFile, at: tuple, notice_at: tuple) -> Gate:
    """`at`: where its status is written (or the nearest line); `notice_at`: where its notice is."""
    return Gate(f.status, f.publish_date, src.rel, line_at(src.data, at), f.notice,
                line_at(src.data, notice_at) if f.notice else None)


def load_facts(path: Path, root: Path) -> tuple[list[Fact], SourceFile]:
    facts, _, src = load_gated_facts(path, root)
    return facts, src


def load_gated_facts(path: Path, root: Path) -> tuple[list[Fact], list[Gate], SourceFile]:
    src = load_yaml_file(path, root)
    if src.data is None:
        return [], [], src
    f = build_model(src, FactsFile, src.data)
    if f is None:
        return [], [], src
    return [to_fact(x) for x in f.facts], [_gate(x, src, ("facts", i), ("facts", i, "notice"))
                                         for i, x in enumerate(f.facts)], src


def _figures_declared(src: SourceFile, f: RoundFile, figures) -> list[Problem]:
    """A round's figures are the series' (`figures:` of content/series/<id>.yml); a published total
    of a summed figure agrees with its results when they carry it."""
    declared = {d.name: d for d in figures}
    problems = []
    used = [(("results", i, "figures", name), name) for i, r in enumerate(f.results) for name in r.figures]
    used += [(("figure_totals", name), name) for name in f.figure_totals]
    for path, name in used:
        if name not in declared:
            near = closest_figure(name, list(declared))
            hint = (f"是不是“{near}”？" if near else "") + "评估结果里的数字先在通报系列文件的 figures 里声明"
            problems.append(Problem(src.rel, line_at(src.data, path), f"数字“{name}”没有在系列里声明", hint))
    for name, total in f.figure_totals.items():
        values = [r.figures[name] for r in f.results if name in r.figures]
        if name in declared and declared[name].summed and values and sum(values) != total:
            problems.append(Problem(src.rel, line_at(src.data, ("figure_totals", name)),
                                    f"“{name}”的合计 {total} 与各中心相加的 {sum(values)} 不一致",
                                    "核对各中心的数字或合计；各中心都写了时可以不写合计"))
    return problems


def _kept(files: LoadCache | None, path: Path, root: Path, read, read_ok):
    """`read(path, root)` of one round or facts file, or its result kept from the last run
    (`read_ok(result)`: the file was read, so its sha1 is kept too)."""
    def result(p: Path):
        found = read(p, root)
        return found, read_ok(found), True

    return kept_or_read(files, path.relative_to(root).as_posix(), stamp(path) if files else None, str(path), root,
                        result)


def load_evaluations(root: Path, series: str, centers: Iterable[str] | None = None,
                     figures: list | None = None, registry: Sequence = (), near: str = "",
                     files: LoadCache | None = None) -> EvaluationSeries:
    """All rounds and facts of one series, with every problem located. `figures`: the series'
    declared figures (what its rounds' results may carry); `registry`: the centers (their names
    help an editor who wrote a name where the id belongs; `near`: the series' publisher, whose
    region's centers come first). `files`: each file as read kept by its stat (load/cache.py);
    the checks against the centers and the other rounds run every time."""
    out = EvaluationSeries(series)
    folder = root / "content" / "evaluations" / series
    facts_src = None
    read = []
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        if path.name == "facts.yml":
            out.facts, out.fact_gates, facts_src = _kept(files, path, root, load_gated_facts,
                                                          lambda r: r[2].data is not None)
            out.problems += facts_src.problems
        elif YEAR_FILE.match(path.name):
            rnd, src, f = _kept(files, path, root, read_round, lambda r: r[0] is not None)
            if rnd is None:
                out.problems += src.problems
            else:
                read.append((rnd, src, f))
                out.rounds[rnd.year] = rnd
                at = next((k for k in ("status", "publish_date") if k in src.data), "year")
                out.round_gates[rnd.year] = _gate(f, src, (at,), ("notice",))
        else:
            out.problems.append(Problem(
                path.relative_to(root).as_posix(), None, f"文件名“{path.name}”不符合约定",
                "评估年度文件写作 2024.yml，年份不确定的事实写在 facts.yml"))
    for rnd, src, f in read:  # checked once every round is read: a partial round uses the series' grades
        out.problems += checked_round(rnd, src, f, centers, out.grades, registry, near) + _figures_declared(src, f, figures or [])
    if facts_src is not None:
        history = history_problems(list(out.rounds.values()), out.facts, centers)
        out.problems += _locate(facts_src, history, registry, near)
    return out
