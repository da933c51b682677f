"""The Chinese report an import ends with: what was written, what needs a decision, what was
not placed anywhere (so no text is lost silently)."""
from __future__ import annotations

from .centers import UNSURE


class Report:
    def __init__(self, title: str):
        self.title = title
        self.lines: list[str] = []  # one line per story / result
        self.pending: list[str] = []  # 【待确认】 decisions left to the editor
        self.notes: list[str] = []
        self.not_placed: list[str] = []
        self.summary = ""
        self.created: list[str] = []
        self.skipped: list[str] = []
        self.encoding = ""  # a text file's encoding, as read (ingest/decode.py)
        self.modified = ""  # a file changed in place (a score sheet's --merge), with every change
        self.changes: list[str] = []

    @staticmethod
    def _at(where: str) -> str:
        return f"（原文{where}）" if where else ""

    def story(self, index: int, art, slug: str, matcher) -> None:
        center = matcher.label(art.center) if art.center else UNSURE
        partners = f"，协办：{'、'.join(art.partners)}" if art.partners else ""
        self.lines.append(f"{index:02d}. {art.headline} → {slug}.md；供稿：{center}（{art.center_reason}）{partners}")
        if not art.center:
            cands = "、".join(matcher.label(c) for c in art.candidates) or "无"
            self.pending.append(f"第 {index} 篇“{art.headline}”{self._at(art.where)}：供稿中心{UNSURE}，候选：{cands}"
                                + ("（已写在 center_candidates，bulletin check 会列出）" if art.candidates else ""))
        elif getattr(art, "inferred", False):
            self.note(art.where, f"第 {index} 篇“{art.headline}”：署名“{art.byline}”不是名录里登记的名称，"
                                 f"推断供稿中心为 {matcher.label(art.center)}，请核对（不对就改 {slug}.md 的 center）")

    def pending_item(self, where: str, text: str) -> None:
        self.pending.append(f"{text}{self._at(where)}")

    def note(self, where: str, text: str) -> None:
        self.notes.append(f"{text}{self._at(where)}")

    def unplaced(self, where: str, text: str, why: str) -> None:
        shown = text if len(text) <= 80 else text[:80] + "…"
        self.not_placed.append(f"{why}{self._at(where)}：{shown}")

    def finish(self, written, dropped: int, *counts) -> None:
        self.created, self.skipped = written.created, written.skipped
        if len(counts) == 2:
            self.summary = f"共 {counts[0]} 篇稿件、{counts[1]} 条点评；去掉页码、页眉、分隔线和目录行 {dropped} 处。"
        else:
            self.summary = f"去掉页码、页眉、分隔线和目录行 {dropped} 处。"

    def text(self) -> str:
        out = [self.title, *([f"文字编码：{self.encoding}"] if self.encoding else []), self.summary]
        if self.lines:
            out += ["", "导入结果：", *self.lines]
        if self.modified:
            out += ["", f"修改 {self.modified}（只加分数，其余内容不动），共 {len(self.changes)} 处："]
            out += [f"  {change}" for change in self.changes] or ["  （没有改动）"]
        else:
            out += ["", f"新建 {len(self.created)} 个文件（全部为 status: review，公开前请审核）："]
            out += [f"  {rel}" for rel in self.created]
        if self.skipped:
            out += ["", "以下文件已存在，没有改动（导入从不覆盖）："] + [f"  {rel}" for rel in self.skipped]
        for head, items in [("需要确认：", self.pending), ("请注意：", self.notes), ("没有放进任何文件的内容：", self.not_placed)]:
            if items:
                out += ["", head] + [f"  - {item}" for item in items]
        if not (self.pending or self.not_placed):
            out += ["", "所有内容都已放入文件。"]
        return "\n".join(out)

    @property
    def clean(self) -> bool:
        return not self.pending
