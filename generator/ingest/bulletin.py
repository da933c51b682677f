"""Recognise a bulletin issue in a flat list of blocks: 报头, 按语, articles (byline, headline,
body with bold lead-ins, 点评), 报尾. Nothing here reads or writes files."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .centers import CenterMatcher
from .document import TERMINAL, Block, drop_repeated, ends_complete, is_noise, join_page_breaks

LABEL = re.compile(r"^(点评|短评|编者点评)\s*[：:]\s*(.*)$")
PREFACE = re.compile(r"^(编者)?按\s*[：:]\s*(.*)$")
BYLINE = re.compile(r"^(.{2,60}?)\s*(——|--|－－|—)$")
CLOSING = re.compile(r"^(报|送|发|抄送|分送|印发|投稿地址|投稿邮箱|投稿|联系电话|电话|邮箱|地址)\s*[：:]|官方微信$|微信公众号")
PERIOD = re.compile(r"(\d{4})\s*年\s*第\s*(\d{1,2})\s*(季度|期)")
DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
NUMBER = re.compile(r"总第\s*(\d+)\s*期")


STATISTICS_HEADING = "本期统计"  # print_statistics: printed after the stories, before the 报尾


@dataclass
class Article:
    headline: str
    where: str
    byline: str = ""
    paragraphs: list[str] = field(default_factory=list)  # Markdown paragraphs
    commentary: list[str] = field(default_factory=list)
    commentary_where: str = ""
    center: str | None = None
    candidates: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    center_reason: str = ""
    inferred: bool = False  # the byline is no registered name; the one center it names was taken


@dataclass
class Unplaced:
    where: str
    text: str
    why: str


@dataclass
class ParsedBulletin:
    masthead: list[str] = field(default_factory=list)
    period: tuple[int, int] | None = None  # 2025年第2期 → (2025, 2), with period_unit 期 (or 季度)
    period_unit: str = ""
    date: tuple[int, int, int] | None = None
    total_number: int | None = None  # 总第N期
    preface: list[str] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    dropped: int = 0  # page numbers, running heads, rules, contents lines


def is_label(b: Block) -> bool:
    return not b.is_table and bool(LABEL.match(b.text))


def is_byline(b: Block) -> bool:
    return not b.is_table and len(b.text) <= 62 and bool(BYLINE.match(b.text)) and not ends_complete(b.text[:-1])


def is_headline(b: Block) -> bool:
    return not b.is_table and not is_label(b) and (b.level in (1, 2) or (b.bold and b.center and b.level == 0))


def is_closing(b: Block) -> bool:
    return not b.is_table and bool(CLOSING.search(b.text))


def _joinable(b: Block) -> bool:
    return not (is_label(b) or is_byline(b) or is_closing(b) or PREFACE.match(b.text) or DATE.fullmatch(b.text))


def prepare(blocks: list[Block]) -> tuple[list[Block], int]:
    """Drop printed furniture, find plain-text headlines and join paragraphs broken at page ends."""
    kept = [b for b in blocks if b.is_table or not is_noise(b.text)]
    dropped = len(blocks) - len(kept)
    kept, repeated = drop_repeated(kept, keep=lambda t: bool(LABEL.match(t)) or t.endswith("——"))
    promote_text_headlines(kept)
    return join_page_breaks(kept, _joinable), dropped + len(repeated)


_HAN = "\u3400-\u9fff"
COUPLET = re.compile(rf"^[^ ]{{2,}}(?:(?<=[{_HAN}”」』》）]) (?=[{_HAN}“「『《（])[^ ]{{2,}}){{1,3}}$")
ENUMERATED = re.compile(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十0-9]+[）)]|[0-9]+[.、．]|第[一二三四五六七八九十]+)")
NO_HEADLINE_END = TERMINAL + "，、,"


def _could_be_headline(b: Block) -> bool:
    """A line typed alone in a text file that looks like a headline: short, no sentence end,
    not one of the other line kinds (byline, 点评, 按, 报尾, date, numbered sub-heading)."""
    text = b.text
    return (b.alone and b.level == 0 and not b.bold and not b.lead and not b.is_table
            and 4 <= len(text) <= 40 and text[-1] not in NO_HEADLINE_END and not ends_complete(text)
            and not (is_byline(b) or is_label(b) or is_closing(b) or PREFACE.match(text)
                     or DATE.search(text) or PERIOD.search(text) or ENUMERATED.match(text)))


def promote_text_headlines(blocks: list[Block]) -> None:
    """Plain text has no bold or centring: a headline is told by its layout (editor guide, 导入).
    A candidate line (`_could_be_headline`) standing after a complete paragraph, a byline or a 点评,
    with a body paragraph after it, is a headline when the line before it is a byline ("…中心——"),
    or it is a couplet of phrases parted by one space, or it is the first line after the 按语 or
    after a story's 点评 (a story ends with its 点评). Body paragraphs end with a sentence end and
    numbered sub-headings (一、…) are never taken. Marks them level 2, as `## ` does."""
    after_end = False  # since the last 按语 or 点评 label (or the masthead's date), no headline yet
    seen = False
    for i, b in enumerate(blocks):
        if b.is_table:
            continue
        if PREFACE.match(b.text) or is_label(b) or (not seen and len(b.text) <= 20 and DATE.search(b.text)):
            after_end = True
        if b.level == 2:
            after_end, seen = False, True
        if not _could_be_headline(b):
            continue
        prev = blocks[i - 1] if i else None
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if prev is None or prev.is_table or not (ends_complete(prev.text) or is_byline(prev)) \
                or (is_label(prev) and not LABEL.match(prev.text).group(2)):
            continue  # a headline never follows an unfinished paragraph (a page-break fragment does) or a bare 点评：
        if nxt is None or nxt.is_table or nxt.level in (1, 2) or is_label(nxt) or is_byline(nxt) or is_closing(nxt):
            continue  # a headline opens a story body
        if is_byline(prev) or COUPLET.match(b.text) or after_end:
            b.level = 2
            after_end, seen = False, True


def parse_bulletin(blocks: list[Block], series_name: str = "") -> ParsedBulletin:
    blocks, dropped = prepare(blocks)
    out = ParsedBulletin(dropped=dropped)
    state = "masthead"  # masthead → preface → article → commentary → closing
    byline: Block | None = None
    lead: Block | None = None  # a bold sentence standing alone: the lead-in of the next paragraph
    art: Article | None = None

    def flush_lead():
        nonlocal lead
        if lead is not None and art is not None:
            art.paragraphs.append(f"**{lead.text}**")
        lead = None

    for b in blocks:
        if b.is_table:
            out.unplaced.append(Unplaced(b.where, " | ".join(b.rows[0]), "表格（简报正文不收表格）"))
            continue
        text = b.text
        if state == "closing":
            out.closing.append(text)
            continue
        if is_closing(b) and state != "masthead":
            flush_lead()
            state = "closing"
            out.closing.append(text)
            continue
        if state == "statistics" or (text.strip() == STATISTICS_HEADING and state != "masthead"):
            # The 本期统计 this tool prints is made from the stories' figures: reported, not imported.
            flush_lead()
            state = "statistics"
            out.unplaced.append(Unplaced(b.where, text, "本期统计（由稿件的 figures 生成，不导入）"))
            continue
        label = LABEL.match(text)
        if label:
            flush_lead()
            if art is None or art.commentary:
                out.unplaced.append(Unplaced(b.where, text, "点评标签前没有稿件，或同一稿件有第二个点评"))
                continue
            state, art.commentary_where = "commentary", b.where
            if label.group(2):
                art.commentary.append(label.group(2))
            continue
        if is_byline(b):
            flush_lead()
            if byline is not None:
                out.unplaced.append(Unplaced(byline.where, byline.text, "署名后面没有标题"))
            byline = b
            continue
        if is_headline(b) and not (state == "masthead" and _is_masthead(text, series_name)):
            flush_lead()
            art = Article(headline=text, where=b.where, byline=BYLINE.match(byline.text).group(1) if byline else "")
            byline = None
            out.articles.append(art)
            state = "article"
            continue
        if byline is not None:  # a byline must stand right before its headline
            out.unplaced.append(Unplaced(byline.where, byline.text, "署名后面没有标题"))
            byline = None
        preface = PREFACE.match(text)
        if preface and state in ("masthead", "preface"):
            state = "preface"
            out.preface.append(preface.group(2))
            continue
        if state == "masthead":
            out.masthead.append(text)
            continue
        if state == "preface":
            out.preface.append(text)
            continue
        if state == "commentary":
            if not art.commentary or ends_complete(text):
                art.commentary.append(text)
            else:  # a short line without a sentence end after a 点评: a caption, a logo's name
                out.unplaced.append(Unplaced(b.where, text, "点评之后、下一篇之前的零散文字"))
            continue
        # body of an article
        if (b.bold or b.level >= 3) and not b.lead and ends_complete(text):
            flush_lead()
            lead = b
            continue
        if lead is not None and not b.lead and not b.bold and b.level == 0:
            art.paragraphs.append(f"**{lead.text}**{text}")
            lead = None
            continue
        flush_lead()
        art.paragraphs.append(f"**{text}**" if (b.bold or b.level >= 3) and not b.lead else b.markdown())
    flush_lead()
    if byline is not None:
        out.unplaced.append(Unplaced(byline.where, byline.text, "署名后面没有标题"))
    _read_masthead(out)
    return out


def _is_masthead(text: str, series_name: str) -> bool:
    flat = re.sub(r"\s", "", text)
    return bool(series_name and flat == re.sub(r"\s", "", series_name)) or flat.endswith("简报") or bool(PERIOD.search(flat))


def _read_masthead(out: ParsedBulletin) -> None:
    for line in out.masthead:
        if out.period is None and (m := PERIOD.search(line)):
            out.period, out.period_unit = (int(m.group(1)), int(m.group(2))), m.group(3)
        if out.date is None and (m := DATE.search(line)):
            out.date = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if out.total_number is None and (m := NUMBER.search(line)):
            out.total_number = int(m.group(1))


def assign_centers(parsed: ParsedBulletin, matcher: CenterMatcher, region_hint: str = "") -> None:
    """The contributing center of every article: its byline when printed, otherwise the center the
    text is about — the one the 点评 and the headline name, then the one the body names most."""
    for art in parsed.articles:
        if art.byline:
            m = matcher.match(art.byline, region_hint, abbreviations=True)
            art.center, art.candidates, art.inferred = m.center, m.candidates, m.abbreviated
            if not m.sure and len(m.candidates) == 1 and matcher.named(art.byline, region_hint) == m.candidates:
                art.center, art.candidates, art.inferred = m.candidates[0], [], True  # the one center it names
            art.center_reason = f"署名“{art.byline}”" + ("，不是登记的名称，名录里只有这一个中心相符" if art.inferred else "")
            continue
        body = matcher.mentions(" ".join(art.paragraphs))
        in_body = {cid for _, cid in body}
        judged = [cid for _, cid in matcher.mentions(" ".join(art.commentary)) if cid in in_body]
        if judged:  # the 点评 is written about the contributing center
            art.center, art.center_reason = judged[0], "点评评的是正文提到的这个质控中心"
        else:
            scores: dict[str, float] = {}
            for _, cid in matcher.mentions(art.headline):
                scores[cid] = scores.get(cid, 0) + 3
            for i, (_, cid) in enumerate(body):
                scores[cid] = scores.get(cid, 0) + (2 if i == 0 else 1)
            ranked = sorted(scores, key=lambda c: (-scores[c], c))
            if ranked and (len(ranked) == 1 or scores[ranked[0]] >= 1.5 * scores[ranked[1]]):
                art.center = ranked[0]
                art.center_reason = "标题与正文中提到最多的质控中心"
            else:
                art.candidates = ranked[:5]
                art.center_reason = "没有署名，正文提到的质控中心不止一个且难分主次" if ranked else "没有署名，正文也没有提到登记过的质控中心"
    for art in parsed.articles:
        if art.center:
            main = matcher.centers[art.center]
            named = {cid for _, cid in matcher.mentions(" ".join(art.paragraphs))}
            art.partners = sorted(cid for cid in named if cid != art.center
                                  and matcher.centers[cid].specialty == main.specialty)
