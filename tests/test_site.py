"""The built demo site, read as a reader sees it: issue, stories, centers, archive, home."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from htmltext import page, texts_of_class, visible_text

EXPECTED = json.loads((Path(__file__).parent / "data" / "hubei_expected.json").read_text(encoding="utf-8"))
ISSUE = "hubei-bulletin/2024-q3"


@pytest.fixture(scope="module")
def site(built_demo) -> Path:
    return built_demo / "site"


@pytest.fixture(scope="module")
def registry(built_demo) -> dict:
    import yaml

    centers = yaml.safe_load((built_demo / "content/centers/hubei.yml").read_text(encoding="utf-8"))
    return {c["id"]: c for c in centers}


@pytest.fixture(scope="module")
def slugs(built_demo) -> list[str]:
    import yaml

    issue = yaml.safe_load((built_demo / f"bulletins/{ISSUE}.yml").read_text(encoding="utf-8"))
    return [slug for section in issue["sections"] for slug in section["stories"]]


def test_issue_page_has_all_headlines_in_printed_order(site):
    headlines = texts_of_class(page(site, ISSUE), "zk-headline")
    assert headlines == EXPECTED["headlines"]
    assert len(headlines) == 25


def test_issue_page_has_every_commentary_labelled(site):
    html = page(site, ISSUE)
    blocks = texts_of_class(html, "zk-commentary")
    assert len(blocks) == 25
    for block, first in zip(blocks, EXPECTED["commentary_first_chars"]):
        assert block.startswith("点评：")
        assert first.replace(" ", "")[:12] in block.replace(" ", "")


def test_bylines_come_from_the_registry_for_every_story(site, registry):
    bylines = texts_of_class(page(site, ISSUE), "zk-byline")
    assert bylines == [registry[cid]["name"] + "——" for cid in EXPECTED["centers"]]
    assert "湖北省儿科医疗质量控制中心——" in bylines


def test_issue_page_has_masthead_preface_and_closing_block(site):
    html = page(site, ISSUE)
    masthead = texts_of_class(html, "zk-masthead")[0]
    for part in ["湖北医疗质控管理工作简报", "2024年第3季度", "湖北省医疗质量控制中心管理办公室", "2024年9月27日"]:
        assert part in masthead
    preface = texts_of_class(html, "zk-preface")[0]
    assert preface.startswith("按：2024年下半年起")
    assert preface.endswith("为人民群众提供更加优质、高效的医疗服务！")
    closing = texts_of_class(html, "zk-closing")[0]
    assert "报：国家卫生健康委医政司医疗质量与评价处；湖北省卫生健康委医政医管处。" in closing
    assert "分送：各市、州、县卫生健康委（局）；委直属直管单位；各医疗卫生单位；各省级医疗质控中心。" in closing
    assert "027-87830166" in closing and "HBYLZGB@163.com" in closing


def test_bold_lead_ins_survive_as_strong_text(site):
    html = page(site, f"{ISSUE}/pediatrics")
    assert "<strong>开展儿科质量督查，促进全省儿科同质化管理。</strong>组织省市儿科质控专家" in html


def test_page_breaks_of_the_extraction_are_joined(site):
    text = visible_text(page(site, f"{ISSUE}/health-checkup"))
    assert "优化体检流程" in text
    assert "####" not in visible_text(page(site, ISSUE))


def test_each_story_page_links_issue_center_and_neighbours(site, slugs):
    for n, slug in enumerate(slugs):
        html = page(site, f"{ISSUE}/{slug}")
        assert texts_of_class(html, "zk-headline") == [EXPECTED["headlines"][n]]
        pager = texts_of_class(html, "zk-pager")[0]
        assert "返回本期" in pager
        if n > 0:
            assert f"上一篇：{EXPECTED['headlines'][n - 1]}" in pager
        if n < len(slugs) - 1:
            assert f"下一篇：{EXPECTED['headlines'][n + 1]}" in pager
        assert re.search(r'href="(\.\./)+centers/' + EXPECTED["centers"][n] + '/"', html)


def test_story_links_resolve_to_existing_pages(site, slugs):
    base = site / ISSUE / slugs[0]
    html = page(site, f"{ISSUE}/{slugs[0]}")
    for href in re.findall(r'href="((?:\.\./)+[^"#]*)"', html):
        target = (base / href).resolve()
        assert (target / "index.html").exists() or target.is_file(), href


def test_center_page_lists_every_story_of_that_center(site):
    text = visible_text(page(site, "centers/hb-nephrology"))
    assert "多级质控联动促提升 建设肾病管理新高地" in text
    partner = visible_text(page(site, "centers/xg-nephrology"))
    assert "多级质控联动促提升 建设肾病管理新高地" in partner  # a partner center sees the story too
    index = visible_text(page(site, "centers"))
    assert "湖北省儿科医疗质量控制中心" in index


def test_home_shows_latest_issue_and_archive(site):
    home = page(site, "")
    text = visible_text(home)
    assert "最新一期" in text and "2024年第3季度" in text
    assert EXPECTED["headlines"][0] in text
    archive = visible_text(page(site, "hubei-bulletin"))
    assert "2024年" in archive and "第3季度" in archive and "25 篇" in archive


def test_navigation_lists_issues_not_stories(site, slugs):
    """Scale: a story page's navigation must not carry every other story."""
    html = page(site, f"{ISSUE}/{slugs[5]}")
    nav = html[html.index('class="md-nav md-nav--primary"'):html.index('<div class="md-content"')]
    assert [slug for slug in slugs if f"/{slug}/" in nav] == []
    issue_html = page(site, ISSUE)
    issue_nav = issue_html[issue_html.index('class="md-nav md-nav--primary"'):issue_html.index('<div class="md-content"')]
    assert "2024年第3季度" in issue_nav
    assert [slug for slug in slugs if f"/{slug}/" in issue_nav] == []


def test_no_asset_is_loaded_from_another_host(site):
    for path in site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        external = re.findall(r'<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="(https?:)?//', html)
        assert external == [], path
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html, path


def test_site_chrome_speaks_chinese(site):
    assert "404 - 页面不存在" in (site / "404.html").read_text(encoding="utf-8")
    home = page(site, "")
    assert "Made with" not in home
    assert "简报与通报的内容由各编发单位发布" in visible_text(home)  # copyright from content/site.yml


def test_centers_can_be_browsed_by_specialty(site):
    index = visible_text(page(site, "centers"))
    by_specialty = index[index.index("按专业", index.index("按专业") + 3):]
    assert "临床营养 广西临床营养专业医疗质量控制中心、湖北省临床营养质量控制中心" in by_specialty
    peers = visible_text(page(site, "centers/hb-nursing"))
    assert "同专业的质控中心" in peers and "宜昌市护理质量控制中心" in peers


def test_centers_index_lists_provinces_above_their_cities_in_registry_order(site):
    html = (site / "centers/index.html").read_text(encoding="utf-8")
    by_region = html.split('id="by-region"')[1].split('id="by-specialty"')[0]
    headings = re.findall(r"<h([34])>([^<]+)</h\1>", by_region)
    assert headings == [("3", "广西壮族自治区"), ("3", "湖北省"), ("4", "宜昌市"), ("4", "黄石市"), ("4", "鄂州市"),
                        ("4", "黄冈市"), ("4", "孝感市"), ("4", "荆门市"), ("4", "恩施土家族苗族自治州")]
    assert "湖北省宜昌市" in visible_text(page(site, "centers/yc-nursing"))


def test_atom_feed_lists_issues_and_notices_newest_first(site):
    import xml.etree.ElementTree as ET

    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.parse(site / "feed.xml").getroot()
    titles = [e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)]
    assert titles[0].startswith("桂卫办发〔2025〕15号")
    assert titles[1] == "湖北医疗质控管理工作简报（2024年第3季度）"
    links = [e.find("a:link", ns).get("href") for e in feed.findall("a:entry", ns)]
    assert all((site / link / "index.html").exists() for link in links)
    html = page(site, ISSUE)
    assert 'type="application/atom+xml"' in html
    # Not rel="alternate" alone: Material's script would fetch sitemap.xml on every page view.
    assert 'rel="alternate feed" type="application/atom+xml"' in html and 'rel="alternate" ' not in html
