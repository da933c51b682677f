"""The neutral document model every reader produces, and the clean-up that is the same for all.

A document is a flat list of `Block`s in reading order. Readers say what they can see (a heading
level from Markdown marks, Word styles or font size; bold; centring; a bold lead-in run); the
recognisers (bulletin.py, notice.py) decide what a block *is* (byline, headline, 点评 label…).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# A paragraph that ends with one of these is complete; anything else that runs into the next
# paragraph was broken at a page end by the PDF extraction.
TERMINAL = "。！？!?；;：:…"
CLOSERS = "”’）)」』》"


@dataclass
class Block:
    text: str
    level: int = 0  # 0 paragraph; 1 document title; 2 headline / section heading; 3–4 sub-headings
    bold: bool = False  # the whole block is bold
    center: bool = False
    lead: str = ""  # bold lead-in that opens the paragraph (a prefix of `text`)
    where: str = ""  # "第 12 行" or "第 3 页", for the report
    rows: list[list[str]] = field(default_factory=list)  # a table (annex); text is then ""
    alone: bool = False  # plain text: one line with a blank line (or the file's edge) on both sides

    @property
    def is_table(self) -> bool:
        return bool(self.rows)

    def markdown(self) -> str:
        """The paragraph as story Markdown: the bold lead-in as `**…**` directly followed by the text."""
        if self.lead and self.text.startswith(self.lead):
            rest = self.text[len(self.lead):]
            return f"**{self.lead}**{rest}" if rest else f"**{self.lead}**"
        return f"**{self.text}**" if self.bold and self.level == 0 else self.text


_MARKERS = re.compile(r"^\s*#{1,6}\s*|\*\*|__")
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")
PAGE_NUMBER = re.compile(r"^[-—–－~\s]*(第\s*)?[0-9]{1,3}(\s*页)?(\s*/\s*[0-9]{1,3})?(\s*页)?[-—–－~\s]*$")
RULE = re.compile(r"^\s*([-—_*=]\s*){3,}$")
TOC_LINE = re.compile(r"((\.\s?){4,}|…{2,}|(·\s?){4,})\s*[0-9]*\s*$")  # leaders, spaced or not
TOC_HEAD = re.compile(r"^目\s*录$")


def clean_text(text: str) -> str:
    """One line of text without Markdown artefacts (`####`, `**`) and with single spaces."""
    text = _MARKERS.sub("", text)
    text = text.replace("**", "")
    return _SPACES.sub(" ", text).strip()


def ends_complete(text: str) -> bool:
    stripped = text.rstrip(CLOSERS)
    if stripped != text:  # 。” counts as complete, a lone ” does not
        return bool(stripped) and stripped[-1] in TERMINAL
    return bool(text) and text[-1] in TERMINAL


def is_noise(text: str) -> bool:
    """Page numbers, horizontal rules and table-of-contents lines: printed furniture, not content."""
    return bool(PAGE_NUMBER.match(text) or RULE.match(text) or TOC_LINE.search(text) or TOC_HEAD.match(text))


def drop_repeated(blocks: list[Block], keep, times: int = 3) -> tuple[list[Block], list[Block]]:
    """Running heads: the same short line printed on many pages. `keep(text)` protects labels
    such as 点评 that legitimately repeat. Returns (kept, dropped)."""
    counts: dict[str, int] = {}
    for b in blocks:
        if not b.is_table and len(b.text) <= 40:
            counts[b.text] = counts.get(b.text, 0) + 1
    kept, dropped = [], []
    for b in blocks:
        if not b.is_table and counts.get(b.text, 0) >= times and not keep(b.text):
            dropped.append(b)
        else:
            kept.append(b)
    return kept, dropped


def join_page_breaks(blocks: list[Block], joinable) -> list[Block]:
    """Join a paragraph broken at a page end with its continuation. `joinable(block)` says whether
    a block may be either half (the recogniser excludes labels, bylines, headings)."""
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        if (prev is not None and prev.level == 0 and b.level == 0 and not b.lead and not b.bold
                and not prev.bold and not prev.center and not b.center
                and not prev.is_table and not b.is_table and len(prev.text) >= 15
                and not ends_complete(prev.text) and joinable(prev) and joinable(b)):
            prev.text = join_cjk(prev.text, b.text)
            continue
        out.append(b)
    return out


def is_cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def join_cjk(left: str, right: str) -> str:
    """Two pieces of one line of text: no space between Chinese characters, one between Latin words."""
    left, right = left.rstrip(), right.lstrip()
    if left and right and not is_cjk(left[-1]) and not is_cjk(right[0]) and left[-1].isalnum() and right[0].isalnum():
        return f"{left} {right}"
    return left + right


def squeeze_cjk_spaces(text: str) -> str:
    """Remove spaces that touch a Chinese character (line-break spaces of PDF titles and table cells)."""
    text = _SPACES.sub(" ", text).strip()
    return re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef]) | (?=[\u3000-\u9fff\uff00-\uffef])", "", text)


# Extraction gaps: PDF-to-text tools and some typesetters put a space between a Chinese character
# and a digit or Latin letter ("提升基层 DRG 应用水平", "181 次"). Chinese text has no such space;
# a space between two Chinese characters (the couplet of a headline, two issuing bodies) or
# between two Latin words ("CRA 2024") is meant and stays.
_HAN = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_WESTERN = r"A-Za-z0-9%‰℃°"
_GAP = re.compile(rf"(?<=[{_HAN}])[ \t\u00a0]+(?=[{_WESTERN}])|(?<=[{_WESTERN}])[ \t\u00a0]+(?=[{_HAN}])")
# Half-width punctuation next to Chinese (what extraction or an English input method leaves)
# becomes full-width; next to Latin or digits only ("14:30", "1,000", "(CRA)") it is left alone.
_CHINESE_SIDE = _HAN + "\u2018-\u201d\u2014\u2026"
_HALF = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）"}
_HALF_PUNCT = re.compile(rf"(?<=[{_CHINESE_SIDE}])[,;:]|[,;:](?=[{_CHINESE_SIDE}])")


def _chinese(ch: str) -> bool:
    return bool(ch) and bool(re.match(rf"[{_CHINESE_SIDE}]", ch))


def _full_width_parens(text: str) -> str:
    """A pair of half-width parentheses becomes full-width when it touches or holds Chinese."""
    chars, stack = list(text), []
    for i, ch in enumerate(chars):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            start = stack.pop()
            around = [text[start - 1] if start else "", text[i + 1] if i + 1 < len(text) else ""]
            if any(_chinese(c) for c in around) or any(_chinese(c) for c in text[start + 1:i]):
                chars[start], chars[i] = "（", "）"
    return "".join(chars)


def normalise_extraction(text: str) -> str:
    """Chinese text as it is written, without the spacing and half-width punctuation an extraction
    leaves: no gap between Chinese and digits/Latin, full-width , ; : ( ) next to Chinese."""
    if not text:
        return text
    text = _GAP.sub("", text)
    text = _HALF_PUNCT.sub(lambda m: _HALF[m.group(0)], text)
    return _full_width_parens(text)


def normalise_blocks(blocks: list[Block]) -> list[Block]:
    for b in blocks:
        b.text = normalise_extraction(b.text)
        lead = normalise_extraction(b.lead)
        b.lead = lead if b.text.startswith(lead) else ""
    return blocks
