"""PyYAML's complaints in Chinese: what is wrong and how to write it instead.

Every error PyYAML's safe loader can raise (scanner, parser, composer, constructor, reader) is
matched by the start of its English `problem` (or `context`) text; the editor sees only the Chinese,
the original goes into the problem's `detail` (shown with `bulletin --debug`). A text no rule knows
still gets a Chinese explanation, never the English alone.
"""
from __future__ import annotations

import yaml

QUOTE = "含冒号、引号、# 或以特殊符号开头的文字，请整段放在引号里"
TAGS = ("不支持以 ! 开头的标记（如 !!python、!!binary、!tag），只能写文字、数字、日期、列表和“字段: 值”",
        "删去 ! 开头的标记；文字本身以 ! 开头时整段加引号")
DIRECTIVE = ("以 % 开头的行是 YAML 指令，这里不支持", "删去这一行；文字以 % 开头时整段加引号")

# (English start, what is wrong, how to fix), most specific first.
RULES: list[tuple[str, str, str]] = [
    ("mapping values are not allowed", "这一行多了一个“冒号+空格”，或者缩进没有对齐",
     "文字里有冒号时把整段文字放在引号里；“字段: 值”的缩进与上下同级的行对齐"),
    ("found character '\\t' that cannot start any token", "用了 Tab 键缩进，请改用空格", "删去 Tab，改用空格缩进（与上下同级的行对齐）"),
    ("found character", "这个符号（如 @、`、%）不能放在文字开头", f"给这段文字加引号：{QUOTE}"),
    ("could not find expected ':'", "缺少“冒号+空格”，或引号结束后同一行还有文字", "每行写成 字段: 值；文字里有引号时整段改用另一种引号"),
    ("found unexpected end of stream", "引号或括号没有配对", "在这段文字的末尾补上结束的引号或括号"),
    ("found unknown escape character", "双引号里的反斜杠 \\ 后面跟了不认识的字符", "反斜杠要写两次（\\\\），或把这段文字改用单引号"),
    ("expected escape sequence", "双引号里的 \\x、\\u、\\U 后面没有跟足十六进制数字", "反斜杠要写两次（\\\\），或把这段文字改用单引号"),
    ("expected alphabetic or numeric character", "以 & 或 * 开头的文字被 YAML 当作别名记号，但后面不是别名的名称（英文字母或数字）",
     "以 & 或 * 开头的文字请整段加引号"),
    ("expected URI", *TAGS),
    ("expected '!'", *TAGS),
    ("expected '>'", *TAGS),
    ("expected non-empty name appended to the tag", *TAGS),
    ("found undefined tag handle", *TAGS),
    ("could not determine a constructor", *TAGS),
    ("failed to decode base64", *TAGS),
    ("failed to convert base64", *TAGS),
    ("expected a comment or a line break", "多行文字记号“|”“>”之后、或指令之后，同一行不能再写文字",
     "把文字移到下一行并缩进两个空格；或去掉 | > 记号，把整段文字加引号"),
    ("expected chomping or indentation indicators", "多行文字记号“|”“>”后面只能写 -、+ 或 1 到 9 的数字",
     "写成 | 或 >，把文字放在下面几行并缩进"),
    ("expected indentation indicator in the range 1-9", "多行文字记号“|”“>”后面的数字只能是 1 到 9",
     "写成 | 或 >，把文字放在下面几行并缩进"),
    ("expected a digit", *DIRECTIVE),
    ("expected ' '", *DIRECTIVE),
    ("found duplicate YAML directive", *DIRECTIVE),
    ("found incompatible YAML document", *DIRECTIVE),
    ("duplicate tag handle", *DIRECTIVE),
    ("invalid indentation or unclosed", "方括号 [ ] 或花括号 { } 没有配对，或其中的内容缩进不够", "补上结束的括号，或把括号里换行的内容多缩进一些"),
    ("expected ',' or ']'", "方括号 [ ] 没有配对，或列表项之间缺少逗号", "写成 [甲, 乙, 丙]：逗号分隔，最后补上 ]"),
    ("expected ',' or '}'", "花括号 { } 没有配对，或各项之间缺少逗号", "写成 {字段: 值, 字段: 值}：逗号分隔，最后补上 }"),
    ("expected <block end>", "缩进没有对齐", "同一级的行左边对齐；上一行的文字含冒号或引号时整段加引号"),
    ("expected <block mapping key>", "缩进没有对齐", "同一级的行左边对齐"),
    ("expected the node content", "这里缺少值（可能多了逗号，或值以 - ? , [ ] { } 等符号开头）", f"给这个值加引号：{QUOTE}"),
    ("expected '<document start>'", "文件里多了一行 --- 或 ...，或一份内容结束后还有文字", "一个文件只能有一份内容：删除多余的 --- / ... 行"),
    ("but found another document", "文件里多了一行 ---：一个文件只能有一份内容", "删除多余的 --- 行"),
    ("expected a single document", "文件里多了一行 ---：一个文件只能有一份内容", "删除多余的 --- 行"),
    ("found unexpected document separator", "文件里多了一行 --- 或 ...", "删除多余的 --- / ... 行"),
    ("found undefined alias", "以 * 开头的文字被当作别名，但没有同名的 & 定义", "以 * 开头的文字请整段加引号"),
    ("found duplicate anchor", "同一个 & 名称定义了两次", "改用不同的名称，或不用 & 和 *，把内容直接写出来"),
    ("found unconstructable recursive node", "别名（*）引用了包含它自己的内容（循环引用）", "去掉这个别名，把内容直接写出来"),
    ("expected a mapping or list of mappings for merging", "“<<”合并只能引用一组“字段: 值”",
     "写成 <<: *名称（& 定义的是一组“字段: 值”）；不需要合并就删去 << 这一行"),
    ("expected a mapping for merging", "“<<”合并只能引用一组“字段: 值”",
     "写成 <<: *名称（& 定义的是一组“字段: 值”）；不需要合并就删去 << 这一行"),
    ("found unhashable key", "字段名写成了列表或一组“字段: 值”", "字段名只能是一个词，写成 字段: 值"),
    ("mapping keys are not allowed", "以“? ”开头的行被当作复杂字段名，这里不支持", "这一行的文字请整段加引号"),
    ("sequence entries are not allowed", "这一行的“- ”列表项位置不对", "列表项要另起一行，“- ”与同级的项对齐"),
    ("expected a mapping node", *TAGS),
    ("expected a sequence node", *TAGS),
    ("expected a scalar node", *TAGS),
    ("expected a sequence", *TAGS),
    ("expected a mapping of length 1", *TAGS),
    ("expected a single mapping item", *TAGS),
    ("special characters are not allowed", "文件里有不允许的特殊字符", "删除这个字符（从网页或 Word 复制的文字常带这类字符）"),
]
FALLBACK = ("YAML 格式有误", "检查这一行及上一行：冒号后要有空格，缩进用空格且对齐，" + QUOTE)


def english(exc: yaml.YAMLError) -> str:
    """The parser's own words, one line (for `detail`)."""
    return " ".join(str(exc).split())[:500]


def explain(exc: yaml.YAMLError) -> tuple[str, str]:
    """(what is wrong, how to fix) in Chinese for any PyYAML error."""
    problem = str(getattr(exc, "problem", None) or "")
    context = str(getattr(exc, "context", None) or "")
    for text in (problem, context, str(exc)):
        for start, what, fix in RULES:
            if text and start in text:
                return what, fix
    return FALLBACK
