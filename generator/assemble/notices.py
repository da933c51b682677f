"""Assemble, notices: evaluation rounds + notices → notice views, annex rows, center histories.

The grade sentence in a notice body and its annex come from the same round data, so the two can
never disagree. History flags are derived from the rounds and open-year facts, never typed.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from generator.evaluation.grading import Round, final_grades
from generator.evaluation.history import HistoryFlags, history_flags
from generator.evaluation.notice_text import DEFAULT_ANNEX_COLUMNS, AnnexRow, annex_rows, filled_notice_body
from generator.evaluation.series import EvaluationSeries, Gate, round_for
from generator.load.content import Content
from generator.load.models import Center, Notice, Series
from generator.load.paths import document_url
from generator.publication import opens_on, public_on

# The failing grade is the series' own (`fail:` in its scheme), so the words follow it.
FLAG_TEXT = {
    "consecutive_fail": "连续 2 年评估{fail}",
    "two_fails_in_three_years": "近 3 年评估中有 2 次{fail}",
    "repeatedly_bottom": "近 3 次评估中 2 次居末档",
}


@dataclass
class FlaggedCenter:
    center: Center
    grade: str
    flags: list[str]  # Chinese descriptions of the flags that are proven true
    rectification: str | None  # e.g. "须于9月底前向…提交整改报告"


@dataclass
class NoticeView:
    notice: Notice
    series: Series
    body: str  # Markdown with placeholders filled from the round
    round: Round | None
    annex: list[AnnexRow]
    flagged: list[FlaggedCenter]
    public: bool = True
    opens: dt.date | None = None  # preview: the day a scheduled notice becomes public

    @property
    def url(self) -> str:
        return document_url(self.series.id, self.notice.slug)

    @property
    def doc_number(self) -> str:
        return str(self.notice.doc_number)

    @property
    def title(self) -> str:
        return self.notice.title

    @property
    def issuer_mark(self) -> list[str]:
        mark = self.series.issuer_mark or self.series.publisher
        return [mark] if isinstance(mark, str) else list(mark)

    @property
    def addressees(self) -> str:
        return self.notice.addressees or self.series.addressees or ""

    @property
    def signer(self) -> str:
        return self.notice.signer or self.series.signer or self.series.publisher

    @property
    def date(self) -> dt.date:
        return self.notice.date

    @property
    def note(self) -> str | None:
        return self.notice.note

    @property
    def attachments(self) -> list[str]:
        return self.notice.attachments

    @property
    def title_lines(self) -> list[str]:
        return self.notice.title_lines

    @property
    def copy_to(self) -> str | None:
        return self.notice.copy_to

    @property
    def printer(self) -> str:
        """印发机关 of the 版记."""
        return self.notice.printer or self.series.printer or self.series.publisher

    @property
    def print_date(self) -> dt.date:
        """印发日期 of the 版记: given, else 成文日期."""
        return self.notice.print_date or self.notice.date

    @property
    def sealed(self) -> bool:
        return self.series.sealed if self.notice.sealed is None else self.notice.sealed

    @property
    def annex_columns(self) -> list[str]:
        """The annex's columns as the notice chooses them (default 序号 质控中心 评估结果 挂靠单位)."""
        return list(self.notice.annex_columns or DEFAULT_ANNEX_COLUMNS)

    @property
    def released(self) -> dt.date:
        """发布日期: the scheduled publish date when set, else 成文日期."""
        return self.notice.publish_date or self.notice.date


UNPUBLISHED_GRADE = "未公布"  # a partial round's line for a center whose grade is not known


@dataclass
class CenterYear:
    """One line of a center's evaluation history."""

    year: str  # "2024" or "2022 或 2023" for a fact whose year was not published
    grade: str  # "未公布" when the round is partial and the center's grade is not known
    notice: NoticeView | None = None
    flags: list[str] = field(default_factory=list)
    rectification: str | None = None
    series: str = ""  # the evaluation series (statistics group the lines by round)
    partial: bool = False  # the round published only some centers' grades
    open_years: tuple[int, ...] = ()  # a fact whose year was not published: the years it may be
    fact_grade: str = ""  # that fact's grade, without the words saying its year is open
    public: bool = True  # False only in the preview: not yet disclosed (the disclosure rule)


def rectification_text(rnd: Round, grade: str) -> str | None:
    r = rnd.rectification
    if r is None or grade not in r.applies_to:
        return None
    due = r.due_text or (f"{r.due.year}年{r.due.month}月{r.due.day}日前" if r.due else "")
    return f"须{due}{'向' + r.to if r.to else ''}提交{r.report}"


def flag_texts(flags: HistoryFlags | None, fail: str) -> list[str]:
    return [text.format(fail=fail) for name, text in FLAG_TEXT.items() if flags and getattr(flags, name) is True]


def disclosing_notices(content: Content, series_id: str, year: int | None, gate: Gate) -> list[Notice]:
    """The notices that disclose a round (`year`) or a fact (`year` None): the one it names
    (`notice:`) and, for a round, every notice that cites it (`evaluation: <series>/<year>`)."""
    named = content.notice_named(gate.notice)
    citing = [n for n in content.notices if year is not None and n.evaluation == f"{series_id}/{year}"]
    return ([named] if named else []) + [n for n in citing if n is not named]


def disclosed(content: Content, series_id: str, year: int | None, gate: Gate, today: dt.date) -> bool:
    """The disclosure rule: a round's results or a fact are public on `today` only when they are
    public themselves and a notice that discloses them is too (grades are sensitive: a 不合格
    must not appear before the notice that announces it); one with no such notice follows its
    own status."""
    notices = disclosing_notices(content, series_id, year, gate)
    return public_on(gate, today) and (not notices or any(public_on(n, today) for n in notices))


def visible_evaluations(content: Content, today: dt.date, preview: bool) -> dict[str, EvaluationSeries]:
    """The rounds and facts the site may show (the disclosure rule above): every output — pages,
    search, feed, sitemap, PDFs, Word, statistics — is built from these (SiteModel.evaluations).
    The preview shows all."""
    if preview:
        return content.evaluations
    return {sid: ev.keeping(lambda year, gate, sid=sid: disclosed(content, sid, year, gate, today),
                            lambda gate, sid=sid: disclosed(content, sid, None, gate, today))
            for sid, ev in content.evaluations.items()}


def mark_undisclosed(histories: dict[str, list[CenterYear]], public: dict[str, EvaluationSeries]) -> None:
    """In the preview, which shows every round: mark the lines the public site leaves out on the
    same day (`public`: visible_evaluations of the public build), so an editor sees a grade is
    not yet disclosed instead of mistaking the preview for what readers see."""
    for center, lines in histories.items():
        for line in lines:
            ev = public.get(line.series)
            if ev is None:
                line.public = False
            elif line.open_years:
                line.public = any(f.center == center and f.grade == line.fact_grade for f in ev.facts)
            else:
                line.public = int(line.year) in ev.rounds


def _declared(series: dict, notice: Notice) -> list:
    """The figures the notice's round may carry: those of the round's series."""
    owner = series.get((notice.evaluation or "").partition("/")[0])
    return owner.figures if owner else []


def notice_views(content: Content, today: dt.date, preview: bool, evaluations: dict | None = None) -> list[NoticeView]:
    evaluations = visible_evaluations(content, today, preview) if evaluations is None else evaluations
    series = {s.id: s for s in content.series}
    registry = {c.id: c for c in content.centers}
    views = []
    for notice in content.notices:
        if not (preview or public_on(notice, today)):
            continue
        rnd = round_for(evaluations, notice.evaluation)
        body, _ = filled_notice_body(notice, rnd, registry, _declared(series, notice))
        annex = annex_rows(rnd, registry) if rnd and not rnd.partial else []
        views.append(NoticeView(notice, series[notice.series], body, rnd, annex,
                                _flagged(evaluations, notice, rnd, registry), public=public_on(notice, today),
                                opens=opens_on(notice)))
    views.sort(key=lambda v: (v.notice.date, v.doc_number), reverse=True)
    return views


def _flagged(evaluations: dict, notice: Notice, rnd: Round | None, registry: dict) -> list[FlaggedCenter]:
    if rnd is None:
        return []
    ev = evaluations[notice.evaluation.partition("/")[0]]
    flags = history_flags(list(ev.rounds.values()), ev.facts, rnd.year, ev.fail)
    grades = final_grades(rnd)
    out = []
    for center, grade in grades.items():
        texts = flag_texts(flags.get(center), ev.fail)
        if texts:
            out.append(FlaggedCenter(registry[center], grade, texts, rectification_text(rnd, grade)))
    return out


def center_histories(content: Content, notices: list[NoticeView],
                     evaluations: dict | None = None) -> dict[str, list[CenterYear]]:
    """center id → its grade in every round of its series, newest first; unknown years say so.
    `evaluations`: the visible rounds and facts (visible_evaluations), all of them by default."""
    by_round = {(v.round.year, v.series.id): v for v in notices if v.round}
    histories: dict[str, list[CenterYear]] = {}
    for series_id, ev in (content.evaluations if evaluations is None else evaluations).items():
        rounds = sorted(ev.rounds.values(), key=lambda r: r.year, reverse=True)
        centers = {c for r in rounds for c in final_grades(r)} | {f.center for f in ev.facts}
        flags_in = {r.year: history_flags(list(ev.rounds.values()), ev.facts, r.year, ev.fail)
                    for r in rounds}  # once per year, not per center
        for center in sorted(centers):
            lines = []
            for rnd in rounds:
                grade = final_grades(rnd).get(center)
                notice = by_round.get((rnd.year, series_id))
                flags = flags_in[rnd.year].get(center)
                lines.append(CenterYear(str(rnd.year), grade or UNPUBLISHED_GRADE, notice,
                                        flag_texts(flags, ev.fail) if grade else [],
                                        rectification_text(rnd, grade) if grade else None,
                                        series_id, rnd.partial))
            for fact in ev.facts:
                if fact.center == center and not any(
                        final_grades(ev.rounds[y]).get(center) == fact.grade for y in fact.years if y in ev.rounds):
                    years = " 或 ".join(str(y) for y in fact.years)
                    lines.append(CenterYear(years, f"{fact.grade}（具体年度未公布）", series=series_id,
                                            open_years=tuple(fact.years), fact_grade=fact.grade))
            histories[center] = lines
    return histories
