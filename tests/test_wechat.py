"""公众号 articles (issue 21): every issue and notice has a paste-ready wechat.html — inline styles
only, px, images by absolute address, links as numbered notes — and its page a 「复制到公众号」
button that puts the article on the clipboard (HTML and plain text). Without `url` in site.yml
there is no article and no button, and the build says why.

One module build of the demo with a public address, a photo and an external link in a story."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from test_images import tiny_png

from benchmarks.project import copy_project
from generator.cli import main

ISSUE = "hubei-bulletin/2024-q3/"
NOTICE = "guangxi-notices/2025-15/"
URL = "https://example.org/zkjb/"
STORY = "content/stories/hubei-bulletin/2024-q3/pediatrics.md"
LINK = "https://www.example.net/规范/2024.html"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("wechat") / "project")
    with (root / "content/site.yml").open("a", encoding="utf-8") as f:
        f.write(f"url: {URL}\n")
    images = root / "content/stories/hubei-bulletin/2024-q3/images"
    images.mkdir()
    tiny_png(images / "病房 一角.png")
    story = root / STORY
    story.write_text(story.read_text(encoding="utf-8")
                     + f'\n![儿科病房](<images/病房 一角.png> "督查组在儿科病房")\n\n详见[指南原文]({LINK})，'
                       f'另见[同一指南]({LINK})与[<script>alert(1)</script>](https://www.example.net/b)。\n',
                     encoding="utf-8")
    assert main(["--root", str(root), "build", "--no-pdf"]) == 0
    return root


class Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def elements(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    return parser


def article(project, doc: str) -> str:
    return (project / "site" / doc / "wechat.html").read_text(encoding="utf-8")


def headlines(project) -> list[str]:
    page = (project / "site" / ISSUE / "index.html").read_text(encoding="utf-8")
    found = re.findall(r'<h2 class="zk-headline"><a href="[^"]*">([^<]+)</a></h2>', page)
    assert len(found) == 25
    return found


@pytest.mark.parametrize("doc", [ISSUE, NOTICE])
def test_article_has_inline_styles_only_in_px_without_positioning(project, doc):
    html = article(project, doc)
    body = html.split("<body>", 1)[1]
    found = elements(body).found
    assert len(found) > 50
    tags = {tag for tag, _ in found}
    assert not tags & {"style", "link", "script", "a", "iframe", "div"}, tags
    for tag, attrs in found:
        assert not {"class", "id"} & set(attrs), (tag, attrs)
        style = attrs.get("style") or ""
        assert "position" not in style and "float" not in style, style
        units = set(re.findall(r"(?<![#\w.])\d+(?:\.\d+)?([a-z%]+)", style))
        assert units <= {"px"}, (tag, style)
    assert sum(1 for _, attrs in found if attrs.get("style")) > 0.8 * len(found)


def test_issue_article_has_every_headline_byline_and_the_print_look(project):
    html = article(project, ISSUE)
    h2 = re.findall(r"<h2 style=\"([^\"]*)\">([^<]+)</h2>", html)
    assert [t for _, t in h2] == headlines(project)
    assert all("font-weight:bold" in s and "text-align:center" in s for s, _ in h2)
    assert "color:#e60012" in html.split("湖北医疗质控管理工作简报</p>", 1)[0]  # the red masthead
    assert re.search(r'<p style="[^"]*KaiTi[^"]*">湖北省儿科医疗质量控制中心——</p>', html)  # byline in 楷体
    assert re.search(r'<strong style="[^"]*font-weight:bold[^"]*">按：</strong>', html)
    assert re.search(r'<section style="[^"]*border-top:2px solid #000000[^"]*">\s*<p[^>]*><strong[^>]*>点评：</strong>', html)
    assert "湖北省医疗质量控制中心管理办公室官方微信" in html and "分送：" in html  # 报尾


def test_images_by_absolute_address_and_links_as_numbered_notes(project):
    html = article(project, ISSUE)
    srcs = [attrs["src"] for tag, attrs in elements(html).found if tag == "img"]
    assert srcs == [f"{URL}hubei-bulletin/2024-q3/images/%E7%97%85%E6%88%BF%20%E4%B8%80%E8%A7%92.png"]
    assert (project / "site/hubei-bulletin/2024-q3/images/病房 一角.png").is_file()  # published there
    assert "督查组在儿科病房" in html
    assert re.search(r"指南原文<sup[^>]*>\[1\]</sup>，另见同一指南<sup[^>]*>\[1\]</sup>", html)  # one note per address
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<sup" in html  # an editor's string stays text
    assert f">[1] {LINK}</p>" in html and ">[2] https://www.example.net/b</p>" in html
    assert f">网页版：{URL}{ISSUE}</p>" in html


def test_notice_article_has_title_annex_and_signature(project):
    html = article(project, NOTICE)
    text = "".join(elements(html).text)
    assert "关于2024年度自治区级（西医类）医疗质量控制中心工作评估有关情况的通报" in text
    assert "桂卫办发〔2025〕15号" in text
    assert html.count("<tr>") == 40  # header + 39 centers
    assert re.search(r'<p style="[^"]*color:#e60012[^"]*">广西壮族自治区<br>卫生健康委员会办公室文件</p>', html)


def test_pages_offer_the_copy_button_beside_the_downloads(project):
    for doc in (ISSUE, NOTICE):
        page = (project / "site" / doc / "index.html").read_text(encoding="utf-8")
        assert re.search(r'<p class="zk-download zk-wechat" data-zk-furniture hidden><button type="button" '
                         r'class="zk-wechat__button" data-zk-wechat="[./]*' + re.escape(doc) + r'wechat.html">复制到公众号</button>', page)
    story = (project / "site" / ISSUE / "pediatrics/index.html").read_text(encoding="utf-8")
    assert "data-zk-wechat" not in story


def test_without_a_public_address_no_article_no_button_and_the_build_says_why(tmp_path, capsys):
    root = copy_project(tmp_path / "project")
    assert main(["--root", str(root), "build", "--no-pdf"]) == 0
    err = capsys.readouterr().err
    assert "content/site.yml: 提醒：没有写网站的公开地址 url：公众号文章" in err and "url: https://" in err
    assert not list((root / "site").rglob("wechat.html"))
    assert "data-zk-wechat" not in (root / "site" / ISSUE / "index.html").read_text(encoding="utf-8")


def test_an_unchanged_article_is_not_inlined_again(project, monkeypatch):
    from generator.print import wechat

    before = (project / "site" / ISSUE / "wechat.html").read_bytes()
    monkeypatch.setattr(wechat, "inlined", lambda html: pytest.fail("inlined again"))
    assert main(["--root", str(project), "build", "--no-pdf"]) == 0
    assert (project / "site" / ISSUE / "wechat.html").read_bytes() == before


def test_the_button_puts_the_article_on_the_clipboard(project, browser):
    from benchmarks.browser import Traffic, served

    with served(project / "site") as base:
        context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
        traffic = Traffic()
        traffic.watch(context)
        page = context.new_page()
        page.goto(f"{base}/{ISSUE}")
        page.get_by_role("button", name="复制到公众号").click()
        page.wait_for_function("document.querySelector('.zk-wechat__status').textContent.startsWith('已复制')")
        pasted = page.evaluate("""async () => {
            const [item] = await navigator.clipboard.read();
            const text = async (type) => (await item.getType(type)).text();
            return {types: item.types, html: await text('text/html'), plain: await text('text/plain')};
        }""")
        context.close()
    assert set(pasted["types"]) == {"text/html", "text/plain"}
    html, plain = pasted["html"], pasted["plain"]
    assert "<body" not in html and "<title" not in html and "class=" not in html and "style=" in html
    for title in headlines(project):
        assert title in html and f"\n{title}\n" in plain
    assert not re.search(r"</?(p|section|strong|h2|sup)\b", plain) and "按：2024年下半年起" in plain and f"[1] {LINK}" in plain
    assert traffic.foreign(base) == []


def test_the_issue_page_with_the_button_passes_axe(project, browser):
    from benchmarks.accessibility import check_page
    from benchmarks.browser import served

    with served(project / "site") as base:
        for width in (320, 1366):
            result = check_page(browser, base, ISSUE, width)
            assert [(v["id"], v["nodes"][:1]) for v in result["violations"]] == []
            assert result["overflow"]["scroll"] <= result["overflow"]["width"]
