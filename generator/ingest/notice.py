"""Recognise an evaluation notice (通报) in a flat list of blocks: 发文机关标志, 发文字号, title,
主送机关, body with its headings, 附件 line, 落款, date, 附注, and the annex table; read the
grading scheme the body states. Nothing here reads or writes files."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field

from .bulletin import DATE, Unplaced
from .document import (
    Block,
    ends_complete,
    is_noise,
    join_page_breaks,
    squeeze_cjk_spaces,
)

DOC_NUMBER = re.compile(r"^(\S+?)\s*[〔\[［(（]\s*(\d{4})\s*[〕\]］)）]\s*(\d+)\s*号$")
ATTACHMENT = re.compile(r"^附\s*件\s*[：:]\s*(.*)$")
ANNEX_HEAD = re.compile(r"^附\s*件\s*\d*$")
NOTE = re.compile(r"^[（(](.+)[）)]$")
H1 = re.compile(r"^[一二三四五六七八九十]+、")
H2 = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
GRADE_SENTENCE = re.compile(r"(其中，[^。]*?|参评[^。，]*?均为[^。，]*?)（详见附件）。")
PCT = r"(\d+(?:\.\d+)?)\s*[%％]"


@dataclass
class AnnexRow:
    number: str
    name: str
    grade: str
    host: str = ""
    total: str = ""
    where: str = ""


@dataclass
class ParsedNotice:
    issuer_mark: list[str] = field(default_factory=list)
    doc_number: tuple[str, int, int] | None = None
    title: str = ""
    addressees: str = ""
    body: list[str] = field(default_factory=list)  # Markdown paragraphs
    attachments: list[str] = field(default_factory=list)
    signer: str = ""
    date: tuple[int, int, int] | None = None
    note: str = ""
    annex_title: str = ""
    rows: list[AnnexRow] = field(default_factory=list)
    grade_sentence: str = ""  # the source's grade sentence, replaced by {{ 评估结果 }}
    unplaced: list[Unplaced] = field(default_factory=list)
    dropped: int = 0


def _is_heading(text: str) -> bool:
    if H1.match(text):
        return len(text) <= 40 and "。" not in text[:-1]
    return bool(H2.match(text)) and len(text) <= 40 and text.count("。") <= 1 and ends_complete(text)


def _joinable(b: Block) -> bool:
    return not (_is_heading(b.text) or ATTACHMENT.match(b.text) or ANNEX_HEAD.match(b.text) or DATE.fullmatch(b.text))


def parse_notice(blocks: list[Block]) -> ParsedNotice:
    kept = [b for b in blocks if b.is_table or not is_noise(b.text)]
    out = ParsedNotice(dropped=len(blocks) - len(kept))
    blocks = kept
    i = next((k for k, b in enumerate(blocks) if DOC_NUMBER.match(re.sub(r"\s", "", b.text))), None)
    if i is None:
        out.unplaced.append(Unplaced("", "", "没有找到发文字号（如 某卫办发〔2025〕15号）"))
        i = -1
    else:
        m = DOC_NUMBER.match(re.sub(r"\s", "", blocks[i].text))
        out.doc_number = (m.group(1), int(m.group(2)), int(m.group(3)))
        out.issuer_mark = [b.text for b in blocks[:i] if not b.is_table]
    k = i + 1
    title: list[str] = []
    while k < len(blocks) and not blocks[k].text.rstrip().endswith(("：", ":")) and len(title) < 4:
        title.append(blocks[k].text)
        k += 1
    out.title = squeeze_cjk_spaces("".join(title))
    if k < len(blocks):
        out.addressees = blocks[k].text.rstrip("：: ")
        k += 1
    body: list[Block] = []
    while k < len(blocks) and not ATTACHMENT.match(blocks[k].text) and not DATE.fullmatch(re.sub(r"\s", "", blocks[k].text)):
        body.append(blocks[k])
        k += 1
    while k < len(blocks) and (m := ATTACHMENT.match(blocks[k].text)):
        out.attachments.append(squeeze_cjk_spaces(re.sub(r"^\d+[.．、]\s*", "", m.group(1))))
        k += 1
    k = _tail(blocks, k, out)
    out.body = body_markdown(join_page_breaks(body, _joinable), out)
    _annex(blocks[k:], out)
    return out


def _tail(blocks: list[Block], k: int, out: ParsedNotice) -> int:
    """落款, 成文日期 and 附注 after the body; returns where the annex starts."""
    while k < len(blocks) and not ANNEX_HEAD.match(blocks[k].text) and not blocks[k].is_table:
        text = re.sub(r"\s", "", blocks[k].text)
        if (m := DATE.fullmatch(text)) and out.date is None:
            out.date = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
        elif (m := NOTE.match(text)) and out.date is not None:
            out.note = m.group(1)
        elif out.date is None and not out.signer:
            out.signer = text
        else:
            out.unplaced.append(Unplaced(blocks[k].where, blocks[k].text, "落款之后的文字"))
        k += 1
    return k


def body_markdown(blocks: list[Block], out: ParsedNotice) -> list[str]:
    paragraphs = []
    for b in blocks:
        if b.is_table:
            out.unplaced.append(Unplaced(b.where, " | ".join(b.rows[0]), "正文中的表格（没有导入）"))
            continue
        text = b.text
        g = GRADE_SENTENCE.search(text)
        if g and not out.grade_sentence:  # generated from the round, so it can never disagree
            out.grade_sentence = g.group(0)
            text = text[: g.start()] + "{{ 评估结果 }}" + text[g.end():]
        if H1.match(text) and _is_heading(text):
            paragraphs.append(f"## {text}")
            continue
        if _is_heading(text):
            paragraphs.append(f"### {text}")
            continue
        m = H2.match(text)
        if m and "。" in text and not b.lead:
            head = text[: text.index("。") + 1]
            paragraphs.append(f"**{head}**{text[len(head):]}")
            continue
        paragraphs.append(Block(text, lead=b.lead).markdown() if b.lead else text)
    return paragraphs


def _annex(blocks: list[Block], out: ParsedNotice) -> None:
    titles: list[str] = []
    columns: dict[str, int] = {}
    for b in blocks:
        if ANNEX_HEAD.match(b.text) and not b.is_table:
            continue
        if not b.is_table:
            if not out.rows:
                titles.append(b.text)
            else:
                out.unplaced.append(Unplaced(b.where, b.text, "附件表格之后的文字"))
            continue
        for cells in b.rows:
            if _header(cells, columns):
                continue
            row = _row(cells, columns, b.where)
            if row is None:
                out.unplaced.append(Unplaced(b.where, " | ".join(cells), "附件表格中认不出的一行"))
            else:
                out.rows.append(row)
    out.annex_title = squeeze_cjk_spaces("".join(titles))


def _header(cells: list[str], columns: dict[str, int]) -> bool:
    flat = [re.sub(r"\s", "", c) for c in cells]
    if "序号" not in flat and not any("质控中心" == c or "名称" in c for c in flat):
        return False
    columns.clear()
    for n, c in enumerate(flat):
        for key, words in [("number", ("序号",)), ("name", ("质控中心", "名称", "单位名称")),
                           ("grade", ("评估结果", "等次", "结果", "等级")), ("host", ("挂靠单位", "依托单位")),
                           ("total", ("得分", "总分", "分数", "成绩"))]:
            if key not in columns and any(w in c for w in words):
                columns[key] = n
                break
    return True


def _row(cells: list[str], columns: dict[str, int], where: str) -> AnnexRow | None:
    cols = columns or {"number": 0, "name": 1, "grade": 2, "host": 3}
    def cell(key: str) -> str:
        n = cols.get(key)
        return squeeze_cjk_spaces(cells[n]) if n is not None and n < len(cells) else ""
    number, name, grade = cell("number"), cell("name"), cell("grade")
    if not name or not (grade or cell("total")) or (number and not number.isdigit()):
        return None
    return AnnexRow(number, name, grade, cell("host"), cell("total"), where)


# --- the grading scheme as the body states it ------------------------------------------------

def read_scheme(text: str, doc_year: int | None) -> dict:
    """What the body says about the evaluation: areas, scale, tiers, exclusions, rectification."""
    flat = re.sub(r"\s+", " ", text)
    scheme: dict = {}
    if m := re.search(r"评估内容主要包括(.+?)等\s*\d+\s*(?:大|个)?(?:方面|项)", flat):
        scheme["areas"] = [a.strip() for a in re.split(r"[、，,]", m.group(1)) if a.strip()]
    if m := re.search(r"(\d+)\s*分制", flat):
        scheme["total_max"] = int(m.group(1))
    if m := re.search(r"其中\s*(\d+)\s*分为加分项", flat):
        scheme["bonus_max"] = int(m.group(1))
    tiers, rest = [], None
    if m := re.search(r"[（(]([^（）()]*?为[^（）()]*?)[）)]", flat[flat.find("等次"):] if "等次" in flat else ""):
        for part in re.split(r"[，,；;]", m.group(1)):
            part = part.replace(" ", "")
            if r := re.search(rf"前{PCT}[-–—~至到]{PCT}为(\S+)", part):
                tiers.append({"grade": r.group(3), "top": f"{r.group(2)}%"})
            elif r := re.search(rf"前{PCT}为(\S+)", part):
                tiers.append({"grade": r.group(2), "top": f"{r.group(1)}%"})
            elif r := re.search(rf"后{PCT}为(\S+)", part):
                tiers.append({"grade": r.group(2), "bottom": f"{r.group(1)}%"})
            elif r := re.search(r"其余(?:的)?为(\S+)", part):
                rest = r.group(1)
    if tiers:
        scheme["tiers"] = tiers
    if rest:
        scheme["rest"] = rest
    found: dict = {"scheme": scheme} if scheme else {}
    if m := re.search(r"不包括([^，。）)]*?)(?:阶段)?的\s*(\d+)\s*家", flat):
        found["excluded"] = {"count": int(m.group(2)), "reason": m.group(1).strip()}
    if m := re.search(r"(?:评估)?([^，。、\s]{2,4})的质控中心需?于\s*(\d{1,2})\s*月(底|\s*\d{1,2}\s*日)前向(.+?)提交(整改报告)", flat):
        grade, month = m.group(1), int(m.group(2))
        rect = {"applies_to": [grade], "report": m.group(5), "due_text": f"{month}月{m.group(3).replace(' ', '')}前", "to": m.group(4)}
        if doc_year and m.group(3) == "底":
            rect["due"] = f"{doc_year}-{month:02d}-{calendar.monthrange(doc_year, month)[1]:02d}"
        found["rectification"] = rect
    return found


def grade_groups(sentence: str) -> dict[str, list[str]]:
    """'其中，护理、临床检验质控中心为优秀；…；其余为合格（详见附件）。' → {优秀: [护理, 临床检验], …}."""
    groups: dict[str, list[str]] = {}
    body = sentence.removeprefix("其中，").split("（详见附件）")[0]
    for part in body.split("；"):
        m = re.match(r"(.+?)(?:专业)?质控中心为(\S+)$", part.strip())
        if m:
            groups[m.group(2)] = [n.strip() for n in m.group(1).split("、")]
    return groups
