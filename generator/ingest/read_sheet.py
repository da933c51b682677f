"""Reader for spreadsheets: .xlsx/.xlsm, .xls and .ods by python-calamine, .csv by the csv module
after ingest/decode.py has found its encoding (Excel on Chinese Windows saves GB18030).

Gives every visible worksheet as rows of cells, numbered as the spreadsheet numbers them (row 1 is
the sheet's first row, blank rows kept), so the report can say "评分汇总 第42行". A cell is text
(stripped; "" when blank), a number (int or float), a bool or a date, exactly as the reader gives it.
"""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from generator.problems import UsageError

from .decode import decode_text

SHEETS = {".xlsx", ".xlsm", ".xls", ".ods", ".csv"}
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .xls, and of every encrypted Office file
ENCRYPTED_OOXML = "EncryptionInfo".encode("utf-16-le")  # the stream name in an encrypted .xlsx/.docx
ZIP = b"PK\x03\x04"
MAX_ROWS = 20_000  # a score sheet has a row per center; a sheet of a million rows is not one
MAX_UNPACKED = 200 * 2**20
CSV_DELIMITERS = ",\t;"


@dataclass
class Sheet:
    name: str
    rows: list[list[object]]


@dataclass
class Workbook:
    sheets: list[Sheet]
    encoding: str = ""  # a CSV's text encoding, for the report
    hidden: list[str] = field(default_factory=list)  # hidden worksheets, not read


def read_workbook(path: Path) -> Workbook:
    """The file's contents decide the reader, not its name: offices rename files, and some systems
    export "Excel" files that are CSV or web pages."""
    if not path.is_file():
        raise UsageError(f"找不到要导入的文件 {path}")
    data = path.read_bytes()
    if data.startswith((ZIP, OLE)):
        return _read_calamine(path, data)
    if _looks_like_html(data):
        raise UsageError(f"{path.name} 其实是网页（HTML）或 XML 格式，不是表格文件：请在 Excel 或 WPS 里打开它，"
                         "“另存为”Excel 工作簿（.xlsx）后再导入。什么也没有写")
    if path.suffix.lower() == ".csv" or b"," in data[:4096] or b"\t" in data[:4096]:
        return _read_csv(path, data)
    raise _damaged(path, "既不是 Excel/WPS 表格，也不是 CSV 文本")


def _looks_like_html(data: bytes) -> bool:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml")) or b"<html" in head


def _read_csv(path: Path, data: bytes) -> Workbook:
    decoded = decode_text(data, path.name)
    text = decoded.text
    try:
        dialect = csv.Sniffer().sniff(text[:20_000], delimiters=CSV_DELIMITERS)
    except csv.Error:  # one column, or too few lines to tell: Excel's comma
        dialect = csv.excel
    try:
        rows = [[cell.strip() for cell in row] for row in csv.reader(text.splitlines(), dialect)]
    except csv.Error as e:
        raise UsageError(f"{path.name} 不是有效的 CSV 文件（{e}）；请在 Excel 里打开，“另存为”CSV 后再导入") from None
    return Workbook([Sheet(path.name, rows[:MAX_ROWS])], decoded.encoding)


def _damaged(path: Path, why: str) -> UsageError:
    kind = path.suffix.lower()
    return UsageError(f"{path.name} 不是有效的 {kind} 文件（{why}），可能已损坏或只下载了一部分；"
                      "请在 Excel 或 WPS 里打开，另存为 .xlsx 后再导入。什么也没有写")


def _locked(path: Path) -> UsageError:
    return UsageError(f"{path.name} 设了打开密码，无法读取；请在 Excel 或 WPS 里打开，"
                      "在“文件 → 信息 → 保护工作簿 → 用密码进行加密”里清空密码并保存，再导入。什么也没有写")


def _read_calamine(path: Path, data: bytes) -> Workbook:
    import python_calamine as pc

    if data.startswith(OLE) and ENCRYPTED_OOXML in data:
        raise _locked(path)  # an encrypted .xlsx is an OLE container holding EncryptionInfo
    if data.startswith(ZIP):
        _refuse_bomb(path)
    try:
        book = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))  # by content
        sheets, hidden = [], []
        for meta in book.sheets_metadata:
            if meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue
            if meta.visible != pc.SheetVisibleEnum.Visible:
                hidden.append(meta.name)
                continue
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False, nrows=MAX_ROWS)
            sheets.append(Sheet(meta.name, [[_cell(c) for c in row] for row in rows]))
    except pc.PasswordError:
        raise _locked(path) from None
    except (pc.CalamineError, pc.ZipError, pc.XmlError, ValueError, OSError) as e:
        raise _damaged(path, type(e).__name__) from None
    return Workbook(sheets, hidden=hidden)


def _refuse_bomb(path: Path) -> None:
    """A workbook that unpacks to more than MAX_UNPACKED is no score sheet (and would fill memory)."""
    try:
        with zipfile.ZipFile(path) as z:
            size = sum(info.file_size for info in z.infolist())
            if size > MAX_UNPACKED:
                raise UsageError(f"{path.name} 解压后有 {size // 2**20} MB，远超一份评分表的大小，没有读取；"
                                 "请只保留评分汇总的工作表，另存后再导入。什么也没有写")
            manifest = z.read("META-INF/manifest.xml") if "META-INF/manifest.xml" in z.namelist() else b""
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise _damaged(path, type(e).__name__) from None
    if b"encryption-data" in manifest:
        raise _locked(path)  # an .ods with a password keeps its zip but encrypts its parts


def _cell(value: object) -> object:
    return value.strip() if isinstance(value, str) else value
