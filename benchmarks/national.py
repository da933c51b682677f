"""`make bench-national`: the 10-year archive ten times over — ten publishers — built and measured.

A national aggregator (or one province after decades) holds ~10,000 stories. The demo content
is turned into ten publishers, each with its own series, center registry, notice series and
evaluation rounds: every id gets a publisher suffix (`-p3`), every region name (the first two
characters of each registry `region`, e.g. the province) is replaced by a made-up place name,
and a notice series' document prefix takes that place's first character — so no two publishers
share a file, an id, a center name or a document number. Each publisher's series is then grown
into 40 quarters as `make bench` does (benchmarks/archive.py): ~10,000 stories, ~11,000 pages,
~480 PDFs.

Measured the same way as `make bench` (each heavy step in a fresh process), plus the 1× archive's
site build at the same moment (so the ratio is measured under the same load) and the peak RSS of
the build: `peak_rss_mb` is the largest sum of the resident memory of the build process and
everything running beside it (Pagefind, print workers; benchmarks/memory.py), sampled every
0.25 s; the largest single process is in stages. As in `make bench`, the PDFs and Word files are
made (cold, then after one edit) before the site build, which then finds them cached; the 1×
archive gets the same steps. Run it niced on a shared machine: CPU seconds are reported beside
wall times.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import yaml

PUBLISHERS = 10
# Made-up two-character place names (no real province): publisher k ≥ 1 replaces each region stem.
PLACES = ["东川", "南岭", "西江", "北原", "中州", "云梦", "海滨", "山阳", "河阴", "青崖", "白石", "金沙",
          "玉屏", "长汀", "松溪", "柳湾", "石门", "清源", "丹霞", "梅岭"]
TEXT_SUFFIXES = {".md", ".yml", ".yaml"}
TARGETS = {"site_build_ratio": 10.5, "site_build_s": 100, "peak_rss_mb": 2048, "site_mb": 600,
           "first_search_bytes": 400_000, "search_recall": 0.95, "pdf_warm_s": 1.0, "generator_s": 1.0,
           "preview_refresh_s": 1.0}


def region_stems(root: Path) -> list[str]:
    """The distinct two-character stems of the registry's regions (province or region names)."""
    stems: list[str] = []
    for path in sorted((root / "content/centers").glob("*.yml")):
        for center in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            region = center.get("region", "")
            region = region.get("province", "") if isinstance(region, dict) else str(region)
            if len(region) >= 2 and region[:2] not in stems:
                stems.append(region[:2])
    return stems


def ids_of(root: Path) -> list[str]:
    """Series ids and center ids: what every file of the project refers to."""
    ids = [p.stem for p in (root / "content/series").glob("*.yml")]
    for path in (root / "content/centers").glob("*.yml"):
        ids += [c["id"] for c in yaml.safe_load(path.read_text(encoding="utf-8")) or []]
    return sorted(set(ids), key=len, reverse=True)


def publisher_copy(source: Path, target: Path, k: int, ids: list[str], stems: list[str]) -> None:
    """Publisher number `k` of the national project: every content file of `source` with ids,
    folder names, region names and document prefixes made its own (k = 0 keeps the original)."""
    id_re = re.compile(r"(?<![a-z0-9-])(" + "|".join(map(re.escape, ids)) + r")(?![a-z0-9-])")
    places = {stem: PLACES[(k - 1) * len(stems) + n] for n, stem in enumerate(stems)} if k else {}

    def own_text(text: str) -> str:
        text = id_re.sub(lambda m: f"{m.group(1)}-p{k}", text)
        for stem, place in places.items():
            text = text.replace(stem, place)
        if places:  # document prefixes start with an abbreviation of the region: the first place's
            mark = next(iter(places.values()))[0]
            text = re.sub(r"((?:doc_)?prefix:\s*)\S", lambda m: m.group(1) + mark, text)
        return text

    for name in ("content", "bulletins"):
        for path in sorted((source / name).rglob("*")):
            if not path.is_file() or (k and path.relative_to(source).as_posix() == "content/site.yml"):
                continue
            rel = path.relative_to(source)
            out = target.joinpath(*(own_name(part, k, ids, rel.parts[:2] == ("content", "centers")) for part in rel.parts))
            out.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix in TEXT_SUFFIXES and k:
                out.write_text(own_text(path.read_text(encoding="utf-8")), encoding="utf-8")
            else:
                shutil.copy2(path, out)


def own_name(part: str, k: int, ids: list[str], registry: bool) -> str:
    """A folder or file name of publisher `k`: a series id (folder or `<id>.yml`) or a registry
    file gets the publisher suffix; story slugs and issue keys stay (the query set's slugs)."""
    stem, dot, suffix = part.partition(".")
    if k and (stem in ids or (registry and dot)):
        return f"{stem}-p{k}{dot}{suffix}"
    return part


def national_seed(source: Path, target: Path, publishers: int = PUBLISHERS) -> Path:
    """A project with `publishers` publishers made from the one at `source`."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / "mkdocs.yml", target / "mkdocs.yml")
    ids, stems = ids_of(source), region_stems(source)
    for k in range(publishers):
        publisher_copy(source, target, k, ids, stems)
    return target


def synthesize_national(source: Path, work: Path, publishers: int = PUBLISHERS):
    from benchmarks.archive import synthesize

    seed = national_seed(source, work / "national-seed", publishers)
    archive = synthesize(seed, work / "national")
    shutil.rmtree(seed)
    return archive


def main() -> int:
    from benchmarks import run
    from benchmarks.archive import base_slug, synthesize
    from benchmarks.project import DEMO

    run.BUDGET_S = 3000  # ten times the work; the 1× bench keeps its 10 minutes
    with tempfile.TemporaryDirectory(prefix="zk-bench-national-") as tmp:
        work = Path(tmp)
        archive = synthesize_national(DEMO, work)
        root, story = archive.root, archive.sample_story
        run.log(f"national archive: {archive.stories} stories in {archive.issues} issues, {archive.notices} notices")
        generator = run.measure_generator(root, story)
        pdfs = run.measure_pdfs(root, story, budget=900)
        word = run.measure_word(root, story)  # as `make bench`: the build finds PDFs and Word files cached
        build, build_wall = run.run_stage("build", root, timeout=1200)
        run.log(f"site build: {build_wall:.1f} s wall ({build and build['cpu_s']} CPU s, load {build and build['load']}), "
                f"stages {build and build['stages']}, peak RSS {build and build.get('rss_mb')} MB, "
                f"all processes at once {build and build.get('tree_rss_mb')} MB")
        one = synthesize(DEMO, work / "one")
        for stage in ("generate", "pdf", "word"):  # the 1× caches made as the national ones were
            run.run_stage(stage, one.root, timeout=600)
        one_build, one_wall = run.run_stage("build", one.root, timeout=600)
        run.log(f"1× site build (same moment): {one_wall:.1f} s ({one_build and one_build['cpu_s']} CPU s)")
        site = root / "site"
        search = run.measure_search(site, base_slug)
        run.log(f"first search: {search['first']['bytes']} B; recall@5 {search['recall'].share}; "
                f"misses {search['recall'].misses}")
        preview = run.measure_preview(root, story, archive.sample_url, compare_full=False)
        result = {
            "stories": archive.stories,
            "publishers": PUBLISHERS,
            "pages": generator["cold"]["stats"]["pages"] if generator["cold"] else None,
            "generator_s": generator["warm_s"],
            "generator_cold_s": generator["cold"] and generator["cold"]["seconds"],
            "site_build_s": round(build_wall, 2) if build else None,
            "site_build_1x_s": round(one_wall, 2) if one_build else None,
            "site_build_ratio": round(build_wall / one_wall, 2) if build and one_build else None,
            "peak_rss_mb": build and build.get("tree_rss_mb"),  # the build and Pagefind beside it, summed
            "pdf_cold_s": pdfs["cold_s"],
            "pdf_warm_s": pdfs["warm_s"],
            "site_mb": run.folder_mb(site) if site.exists() else None,
            "first_search_bytes": search["first"]["bytes"],
            "search_recall": search["recall"].share,
            "preview_refresh_s": preview["refresh_s"],
            "preview_startup_s": preview["dirty"].get("startup_s"),
            "stages": {
                "generator_warm_stages": generator["warm"] and generator["warm"]["stages"],
                "generator_warm_cpu_s": generator["warm"] and generator["warm"].get("cpu_s"),
                "site_build_stages": build and build["stages"],
                "site_build_cpu_s": build and build.get("cpu_s"),
                "peak_rss_largest_process_mb": build and build.get("peak_rss_mb"),
                "site_build_load": build and build.get("load"),
                "word_cold_s": word["cold_s"],
                "word_warm_s": word["warm_s"],
                "generator_cold_cpu_s": generator["cold"] and generator["cold"].get("cpu_s"),
                "site_build_1x_cpu_s": one_build and one_build.get("cpu_s"),
                "site_parts_mb": run.site_parts_mb(site),
                "pdf_documents": pdfs.get("documents"),
                "pdf_cold_cpu_s": pdfs.get("cold_cpu_s"),
                "pdf_warm_cpu_s": pdfs.get("warm_cpu_s"),
                "pdf_workers": os.cpu_count(),
                "first_search_uncompressed_bytes": search["raw"]["bytes"],
                "search_queries": search["recall"].total,
                "notices": archive.notices,
                "issues": archive.issues,
                "load_average": [round(x, 1) for x in os.getloadavg()],
                "bench_s": round(time.perf_counter() - run._started, 1),
            },
            "targets": TARGETS,
        }
    print(json.dumps(result, ensure_ascii=False))
    return 0


def cold_build(publishers: int) -> int:
    """`python -m benchmarks.national --cold N`: one `bulletin build` of an N-publisher archive
    from an empty build/ (a fresh checkout's first `make site`: every page, PDF, Word file and the
    search index), with its wall and CPU time and the peak of all its processes' memory summed."""
    from benchmarks import run
    from benchmarks.project import DEMO

    run.BUDGET_S = 3600
    with tempfile.TemporaryDirectory(prefix="zk-bench-cold-") as tmp:
        archive = synthesize_national(DEMO, Path(tmp), publishers)
        run.log(f"{publishers} publishers: {archive.stories} stories in {archive.issues} issues, {archive.notices} notices")
        build, wall = run.run_stage("build", archive.root, timeout=3000)
        site = archive.root / "site"
        result = {"publishers": publishers, "stories": archive.stories, "cold_build_s": round(wall, 1),
                  "cpu_s": build and build["cpu_s"], "peak_rss_mb": build and build["tree_rss_mb"],
                  "peak_rss_largest_process_mb": build and build["peak_rss_mb"], "stages": build and build["stages"],
                  "site_mb": run.folder_mb(site) if site.exists() else None,
                  "load_average": [round(x, 1) for x in os.getloadavg()]}
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--cold":
        sys.exit(cold_build(int(sys.argv[2])))
    sys.exit(main())
