"""A panel's score sheet → rows of scores by the scheme's areas (recognition only; no files).

Panels put a title row (or several) above the header, may split the header over two rows
(评估内容 merged above the area names), write the areas in their own words ("组织管理（20分）",
"配合卫生健康主管部门开展工作情况") and add columns the round does not keep (序号, 挂靠单位, 排名,
等次). The header is the row among the first ones that names the most known columns; each area is
mapped to the column that names it (exactly, contained, or closest), 加分 and 总分 by their usual
words. Every cell is kept as written (Decimal, decimals kept); what cannot be read is said by
sheet and row ("评分汇总 第42行"), never guessed.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .read_sheet import Sheet, Workbook

HEADER_ROWS = 15  # the header is among the first rows (title, date, unit lines above it)
NAME_WORDS = ("质控中心名称", "中心名称", "单位名称", "被评估单位", "评估对象", "质控中心", "名称", "单位", "中心")
NOT_NAME = re.compile(r"挂靠|依托|所在|医院|主任|负责人|联系")
BONUS = re.compile(r"加分")
TOTAL = re.compile(r"^(总分|合计|总计|得分|总得分|总成绩|综合得分|最终得分|得分合计|合计得分|评估得分|考核得分)$")
# Columns a round does not keep: never mapped to an area by likeness (only by the area's exact name).
IGNORED = re.compile(r"序号|编号|排名|名次|等次|等级|评估结果|备注|说明|挂靠单位|依托单位|医院|主任|负责人|类别|地区")
SUMMARY_ROW = re.compile(r"^(合计|总计|平均|平均分|均值|小计)$")
BRACKETS = re.compile(r"[（(\[【][^）)\]】]*[）)\]】]")
MAX_IN_HEADER = re.compile(r"(\d+(?:\.\d+)?)\s*分")
NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


@dataclass
class Column:
    index: int
    header: str  # as written
    kind: str  # name | area | bonus | total | ignored
    area: str | None = None
    max: Decimal | None = None  # "（20分）" in the header
    how: str = ""  # how an area was recognised, when not by its exact name


@dataclass
class ScoreRow:
    where: str  # "评分汇总 第42行"
    name: str
    scores: dict[str, Decimal] = field(default_factory=dict)
    bonus: Decimal | None = None
    total: Decimal | None = None
    cell_problems: list[str] = field(default_factory=list)  # blank or unreadable cells

    @property
    def has_numbers(self) -> bool:
        return bool(self.scores) or self.bonus is not None or self.total is not None


@dataclass
class ScoreTable:
    sheet: str
    header_row: int  # 1-based, as the spreadsheet numbers it
    columns: list[Column]
    rows: list[ScoreRow] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # rows not taken, with why (by row)
    other_sheets: list[str] = field(default_factory=list)

    def column(self, kind: str) -> Column | None:
        return next((c for c in self.columns if c.kind == kind), None)


def norm_header(text: object) -> str:
    flat = unicodedata.normalize("NFKC", str(text or ""))
    return re.sub(r"\s+", "", BRACKETS.sub("", flat))


def header_max(text: object) -> Decimal | None:
    m = MAX_IN_HEADER.search(unicodedata.normalize("NFKC", str(text or "")))
    return Decimal(m.group(1)) if m else None


def classify(headers: list[str], areas: list[str]) -> list[Column]:
    """The columns of a header row: which is the name, each area, 加分, 总分 (each taken once)."""
    columns = [Column(i, str(h or ""), "ignored") for i, h in enumerate(headers)]
    keys = [norm_header(h) for h in headers]
    named = [c for c in columns if keys[c.index]]
    name_col = _name_column(named, keys)
    if name_col is not None:
        name_col.kind = "name"
    for c in named:
        if c.kind != "ignored":
            continue
        if BONUS.search(keys[c.index]):
            c.kind = "bonus" if all(x.kind != "bonus" for x in columns) else "ignored"
        elif TOTAL.match(keys[c.index]):
            c.kind = "total" if all(x.kind != "total" for x in columns) else "ignored"
    free = [c for c in named if c.kind == "ignored"]
    for area in areas:  # exact names first, so that a likeness never takes another area's column
        column = next((c for c in free if keys[c.index] == norm_header(area)), None)
        if column is not None:
            _take(column, area, "", free)
    for area in areas:
        if any(c.area == area for c in columns):
            continue
        column, how = _area_column(area, [c for c in free if not IGNORED.search(keys[c.index])], keys)
        if column is not None:
            _take(column, area, how, free)
    return columns


def _take(column: Column, area: str, how: str, free: list[Column]) -> None:
    column.kind, column.area, column.how = "area", area, how
    column.max = header_max(column.header)
    free.remove(column)


def _name_column(named: list[Column], keys: list[str]) -> Column | None:
    for word in NAME_WORDS:
        for c in named:
            key = keys[c.index]
            if key == word or (word in ("质控中心", "中心") and key.endswith(word) and not NOT_NAME.search(key)):
                return c
    return None


def _area_column(area: str, free: list[Column], keys: list[str]) -> tuple[Column | None, str]:
    want = norm_header(area)
    for c in free:
        key = keys[c.index]
        if len(key) >= 2 and (want in key or key in want):
            return c, f"表头“{c.header}”按包含关系对应“{area}”"
    close = difflib.get_close_matches(want, [keys[c.index] for c in free], n=1, cutoff=0.6)
    if close:
        c = next(c for c in free if keys[c.index] == close[0])
        return c, f"表头“{c.header}”按相近的名称对应“{area}”"
    return None, ""


def _header_cells(sheet: Sheet, index: int) -> list[str]:
    """Row `index`'s cells, a blank one taken from the row above (a header merged over two rows)."""
    row = sheet.rows[index]
    above = sheet.rows[index - 1] if index else []
    return [str(cell) if str(cell).strip() else str(above[i]) if i < len(above) else ""
            for i, cell in enumerate(row)]


def _header_score(columns: list[Column]) -> int:
    kinds = [c.kind for c in columns]
    if "name" not in kinds or not ({"area", "total"} & set(kinds)):
        return 0
    return sum(k in ("name", "area", "bonus", "total") for k in kinds)


def find_table(book: Workbook, areas: list[str]) -> ScoreTable | None:
    """The sheet and header row that name the most of the scheme's columns, with its rows read."""
    best: tuple[int, Sheet, int, list[Column]] | None = None
    seen: list[str] = []
    for sheet in book.sheets:
        seen.append(sheet.name)
        for index in range(min(HEADER_ROWS, len(sheet.rows))):
            columns = classify(_header_cells(sheet, index), areas)
            score = _header_score(columns)
            if score and (best is None or score > best[0]):
                best = (score, sheet, index, columns)
    if best is None:
        return None
    _, sheet, index, columns = best
    table = ScoreTable(sheet.name, index + 1, columns, other_sheets=[s for s in seen if s != sheet.name])
    for number, cells in enumerate(sheet.rows[index + 1:], index + 2):
        _read_row(table, cells, f"{sheet.name} 第{number}行")
    return table


def _read_row(table: ScoreTable, cells: list[object], where: str) -> None:
    def cell(column: Column | None) -> object:
        return cells[column.index] if column is not None and column.index < len(cells) else ""

    if all(_blank(c) for c in cells):
        return
    name = readable(str(cell(table.column("name"))))
    row = ScoreRow(where, name)
    for column in table.columns:
        if column.kind not in ("area", "bonus", "total"):
            continue
        value, problem = read_number(cell(column))
        label = column.area or column.header
        if value is not None:
            if column.kind == "area":
                row.scores[column.area] = value
            else:
                setattr(row, column.kind, value)
        elif problem and not (column.kind != "area" and problem == "空白"):  # no bonus, no total: fine
            row.cell_problems.append(f"“{label}”{problem}")
    if not name:
        if row.has_numbers:
            table.skipped.append(f"{where}：有分数但没有中心名称，没有导入")
        return
    if SUMMARY_ROW.match(re.sub(r"\s+", "", name)):
        table.skipped.append(f"{where}：“{name}”是汇总行，没有导入")
        return
    if not row.has_numbers:
        table.skipped.append(f"{where}：“{name[:40]}”没有任何分数，没有导入")
        return
    table.rows.append(row)


def readable(text: str) -> str:
    """One line without control or format characters (they would reach a YAML comment and the report)."""
    flat = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf") or ch in "\t\n\r")
    return re.sub(r"\s+", " ", flat).strip()


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_number(value: object) -> tuple[Decimal | None, str]:
    """(the number as written, '') or (None, what is wrong with the cell)."""
    if isinstance(value, bool) or isinstance(value, dt.date | dt.time | dt.timedelta):
        return None, f"写的是“{value}”，不是分数"
    if isinstance(value, int):
        return Decimal(value), ""
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None, "不是有限的数"
        return Decimal(format(value, ".15g")), ""  # Excel keeps 15 digits: 85.69999999999999 is 85.7
    text = unicodedata.normalize("NFKC", str(value or "")).strip().removesuffix("分").strip()
    if not text:
        return None, "空白"
    if NUMBER.match(text):
        try:
            return Decimal(text), ""
        except InvalidOperation:
            pass
    shown = str(value) if len(str(value)) <= 20 else str(value)[:20] + "…"
    return None, f"写的是“{shown}”，不是数字"
