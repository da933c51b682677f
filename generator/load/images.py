"""Images a Markdown body refers to, resolved once at load time into verified files.

The references are found by the same Markdown parser that renders the body (render/markup.py
builds its converter from MARKDOWN_EXTENSIONS and NoRawHtml below), so every way of writing an
image counts: inline `![a](p)`, `![a](<p with spaces>)`, reference-style `![a][r]` … `[r]: p`.
Raw HTML is escaped by that parser, so `<img src>` never becomes an image; a warning here tells
the editor what to write instead.

Each reference must be a relative path inside the body's folder (no `..`, no address of another
site, no data: URL), a real file inside content/ (a symlink leaving it is refused), and a PNG,
JPEG, GIF or WebP picture by its content (Pillow), its extension matching. The web pages, PDFs
and Word files use only the `BodyImage.path`s found here: no later stage resolves an address.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from generator.problems import Problem

MARKDOWN_EXTENSIONS = ["tables", "sane_lists"]
# Pillow's name for the content → the extensions a file of it may carry (Typst and Word pick the
# decoder by extension: a JPEG named .png would fail there).
FORMATS = {"PNG": (".png",), "JPEG": (".jpg", ".jpeg"), "GIF": (".gif",), "WEBP": (".webp",)}
EXTENSIONS = {ext: fmt for fmt, exts in FORMATS.items() for ext in exts}
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
RAW_IMG = re.compile(r"<img\b", re.IGNORECASE)
HOW = "把图片放在稿件旁的 images/ 文件夹里，写成 ![图片说明](images/图片名.jpg)"


class NoRawHtml(Extension):
    """Contributed Markdown carries no HTML: raw HTML blocks and inline tags stay text."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


class _Collect(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        self.md.image_sources = [img.get("src") or "" for img in root.iter("img")]
        self.md.image_described = [bool((img.get("alt") or img.get("title") or "").strip()) for img in root.iter("img")]


class _Sources(NoRawHtml):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        super().extendMarkdown(md)
        md.treeprocessors.register(_Collect(md), "collect-images", -1)  # after unescaping


_md = markdown.Markdown(extensions=[*MARKDOWN_EXTENSIONS, _Sources()])


def body_images(text: str) -> list[tuple[str, bool]]:
    """Every image of a body, in order: its address as the rendered <img src> holds it, and
    whether it says what it shows (alt text or title)."""
    if "![" not in text:
        return []  # no image syntax at all: skip the parse (most bodies)
    _md.reset()
    _md.convert(text)
    return list(zip(_md.image_sources, _md.image_described))


def image_sources(text: str) -> list[str]:
    return [src for src, _ in body_images(text)]


@dataclass(frozen=True)
class BodyImage:
    src: str  # the address as the body's HTML holds it
    name: str  # folder-relative path of the file (where it is published beside its page)
    path: Path  # the verified file, resolved


@lru_cache(maxsize=64)
def _content_top(root: Path) -> Path:
    return (root / "content").resolve()


def _line(lines: list[str], needle: str, seen: dict, first_line: int) -> int:
    """The body line where an address is written (its n-th occurrence for its n-th use)."""
    start = seen.get(needle, 0)
    for i in range(start, len(lines)):
        if needle and needle in lines[i]:
            seen[needle] = i + 1
            return first_line + i
    for i, line in enumerate(lines):  # written with escapes: the first line holding an image
        if "![" in line or "]:" in line:
            return first_line + i
    return first_line


def _verify(path: Path, shown: str) -> tuple[str, str] | None:
    """(problem, hint) when the file is not a picture of the kind its name says."""
    from PIL import Image, UnidentifiedImageError  # only for bodies with pictures (~0.1 s to import)

    ext = path.suffix.lower()
    if ext == ".svg":
        return (f"不能使用 SVG 图片“{shown}”：SVG 可以携带脚本和外部链接",
                "把它导出（另存）为 PNG 或 JPG，再引用导出的文件")
    try:
        with Image.open(path) as img:
            fmt = img.format
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return (f"“{shown}”不是能识别的图片文件（内容不是 PNG、JPG、GIF 或 WebP 图片，或文件已损坏）",
                "用看图软件打开确认，重新导出为 PNG 或 JPG 后上传")
    if fmt not in FORMATS:
        return (f"图片“{shown}”是 {fmt} 格式，网页、PDF 和 Word 不能都显示", "重新导出为 PNG 或 JPG 后上传")
    if EXTENSIONS.get(ext) != fmt:
        right = Path(shown).with_suffix(FORMATS[fmt][0]).as_posix()
        return (f"图片“{shown}”的内容是 {fmt}，与扩展名“{ext or '（无）'}”不符",
                f"把文件改名为 {right}，正文里也写成这个名字")
    return None


def _near_file(path: Path, name: str) -> str | None:
    """The file beside `path` that differs only in letter case or extension (Ducha.PNG for
    ducha.png, photo.jpeg for photo.jpg), as written relative to the story: images/ducha.png."""
    folder = path.parent
    if not folder.is_dir():
        return None
    stem = path.stem.lower()
    for other in sorted(folder.iterdir()):
        if other.is_file() and (other.name.lower() == path.name.lower() or
                                (other.stem.lower() == stem and other.suffix.lower() in EXTENSIONS)):
            return PurePosixPath(name).with_name(other.name).as_posix()
    return None


def resolve_images(text: str, folder: Path, root: Path, rel: str, first_line: int,
                   allowed: bool = True, what: str = "稿件") -> tuple[list[BodyImage], list[Problem]]:
    """A body's images as verified files, and a problem (file:line, Chinese) for each bad one.
    `allowed` False: the body may hold no image (点评, 通报); each one found is a problem."""
    lines = text.split("\n")
    found: list[BodyImage] = []
    problems: list[Problem] = []
    seen: dict = {}
    for i, line in enumerate(lines):
        if RAW_IMG.search(line):
            # A warning: raw HTML is escaped everywhere, so the tag is harmless text, but surely a slip.
            problems.append(Problem(rel, first_line + i, "HTML 标签 <img> 不会显示为图片，会原样印出",
                                    HOW if allowed else f"删除这个标签；{what}里不放图片", warning=True))
    for src, described in body_images(text):
        line = _line(lines, src, seen, first_line)

        def refuse(message: str, hint: str = HOW, at: int = line) -> None:
            problems.append(Problem(rel, at, message, hint))

        shown = src.strip() or "（空）"
        if not allowed:
            refuse(f"{what}里不能插入图片（“{shown}”）", f"删除这张图片；需要配图时放在稿件正文里（{HOW}）")
        elif not src.strip():
            refuse("图片没有写地址", HOW)
        elif src.startswith("//") or SCHEME.match(src):
            kind = " data: 内嵌数据" if src.lower().startswith("data:") else "网络地址"
            refuse(f"图片“{shown[:80]}”是{kind}：只能使用随稿件提交的图片文件（网络图片会变化或失效，"
                   "网页还会向对方网站泄露读者的访问，也不能印进 PDF 和 Word）", "下载图片后" + HOW)
        elif "?" in src or "#" in src:
            refuse(f"图片地址“{shown}”里不能有 ? 或 #", "图片文件名只用文字、数字、连字符和空格，" + HOW)
        else:
            name = unquote(src)
            parts = PurePosixPath(name).parts
            if "\\" in name:
                refuse(f"图片路径“{shown}”用了反斜杠 \\", "文件夹之间用 / 分隔，如 images/图片名.jpg")
                continue
            if name.startswith("/") or ".." in parts:
                refuse(f"图片路径“{shown}”指向稿件文件夹之外", HOW)
                continue
            path = folder / name
            real = path.resolve()
            if not real.is_relative_to(_content_top(root)):
                refuse(f"图片路径“{shown}”指向 content 文件夹之外（链接到了仓库外的文件）",
                       "把图片文件本身（不是链接）放在稿件旁的 images/ 文件夹里")
            elif not real.is_file():
                where = Path(rel).parent.as_posix()
                near = _near_file(path, name)
                refuse(f"找不到图片“{shown}”", f"文件夹里有 {near}：文件名要一字不差（大小写、扩展名都算），改成 {near}" if near else
                       f"把图片上传到 {where}/{name}，或改正文件名（注意大小写和扩展名）")
            elif bad := _verify(real, shown):
                refuse(*bad)
            else:
                found.append(BodyImage(src, PurePosixPath(*parts).as_posix(), real))
                if not described:  # WCAG 1.1.1: a screen reader, or a phone that did not load it, says nothing
                    problems.append(Problem(rel, line, f"图片“{shown}”没有说明文字：读屏软件和没加载出图片的读者不知道它是什么",
                                            f"在方括号里写上图片内容，如 ![培训现场](images/{PurePosixPath(name).name})",
                                            warning=True))
    return found, problems


def text_images(text: str, rel: str, line: int | None, what: str) -> list[Problem]:
    """A plain-text field (按语) printed as text everywhere: image syntax in it would print as is."""
    if not text or not (image_sources(text) or RAW_IMG.search(text)):
        return []
    # A warning: no output reads an image from it (it prints as text), but the editor meant one.
    return [Problem(rel, line, f"{what}是纯文字，不能放图片（图片语法会原样印出）", f"删除图片；配图放在稿件正文里（{HOW}）",
                    warning=True)]


def content_image(value: str, root: Path, rel: str, line: int | None, what: str) -> tuple[BodyImage | None, list[Problem]]:
    """An image a YAML field names by its path relative to content/ (e.g. a series'
    `closing.wechat_qr: images/公众号二维码.png` for content/images/公众号二维码.png), verified like
    a story's pictures: a relative path that stays inside content/, an existing file, a PNG,
    JPEG, GIF or WebP picture by content. The file, or a problem at the field's line."""
    how = f"把图片放在 content/ 里（如 content/images/公众号二维码.png），{what}写成 images/公众号二维码.png"
    shown = value.strip() or "（空）"

    def refuse(message: str, hint: str = how) -> tuple[None, list[Problem]]:
        return None, [Problem(rel, line, message, hint)]

    if not value.strip():
        return refuse(f"{what}没有写图片路径")
    if value.startswith("//") or SCHEME.match(value):
        return refuse(f"{what}“{shown[:80]}”是网络地址：只能使用放在 content/ 里的图片文件", "下载图片后" + how)
    if "\\" in value:
        return refuse(f"{what}“{shown}”用了反斜杠 \\", "文件夹之间用 / 分隔，如 images/公众号二维码.png")
    parts = PurePosixPath(value).parts
    if value.startswith("/") or ".." in parts:
        return refuse(f"{what}“{shown}”指向 content 文件夹之外", how)
    top = _content_top(root)
    real = (top / value).resolve()
    if not real.is_relative_to(top):
        return refuse(f"{what}“{shown}”指向 content 文件夹之外（链接到了仓库外的文件）", "把图片文件本身（不是链接）放在 content/ 里")
    if not real.is_file():
        return refuse(f"找不到{what}“{shown}”", f"把图片上传到 content/{value}，或改正文件名（注意大小写和扩展名）")
    if bad := _verify(real, shown):
        return refuse(*bad)
    return BodyImage(value, PurePosixPath(*parts).as_posix(), real), []
