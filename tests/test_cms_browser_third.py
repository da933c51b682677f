"""The form editor in Debian's Chromium on a copy of the third fixture (monthly series with
总期号, a 专刊, a notice publishing scores and ranks): reorder an issue's stories by dragging,
change a round's score and see the notice's annex follow in the preview, write a 点评 for a story
of the open issue. Each saved file passes `check`. One server for the module (offline)."""
from __future__ import annotations

import re
import signal
import time
from pathlib import Path

import pytest

from benchmarks.editor import alive, edit_server, logged_in, open_entry, publish
from benchmarks.preview import fetch, wait_for
from benchmarks.project import FIXTURES, copy_project
from generator.cli import main
from generator.load import load_content

pytestmark = pytest.mark.usefixtures("form_editor")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("cms-third") / "project", FIXTURES / "third")
    with edit_server(root) as running:
        running.root = root
        yield running


@pytest.fixture(scope="module")
def page(server, browser):
    with logged_in(browser, server) as pg:
        yield pg


def drag(pg, handle, onto) -> None:
    """Drag a list item by its handle onto another item's place, as a mouse does."""
    handle.scroll_into_view_if_needed()
    start, end = handle.bounding_box(), onto.bounding_box()
    x, y = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
    pg.mouse.move(x, y)
    pg.mouse.down()
    for step in range(1, 21):
        pg.mouse.move(x, y + (end["y"] - start["y"] - 10) * step / 20)
        pg.wait_for_timeout(30)
    pg.mouse.up()
    pg.wait_for_timeout(500)


def until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def checks(root: Path) -> bool:
    return main(["--root", str(root), "check"]) == 0


def annex_row(html: str, name: str) -> list[str]:
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", html, re.S) if name in r)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_reorder_an_issues_stories_by_dragging(page, server):
    open_entry(page, server, "issues-sc-bulletin/entries/2025-07")
    handles = page.locator("[class*=SortableListItem] [class*=DragIconContainer]")
    drag(page, handles.last, handles.nth(handles.count() - 2))
    publish(page)
    issue = next(i for i in load_content(server.root).issues if i.id == "sc-bulletin/2025-07")
    assert issue.slugs == ["pharmacy", "infection"]
    assert checks(server.root)
    def pharmacy_first() -> bool:  # in the page's list of stories (after its <h1>)
        body = fetch(server.base + "/sc-bulletin/2025-07/").partition("<h1")[2]
        return "规范处方点评" in body and body.index("规范处方点评") < body.index("织密院感防控网络")
    assert until(pharmacy_first, 30), "the preview never showed the new order"


def test_change_a_score_and_the_annex_follows(page, server):
    notice = server.base + "/sc-notices/2025-8/"
    before = annex_row(fetch(notice), "四川省临床输血质量控制中心")
    assert "53" in before and "不合格" in before  # 15 + 30 + 8, last of ten
    open_entry(page, server, "rounds-sc-notices/entries/2024")
    items = page.locator("[class*=SortableListItem]")
    # Its collapsed summary names the center; expanded, the item shows the picker instead.
    where = next(i for i in range(items.count()) if items.nth(i).inner_text().strip() == "sc-blood")
    blood = items.nth(where)
    blood.locator("[class*=TopBar] button").first.click()  # its chevron: expand the collapsed result
    inputs = blood.locator("input")
    inputs.nth(3).wait_for()
    values = [inputs.nth(i).input_value() for i in range(inputs.count())]
    inputs.nth(values.index("信息化建设") + 1).fill("20")
    publish(page)  # the round has no excluded: its fields may not be asked for
    text = (server.root / "content/evaluations/sc-notices/2024.yml").read_text(encoding="utf-8")
    assert "信息化建设: 20" in text
    assert checks(server.root)

    assert until(lambda: "65" in annex_row(fetch(notice), "四川省临床输血质量控制中心"), 30)
    after = annex_row(fetch(notice), "四川省临床输血质量控制中心")
    assert "65" in after and "不合格" not in after  # 15 + 30 + 20 passes sc-records' 63
    assert "不合格" in annex_row(fetch(notice), "四川省病案管理质量控制中心")


def test_write_a_commentary_for_a_story_of_the_open_issue(page, server):
    page.goto(server.base + "/admin/#/collections/commentary-sc-bulletin-2025-zk1/new")
    page.reload()
    page.get_by_label("对应稿件").press_sequentially("急诊", delay=50)
    page.get_by_role("option", name="优化急诊流程 改善就医感受").click()
    page.get_by_label("点评作者").fill("四川省医疗质量控制中心管理办公室")
    page.locator("[data-slate-editor]").last.click()
    page.keyboard.insert_text("急诊流程再造的经验值得各地借鉴。")
    box = page.frame_locator("iframe").first.locator("aside.zk-commentary")  # the preview pane: the site's 点评 box
    assert box.locator(".zk-commentary__label").inner_text() == "点评："
    assert "急诊流程再造的经验值得各地借鉴。" in box.inner_text()
    assert box.evaluate("e => getComputedStyle(e).borderLeftWidth") == "4px"  # the site's stylesheet applies
    publish(page)
    saved = server.root / "content/commentary/sc-bulletin/2025-zk1/experience.md"  # named after its story
    text = saved.read_text(encoding="utf-8")
    assert text.startswith("---\nstory: sc-bulletin/2025-zk1/experience\n") and "status: draft\n" in text
    assert "急诊流程再造的经验值得各地借鉴。" in text
    assert checks(server.root)
    story = server.base + "/sc-bulletin/2025-zk1/experience/"
    assert wait_for(story, "急诊流程再造的经验值得各地借鉴。", timeout=30) is not None


def test_decap_server_dies_when_the_preview_is_killed(server, page):
    """SIGKILL leaves no cleanup to the preview itself: its tied decap-server goes all the same."""
    started = server.descendants()
    assert started
    server.process.send_signal(signal.SIGKILL)
    server.process.wait()
    deadline = time.monotonic() + 5
    while alive(started) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(started), [Path(f"/proc/{p}/cmdline").read_text(errors="replace") for p in alive(started)]
