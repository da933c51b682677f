"""What readers meet on the web (WCAG 2.2 AA, issue 13): axe-core on every kind of page at a
small phone's, a phone's and a desktop's width, reflow without sideways scrolling, dates and grades
kept whole, labelled landmarks, the 404 page's search, and no unused theme files shipped.

axe-core comes from benchmarks/web/node_modules, installed by `make setup` from its lock file."""
from __future__ import annotations

import re

import pytest

from benchmarks.accessibility import AXE, PAGE_KINDS, WIDTHS, axe_available, check_page, open_page
from generator.cli import main


@pytest.fixture(scope="module")
def axe_ready():
    assert axe_available(), f"axe-core missing at {AXE}: run `make setup` (scripts/setup-system.sh)"


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_kind_passes_axe_and_reflows(browser, demo_url, axe_ready, width):
    problems = {}
    for kind, path in PAGE_KINDS.items():
        result = check_page(browser, demo_url, path, width)
        overflow = result["overflow"]
        found = {
            "violations": [(v["impact"], v["id"], v["nodes"][:2]) for v in result["violations"]],
            "sideways": overflow["wide"] if overflow["scroll"] > overflow["width"] else [],
            "split over lines": result["split"],
        }
        if any(found.values()):
            problems[kind] = {k: v for k, v in found.items() if v}
    assert problems == {}


def test_links_are_underlined_everywhere_in_content(browser, demo_url):
    """Links differ from text by more than colour (WCAG 1.4.1), on the centers index too."""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    plain = {}
    for kind in ("home", "centers index", "center", "notice", "issue"):
        open_page(page, demo_url, PAGE_KINDS[kind])
        count = page.evaluate("""() => [...document.querySelectorAll('.md-content a[href]')]
            .filter(a => a.getClientRects().length && !a.closest('.zk-latest__card, .md-content__button'))
            .filter(a => !getComputedStyle(a).textDecorationLine.includes('underline')).length""")
        if count:
            plain[kind] = count
    page.close()
    assert plain == {}


def test_landmarks_are_labelled_once(browser, demo_url):
    """One labelled search landmark per page; each 点评 aside is labelled by its story."""
    page = browser.new_page()
    for kind in ("home", "search with results", "issue", "404"):
        open_page(page, demo_url, PAGE_KINDS[kind])
        searches = page.eval_on_selector_all("[role=search], search", "els => els.map(e => e.getAttribute('aria-label'))")
        assert searches == ["全站搜索"], kind
    open_page(page, demo_url, PAGE_KINDS["issue"])
    labels = page.eval_on_selector_all("aside.zk-commentary", "els => els.map(e => e.getAttribute('aria-label'))")
    headlines = page.eval_on_selector_all("article.zk-story:has(aside.zk-commentary) .zk-headline",
                                          "els => els.map(e => e.textContent.trim())")
    page.close()
    assert len(labels) >= 2 and len(set(labels)) == len(labels)
    assert labels == [f"点评：{h}" for h in headlines]


def test_page_titles_are_not_pale_grey(browser, demo_url):
    """Titles in body colour (Material's pale grey h1 is under 4.5:1)."""
    page = browser.new_page()
    for kind in ("center", "search with results", "centers index"):
        open_page(page, demo_url, PAGE_KINDS[kind])
        assert page.evaluate("getComputedStyle(document.querySelector('.md-content h1')).color") == "rgb(26, 26, 26)", kind
    page.close()


def test_figure_captions_are_not_synthetic_italic(built_demo):
    """CJK fonts have no italic: an italic caption is a synthetic slant."""
    css = (built_demo / "site/assets/zk.css").read_text(encoding="utf-8")
    assert re.search(r"\.md-typeset figcaption\s*\{[^}]*font-style:\s*normal", css)


def test_404_search_form_posts_to_the_search_page(browser, demo_url, built_demo):
    page = (built_demo / "site/404.html").read_text(encoding="utf-8")
    assert re.search(r'<form class="zk-header-search" action="/search/"', page)
    tab = browser.new_page()
    tab.goto(f"{demo_url}/deep/missing/page/")
    tab.fill("#zk-q", "消毒供应")
    tab.press("#zk-q", "Enter")
    tab.wait_for_url("**/search/?q=*")
    assert tab.url.startswith(f"{demo_url}/search/?q=")
    tab.close()


def test_no_unused_theme_files_are_shipped(built_demo):
    site = built_demo / "site"
    assert not (site / "assets/javascripts/lunr").exists()
    assert not (site / "assets/javascripts/workers").exists()
    assert list(site.rglob("*.map")) == []
    for built in (site / "assets").rglob("*.*"):
        if built.suffix in (".js", ".css"):
            assert b"sourceMappingURL" not in built.read_bytes(), built.name


@pytest.fixture(scope="module")
def with_url(tmp_path_factory):
    """The demo with a public address (content/site.yml `url`), built without PDFs."""
    from benchmarks.project import copy_project

    root = copy_project(tmp_path_factory.mktemp("url") / "project")
    with (root / "content/site.yml").open("a", encoding="utf-8") as f:
        f.write("url: https://example.org/zkjb/\n")
    assert main(["--root", str(root), "build", "--no-pdf"]) == 0
    return root / "site"


def test_404_search_form_with_a_site_url(with_url):
    page = (with_url / "404.html").read_text(encoding="utf-8")
    assert re.search(r'<form class="zk-header-search" action="/zkjb/search/"', page)
    story = (with_url / "hubei-bulletin/2024-q3/pediatrics/index.html").read_text(encoding="utf-8")
    assert re.search(r'<form class="zk-header-search" action="../../../search/"', story)


def _pages(site):
    """The site's pages (not the 公众号 articles, wechat.html: copied from, never visited)."""
    return [p for p in site.rglob("*.html") if "pagefind" not in p.parts and p.name != "wechat.html"]


def test_every_page_has_a_meta_description_from_its_content(built_demo):
    site = built_demo / "site"
    descriptions = {}
    for page in _pages(site):
        found = re.findall(r'<meta name="description" content="([^"]*)"', page.read_text(encoding="utf-8"))
        assert len(found) == 1 and found[0].strip(), page.relative_to(site)
        descriptions[page.relative_to(site).as_posix()] = found[0]
    stories = {p: d for p, d in descriptions.items() if p.count("/") == 3 and "/20" in p}
    assert len(stories) >= 20 and len(set(stories.values())) == len(stories), "each story described by its own text"
    story = (site / "hubei-bulletin/2024-q3/pediatrics/index.html").read_text(encoding="utf-8")
    assert descriptions["hubei-bulletin/2024-q3/pediatrics/index.html"].rstrip("…")[:40] in story
    assert "桂卫办发〔2025〕15号" in descriptions["guangxi-notices/2025-15/index.html"]
    assert descriptions["hubei-bulletin/2024-q3/index.html"].startswith("2024年下半年起")  # the 按语
    assert len(set(descriptions.values())) >= len(descriptions) - 2  # only 404 and home may share the site's


def test_robots_txt_and_no_sitemap_without_a_public_address(built_demo):
    site = built_demo / "site"
    assert (site / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nAllow: /\n"
    assert not (site / "sitemap.xml").exists() and not (site / "sitemap.xml.gz").exists()


def test_sitemap_with_a_public_address_has_each_pages_own_date(with_url):
    import xml.etree.ElementTree as ET

    assert "Sitemap: https://example.org/zkjb/sitemap.xml" in (with_url / "robots.txt").read_text(encoding="utf-8")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = ET.parse(with_url / "sitemap.xml").getroot().findall("s:url", ns)
    lastmod = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns) for u in urls}
    assert len(lastmod) == len(_pages(with_url)) - 1  # every page but 404.html
    base = "https://example.org/zkjb/"
    assert lastmod[base + "hubei-bulletin/2024-q3/pediatrics/"] == "2024-09-27"  # the date
    assert lastmod[base + "hubei-bulletin/2024-q3/"] == "2024-09-27"
    assert lastmod[base + "guangxi-notices/2025-15/"] == "2025-08-25"  # the notice's release
    assert lastmod[base + "centers/hb-pediatrics/"] == "2024-09-27"
    assert lastmod[base] == max(lastmod.values())
