"""Typed content models: what editors write, checked field by field.

Models hold data only. Cross-file rules live in validate/; page structure in assemble/.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from generator.load.numbers import number_text
from generator.load.periods import format_fields

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
UNSURE = "【待确认】"  # a center an import could not decide (validate offers the story's center_candidates)
Status = Literal["published", "review", "draft"]


class Model(BaseModel):
    # Unknown keys are errors: a misspelt field ("titel") must not be silently ignored.
    # defer_build: a schema is built when a file of its kind is first validated, not on import (a
    # warm run whose stories all come from load/cache.py validates none of them).
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)
    _file: str = PrivateAttr(default="")
    _lines: dict = PrivateAttr(default_factory=dict)
    _line: int = PrivateAttr(default=0)

    @field_validator("*", mode="before")
    @classmethod
    def _no_truth_for_numbers(cls, value, info):
        # YAML reads true/yes/on as booleans and pydantic would take them as 1: `quarter: true` is a slip.
        if isinstance(value, bool) and "int" in str(cls.model_fields[info.field_name].annotation):
            raise ValueError("bool_number")
        return value

    @field_validator("date", "publish_date", "due", check_fields=False)
    @classmethod
    def _plausible_date(cls, value):
        # A year like 2107 or 1900 is a typo, and would overflow archive stamps downstream.
        if isinstance(value, dt.date) and not 1990 <= value.year <= 2100:
            raise ValueError("date_range")
        return value

    def placed(self, file: str, lines: dict, line: int = 0):
        """Remember the file and the lines of the fields it was read from (for problems)."""
        self._file, self._lines, self._line = file, lines, line
        return self

    # Read straight from pydantic's dict of private attributes: `self._file` goes through
    # BaseModel.__getattr__ (~15 µs a read, a fifth of a second over the rules' reads of 2,000 files).
    @property
    def file(self) -> str:
        return self.__pydantic_private__["_file"]

    def line_of(self, field: str) -> int | None:
        private = self.__pydantic_private__
        return private["_lines"].get(field) or private["_line"] or None


def _check_id(value: str) -> str:
    if not ID_RE.match(value):
        raise ValueError("id_format")
    return value


class Publishable(Model):
    """Public on a day by generator.publication.public_on (the one rule, for every kind)."""

    status: Status = "published"
    publish_date: dt.date | None = None


class Region(Model):
    """Where a center serves: `region: <province>`, or for a city's center its province too,
    `region: {province: <province>, city: <city>}`, so that the centers index lists provinces above
    their cities. Printed as the province, or the province followed by the city."""

    province: str = Field(min_length=1)
    city: str | None = Field(default=None, min_length=1)

    def __str__(self) -> str:
        return self.province + (self.city or "")

    @property
    def local(self) -> str:
        """The narrowest place named: the city when there is one, else the province."""
        return self.city or self.province


def _region(value: object) -> object:
    return {"province": value} if isinstance(value, str) else value  # the short form: a province


class Center(Model):
    id: str
    name: str = Field(min_length=1)
    short_name: str = Field(min_length=1)
    level: str = Field(min_length=1)  # free text: 国家级, 省级/自治区级/直辖市级, 市级/市州级/地市级, 县级 …
    region: Annotated[Region, BeforeValidator(_region)]
    specialty: str = Field(min_length=1)
    host: str | None = None
    status: Literal["active", "筹建"] = "active"
    aliases: list[str] = []

    _id = field_validator("id")(_check_id)


EMAIL = re.compile(r"^[^@\s，。；、（）]+@[^@\s，。；、（）]+\.[A-Za-z]{2,}$")


class Contribution(Model):
    address: str | None = None
    phone: str | None = None
    email: str | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not EMAIL.match(value.strip()):
            raise ValueError("不是邮箱地址")
        return value


class ClosingLabels(Model):
    """The words before each 报尾 line, as an office prints them (e.g. 发 instead of 分送, or
    投稿邮箱 when the only contact is an address for contributions)."""

    report_to: str = Field(default="报", min_length=1)
    send_to: str = Field(default="送", min_length=1)
    distribute_to: str = Field(default="分送", min_length=1)
    address: str = Field(default="投稿地址", min_length=1)
    phone: str = Field(default="电话", min_length=1)
    email: str = Field(default="邮箱", min_length=1)


class Closing(Model):
    """报尾 of a bulletin: 报 (up), 送 (across), 分送 (down), and where to send stories."""

    wechat: str | None = None
    wechat_qr: str | None = None  # the 公众号's QR image, relative to content/ (printed beside `wechat`)
    report_to: list[str] = []
    send_to: list[str] = []
    distribute_to: list[str] = []
    contribution: Contribution | None = None
    labels: ClosingLabels = ClosingLabels()
    _wechat_qr_file: object = PrivateAttr(default=None)  # the verified file (load/images.content_image)

    @property
    def wechat_qr_file(self):
        """The `wechat_qr` image as the load stage verified it (a BodyImage), or None."""
        return self.__pydantic_private__["_wechat_qr_file"]

    def lines(self) -> list[tuple[str, str]]:
        """(label, text) of the 报 / 送 / 分送 lines that have names: ("报：", "甲；乙。")."""
        return [(f"{getattr(self.labels, key)}：", "；".join(names) + "。")
                for key, names in (("report_to", self.report_to), ("send_to", self.send_to),
                                   ("distribute_to", self.distribute_to)) if names]

    def contact(self) -> list[tuple[str, str]]:
        """(label, value) of the contribution block: ("投稿地址：", "…"), ("电话：", "…"), ("邮箱：", "…")."""
        c = self.contribution
        return [(f"{getattr(self.labels, key)}：", value) for key in ("address", "phone", "email")
                if c and (value := getattr(c, key))]


MAX_COUNT = 1_000_000_000  # a year's 人次 of a whole province fits; more is a typo


def _count(value: object) -> object:
    """An activity figure (培训人次 …): a whole number of at least 0, written as digits."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError("应写成 0 或正整数，如 1200（不加单位）")
    text = str(number_text(value, "应写成 0 或正整数，如 1200（不加单位，不用汉字）")).strip().replace(",", "")
    if not re.fullmatch(r"[-+]?[0-9]+(\.[0-9]+)?", text):
        raise ValueError("应写成 0 或正整数，如 1200（不加单位，不用全角数字或汉字）")
    if text.startswith("-") and float(text):
        raise ValueError("不能是负数")
    if "." in text and float(text) != int(float(text)):
        raise ValueError("次数、人次要写整数，不能有小数")
    if float(text) > MAX_COUNT:
        raise ValueError(f"数值过大（最多 {MAX_COUNT}）")
    return int(float(text))


Count = Annotated[int, BeforeValidator(_count)]


class FigureDef(Model):
    """An activity figure a series' stories may carry (`figures:` of the series), with its unit.
    `summed: false` for what several centers may count twice (institutions reached): its totals
    are never added up, only given (generator/assemble/statistics.py)."""

    name: str = Field(min_length=1)
    unit: str = Field(min_length=1)
    summed: bool = True


class Series(Model):
    id: str
    kind: Literal["bulletin", "notice"]
    name: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    closing: Closing = Closing()
    # Notice series (公文): 发文机关标志, 发文字号 prefix, 落款, default 主送机关.
    issuer_mark: str | list[str] | None = None
    doc_prefix: str | None = None
    signer: str | None = None
    addressees: str | None = None
    description: str | None = None
    # Print: 印发机关 of the 版记 (defaults to the publisher); sealed 署名 layout (GB/T 9704 7.3.5.1);
    # a bulletin issue with fewer stories than toc_min_stories prints no 目录.
    printer: str | None = None
    sealed: bool = False
    toc_min_stories: int = Field(default=6, ge=0, le=1000)
    # Bulletins: how an issue's period prints, e.g. "{year}年第{number}期（总第{total_number}期）";
    # by default from the numbers each issue gives (periods.default_format).
    period_format: str | None = None
    # Bulletins: how often the series appears (periods.FREQUENCIES). With it a 第N期 issue covers
    # its month, two months or quarter (dates checked, `new issue` proposes one inside it);
    # without it, as an irregular series, the whole year.
    frequency: Literal["monthly", "bimonthly", "quarterly", "irregular"] | None = None
    # Activity figures its stories (or, for a notice series, its rounds' results) may carry, in
    # table order; with print_statistics an issue's PDF and Word file carry its 本期统计 too.
    figures: list[FigureDef] = []
    print_statistics: bool = False

    _id = field_validator("id")(_check_id)

    @field_validator("period_format")
    @classmethod
    def _period_format(cls, value: str | None) -> str | None:
        if value is not None:
            if value.strip()[:1] in "“‘「『" and value.strip()[-1:] in "”’」』":
                raise ValueError("整个格式写在了中文引号里（YAML 只认英文引号 \" \"，中文引号会原样印在报头上）")
            format_fields(value)  # ValueError("period_format") for anything but {year} {quarter} …
        return value


class Story(Publishable):
    title: str = Field(min_length=1)
    title_lines: list[str] = []  # where the printed headline breaks (joined, they give the title)
    center: str
    # Written by `bulletin import` with center: 【待确认】: the registered centers the byline could
    # mean, best first; check offers them (validate/references.py) until the editor picks one.
    center_candidates: list[str] = []
    partners: list[str] = []
    date: dt.date
    issue: str
    figures: dict[str, Count] = {}  # {培训人次: 1200}: names declared by the series, for `center` only
    # Filled by the loader from the file, not written by editors.
    slug: str = Field(default="", exclude=True)
    body: str = Field(default="", exclude=True)
    body_line: int = Field(default=1, exclude=True)
    # The body's images as verified files (load/images.py); the only images any output uses.
    _images: list = PrivateAttr(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.issue}/{self.slug}"

    @property
    def images(self) -> list:
        return self.__pydantic_private__["_images"]


class Commentary(Publishable):
    story: str
    author: str | None = None
    body: str = Field(default="", exclude=True)
    body_line: int = Field(default=1, exclude=True)


class Section(Model):
    title: str | None = None
    stories: list[str]  # may be empty while the issue is a draft (validate/publishing.py: not once published)


class PublishedLater(Model):
    """Stories an issue lists that become public after it, declared on purpose: the issue page
    and PDF then gain them later, so the PDF a reader downloaded first differs (validate/publishing.py)."""

    stories: list[str] = Field(min_length=1)
    pdf_will_change: bool = False  # must be written as true: the editor accepts the PDF changing


class Issue(Publishable):
    """One issue of a bulletin, in bulletins/<series>/<key>.yml. The key (file name) is any id —
    2024-q3, 2025-07, 2025-tk1 — and the numbers below say which period it is (periods.py)."""

    series: str
    year: int = Field(ge=1990, le=2100)
    quarter: int | None = Field(default=None, ge=1, le=4)
    month: int | None = Field(default=None, ge=1, le=12)
    number: int | None = Field(default=None, ge=1, le=1000)  # 年内期号: 第N期
    total_number: int | None = Field(default=None, ge=1, le=100_000)  # 总第N期
    title: str | None = Field(default=None, min_length=1)  # a special issue's (专刊) own title
    date: dt.date
    preface: str | None = None
    sections: list[Section]
    closing: Closing | None = None
    published_later: PublishedLater | None = None
    # Totals of the series' `summed: false` figures, as the office counted them (never added up).
    figure_totals: dict[str, Count] = {}
    key: str = Field(default="", exclude=True)  # the file name, filled by the loader

    _series = field_validator("series")(_check_id)  # it becomes a folder of the site

    @property
    def id(self) -> str:
        return f"{self.series}/{self.key}"

    @property
    def slugs(self) -> list[str]:
        return [slug for section in self.sections for slug in section.stories]


class Editing(Model):
    """content/site.yml `editing:`: the form editor (/admin/) on the office's own Git host. Only
    public values (an OAuth application's id is public by design); never a secret."""

    backend: Literal["github", "gitlab", "gitea", "forgejo"]
    repo: str = Field(pattern=r"^[\w.-]+(/[\w.-]+)+$")  # owner/name (GitLab: group/subgroup/name)
    branch: str = Field(default="main", min_length=1)
    base_url: str | None = None  # the host (self-hosted GitLab/Gitea) or, for GitHub, the OAuth server
    auth_endpoint: str | None = None
    app_id: str | None = None  # OAuth application id (GitLab, Gitea/Forgejo)
    api_root: str | None = None
    editorial_workflow: bool = False  # Decap's draft → review → ready, as branches/merge requests

    @field_validator("editorial_workflow")
    @classmethod
    def _workflow_on_host(cls, value: bool, info) -> bool:
        if value and info.data.get("backend") == "gitea":  # Decap's gitea backend refuses to start
            raise ValueError("Gitea 不支持编辑审核流程；用 Forgejo 的写 backend: forgejo，用 Gitea 的写 editorial_workflow: false")
        return value

    @model_validator(mode="after")
    def _login_possible(self):
        """What the host's login needs (docs/online-editing.md): without it Decap would send
        editors to a third-party login service or to a public demo host."""
        if self.backend != "github" and not self.app_id:
            raise ValueError("用 GitLab、Gitea 或 Forgejo 登录要写 app_id：在平台上登记的 OAuth 应用的 ID（见 docs/online-editing.md）")
        if self.backend in ("gitea", "forgejo") and not (self.base_url or self.api_root):
            raise ValueError("自建的 Gitea/Forgejo 要写 base_url：平台的地址，如 https://git.example.org")
        return self

    @field_validator("base_url", "api_root")
    @classmethod
    def _http(cls, value: str | None) -> str | None:
        if value is not None:
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.netloc or any(c in value for c in " <>\"'"):
                raise ValueError("url_format")
        return value


class SiteConfig(Model):
    """content/site.yml: what the whole site is called and where it is published."""

    title: str = Field(default="医疗质量控制工作简报与通报", min_length=1)
    description: str = ""
    copyright: str | None = None
    url: str | None = None  # public address (canonical links, sitemap); http(s) only
    editing: Editing | None = None  # the form editor at /admin/ of the public site (off when absent)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c in value for c in " <>\"'"):
            raise ValueError("url_format")
        return value.rstrip("/") + "/"


class DocNumber(Model):
    """发文字号: prefix, year in 〔〕, number without leading zeros — X卫办发〔2025〕15号 style."""

    prefix: str = Field(min_length=1)
    year: int = Field(ge=1990, le=2100)
    number: int = Field(ge=1, le=100_000)

    def __str__(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.number}号"


class Notice(Publishable):
    """An official notice (通报). `date` is 成文日期; `publish_date` doubles as 发布日期."""

    series: str
    doc_number: DocNumber
    title: str = Field(min_length=1)
    title_lines: list[str] = []  # where the printed title breaks (joined, they give the title)
    addressees: str | None = None  # 主送机关; defaults to the series'
    date: dt.date
    signer: str | None = None  # 落款; defaults to the series'
    note: str | None = None  # 附注, e.g. 公开前需经政府信息公开审查
    copy_to: str | None = None  # 抄送 of the 版记
    printer: str | None = None  # 印发机关 of the 版记; defaults to the series'
    print_date: dt.date | None = None  # 印发日期; defaults to 成文日期
    sealed: bool | None = None  # 署名 layout with a seal; defaults to the series'
    evaluation: str | None = None  # "<series-id>/<year>" of the round it reports
    attachments: list[str] = []
    topic: str | None = None  # 主题分类
    index_no: str | None = None  # 索引号
    # 附件 columns, from 序号 质控中心 得分 排名 评估结果 挂靠单位; default 序号 质控中心 评估结果 挂靠单位
    annex_columns: list[Literal["序号", "质控中心", "得分", "排名", "评估结果", "挂靠单位"]] | None = None
    slug: str = Field(default="", exclude=True)
    body: str = Field(default="", exclude=True)
    body_line: int = Field(default=1, exclude=True)

    @property
    def id(self) -> str:
        return f"{self.series}/{self.slug}"
