"""Editor-facing problems (what is wrong, where, what to write instead) and exit codes.

Every stage reports through these; nothing here imports another module of the generator."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    file: str  # path relative to the project root, as the editor sees it in the Git UI
    line: int | None
    message: str  # what is wrong (Chinese)
    hint: str = ""  # what to write instead (Chinese)
    warning: bool = False  # shown, but does not stop the build
    # The tool's own words (a parser's English message), for developers: shown with --debug only.
    detail: str = field(default="", compare=False)

    def format(self, debug: bool = False) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {'提醒' if self.warning else '错误'}：{self.message}"
        if self.hint:
            text += f"\n    怎么改：{self.hint}"
        if debug and self.detail:
            text += f"\n    原文（--debug）：{self.detail}"
        return text


class ContentError(Exception):
    """Raised by a stage when the content cannot go further; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.message))
        super().__init__(self.report())

    def report(self, debug: bool = False) -> str:
        lines = [p.format(debug) for p in self.problems]
        lines.append(f"共 {len(self.problems)} 个问题，未生成任何页面。")
        return "\n".join(lines)


class UsageError(Exception):
    """A command was given arguments it cannot act on (unknown id, file exists): exit code 2."""


# Exit codes of every `bulletin` command (documented in the README and in `bulletin --help`).
EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_BUILD = 0, 1, 2, 3
EXIT_CODES_HELP = """退出码：
  0  成功
  1  内容有误：一次列出全部问题，含文件、行号和改法
  2  命令用法错误：含 new 的编号不存在、目标文件已存在
  3  构建工具失败或内部错误：原有 site/ 保持不变；加 --debug 显示详细信息"""
