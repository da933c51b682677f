"""Print room, spreadsheet side: a notice's generated annex also as an .xlsx beside its PDF and Word
file, for the commission's web page and for offices that work in Excel or WPS.

Same rows and columns as the printed annex (the notice's `annex_columns`, the rows assemble gave
the view: gated there, never re-decided here): the annex title above, the header row styled and
frozen, 序号 / 得分 / 排名 as numbers, column widths from the longest cell. Deterministic: the
document properties carry the notice's date (openpyxl's `save` would stamp the clock, so the
writer is called directly) and the zip entries the fixed timestamp of the Word files
(`word.stable_zip`), so two builds give identical bytes. Cached like the Word files, by a hash of
the data and this code.

`render_annex_sheets(site, root)` returns ({docs-relative path: cached file}, {document url: [its
Download]}) like `render_pdfs` and `render_docx`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import zipfile
from decimal import Decimal, InvalidOperation
from importlib import metadata
from pathlib import Path

from generator.print.word import stable_zip
from generator.render.pages import Download

CACHE_DIR = Path("build") / "xlsx-cache"
NUMERIC = {"序号", "得分", "排名"}
SHEET_TITLE = "附件"


def annex_rel_path(view) -> str:
    """Beside the PDF and the Word file, in the notice page's folder."""
    return f"{view.url}{view.url.strip('/').replace('/', '-')}-annex.xlsx"


def annex_data(view) -> dict:
    title = view.attachments[0] if view.attachments else f"{view.title}（附件）"
    return {"title": title, "columns": list(view.annex_columns), "date": view.date.isoformat(),
            "author": view.signer, "subject": view.doc_number,
            "rows": [[row.cell(c) for c in view.annex_columns] for row in view.annex]}


def _value(column: str, text: str):
    """Numbers as numbers (a spreadsheet sorts and sums them); everything else as written."""
    if column in NUMERIC and text:
        try:
            number = Decimal(text)
        except InvalidOperation:
            return text
        return int(number) if number == number.to_integral_value() else number
    return text


def append_inert(ws, values: list) -> None:
    """A row whose text stays text: openpyxl stores any string that starts with "=" as a formula,
    so a center or host named "=HYPERLINK(…)" would become a live formula in the published file."""
    ws.append(values)
    for cell in ws[ws.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def _width(text: str) -> float:
    """Display width in Excel's character units: a CJK character is about two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(text))


def annex_workbook(d: dict):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    book = Workbook()
    ws = book.active
    ws.title = SHEET_TITLE
    columns = d["columns"]
    append_inert(ws, [d["title"]])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 28
    append_inert(ws, columns)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = border
    for row in d["rows"]:
        append_inert(ws, [_value(c, text) for c, text in zip(columns, row)])
        for j, cell in enumerate(ws[ws.max_row]):
            cell.border = border
            cell.alignment = Alignment(horizontal="left" if columns[j] in ("质控中心", "挂靠单位") else "center",
                                       vertical="center")
    for j, column in enumerate(columns, start=1):
        longest = max([_width(column), *(_width(row[j - 1]) for row in d["rows"])])
        ws.column_dimensions[ws.cell(2, j).column_letter].width = min(longest + 4, 80)
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"  # the header repeats on every printed page, as in the PDF annex
    when = dt.datetime.combine(dt.date.fromisoformat(d["date"]), dt.time())
    props = book.properties
    props.created = props.modified = when
    props.title, props.creator, props.subject = d["title"], d["author"], d["subject"]
    props.lastModifiedBy = d["author"]
    return book


def xlsx_bytes(d: dict) -> bytes:
    from openpyxl.writer.excel import ExcelWriter

    buffer = io.BytesIO()
    archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)
    ExcelWriter(annex_workbook(d), archive).save()  # not openpyxl.save_workbook: it stamps `modified` now
    return stable_zip(buffer.getvalue())


def code_version() -> str:
    h = hashlib.sha256(metadata.version("openpyxl").encode())
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()


def render_annex_sheets(site, root: Path) -> tuple[dict[str, Path], dict[str, list[Download]]]:
    cache = root / CACHE_DIR
    version = code_version()
    files, downloads, keep = {}, {}, set()
    for view in site.notices:
        if not view.annex:
            continue  # no generated annex (a partial round, or none): nothing to offer
        data = annex_data(view)
        key = hashlib.sha256((version + json.dumps(data, ensure_ascii=False, sort_keys=True)).encode()).hexdigest()
        path = cache / f"{key}.xlsx"
        if not path.exists():
            cache.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f"{path.name}.{os.getpid()}.part")
            partial.write_bytes(xlsx_bytes(data))
            os.replace(partial, path)
        rel = annex_rel_path(view)
        keep.add(path.name)
        files[rel] = path
        downloads[view.url] = [Download(rel, "Excel", path.stat().st_size, what="附件")]
    for old in cache.glob("*.xlsx") if cache.is_dir() else []:  # the cache holds one build's worth
        if old.name not in keep:
            old.unlink(missing_ok=True)
    return files, downloads
