"""`bulletin serve` as an editor lives it: it says where it is, shows a file's error in the
browser page itself (never a request left hanging), and shows the page again once fixed."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.preview import fetch, free_port, wait_for
from generator.problems import Problem
from generator.site.preview import problem_page

STORY = "content/stories/hubei-bulletin/2024-q3/pediatrics.md"
PAGE = "hubei-bulletin/2024-q3/pediatrics/"


def _wait_for_log(log: Path, text: str, timeout: float = 180) -> bool:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if text in log.read_text(encoding="utf-8", errors="replace"):
            return True
        time.sleep(0.2)
    return False


def start_serve(project: Path) -> tuple[subprocess.Popen, str, Path]:
    port = free_port()
    log = project / "serve.log"
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    with log.open("w", encoding="utf-8") as out:
        server = subprocess.Popen([sys.executable, "-m", "generator", "--root", str(project), "serve",
                                   "--dev-addr", f"127.0.0.1:{port}"], stdout=out, stderr=subprocess.STDOUT,
                                  env=env, start_new_session=True)
    return server, f"http://127.0.0.1:{port}/", log


def stop_serve(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)  # the server we started, and its children
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def test_preview_prints_its_address_and_shows_errors_in_the_page(project, browser):
    server, base, log = start_serve(project)
    tab = browser.new_page()
    try:
        assert _wait_for_log(log, f"预览地址：{base}"), log.read_text(encoding="utf-8")
        assert wait_for(base + PAGE, "</html>", timeout=120) is not None
        tab.goto(base + PAGE, timeout=120_000)
        assert "2024年9月27日" in tab.inner_text("main")  # the story's date is on its page

        story = project / STORY
        good = story.read_text(encoding="utf-8")
        story.write_text(good.replace("date: 2024-09-27", "date: 2024-9-27<b>"), encoding="utf-8")
        # The open page reloads by itself and shows the problem: file:line and the Chinese message.
        tab.wait_for_function("document.body && document.body.innerText.includes('预览暂停')", timeout=120_000)
        text = fetch(base + PAGE)  # the page the tab now shows (it asks again every second)
        assert f"{STORY}:4" in text and "错误：</strong>“date”的日期" in text
        assert "&lt;b&gt;" in text and "<b>" not in text  # the editor's text is shown, never run as markup
        started = time.perf_counter()
        assert "预览暂停" in fetch(base + "centers/")  # any page, answered at once
        assert time.perf_counter() - started < 10

        story.write_text(good.replace("提升基层诊疗服务能力\n", "提升基层诊疗服务能力 已改正\n"), encoding="utf-8")
        tab.wait_for_function("document.body && document.body.innerText.includes('已改正')", timeout=120_000)
        assert "预览暂停" not in tab.inner_text("body")

        # A save that changes nothing reloads nothing; the next real edit is shown once.
        shown = log.read_text(encoding="utf-8").count("已更新预览")
        os.utime(story)
        time.sleep(2)
        story.write_text(good.replace("提升基层诊疗服务能力\n", "提升基层诊疗服务能力 再改\n"), encoding="utf-8")
        tab.wait_for_function("document.body && document.body.innerText.includes('再改')", timeout=120_000)
        assert _wait_for_log(log, "已更新预览", timeout=10)
        time.sleep(0.5)
        assert log.read_text(encoding="utf-8").count("已更新预览") == shown + 1

        # A wrong address gets the site's own 404 page, in Chinese, not the server's English line.
        missing = tab.goto(base + "no-such-page/", timeout=120_000)
        assert missing.status == 404 and "404 Not Found" not in tab.inner_text("body")
        assert "md-header" in tab.content()
    finally:
        tab.close()
        stop_serve(server)
    output = log.read_text(encoding="utf-8")
    assert "appear stuck" not in output and "Traceback" not in output
    assert "HTTP/1.1" not in output  # no English access-log line for the 404 above
    assert "预览已停止" in output  # SIGTERM stops it as Ctrl+C does


def test_a_save_made_during_the_first_build_is_not_taken_as_seen(tmp_path):
    import datetime as dt

    from generator.site.watch import ContentWatch

    (tmp_path / "content").mkdir()
    story = tmp_path / "content" / "a.md"
    story.write_text("旧\n", encoding="utf-8")
    watch = ContentWatch(tmp_path, lambda: dt.date(2026, 1, 1))  # made before the first run
    try:
        story.write_text("新的内容\n", encoding="utf-8")  # saved while the first run builds
        assert watch.changed()
        assert not watch.changed()  # seen once
    finally:
        watch.unwatch()


def test_the_background_layout_is_paused_before_the_files_are_looked_at(tmp_path, monkeypatch):
    """The snapshot's stat calls each give up the interpreter lock: beside the background layout
    of a 10,000-story preview they took 1.7 s instead of 0.14 s, before the generator even began."""
    import datetime as dt

    from generator.site import watch as watching

    (tmp_path / "content").mkdir()
    story = tmp_path / "content" / "a.md"
    story.write_text("旧\n", encoding="utf-8")
    watch = watching.ContentWatch(tmp_path, lambda: dt.date(2026, 1, 1))
    seen = []
    real = watching.snapshot
    monkeypatch.setattr(watching, "snapshot", lambda root: (seen.append("snapshot"), real(root))[1])
    try:
        assert watch.poll_s == watching.WATCHED_POLL_S  # events arrive: the poll is only a fallback
        story.write_text("新的内容\n", encoding="utf-8")
        assert watch.changed(lambda: seen.append("paused"))
        assert seen == ["paused", "snapshot"]
    finally:
        watch.unwatch()


def test_a_failing_engine_build_is_shown_not_left_hanging(project):
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("name: material", "name: no-such-theme", 1),
                      encoding="utf-8")
    server, base, log = start_serve(project)
    try:
        assert _wait_for_log(log, f"预览地址：{base}"), log.read_text(encoding="utf-8")
        started = time.perf_counter()
        assert "网站引擎生成预览时出错" in fetch(base)
        assert time.perf_counter() - started < 10  # answered, not stalled until the build works
    finally:
        stop_serve(server)
    assert "appear stuck" not in log.read_text(encoding="utf-8")


def test_problem_page_escapes_editor_text():
    page = problem_page([Problem("content/a.md", 3, "未知的“<script>alert(1)</script>”", "写成 <b>x</b>")]).decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page and "content/a.md:3" in page
    assert 'http-equiv=refresh' in page  # it asks again by itself


def test_scheduled_notice_banner_has_its_date(project):
    import datetime as dt

    from generator.pipeline import generate

    notice = next((project / "content/notices").rglob("*.md"))
    text = notice.read_text(encoding="utf-8")
    notice.write_text(text.replace("---\n", "---\npublish_date: 2099-10-08\n", 1), encoding="utf-8")
    generate(project, today=dt.date(2026, 1, 1), preview=True)
    docs = project / "build/preview/docs"
    page = next(p for p in docs.rglob("index.md") if "将于" in p.read_text(encoding="utf-8"))
    assert "未公开：此内容将于2099年10月8日公开" in page.read_text(encoding="utf-8")


def test_a_save_is_noticed_by_the_file_system_not_only_by_the_poll(tmp_path):
    from generator.site.watch import notified

    (tmp_path / "content" / "stories").mkdir(parents=True)
    changed, unwatch = notified(tmp_path)
    try:
        assert not changed.wait(0.3)  # nothing happened yet
        (tmp_path / "content" / "stories" / "a.md").write_text("新稿件\n", encoding="utf-8")
        assert changed.wait(10)
    finally:
        unwatch()


DRG = "content/stories/hubei-bulletin/2024-q3/drg.md"
DRG_PAGES = frozenset({"hubei-bulletin/2024-q3/drg/index.md", "hubei-bulletin/2024-q3/index.md"})


def _watching(project: Path, full, rebuild, save, full_runs: int, then: float):
    """The preview's watcher (with its first answers, generator/edited.py) on `project` after a
    first good run: `save()` made, then back once `full` ran `full_runs` times and `then` seconds
    more passed. `full(root, state)` is its generator, `rebuild(state)` its engine. The state."""
    import datetime as dt
    import threading

    from generator.edited import show_edit
    from generator.pipeline import generate_preview, preview_config
    from generator.site import preview
    from generator.site.watch import ContentWatch

    config, state, runs = preview_config(project), preview.PreviewState(), []
    watch = ContentWatch(project, lambda: dt.date(2026, 1, 1))
    assert preview.regenerate(project, config, generate_preview, state)
    state.take_pending()  # the engine's first build

    def generate(root):
        runs.append(root)
        return full(root, state)

    def built():
        rebuild(state)
        state.built.set()

    stop = threading.Event()
    watcher = threading.Thread(target=preview.watch_content, daemon=True,
                               args=(project, config, generate, state, stop, built, watch, show_edit))
    watcher.start()
    try:
        save()
        started = time.perf_counter()
        while len(runs) < full_runs and time.perf_counter() - started < 60:
            time.sleep(0.05)
        time.sleep(then)
    finally:
        stop.set()
        watch.event.set()
        watcher.join(timeout=30)
    return state


def test_an_edited_story_text_is_built_before_the_full_run_and_built_once(project):
    """The watcher's order for an edit of a story's text: its page and its issue's page built
    first (generator/edited.py), then the full run, which finds nothing more to build."""
    from generator.pipeline import generate_preview

    events, story = [], project / DRG

    def full(root, state):
        events.append("full run")
        return generate_preview(root)

    def rebuild(state):
        events.append(("built", frozenset(state.take_pending() or ["everything"])))

    def save():
        story.write_text(story.read_text(encoding="utf-8") + "\n\n先看到的段落。\n", encoding="utf-8")

    # a second build, if the full run wrote anything, would come in the second after it
    state = _watching(project, full, rebuild, save, full_runs=1, then=1.0)
    assert events == [("built", DRG_PAGES), "full run"]
    assert "先看到的段落" in (project / "build/preview/docs/hubei-bulletin/2024-q3/drg/index.md").read_text(encoding="utf-8")
    assert not state.problems and state.last is not None


def test_a_save_during_the_full_run_stops_it_and_is_shown_first(project):
    """The editor saves again while the full run of the last save runs: that run stops before it
    writes (generator/superseded.py), the new text is built first, then one full run finishes."""
    from generator.pipeline import generate_preview

    events, story = [], project / DRG
    first = story.read_text(encoding="utf-8") + "\n\n第一次保存。\n"

    def full(root, state):
        events.append("full run")
        if events.count("full run") == 1:  # the second save lands while this run loads
            story.write_text(first + "\n第二次保存。\n", encoding="utf-8")
            time.sleep(0.3)  # the file-system event arrives
        return generate_preview(root)

    def rebuild(state):
        pending = state.take_pending() or []
        page = project / "build/preview/docs/hubei-bulletin/2024-q3/drg/index.md"
        events.append(("built", frozenset(pending), "第二次保存" in page.read_text(encoding="utf-8")))

    state = _watching(project, full, rebuild, lambda: story.write_text(first, encoding="utf-8"),
                      full_runs=2, then=1.5)
    assert events == [("built", DRG_PAGES, False), "full run", ("built", DRG_PAGES, True), "full run"]
    shown = {view.story.file: view.story.body for view in state.last.site.stories}
    assert not state.problems and "第二次保存" in shown[DRG]
