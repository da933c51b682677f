"""`make bench`: a 10-year archive built and measured; the last line printed is one JSON object.

Steps (each heavy one in a fresh Python process, as `make site` runs):
  1. synthesize the archive from the demo content into a temporary folder (archive.py);
  2. generator: cold (empty build/), then warm after one story is edited (median of 3), each in a
     fresh process; and in one process that ran it before, as the preview runs it;
  3. PDFs: cold (empty build/pdf-cache), then warm after one story is edited; the same for the
     Word files (build/docx-cache);
  4. site: `bulletin build` (generator.cli.main(["--root", …, "build"])) with its stages timed;
  5. a bare Material build of the same pages (plain config, default features, search plugin on,
     no hooks), so the site build's overhead is a ratio;
  6. the reader's side in headless Chromium: bytes of the first Chinese search, recall@5 of the
     query set (tests/data/search_queries.json) on the archive and on the demo site;
  7. the preview: `bulletin serve` running, one story saved, time until its page shows the edit
     (only the changed pages built, site/incremental.py), and the same with MkDocs' full rebuilds for comparison;
  8. the statistics charts (generator/charts/): all drawn from an empty cache, as a share of the site
     build (target ≤ 10 %), none when nothing changed, and after one story's figures are edited only
     the charts whose data changed (their names are reported).
  9. the form editor (benchmarks/editor.py): `bulletin serve --edit` on the archive, /admin/ opened
     until its collections are listed, then the all-stories collection (1,000 entries) opened.
Times are wall-clock seconds on this machine; other processes running at the same time inflate
them. Progress goes to stdout line by line; the JSON object is the last line.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUDGET_S = 560  # the whole bench stays under 10 minutes
QUERY = "消毒供应"  # the first search a reader makes
TARGETS = {"generator_s": 0.5, "generator_cold_s": 1.5, "generator_inprocess_s": 0.2,  # issue 22
            "site_build_ratio": 1.2, "site_mb": 60, "first_search_bytes": 300_000,
           "search_recall": 0.95, "preview_refresh_s": 0.5, "preview_startup_s": 5, "pdf_cold_s": 10, "pdf_warm_s": 1.0,  # issue 12
           "charts_share_of_build": 0.10}  # issue 20
PIPELINE_STAGES = ["checked_content", "load_content", "validate", "assemble", "story_images", "chart_files", "render_pdfs", "render_docx", "render_site",
                   "write_pages"]
_started = time.perf_counter()


def log(message: str) -> None:
    print(f"[{time.perf_counter() - _started:6.1f}s] {message}", flush=True)


def remaining() -> float:
    return BUDGET_S - (time.perf_counter() - _started)


# --- stages run in a fresh process: `python -m benchmarks.run --stage NAME ROOT` ------------------

def instrument(module, names: list[str], times: dict) -> None:
    """Wrap module functions so that each call adds its duration to times[name]."""
    for name in names:
        fn = getattr(module, name, None)
        if fn is None:
            continue

        def timed(*args, _fn=fn, _name=name, **kwargs):
            started = time.perf_counter()
            try:
                return _fn(*args, **kwargs)
            finally:
                times[_name] = round(times.get(_name, 0) + time.perf_counter() - started, 3)

        setattr(module, name, timed)


def stage_generate(root: Path) -> dict:
    from generator import pipeline

    times: dict = {}
    instrument(pipeline, PIPELINE_STAGES, times)
    started, cpu_before = time.perf_counter(), cpu_seconds()
    generated = pipeline.generate(root, pdf=False)
    return {"seconds": round(time.perf_counter() - started, 3), "cpu_s": round(cpu_seconds() - cpu_before, 3),
            "process_cpu_s": round(cpu_seconds(), 3), "stages": times, "stats": generated.stats,
            "load": round(os.getloadavg()[0], 1)}


def stage_generate_inprocess(root: Path, story: str) -> dict:
    """The preview's case: the generator run again in the process that ran it before, after one
    story is saved (median of 3; the caches of the earlier run in memory, as in `bulletin serve`)."""
    from generator import pipeline

    pipeline.generate_preview(root)
    runs = []
    for n in range(3):
        touch_story(Path(story), 20 + n)
        started = time.perf_counter()
        pipeline.generate_preview(root)
        runs.append(time.perf_counter() - started)
    return {"seconds": round(statistics.median(runs), 3), "runs": [round(r, 3) for r in runs]}


def stage_pdf(root: Path) -> dict:
    import datetime as dt

    from generator.assemble import assemble
    from generator.charts import chart_files
    from generator.pipeline import checked_content
    from generator.print.pdf import render_pdfs

    content = checked_content(root, keep=True)  # with the files' digests, as the build loads them
    site = assemble(content, content.site, dt.date.today())
    charts = chart_files(site, root)  # as the build prints them (本期统计 with print_statistics)
    cpu_before = cpu_seconds()
    started = time.perf_counter()
    files, _ = render_pdfs(site, root, progress=False, charts=charts, digests=content.digests)
    # CPU seconds (this process and its compile workers) next to the wall time: on a shared
    # machine the wall time grows with the load average, the CPU time hardly does.
    return {"seconds": round(time.perf_counter() - started, 3), "cpu_s": round(cpu_seconds() - cpu_before, 2),
            "load": round(os.getloadavg()[0], 1), "documents": len(files),
            "mb": round(sum(f.stat().st_size for f in files.values()) / 1e6, 1)}


def peak_rss_mb() -> dict:
    """Peak resident memory of this process and of the largest of its finished children (MB)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"self": round(own.ru_maxrss / 1024), "children": round(children.ru_maxrss / 1024)}


def cpu_seconds() -> float:
    """User + system time of this process and of its finished children (the PDF workers)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def stage_word(root: Path) -> dict:
    import datetime as dt

    from generator.assemble import assemble
    from generator.charts import chart_files
    from generator.pipeline import checked_content
    from generator.print.word import render_docx

    content = checked_content(root)
    site = assemble(content, content.site, dt.date.today())
    charts = chart_files(site, root)
    started = time.perf_counter()
    files, _ = render_docx(site, root, charts=charts)
    return {"seconds": round(time.perf_counter() - started, 3), "documents": len(files)}


def stage_build(root: Path, *flags: str) -> dict:
    from generator import cli, pipeline, publish

    times: dict = {}
    instrument(pipeline, ["generate", "chart_files"], times)
    instrument(publish, ["build_with", "index_search"], times)  # Pagefind runs beside the engine: this is the wait
    from benchmarks.memory import TreeSampler

    started = time.perf_counter()
    with TreeSampler() as memory:  # the build and what runs beside it (Pagefind, PDF workers), summed
        code = cli.main(["--root", str(root), "build", *flags])
    rss = peak_rss_mb()
    return {"exit": code, "seconds": round(time.perf_counter() - started, 3), "stages": times,
            "cpu_s": round(cpu_seconds(), 2), "peak_rss_mb": max(rss.values()), "rss_mb": rss,
            "tree_rss_mb": round(memory.peak_mb), "tree_processes": memory.peak_processes,
            "load": round(os.getloadavg()[0], 1)}


def stage_serve_full(root: Path, addr: str) -> None:
    """The preview with MkDocs' full rebuilds (what `mkdocs serve` does by default)."""
    from generator.pipeline import generate_preview, preview_config, publication_day
    from generator.site.preview import serve_preview

    serve_preview(root, preview_config(root), generate_preview, addr, day=publication_day, dirty=False, incremental=False)


def stage_charts(root: Path, cold: str = "") -> dict:
    """chart_files on the assembled site; with "cold" the chart cache is emptied first."""
    import datetime as dt

    from generator.assemble import assemble
    from generator.charts import chart_files
    from generator.charts.files import CACHE
    from generator.pipeline import checked_content

    content = checked_content(root)
    site = assemble(content, content.site, dt.date.today())
    if cold == "cold":
        shutil.rmtree(root / CACHE, ignore_errors=True)
    started = time.perf_counter()
    charts = chart_files(site, root)
    charts.wait()  # many missing charts are drawn by worker processes beside the generator
    return {"seconds": round(time.perf_counter() - started, 3), "drawn": charts.drawn, "charts": len(charts.all()),
            "files": {rel: path.name for rel, path in charts.files.items()}}


STAGES = {"generate": stage_generate, "generate-inprocess": stage_generate_inprocess, "charts": stage_charts, "pdf": stage_pdf, "word": stage_word, "build": stage_build}


def run_stage(name: str, root: Path, *args: str, timeout: float = 300) -> tuple[dict | None, float]:
    """A stage in a fresh process: (its JSON report or None, wall seconds including start-up)."""
    command = [sys.executable, "-m", "benchmarks.run", "--stage", name, str(root), "--", *args]
    started = time.perf_counter()
    proc = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=max(timeout, 1))
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the stage and its workers: started here
        proc.communicate()
        return None, time.perf_counter() - started
    seconds = time.perf_counter() - started
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        log(f"stage {name} failed ({proc.returncode}): {(err or out)[-800:]}")
        return None, seconds
    return json.loads(lines[-1]), seconds


# --- the measurements ------------------------------------------------------------------------

def touch_story(story: Path, n: int) -> None:
    """An editor's change to one story: one sentence appended."""
    story.write_text(story.read_text(encoding="utf-8").rstrip("\n") + f"\n\n基准测试修改第{n}次。\n", encoding="utf-8")


def measure_generator(root: Path, story: Path) -> dict:
    cold, _ = run_stage("generate", root)
    warm = []
    for n in range(3):
        touch_story(story, n)
        report, _ = run_stage("generate", root)
        warm.append(report)
    warm = [w for w in warm if w]
    median = statistics.median(w["seconds"] for w in warm) if warm else None
    inprocess, _ = run_stage("generate-inprocess", root, str(story))
    log(f"generator: cold {cold and cold['seconds']} s ({cold and cold['cpu_s']} CPU s, stages "
        f"{cold and cold['stages']}), warm (one story edited) {median} s (CPU s "
        f"{[w['cpu_s'] for w in warm]}, stages {warm and warm[-1]['stages']}; load {os.getloadavg()[0]:.1f}); "
        f"in the preview's process {inprocess and inprocess['runs']} s")
    return {"cold": cold, "warm_s": median, "warm": warm[-1] if warm else None,
            "inprocess_s": inprocess and inprocess["seconds"]}


def measure_pdfs(root: Path, story: Path, budget: float = 300) -> dict:
    shutil.rmtree(root / "build" / "pdf-cache", ignore_errors=True)
    budget = min(budget, remaining() - 240)
    cold, wall = run_stage("pdf", root, timeout=budget)
    if cold is None:
        log(f"PDFs: cold run stopped after {wall:.0f} s (bench time budget)")
        return {"cold_s": None, "warm_s": None, "note": f"cold run stopped after {wall:.0f} s"}
    touch_story(story, 9)
    warm, _ = run_stage("pdf", root, timeout=min(120, remaining() - 200))
    log(f"PDFs: cold {cold['seconds']} s ({cold['cpu_s']} CPU s, load {cold['load']}) for {cold['documents']} "
        f"documents, {cold['mb']} MB; warm {warm and warm['seconds']} s ({warm and warm['cpu_s']} CPU s)")
    return {"cold_s": cold["seconds"], "warm_s": warm and warm["seconds"], "documents": cold["documents"],
            "cold_cpu_s": cold["cpu_s"], "warm_cpu_s": warm and warm["cpu_s"], "load": cold["load"], "mb": cold["mb"]}


def measure_word(root: Path, story: Path) -> dict:
    """Word files: cold (empty build/docx-cache), then warm after one story is edited."""
    shutil.rmtree(root / "build" / "docx-cache", ignore_errors=True)
    cold, wall = run_stage("word", root, timeout=min(120, remaining() - 240))
    if cold is None:
        return {"cold_s": None, "warm_s": None}
    touch_story(story, 8)
    warm, _ = run_stage("word", root, timeout=min(60, remaining() - 200))
    log(f"Word: cold {cold['seconds']} s for {cold['documents']} documents, warm {warm and warm['seconds']} s")
    return {"cold_s": cold["seconds"], "warm_s": warm and warm["seconds"]}


BARE_CONFIG = """site_name: bare
docs_dir: {docs}
site_dir: {site}
theme:
  name: material
plugins:
  - search
"""


def figure_story(root: Path) -> Path | None:
    """A story of the archive that carries figures (the demo has three per issue)."""
    from benchmarks.archive import split_front_matter

    return next((p for p in sorted((root / "content/stories").rglob("*.md"))
                 if split_front_matter(p.read_text(encoding="utf-8"))[0].get("figures")), None)


def measure_charts(root: Path, build_s: float | None) -> dict:
    from benchmarks.archive import join_front_matter, split_front_matter

    cold, _ = run_stage("charts", root, "cold")
    warm, _ = run_stage("charts", root)
    story, edited = figure_story(root), None
    if story is not None:  # one figure of one story changed: its issue's and its series' charts only
        meta, body = split_front_matter(story.read_text(encoding="utf-8"))
        name = next(iter(meta["figures"]))
        meta["figures"][name] += 1
        story.write_text(join_front_matter(meta, body), encoding="utf-8")
        edited, _ = run_stage("charts", root)
    changed = sorted(rel for rel, name in (edited or {}).get("files", {}).items()
                     if cold and cold["files"].get(rel) != name)
    share = round(cold["seconds"] / build_s, 3) if cold and build_s else None
    log(f"charts: {cold and cold['charts']} on the site, {cold and cold['drawn']} distinct drawn cold in "
        f"{cold and cold['seconds']} s ({share} of the site build); unchanged: {warm and warm['drawn']} drawn; "
        f"one story's figures edited: {edited and edited['drawn']} drawn, changed {changed}")
    return {"cold_s": cold and cold["seconds"], "share_of_build": share, "charts": cold and cold["charts"],
            "drawn_cold": cold and cold["drawn"], "drawn_unchanged": warm and warm["drawn"],
            "drawn_after_figure_edit": edited and edited["drawn"], "changed_after_figure_edit": changed}


def bare_material(root: Path, work: Path, nav: list | None = None) -> dict:
    """A plain Material build of build/docs: default features, its search plugin, no hooks; with
    `nav`, the site's own issue-level navigation instead of MkDocs' every-page default."""
    import yaml

    config = work / "bare-mkdocs.yml"
    text = BARE_CONFIG.format(docs=root / "build" / "docs", site=work / "bare-site")
    config.write_text(text + (yaml.safe_dump({"nav": nav}, allow_unicode=True) if nav else ""), encoding="utf-8")
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)],
                          capture_output=True, text=True, timeout=max(remaining() - 150, 30))
    seconds = round(time.perf_counter() - started, 2)
    size = folder_mb(work / "bare-site")
    shutil.rmtree(work / "bare-site", ignore_errors=True)
    log(f"bare Material{' (site nav)' if nav else ''}: {seconds} s, {size} MB (exit {proc.returncode})")
    return {"seconds": seconds, "site_mb": size, "exit": proc.returncode}


def measure_bare_material(root: Path, work: Path) -> dict:
    default = bare_material(root, work)
    import yaml

    nav = yaml.safe_load((root / "build" / "engine.yml").read_text(encoding="utf-8"))["nav"]
    default["site_nav"] = bare_material(root, work, nav) if remaining() > 200 else None
    return default


def folder_mb(folder: Path, pattern: str = "*") -> float:
    return round(sum(f.stat().st_size for f in folder.rglob(pattern) if f.is_file()) / 1e6, 1)


def site_parts_mb(site: Path) -> dict:
    """Where the site's megabytes are: PDFs, the search index, HTML pages, theme assets."""
    if not site.exists():
        return {}
    return {"pdf": folder_mb(site, "*.pdf"), "pagefind": folder_mb(site / "pagefind"),
            "html": folder_mb(site, "*.html"), "assets": folder_mb(site / "assets")}


def measure_search(site: Path, normalize) -> dict:
    from benchmarks.browser import chromium, first_search, load_queries, measure_recall, served

    with chromium() as browser:
        with served(site, gzip_text=True) as base:
            first = first_search(browser, base, QUERY)
            recall = measure_recall(browser, base, load_queries(), normalize)
        with served(site) as base:
            raw = first_search(browser, base, QUERY)
    return {"first": first, "raw": raw, "recall": recall}


def measure_demo_recall(work: Path) -> dict:
    from benchmarks.browser import chromium, load_queries, measure_recall, served
    from benchmarks.project import copy_project

    demo = copy_project(work / "demo")
    report, _ = run_stage("build", demo, "--no-pdf")
    if not report or report["exit"] != 0:
        return {"recall": None}
    with chromium() as browser, served(demo / "site") as base:
        recall = measure_recall(browser, base, load_queries())
    log(f"demo search: recall@5 {recall.share} ({recall.hits}/{recall.total})")
    return {"recall": recall.share, "misses": recall.misses}


def measure_preview(root: Path, story: Path, url: str, compare_full: bool = True) -> dict:
    from benchmarks.preview import free_port, measure_refresh

    dirty = measure_refresh(root, story, url)
    log(f"preview (changed pages only): {dirty}")
    full = None
    if compare_full and remaining() > 90:
        port = free_port()
        command = [sys.executable, "-m", "benchmarks.run", "--stage", "serve-full", str(root), f"127.0.0.1:{port}"]
        full = measure_refresh(root, story, url, edits=1, command=command, port=port)
        log(f"preview (full rebuilds, for comparison): {full}")
    times = [t for t in dirty.get("refresh_s", []) if t is not None]
    return {"refresh_s": statistics.median(times) if times else None, "dirty": dirty, "full": full}


def main() -> int:
    from benchmarks.archive import base_slug, synthesize
    from benchmarks.editor import measure_editor
    from benchmarks.project import DEMO

    with tempfile.TemporaryDirectory(prefix="zk-bench-") as tmp:
        work = Path(tmp)
        archive = synthesize(DEMO, work / "archive")
        root, story = archive.root, archive.sample_story
        log(f"archive: {archive.stories} stories in {archive.issues} issues, {archive.centers_with_stories} centers "
            f"with stories, {archive.notices} notices")
        generator = measure_generator(root, story)
        pdfs = measure_pdfs(root, story)
        word = measure_word(root, story)
        build, build_wall = run_stage("build", root, *([] if pdfs["cold_s"] is not None else ["--no-pdf"]),
                                      timeout=max(remaining() - 120, 60))
        site = root / "site"
        log(f"site build: {build_wall:.1f} s wall, stages {build and build['stages']}")
        charts = measure_charts(root, build_wall if build else None)
        bare = measure_bare_material(root, work)
        search = measure_search(site, base_slug)
        log(f"first search: {search['first']['bytes']} B transferred (gzip), {search['raw']['bytes']} B uncompressed; "
            f"recall@5 {search['recall'].share}; misses {search['recall'].misses}")
        demo = measure_demo_recall(work) if remaining() > 150 else {"recall": None}
        preview = measure_preview(root, story, archive.sample_url) if remaining() > 60 else {"refresh_s": None}
        editor = measure_editor(root) if remaining() > 90 else {}
        log(f"form editor: {editor}")
        result = {
            "stories": archive.stories,
            "pages": generator["cold"]["stats"]["pages"] if generator["cold"] else None,
            "generator_s": generator["warm_s"],
            "site_build_s": round(build_wall, 2) if build else None,
            "bare_material_s": bare["seconds"],
            "pdf_cold_s": pdfs["cold_s"],
            "pdf_warm_s": pdfs["warm_s"],
            "site_mb": folder_mb(site) if site.exists() else None,
            "first_search_bytes": search["first"]["bytes"],
            "search_recall": search["recall"].share,
            "preview_refresh_s": preview["refresh_s"],
            "generator_cold_s": generator["cold"] and generator["cold"]["seconds"],
            "preview_startup_s": (preview.get("dirty") or {}).get("startup_s"),
            # as bench-national: the build and everything beside it (Pagefind, print workers), summed
            "peak_rss_mb": build and build.get("tree_rss_mb"),
            "charts_share_of_build": charts["share_of_build"],
            "charts_redrawn_after_figure_edit": charts["drawn_after_figure_edit"],
            "admin_ready_s": editor.get("admin_ready_s"),
            "admin_stories_open_s": editor.get("collection_open_s"),
            "stages": {
                "charts": charts,
                "admin_stories_entries": editor.get("entries"),
                "generator_cold_s": generator["cold"] and generator["cold"]["seconds"],
                "generator_warm_stages": generator["warm"] and generator["warm"]["stages"],
                "generator_inprocess_s": generator["inprocess_s"],  # issue 22: ≤ 0.2 in the preview's process
                "site_build_stages": build and build["stages"],
                "peak_rss_largest_process_mb": build and build.get("peak_rss_mb"),
                "site_build_ratio": round(build_wall / bare["seconds"], 2) if build and bare["seconds"] else None,
                "bare_material_site_mb": bare["site_mb"],
                "bare_material_site_nav_s": (bare["site_nav"] or {}).get("seconds"),
                "site_build_ratio_site_nav": (round(build_wall / bare["site_nav"]["seconds"], 2)
                                              if build and bare["site_nav"] else None),
                "site_parts_mb": site_parts_mb(site),
                "pdf_documents": pdfs.get("documents"),
                "word_cold_s": word["cold_s"],
                "word_warm_s": word["warm_s"],
                "pdf_cold_cpu_s": pdfs.get("cold_cpu_s"),
                "pdf_warm_cpu_s": pdfs.get("warm_cpu_s"),
                "pdf_load_average": pdfs.get("load"),
                "pdf_mb": pdfs.get("mb"),
                "first_search_uncompressed_bytes": search["raw"]["bytes"],
                "first_search_pagefind_bytes": search["first"]["pagefind_bytes"],
                "first_search_requests": search["first"]["requests"],
                "first_search_foreign_requests": len(search["first"]["foreign_requests"]),
                "search_queries": search["recall"].total,
                "search_recall_demo": demo["recall"],
                "preview_full_rebuild_s": (preview.get("full") or {}).get("refresh_s"),
                "notices": archive.notices,
                "generator_warm_cpu_s": generator["warm"] and generator["warm"]["cpu_s"],
                "generator_warm_process_cpu_s": generator["warm"] and generator["warm"]["process_cpu_s"],
                "site_build_cpu_s": build and build.get("cpu_s"),
                "load_average": [round(x, 1) for x in os.getloadavg()],
                "bench_s": round(time.perf_counter() - _started, 1),
            },
            "targets": TARGETS,
        }
    print(json.dumps(result, ensure_ascii=False))
    return 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    p.add_argument("--stage", choices=[*STAGES, "serve-full"], help="run one stage in this process (internal)")
    p.add_argument("args", nargs="*")
    return p.parse_args(argv)


if __name__ == "__main__":
    options = parse_args(sys.argv[1:])
    if options.stage == "serve-full":
        stage_serve_full(Path(options.args[0]), options.args[1])
    elif options.stage:
        print(json.dumps(STAGES[options.stage](Path(options.args[0]), *options.args[1:]), ensure_ascii=False))
    else:
        sys.exit(main())
