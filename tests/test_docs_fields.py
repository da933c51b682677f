"""The editors' guide (docs/editor-guide.md, Chinese) and the developers' reference (docs/CONTENT.md)
document every field an editor can write, and nothing the models do not have.

The fields come from the content models themselves (every pydantic model under generator/load),
so a field added to a model fails here until both documents describe it. The guide lists each
file's fields in a table whose first column is the field's path in backticks (`closing.labels.phone`);
CONTENT.md names each field in its section (a YAML example line `phone: …` or `phone` in backticks).
"""
from __future__ import annotations

import importlib
import pkgutil
import re
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

import generator.load
from generator.load.evaluations import FactsFile, RoundFile
from generator.load.models import Center, Commentary, Issue, Model, Notice, Series, SiteConfig, Story

DOCS = Path(__file__).resolve().parent.parent / "docs"
GUIDE, REFERENCE = DOCS / "editor-guide.md", DOCS / "CONTENT.md"

# One file kind each: its model, where editors write it, and the heading of its section in
# docs/editor-guide.md and in docs/CONTENT.md (a heading starting with these words).
ROOTS = [
    (SiteConfig, "content/site.yml", "## 网站设置", "## Site"),
    (Series, "content/series/<系列编号>.yml", "## 系列", "## Series"),
    (Center, "content/centers/*.yml", "## 质控中心名录", "## Center registry"),
    (Story, "content/stories/<系列>/<期>/<文件名>.md", "## 稿件", "## Story"),
    (Commentary, "content/commentary/<系列>/<期>/<文件名>.md", "## 点评", "## 点评 commentary"),
    (Issue, "bulletins/<系列>/<期文件名>.yml", "## 一期简报", "## Issue"),
    (Notice, "content/notices/<系列>/<年份>-<文号>.md", "## 通报", "### Notice"),
    (RoundFile, "content/evaluations/<系列>/<年份>.yml", "## 评估结果", "### Round"),
    (FactsFile, "content/evaluations/<系列>/facts.yml", "## 年份未公布的评估事实", "### Facts"),
]


def _models_in(annotation) -> list[type[BaseModel]]:
    """The models a field's type holds: Closing, list[Section], Annotated[Region, …] | None …"""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    if typing.get_origin(annotation) is typing.Literal:
        return []
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def field_paths(model: type[BaseModel], seen: set, prefix: str = "") -> list[str]:
    """Dotted paths of every field an editor writes (loader-filled `exclude` fields left out). A
    model used in several files (Closing) is spelt out where it first appears (ROOTS order) and
    named as one field elsewhere."""
    paths = []
    for name, info in model.model_fields.items():
        if info.exclude:
            continue
        paths.append(prefix + name)
        for inner in _models_in(info.annotation):
            if inner not in seen:
                seen.add(inner)
                paths += field_paths(inner, seen, f"{prefix}{name}.")
    return paths


def all_paths() -> dict[type, list[str]]:
    seen = {root for root, *_ in ROOTS}
    return {root: field_paths(root, seen) for root, *_ in ROOTS}


def section(text: str, heading: str) -> str:
    """The text under the first heading that starts with `heading`, to the next heading of its level."""
    level = heading.split(" ")[0]
    lines, fenced, in_code = text.split("\n"), [], False
    for line in lines:  # a heading inside a ``` example (a notice body's "## 一、") is no heading
        if line.lstrip().startswith("```"):
            in_code = not in_code
        fenced.append(in_code)
    start = next((i for i, line in enumerate(lines) if line.startswith(heading) and not fenced[i]), None)
    if start is None:
        return ""
    end = next((i for i in range(start + 1, len(lines))
                if not fenced[i] and re.match(rf"^#{{1,{len(level)}}} ", lines[i])), len(lines))
    return "\n".join(lines[start:end])


def guide_rows(part: str) -> list[str]:
    """First-column paths of the field tables in a guide section: | `closing.labels.phone` | …"""
    return re.findall(r"^\|\s*`([a-z_][a-z0-9_.]*)`\s*\|", part, re.M)


def named_in(part: str, path: str) -> bool:
    leaf = path.rsplit(".", 1)[-1]
    return bool(re.search(rf"(?<![\w.-]){re.escape(leaf)}\s*:|`{re.escape(leaf)}`|`{re.escape(path)}`", part))


def test_every_content_model_belongs_to_a_documented_file():
    """A new model class (a new kind of file, or a new block inside one) must be reachable from ROOTS."""
    for module in pkgutil.iter_modules(generator.load.__path__):
        importlib.import_module(f"generator.load.{module.name}")
    reachable = set()
    for root, *_ in ROOTS:
        stack = [root]
        while stack:
            model = stack.pop()
            if model not in reachable:
                reachable.add(model)
                stack += [m for info in model.model_fields.values() for m in _models_in(info.annotation)]

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    bases = {base for model in reachable for base in model.__mro__[1:]}
    stray = sorted(m.__qualname__ for m in subclasses(Model) if m not in reachable and m not in bases)
    assert not stray, (
        f"content models no documented file reaches: {stray}. If editors write them in a new kind of file, "
        "add a row to ROOTS in tests/test_docs_fields.py (model, file, its '## …' heading in "
        "docs/editor-guide.md and its heading in docs/CONTENT.md) and write both sections; if they sit in an "
        "existing file, the field that holds them is missing from its model.")


@pytest.mark.parametrize("root, where, guide_heading, reference_heading", ROOTS,
                         ids=[r[0].__name__ for r in ROOTS])
def test_both_documents_cover_every_field(root, where, guide_heading, reference_heading):
    paths = all_paths()[root]
    guide = section(GUIDE.read_text(encoding="utf-8"), guide_heading)
    reference = section(REFERENCE.read_text(encoding="utf-8"), reference_heading)
    assert guide, f"docs/editor-guide.md has no section '{guide_heading}…' for {where} ({root.__name__})"
    assert reference, f"docs/CONTENT.md has no section '{reference_heading}…' for {where} ({root.__name__})"
    rows = guide_rows(guide)
    missing_guide = [p for p in paths if p not in rows]
    unknown_guide = [p for p in rows if p not in paths]
    missing_reference = [p for p in paths if not named_in(reference, p)]
    message = []
    if missing_guide:
        message.append(
            f"{root.__name__} ({where}) has fields the editors' guide does not document: {missing_guide}.\n"
            f"  Add to the field table of docs/editor-guide.md, section '{guide_heading}…', one row each, in Chinese:\n"
            + "\n".join(f"  | `{p}` | 必填/可不写 | 说明（写什么、印在哪里） | `{p.rsplit('.', 1)[-1]}: 例子` |"
                        for p in missing_guide)
            + "\n  and, if editors can get it wrong, its check message and the fix under '## 常见错误与改法'.")
    if unknown_guide:
        message.append(f"docs/editor-guide.md, section '{guide_heading}…', documents fields {root.__name__} does not "
                       f"have: {unknown_guide} — rename or remove those rows.")
    if missing_reference:
        message.append(
            f"{root.__name__} ({where}) has fields docs/CONTENT.md does not name: {missing_reference}.\n"
            f"  In docs/CONTENT.md, section '{reference_heading}', show each in the YAML example "
            f"(`{missing_reference[0].rsplit('.', 1)[-1]}: …  # what it is`) or name it in backticks in the text.")
    assert not message, "\n".join(message)


def test_the_drift_check_sees_a_new_field():
    """The comparison itself must fail for a field neither document has."""
    class Extra(Series):
        print_everything_twice: bool = False

    paths = field_paths(Extra, {Extra})
    guide = section(GUIDE.read_text(encoding="utf-8"), "## 系列")
    reference = section(REFERENCE.read_text(encoding="utf-8"), "## Series")
    assert "print_everything_twice" in paths and "print_everything_twice" not in guide_rows(guide)
    assert not named_in(reference, "print_everything_twice")
