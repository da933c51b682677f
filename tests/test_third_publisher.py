"""A third office adopts the product by writing content only.

tests/fixtures/third was written from docs/CONTENT.md alone: a monthly 期-numbered bulletin with
总第N期 and a 专刊, a quarterly city bulletin sharing a story slug with it, a 100-point notice with
a 基本合格 tier, 市级 centers in their own file, no 点评. It replaces the demo in a copy of the
project, and the whole build runs: every output prints the same period strings.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, REPO, copy_project
from pypdf import PdfReader

from generator.cli import main

THIRD = FIXTURES / "third"
MONTHLY = ("sc-bulletin/2025-07", "四川医疗质控工作简报", "2025年第7期（总第58期）")
JUNE = ("sc-bulletin/2025-06", "四川医疗质控工作简报", "2025年第6期（总第57期）")
SPECIAL = ("sc-bulletin/2025-zk1", "四川医疗质控工作简报", "“改善就医感受 提升患者体验”主题活动专刊")
CITY = ("cd-bulletin/2025-q2", "成都市医疗质控简报", "2025年第2季度")


@pytest.fixture(scope="module")
def third(tmp_path_factory) -> Path:
    """The demo project with its content replaced by the third publisher's, built."""
    root = copy_project(tmp_path_factory.mktemp("third") / "project")
    for name in ("content", "bulletins"):
        shutil.rmtree(root / name)
        shutil.copytree(THIRD / name, root / name)
    assert main(["--root", str(root), "check"]) == 0
    # The build runs as CI runs it, in its own process: its PDF and Word worker pools are then never
    # forked from a test process that other tests have filled with threads (a fork there can hang).
    build = subprocess.run([sys.executable, "-m", "generator", "--root", str(root), "build"],
                           capture_output=True, text=True, timeout=600,
                           env={**os.environ, "PYTHONPATH": str(REPO)})
    assert build.returncode == 0, build.stdout + build.stderr
    return root


def _text(path: Path) -> str:
    """Visible text of a page, tags dropped and entities kept as typed (the strings are plain)."""
    html = path.read_text(encoding="utf-8")
    return re.sub(r"<[^>]+>", "", html)


def _pdf_text(path: Path) -> str:
    # Extracted text, whitespace removed: works for any PDF engine (line breaks differ).
    return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in PdfReader(path).pages))


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("issue", [MONTHLY, JUNE, CITY])
def test_numbered_issues_print_their_period_on_web_pdf_feed_and_nav(third, issue):
    key, name, period = issue
    site = third / "site"
    page = _text(site / key / "index.html")
    assert name in page and period in page
    assert f"{name}（{period}）" in page or f"{name} {period}" in page  # the page title
    masthead = period if "（" in period else f"（{period}）"
    assert masthead in page
    pdf = site / key / f"{key.replace('/', '-')}.pdf"
    printed = _pdf_text(pdf)
    assert _compact(name) in printed and _compact(masthead) in printed
    assert _compact(period) in _compact(PdfReader(pdf).metadata.title or "")
    saved = re.search(r'\.pdf" download="([^"]+)"', (site / key / "index.html").read_text(encoding="utf-8"))
    assert saved and name in saved.group(1) and period in saved.group(1)  # saved under its period
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert period in feed
    nav = yaml.safe_load((third / "build/engine.yml").read_text(encoding="utf-8"))["nav"]
    assert period in yaml.safe_dump(nav, allow_unicode=True)


def test_special_issue_prints_its_title_under_the_name(third):
    key, name, title = SPECIAL
    site = third / "site"
    html = (site / key / "index.html").read_text(encoding="utf-8")
    assert re.search(r'zk-masthead__name">' + re.escape(name) + r"</p>\s*<p class=\"zk-masthead__special\">"
                     + re.escape(title), html)
    assert "zk-masthead__period" not in html.split("zk-masthead__meta")[0]  # no empty period line
    printed = _pdf_text(site / key / f"{key.replace('/', '-')}.pdf")
    assert _compact(name) in printed and _compact(title) in printed
    assert title in (site / "feed.xml").read_text(encoding="utf-8")
    archive = _text(site / "sc-bulletin/index.html")
    assert title in archive and "2025年第7期（总第58期）" in archive
    home = _text(site / "index.html")
    assert "第7期（总第58期）" in home and title in home


def test_center_pages_name_the_series_with_the_period(third):
    page = _text(third / "site/centers/sc-infection/index.html")
    assert "四川医疗质控工作简报 2025年第7期（总第58期）" in page
    city = _text(third / "site/centers/cd-infection/index.html")
    assert "成都市医疗质控简报 2025年第2季度" in city


def test_same_slug_in_two_series_are_two_stories(third):
    site = third / "site"
    provincial = _text(site / "sc-bulletin/2025-07/infection/index.html")
    city = _text(site / "cd-bulletin/2025-q2/infection/index.html")
    assert "织密院感防控网络" in provincial and "聚焦基层院感" in city
    assert "返回本期：2025年第7期（总第58期）" in provincial and "返回本期：2025年第2季度" in city


def test_notice_with_a_basic_pass_tier_and_no_commentary_anywhere(third):
    site = third / "site"
    notice = _text(site / "sc-notices/2025-8/index.html")
    assert "基本合格" in notice and "川卫办发〔2025〕8号" in notice
    assert "病案管理质控中心为基本合格" in notice
    assert not any("点评：" in p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert not any(third.glob("content/commentary/**/*.md"))


def test_centers_index_lists_provinces_above_their_cities(third):
    html = (third / "site/centers/index.html").read_text(encoding="utf-8")
    by_region = html.split('id="by-region"')[1].split('id="by-specialty"')[0]
    headings = re.findall(r"<h([34])>([^<]+)</h\1>", by_region)
    assert headings == [("3", "四川省"), ("4", "成都市"), ("4", "绵阳市")]
    assert by_region.index("四川省医院感染管理质量控制中心") < by_region.index("<h4>成都市</h4>")
    assert "市级" in by_region.split("<h4>成都市</h4>")[1]
    page = _text(third / "site/centers/cd-infection/index.html")
    assert "四川省成都市" in page and "市级" in page


def test_notice_annex_has_the_chosen_columns_and_the_metadata(third):
    html = (third / "site/sc-notices/2025-8/index.html").read_text(encoding="utf-8")
    annex = html.split('id="annex"')[1]
    assert re.findall(r"<th>([^<]+)</th>", annex.split("</thead>")[0]) == ["序号", "质控中心", "得分", "排名", "评估结果"]
    first = annex.split("<tbody>")[1].split("</tr>")[0]
    assert re.findall(r"<td[^>]*>(?:<a [^>]+>)?([^<]*)", first) == ["1", "四川省医院感染管理质量控制中心", "96", "1", "优秀"]
    assert "四川大学华西医院" not in annex  # 挂靠单位 not chosen
    meta = _text(third / "site/sc-notices/2025-8/index.html")
    assert "索引号000014349/2025-00123" in _compact(meta) and "主题分类卫生健康" in _compact(meta)
    printed = _pdf_text(third / "site/sc-notices/2025-8/sc-notices-2025-8.pdf")
    assert "序号质控中心得分排名评估结果" in printed and "四川省医院感染管理质量控制中心961优秀" in printed


def test_closing_labels_are_the_series_own(third):
    page = _text(third / "site/sc-bulletin/2025-07/index.html")
    assert "投稿邮箱：sczkb@example.org" in page and "发：各市（州）卫生健康委；各省级医疗质控中心。" in page
    assert "分送：" not in page
    printed = _pdf_text(third / "site/sc-bulletin/2025-07/sc-bulletin-2025-07.pdf")
    assert "投稿邮箱：sczkb@example.org" in printed and "发：各市（州）卫生健康委；各省级医疗质控中心。" in printed
    city = _text(third / "site/cd-bulletin/2025-q2/index.html")
    assert "分送：各区（市）县卫生健康局。" in city  # defaults for a series that sets none


def _primary_nav(html: str) -> str:
    return html[html.index('class="md-nav md-nav--primary"'):html.index('<div class="md-content"')]


def test_two_bulletin_series_are_one_nav_section(third):
    """Several series of a kind are one section: a page outside them carries the section's one
    entry, a page inside it the section's series; a kind with one series stays at the top."""
    nav = yaml.safe_load((third / "build/engine.yml").read_text(encoding="utf-8"))["nav"]
    top = [next(iter(item)) for item in nav]
    assert top == ["首页", "简报", "省级医疗质量控制中心工作评估通报", "质控中心", "搜索"]
    section = next(item["简报"] for item in nav if "简报" in item)
    assert sorted(next(iter(s)) for s in section) == ["四川医疗质控工作简报", "成都市医疗质控简报"]
    site = third / "site"
    centers = _primary_nav((site / "centers" / "index.html").read_text(encoding="utf-8"))
    assert ">简报<" in re.sub(r"\s+", "", centers).replace('<spanclass="md-ellipsis">', ">")
    assert "成都市医疗质控简报" not in centers and "四川医疗质控工作简报" not in centers
    inside = _primary_nav((site / CITY[0] / "index.html").read_text(encoding="utf-8"))
    assert "成都市医疗质控简报" in inside and "四川医疗质控工作简报" in inside and CITY[2] in inside
