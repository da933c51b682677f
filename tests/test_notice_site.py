"""The demo notice 桂卫办发〔2025〕15号 as built: document, annex, generated sentence, history."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from htmltext import page, texts_of_class, visible_text

NOTICE = "guangxi-notices/2025-15"
ANNEX = [line.split("\t") for line in
         (Path(__file__).parent / "data" / "guangxi_annex.tsv").read_text(encoding="utf-8").splitlines()[1:]]
FAILING = {
    "gx-gastroenterology": ("广西消化内科专业医疗质量控制中心", "连续 2 年评估不合格"),
    "gx-comprehensive-intervention": ("广西综合介入技术医疗质量控制中心", "连续 2 年评估不合格"),
    "gx-hematology": ("广西血液内科专业医疗质量控制中心", "连续 2 年评估不合格"),
    "gx-organ-transplant": ("广西人体器官移植技术医疗质量控制中心", "近 3 年评估中有 2 次不合格"),
}


@pytest.fixture(scope="module")
def html(built_demo) -> str:
    return page(built_demo / "site", NOTICE)


def annex_rows(html: str) -> list[list[str]]:
    table = html[html.index('class="zk-annex__table"'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    return [[visible_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] for row in rows]


def test_notice_page_reads_like_the_document(html):
    assert texts_of_class(html, "zk-official__docno") == ["桂卫办发〔2025〕15号"]
    assert texts_of_class(html, "zk-official__title") == [
        "自治区卫生健康委办公室关于2024年度自治区级（西医类）医疗质量控制中心工作评估有关情况的通报"]
    assert texts_of_class(html, "zk-official__addressees") == ["各市卫生健康委，区直各医疗机构，各自治区级医疗质量控制中心："]
    assert texts_of_class(html, "zk-official__signer") == ["广西壮族自治区卫生健康委员会办公室"]
    assert texts_of_class(html, "zk-official__date") == ["2025年8月25日"]
    assert texts_of_class(html, "zk-official__note") == ["（公开前需经政府信息公开审查）"]
    assert "附件：2024年度自治区级（西医类）医疗质量控制中心评估结果" in texts_of_class(html, "zk-official__attachments")[0]
    issuer = "".join(texts_of_class(html, "zk-official__issuer")).replace(" ", "")
    assert issuer == "广西壮族自治区卫生健康委员会办公室文件"


def test_metadata_block_as_government_sites_show_it(html):
    meta = texts_of_class(html, "zk-meta")[0]
    for label, value in [("发文机关", "广西壮族自治区卫生健康委员会办公室"), ("发文字号", "桂卫办发〔2025〕15号"),
                         ("成文日期", "2025年8月25日"), ("发布日期", "2025年8月25日")]:
        assert f"{label} {value}" in meta


def test_annex_holds_all_39_rows_exactly(html):
    assert annex_rows(html) == ANNEX
    assert len(ANNEX) == 39


def test_body_grade_sentence_agrees_with_the_annex(html):
    body = texts_of_class(html, "zk-official__body")[0]
    assert "{{" not in body
    sentence = re.search(r"其中，(.*?)（详见附件）。", body).group(1)
    groups = dict(re.match(r"(.*)质控中心为(.*)", part).groups()[::-1]
                  for part in sentence.split("；") if not part.startswith("其余"))
    for grade, names in groups.items():
        listed = [row[1] for row in ANNEX if row[2] == grade]
        assert len(names.split("、")) == len(listed), grade
    assert sentence.endswith("其余为合格")
    assert groups["优秀"] == "护理、临床检验、医院感染管理、病案管理"
    assert groups["不合格"] == "血液内科、消化内科、人体器官移植技术、综合介入技术"


def test_history_flags_of_the_four_failing_centers(html):
    block = html[html.index('class="zk-flags"'):]
    items = [visible_text(li) for li in re.findall(r"<li>(.*?)</li>", block[:block.index("</aside>")], re.S)]
    assert len(items) == 4
    for name, flag in FAILING.values():
        [item] = [i for i in items if i.startswith(name + "：")]
        assert "2024年度不合格" in item and flag in item and "须9月底前" in item and "整改报告" in item
    assert "连续 2 年评估不合格" not in next(i for i in items if i.startswith("广西人体器官移植"))


def test_failing_centers_pages_show_their_history(built_demo):
    for center, (_, flag) in FAILING.items():
        text = visible_text(page(built_demo / "site", f"centers/{center}"))
        assert "历年评估结果" in text
        assert "2024 不合格" in text and flag in text, center
    transplant = visible_text(page(built_demo / "site", "centers/gx-organ-transplant"))
    assert "2022 或 2023 不合格（具体年度未公布）" in transplant
    assert "2023 未公布" in transplant  # a partial round never turns into an invented grade
    gastro = visible_text(page(built_demo / "site", "centers/gx-gastroenterology"))
    assert "2023 不合格" in gastro


def test_notice_is_in_archive_home_and_nav(built_demo):
    site = built_demo / "site"
    assert "桂卫办发〔2025〕15号" in visible_text(page(site, "guangxi-notices"))
    recent = texts_of_class(page(site, ""), "zk-recent")[0]
    assert recent.index("通报 自治区卫生健康委办公室关于2024年度") < recent.index("简报 湖北医疗质控管理工作简报")  # newest first
    assert "桂卫办发〔2025〕15号" in page(site, "")
