"""Stage 1 — load: editors' files → typed models, with every problem found (not just the first)."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from .errors import Problem
from .models import ID_RE, Center, Commentary, Issue, Notice, Series, Story
from .sources import LineDict, LineList, SourceFile, load_markdown_file, load_yaml_file

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
    "sections": "sections:\n      - title: 省级质控中心\n        stories: [稿件文件名1, 稿件文件名2]",
    "stories": "stories: [稿件文件名1, 稿件文件名2]",
    "id": "id: center-id（小写英文字母、数字、连字符）",
    "name": "name: 质控中心全称",
    "short_name": "short_name: 简称（如“护理”）",
    "level": "level: 省级",
    "region": "region: 所在省/市/县",
    "specialty": "specialty: 专业",
    "kind": "kind: bulletin（简报）或 notice（通报）",
    "publisher": "publisher: 编发单位全称",
    "status": "status: published（或 review / draft）",
}


@dataclass
class Content:
    """Everything loaded from disk, before cross-file rules."""

    root: Path
    series: list[Series] = field(default_factory=list)
    centers: list[Center] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    commentaries: list[Commentary] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    evaluations: dict = field(default_factory=dict)  # series id → evaluation_load.EvaluationSeries
    site: dict = field(default_factory=dict)  # content/site.yml: site title and description
    extra: dict = field(default_factory=dict)  # later kinds (evaluations, notices) hang here
    problems: list[Problem] = field(default_factory=list)


def _line_at(data: object, loc: tuple) -> int | None:
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
        return f"“{name}”的取值“{shown}”不在允许范围内", f"只能是：{err['ctx']['expected']}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"“{name}”应为整数，现在是“{shown}”", example and f"例如 {example}"
    if kind in ("string_type",):
        return f"“{name}”应为一段文字，现在是“{shown}”", example and f"例如 {example}"
    if kind == "list_type":
        return f"“{name}”应为列表", "写成 [甲, 乙] 或每项单独一行以“- ”开头"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"“{name}”应为一组“字段: 值”", example and f"例如 {example}"
    if kind in ("too_short", "string_too_short"):
        return f"“{name}”不能为空", example and f"例如 {example}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"“{name}”的值 {shown} 超出范围（{err['msg']}）", example and f"例如 {example}"
    if kind == "value_error" and "id_format" in err["msg"]:
        return f"编号“{shown}”格式不对", "编号只用小写英文字母、数字和连字符，如 center-id"
    return f"“{name}”有误：{err['msg']}", example


def build_model(src: SourceFile, model: type[BaseModel], data: object, extra: dict | None = None,
                line: int | None = None):
    """Validate one mapping into `model`; record translated problems on `src`."""
    if not isinstance(data, dict):
        src.problem("内容应为一组“字段: 值”", "参照 docs/CONTENT.md 中的示例", getattr(data, "line", line or 1))
        return None
    try:
        obj = model.model_validate({**data, **(extra or {})})
    except ValidationError as exc:
        for err in exc.errors():
            message, hint = _translate(err, model)
            src.problem(message, hint, _line_at(data, err["loc"]))
        return None
    lines = {**nested_lines(data), **data.lines} if isinstance(data, LineDict) else {}
    return obj.located(src.rel, lines, getattr(data, "line", 1))


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


def _files(root: Path, folder: str, pattern: str) -> list[Path]:
    base = root / folder
    return sorted(p for p in base.glob(pattern) if p.is_file()) if base.is_dir() else []


def load_series(root: Path, content: Content) -> None:
    for path in _files(root, "content/series", "*.yml"):
        src = load_yaml_file(path, root)
        if src.data is not None:
            data = src.data if isinstance(src.data, dict) else src.data
            extra = {"id": path.stem} if isinstance(data, dict) and "id" not in data else None
            obj = build_model(src, Series, data, extra)
            if obj:
                content.series.append(obj)
        content.problems += src.problems


def load_centers(root: Path, content: Content) -> None:
    for path in _files(root, "content/centers", "*.yml"):
        src = load_yaml_file(path, root)
        if src.data is not None and not isinstance(src.data, list):
            src.problem("质控中心名录应为列表，每个中心以“- id: …”开头", "参照 docs/CONTENT.md 的示例", 1)
        elif src.data is not None:
            for item, line in zip(src.data, src.data.lines):
                obj = build_model(src, Center, item, line=line)
                if obj:
                    content.centers.append(obj)
        content.problems += src.problems


def slug_problem(src: SourceFile, path: Path) -> bool:
    """File names become web addresses: only a-z, 0-9 and '-' (no spaces, capitals, dots or Chinese)."""
    if ID_RE.match(path.stem):
        return False
    src.problem(f"文件名“{path.name}”不能用作网址",
                "文件名只用小写英文字母、数字和连字符，如 pediatrics.md；请改名后再提交")
    return True


def markdown_documents(root: Path, folder: str, model: type[BaseModel], empty: tuple[str, str],
                       page: bool = True) -> tuple[list, list[Problem]]:
    """Markdown files with front matter → models carrying their body; `page` files also a slug."""
    found, problems = [], []
    for path in _files(root, folder, "**/*.md"):
        src = load_markdown_file(path, root)
        if src.data is not None and not (page and slug_problem(src, path)):
            extra = {"body": src.body, "body_line": src.body_line} | ({"slug": path.stem} if page else {})
            obj = build_model(src, model, src.data, extra)
            if obj and not src.body.strip():
                src.problem(*empty, src.body_line)
            elif obj:
                found.append(obj)
        problems += src.problems
    return found, problems


def load_stories(root: Path, content: Content) -> None:
    stories, problems = markdown_documents(root, "content/stories", Story, ("稿件正文是空的", "在第二个 --- 行之后写正文"))
    content.stories += stories
    content.problems += problems


def load_commentaries(root: Path, content: Content) -> None:
    found, problems = markdown_documents(root, "content/commentary", Commentary,
                                         ("点评正文是空的", "在第二个 --- 行之后写点评内容（不必写“点评：”）"), page=False)
    content.commentaries += found
    content.problems += problems


def load_issues(root: Path, content: Content) -> None:
    for path in _files(root, "bulletins", "**/*.yml"):
        src = load_yaml_file(path, root)
        if src.data is not None:
            obj = build_model(src, Issue, src.data)
            if obj:
                content.issues.append(obj)
        content.problems += src.problems


def load_site(root: Path, content: Content) -> None:
    path = root / "content/site.yml"
    if path.exists():
        src = load_yaml_file(path, root)
        if isinstance(src.data, dict):
            content.site = dict(src.data)
        elif src.data is not None:
            src.problem("site.yml 应为一组“字段: 值”", "写成 title: 网站名称", 1)
        content.problems += src.problems


def load_notices(root: Path, content: Content) -> None:
    notices, problems = markdown_documents(root, "content/notices", Notice, ("通报正文是空的", "在第二个 --- 行之后写正文"))
    content.notices += notices
    content.problems += problems


def load_evaluation_rounds(root: Path, content: Content) -> None:
    """Rounds and open-year facts per series (content/evaluations/<series-id>/); needs the centers."""
    from .evaluation_load import load_evaluations

    centers = {c.id: c.status for c in content.centers}  # id → status: 筹建 centers are not evaluated
    base = root / "content/evaluations"
    for folder in sorted(p for p in base.iterdir() if p.is_dir()) if base.is_dir() else []:
        evaluations = load_evaluations(root, folder.name, centers)
        content.evaluations[folder.name] = evaluations
        content.problems += evaluations.problems


LOADERS = [load_site, load_series, load_centers, load_stories, load_commentaries, load_issues, load_notices,
           load_evaluation_rounds]


def load_content(root: Path) -> Content:
    content = Content(root=root)
    for loader in LOADERS:
        loader(root, content)
    return content
