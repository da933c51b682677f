"""Word typesetting kit: fonts, rules, fields, and sanitized HTML → Word paragraphs and runs.

Editors' Markdown reaches Word the same way it reaches the web and the PDF: `markup.to_html`
(raw HTML escaped, then allowlisted), and only then is it walked here. Every string goes through
`clean` before python-docx sees it, so no control character can make the file unreadable
(python-docx escapes XML's special characters itself).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import lxml.html
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from generator.load.hygiene import printable_text

# East Asian font names as Word and WPS list them on Chinese Windows (仿宋 = FangSong, …).
FANG, KAI, HEI, SONG = "仿宋", "楷体", "黑体", "宋体"
XBS = "方正小标宋简体"  # 小标宋: the title face of 公文; Word falls back to 宋体 where it is missing
MONO = "Courier New"
RED = RGBColor(0xE6, 0x00, 0x12)
RED_HEX = "E60012"
SIZE = 16  # 3号
LINE = Pt(28.9)  # 22 lines in the 225 mm text block
EM = Pt(SIZE)
TEXT_WIDTH = Mm(156)

_SPACE = re.compile(r"\s+")
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}


def clean(text: str | None) -> str:
    """No control character, bidi override or lone surrogate (load/hygiene.UNPRINTABLE, as on
    the web pages and in the PDFs): lxml refuses the first, the others mislead or break."""
    return printable_text(text or "")


def flat(text: str | None) -> str:
    """One line of plain text (a headline, a name): controls dropped, whitespace runs → one space."""
    return _SPACE.sub(" ", clean(text)).strip()


# --- fonts, runs, paragraphs --------------------------------------------------------------------

def set_fonts(rpr, name: str) -> None:
    """Explicit fonts for every script; theme font attributes would override them, so they go."""
    fonts = rpr.get_or_add_rFonts()
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), name)
    fonts.set(qn("w:hint"), "eastAsia")


def run(p, text: str, font: str | None = None, size: float | None = None, bold: bool | None = None,
        italic: bool | None = None, color: RGBColor | None = None):
    r = p.add_run(clean(text))
    if font:
        set_fonts(r._r.get_or_add_rPr(), font)
    if size:
        r.font.size = Pt(size)
    if bold is not None:
        r.font.bold = bold
    if italic is not None:
        r.font.italic = italic
    if color is not None:
        r.font.color.rgb = color
    return r


def para(container, align=None, indent: float | None = None, line=None, before: float = 0, after: float = 0,
         left: float = 0, right: float = 0, keep: bool = False, style: str | None = None):
    """A paragraph; sizes in points. `indent` is the first-line indent (None: the style's 2 characters)."""
    p = container.add_paragraph()
    if style:
        # Built-in styles' ids are their names without spaces; setting the id directly skips
        # python-docx's name lookup, a quarter of the time of a whole bulletin.
        p._p.style = style.replace(" ", "")
    f = p.paragraph_format
    if align is not None:
        f.alignment = align
    if indent is not None:
        f.first_line_indent = Pt(indent)
    if line is not None:
        f.line_spacing = line
    if before:
        f.space_before = Pt(before)
    if after:
        f.space_after = Pt(after)
    if left:
        f.left_indent = Pt(left)
    if right:
        f.right_indent = Pt(right)
    if keep:
        f.keep_with_next = True
    return p


# Schema order of w:pPr's children from pBdr on: Word rejects a file whose pPr is out of order.
_PPR_AFTER_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                     "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                     "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                     "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                     "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _ppr_child(p, tag: str):
    """w:pBdr or w:shd of a paragraph, created in its schema place."""
    ppr = p._p.get_or_add_pPr()
    el = ppr.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        later = _PPR_AFTER_BORDER[_PPR_AFTER_BORDER.index(tag) + 1:] if tag in _PPR_AFTER_BORDER else _PPR_AFTER_BORDER
        anchor = next((found for t in later if (found := ppr.find(qn(t))) is not None), None)
        if anchor is not None:
            anchor.addprevious(el)
        else:
            ppr.append(el)
    return el


def border(p, sides: dict[str, tuple[float, str]], space: int = 1, val: str = "single") -> None:
    """Paragraph rules: {"top"|"bottom"|"between": (width pt, hex colour)}."""
    bdr = _ppr_child(p, "w:pBdr")
    for side in ("top", "bottom", "between"):
        if side in sides:
            width, color = sides[side]
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:val"), val)
            el.set(qn("w:sz"), str(int(width * 8)))
            el.set(qn("w:space"), str(space))
            el.set(qn("w:color"), color)
            bdr.append(el)


def shade(p, fill: str) -> None:
    shd = _ppr_child(p, "w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)


def field(p, instruction: str, shown: str, **fmt) -> None:
    """A Word field (PAGE, …) as begin / instruction / separate / cached result / end runs."""
    for kind in ("begin", "instr", "separate", "result", "end"):
        r = run(p, shown if kind == "result" else "", **fmt)
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instruction} "
        elif kind != "result":
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            continue
        r._r.append(el)


def row_flags(row, header: bool) -> None:
    """No row splits across pages; header rows repeat on every page (w:tblHeader)."""
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))
    if header:
        trpr.append(OxmlElement("w:tblHeader"))


# --- HTML → Word ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Fmt:
    bold: bool = False
    italic: bool = False
    code: bool = False
    sup: bool = False
    sub: bool = False


@dataclass
class Flow:
    """Where converted blocks go and how they look.

    container: the Document or a table cell; font: the runs' face; strong_font: the face of bold
    runs (bold stays set either way, so the emphasis survives a round trip); decorate: applied to
    every paragraph (the 点评 box); image: src → local file or None; heading: h2..h4 → Word style;
    run_in: a paragraph already begun (the 点评 label) that the first block continues when that
    block is a paragraph (as the PDF and the printed reference run "点评：" into its text).
    """
    container: object
    document: object
    font: str = FANG
    strong_font: str | None = None
    decorate: Callable | None = None
    image: Callable[[str], Path | None] = lambda src: None
    run_in: object | None = None


HEADINGS = {"h2": ("Heading 2", HEI), "h3": ("Heading 3", KAI), "h4": ("Heading 4", FANG)}


def add_html(flow: Flow, html: str) -> None:
    if not html.strip():
        return
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    _blocks(flow, root, 0)


def _new(flow: Flow, level: int = 0, **kw):
    kw.setdefault("left", 2 * SIZE * level)
    p = para(flow.container, **kw)
    if flow.decorate:
        flow.decorate(p)
    return p


def _blocks(flow: Flow, el, level: int) -> None:
    if (el.text or "").strip():
        _inline_text(flow, _new(flow, level), el.text, Fmt())
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        run_in, flow.run_in = flow.run_in, None  # only the very first block may run in
        if tag == "p":
            _inline(flow, run_in if run_in is not None else _new(flow, level), child, Fmt())
        elif tag in HEADINGS:
            style, font = HEADINGS[tag]
            p = _new(flow, level, style=style, keep=True)
            _inline(flow, p, child, Fmt(), font=font)
        elif tag in ("ul", "ol"):
            _list(flow, child, tag == "ol", level)
        elif tag == "blockquote":
            _blocks(flow, child, level + 1)
        elif tag == "table":
            _table(flow, child)
        elif tag == "figure":
            _figure(flow, child)
        elif tag == "hr":
            border(_new(flow, level, indent=0), {"bottom": (0.75, "000000")})
        elif tag == "pre":
            p = _new(flow, level, indent=0, align=WD_ALIGN_PARAGRAPH.LEFT)
            for i, line in enumerate(clean(child.text_content()).rstrip("\n").split("\n")):
                if i:
                    p.runs[-1].add_break()
                run(p, line, font=MONO, size=12)
        elif tag:
            _inline(flow, _new(flow, level), child, Fmt(), own=True)
        if (child.tail or "").strip():
            _inline_text(flow, _new(flow, level), child.tail, Fmt())


def _list(flow: Flow, el, ordered: bool, level: int) -> None:
    num = _restart_numbering(flow.document) if ordered and level == 0 else None
    style = ("List Number" if ordered else "List Bullet") + (f" {min(level + 1, 3)}" if level else "")
    for li in el:
        if li.tag != "li":
            continue
        p = _new(flow, style=style, indent=-2 * SIZE, left=2 * SIZE * (level + 2))
        if num is not None:
            numpr = p._p.get_or_add_pPr().get_or_add_numPr()
            numpr.get_or_add_ilvl().val = 0
            numpr.get_or_add_numId().val = num
        _inline_text(flow, p, li.text, Fmt())
        for child in li:
            if child.tag in ("ul", "ol"):
                _list(flow, child, child.tag == "ol", level + 1)
            elif child.tag == "p":
                _inline(flow, p, child, Fmt())
            else:
                _inline(flow, p, child, Fmt(), own=True)
            if child.tag in ("ul", "ol", "p") and (child.tail or "").strip():
                _inline_text(flow, _new(flow, level + 1), child.tail, Fmt())
            elif child.tag not in ("ul", "ol", "p"):
                _inline_text(flow, p, child.tail, Fmt())


def _restart_numbering(document) -> int:
    """A fresh w:num over the "List Number" definition, so every ordered list starts at 1."""
    numbering = document.part.numbering_part.element
    style_num = document.styles["List Number"].element.pPr.numPr.numId.val
    abstract = next(n.abstractNumId.val for n in numbering.num_lst if n.numId == style_num)
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    return num.numId


def _inline(flow: Flow, p, el, fmt: Fmt, font: str | None = None, own: bool = False) -> None:
    """The inline content of `el` into paragraph `p`; `own`: `el` itself is inline (a, strong …)."""
    if own:
        _element(flow, p, el, fmt, font)
        return
    _inline_text(flow, p, el.text, fmt, font)
    for child in el:
        _element(flow, p, child, fmt, font)
        _inline_text(flow, p, child.tail, fmt, font)


def _element(flow: Flow, p, el, fmt: Fmt, font: str | None) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "br":
        (p.runs[-1] if p.runs else run(p, "")).add_break()
        return
    if tag == "img":
        _picture(flow, p, el)
        return
    inner = {"strong": {"bold": True}, "b": {"bold": True}, "em": {"italic": True}, "i": {"italic": True},
             "code": {"code": True}, "sup": {"sup": True}, "sub": {"sub": True}}.get(tag, {})
    _inline(flow, p, el, replace(fmt, **inner), font)


def _inline_text(flow: Flow, p, text: str | None, fmt: Fmt, font: str | None = None) -> None:
    text = _SPACE.sub(" ", clean(text))
    if not p.runs or not p.text:
        text = text.lstrip()
    if not text:
        return
    face = MONO if fmt.code else (flow.strong_font if fmt.bold and flow.strong_font else font or flow.font)
    r = run(p, text, font=face, bold=fmt.bold or None, italic=fmt.italic or None)
    if fmt.sup or fmt.sub:
        r.font.superscript, r.font.subscript = fmt.sup, fmt.sub


def _picture(flow: Flow, p, img) -> bool:
    """An embedded image, at most the text block wide and 90 mm high; False when it cannot be."""
    path = flow.image(img.get("src") or "")
    if path is None:
        return False
    try:
        shape = p.add_run().add_picture(str(path))
    except Exception:  # a damaged or unknown image is left out, never the whole file
        return False
    scale = min(1.0, TEXT_WIDTH / shape.width, Mm(90) / shape.height)
    shape.width, shape.height = int(shape.width * scale), int(shape.height * scale)
    p.paragraph_format.line_spacing = 1.0  # an exact line height would crop the picture
    p.paragraph_format.first_line_indent = 0
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return True


def _figure(flow: Flow, el) -> None:
    for child in el:
        if child.tag == "img":
            p = _new(flow, before=8, keep=True)
            if not _picture(flow, p, child):
                p._p.getparent().remove(p._p)  # no empty line where the image could not go
        elif child.tag == "figcaption":
            p = _new(flow, indent=0, align=WD_ALIGN_PARAGRAPH.CENTER, after=8)
            _inline(flow, p, child, Fmt())
            for r in p.runs:
                r.font.size = Pt(12)


def _table(flow: Flow, el) -> None:
    rows = [(tr, tr.getparent().tag == "thead") for tr in el.iter("tr")]
    if not rows:
        return
    cols = max(len([c for c in tr if c.tag in ("td", "th")]) for tr, _ in rows)
    table = flow.container.add_table(rows=len(rows), cols=cols)
    table.style = flow.document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for (tr, head), row in zip(rows, table.rows):
        row_flags(row, head)
        for cell_el, cell in zip([c for c in tr if c.tag in ("td", "th")], row.cells):
            p = cell.paragraphs[0]
            f = p.paragraph_format
            f.first_line_indent, f.line_spacing = Pt(0), Pt(20)
            f.alignment = ALIGN.get(cell_el.get("align") or "", WD_ALIGN_PARAGRAPH.CENTER if head else None)
            sub = Flow(cell, flow.document, HEI if head else flow.font, flow.strong_font, image=flow.image)
            _inline(sub, p, cell_el, Fmt())
            for r in p.runs:
                r.font.size = Pt(14)
