"""Stage 1 — load: editors' files → typed models, with every problem found (not just the first)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from pydantic import BaseModel

from generator import superseded
from generator.load.cache import LoadCache, kept_or_read, read_with_digest, stamp, tree_digests
from generator.load.evaluations import load_evaluations
from generator.load.fields import build_model
from generator.load.images import content_image, resolve_images, text_images
from generator.load.listing import Listing
from generator.load.models import ID_RE, Center, Commentary, Issue, Notice, Series, SiteConfig, Story
from generator.load.yaml_source import SourceFile, load_markdown_file, load_yaml_file, reset_link_cache
from generator.parallel import in_two
from generator.problems import Problem


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
    site: SiteConfig = field(default_factory=SiteConfig)  # content/site.yml
    problems: list[Problem] = field(default_factory=list)
    unreadable_centers: set[str] = field(default_factory=set)  # ids of registry entries with errors of their own
    centers_incomplete: bool = False  # a registry file could not be read at all: its ids are unknown
    digests: dict[str, str] = field(default_factory=dict)  # file → sha1, when loaded with a LoadCache
    listing: Listing | None = None  # the root's folders as this load saw them (listing.py)

    def __post_init__(self):
        if self.listing is None:
            self.listing = Listing(self.root)

    def notice_named(self, ref: str | None) -> Notice | None:
        """The notice a round or fact names (`notice:`): by id, "<series-id>/<file name>", or
        by its 发文字号 as printed (某卫办发〔2025〕3号); None when no notice is so named."""
        text = "".join((ref or "").split())
        return next((n for n in self.notices if text in (n.id, str(n.doc_number))), None) if text else None


def load_series(root: Path, content: Content, files: LoadCache | None = None) -> None:
    def read(path: Path):
        src, obj = load_yaml_file(path, root), None
        if src.data is not None:
            data = src.data
            extra = {"id": path.stem} if isinstance(data, dict) and "id" not in data else None
            obj = build_model(src, Series, data, extra)
            if obj:
                src.problems += closing_images(obj.closing, obj, root, src.rel)
        # a 报尾 QR image is read again each run (its file may change)
        return (obj, src.problems), obj is not None, not (obj and obj.closing and obj.closing.wechat_qr)

    for obj, problems in cached_files(content.listing, "content/series", ".yml", files, read, recursive=False):
        if obj:
            content.series.append(obj)
        content.problems += problems


def load_centers(root: Path, content: Content, files: LoadCache | None = None) -> None:
    def read(path: Path):
        src, centers, unreadable = load_yaml_file(path, root), [], set()
        incomplete = src.data is None and bool(src.problems)  # "unknown center" everywhere would follow
        if src.data is not None and not isinstance(src.data, list):
            src.problem("质控中心名录应为列表，每个中心以“- id: …”开头", "参照 docs/CONTENT.md 的示例", 1)
        elif src.data is not None:
            for item, line in zip(src.data, src.data.lines):
                obj = build_model(src, Center, item, line=line)
                if obj:
                    centers.append(obj)
                elif isinstance(item, dict) and isinstance(item.get("id"), str):
                    unreadable.add(item["id"])
        return (centers, unreadable, incomplete, src.problems), src.data is not None, True

    for centers, unreadable, incomplete, problems in cached_files(content.listing, "content/centers", ".yml", files,
                                                                  read, recursive=False):
        content.centers += centers
        content.unreadable_centers |= unreadable
        content.centers_incomplete |= incomplete
        content.problems += problems


def closing_images(closing, owner, root: Path, rel: str) -> list[Problem]:
    """The 报尾's `wechat_qr` image verified (load/images.content_image) and kept on the closing."""
    if closing is None or closing.wechat_qr is None:
        return []
    image, problems = content_image(closing.wechat_qr, root, rel, owner.line_of("closing.wechat_qr"), "公众号二维码图片")
    closing._wechat_qr_file = image
    return problems


def slug_problem(src: SourceFile, path: Path, example: str = "pediatrics.md") -> bool:
    """File names become web addresses: only a-z, 0-9 and '-' (no spaces, capitals, dots or Chinese)."""
    if ID_RE.match(path.stem):
        return False
    src.problem(f"文件名“{path.name}”不能用作网址",
                f"文件名只用小写英文字母、数字和连字符，如 {example}；请改名后再提交")
    return True


def _paths(entries) -> list[Path]:
    return [Path(e.path) for e in entries]


def cached_files(listing: Listing, folder: str, suffix: str, files: LoadCache | None, read,
                 recursive: bool = True, shared: bool = False):
    """The result of `read(path)` → (result, read_ok, cacheable) of each file named `*suffix` under
    `folder`: read for a file that changed since the last run (or has images: see cache.py), kept
    for the others. Paths stay strings until a file is read: building 2,000 Path objects cost
    more than the cache lookups. When nothing is kept, the second half of the files is read in
    a forked child (generator/parallel.py): the same results, in the same order. `shared`: see
    cache.kept_or_read."""
    entries = list(listing.files(folder, suffix, recursive))
    done = [None] * len(entries)
    if files is None or not files.old:  # nothing kept (a first build, `check`): every file is read,
        done, _ = in_two([partial(read_with_digest, read, e.path) for e in entries])  # on two cores
    for entry, answer in zip(entries, done):
        yield kept_or_read(files, entry.rel, entry.stamp, entry.path, listing.root, read, answer, shared)


@dataclass(frozen=True)
class DocumentKind:
    """A folder of Markdown documents with front matter: their model and the words of their problems.
    `page`: each file is a page (its name a slug); `images`: the attribute that receives the body's
    verified images; without it an image in the body (named `no_images` to the editor) is a problem."""

    folder: str
    model: type[BaseModel]
    empty: tuple[str, str]
    page: bool = True
    images: str | None = None
    no_images: str = ""


STORIES = DocumentKind("content/stories", Story, ("稿件正文是空的", "在第二个 --- 行之后写正文"), images="_images")
COMMENTARY = DocumentKind("content/commentary", Commentary,
                          ("点评正文是空的", "在第二个 --- 行之后写点评内容（不必写“点评：”）"), page=False, no_images="点评")
NOTICES = DocumentKind("content/notices", Notice, ("通报正文是空的", "在第二个 --- 行之后写正文"), no_images="通报正文")
DOCUMENT_KINDS = (STORIES, COMMENTARY, NOTICES)


def document_reader(root: Path, kind: DocumentKind):
    """`read(path)` → ((model or None, problems), read_ok, cacheable) for a file of `kind`."""
    def read(path: Path) -> tuple[tuple[BaseModel | None, list[Problem]], bool, bool]:
        src, obj = load_markdown_file(path, root), None
        if src.data is not None and not (kind.page and slug_problem(src, path)):
            extra = {"body": src.body, "body_line": src.body_line} | ({"slug": path.stem} if kind.page else {})
            obj = build_model(src, kind.model, src.data, extra)
            if obj and not src.body.strip():
                src.problem(*kind.empty, src.body_line)
                obj = None
            elif obj:
                pictures, bad = resolve_images(src.body, path.parent, root, src.rel, src.body_line,
                                               allowed=bool(kind.images), what=kind.no_images)
                src.problems += bad
                if kind.images:
                    setattr(obj, kind.images, pictures)
        # Image syntax makes the result depend on other files (the pictures): never kept.
        return (obj, src.problems), obj is not None, "![" not in src.body

    return read


def read_document(root: Path, rel: str) -> tuple[BaseModel | None, list[Problem]]:
    """One story, 点评 or notice file read on its own, as the loader reads it (the preview's first
    answer to an edit: edited.py); (None, []) for a file of no document folder."""
    kind = next((k for k in DOCUMENT_KINDS if rel.startswith(f"{k.folder}/") and rel.endswith(".md")), None)
    if kind is None:
        return None, []
    reset_link_cache()
    return document_reader(root, kind)(root / rel)[0]


def markdown_documents(root: Path, kind: DocumentKind, files: LoadCache | None = None,
                       listing: Listing | None = None) -> tuple[list, list[Problem]]:
    """The documents of `kind`'s folder → models carrying their body (and, for pages, a slug)."""
    found, problems = [], []
    # A story, 点评 or notice model is never changed after loading: a running preview shares it.
    for obj, file_problems in cached_files(listing or Listing(root), kind.folder, ".md", files,
                                           document_reader(root, kind), shared=True):
        if obj is not None:
            found.append(obj)
        problems += file_problems
    return found, problems


def load_stories(root: Path, content: Content, files: LoadCache | None = None) -> None:
    stories, problems = markdown_documents(root, STORIES, files=files, listing=content.listing)
    content.stories += stories
    content.problems += problems


def load_commentaries(root: Path, content: Content, files: LoadCache | None = None) -> None:
    found, problems = markdown_documents(root, COMMENTARY, files=files, listing=content.listing)
    content.commentaries += found
    content.problems += problems


def load_issues(root: Path, content: Content, files: LoadCache | None = None) -> None:
    def read(path: Path) -> tuple[tuple[Issue | None, list[Problem]], bool, bool]:
        src, obj = load_yaml_file(path, root), None
        if src.data is not None and not slug_problem(src, path, "2025-07.yml"):
            obj = build_model(src, Issue, src.data, {"key": path.stem})
            if obj:
                src.problems += closing_images(obj.closing, obj, root, src.rel)
                src.problems += text_images(obj.preface or "", src.rel, obj.line_of("preface"), "按语")
        # a 按语 takes no images; a 报尾 QR image is read again each run (its file may change)
        return (obj, src.problems), obj is not None, not (obj and obj.closing and obj.closing.wechat_qr)

    for obj, problems in cached_files(content.listing, "bulletins", ".yml", files, read):
        if obj is not None:
            content.issues.append(obj)
        content.problems += problems


def load_site(root: Path, content: Content, files: LoadCache | None = None) -> None:
    def read(path: Path):
        src = load_yaml_file(path, root)
        site = (build_model(src, SiteConfig, src.data) or SiteConfig()) if src.data is not None else None
        return (site, src.problems), src.data is not None, True

    path = root / "content/site.yml"
    if path.exists():
        site, problems = kept_or_read(files, "content/site.yml", stamp(path), str(path), root, read)
        content.site = site or content.site
        content.problems += problems


def load_notices(root: Path, content: Content, files: LoadCache | None = None) -> None:
    notices, problems = markdown_documents(root, NOTICES, files=files, listing=content.listing)
    content.notices += notices
    content.problems += problems


def load_evaluation_rounds(root: Path, content: Content, files: LoadCache | None = None) -> None:
    """Rounds and open-year facts per series (content/evaluations/<series-id>/); needs the centers."""
    centers = {c.id: c.status for c in content.centers}  # id → status: 筹建 centers are not evaluated
    centers |= {cid: "active" for cid in content.unreadable_centers - centers.keys()}  # their own errors are said
    if content.centers_incomplete:
        centers = None  # which ids exist is not known: the registry's own problem is reported instead
    base = root / "content/evaluations"
    for folder in sorted(p for p in base.iterdir() if p.is_dir()) if base.is_dir() else []:
        series = next((s for s in content.series if s.id == folder.name), None)
        declared = series.figures if series else []
        evaluations = load_evaluations(root, folder.name, centers, declared, content.centers,
                                       f"{series.publisher}{series.name}" if series else "", files)
        content.evaluations[folder.name] = evaluations
        content.problems += evaluations.problems


LOADERS = [load_site, load_series, load_centers, load_stories, load_commentaries, load_issues, load_notices,
           load_evaluation_rounds]
CACHED_FOLDERS = tuple(k.folder for k in DOCUMENT_KINDS)  # their digests come from the cache


def load_registry(root: Path) -> Content:
    """Only what ids refer to (series, centers, issues): what `bulletin new` checks its arguments
    against, without reading every story or running the grading engine."""
    reset_link_cache()
    content = Content(root=root)
    for loader in (load_series, load_centers, load_issues):
        loader(root, content)
    return content


def load_content(root: Path, files: LoadCache | None = None) -> Content:
    """All content. With `files` (cache.py), files unchanged since the kept run are not read
    again; the caller saves it once the content is known to be good (a failed run writes nothing)."""
    reset_link_cache()
    content = Content(root=root)
    for loader in LOADERS:
        superseded.check()  # the preview's editor saved again: this run is stopped (superseded.py)
        loader(root, content, files)
    if files:
        # a link by its target's name (tree_digests), as the loaders never read where it leads
        content.digests = {**files.digests, **tree_digests(content.listing, "content", files, skip=CACHED_FOLDERS)}
    return content
