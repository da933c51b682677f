"""Typed models from YAML data: pydantic errors become Chinese problems at the field's line.

Shared by every loader (content files, evaluation rounds, site.yml): a wrong value is reported
with what is wrong and an example of what to write, at the line it was written on.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata

from pydantic import BaseModel, ValidationError

from generator.load.choices import CHOICES
from generator.load.numbers import noting
from generator.load.yaml_source import LineDict, LineList, SourceFile
from generator.problems import Problem

# Example values shown when a field is missing or wrong; neutral, never a real publisher.
FIELD_EXAMPLES = {
    "title": "title: 标题文字（对仗标题中间留一个空格）",
    "center": "center: 质控中心编号（见 content/centers/ 中的 id）",
    "date": "date: 2024-09-27",
    "publish_date": "publish_date: 2024-10-08",
    "issue": "issue: 系列编号/2024-q3",
    "story": "story: 系列编号/2024-q3/稿件文件名",
    "series": "series: 系列编号（content/series/ 下的文件名）",
    "year": "year: 2024",
    "quarter": "quarter: 3（1 到 4）",
    "month": "month: 7（1 到 12）",
    "number": "number: 7（年内第几期）",
    "total_number": "total_number: 58（总第几期）",
    "period_format": "period_format: \"{year}年第{number}期（总第{total_number}期）\"",
    "sections": "sections:\n      - title: 省级质控中心\n        stories: [稿件文件名1, 稿件文件名2]",
    "stories": "stories: [稿件文件名1, 稿件文件名2]",
    "id": "id: center-id（小写英文字母、数字、连字符）",
    "name": "name: 质控中心全称",
    "short_name": "short_name: 简称（如“护理”）",
    "level": "level: 省级（常用：国家级、省级、自治区级、直辖市级、市级、市州级、地市级、县级）",
    "region": "region: 某某省（市级中心写成 region: {province: 某某省, city: 某某市}）",
    "specialty": "specialty: 专业",
    "kind": "kind: bulletin（简报）或 notice（通报）",
    "publisher": "publisher: 编发单位全称",
    "status": "status: published（或 review / draft）",
    "email": "email: zkjb@example.org（只写一个邮箱地址，不加其他文字）",
    "total_max": "total_max: 100（满分，含加分）",
    "bonus_max": "bonus_max: 0（加分上限；没有加分项写 0）",
}


def line_at(data: object, loc: tuple) -> int | None:
    """The line of the deepest part of `loc` that exists in the YAML data."""
    line = getattr(data, "line", None)
    node = data
    for key in loc:
        if isinstance(node, LineDict) and key in node:
            line, node = node.lines[key], node[key]
        elif isinstance(node, LineList) and isinstance(key, int) and key < len(node):
            line, node = node.lines[key], node[key]
        else:
            break
    return line


def _field_name(loc: tuple) -> str:
    return ".".join(str(part) for part in loc if not isinstance(part, int)) or "（整个文件）"


def _shown(value: object) -> str:
    """A wrong value as an editor would recognise it; never the repr of a huge structure."""
    if isinstance(value, bool):
        return "true" if value else "false"  # as YAML reads it (yes / on too)
    if isinstance(value, dict):
        return "一组“字段: 值”"
    if isinstance(value, list):
        return "一个列表"
    text = str(value)
    return text if len(text) <= 40 else text[:40] + "…"


DATE_SHAPE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _date_problem(name: str, value: object) -> tuple[str, str]:
    """Why a date is wrong: the shape (2024-9-27, 2024/09/27) or the calendar (2024-02-30)."""
    example = "写成 2024-09-27 这样的格式（年-月-日，月和日都写两位）"
    match = DATE_SHAPE.match(str(value).strip())
    if not match:
        return f"“{name}”的日期“{_shown(value)}”格式不对", example
    year, month, day = (int(g) for g in match.groups())
    try:
        fixed = dt.date(year, month, day)
    except ValueError:
        return f"“{name}”的日期“{value}”不存在", "检查月份（1–12）和这个月的天数，例如 2 月没有 30 日"
    return f"“{name}”的日期“{value}”月和日要写两位", f"写成 {fixed.isoformat()}"


def _choice_problem(name: str, leaf: str, shown: str, expected: str, words: dict[str, str]) -> tuple[str, str]:
    """A value outside a fixed choice; the choices listed in Chinese, and the one meant when the
    editor wrote its Chinese name (status: 已发布 → status: published)."""
    choices = re.findall(r"'([^']*)'", expected) or [expected]
    listed = "、".join(f"{c}（{words[c]}）" if c in words else c for c in choices)
    word = shown.strip()
    meant = next((c for c in choices if c == word.lower() or (len(word) >= 2 and word in words.get(c, ""))), None)
    if meant and meant.lower() == shown.strip().lower():
        return f"“{name}”的取值要全用小写：“{shown}”应写成 {meant}", f"写成 {leaf}: {meant}（可选：{listed}）"
    if meant:
        return f"“{name}”要写英文词：“{shown}”应写成 {meant}", f"写成 {leaf}: {meant}（可选：{listed}）"
    return f"“{name}”的取值“{shown}”不在允许范围内", f"只能是：{listed}"


def _key_problem(key: object) -> tuple[str, str]:
    """A field name YAML read as something other than text: yes/no/on/off become true/false, 2024 a number."""
    if isinstance(key, bool):
        return ("字段名被读成了 true/false：YAML 把 yes、no、on、off、true、false 当成真假值，不是字段名",
                "检查这一行：字段名请照 docs/CONTENT.md 写；确实要用这个词时加引号，如 'yes': 值")
    return f"字段名“{_shown(key)}”不是文字", "字段名照 docs/CONTENT.md 写；要用数字作名称时加引号，如 '2024': 值"


def _translate(err: dict, model: type[BaseModel]) -> tuple[str, str]:
    """A pydantic error as (what is wrong, what to write instead), in Chinese."""
    loc = err["loc"]
    name = _field_name(loc)
    leaf = str(next((p for p in reversed(loc) if not isinstance(p, int)), name))
    example = FIELD_EXAMPLES.get(leaf, "")
    kind, value = err["type"], err.get("input")
    shown = _shown(value)
    if kind == "missing":
        return f"缺少必填字段“{name}”", f"加上一行 {example}" if example else f"加上字段 {name}"
    if kind == "extra_forbidden":
        allowed = sorted(model.model_fields) if len(loc) == 1 else []
        guess = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"是不是想写“{guess[0]}”？" if guess else ""
        if allowed:
            hint += "可用的字段有：" + "、".join(f for f in allowed if not model.model_fields[f].exclude)
        return f"不认识的字段“{name}”", hint or "删除这个字段"
    if kind.startswith("date"):
        return _date_problem(name, value)
    if kind == "literal_error":
        words = CHOICES.get((model.__name__, leaf)) or CHOICES.get(leaf, {})
        return _choice_problem(name, leaf, shown, err["ctx"]["expected"], words)
    if kind == "invalid_key":
        return _key_problem(value)
    if kind == "int_parsing_size":
        return f"“{name}”的数字位数太多（{len(str(value))} 位）", f"例如 {example}" if example else "写一个不带引号的整数，如 3"
    if kind == "int_parsing" and isinstance(value, str) and (plain := unicodedata.normalize("NFKC", value)) != value \
            and plain.strip().isdigit() and plain.isascii():
        return f"“{name}”写的是全角数字“{value}”", f"改用半角数字，写成 {plain.strip()}"
    if kind in ("int_parsing", "int_type", "int_from_float", "finite_number") or \
            (kind == "value_error" and "bool_number" in err["msg"]):
        return f"“{name}”应为整数，现在是“{shown}”", f"例如 {example}" if example else "写一个不带引号的整数，如 3"
    if kind == "string_type" and value is None:
        return f"“{name}”后面没有写内容", f"写上内容，如 {example}" if example else "写上内容，或删去这一行"
    if kind in ("string_type",):
        return f"“{name}”应为一段文字，现在是“{shown}”", f"例如 {example}" if example else "写一段文字；全是数字时加引号，如 '2024'"
    if kind == "list_type":
        return f"“{name}”应为列表", "写成 [甲, 乙] 或每项单独一行以“- ”开头"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"“{name}”应为一组“字段: 值”", f"例如 {example}" if example else "参照 docs/CONTENT.md 中的示例，写成缩进的“字段: 值”"
    if kind in ("too_short", "string_too_short"):
        return f"“{name}”不能为空", f"例如 {example}" if example else "写上内容，或删去这一行"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        ctx = err.get("ctx", {})
        bound = {"greater_than_equal": f"不能小于 {ctx.get('ge')}", "less_than_equal": f"不能大于 {ctx.get('le')}",
                 "greater_than": f"要大于 {ctx.get('gt')}", "less_than": f"要小于 {ctx.get('lt')}"}[kind]
        return f"“{name}”的值 {shown} 超出范围（{bound}）", f"例如 {example}" if example else "改成范围内的值"
    if kind == "value_error" and "url_format" in err["msg"]:
        return f"网址“{shown}”不是有效的 http(s) 地址", "写成 url: https://example.org/zkjb/ 这样的完整网址"
    if kind == "value_error" and "date_range" in err["msg"]:
        return (f"“{name}”的日期“{shown}”不在 1990—2100 年之间",
                "检查年份是否写错（例如 2107 应为 2017 或 2024），写成 2024-09-27 这样的日期")
    if kind in ("decimal_parsing", "decimal_type", "float_parsing", "float_type", "decimal_max_digits"):
        return f"“{name}”应为数字，现在是“{shown}”", "写成 85 或 92.5 这样的数字（不加单位，不用全角数字）"
    if kind in ("bool_parsing", "bool_type"):
        return f"“{name}”应为 true 或 false，现在是“{shown}”", f"写成 {leaf}: true 或 {leaf}: false"
    if kind == "dict_type" or kind == "mapping_type":
        return f"“{name}”应为一组“字段: 值”", f"例如 {example}" if example else "参照 docs/CONTENT.md 中的示例，写成缩进的“字段: 值”"
    if kind == "value_error" and "period_format" in err["msg"]:
        return (f"期次格式“{shown}”写法不对",
                "只能用 {year} {quarter} {month} {number} {total_number} 这几个占位，"
                "如 period_format: \"{year}年第{number}期（总第{total_number}期）\"")
    if kind == "value_error" and "id_format" in err["msg"]:
        return f"编号“{shown}”格式不对", "编号只用小写英文字母、数字和连字符，如 center-id"
    if kind == "value_error":  # our own validators speak Chinese; pydantic prefixes "Value error, "
        return (f"“{name}”的值“{shown}”有误：{err['msg'].removeprefix('Value error, ')}",
                example or "按上面的说明改正这个值")
    return f"“{name}”的值“{shown}”不符合要求", example or "参照 docs/CONTENT.md 中的示例"


def build_model(src: SourceFile, model: type[BaseModel], data: object, extra: dict | None = None,
                line: int | None = None):
    """Validate one mapping into `model`; record translated problems on `src`."""
    if not isinstance(data, dict):
        src.problem("内容应为一组“字段: 值”", "参照 docs/CONTENT.md 中的示例", getattr(data, "line", line or 1))
        return None
    with noting() as wide:
        try:
            obj = model.model_validate({**data, **(extra or {})})
        except ValidationError as exc:
            obj = None
            for err in exc.errors():
                message, hint = _translate(err, model)
                src.problem(message, hint, line_at(data, err["loc"]), detail=err["msg"])
    for at, written, read in dict.fromkeys(wide):
        src.problems.append(Problem(src.rel, at or getattr(data, "line", line), f"“{written}”是全角数字，已按 {read} 读取",
                                    f"改用半角数字，写成 {read}（输入法切换到半角或英文状态后输入）", warning=True))
    if obj is None:
        return None
    lines = {**nested_lines(data), **data.lines} if isinstance(data, LineDict) else {}
    return obj.placed(src.rel, lines, getattr(data, "line", 1))


def nested_lines(node: object, prefix: str = "") -> dict[str, int]:
    """Lines of nested values by dotted path ("sections.0.stories.2"), so that cross-file rules
    can point at the exact list item."""
    if isinstance(node, LineDict):
        items = [(key, node.lines[key], value) for key, value in node.items()]
    elif isinstance(node, LineList):
        items = [(i, line, value) for i, (line, value) in enumerate(zip(node.lines, node))]
    else:
        return {}
    found: dict[str, int] = {}
    for key, line, value in items:
        path = f"{prefix}{key}"
        found[path] = line
        found.update(nested_lines(value, path + "."))
    return found
