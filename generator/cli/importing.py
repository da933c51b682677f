"""`bulletin import FILE --series S [--issue KEY]`: bring a past bulletin or notice in (the work is
done by the import stage, generator/ingest)."""
from __future__ import annotations

import argparse
import re
from pathlib import Path

from generator.problems import UsageError

ISSUE_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def cmd_import(args) -> int:
    from generator.ingest import import_file

    if args.issue is not None and not ISSUE_KEY.match(args.issue):
        raise UsageError(f"期号“{args.issue}”只能用小写英文字母、数字和连字符，如 2024-q3")
    report = import_file(args.root, Path(args.file).resolve(), args.series, args.issue, True if args.notice else None,
                         args.year, args.scheme_from, args.merge)
    print(report.text())
    return 0


def add_import_command(sub) -> None:
    """Added to the parser by generator.cli.parser()."""
    from generator.problems import EXIT_CODES_HELP

    p = sub.add_parser(
        "import", help="导入往期简报或通报（.docx、PDF 或文本），生成待审核的文件",
        description="把往期简报或通报（Word .docx、PDF 或从 PDF 复制出的文本）拆成内容文件：\n"
                    "简报 → 期刊文件（含按语）、每篇稿件一个文件、每条点评一个文件；\n"
                    "通报 → 通报文件（保留一、（一）标题）和评估结果文件（附件表格的每一行）。\n"
                    "全部写成 status: review，不会覆盖已有文件；最后列出需要确认和没有放进文件的内容。\n"
                    "系列是通报系列（kind: notice）时按通报导入，否则按简报导入（要给 --issue）。\n"
                    "评分表（.xlsx、.xls、.ods、.csv）→ 一个年度的评估结果（要给 --year），\n"
                    "按表头把各列对应到评分方案的评估内容、加分和总分，报告按工作表和行列出要核对的地方。",
        epilog="例：bulletin import 2024年第3季度简报.docx --series my-bulletin --issue 2024-q3\n"
               "    bulletin import 通报.pdf --series my-notices\n"
               "    bulletin import 2025年度评分汇总.xlsx --series my-notices --year 2025\n" + EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", help="要导入的文件：.docx、.pdf、.txt，或评分表 .xlsx、.xls、.ods、.csv")
    p.add_argument("--series", required=True, help="系列编号（content/series/ 下的文件名）")
    p.add_argument("--issue", default=None, help="简报的期号，如 2024-q3（写入 bulletins/<系列>/<期号>.yml）")
    p.add_argument("--notice", action="store_true", help="按通报导入（系列是通报系列时可以不写）")
    p.add_argument("--year", type=_year, default=None, help="评分表的评估年度，如 2025（写入 content/evaluations/<系列>/2025.yml）")
    p.add_argument("--scheme-from", type=_year, default=None, metavar="YYYY",
                   help="评分方案取自哪个年度（默认：最近一个写有 scheme 的年度）")
    p.add_argument("--merge", action="store_true", help="该年度已有评估结果时，把表中的分数加进去（其余内容不动，列出每处改动）")
    p.set_defaults(func=cmd_import)


def _year(text: str) -> int:
    if not re.fullmatch(r"(19|20|21)\d\d", text.strip()):
        raise argparse.ArgumentTypeError(f"年度“{text}”应写成四位数字，如 2025")
    return int(text)
