"""Editor-facing problems: what is wrong, where, and what to write instead."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str  # path relative to the project root, as the editor sees it in the Git UI
    line: int | None
    message: str  # what is wrong (Chinese)
    hint: str = ""  # what to write instead (Chinese)
    warning: bool = False  # shown, but does not stop the build

    def format(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {'提醒' if self.warning else '错误'}：{self.message}"
        if self.hint:
            text += f"\n    怎么改：{self.hint}"
        return text


class ContentError(Exception):
    """Raised by a stage when the content cannot go further; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.message))
        super().__init__(self.report())

    def report(self) -> str:
        lines = [p.format() for p in self.problems]
        lines.append(f"共 {len(self.problems)} 个问题，未生成任何页面。({len(self.problems)} problem(s); nothing was written.)")
        return "\n".join(lines)



class UsageError(Exception):
    """A command was given arguments it cannot act on (unknown id, file exists): exit code 2."""
