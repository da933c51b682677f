"""Centers named in imported text → registry ids (content/centers/), or candidates when unsure.

A name matches when it equals, after removing spaces, a center's full name, one of its aliases,
or its short name with a usual suffix (儿科质控中心, 儿科医疗质量控制中心). A name that is none of
those but whose words one center's name holds (省麻醉质控中心, 院感质控中心) is that center, inferred
(`abbreviations=True`, as bylines and score sheets ask; the report says so). When several centers or none match, the closest names are offered as
candidates and the importer writes 【待确认】 with them (`center_candidates`).
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from generator.load.center_names import centers_named, sole_center_named
from generator.load.models import UNSURE  # noqa: F401  (re-exported for the writers)

from .document import squeeze_cjk_spaces

QUALIFIERS = "级省市州县区地"
SUFFIXES = ("质控中心", "质量控制中心", "医疗质量控制中心", "医疗质控中心", "专业医疗质量控制中心", "专业质控中心")


def norm(name: str) -> str:
    return re.sub(r"\s+", "", squeeze_cjk_spaces(name)).strip("—-－:：")


@dataclass
class Match:
    center: str | None  # the id, when sure (or inferred)
    candidates: list[str] = field(default_factory=list)  # ids, best first, when unsure
    abbreviated: bool = False  # sure only through the usual abbreviations (院感 → 医院感染): say so

    @property
    def sure(self) -> bool:
        return self.center is not None


class CenterMatcher:
    def __init__(self, centers):
        self.centers = {c.id: c for c in centers}
        self.exact: dict[str, set[str]] = {}
        for c in centers:
            for name in [c.name, *c.aliases]:
                self.exact.setdefault(norm(name), set()).add(c.id)
        self.short: dict[str, set[str]] = {}
        for c in centers:
            for suffix in SUFFIXES:
                self.short.setdefault(norm(c.short_name) + suffix, set()).add(c.id)
        # forms for scanning running text, longest first (it wins at each place). A form without
        # a place (院感质控中心) could be any province's center, so only placed forms count there.
        self.forms = sorted((f for f in self.exact if len(self.exact[f]) == 1 and self._placed(f)), key=len, reverse=True)

    def _placed(self, form: str) -> bool:
        region = self.centers[next(iter(self.exact[form]))].region.local
        return region[:2] in form or form[0] in QUALIFIERS or form.startswith("我")

    def label(self, cid: str) -> str:
        c = self.centers.get(cid)
        return f"{cid}（{c.name}）" if c else cid

    def match(self, name: str, region_hint: str = "", abbreviations: bool = False) -> Match:
        """`abbreviations`: a name only one center's name holds once abbreviations are expanded is
        sure (a score sheet's row names one center; running text may name a field, not a center)."""
        key = norm(name)
        ids = self.exact.get(key) or self.short.get(key)
        if ids and len(ids) == 1:
            return Match(next(iter(ids)))
        if ids:  # a short name several centers share (护理质控中心): prefer the document's region
            regional = sorted(i for i in ids if region_hint and self.centers[i].region.local in region_hint)
            if len(regional) == 1:
                return Match(regional[0])
            return Match(None, sorted(ids))
        # Abbreviations (院感, 消供) are found the way `check` finds them; spelling slips by similarity.
        if abbreviations and (sole := sole_center_named(key, list(self.centers.values()), region_hint)):
            return Match(sole.id, abbreviated=True)
        found = [c.id for c in centers_named(key, list(self.centers.values()), region_hint, limit=5)]
        close = difflib.get_close_matches(key, list(self.exact), n=5, cutoff=0.6)
        for form in close:
            for cid in sorted(self.exact[form]):
                if cid not in found:
                    found.append(cid)
        return Match(None, found[:5])

    def named(self, name: str, region_hint: str = "") -> list[str]:
        """Ids of the centers whose names hold what `name` says (abbreviations read), best first."""
        return [c.id for c in centers_named(norm(name), list(self.centers.values()), region_hint, limit=5)]

    def mentions(self, text: str) -> list[tuple[int, str]]:
        """(position, id) of every registry name or alias written in `text`, longest form first."""
        flat = re.sub(r"[ \u3000]", "", text)
        taken = [False] * len(flat)
        found: list[tuple[int, str]] = []
        for form in self.forms:
            cid = next(iter(self.exact[form]))
            for m in re.finditer(re.escape(form), flat):
                if m.start() and flat[m.start() - 1] in QUALIFIERS and not form.startswith(tuple(QUALIFIERS)):
                    continue  # 县级护理质控中心 is some county's center, not the registry's 护理质控中心
                if not any(taken[m.start():m.end()]):
                    taken[m.start():m.end()] = [True] * (m.end() - m.start())
                    found.append((m.start(), cid))
        return sorted(found)
