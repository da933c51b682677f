"""A center's level in traditional characters (省級 for 省级) reads the same to an editor but is
another word to the centers index, which lists each level apart: a warning with the simplified form."""
from __future__ import annotations

from generator.load.content import Content
from generator.problems import Problem
from generator.validate.common import problem

# The traditional forms of the characters the usual level words are written with
# (国家级, 省级, 自治区级, 直辖市级, 市级, 市州级, 地市级, 盟市级, 县级, 区县级, 乡镇级 …).
SIMPLIFIED = str.maketrans({"級": "级", "國": "国", "區": "区", "縣": "县", "轄": "辖", "鄉": "乡", "鎮": "镇",
                            "專": "专", "屬": "属"})


def simplified_level(level: str) -> str:
    return level.translate(SIMPLIFIED)


def traditional_levels(content: Content) -> list[Problem]:
    problems = []
    for center in content.centers:
        simple = simplified_level(center.level)
        if simple != center.level:
            problems.append(problem(
                center, "level", f"质控中心“{center.id}”的级别“{center.level}”用了繁体字，"
                f"质控中心索引会把它与写作“{simple}”的中心分成两类", f"写 level: {simple}", warning=True))
    return problems
