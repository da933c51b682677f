"""Import a panel's score sheet into an evaluation round: read → find the table → match centers →
write `content/evaluations/<series>/<year>.yml` (status: review) or, with `--merge`, add the scores
to the round that exists (merge.py) → report by sheet and row.

The scheme comes from the series' latest round that has one (a partial round may have none), or
from `--scheme-from YYYY`; the round being merged keeps its own when it has one. Nothing is
corrected: a total that disagrees with its areas plus bonus is written as the panel wrote it and
reported, so `check` holds the round until an editor decides.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from generator.load.evaluations import YEAR_FILE, read_round
from generator.problems import ContentError, Problem, UsageError

from .centers import UNSURE, CenterMatcher
from .read_sheet import read_workbook
from .report import Report
from .round_lines import Placed, SchemeSource, result_line
from .scores import ScoreRow, ScoreTable, find_table
from .write import Written


class NothingToImport(ContentError):
    """The workbook holds no score table: exit 1, nothing written."""

    def report(self, debug: bool = False) -> str:
        return "\n".join([p.format() for p in self.problems] + ["什么也没有写。"])


def import_sheet(root: Path, source: Path, series, year: int, content, scheme_from: int | None = None,
                 merge: bool = False) -> Report:
    folder = f"content/evaluations/{series.id}"
    round_rel = f"{folder}/{year}.yml"
    exists = (root / round_rel).exists()
    if exists and not merge:
        raise UsageError(f"{round_rel} 已存在，导入不会覆盖；要把表中的分数加进这个年度的结果，加上 --merge"
                         "（只给对得上的中心加分数，其余内容不动，并列出每一处改动）")
    scheme = _scheme(root, folder, year, scheme_from, own=exists)
    book = read_workbook(source)
    if not any(sheet.rows for sheet in book.sheets):
        raise NothingToImport([Problem(source.name, None, "工作簿是空的（没有任何可见工作表有内容）",
                                       "确认选对了文件；评分汇总表应有表头行（质控中心、各项评估内容、加分、总分）和每个中心一行")])
    table = find_table(book, [a.name for a in scheme.areas])
    if table is None or not table.rows:
        raise NothingToImport([_no_table(source, book, table, scheme)])
    report = Report(f"导入评分表 {source.name}（工作表“{table.sheet}”，表头在第{table.header_row}行）→ {round_rel}")
    report.encoding = book.encoding
    _report_columns(report, table, scheme, book.hidden)
    matcher = CenterMatcher(content.centers)
    placed = _place(table, matcher, series, scheme, report)
    if exists:
        from .merge import merge_scores
        merge_scores(root, round_rel, placed, scheme, report, matcher)
    else:
        written = Written(root)
        written.create(round_rel, round_text(year, source, table, scheme, placed, matcher))
        report.created = written.created
    sure = sum(1 for p in placed if p.center)
    report.summary = (f"{len(placed)} 行分数，其中 {sure} 行认出了质控中心；评分方案取自 {scheme.year} 年度（{scheme.rel}）。")
    return report


def _scheme(root: Path, folder: str, year: int, scheme_from: int | None, own: bool) -> SchemeSource:
    rounds = sorted((int(m.group(1)) for p in (root / folder).glob("*.yml") if (m := YEAR_FILE.match(p.name))),
                    reverse=True) if (root / folder).is_dir() else []
    if scheme_from is not None:
        if scheme_from not in rounds:
            raise UsageError(f"--scheme-from {scheme_from}：没有 {folder}/{scheme_from}.yml；已有年度："
                             + ("、".join(map(str, rounds)) or "无"))
        order = [scheme_from]
    else:
        order = ([year] if own else []) + [y for y in rounds if y != year]
    for y in order:
        rel = f"{folder}/{y}.yml"
        _rnd, src, f = read_round(root / rel, root)
        if f is None:
            if scheme_from is not None or y == year:
                raise UsageError(f"{rel} 有错误，读不出评分方案；先运行 bulletin check 改正它")
            continue
        if f.scheme is not None:
            return SchemeSource(y, rel, f.scheme.areas, f.scheme, scheme_block(src.path.read_text(encoding="utf-8-sig")))
        if scheme_from is not None:
            raise UsageError(f"{rel} 没有评分方案（scheme），不能作为 --scheme-from；请换一个写有 scheme 的年度")
    raise UsageError(f"系列 {folder.rsplit('/', 1)[-1]} 还没有写有评分方案（scheme）的评估年度：先按 docs/CONTENT.md "
                     f"写好一个年度的 scheme（评估内容、满分、等次规则），或用 --scheme-from 年份 指定")


def scheme_block(text: str) -> str:
    """The `scheme:` block of a round file as written: to its last indented line, comments kept."""
    lines = text.replace("\r\n", "\n").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("scheme:"))
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end][0] in " \t#"):
        end += 1
    block = lines[start:end]
    while block and (not block[-1].strip() or block[-1].startswith("#")):
        block.pop()  # comments at the margin before the next key belong to that key
    return "\n".join(block)


def _no_table(source: Path, book, table: ScoreTable | None, scheme: SchemeSource) -> Problem:
    areas = "、".join(a.name for a in scheme.areas) or "（方案没有列出评估内容）"
    if table is not None:
        return Problem(source.name, None, f"工作表“{table.sheet}”第{table.header_row}行是表头，但下面没有一行带分数的质控中心",
                       "每个中心一行：中心名称和各项分数（或总分）")
    sheets = "、".join(f"“{s.name}”" for s in book.sheets) or "无"
    return Problem(source.name, None, f"在工作表 {sheets} 的前 15 行里没有找到表头行（要有“质控中心”或“中心名称”一列，"
                   "以及评估内容或“总分”列）",
                   f"表头写成：序号、质控中心、{areas}、加分、总分（标题行写在表头上面没关系）")


def _report_columns(report: Report, table: ScoreTable, scheme: SchemeSource, hidden: list[str]) -> None:
    for column in table.columns:
        if column.how:
            report.note("", column.how)
    mapped = {c.area for c in table.columns if c.kind == "area"}
    for area in scheme.areas:
        if area.name not in mapped:
            report.note("", f"评分方案中的“{area.name}”在表中没有对应的列：这一项没有分数")
        column = next((c for c in table.columns if c.area == area.name), None)
        if column and column.max is not None and area.max is not None and column.max != area.max:
            report.note("", f"表头“{column.header}”写的满分 {column.max} 与评分方案的 {area.max} 不同，按方案检查")
    kept = {"name", "area", "bonus", "total"}
    ignored = [c.header for c in table.columns if c.kind not in kept and c.header.strip()]
    if ignored:
        report.note("", "以下列没有导入（评估结果只记各项得分、加分和总分；等次由得分按方案计算）：" + "、".join(ignored))
    if table.column("total") is None:
        report.note("", "表中没有“总分”列：总分将由各项得分加加分计算")
    for name in table.other_sheets:
        report.note("", f"工作表“{name}”没有读取（评分表在“{table.sheet}”）")
    for name in hidden:
        report.note("", f"隐藏的工作表“{name}”没有读取")
    for line in table.skipped:
        report.note("", line)


def _place(table: ScoreTable, matcher: CenterMatcher, series, scheme: SchemeSource, report: Report) -> list[Placed]:
    placed = []
    check = RowCheck(matcher, scheme, table, report)
    for row in table.rows:
        m = matcher.match(row.name, series.publisher or "", abbreviations=True)
        placed.append(Placed(row, m.center, m.candidates))
        if not m.sure:
            cands = "、".join(matcher.label(c) for c in m.candidates) or "无（名录里没有相近的中心，请先在 content/centers/ 登记）"
            report.pending.append(f"{row.where}“{row.name}”：名录中没有这个质控中心，写成 center: {UNSURE}；最接近的：{cands}")
        elif m.abbreviated:
            report.note("", f"{row.where}“{row.name}”按简称认作 {matcher.label(m.center)}，请核对")
        for problem in row.cell_problems:
            report.note("", f"{row.where}“{row.name}”：{problem}，没有写入")
        total = row.total if row.total is not None else computed_total(row)
        report.lines.append(f"{row.where} {row.name} → {matcher.label(m.center) if m.center else UNSURE}；总分 {total}")
        check(placed[-1])
    return placed


def computed_total(row: ScoreRow) -> Decimal:
    return sum(row.scores.values(), Decimal(0)) + (row.bonus or 0)


class RowCheck:
    """What `check` would refuse or an editor must see in a row: totals, maxima, duplicates, center status."""

    def __init__(self, matcher: CenterMatcher, scheme: SchemeSource, table: ScoreTable, report: Report):
        self.matcher, self.scheme, self.report = matcher, scheme, report
        self.seen: dict[str, str] = {}
        self.maxima = {c.area: c.max for c in table.columns if c.kind == "area" and c.max is not None}
        self.maxima.update({a.name: a.max for a in scheme.areas if a.max is not None})
        self.areas = [a.name for a in scheme.areas]

    def __call__(self, p: Placed) -> None:
        row, at, pending = p.row, f"{p.row.where}“{p.row.name}”", self.report.pending
        if row.total is not None and row.scores and all(a in row.scores for a in self.areas):
            if computed_total(row) != row.total:
                pending.append(f"{at}：总分 {row.total} 与各项得分加加分之和 {computed_total(row)} 不符"
                               "（按表中写的导入，没有改动；请核对后改正，bulletin check 会一直报这个错）")
        for area, value in row.scores.items():
            if area in self.maxima and value > self.maxima[area]:
                pending.append(f"{at}：“{area}”得分 {value} 超过该项满分 {self.maxima[area]}")
            if value < 0:
                pending.append(f"{at}：“{area}”得分 {value} 是负数")
        if row.bonus is not None and row.bonus > self.scheme.file.bonus_max:
            pending.append(f"{at}：加分 {row.bonus} 超过加分上限 {self.scheme.file.bonus_max}")
        total = row.total if row.total is not None else computed_total(row)
        if total > self.scheme.file.total_max:
            pending.append(f"{at}：总分 {total:f} 超过满分 {self.scheme.file.total_max}")
        if p.center is None:
            return
        if p.center in self.seen:
            pending.append(f"{at}：与{self.seen[p.center]}是同一个质控中心 {self.matcher.label(p.center)}，"
                           "两行都已写入；请删掉多余的一行")
        self.seen.setdefault(p.center, row.where)
        status = self.matcher.centers[p.center].status
        if status != "active":
            pending.append(f"{at}：{self.matcher.label(p.center)} 在名录中的状态是“{status}”，不参加评估，"
                           "bulletin check 不接受它的评估结果；请删掉这一行，或先改名录")


def round_text(year: int, source: Path, table: ScoreTable, scheme: SchemeSource, placed: list[Placed],
               matcher: CenterMatcher) -> str:
    lines = [
        f"# {year} 年度评估：由评分表 {source.name}（工作表“{table.sheet}”）导入，待审核；"
        f"评分方案抄自 {scheme.year} 年度（{scheme.rel}），请按本年度的评估方案核对",
        f"year: {year}",
        "status: review",
        "partial: false",
        scheme.text,
        "# 评估结果，按评分表的顺序；等次由得分按方案计算",
        "results:",
        *(result_line(p, matcher) for p in placed),
    ]
    return "\n".join(lines) + "\n"
