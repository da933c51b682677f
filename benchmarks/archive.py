"""A synthetic 10-year archive built from the demo content, for `make bench`.

Every bulletin series with at least one issue in bulletins/ is repeated over 40 quarters ending
with its newest issue: the seed stories re-used each quarter with shifted years, varied dates,
some varied slugs (`<slug>-<yy><q>`, e.g. `pediatrics-193`) and partners rotated through the
registry so that about 40 centers have pages. Evaluation rounds and notices, when content has
them, are repeated across the same ten years by shifting every year they mention.

Nothing here knows a province: all names come from the content being copied.
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import yaml

from benchmarks.project import copy_project

YEARS = 10
CENTERS_WITH_PAGES = 40
VARIANT_SLUG = re.compile(r"-\d{3}$")  # `pediatrics-193`: the seed slug of 2019 Q3, varied
QUARTER_MONTHS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}
YEAR_IN_TEXT = re.compile(r"(?<!\d)(19|20)(\d\d)(?!\d)")


def base_slug(slug: str) -> str:
    """The seed slug a synthetic story was made from (`pediatrics-193` → `pediatrics`)."""
    return VARIANT_SLUG.sub("", slug)


@dataclass
class Archive:
    root: Path
    stories: int = 0
    issues: int = 0
    centers_with_stories: int = 0
    notices: int = 0  # evaluation rounds and notice files repeated across years
    sample_story: Path | None = None  # a story file the preview benchmark edits
    sample_url: str = ""
    extra: dict = field(default_factory=dict)


def split_front_matter(text: str) -> tuple[dict, str]:
    _, head, body = text.split("---\n", 2)
    return yaml.safe_load(head), body


def join_front_matter(meta: dict, body: str) -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body


def quarters_back(year: int, quarter: int, count: int) -> list[tuple[int, int]]:
    """`count` quarters ending with (year, quarter), oldest first."""
    index = year * 4 + quarter - 1
    return [(i // 4, i % 4 + 1) for i in range(index - count + 1, index + 1)]


def issue_date(year: int, quarter: int, n: int) -> dt.date:
    """A date in the quarter's last month, varied from issue to issue."""
    return dt.date(year, QUARTER_MONTHS[quarter][1], 12 + (n * 5) % 17)


def shifted_text(text: str, seed: tuple[int, int], target: tuple[int, int]) -> str:
    """The seed quarter's year and month range rewritten to the target quarter's."""
    (sy, sq), (ty, tq) = seed, target
    (sa, sc), (ta, tc) = QUARTER_MONTHS[sq], QUARTER_MONTHS[tq]
    text = text.replace(f"{sy}年", f"{ty}年")
    text = text.replace(f"{sa}月—{sc}月", f"{ta}月—{tc}月").replace(f"{sa}—{sc}月", f"{ta}—{tc}月")
    return text


def registry(root: Path) -> dict[str, list[dict]]:
    """Center registry entries by file, in file order."""
    return {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) or []
            for p in sorted((root / "content/centers").glob("*.yml"))}


def spare_centers(root: Path, used: set[str]) -> list[str]:
    """Active centers not yet used by any story: first from the registry files the seed stories
    use, then from the others."""
    files = registry(root)
    home = [entries for entries in files.values() if any(c["id"] in used for c in entries)]
    others = [entries for entries in files.values() if entries not in home]
    spare = [c["id"] for entries in home + others for c in entries
             if c["id"] not in used and c.get("status", "active") == "active"]
    return spare[: max(0, CENTERS_WITH_PAGES - len(used))]


def story_files(root: Path, kind: str, issue_id: str) -> list[Path]:
    return sorted((root / "content" / kind / issue_id).glob("*.md"))


@dataclass
class Seed:
    """The newest issue of a series, read once, from which every quarter is copied."""

    issue: dict
    stories: dict[str, tuple[dict, str]]  # slug → (front matter, body)
    notes: dict[str, tuple[dict, str]]  # slug → its 点评
    extras: list[Path]  # images and other files beside the stories
    centers: set[str]  # authors and partners of the seed stories
    spare: list[str]  # centers that become partners, so that about 40 centers have pages

    @property
    def quarter(self) -> tuple[int, int]:
        return self.issue["year"], self.issue["quarter"]


def read_seed(root: Path, seed_file: Path) -> Seed:
    """The seed issue and its stories, 点评 and other files, as content has them."""
    issue = yaml.safe_load(seed_file.read_text(encoding="utf-8"))
    seed_id = f"{issue['series']}/{issue['year']}-q{issue['quarter']}"
    read = lambda kind: {p.stem: split_front_matter(p.read_text(encoding="utf-8"))
                         for p in story_files(root, kind, seed_id)}
    stories, notes = read("stories"), read("commentary")
    extras = [p for p in (root / "content/stories" / seed_id).iterdir() if not p.name.endswith(".md")]
    used = {m["center"] for m, _ in stories.values()} | {p for m, _ in stories.values() for p in m.get("partners", [])}
    return Seed(issue, stories, notes, extras, used, spare_centers(root, used))


def write_quarter(root: Path, seed: Seed, n: int, year: int, quarter: int) -> Path:
    """Quarter number `n` of the archive: its stories, 点评 and issue file. Returns its first story."""
    is_seed = (year, quarter) == seed.quarter
    series = seed.issue["series"]
    issue_id = f"{series}/{year}-q{quarter}"
    date = seed.issue["date"] if is_seed else issue_date(year, quarter, n)
    slugs = {s: s if is_seed or n % 3 else f"{s}-{year % 100}{quarter}" for s in seed.stories}
    shift = partial(shifted_text, seed=seed.quarter, target=(year, quarter))
    folder = root / "content/stories" / issue_id
    folder.mkdir(parents=True, exist_ok=True)
    for extra in seed.extras:
        (shutil.copytree if extra.is_dir() else shutil.copy2)(extra, folder / extra.name)
    for k, (slug, (meta, body)) in enumerate(sorted(seed.stories.items())):
        meta = dict(meta, issue=issue_id, date=date - dt.timedelta(days=k % 9))
        partner = seed.spare[(n + k) % len(seed.spare)] if seed.spare and not is_seed and (n + k) % 4 == 0 else None
        if partner and partner != meta["center"] and partner not in meta.get("partners", []):
            meta["partners"] = [*meta.get("partners", []), partner]
        (folder / f"{slugs[slug]}.md").write_text(join_front_matter(meta, shift(body)), encoding="utf-8")
        if slug in seed.notes:
            note_meta, note_body = seed.notes[slug]
            note = root / "content/commentary" / issue_id / f"{slugs[slug]}.md"
            note.parent.mkdir(parents=True, exist_ok=True)
            note.write_text(join_front_matter(dict(note_meta, story=f"{issue_id}/{slugs[slug]}"), shift(note_body)),
                            encoding="utf-8")
    issue = dict(seed.issue, year=year, quarter=quarter, date=date,
                 sections=[dict(s, stories=[slugs[x] for x in s["stories"]]) for s in seed.issue["sections"]])
    if seed.issue.get("number"):
        issue["number"] = seed.issue["number"] - (YEARS * 4 - 1 - n)
    if issue.get("preface"):
        issue["preface"] = shift(issue["preface"])
    (root / "bulletins" / series / f"{year}-q{quarter}.yml").write_text(
        yaml.safe_dump(issue, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder / f"{slugs[min(seed.stories)]}.md"


def synthesize_series(root: Path, seed_file: Path, archive: Archive) -> None:
    """One bulletin series: its newest issue repeated over 40 quarters ending with it."""
    seed = read_seed(root, seed_file)
    seed_folder = root / "content/stories" / f"{seed.issue['series']}/{seed.issue['year']}-q{seed.issue['quarter']}"
    if seed.extras:  # out of the way: the seed quarter's folder is rewritten like the others
        keep = root / "build" / "bench-seed-files"
        keep.mkdir(parents=True, exist_ok=True)
        seed.extras = [extra.rename(keep / extra.name) for extra in seed.extras]
    for kind in ("stories", "commentary"):
        shutil.rmtree(root / "content" / kind / seed_folder.relative_to(root / "content/stories"), ignore_errors=True)
    seed_file.unlink()
    for n, (year, quarter) in enumerate(quarters_back(*seed.quarter, YEARS * 4)):
        first = write_quarter(root, seed, n, year, quarter)
        archive.sample_story = archive.sample_story or first
        archive.stories += len(seed.stories)
        archive.issues += 1
    archive.centers_with_stories = len(seed.centers) + len(seed.spare)


def shift_years(text: str, delta: int) -> str:
    """Every year written in the text moved by `delta` (2024 → 2021, 〔2025〕 → 〔2022〕)."""
    return YEAR_IN_TEXT.sub(lambda m: str(int(m.group(0)) + delta), text)


def is_complete_round(path: Path) -> bool:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return isinstance(data, dict) and not data.get("partial", False)


def repeat_rounds(folder: Path) -> set[int]:
    """Every year of the ten-year window gets an evaluation round: missing years get a copy of
    the newest complete round with its years shifted. Returns the years with complete rounds."""
    rounds = {int(p.stem): p for p in folder.glob("*.yml") if re.fullmatch(r"\d{4}", p.stem)}
    complete = {year for year, path in rounds.items() if is_complete_round(path)}
    if not complete:
        return set()
    template_year = max(complete)
    template = rounds[template_year].read_text(encoding="utf-8")
    for year in range(max(rounds) - YEARS + 1, max(rounds) + 1):
        if year not in rounds:
            (folder / f"{year}.yml").write_text(shift_years(template, year - template_year), encoding="utf-8")
            complete.add(year)
    return complete


def repeat_notices_of(folder: Path, complete: set[int]) -> int:
    """Each notice about a complete round is repeated for every other complete round."""
    written = 0
    for path in sorted(folder.glob("*.md")):
        meta, _ = split_front_matter(path.read_text(encoding="utf-8"))
        match = re.search(r"(\d{4})$", str((meta or {}).get("evaluation", "")))
        if not match or int(match.group(1)) not in complete:
            continue
        for year in sorted(complete - {int(match.group(1))}):
            delta = year - int(match.group(1))
            target = folder / (str(int(path.name[:4]) + delta) + path.name[4:])
            if not target.exists():
                target.write_text(shift_years(path.read_text(encoding="utf-8"), delta), encoding="utf-8")
                written += 1
    return written


def repeat_notices(root: Path, archive: Archive) -> None:
    """Evaluation rounds and the notices about them, repeated over the ten-year window."""
    for folder in sorted(p for p in (root / "content/evaluations").glob("*") if p.is_dir()):
        complete = repeat_rounds(folder)
        notices = root / "content/notices" / folder.name
        if notices.is_dir():
            repeat_notices_of(notices, complete)
            archive.notices += len(list(notices.glob("*.md")))


def synthesize(source: Path, target: Path, notices: bool = True) -> Archive:
    """Copy the project at `source` to `target` and grow it into a 10-year archive."""
    root = copy_project(target, source)
    archive = Archive(root)
    seeds = {}
    for path in sorted((root / "bulletins").glob("*/*.yml")):
        series = path.parent.name
        seeds[series] = max(seeds.get(series, path), path, key=lambda p: p.stem)
    for _series, seed_file in sorted(seeds.items()):
        for older in seed_file.parent.glob("*.yml"):
            if older != seed_file:
                drop_issue(root, older)
        synthesize_series(root, seed_file, archive)
    if notices:
        repeat_notices(root, archive)
    if archive.sample_story:
        rel = archive.sample_story.relative_to(root / "content/stories")
        archive.sample_url = f"{rel.parent.as_posix()}/{rel.stem}/"
    return archive


def drop_issue(root: Path, issue_file: Path) -> None:
    """An older seed issue and its stories: the newest issue alone seeds the series."""
    issue_id = f"{issue_file.parent.name}/{issue_file.stem}"
    for kind in ("stories", "commentary"):
        shutil.rmtree(root / "content" / kind / issue_id, ignore_errors=True)
    issue_file.unlink()
