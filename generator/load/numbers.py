"""Numbers as editors write them, in scores, maxima, shares and activity figures.

YAML 1.1 (PyYAML) reads some spellings as numbers no editor meant: `1_000` is 1000, `0x10` is 16,
`017` is 15 (octal), `1:30` is 90 (base 60); Python's Decimal and int read '1_000' and full-width
'９５' just as silently. The loader keeps every integer not written as plain decimal digits as its
text (yaml_source._int), and the number fields decide here, from the text as written:

- full-width digits (９５, ９２．５, １０％; an IME left in full-width mode): read as the half-width
  number, with a warning at the line (`noting` collects them while a model is validated);
- a leading zero (017): the decimal number 17, as written;
- an underscore (1_000), a 0x/0o/0b prefix, a colon (1:30): refused, saying what to write.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar


class WideText(str):
    """A YAML value written only in full-width digits and signs (so possibly a number), with
    its line: set by the loader (yaml_source), read by `number_text`."""

    line: int | None = None


WIDE_CANDIDATE = re.compile(r"[\s０-９．，％＋－.,%+-]*[０-９][\s０-９．，％＋－.,%+-]*")  # full-width digits and signs
PLAIN_INTEGER = re.compile(r"[-+]?[0-9]+")  # what YAML may read as an integer; leading zeros stay decimal
PREFIXED = re.compile(r"([-+]?)0([xXoObB])([0-9a-fA-F_]+)")
BASES = {"x": (16, "十六进制"), "o": (8, "八进制"), "b": (2, "二进制")}
SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")

_noted: ContextVar[list | None] = ContextVar("wide_numbers", default=None)


def wide_text(value: str, line: int) -> str:
    """The loader's str: full-width numbers marked with their line, every other text as it is."""
    if value.isascii() or not WIDE_CANDIDATE.fullmatch(value):
        return value
    marked = WideText(value)
    marked.line = line
    return marked


def yaml_integer(written: str) -> bool:
    """An integer YAML 1.1 would read, written as one: plain decimal digits (leading zeros too)."""
    return bool(PLAIN_INTEGER.fullmatch(written))


def number_text(value: object, not_a_number: str = "应为数字，如 85 或 92.5（用半角数字，不加单位或汉字）") -> object:
    """The text of a number field as the number it means, or ValueError (Chinese) saying what to
    write instead (`not_a_number` for text that is no number at all); anything not text is left
    to the field's own checks."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    plain = text
    if not text.isascii():
        plain = unicodedata.normalize("NFKC", text).replace("，", ",")
        if not plain.isascii():
            raise ValueError(not_a_number)
    if prefixed := PREFIXED.fullmatch(plain):
        base, name = BASES[prefixed.group(2).lower()]
        try:
            meant = int(prefixed.group(1) + prefixed.group(3).replace("_", ""), base)
        except ValueError:
            raise ValueError(f"“{text}”不是数字：数字开头不要写 0{prefixed.group(2)}") from None
        raise ValueError(f"“{text}”是{name}写法（等于十进制的 {meant}），应写成普通的十进制数字，如 {meant}")
    if SEXAGESIMAL.fullmatch(plain):
        raise ValueError(f"“{text}”带冒号，会被当作时间或六十进制数：应写成一个数字，如 85 或 92.5")
    if "_" in plain:
        raise ValueError(f"数字中间不能有下划线：“{text}”应写成 {plain.replace('_', '')}")
    if plain != text:
        noted = _noted.get()
        if noted is not None:
            noted.append((getattr(value, "line", None), text, plain))
    return plain


@contextmanager
def noting() -> Iterator[list[tuple[int | None, str, str]]]:
    """(line, as written, as read) of each full-width number read while the block runs."""
    token = _noted.set([])
    try:
        yield _noted.get()
    finally:
        _noted.reset(token)
