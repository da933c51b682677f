"""Finding registered centers from the name an editor typed instead of their id.

Editors write what they say: "院感", "省院感质控中心", "消供质控". Those are no id and often no
registered name or alias, but they are the usual abbreviations of words in one (医院感染,
质量控制, 消毒供应). A suggestion must point at that center, never advise registering a new one.
"""
from __future__ import annotations

import re

from generator.load.models import Center

# Abbreviations common in quality-control writing → the words registered names use.
ABBREVIATIONS = {
    "院感": "医院感染",
    "质控": "质量控制",
    "消供": "消毒供应",
    "临检": "临床检验",
    "病案": "病案管理",
    "药事": "药事管理",
    "重医": "重症医学",
    "心外": "心脏大血管外科",
}
# Words every center name has: they tell centers apart no more than "the" does.
GENERIC = re.compile(r"(医疗)?(质量控制|质控)(管理)?(中心|办公室)?|中心|专业|医疗")
REGION_PREFIX = re.compile(r"^(省|市|州|县|自治区|全省|全市)")


def _core(text: str) -> str:
    for short, full in ABBREVIATIONS.items():
        if full not in text:
            text = text.replace(short, full)
    return GENERIC.sub("", text.replace(" ", ""))


def _names(center: Center) -> list[str]:
    return [center.name, center.short_name, *center.aliases]


def search_terms(center: Center) -> list[str]:
    """What finds `center` in a picker: its id, names, and the usual abbreviations of words in
    them (医院感染 → 院感), which a picker matching typed characters cannot work out itself."""
    names = _names(center)
    return [center.id, *names, *(short for short, full in ABBREVIATIONS.items() if any(full in n for n in names))]


def centers_named(word: str, centers: list[Center], near: str = "", limit: int = 3) -> list[Center]:
    """Centers whose name, short name or alias contains what `word` says (abbreviations
    expanded, generic words ignored), or is contained in it; best first, and among equals those
    whose region `near` names (the series' publisher: a province's bulletin means that province's center)."""
    query = _core(word)
    for attempt in (query, REGION_PREFIX.sub("", query)):
        if len(attempt) < 2:
            continue
        found = []
        for center in centers:
            cores = [_core(name) for name in _names(center)]
            if any(attempt in core for core in cores):
                found.append((0, center))  # everything the editor typed is in the name
            elif any(len(core) >= 2 and core in attempt for core in cores):
                found.append((1, center))  # the name's distinctive part is in what was typed
        if found:
            found.sort(key=lambda item: (item[0], item[1].region.local not in near))
            return [center for _, center in found][:limit]
    return []


def _without_place(text: str, center: Center) -> str:
    """`text` without the center's own place in front (its region in full or its first two characters, 省…, 自治区…)."""
    text = text.replace(" ", "")
    local = center.region.local
    for prefix in (local, local[:2]):
        if prefix and text.startswith(prefix):
            text = text[len(prefix):]
            break
    return REGION_PREFIX.sub("", text)


def sole_center_named(word: str, centers: list[Center], near: str = "") -> Center | None:
    """The one center whose name, short name or alias holds everything `word` says once both are
    read without the center's own place (院感质控中心, 自治区院感质控中心 and the place written out in
    full all name the 医院感染管理 center), preferring those whose region `near` names; None when
    none or several do. For importers, which may take such a match as sure (and say so) where
    `check` only suggests it."""
    hits = []
    for center in centers:
        query = _core(_without_place(word, center))
        if len(query) >= 2 and any(query in _core(_without_place(name, center)) for name in _names(center)):
            hits.append(center)
    local = [c for c in hits if near and c.region.local in near] or hits
    return local[0] if len(local) == 1 else None


def named_hint(word: str, centers: list[Center], near: str = "") -> str:
    """'是不是：id（全称）？' for the centers `word` names; '' when it names none."""
    found = centers_named(word, centers, near)
    if not found:
        return ""
    return "是不是：" + "、".join(f"{c.id}（{c.name}）" for c in found) + "？这里要写编号。"
