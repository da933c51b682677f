"""Bytes of a text file (.txt, .csv) → text, in whichever encoding Chinese offices save.

Notepad on Chinese Windows saves "ANSI" as GB18030/GBK, "Unicode" as UTF-16 LE with a BOM, and
"UTF-8" with or without a BOM; Excel's "CSV" is GB18030, its "CSV UTF-8" has a BOM. The order is
fixed: a BOM decides; then UTF-16 without a BOM (NUL bytes); then strict UTF-8; then strict
GB18030. Strict UTF-8 almost never accepts anything else, but GB18030 accepts most byte pairs, so
its result must also read as Chinese: traditional Big5 text, or any other encoding read as GB18030,
gives mostly characters outside the common set (GB2312), private-use and control characters.
Text that is garbage, or already carries replacement characters (U+FFFD), is refused: an import
never writes a character that stands for one it lost.
"""
from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

from generator.problems import UsageError

SAVE_AS_UTF8 = "请用记事本打开这个文件，“另存为”时“编码”选“UTF-8”，再导入"

BOMS = [  # longest first: the UTF-32 LE BOM begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE（带 BOM）"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE（带 BOM）"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8（带 BOM）"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE（带 BOM，记事本的“Unicode”）"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE（带 BOM）"),
]
GB18030 = "GB18030（兼容 GBK、GB2312，中文 Windows 记事本的“ANSI”）"
# Real GB18030 text has hardly any ideograph outside GB2312's 6,763 (the reference bulletin: 1 of
# 1,170 distinct); another encoding read as GB18030 has a third or more.
MAX_RARE_SHARE = 0.15
MAX_ODD_SHARE = 0.01  # control, private-use, unassigned characters among all


@dataclass
class Decoded:
    text: str
    encoding: str  # for the report, in Chinese


def decode_text(data: bytes, name: str) -> Decoded:
    """The text of `data` (a file called `name`, for messages), or a UsageError in Chinese."""
    for bom, codec, label in BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as e:
                raise UsageError(f"{name} 开头标明是 {label.split('（')[0]} 编码，但第 {e.start + len(bom)} 个字节起"
                                 f"不是这种编码，文件可能不完整或已损坏；{SAVE_AS_UTF8}") from None
            if _garbage(Decoded(text, label)):
                raise UsageError(f"{name} 按 {label} 读出来是乱码或不是文本文件；什么也没有写。{SAVE_AS_UTF8}")
            return _checked(text, label, name)
    decoded = _utf16_without_bom(data) or _strict(data, "utf-8", "UTF-8") or _strict(data, "gb18030", GB18030)
    if decoded is None or _garbage(decoded):
        raise UsageError(f"{name} 的文字读不出来：它不是 UTF-8，也不是能读成中文的 GB18030（GBK）或 UTF-16，"
                         f"可能是其他编码（如繁体的 Big5）或根本不是文本文件；什么也没有写。{SAVE_AS_UTF8}")
    return _checked(decoded.text, decoded.encoding, name)


def _strict(data: bytes, codec: str, label: str) -> Decoded | None:
    try:
        return Decoded(data.decode(codec), label)
    except UnicodeDecodeError:
        return None


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 whose BOM was lost: NUL bytes, which no text in the other encodings has."""
    if b"\x00" not in data or len(data) % 2:
        return None
    for codec, label in (("utf-16-le", "UTF-16 LE（无 BOM）"), ("utf-16-be", "UTF-16 BE（无 BOM）")):
        decoded = _strict(data, codec, label)
        if decoded is not None and not _garbage(decoded):
            return decoded
    return None


def _odd(ch: str) -> bool:
    if ch in "\t\n\r\f\v":
        return False
    return unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs")


def _common(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        return False


def _garbage(decoded: Decoded) -> bool:
    text = decoded.text
    if not text:
        return False
    if sum(map(_odd, text)) > max(1, MAX_ODD_SHARE * len(text)):
        return True
    if decoded.encoding != GB18030:
        return False  # strict UTF-8/UTF-16 are what they say; traditional text there is fine
    ideographs = [ch for ch in text if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch >= "\U00020000"]
    rare = sum(not _common(ch) for ch in ideographs)
    return bool(ideographs) and rare > MAX_RARE_SHARE * len(ideographs)


def _checked(text: str, label: str, name: str) -> Decoded:
    if "\ufffd" in text:
        line = text[:text.index("\ufffd")].count("\n") + 1
        raise UsageError(f"{name} 第 {line} 行已有替换字符“\ufffd”：这个文件在别处转换编码时已经丢了字，导入不会照抄；"
                         "请找到原来的文件（或原来的 Word/PDF）再导入")
    return Decoded(text, label)
