"""Word layout: python-docx documents from the plain data word.py reduces each view to.

GB/T 9704 / 简报 practice: A4, 37/28/26/35 mm margins, 仿宋 16 pt body, 黑体/楷体 headings, red
报头 and 发文机关标志 with the red rule, bold lead-ins, 点评 label, 报尾 between rules, the notice
annex as a real table whose header row repeats, page numbers "— N —" as PAGE fields in odd/even
footers. Runs and paragraphs are built by word_markup.py.
"""

import datetime as dt
import io
import os
from pathlib import Path

import docx
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt

from generator.print import word_markup
from generator.print.qr import qr_png
from generator.print.word_markup import (
    EM,
    FANG,
    HEI,
    KAI,
    LINE,
    RED,
    RED_HEX,
    SIZE,
    SONG,
    TEXT_WIDTH,
    XBS,
    Flow,
    add_html,
    border,
    clean,
    field,
    flat,
    para,
    row_flags,
    run,
    set_fonts,
    shade,
)
from generator.render.markup import to_html

ANNEX_SIZE = 12  # 小四, as in the PDF: a center's full name on one line
CELL_PAD = Pt(2)
MM_PT = 72 / 25.4
CENTER, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT


def cn_date(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def new_document(title: str, author: str, date: str):
    doc = docx.Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    # "— N —" 7 mm under the text block: the footer's bottom edge sits one number line lower.
    section.footer_distance = Emu(Mm(35 - 7) - Pt(16))
    doc.settings.odd_and_even_pages_header_footer = True
    page_number(section.footer.paragraphs[0], odd=True)
    page_number(section.even_page_footer.paragraphs[0], odd=False)
    styles(doc)
    props = doc.core_properties
    stamp = dt.datetime.fromisoformat(date)
    props.title, props.author, props.last_modified_by = flat(title), flat(author), flat(author)
    props.created = props.modified = stamp
    props.revision, props.comments, props.language = 1, "", "zh-CN"
    return doc


def page_number(p, odd: bool) -> None:
    f = p.paragraph_format
    f.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else LEFT
    f.first_line_indent, f.line_spacing = Pt(0), Pt(16)
    if odd:
        f.right_indent = Pt(14)  # one character in from the outer edge
    else:
        f.left_indent = Pt(14)
    fmt = {"font": SONG, "size": 14}
    run(p, "— ", **fmt)
    field(p, "PAGE", "1", **fmt)
    run(p, " —", **fmt)


def styles(doc) -> None:
    """Body 仿宋 3号 on a 28.9 pt line, justified, 2 characters in; headings 黑体 / 楷体 / 仿宋."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, FANG)
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:eastAsia"), "zh-CN")  # Chinese line breaking (避头尾) in Word
    normal = doc.styles["Normal"]
    set_fonts(normal.element.get_or_add_rPr(), FANG)
    normal.font.size = Pt(SIZE)
    # 28 characters a line (GB/T 9704): 3号 condensed by 0.25 pt, as the PDF's letter-spacing.
    # (Word's character grid would do it too, but LibreOffice then sets one character per two cells.)
    tracking(normal.element.get_or_add_rPr(), -0.25)
    f = normal.paragraph_format
    f.line_spacing, f.space_before, f.space_after = LINE, Pt(0), Pt(0)
    f.first_line_indent, f.alignment, f.widow_control = EM * 2, WD_ALIGN_PARAGRAPH.JUSTIFY, True
    for name, font, size, bold, align, before, after, line, indent in [
        ("Heading 1", SONG, 20, True, CENTER, 4, 14, Pt(30), 0),  # a story's headline
        ("Heading 2", HEI, SIZE, False, None, 0, 0, LINE, 2 * SIZE),  # 一、
        ("Heading 3", KAI, SIZE, False, None, 0, 0, LINE, 2 * SIZE),  # （一）
        ("Heading 4", FANG, SIZE, False, None, 0, 0, LINE, 2 * SIZE),  # 1.
    ]:
        style = doc.styles[name]
        set_fonts(style.element.get_or_add_rPr(), font)
        style.font.size, style.font.bold, style.font.italic = Pt(size), bold, False
        style.font.color.rgb = docx.shared.RGBColor(0, 0, 0)
        f = style.paragraph_format
        f.alignment, f.space_before, f.space_after, f.line_spacing = align, Pt(before), Pt(after), line
        f.first_line_indent, f.keep_with_next = Pt(indent), True
    for name in ("List Bullet", "List Bullet 2", "List Bullet 3", "List Number", "List Number 2", "List Number 3"):
        doc.styles[name].paragraph_format.space_after = Pt(0)


def tracking(rpr, points: float) -> None:
    """w:spacing (character spacing) of a run or style, in its schema place: before w:w … w:sz."""
    el = OxmlElement("w:spacing")
    el.set(qn("w:val"), str(round(points * 20)))
    later = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
             "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout")
    anchor = next((found for t in later if (found := rpr.find(qn(t))) is not None), None)
    anchor.addprevious(el) if anchor is not None else rpr.append(el)


def page_break(doc) -> None:
    doc.paragraphs[-1].runs[-1].add_break(WD_BREAK.PAGE) if doc.paragraphs[-1].runs else \
        para(doc).add_run().add_break(WD_BREAK.PAGE)


# --- bulletin (简报) -----------------------------------------------------------------------------

def bulletin_document(d: dict):
    doc = new_document(d["title"], d["publisher"], d["date"])
    masthead(doc, d)
    if d["preface"]:
        for i, text in enumerate(t for t in clean(d["preface"]).strip().split("\n\n") if t.strip()):
            p = para(doc, before=18 if i == 0 else 0)
            if i == 0:
                run(p, "按：", font=HEI)
            run(p, flat(text), font=KAI)
    section = None
    for n, s in enumerate(d["stories"]):
        if s["section"] and s["section"] != section:
            run(para(doc, align=CENTER, indent=0, before=14, after=14, keep=True), flat(s["section"]), font=HEI)
        section = s["section"]
        story(doc, s, first=n == 0)
    if d.get("stats"):
        statistics(doc, d["stats"])
    closing(doc, d["closing"])
    page_qr(doc, d.get("qr"))
    return doc


CHART_LEVELS = 16  # the chart is print black (and red) on white: antialiased edges need a few greys


def compact_png(path: str) -> io.BytesIO:
    """The chart's 300 dpi PNG flattened on white and stored with a small palette: a quarter of
    the RGBA file's bytes (~150 → ~50 KB per issue), the same picture at the same resolution.
    Made once per chart: kept beside it in the chart cache (its name starts with the chart's key,
    so the cache prunes it with the chart), as every Word file printing that chart needs it."""
    source = Path(path)
    kept = source.with_name(f"{source.stem}-word.png")
    try:
        return io.BytesIO(kept.read_bytes())
    except OSError:
        pass
    from PIL import Image  # only for issues printing 本期统计

    with Image.open(source) as image:
        dpi = image.info.get("dpi")
        rgba = image.convert("RGBA")
    flat = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba).convert("RGB")
    out = io.BytesIO()
    # Fast octree: a tenth of median cut's time. It averages each bucket, so paper comes out
    # 254 grey: channels within a few steps of white or black are set to paper and ink again.
    palette = flat.quantize(CHART_LEVELS, method=Image.Quantize.FASTOCTREE)
    palette.putpalette([255 if v >= 250 else 0 if v <= 5 else v for v in palette.getpalette()])
    palette.save(out, "PNG", optimize=True, **({"dpi": dpi} if dpi else {}))
    partial = kept.with_name(f"{kept.name}.{os.getpid()}.part")  # Word workers may meet it at once
    try:
        partial.write_bytes(out.getvalue())
        os.replace(partial, kept)
    except OSError:
        partial.unlink(missing_ok=True)  # a read-only cache: the picture is still made
    out.seek(0)
    return out


def statistics(doc, st: dict) -> None:
    """本期统计: heading, the chart as a PNG at print resolution, the same numbers as a table."""
    run(para(doc, align=CENTER, indent=0, before=14, after=8, keep=True), "本期统计", font=HEI)
    if st.get("png"):
        p = para(doc, align=CENTER, indent=0, keep=True)
        shape = p.add_run().add_picture(compact_png(st["png"]))
        scale = min(1.0, TEXT_WIDTH / shape.width)
        shape.width, shape.height = int(shape.width * scale), int(shape.height * scale)
        p.paragraph_format.line_spacing = 1.0  # an exact line height would crop the picture
    run(para(doc, align=CENTER, indent=0, after=6, keep=True), st["caption"], font=KAI, size=ANNEX_SIZE)
    rows = st["rows"]
    last = len(rows) - 1
    grid_table(doc, rows, [True] + [False] * (len(rows[0]) - 1),
               align=lambda i, j: LEFT if j == 0 else (CENTER if i == 0 else word_markup.WD_ALIGN_PARAGRAPH.RIGHT),
               bold=lambda i: i in (0, last))
    if st.get("note"):
        run(para(doc, align=LEFT, indent=0, before=4), st["note"], size=10.5)


def page_qr(doc, qr: dict | None) -> None:
    """With the site's address: the web page's QR code (PNG) and the address beside it, last."""
    if not qr:
        return
    p = para(doc, align=LEFT, indent=0, before=12, keep=True)
    p.add_run().add_picture(io.BytesIO(qr_png(qr["address"])), width=Mm(15), height=Mm(15))
    run(p, f"　{qr['label']}：{qr['address']}", font=HEI, size=9)


def masthead(doc, d: dict) -> None:
    """报头: the name red and as large as the text block allows, 期号, 编发单位 | date over the red rule."""
    name = flat(d["name"])
    size = min(16, 144 / max(1, len(name))) * MM_PT
    p = para(doc, align=CENTER, indent=0, line=Pt(size * 1.25), before=6 * MM_PT, after=6 * MM_PT)
    run(p, name, font=XBS, size=size, color=RED)
    if d["special"]:  # a 专刊's own title, under the name
        run(para(doc, align=CENTER, indent=0, after=(0 if d["period"] else 10) * MM_PT), d["special"], bold=True)
    if d["period"]:  # the series' period string, as on the web and in the PDF
        run(para(doc, align=CENTER, indent=0, after=10 * MM_PT), d["period"])
    p = para(doc, align=LEFT, indent=0, left=SIZE / 2, right=SIZE / 2)
    p.paragraph_format.tab_stops.add_tab_stop(Emu(TEXT_WIDTH - Pt(SIZE / 2)), WD_TAB_ALIGNMENT.RIGHT)
    run(p, flat(d["publisher"]))
    run(p, "\t" + cn_date(dt.date.fromisoformat(d["date"])))
    border(p, {"bottom": (3, RED_HEX)}, space=4, val="thickThinSmallGap")


def story(doc, s: dict, first: bool) -> None:
    p = para(doc, align=LEFT, indent=0, before=0 if first else LINE.pt, keep=True)
    run(p, flat(s["byline"]) + "——", font=KAI)
    heading = para(doc, style="Heading 1", left=SIZE, right=SIZE)
    run(heading, flat(s["title"]), font=SONG, bold=True)

    def image(src: str) -> Path | None:
        # Only the story's files the load stage verified (load/images.py): never a URL, never
        # a path outside its folder.
        return Path(s["images"][src][0]) if src in s["images"] else None

    add_html(Flow(doc, doc, image=image), to_html(s["body"]))
    if s["commentary"] is not None:
        box = []

        def boxed(p):
            # Identical rules on consecutive paragraphs: Word draws one box around them all.
            p.paragraph_format.left_indent = p.paragraph_format.right_indent = Pt(12)
            p.paragraph_format.keep_together = True
            border(p, {"top": (1.5, "000000"), "bottom": (0.75, "000000")}, space=4)
            shade(p, "F2F2F2")
            box.append(p)

        # "点评：" in bold 黑体 runs into the first paragraph of the text (a list or a table
        # first leaves the label its own line), as in the PDF and the printed bulletin.
        label = para(doc, before=12)
        boxed(label)
        run(label, "点评：", font=HEI, bold=True)
        add_html(Flow(doc, doc, font=KAI, decorate=boxed, image=image, run_in=label), to_html(s["commentary"]))
        for p in box[:-1]:  # the box stays on one page when it fits (the PDF's avoid-page)
            p.paragraph_format.keep_with_next = True


def closing(doc, c: dict) -> None:
    """报尾: 微信 line, then 报 / 送 / 分送 and the contact line, each between rules."""
    if c.get("wechat") or c.get("wechat_qr"):
        p = para(doc, align=CENTER, indent=0, before=36, after=8, keep=True)
        run(p, flat(c.get("wechat")), font=KAI, size=14)
        if c.get("wechat_qr"):  # the 公众号's own QR image beside its line (verified by the load stage)
            run(p, "　")
            p.add_run().add_picture(c["wechat_qr"][0], height=Mm(22))
    lines = [(label, flat(text)) for label, text in c["lines"]]  # labels are the series' (报：, 分送：…)
    parts = [f"{label}{flat(value)}" for label, value in c["contact"]]
    if parts:
        lines.append(("", "　　".join(parts)))
    for label, text in lines:
        hang = 3 * 14 if label else 0
        p = para(doc, align=LEFT, indent=-hang, left=hang + 7, right=7, line=Pt(22), keep=True)
        border(p, {"top": (1, "000000"), "bottom": (1, "000000"), "between": (0.75, "000000")}, space=3)
        if label:
            run(p, label, font=HEI, size=14)
        run(p, text, size=14)


# --- notice (通报, GB/T 9704-2012) --------------------------------------------------------------

def notice_document(d: dict):
    doc = new_document(d["title"], d["signer"], d["date"])
    marks = [flat(m) for m in d["issuer_mark"]]
    size = min(15, 150 / max(1, max(map(len, marks)))) * MM_PT
    for i, mark in enumerate(marks):  # 发文机关标志 35 mm below the top of the text block
        p = para(doc, align=CENTER, indent=0, line=Pt(size * 1.2), before=35 * MM_PT if i == 0 else 0)
        run(p, mark, font=XBS, size=size, color=RED)
    p = para(doc, align=CENTER, indent=0, before=2 * LINE.pt)
    run(p, flat(d["doc_number"]))
    border(p, {"bottom": (1.5, RED_HEX)}, space=11)  # the red rule, 4 mm under the number
    title(doc, d["title"], before=2 * LINE.pt)
    if d["addressees"]:
        run(para(doc, indent=0, before=LINE.pt), flat(d["addressees"]) + "：")
    add_html(Flow(doc, doc, strong_font=KAI), to_html(d["body"]))
    for i, a in enumerate(d["attachments"]):
        p = para(doc, indent=-3 * SIZE if i == 0 else 0, left=5 * SIZE, before=LINE.pt if i == 0 else 0)
        number = f"{i + 1}. " if len(d["attachments"]) > 1 else ""
        run(p, ("附件：" if i == 0 else "") + number + flat(a))
    signature(doc, flat(d["signer"]), cn_date(dt.date.fromisoformat(d["date"])))
    if d["note"]:
        note = flat(d["note"])
        run(para(doc), note if note.startswith("（") else f"（{note}）")
    if d["annex"]:
        annex(doc, d)
    page_qr(doc, d.get("qr"))
    return doc


def title(doc, text: str, before: float, inset: float = 0) -> None:
    """2号 小标宋, centred (the notice's title and its annex's)."""
    p = para(doc, align=CENTER, indent=0, line=Pt(33), before=before, left=inset, right=inset)
    run(p, flat(text), font=XBS, size=22)


def _width(text: str) -> float:
    """Width in characters of 3号: ASCII is half as wide as CJK."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)


def signature(doc, signer: str, date: str) -> None:
    """署名 two characters in from the right; 成文日期 under it, starting two characters further right."""
    block = TEXT_WIDTH / EM - 2  # characters left of the right-hand gap
    start = max(0.0, block - max(_width(signer), _width(date) + 2))
    run(para(doc, align=LEFT, indent=0, left=start * SIZE, before=LINE.pt, keep=True), signer)
    run(para(doc, align=LEFT, indent=0, left=(start + 2) * SIZE), date)


def annex(doc, d: dict) -> None:
    """附件 on a new page: "附件" 黑体 top left, title centred on the third line, the table."""
    page_break(doc)
    label = "附件1" if len(d["attachments"]) > 1 else "附件"
    run(para(doc, align=LEFT, indent=0), label, font=HEI)
    if d["attachments"]:
        title(doc, d["attachments"][0], before=LINE.pt, inset=2 * SIZE)
        doc.paragraphs[-1].paragraph_format.space_after = Pt(16)
    columns = d["columns"]
    rows = [columns, *([str(c) for c in row] for row in d["annex"])]
    grid_table(doc, rows, [c in ("质控中心", "挂靠单位") for c in columns],
               align=lambda i, j: LEFT if (columns[j] == "质控中心" and i) else CENTER,
               bold=lambda i: i == 0, padding=Pt(4))


def grid_table(doc, rows: list[list[str]], wide: list[bool], align, bold, padding=None) -> None:
    """A ruled table of `rows` (the first is the header, repeated on each page) at the annex size:
    columns as wide as their text (`wide` ones may wrap), `align(i, j)` per cell, `bold(i)` per row."""
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = doc.styles["Table Grid"]
    table.alignment = word_markup.WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = column_widths(rows, ANNEX_SIZE, wide)
    fixed_width(table, widths)
    for i, (row, cells) in enumerate(zip(table.rows, rows)):
        row_flags(row, header=i == 0)
        for j, (cell, text) in enumerate(zip(row.cells, cells)):
            cell.width, cell.vertical_alignment = widths[j], WD_CELL_VERTICAL_ALIGNMENT.CENTER
            f = cell.paragraphs[0].paragraph_format
            f.first_line_indent, f.line_spacing = Pt(0), Pt(18)
            if padding is not None:
                f.space_before = f.space_after = padding
            f.alignment = align(i, j)
            run(cell.paragraphs[0], flat(text), font=HEI if bold(i) else None, size=ANNEX_SIZE)


def column_widths(rows: list[list[str]], size: float, wide: list[bool]) -> list[int]:
    """Each column as wide as its longest cell on one line; when that is wider than the text block,
    the `wide` columns (names: 质控中心, 挂靠单位) share what is missing and wrap, unless the narrow
    ones (序号, 得分, 排名, grade) would then take more than 40 % (odd grade names): then every
    column shrinks alike."""
    # 2 pt of slack: renderers round glyph advances, and a 序号 must not wrap by a hair.
    need = [max(_width(r[j]) for r in rows) * Pt(size) + 2 * CELL_PAD + Pt(2) for j in range(len(rows[0]))]
    fixed = sum(n for n, w in zip(need, wide) if not w)
    if sum(need) <= TEXT_WIDTH or fixed > 0.4 * TEXT_WIDTH or all(wide) or not any(wide):
        widths = [n * TEXT_WIDTH / sum(need) for n in need]  # fits; or odd content: all columns alike
    else:
        scale = (TEXT_WIDTH - fixed) / sum(n for n, w in zip(need, wide) if w)
        widths = [n * scale if w else n for n, w in zip(need, wide)]
    widths = [int(w) for w in widths]
    widths[-1] += TEXT_WIDTH - sum(widths)
    return widths


def fixed_width(table, widths: list[int]) -> None:
    """The table exactly the text block wide, columns as given (w:gridCol, which WPS reads; the
    cells' w:tcW are set by the caller for Word), and narrow cell margins."""
    for col, width in zip(table.columns, widths):
        col.width = width
    tblpr = table._tbl.tblPr
    tblw = tblpr.find(qn("w:tblW"))
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(int(TEXT_WIDTH / 635)))  # EMU → twentieths of a point
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(int(CELL_PAD / 635)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    look = tblpr.find(qn("w:tblLook"))  # tblCellMar comes right before it (schema order)
    look.addprevious(margins) if look is not None else tblpr.append(margins)


# --- build -----------------------------------------------------------------------------------------
