"""File names for imported stories: short, meaningful, web-address safe — like the ones editors
choose (pediatrics.md, yichang-nursing.md), never story-02.md.

From the contributing center: its id without the province code every provincial center of that
province shares (hb-pediatrics → pediatrics); a city's center with its city spelt out in pinyin
(yc-nursing → yichang-nursing), so that it never collides with the province's own. Without a
center: the headline's first words in pinyin (pypinyin), 推进全省同质化管理… → tuijin-quansheng.
"""
from __future__ import annotations

import re
from collections import Counter

from pypinyin import lazy_pinyin

HAN_OR_WORD = re.compile(r"[\u3400-\u9fff]+|[A-Za-z0-9]+")
CITY_SUFFIX = re.compile(r"(([\u4e00-\u9fff]{1,2}?族)+自治州|地区|盟|市|州)$")  # 某某土家族苗族自治州 → 某某
SYLLABLES = 4  # how much of a headline names a story: two two-character words


def province_codes(centers) -> dict[str, str]:
    """Province → the first id segment (hb) that most of its provincial centers' ids start with,
    when at least half of them (and two or more) do."""
    by_province: dict[str, list[str]] = {}
    for center in centers:
        if center.region.city is None and "-" in center.id:
            by_province.setdefault(center.region.province, []).append(center.id.split("-", 1)[0])
    codes = {}
    for province, firsts in by_province.items():
        code, count = Counter(firsts).most_common(1)[0]
        if count >= 2 and 2 * count >= len(firsts):
            codes[province] = code
    return codes


def center_slug(center, codes: dict[str, str]) -> str:
    """A provincial center's id without its province code (pediatrics); a city's center's with its
    city spelt out in pinyin instead of its code (yc-nursing → yichang-nursing)."""
    first, _, rest = center.id.partition("-")
    if center.region.city is None:
        return rest if rest and codes.get(center.region.province) == first else center.id
    city = CITY_SUFFIX.sub("", center.region.city)
    spelt = "".join(s for s in lazy_pinyin(city) if s.isascii() and s.isalpha())
    return f"{spelt}-{rest}" if rest and spelt else center.id


def headline_slug(headline: str) -> str:
    """The headline's first words as pinyin: Chinese two syllables a word, Latin words as written."""
    words: list[str] = []
    used = 0
    for run in HAN_OR_WORD.findall(headline):
        if used >= SYLLABLES:
            break
        if run.isascii():
            words.append(run.lower())
            used += 2
            continue
        syllables = [s for s in lazy_pinyin(run[: SYLLABLES - used]) if s.isascii() and s.isalpha()]
        words += ["".join(syllables[i:i + 2]) for i in range(0, len(syllables), 2)]
        used += len(syllables)
    slug = "-".join(w for w in words if w)
    return slug or "story"


def story_slug(center_id: str | None, headline: str, centers: dict, codes: dict[str, str]) -> str:
    center = centers.get(center_id) if center_id else None
    return center_slug(center, codes) if center else headline_slug(headline)
