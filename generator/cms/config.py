"""The form editor's configuration (Decap CMS `config.yml`), generated from the content model.

Every field of every form comes from the pydantic models in generator/load/ (required or not,
type, choices, bounds), named in Chinese by labels.py; the collections come from what the project
holds (series, issues, evaluation series), so the config cannot drift from what `check` accepts.

Collections: 网站设置, 系列, 质控中心 (the registries, read through the `zk-centers` format of
admin/zk-formats.js), 稿件 and 点评 (all of them, for editing; and one collection per open issue —
draft, in review, or the newest of its series — for writing new ones, so that a new file lands in
content/stories/<series>/<issue>/), 期刊 per bulletin series, 通报 per notice series, 评估结果 and
年份不确定的事实 per evaluation series.

New files get ASCII names that `check` accepts: a story is named after its center's id (a second
one of the same center gets `-1`), an issue after its period (`2025-q3`, `2025-7`), a notice after
its 发文字号 (`2025-15`), a round after its year. Centers are picked by typing any of their
search terms: id, names, aliases and the usual abbreviations of words in them (院感, 儿科 …;
load/center_names.search_terms), carried by the config and joined into one string per center by
admin/zk-formats.js.
"""
from __future__ import annotations

import datetime as dt
import types
import typing
from decimal import Decimal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from generator.cms import labels
from generator.load.content import Content
from generator.load.evaluations import FactsFile, ResultFile, RoundFile
from generator.load.models import ID_RE, Commentary, Issue, Notice, Series, SiteConfig, Story
from generator.load.models import Center as CenterModel
from generator.publication import marked_published

DATE = {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False,
        "picker_utc": True}
ID_PATTERN = [ID_RE.pattern, "只用小写英文字母、数字和连字符"]
CENTER_SEARCH = ["centers.*._zk_search"]  # id, names, aliases, abbreviations (admin/zk-formats.js)
# A new file starts as a draft; an existing one without `status:` is published (the model's default),
# so the field stays optional: saving such a file unchanged must not need a choice.
NEW_DRAFT = {"default": "draft", "required": False}
ISSUE_FIELD = "_zk_issue"  # a 点评's issue, apart from its story's slug (zk-commentary in admin/zk-formats.js)
LONG_TEXT = {"preface", "description", "note", "source", "addressees", "copy_to"}


def _center_relation(**extra) -> dict:
    return {"widget": "relation", "collection": "centers", "value_field": "centers.*.id",
            "search_fields": CENTER_SEARCH, "display_fields": ["centers.*.name"], "options_length": 50, **extra}


def _story_relation(issue_ids: list[str], value: str = "{{filename}}") -> dict:
    """A story of the given issues (Decap filters by the story's `issue:`), stored as its slug."""
    return {"widget": "relation", "collection": "stories", "value_field": value, "search_fields": ["title"],
            "display_fields": ["title"], "filters": [{"field": "issue", "values": issue_ids or ["—"]}],
            "options_length": 100}


def _plain(annotation):
    """The annotation without Optional/None and without Annotated metadata."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _plain(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return _plain(args[0])
        return typing.Union[tuple(_plain(a) for a in args)]  # noqa: UP007 (built from a tuple)
    return annotation


def _bounds(info: FieldInfo) -> dict:
    out = {}
    for meta in info.metadata:
        if getattr(meta, "ge", None) is not None:
            out["min"] = meta.ge
        if getattr(meta, "le", None) is not None:
            out["max"] = meta.le
    return out


def _select(options: dict | list, multiple: bool = False) -> dict:
    if isinstance(options, dict):
        choices = [{"label": shown, "value": value} for value, shown in options.items()]
    else:
        choices = [{"label": str(o), "value": o} for o in options]
    return {"widget": "select", "options": choices, **({"multiple": True} if multiple else {})}


def _widget(model: str, name: str, annotation, info: FieldInfo | None) -> dict:
    """The Decap widget for one field's type."""
    plain = _plain(annotation)
    origin = typing.get_origin(plain)
    args = typing.get_args(plain)
    if origin is typing.Literal:
        return _select(labels.choices(model, name) or list(args))
    if origin in (typing.Union, types.UnionType) and str in args:
        return {"widget": "list", "field": {"label": labels.label(model, name), "name": name, "widget": "string"}}
    if origin is list:
        item = args[0]
        if typing.get_origin(_plain(item)) is typing.Literal:
            return _select(list(typing.get_args(_plain(item))), multiple=True)
        if isinstance(_plain(item), type) and issubclass(_plain(item), BaseModel):
            return {"widget": "list", "fields": model_fields(_plain(item)), "collapsed": True}
        inner = _widget(model, name, item, None)
        return {"widget": "list", "field": {"label": labels.label(model, name), "name": name, **inner}}
    if origin is dict:  # {name: number} (scores by area, figures): a list of pairs in the form (zk-formats.js)
        key, value = labels.pair(name)
        return {"widget": "list", "collapsed": False, "fields": [
            {"label": key, "name": "key", "widget": "string"},
            {"label": value, "name": "value", **_widget(model, name, args[1], None)}]}
    if isinstance(plain, type) and issubclass(plain, BaseModel):
        return {"widget": "object", "fields": model_fields(plain), "collapsed": True}
    if plain is bool:
        return {"widget": "boolean"}
    if plain is int:
        return {"widget": "number", "value_type": "int", **(_bounds(info) if info else {})}
    if plain is Decimal:
        if name in ("top", "bottom"):  # a share: 10% or 0.1
            return {"widget": "string"}
        return {"widget": "number", "value_type": "float"}
    if plain is dt.date:
        return dict(DATE)
    return {"widget": "text" if name in LONG_TEXT else "string"}


def mapping_fields(models: list[type[BaseModel]]) -> list[str]:
    """Names of the fields that hold a mapping {name: number}, in any of `models` or the models
    inside them: the form edits them as lists of key/value pairs (admin/zk-formats.js)."""
    found, seen = set(), set()

    def walk(annotation) -> list:
        plain = _plain(annotation)
        if isinstance(plain, type) and issubclass(plain, BaseModel):
            return [plain]
        return [m for arg in typing.get_args(plain) for m in walk(arg)]

    todo = list(models)
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, info in model.model_fields.items():
            if typing.get_origin(_plain(info.annotation)) is dict and not info.exclude:
                found.add(name)
            todo += walk(info.annotation)
    return sorted(found)


def pair_fields() -> list[str]:
    """The mapping fields of every content file's model."""
    return mapping_fields([Story, Commentary, Issue, Notice, RoundFile, FactsFile, CenterModel, Series, SiteConfig])


def _optional_inside(fields: list[dict]) -> None:
    """An optional object's fields are optional in the form: Decap validates them even when the
    object is absent (a round without `excluded:` could not be saved); `check` still requires
    them once the object is written."""
    for field in fields:
        field["required"] = False
        if field.get("widget") == "object":
            _optional_inside(field["fields"])


def model_fields(model: type[BaseModel], overrides: dict | None = None, skip: tuple = ()) -> list[dict]:
    """Decap fields of a model, in its order: everything an editor may write (loader-filled
    fields excluded), required exactly when the model requires it."""
    name_of = model.__name__.removesuffix("File")
    out = []
    # What a file is about first; its publishing state (status, publish_date) last.
    names = sorted(model.model_fields, key=lambda n: n in ("status", "publish_date"))
    for name in names:
        info = model.model_fields[name]
        if info.exclude or name in skip:
            continue
        override = (overrides or {}).get(name, {})
        widget = override if "widget" in override else {**_widget(name_of, name, info.annotation, info), **override}
        field = {"label": labels.label(name_of, name), "name": name, "required": info.is_required(), **widget}
        if not info.is_required() and field.get("widget") == "object":
            _optional_inside(field["fields"])
        if (hint := labels.hint(name_of, name)) and "hint" not in field:
            field["hint"] = hint
        out.append(field)
    return out


# ---------------------------------------------------------------- collections


def _open_issues(content: Content) -> list[Issue]:
    """Issues new stories are written for: draft or in review, and the newest of each series."""
    newest = {}
    for issue in content.issues:
        if issue.series not in newest or (issue.date, issue.key) > (newest[issue.series].date, newest[issue.series].key):
            newest[issue.series] = issue
    chosen = [i for i in content.issues if not marked_published(i) or newest.get(i.series) is i]
    return sorted(chosen, key=lambda i: (i.series, i.date, i.key), reverse=True)


def _period(issue: Issue) -> str:
    parts = [f"{issue.year}年"]
    if issue.quarter:
        parts.append(f"第{issue.quarter}季度")
    if issue.month:
        parts.append(f"{issue.month}月")
    if issue.number:
        parts.append(f"第{issue.number}期")
    return "".join(parts) + (f"·{issue.title}" if issue.title else "") + f"（{issue.key}）"


def _story_fields(issue_id: str | None) -> list[dict]:
    issue = {"widget": "hidden", **({"default": issue_id} if issue_id else {})}
    fields = model_fields(Story, {
        "center": _center_relation(),
        "partners": _center_relation(multiple=True, required=False),
        "center_candidates": _center_relation(multiple=True, required=False),
        "issue": issue,
        "status": {**_widget("Story", "status", Story.model_fields["status"].annotation, None), **NEW_DRAFT},
    })
    fields.append({"label": labels.label("Story", "body"), "name": "body", "widget": "markdown",
                   "hint": labels.hint("Story", "body"), "modes": ["rich_text", "raw"],
                   "buttons": ["bold", "link", "bulleted-list", "numbered-list"], "editor_components": ["image"]})
    return fields


def _media(collection: dict) -> dict:
    """Images go to images/ beside the entry, linked as images/<name> (what `check` expects)."""
    return {**collection, "media_folder": "images", "public_folder": "images"}


def story_collections(content: Content) -> list[dict]:
    everything = _media({
        "name": "stories", "label": "稿件（全部）", "label_singular": "稿件", "folder": "content/stories",
        "extension": "md", "format": "zk-md", "create": False, "path": "{{series}}/{{issue}}/{{slug}}",
        "summary": "{{title}}（{{issue}}）", "sortable_fields": ["title", "date"], "fields": _story_fields(None),
        "description": "已有的全部稿件。写新稿件请在下面对应的期里“新建”。"})
    per_issue = [_media({
        "name": f"stories-{issue.series}-{issue.key}", "label": f"新稿件 · {_period(issue)}",
        "label_singular": "稿件", "folder": f"content/stories/{issue.id}", "extension": "md", "format": "zk-md",
        "create": True, "slug": "{{center}}", "summary": "{{title}}", "fields": _story_fields(issue.id),
        "description": f"本期（{issue.id}）的稿件；新稿件保存在 content/stories/{issue.id}/，文件名取供稿中心的编号。"})
        for issue in _open_issues(content)]
    return [everything, *per_issue]


def commentary_collections(content: Content) -> list[dict]:
    """点评: all of them for editing, and one collection per open issue for writing new ones. A
    点评's file is named after its story (content/commentary/<series>/<issue>/<slug>.md), so the
    form holds the story's slug in `story` and the issue apart (`_zk_issue`); the zk-commentary
    format joins them into `story: <series>/<issue>/<slug>` (admin/zk-formats.js)."""
    def fields(issue_id: str | None) -> list[dict]:
        if issue_id:
            story = {**_story_relation([issue_id]), "hint": "输入稿件标题的几个字选择；点评文件以稿件的文件名保存"}
            issue = {"label": labels.label("Story", "issue"), "name": ISSUE_FIELD, "widget": "hidden", "default": issue_id}
        else:
            story = {"widget": "string", "pattern": [ID_RE.pattern, "写稿件的文件名，如 pediatrics"]}
            issue = {"label": "所属期（系列编号/期文件名）", "name": ISSUE_FIELD, "widget": "string",
                     "pattern": [r"^[a-z0-9-]+/[a-z0-9-]+$", "写成 系列编号/期文件名，如 js-bulletin/2025-03"]}
        out = [issue, *model_fields(Commentary, {"story": story, "status": NEW_DRAFT})]
        out.append({"label": "点评内容", "name": "body", "widget": "markdown", "modes": ["raw"],
                    "hint": "不必写“点评：”，网页和 PDF 会自动加上"})
        return out

    everything = {"name": "commentary", "label": "点评（全部）", "label_singular": "点评", "folder": "content/commentary",
                  "extension": "md", "format": "zk-commentary", "create": False, "path": "{{series}}/{{issue}}/{{slug}}",
                  "identifier_field": "story", "summary": "{{_zk_issue}}/{{story}}", "fields": fields(None),
                  "description": "已有的全部点评。写新点评请在下面对应的期里“新建”。"}
    per_issue = [{"name": f"commentary-{issue.series}-{issue.key}", "label": f"新点评 · {_period(issue)}",
                  "label_singular": "点评", "folder": f"content/commentary/{issue.id}", "extension": "md",
                  "format": "zk-commentary", "create": True, "slug": "{{fields.story}}", "identifier_field": "story",
                  "summary": "{{story}}", "fields": fields(issue.id),
                  "description": f"本期（{issue.id}）稿件的点评；保存在 content/commentary/{issue.id}/，文件名与稿件相同。"}
                 for issue in _open_issues(content)]
    return [everything, *per_issue]


def issue_collections(content: Content) -> list[dict]:
    out = []
    for series in content.series:
        if series.kind != "bulletin":
            continue
        ids = sorted(i.id for i in content.issues if i.series == series.id)
        fmt = series.period_format or ""
        slug = ("{{fields.year}}-q{{fields.quarter}}" if "{quarter}" in fmt else
                "{{fields.year}}-{{fields.month}}" if "{month}" in fmt else
                "{{fields.year}}-{{fields.number}}" if "{number}" in fmt else "{{fields.date}}")
        stories = {"widget": "list", "collapsed": False, "field": {"label": "稿件", "name": "story", **_story_relation(ids)}}
        section = model_fields(Issue.model_fields["sections"].annotation.__args__[0], {
            "stories": stories, "title": {"hint": "栏目标题，如 省级质控中心；不分栏目就不填（不印）"}})
        later = {"widget": "object", "collapsed": True, "required": False, "fields": [
            {"label": "稿件", "name": "stories", "widget": "list",
             "field": {"label": "稿件", "name": "story", **_story_relation(ids)}},
            {"label": labels.label("Issue", "pdf_will_change"), "name": "pdf_will_change", "widget": "boolean",
             "required": False}]}
        out.append({
            "name": f"issues-{series.id}", "label": f"期刊 · {series.name}", "label_singular": "期",
            "folder": f"bulletins/{series.id}", "extension": "yml", "format": "zk-yaml", "create": True,
            "identifier_field": "date", "slug": slug, "summary": "{{year}}年 {{quarter}}{{month}}{{number}} {{title}}（{{date}}）",
            "fields": model_fields(Issue, {
                "series": {"widget": "hidden", "default": series.id},
                "sections": {"widget": "list", "fields": section, "collapsed": False},
                "published_later": later,
                "status": NEW_DRAFT}),
        })
    return out


def notice_collections(content: Content) -> list[dict]:
    return [{
        "name": f"notices-{series.id}", "label": f"通报 · {series.name}", "label_singular": "通报",
        "folder": f"content/notices/{series.id}", "extension": "md", "format": "zk-md", "create": True,
        "slug": "{{fields.doc_number.year}}-{{fields.doc_number.number}}", "summary": "{{title}}",
        "fields": [*model_fields(Notice, {"series": {"widget": "hidden", "default": series.id},
                                          "status": NEW_DRAFT}),
                   {"label": "正文", "name": "body", "widget": "markdown", "modes": ["raw"],
                    "hint": "一级标题写“## 一、……”；等次句写 {{ 评估结果 }}，由评估结果生成"}],
    } for series in content.series if series.kind == "notice"]


def evaluation_collections(content: Content) -> list[dict]:
    out = []
    for series in sorted(set(content.evaluations) | {s.id for s in content.series if s.kind == "notice"}):
        results = model_fields(ResultFile, {"center": _center_relation()})
        out.append({
            "name": f"rounds-{series}", "label": f"评估结果 · {series}", "label_singular": "评估年度",
            "folder": f"content/evaluations/{series}", "extension": "yml", "format": "zk-round", "create": True,
            "filter": {"field": "_zk_kind", "value": "round"}, "identifier_field": "year",
            "slug": "{{fields.year}}", "summary": "{{year}}年度",
            "fields": model_fields(RoundFile, {
                "results": {"widget": "list", "fields": results, "collapsed": True, "summary": "{{fields.center}}"},
                "excluded": {"fields": model_fields(RoundFile.model_fields["excluded"].annotation.__args__[0],
                                                    {"centers": _center_relation(multiple=True, required=False)})},
            })})
        fact = model_fields(FactsFile.model_fields["facts"].annotation.__args__[0], {"center": _center_relation()})
        out.append({
            "name": f"facts-{series}", "label": f"年份不确定的事实 · {series}", "format": "zk-facts",
            "files": [{"name": "facts", "label": "年份不确定的事实", "file": f"content/evaluations/{series}/facts.yml",
                       "fields": [{"label": labels.label("Facts", "facts"), "name": "facts", "widget": "list",
                                   "fields": fact, "required": False}]}]})
    return out


def registry_collections(content: Content) -> list[dict]:
    center = model_fields(CenterModel, {"id": {"pattern": ID_PATTERN},
                                        "region": {"collapsed": False}})
    return [
        {"name": "centers", "label": "质控中心名录", "label_singular": "名录文件", "folder": "content/centers",
         "extension": "yml", "format": "zk-centers", "create": False, "identifier_field": "centers",
         "fields": [{"label": "质控中心", "name": "centers", "widget": "list", "fields": center,
                     "summary": "{{fields.name}}（{{fields.id}}）", "collapsed": True}]},
        {"name": "series", "label": "系列", "label_singular": "系列", "folder": "content/series", "extension": "yml",
         "format": "zk-series", "create": False, "identifier_field": "name",
         "fields": model_fields(Series, {"id": {"required": False, "pattern": ID_PATTERN}})},
        {"name": "site", "label": "网站设置", "format": "zk-yaml", "files": [
            {"name": "site", "label": "网站设置（content/site.yml）", "file": "content/site.yml",
             "fields": model_fields(SiteConfig)}]},
    ]


API_PATH = {"gitlab": "/api/v4", "gitea": "/api/v1", "forgejo": "/api/v1"}


def backend(content: Content, local_backend: str | None) -> dict:
    """The Git host the public /admin/ commits to (site.yml `editing:`), or the local one."""
    editing = content.site.editing
    if local_backend or editing is None:
        return {"backend": {"name": "proxy", "proxy_url": local_backend or "", "branch": "main"}}
    out = {"name": editing.backend, "repo": editing.repo, "branch": editing.branch}
    for key in ("base_url", "auth_endpoint", "app_id", "api_root"):
        if getattr(editing, key):
            out[key] = getattr(editing, key)
    if editing.base_url and not editing.api_root and editing.backend in API_PATH:  # a self-hosted host's API
        out["api_root"] = editing.base_url.rstrip("/") + API_PATH[editing.backend]
    if editing.backend in ("gitlab", "gitea", "forgejo") and editing.app_id:
        out["auth_type"] = "pkce"
    cfg = {"backend": out}
    if editing.editorial_workflow:
        cfg["publish_mode"] = "editorial_workflow"
    return cfg


def cms_config(content: Content, local_backend: str | None = None) -> dict:
    """The whole config. `local_backend`: decap-server's API URL (`bulletin serve --edit`)."""
    return {
        **backend(content, local_backend),
        "locale": "zh_Hans",
        "load_config_file": False,
        "media_folder": "content/stories",  # required globally; every collection has its own images/
        "public_folder": "images",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "site_url": content.site.url or "/",
        "logo_url": "",
        "collections": [*story_collections(content), *issue_collections(content), *commentary_collections(content),
                        *notice_collections(content), *evaluation_collections(content),
                        *registry_collections(content)],
    }
