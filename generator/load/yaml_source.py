"""Reading editors' files: encoding, front matter, YAML with line numbers.

Every value that comes out of YAML keeps the line it was written on, so that a later stage can
point an editor at the exact line of a wrong field.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from generator.load.hygiene import BAD_CHAR, escaped_invisible, flow_depth, invisible_characters, yaml_layout
from generator.load.numbers import wide_text, yaml_integer
from generator.load.yaml_errors import FALLBACK, english, explain
from generator.problems import Problem

MAX_FILE_BYTES = 2_000_000  # a story is a few KB; anything this big is a mistake (e.g. a pasted PDF)
MAX_NODES = 100_000  # YAML values after alias (*) expansion: an alias bomb stops here, not in MemoryError
MAX_DEPTH = 50  # nesting of lists and mappings; content needs four or five levels


class LineDict(dict):
    """A YAML mapping that remembers the line of each key (1-based)."""

    lines: dict
    line: int


class LineList(list):
    """A YAML sequence that remembers the line of each item (1-based)."""

    lines: list
    line: int


class _Loader(yaml.SafeLoader):
    """Safe loading only (no Python objects), plus line numbers, duplicate-key detection and
    limits on size and depth."""


class DuplicateKey(yaml.YAMLError):
    def __init__(self, key, line):
        super().__init__(f"duplicate key {key!r}")
        self.key, self.line = key, line


class UnhashableKey(yaml.YAMLError):
    def __init__(self, line):
        super().__init__("a key that is a list or a mapping")
        self.line = line


class TooBig(yaml.YAMLError):
    def __init__(self, message, hint, line):
        super().__init__(message)
        self.message, self.hint, self.line = message, hint, line


def _measure(node: yaml.Node) -> None:
    """Refuse a document whose values, with every alias expanded, exceed MAX_NODES or nest deeper
    than MAX_DEPTH, or that refers to itself: measured on the node graph, before anything is built."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(n: yaml.Node, depth: int) -> int:
        key = id(n)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise TooBig("别名（*）引用了包含它自己的内容（循环引用）", "去掉这个别名，把内容直接写出来",
                         n.start_mark.line + 1)
        if depth > MAX_DEPTH:
            raise TooBig("YAML 嵌套层数过多", f"列表和“字段: 值”最多嵌套 {MAX_DEPTH} 层；检查括号 [ ] {{ }} 是否成对",
                         n.start_mark.line + 1)
        active.add(key)
        children = n.value if isinstance(n, yaml.SequenceNode) else \
            [c for pair in n.value for c in pair] if isinstance(n, yaml.MappingNode) else []
        total = 1 + sum(size(c, depth + 1) for c in children)
        active.discard(key)
        if total > MAX_NODES:
            raise TooBig(f"内容展开后过大（超过 {MAX_NODES} 项；以 & 定义、以 * 引用的别名层层展开所致）",
                         "不要用 & 和 * 别名，把内容直接写出来", n.start_mark.line + 1)
        sizes[key] = total
        return total

    size(node, 0)


def _single_data(loader) -> object:
    node = loader.get_single_node()
    if node is None:
        return None
    if getattr(loader, "measured", True):
        _measure(node)
    return loader.construct_document(node)


def _needs_measure(text: str) -> bool:
    """Whether the node graph must be measured: a text without aliases (*) cannot refer to itself,
    has fewer nodes than four times its length, and nests no deeper than it has collection
    indicators (- ? : [ {, one at least per list or mapping): a short front matter needs no walk."""
    return "*" in text or len(text) * 4 >= MAX_NODES or sum(map(text.count, "-?:[{")) >= MAX_DEPTH


def _load(text: str, loader_class: type, measured: bool) -> object:
    """yaml.load, telling the loader whether to measure the document first (_needs_measure)."""
    loader = loader_class(text)
    loader.measured = measured
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _node_kind(node: yaml.Node, kind: type, what: str) -> None:
    """`!!map a` or `!!seq a` tags a node of another kind: refused as PyYAML's own tags are."""
    if not isinstance(node, kind):
        raise yaml.constructor.ConstructorError(None, None, f"expected a {what} node, but found {node.id}",
                                                node.start_mark)


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    _node_kind(node, yaml.MappingNode, "mapping")
    loader.flatten_mapping(node)
    result = LineDict()
    result.lines, result.line = {}, node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool | type(None)) and not hasattr(key, "isoformat"):
            raise UnhashableKey(key_node.start_mark.line + 1)
        if key in result:
            raise DuplicateKey(key, key_node.start_mark.line + 1)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    _node_kind(node, yaml.SequenceNode, "sequence")
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.lines = [child.start_mark.line + 1 for child in node.value]
    result.line = node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


@dataclass
class SourceFile:
    """One editor file, decoded; `data` is its YAML (front matter for Markdown files)."""

    path: Path
    rel: str  # as shown to editors
    data: object = None
    body: str = ""
    body_line: int = 1  # line of the first body line in the file
    problems: list[Problem] = field(default_factory=list)

    def problem(self, message: str, hint: str = "", line: int | None = None, detail: str = "") -> Problem:
        p = Problem(self.rel, line, message, hint, detail=detail)
        self.problems.append(p)
        return p


def read_text(src: SourceFile) -> str | None:
    raw = src.path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        src.problem(
            f"文件过大（{len(raw) // 1024} KB，上限 {MAX_FILE_BYTES // 1024} KB）",
            "一篇稿件通常只有几 KB；请检查是否误粘贴了整份文档或图片数据，图片请另存为文件后引用",
        )
        return None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # UTF-8 BOM from Windows editors: harmless, accepted
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        src.problem(
            "文件不是 UTF-8 编码（可能是 Windows 记事本保存的 GBK/ANSI 编码）",
            "用编辑器“另存为”并选择 UTF-8 编码后重新提交",
            line,
        )
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    invisible = invisible_characters(text)
    for line, message, hint in invisible:
        src.problem(message, hint, line)
    # Reported above; the rest is read without them, so the file's other fields (a center id, a
    # date) do not also fail to match and bury the one real problem under follow-on errors.
    return BAD_CHAR.sub("", text.removeprefix("\ufeff")) if invisible else text


def _timestamp(loader: _Loader, node: yaml.ScalarNode):
    """A date YAML recognises but the calendar does not (2024-02-30) stays text for the model to report."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def _unsupported(loader: _Loader, node: yaml.Node):
    """!!binary, !!set, !!omap, !!pairs: types no content field takes."""
    raise yaml.constructor.ConstructorError(None, None, f"could not determine a constructor for the tag {node.tag!r}",
                                            node.start_mark)


for _tag in ("binary", "set", "omap", "pairs"):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _unsupported)


def _int(loader: _Loader, node: yaml.ScalarNode):
    """An integer of thousands of digits (beyond Python's conversion limit) stays text: the model
    then reports "应为整数" at its line instead of the loader failing without one. So does one not
    written as plain decimal digits (1_000, 0x10, 0b11, 1:30), and 017 is 17, not octal 15: the
    number fields say what to write instead (load/numbers.py)."""
    if not yaml_integer(node.value):
        return loader.construct_scalar(node)
    try:
        return int(node.value, 10)
    except ValueError:
        return loader.construct_scalar(node)


def _float(loader: _Loader, node: yaml.ScalarNode):
    """1_000.5 and 1:30.5 (base 60) stay text, as the integers do; `!!float abc` too."""
    if "_" in node.value or ":" in node.value:
        return loader.construct_scalar(node)
    try:
        return yaml.SafeLoader.construct_yaml_float(loader, node)
    except (ValueError, KeyError):
        return loader.construct_scalar(node)


def _str(loader: _Loader, node: yaml.ScalarNode):
    """Text; full-width numbers (９５) carry their line for the warning of the number fields."""
    return wide_text(loader.construct_scalar(node), node.start_mark.line + 1)


_Loader.add_constructor("tag:yaml.org,2002:int", _int)


def _lenient(construct):
    """`!!float abc`, `!!bool maybe`: a value its tag cannot read stays text, for the model to report at its line."""
    def build(loader: _Loader, node: yaml.ScalarNode):
        try:
            return construct(loader, node)
        except (ValueError, KeyError):
            return loader.construct_scalar(node)
    return build


_Loader.add_constructor("tag:yaml.org,2002:float", _float)
_Loader.add_constructor("tag:yaml.org,2002:str", _str)
_Loader.add_constructor("tag:yaml.org,2002:bool", _lenient(yaml.SafeLoader.construct_yaml_bool))


def yaml_line(exc: yaml.MarkedYAMLError) -> int | None:
    """Where the editor should look: an unclosed quote or bracket is reported where it opens."""
    opened = exc.context_mark and exc.context and ("quoted" in exc.context or "flow" in exc.context)
    mark = exc.context_mark if opened else (exc.problem_mark or exc.context_mark)
    return mark.line + 1 if mark else None


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """_Loader on libyaml (about 6× faster): reads well-formed files; a file it rejects is read
    again by _Loader, whose messages and lines are what editors are shown."""


_Loader.get_single_data = _FastLoader.get_single_data = _single_data


for _tag, _construct in _Loader.yaml_constructors.items():
    _FastLoader.add_constructor(_tag, _construct)


def _checked(src: SourceFile, data: object, text: str) -> object:
    for line, message, hint in escaped_invisible(data, text):
        src.problem(message, hint, line)
    return data


def parse_yaml(src: SourceFile, text: str, first_line: int = 1) -> object:
    """YAML → data whose line numbers are those of the file (`text` starts at `first_line`)."""
    layout = yaml_layout(text, first_line)
    for line, message, hint in layout:
        src.problem(message, hint, line)
    deep = flow_depth(text, first_line, MAX_DEPTH)
    if deep is not None:
        src.problem("YAML 嵌套层数过多", f"列表和“字段: 值”最多嵌套 {MAX_DEPTH} 层；检查括号 [ ] {{ }} 是否成对", deep)
    if layout or deep is not None:
        return None  # what the parser would say next is a consequence, on the wrong line
    measured = _needs_measure(text)
    try:
        return _checked(src, _load("\n" * (first_line - 1) + text, _FastLoader, measured), text)
    except Exception:
        pass
    try:
        return _checked(src, _load("\n" * (first_line - 1) + text, _Loader, measured), text)
    except DuplicateKey as exc:
        src.problem(f"字段“{exc.key}”写了两次", "同一字段只保留一处", exc.line)
    except UnhashableKey as exc:
        src.problem("字段名写成了列表或一组“字段: 值”", "字段名只能是一个词，写成 字段: 值", exc.line)
    except TooBig as exc:
        src.problem(exc.message, exc.hint, exc.line)
    except yaml.YAMLError as exc:  # every other PyYAML error, in Chinese; its English for --debug
        what, fix = explain(exc)
        src.problem(f"YAML 格式错误：{what}", fix, yaml_line(exc) if isinstance(exc, yaml.MarkedYAMLError) else None,
                    detail=english(exc))
    except RecursionError:
        src.problem("YAML 嵌套层数过多", "检查括号 [ ] { } 是否成对，不要嵌套几十层")
    except (ValueError, OverflowError, ArithmeticError) as exc:  # e.g. an integer of thousands of digits
        src.problem("数字过大，无法读取", "检查是否误粘贴了一长串数字；数字写成 85、2024 这样", None,
                    detail=str(exc)[:200])
    except Exception as exc:
        src.problem(f"YAML 格式错误：{FALLBACK[0]}", FALLBACK[1], None, detail=f"{type(exc).__name__}: {exc}"[:300])
    return None


def _nonempty_text(path: Path, root: Path, hint: str) -> tuple[SourceFile, str | None]:
    """The decoded file, or None with the problem recorded (bad encoding, too big, empty)."""
    src = SourceFile(path, _rel(path, root))
    if is_outside(path, root):
        src.problem("这个文件是链接（符号链接），指向 content/ 和 bulletins/ 之外的文件，不会读取或发布",
                    "删除这个链接，把文件本身复制进仓库的 content/ 或 bulletins/ 文件夹", 1)
        return src, None
    text = read_text(src)
    if text is not None and not text.strip():
        src.problem("文件是空的", hint)
        text = None
    return src, text


def load_yaml_file(path: Path, root: Path) -> SourceFile:
    src, text = _nonempty_text(path, root, "按 docs/CONTENT.md 的示例填写内容，或删除此文件")
    if text is not None:
        src.data = parse_yaml(src, text)
    return src


def load_markdown_file(path: Path, root: Path) -> SourceFile:
    """A Markdown file with YAML front matter between two `---` lines."""
    src, text = _nonempty_text(path, root, "按 docs/CONTENT.md 的示例填写开头的 --- 信息区和正文，或删除此文件")
    if text is None:
        return src
    lines = text.split("\n")
    if lines[0].strip() != "---":
        src.problem(
            "文件开头缺少 --- 信息区（front matter）",
            "第一行写 ---，接着写 title:、center: 等字段，再写一行 --- 结束，然后才是正文",
            1,
        )
        return src
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        src.problem("信息区没有结束的 --- 行", "在字段之后、正文之前单独写一行 ---", 1)
        return src
    src.data = parse_yaml(src, "\n".join(lines[1:end]), first_line=2)
    if src.data is None and not src.problems:
        src.problem("信息区是空的", "在两行 --- 之间写上必填字段", 1)
    src.body = "\n".join(lines[end + 1 :]).strip("\n")
    src.body_line = end + 2
    while src.body_line <= len(lines) and not lines[src.body_line - 1].strip() and src.body:
        src.body_line += 1
    return src


@lru_cache(maxsize=16)
def _tops(root: Path) -> tuple[Path, ...]:
    top = root.resolve()
    return (top / "content").resolve(), (top / "bulletins").resolve()


_FOLDERS: dict[Path, bool] = {}  # folder → inside the editors' folders; reset by each load


def reset_link_cache() -> None:
    """Forget which folders were inside: each load (a preview refresh too) looks again."""
    _FOLDERS.clear()


def is_outside(path: Path, root: Path) -> bool:
    """A file (or a folder on its way) linking out of the editors' folders: never read, so never
    published. Only the resolved path says where a link really leads; a folder is resolved once
    per load and a plain file costs one lstat (resolving every file was slow at scale)."""
    if path.is_symlink():
        real = path.resolve()
        return not any(real.is_relative_to(top) for top in _tops(root))
    return folder_outside(path.parent, root)


def folder_outside(folder: Path, root: Path) -> bool:
    """A folder whose real path leaves the editors' folders (resolved once per load)."""
    if folder not in _FOLDERS:
        real = folder.resolve()
        _FOLDERS[folder] = not any(real.is_relative_to(top) for top in _tops(root))
    return _FOLDERS[folder]


def _rel(path: Path, root: Path) -> str:
    if ".." not in path.parts and path.is_relative_to(root):
        return path.relative_to(root).as_posix()  # found under root: no need to resolve (slow at scale)
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
