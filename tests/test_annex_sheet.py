"""A notice's generated annex is also published as .xlsx, linked beside its PDF and Word files:
the printed annex's rows and columns, numbers as numbers, styled header, widths set, and the same
bytes from two builds (document dates from the notice, fixed zip timestamps)."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from generator.print.annex_sheet import annex_workbook, xlsx_bytes

DATA = Path(__file__).parent / "data"
NOTICE = Path("guangxi-notices") / "2025-15"


def annex_expected() -> list[tuple[str, str]]:
    with (DATA / "guangxi_annex.tsv").open(encoding="utf-8") as f:
        return [(row["质控中心"], row["评估结果"]) for row in csv.DictReader(f, delimiter="\t")]


def test_built_notice_links_its_annex_as_xlsx_with_the_39_rows(built_demo):
    site = built_demo / "site"
    page = (site / NOTICE / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)" download[^>]*>下载(\S*) (PDF|Word|Excel) 版（([\d.]+ [KM]B)）', page)
    assert [(what, label) for _, what, label, _ in links] == [("", "PDF"), ("", "Word"), ("附件", "Excel")]
    href = links[2][0]
    assert href.endswith("-annex.xlsx")
    path = (site / NOTICE / "index.html").parent / href
    assert path.resolve().is_file(), href
    book = load_workbook(path.resolve())
    ws = book.active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "2024年度自治区级（西医类）医疗质量控制中心评估结果"  # the annex title, as printed
    assert list(rows[1]) == ["序号", "质控中心", "评估结果", "挂靠单位"]
    body = rows[2:]
    assert len(body) == 39
    assert [(r[1], r[2]) for r in body] == annex_expected()
    assert [r[0] for r in body] == list(range(1, 40))  # numbers, not text
    assert all(r[3] for r in body)  # every host printed
    assert ws["A2"].font.bold and ws["A2"].fill.fgColor.rgb.endswith("D9D9D9")
    assert ws.column_dimensions["B"].width > ws.column_dimensions["A"].width > 0
    assert ws.freeze_panes == "A3"
    # the file's own date is the notice's, not the build's
    assert book.properties.created == dt.datetime(2025, 8, 25) == book.properties.modified
    # the page's annex table lists the same centers in the same order
    table = page.split('class="zk-annex__table"')[1]
    names = re.findall(r'<td><a href="[^"]*centers/[^"]*">([^<]+)</a></td>', table)
    assert names == [r[1] for r in body]


DATA_ROWS = {"title": "附件标题", "columns": ["序号", "质控中心", "得分", "排名", "评估结果"], "date": "2025-08-25",
             "author": "某某委员会办公室", "subject": "某卫发〔2025〕1号",
             "rows": [["1", "甲质控中心", "95.5", "1", "优秀"], ["2", "乙质控中心", "88", "2", "合格"]]}


def test_scores_and_ranks_are_numbers_and_decimals_stay():
    ws = annex_workbook(DATA_ROWS).active
    assert [c.value for c in ws[3]] == [1, "甲质控中心", 95.5, 1, "优秀"]
    assert ws.cell(3, 3).data_type == "n" and ws.cell(4, 3).value == 88


def test_bytes_do_not_depend_on_the_clock():
    data = xlsx_bytes(DATA_ROWS)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert core.count("2025-08-25T00:00:00Z") == 2 and str(dt.date.today().year) + "-" not in core.replace("2025-08-25", "")
    assert xlsx_bytes(DATA_ROWS) == data
