"""What a URL is lives in one place (generator/load/paths.py): no other module or template spells
the site's own folders, so a page and every link to it cannot disagree."""
from __future__ import annotations

import re

from conftest import REPO

from generator.load import paths

# A site folder written as a link or address: "centers/…", "search/", "<x>/stats/" outside paths.py.
SPELLED = re.compile(r"""(["'{}>]|\}\})(centers|search)/|/stats/|\{STATS\}/""")


def test_no_module_or_template_spells_a_site_folder():
    found = []
    for path in sorted((REPO / "generator").rglob("*")):
        if path.suffix not in {".py", ".j2", ".js"} or path == REPO / "generator/load/paths.py" or "npm" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("  # ")[0] if path.suffix == ".py" else line  # comments may give examples
            if SPELLED.search(code) and "content/centers" not in code and not code.lstrip().startswith("#"):
                found.append(f"{path.relative_to(REPO)}:{number}: {line.strip()[:100]}")
    assert found == [], "use generator.load.paths (urls.… in templates):\n" + "\n".join(found)


def test_every_address_is_a_folder_below_the_root():
    made = [paths.home_url(), paths.series_url("s"), paths.document_url("s", "2024-q3"),
            paths.story_url("s/2024-q3", "a"), paths.stats_url("s"), paths.centers_url(),
            paths.center_url("c"), paths.search_url()]
    assert made == ["", "s/", "s/2024-q3/", "s/2024-q3/a/", "s/stats/", "centers/", "centers/c/", "search/"]
    assert {paths.CENTERS, paths.SEARCH} <= paths.RESERVED_SERIES_IDS  # a series cannot take them
