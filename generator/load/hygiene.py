"""Characters an editor cannot see, found before anything parses them.

A control character, a zero-width space or a bidi override copied from a web page or Word looks
like nothing on screen, yet it breaks ids, dates, XML and YAML front matter downstream. Each one is
reported at its line, named in Chinese (零宽字符, 控制字符, BOM, 全角空格, 全角冒号), so the editor knows
what to delete; YAML-only mistakes (全角 indentation, `title：…`) are reported where they are
written instead of where the YAML parser gives up, one line later.
"""
from __future__ import annotations

import re

# code point → what editors call it. Tab and newline are ordinary text; CR is normalised earlier.
_NAMES = {0x00AD: "软连字符", 0x200B: "零宽空格", 0x200C: "零宽非连接符", 0x200D: "零宽连接符",
          0x2060: "零宽不换行符", 0xFEFF: "零宽不换行空格（BOM）", 0x200E: "从左到右标记", 0x200F: "从右到左标记",
          0x061C: "阿拉伯字母标记", 0x2028: "行分隔符", 0x2029: "段分隔符", 0xFFFE: "非字符", 0xFFFF: "非字符"}
_NAMES.update({c: "方向控制字符" for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]})
_NAMES.update({c: "不可见的格式字符" for c in range(0x2061, 0x2065)})
BAD_CHAR = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(map(chr, _NAMES)) + "]")
ZERO_WIDTH = {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF}
# What no output carries — web pages, PDFs, Word files (render/pages.printable, print/pdf.py,
# print/word_markup.clean): C0 controls but tab, newline and CR (XML 1.0 forbids them; Typst's
# PDF/UA export refuses them), DEL and C1, bidi overrides and isolates (they reorder what a reader
# sees), LS/PS (invisible breaks), noncharacters and lone surrogates. The load stage rejects them
# at their line; this is the second wall, for anything that reaches an output some other way.
UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029"
                         "\ud800-\udfff\ufffe\uffff]")


def printable_text(text: str) -> str:
    return UNPRINTABLE.sub("", text)

MAX_PER_FILE = 5  # enough to show the pattern; the rest are the same fix


def _pictograph(ch: str) -> bool:
    """An emoji or pictographic symbol, or what modifies one (skin tone, emoji presentation)."""
    code = ord(ch)
    return code >= 0x1F000 or 0x2600 <= code <= 0x27BF or 0x2B00 <= code <= 0x2BFF or code == 0xFE0F


def emoji_joiner(line: str, at: int) -> bool:
    """U+200D joining two emoji into one (👨‍⚕️ = 👨 + ZWJ + ⚕ + FE0F): part of what the editor
    pasted on purpose, not an invisible stray. Treated as the emoji are (print coverage warns)."""
    return (line[at] == "\u200d" and 0 < at < len(line) - 1
            and _pictograph(line[at - 1]) and _pictograph(line[at + 1]))


def char_name(ch: str) -> str:
    code = ord(ch)
    if code in ZERO_WIDTH:
        kind = "零宽字符"
    elif code in _NAMES:
        kind = "格式字符"
    else:
        kind = "控制字符"
    detail = _NAMES.get(code, "")
    return f"{kind}（U+{code:04X}{' ' + detail if detail else ''}）"


def invisible_characters(text: str) -> list[tuple[int, str, str]]:
    """(line, message, hint) for each line carrying characters no editor meant to type."""
    found = []
    if text.startswith("\ufeff"):
        found.append((1, "文件开头有两个 BOM（字节顺序标记，看不见的零宽字符）",
                      "用编辑器“另存为 UTF-8”重新保存（可以带一个 BOM，不能有两个）；或删除第一行开头看不见的字符"))
        text = " " + text[1:]
    for number, line in enumerate(text.split("\n"), 1) if BAD_CHAR.search(text) else ():  # one search for most files
        match = next((m for m in BAD_CHAR.finditer(line) if not emoji_joiner(line, m.start())), None)
        if match is None:
            continue
        column = match.start() + 1
        found.append((number, f"第 {column} 个字符处有看不见的{char_name(match.group())}",
                      "删除这个字符：从网页或 Word 复制的文字常带这类字符，把这一行重新输入一遍最稳妥"))
        if len(found) >= MAX_PER_FILE:
            break
    return found + character_references(text, MAX_PER_FILE - len(found))


_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")


def character_references(text: str, limit: int = MAX_PER_FILE) -> list[tuple[int, str, str]]:
    """`&#x202e;`, `&#159;`: HTML character references that Markdown passes on and browsers (and
    the print's HTML reader) turn into an invisible character, or into none at all (`&#0;`)."""
    if "&#" not in text or limit <= 0:
        return []
    found = []
    for number, line in enumerate(text.split("\n"), 1):
        for match in _CHAR_REF.finditer(line) if "&#" in line else ():
            code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
            if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                what = "不存在的字符"
            elif BAD_CHAR.match(chr(code)):
                what = char_name(chr(code))
            else:
                continue
            found.append((number, f"字符引用“{match.group()}”写的是{what}，网页和 PDF 上会显示成别的字或什么也不显示",
                          "删去这段“&#…;”：正文里直接输入要写的文字即可"))
            if len(found) >= limit:
                return found
    return found


_FULLWIDTH_INDENT = re.compile("^[ ]*\u3000+[ \u3000]*(?=-\\s|[A-Za-z_][\\w-]*\\s*[:：])")
# `title:聚焦…`: a field name, a colon and text with no space between (YAML reads one word "title:聚焦…";
# a URL's "://" and times like 10:30 are not field names).
_TIGHT_COLON = re.compile(r"^[ ]*(?:-[ ]+)?([a-z_][a-z0-9_]*):(?![\s/]|$)")
# `- center js-pathology`: a field name and its value with the colon left out, before a "key: value" line.
_NO_COLON = re.compile(r"^([ ]*(?:-[ ]+)?)([a-z_][a-z0-9_]{2,})[ ]+([^\s:#][^:#]*)$")
_KEY_LINE = re.compile(r"^([ ]*)(?:-[ ]+)?[a-z_][a-z0-9_]*:(?:\s|$)")
_FULLWIDTH_COLON = re.compile(r"^[ ]*(?:-[ ]+)?([a-z_][a-z0-9_]*)[ \u3000]*：")
_BLOCK_START = re.compile(r"^([ ]*)(?:-[ ]+)?[^#\s][^#]*?:[ ]+[|>][-+0-9]*[ ]*(?:#.*)?$")


def yaml_layout(text: str, first_line: int = 1) -> list[tuple[int, str, str]]:
    """Full-width spaces as indentation and `key：value` with a full-width colon, outside block
    text (`preface: |` keeps its paragraphs as written, full-width spaces included)."""
    found = []
    block_indent: int | None = None  # inside a `key: |` block: lines indented deeper are text
    lines = text.split("\n")
    for number, line in enumerate(lines, first_line):
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None:
            if not line.strip() or indent > block_indent:
                continue
            block_indent = None
        if _FULLWIDTH_INDENT.match(line):
            found.append((number, "行首用了全角空格（　）缩进",
                          "YAML 的缩进只能用半角空格：删掉行首的全角空格，改用半角空格与上下行对齐"))
        elif match := _FULLWIDTH_COLON.match(line):
            key = match.group(1)
            found.append((number, f"字段名“{key}”后面用了全角冒号“：”",
                          f"改成半角冒号加一个空格：{key}: …（切换到英文输入法再输入冒号）"))
        elif match := _TIGHT_COLON.match(line):
            key = match.group(1)
            found.append((number, f"字段名“{key}”的冒号后面少了一个空格",
                          f"在冒号后面加一个空格：{key}: {line.split(':', 1)[1].strip()[:20]}"))
        elif (match := _NO_COLON.match(line)) and _key_follows(lines, number - first_line, len(match.group(1))):
            key = match.group(2)
            found.append((number, f"字段名“{key}”后面缺少冒号",
                          f"写成 {key}: {match.group(3).strip()[:20]}（冒号后面加一个空格）"))
        if block := _BLOCK_START.match(line):
            block_indent = len(block.group(1))
    return found


def _key_follows(lines: list[str], index: int, key_indent: int) -> bool:
    """Whether the next non-blank line is a "key: value" of the same mapping (indented as far as
    the key of line `index`): only then is "word value" a field whose colon was left out."""
    for line in lines[index + 1:]:
        if line.strip() and not line.lstrip().startswith("#"):
            match = _KEY_LINE.match(line)
            return bool(match) and len(match.group(1)) == key_indent
    return False


def flow_depth(text: str, first_line: int = 1, limit: int = 50) -> int | None:
    """Line where [ ] / { } nesting first exceeds `limit` (checked before parsing: the parser
    would recurse thousands of levels deep, slowly, before failing)."""
    if text.count("[") + text.count("{") <= limit:  # cannot nest deeper than it opens: skip the scan
        return None
    depth = 0
    quote = ""
    for number, line in enumerate(text.split("\n"), first_line):
        for ch in line:
            if quote:
                quote = "" if ch == quote else quote
            elif ch in "\"'":
                quote = ch
            elif ch in "[{":
                depth += 1
                if depth > limit:
                    return number
            elif ch in "]}":
                depth = max(0, depth - 1)
            elif ch == "#":
                break
    return None


def escaped_invisible(data: object, text: str) -> list[tuple[int, str, str]]:
    """(line, message, hint) for invisible characters written as escapes in double-quoted YAML
    (`title: "推进\\x9f"`, `"\\u202e"`): they exist only once the value is parsed, so the check of the
    file's text above cannot see them. Each value is reported at its key's line and cleaned in
    place (as the text check does), so its other uses do not fail again with a vaguer message."""
    if "\\" not in text:  # escapes need a backslash: most files cost nothing here
        return []
    found: list[tuple[int, str, str]] = []

    def clean(value: str, line: int, field: object) -> str:
        chars = sorted(set(BAD_CHAR.findall(value)))
        if not chars:
            return value
        if len(found) < MAX_PER_FILE:
            names = "、".join(char_name(ch) for ch in chars[:3])
            found.append((line, f"字段“{field}”的值里有看不见的{names}，是用转义（如 \\x9f、\\u202e）写进引号里的",
                          "删去引号里的这个转义；要换行就另起一行，要空格就直接输入空格"))
        return BAD_CHAR.sub("", value)

    def walk(node: object, line: int, field: object) -> None:
        if isinstance(node, dict):
            lines = getattr(node, "lines", {})
            for key in list(node):
                at = lines.get(key, line)
                if isinstance(key, str) and BAD_CHAR.search(key):
                    clean(key, at, key.encode("unicode_escape").decode("ascii"))
                value = node[key]
                if isinstance(value, str):
                    node[key] = clean(value, at, key)
                else:
                    walk(value, at, key)
        elif isinstance(node, list):
            lines = getattr(node, "lines", [])
            for i, value in enumerate(node):
                at = lines[i] if i < len(lines) else line
                if isinstance(value, str):
                    node[i] = clean(value, at, field)
                else:
                    walk(value, at, field)

    if isinstance(data, str):
        clean(data, 1, "（整个文件）")
    walk(data, getattr(data, "line", 1), "（整个文件）")
    return found
