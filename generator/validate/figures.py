"""Rules on activity figures (a series' `figures:`, a story's `figures:`) and reserved path names."""
from __future__ import annotations

from generator.load.content import Content
from generator.load.figure_names import closest_figure
from generator.load.models import Model, Series
from generator.load.paths import RESERVED_DOCUMENT_KEYS, RESERVED_SERIES_IDS
from generator.problems import Problem
from generator.validate.common import problem


def _closest(name: str, declared: list[str]) -> str:
    found = closest_figure(name, declared)
    return f"是不是“{found}”？" if found else ""


def _undeclared(obj: Model, field: str, names, series: Series, where: str) -> list[Problem]:
    declared = [f.name for f in series.figures]
    problems = []
    for name in names:
        if name in declared:
            continue
        if declared:
            hint = (_closest(name, declared) + f"系列“{series.id}”声明的数字有："
                    + "、".join(declared) + f"；新的数字先在 content/series/{series.id}.yml 的 figures 里声明")
        else:
            hint = (f"系列“{series.id}”没有声明任何数字：先在 content/series/{series.id}.yml 里写 figures:"
                    f" [{{name: {name}, unit: 次}}]")
        problems.append(problem(obj, f"{field}.{name}", f"{where}的数字“{name}”没有在系列里声明", hint))
    return problems


def figure_declarations(content: Content) -> list[Problem]:
    problems = []
    for series in content.series:
        seen: set[str] = set()
        for i, figure in enumerate(series.figures):
            if figure.name in seen:
                problems.append(problem(series, f"figures.{i}", f"数字“{figure.name}”声明了两次", "每个数字只声明一次"))
            seen.add(figure.name)
        if series.print_statistics and not series.figures:
            problems.append(problem(series, "print_statistics", "print_statistics 要印“本期统计”，但系列没有声明 figures",
                                    "先写 figures: [{name: 培训人次, unit: 人次}]，或删掉 print_statistics"))
    return problems


def figure_references(content: Content) -> list[Problem]:
    """Stories carry only the figures their series declares; an issue gives totals only of those
    declared `summed: false` (the others are added up, never typed)."""
    series = {s.id: s for s in content.series}
    problems = []
    for story in content.stories:
        if (s := series.get(story.issue.partition("/")[0])) is not None:
            problems += _undeclared(story, "figures", story.figures, s, "稿件")
    for issue in content.issues:
        if (s := series.get(issue.series)) is None:
            continue
        problems += _undeclared(issue, "figure_totals", issue.figure_totals, s, "期文件 figure_totals ")
        summed = {f.name for f in s.figures if f.summed}
        for name in issue.figure_totals:
            if name in summed:
                problems.append(problem(issue, f"figure_totals.{name}", f"“{name}”按各篇相加，不用写合计",
                                        "删掉这一行；只有声明为 summed: false 的数字才写合计（如各中心可能重复计数的机构数）"))
    return problems


def reserved_names(content: Content) -> list[Problem]:
    problems = []
    for s in content.series:
        if s.id in RESERVED_SERIES_IDS:
            problems.append(problem(s, "id", f"系列编号“{s.id}”是网站自己使用的地址",
                                    "换一个编号（文件名）；不能用：" + "、".join(sorted(RESERVED_SERIES_IDS))))
    for doc, key, example in [*((i, i.key, "2025-07.yml") for i in content.issues),
                              *((n, n.slug, "2025-15.md") for n in content.notices)]:
        if key in RESERVED_DOCUMENT_KEYS:
            problems.append(Problem(doc.file, 1, f"文件名“{key}”是网站自己使用的地址（系列的统计页）",
                                    f"换一个文件名，如 {example}；不能用：" + "、".join(sorted(RESERVED_DOCUMENT_KEYS))))
    return problems
