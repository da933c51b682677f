"""argparse in Chinese: its help headings and usage errors are what editors see first.

argparse looks every message up through gettext's `_` at the moment it uses it, so replacing that
one function (before any parser is built) translates help, usage lines and errors alike.
"""
from __future__ import annotations

import argparse

CHINESE = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n（加 --help 查看用法）\n",
    "the following arguments are required: %s": "缺少参数：%s",
    "unrecognized arguments: %s": "不认识的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "没有“%(value)s”这一项（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid %(type)s value: %(value)r": "“%(value)s”不是有效的值（应为%(type)s）",
    "expected one argument": "后面要跟一个值",
    "expected at least one argument": "后面至少要跟一个值",
    "expected at most one argument": "后面最多跟一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "one of the arguments %s is required": "需要以下参数之一：%s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "多余的值 %r",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有“%(parser_name)s”这个命令（可用：%(choices)s）",
    "subcommands": "命令",
}


TYPE_NAMES = {"int": "整数", "float": "数字", "Path": "文件或文件夹路径", "str": "文字"}


class _Filled(str):
    """A translated message that also says its placeholders in Chinese: type names (int → 整数)
    and the choices without Python's quotes ('story', 'issue' → story、issue)."""

    def __mod__(self, values):
        if isinstance(values, dict):
            values = dict(values)
            if "type" in values:
                values["type"] = TYPE_NAMES.get(values["type"], values["type"])
            if isinstance(values.get("choices"), str):
                values["choices"] = "、".join(c.strip().strip("'\"") for c in values["choices"].split(","))
        return str.__mod__(self, values)


def _chinese(message: str) -> str:
    return _Filled(CHINESE.get(message, message))


def install() -> None:
    argparse._ = _chinese  # argparse looks messages up here at use time
