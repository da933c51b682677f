"""Import stage: past bulletins and notices (.docx, PDF, text) → content files for review.

It stands before load in the pipeline: it reads a document and the registry (via
generator.load), and writes new files under content/ and bulletins/ that `bulletin check`
then loads like any editor's file. It never overwrites a file.

  readers (read_text, read_docx, read_pdf) → document.Block list (neutral model)
  → bulletin.py / notice.py recognisers → centers.py matching → bulletin_files.py /
  notice_files.py writers → report.py (Chinese report of everything not placed)

Score sheets (.xlsx .xls .ods .csv) go their own way, whatever the series: read_sheet (calamine,
or csv after decode.py) → scores.py (header row, columns → the scheme's areas) → centers.py →
sheet_files.py (a new round, status: review) or merge.py (`--merge` into the round that exists),
the lines of both from round_lines.py.
"""
from __future__ import annotations

from pathlib import Path

from generator.problems import UsageError


def import_file(root: Path, source: Path, series_id: str, issue: str | None = None, notice: bool | None = None,
                year: int | None = None, scheme_from: int | None = None, merge: bool = False):
    """Import `source` into series `series_id`: a score sheet into the round of `year` when the
    file is a spreadsheet; else a notice when the series is a notice series (or `notice` is True).
    Returns the Report."""
    from generator.load import load_content

    content = load_content(root)
    series = next((s for s in content.series if s.id == series_id), None)
    if series is None:
        known = "、".join(s.id for s in content.series) or "无"
        raise UsageError(f"没有编号为 {series_id} 的系列（content/series/{series_id}.yml）；已有：{known}")
    from .read_sheet import SHEETS

    if source.suffix.lower() in SHEETS:  # the file's kind decides first
        return _import_sheet(root, source, series, content, year, scheme_from, merge)
    as_notice = series.kind == "notice" if notice is None else notice
    if as_notice and series.kind != "notice":
        raise UsageError(f"系列 {series_id} 是简报系列（kind: bulletin），不能导入通报；请指定一个通报系列")
    if as_notice:
        from .notice_files import import_notice
        return import_notice(root, source, series, content)
    if not issue:
        raise UsageError(f"导入简报要用 --issue 指定期号，如 --issue 2024-q3（写入 bulletins/{series_id}/2024-q3.yml）")
    from .bulletin_files import import_bulletin
    return import_bulletin(root, source, series, issue, content)


def _import_sheet(root: Path, source: Path, series, content, year, scheme_from, merge):
    if series.kind != "notice":
        raise UsageError(f"{source.name} 是评分表，要导入评估结果所在的通报系列（kind: notice），"
                         f"而 {series.id} 是简报系列；如 --series 某通报系列 --year 2025")
    if year is None:
        raise UsageError(f"导入评分表要用 --year 指定评估年度，如 --year 2025"
                         f"（写入 content/evaluations/{series.id}/2025.yml）")
    from .sheet_files import import_sheet
    return import_sheet(root, source, series, year, content, scheme_from, merge)
