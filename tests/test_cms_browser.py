"""The form editor in Debian's Chromium against `bulletin serve --edit` on a copy of the demo:
log in to the local backend, write a story through the form (Chinese title, center found by
typing 儿科, a bold lead-in, an uploaded image), put it in its issue, and see the file where the
content format says, `check` pass and the preview show it; open and save existing files
unchanged; the form stays reachable while content has errors; no request leaves 127.0.0.1;
decap-server ends with the preview. Offline: nothing is downloaded."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from PIL import Image

from benchmarks.editor import alive, choose_from_menu, edit_server, logged_in, open_entry, publish, stop
from benchmarks.preview import fetch, wait_for
from benchmarks.project import copy_project
from generator.cli import main
from generator.load import load_content

pytestmark = pytest.mark.usefixtures("form_editor")
ISSUE = "content/stories/hubei-bulletin/2024-q3"
TITLE = "开展儿童急救培训 提升基层救治能力"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("cms") / "project")
    with edit_server(root) as running:
        running.root = root
        yield running


@pytest.fixture(scope="module")
def page(server, browser):
    with logged_in(browser, server) as pg:
        yield pg


def test_collections_listed_in_chinese(page):
    for label in ("稿件（全部）", "期刊 · 湖北医疗质控管理工作简报", "点评（全部）", "质控中心名录", "网站设置"):
        assert page.get_by_text(label).first.is_visible(), label


def test_write_a_story_through_the_form(page, server, tmp_path):
    root = server.root
    page.goto(server.base + "/admin/#/collections/stories-hubei-bulletin-2024-q3/new")
    page.reload()
    page.get_by_label("标题", exact=True).fill(TITLE)
    page.get_by_label("供稿质控中心").press_sequentially("儿科", delay=50)
    page.get_by_role("option", name="湖北省儿科医疗质量控制中心").click()
    page.get_by_label("日期", exact=True).fill("2024-09-28")
    page.get_by_role("switch").first.click()  # Markdown
    page.locator("[data-slate-editor]").first.click()
    page.keyboard.insert_text("**开展急救培训。**培训基层医护人员200余名。")
    preview = page.frame_locator("iframe").first  # the form's preview pane, as the site shows a story
    assert preview.locator(".zk-byline").inner_text() == "湖北省儿科医疗质量控制中心——"
    assert preview.locator("h1.zk-headline").inner_text() == TITLE
    assert preview.locator(".zk-body strong").first.inner_text() == "开展急救培训。"
    publish(page)
    story = root / ISSUE / "hb-pediatrics.md"  # named after the center: a valid ASCII slug
    assert story.is_file()

    # An image, uploaded into the issue's images/ folder and linked as check expects.
    picture = tmp_path / "training.jpg"
    Image.new("RGB", (120, 80), (200, 30, 30)).save(picture)
    page.get_by_role("switch").first.click()  # back to rich text, which inserts images
    page.locator("[data-slate-editor]").first.click()
    page.keyboard.press("Control+End")
    choose_from_menu(page, page.get_by_title("添加组件"), page.get_by_role("menuitem").first)
    page.get_by_role("button", name="选择图片").click()
    page.locator("input[type=file]").set_input_files(picture)
    page.get_by_role("button", name="选用已选中项目").click()
    page.get_by_label("Alt Text").fill("急救培训现场")
    publish(page)
    assert (root / ISSUE / "images" / "training.jpg").is_file()
    uploaded = (root / ISSUE / "images" / "training.jpg").read_bytes()

    # Another picture of the same name is refused (never overwritten); a type the image check refuses too.
    page.locator("[data-slate-editor]").first.click()
    page.keyboard.press("Control+End")
    choose_from_menu(page, page.get_by_title("添加组件"), page.get_by_role("menuitem").first)
    page.get_by_role("button", name="选择图片").last.click()
    page.get_by_text("training.jpg").first.wait_for()
    other = tmp_path / "other" / "training.jpg"
    other.parent.mkdir()
    Image.new("RGB", (60, 60), (0, 90, 200)).save(other)
    svg = tmp_path / "chart.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    for refused, says in ((other, "已经有一张“training.jpg”"), (svg, "不能上传")):
        page.dialogs.clear()
        page.locator("input[type=file]").set_input_files(refused)
        page.wait_for_timeout(1500)
        assert any(says in m for m in page.dialogs), page.dialogs
    page.keyboard.press("Escape")
    assert (root / ISSUE / "images" / "training.jpg").read_bytes() == uploaded
    assert sorted(p.name for p in (root / ISSUE / "images").iterdir()) == ["training.jpg"]
    text = story.read_text(encoding="utf-8")
    assert f"title: {TITLE}\n" in text and "center: hb-pediatrics\n" in text and "date: 2024-09-28\n" in text
    assert "**开展急救培训。**培训基层医护人员200余名。" in text and "](images/training.jpg" in text
    assert "status: draft" in text  # a new story starts as a draft

    # The issue lists it: picked by its title from the series' stories.
    open_entry(page, server, "issues-hubei-bulletin/entries/2024-q3")
    page.get_by_role("button", name="新增稿件（按刊印顺序）").click()
    page.locator("input[id^='story-field']").last.press_sequentially("儿童急救", delay=50)
    page.get_by_role("option", name=TITLE).click()
    publish(page)
    issue = load_content(root).issues[0]
    assert issue.slugs[-1] == "hb-pediatrics" and len(issue.slugs) == 26
    assert main(["--root", str(root), "check"]) == 1  # a published issue may not list a draft

    # 草稿 → 审核中 → 已发布, through the form's status select; the public build follows.
    for shown, stored in (("审核中", "review"), ("已发布", "published")):
        open_entry(page, server, "stories-hubei-bulletin-2024-q3/entries/hb-pediatrics")
        page.get_by_label("状态").click()
        page.get_by_role("option", name=shown, exact=True).click()
        publish(page)
        assert f"status: {stored}\n" in story.read_text(encoding="utf-8")
        assert main(["--root", str(root), "check"]) == (0 if stored == "published" else 1)
    assert main(["--root", str(root), "build", "--no-pdf"]) == 0
    assert not (root / "site/admin").exists()  # no `editing:` in site.yml: no public editor
    public = (root / "site/hubei-bulletin/2024-q3/hb-pediatrics/index.html").read_text(encoding="utf-8")
    assert "<strong>开展急救培训。</strong>" in public and "未公开" not in public
    shown = wait_for(server.base + "/hubei-bulletin/2024-q3/hb-pediatrics/", "开展急救培训。", timeout=60)
    assert shown is not None, "the preview never showed the new story"
    html = fetch(server.base + "/hubei-bulletin/2024-q3/hb-pediatrics/")
    assert "<strong>开展急救培训。</strong>" in html and "training.jpg" in html


def test_existing_files_saved_unchanged_keep_their_meaning(page, server):
    root = server.root
    before = {s.file: (s.model_dump(), s.body.strip()) for s in load_content(root).stories}
    for entry in ("stories/entries/hubei-bulletin/2024-q3/cardiology", "stories/entries/hubei-bulletin/2024-q3/drg"):
        for change in ("x", ""):  # a change saved, then taken back and saved again
            open_entry(page, server, entry)
            title = page.get_by_label("标题", exact=True)
            title.fill(title.input_value().removesuffix("x") + change)
            publish(page)
    after = {s.file: (s.model_dump(), s.body.strip()) for s in load_content(root).stories}
    assert after == before


def test_form_reachable_while_content_has_errors(server):
    story = server.root / ISSUE / "nursing.md"
    text = story.read_text(encoding="utf-8")
    try:
        story.write_text(text.replace("date: 2024-09-27", "date: 2024-9-27"), encoding="utf-8")
        assert wait_for(server.base + "/", "预览暂停", timeout=30) is not None
        assert "decap-cms.js" in fetch(server.base + "/admin/")
        assert '"collections"' in fetch(server.base + "/admin/config.json")
    finally:
        story.write_text(text, encoding="utf-8")


def test_no_request_leaves_the_machine(page):
    assert page.requests
    outside = [u for u in page.requests if not u.startswith(("http://127.0.0.1:", "data:", "blob:"))]
    assert not outside, outside[:5]


def test_decap_server_listens_on_this_machine_only(server):
    api = re.search(r"本机服务 http://127\.0\.0\.1:(\d+)/api/v1", server.log.read_text(encoding="utf-8"))
    assert api, server.log.read_text(encoding="utf-8")[-500:]
    port = int(api.group(1))
    listening = [line.split()[1] for name in ("/proc/net/tcp", "/proc/net/tcp6") if Path(name).exists()
                 for line in Path(name).read_text().splitlines()[1:] if line.split()[3] == "0A"]  # LISTEN
    bound = [addr for addr in listening if int(addr.rsplit(":", 1)[1], 16) == port]
    assert bound == ["0100007F:" + f"{port:04X}"]  # 127.0.0.1, not 0.0.0.0 or ::


def test_decap_server_stops_with_the_preview(server, page):
    started = server.descendants()
    assert any("decap-server" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace") for pid in started), \
        "decap-server is not running under the preview"
    stop(server)  # Ctrl+C
    deadline = time.monotonic() + 5
    while alive(started) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(started)
