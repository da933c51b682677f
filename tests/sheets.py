"""Score sheets as evaluation panels send them, built from a project's registry and latest round
(no binary fixtures): a title row over the header, areas written in the panel's words, names as
panels write them, decimals, one center the registry does not know, one total that is wrong."""
from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from generator.load.content import load_registry
from generator.load.evaluations import read_round

UNKNOWN = "广西医学美容专业质控中心"  # no such center in the demo registry
WRONG_TOTAL_ROW = 10  # index among the data rows whose 总分 is one point off
UNKNOWN_ROW = 20
TITLE = "2025年度自治区级医疗质量控制中心工作评估评分汇总表"
BASE = [Decimal("18"), Decimal("17"), Decimal("16.5"), Decimal("15"), Decimal("14"), Decimal("8.5")]


def written_as_panels_do(center, i: int) -> str:
    forms = [
        center.name,
        center.name.replace("医疗质量控制中心", "医疗质控中心"),
        f"自治区{center.short_name}质控中心",
        center.name.replace("广西", "广西壮族自治区", 1),
        center.name.replace("专业", ""),
        f"{center.name[:2]} {center.name[2:]}",
    ]
    return forms[i % len(forms)]


def panel_rows(root: Path, series: str = "guangxi-notices", year: int = 2024) -> tuple[list[str], list[list]]:
    """(header, rows) of a panel sheet for the centers of `series`' round `year`, in its order."""
    _rnd, _src, f = read_round(root / "content" / "evaluations" / series / f"{year}.yml", root)
    centers = {c.id: c for c in load_registry(root).centers}
    areas = [a.name for a in f.scheme.areas]
    header = ["序号", "质控中心", "挂靠单位"]
    header += [f"{a}（20分）" if i == 0 else a.replace("开展工作", "开展工作情况") for i, a in enumerate(areas)]
    header += ["加分", "总分", "等次"]
    rows = []
    for i, result in enumerate(f.results):
        center = centers[result.center]
        scores = [BASE[0] - Decimal(i % 7) / 2, BASE[1] - (i % 3), *BASE[2:len(areas)]]
        bonus = Decimal(i % 4) / 2
        total = sum(scores, Decimal(0)) + bonus + (1 if i == WRONG_TOTAL_ROW else 0)
        name = UNKNOWN if i == UNKNOWN_ROW else written_as_panels_do(center, i)
        rows.append([i + 1, name, center.host or "", *scores, bonus, total, ""])
    return header, rows


def as_xlsx(path: Path, header: list[str], rows: list[list], sheet: str = "评分汇总", title: str = TITLE) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append([])
    ws.append(header)
    for row in rows:
        ws.append([float(v) if isinstance(v, Decimal) else v for v in row])
    notes = book.create_sheet("说明")
    notes.append(["本表由评估专家组填写"])
    book.save(path)
    return path


def as_csv(path: Path, header: list[str], rows: list[list], encoding: str = "gb18030", title: str = TITLE) -> Path:
    """As Excel on Chinese Windows saves "CSV (逗号分隔)": GB18030, CRLF, the title in the first cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([title] + [""] * (len(header) - 1))
    writer.writerow(header)
    writer.writerows([[str(v) for v in row] for row in rows])
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def as_ods(path: Path, header: list[str], rows: list[list], sheet: str = "评分汇总", title: str = TITLE) -> Path:
    """A minimal OpenDocument spreadsheet, as LibreOffice or WPS would save the same table."""
    def cell(v) -> str:
        if isinstance(v, (int, Decimal)):
            return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p></table:table-cell>'

    body = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>"
                   for row in [[title], [], header, *rows])
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="{escape(sheet)}">{body}'
        "</table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content)
    return path
