"""`bulletin init DIR`: a fresh site for a new office, which `bulletin check` passes and
`bulletin build` builds.

It writes site.yml, one bulletin series and one notice series (named from flags, or asked for
when run in a terminal), a center registry with one example center, a first draft issue, the
engine's theme options (mkdocs.yml); office_repo.py makes the folder a complete Git repository
around them (Makefile, CI, README, the publisher in vendor/, a first commit). Nothing is ever
written into a folder that already holds files.
"""
from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
from pathlib import Path
from types import SimpleNamespace

from generator.cli import office_repo
from generator.cli.new import _yaml_scalar as q  # plain YAML when safe, else a quoted string
from generator.load import periods
from generator.load.models import ID_RE
from generator.problems import EXIT_CODES_HELP, UsageError

TEMPLATES = Path(__file__).parent / "templates" / "init"
NUMBERING = {  # --numbering → (period_format, what the first issue's file and fields say)
    "quarter": ("{year}年第{quarter}季度", "季度"),
    "number": ("{year}年第{number}期", "期（年内第N期）"),
    "month": ("{year}年{month}月", "月份"),
}
# What must be known to write the files, with the question asked in a terminal.
QUESTIONS = [
    ("office", "简报的编发单位（如 某省医疗质量控制中心管理办公室）"),
    ("bulletin", "简报名称（印在报头，如 某省医疗质控工作简报）"),
    ("commission", "通报的发文机关（如 某省卫生健康委员会办公室）"),
    ("region", "所在省份（如 某省），用于示例质控中心"),
]


def _answers(args) -> dict:
    values = {key: (getattr(args, key) or "").strip() for key, _ in QUESTIONS}
    missing = [(key, question) for key, question in QUESTIONS if not values[key]]
    if missing and sys.stdin.isatty():
        for key, question in missing:
            while not values[key]:
                values[key] = input(f"{question}：").strip()
    elif missing:
        flags = "、".join(f"--{key}" for key, _ in missing)
        raise UsageError(f"缺少 {flags}：在终端里运行时会逐项询问，脚本里请用参数给出（bulletin init --help）")
    for key in ("bulletin_id", "notices_id"):
        if not ID_RE.match(getattr(args, key)):
            raise UsageError(f"系列编号“{getattr(args, key)}”不合规：只用小写英文字母、数字和连字符")
    if args.bulletin_id == args.notices_id:
        raise UsageError("简报系列和通报系列的编号不能相同")
    return values


# --numbering → the frequency it implies when --frequency is not given (第N期: most are monthly).
FREQUENCY = {"quarter": "quarterly", "month": "monthly", "number": "monthly"}
FREQUENCY_HELP = "monthly 月刊、bimonthly 双月刊、quarterly 季刊、irregular 不定期"


def frequency_of(args) -> str:
    frequency = args.frequency or FREQUENCY[args.numbering]
    if args.numbering != "number" and frequency != FREQUENCY[args.numbering]:
        raise UsageError(f"--numbering {args.numbering} 要求 --frequency {FREQUENCY[args.numbering]}；"
                         "其他出刊频率请用 --numbering number（按期编号，第N期）")
    if args.total_number is not None and args.total_number < 1:
        raise UsageError("--total-number 是下一期的总期号（总第N期），应为正整数，如 --total-number 27")
    return frequency


def first_issue(numbering: str, frequency: str, today: dt.date, key: str | None = None) -> tuple[str, dict]:
    """The first issue's file name and its numbers: the issue `key` names (--first-issue), else
    the issue of today's period."""
    if key is not None:
        return key, named_issue(numbering, frequency, key)
    if numbering == "quarter":
        quarter = (today.month + 2) // 3
        return f"{today.year}-q{quarter}", {"year": today.year, "quarter": quarter}
    if numbering == "month":
        return f"{today.year}-{today.month:02d}", {"year": today.year, "month": today.month}
    count = periods.per_year(frequency)
    number = (today.month - 1) // (12 // count) + 1 if count else 1  # irregular: the year's first, as a guess
    return f"{today.year}-{number:02d}", {"year": today.year, "number": number}


FIRST_ISSUE_FORMS = {"quarter": ("2025-q1", "年份-q季度", 4), "month": ("2025-03", "年份-两位月份", 12),
                     "number": ("2025-03", "年份-两位期号", None)}


def named_issue(numbering: str, frequency: str, key: str) -> dict:
    """The numbers of the first issue an office names, e.g. the next one after its printed archive,
    so that `bulletin new issue` counts 总第N期 on from the real sequence, not from today."""
    example, form, most = FIRST_ISSUE_FORMS[numbering]
    pattern = periods.KEY_QUARTER if numbering == "quarter" else periods.KEY_NUMBER
    m = pattern.match(key)
    if m is None or (numbering != "quarter" and len(m.group(2)) != 2 and int(m.group(2)) < 100):
        raise UsageError(f"--first-issue {key} 的写法不对：按{NUMBERING[numbering][1]}编号的简报写 {form}，如 {example}")
    year, n = int(m.group(1)), int(m.group(2))
    most = most or periods.per_year(frequency) or 999
    if not 1900 <= year <= 2999 or not 1 <= n <= most:
        raise UsageError(f"--first-issue {key} 超出范围：年份应为四位数，序号应在 1 到 {most} 之间，如 {example}")
    return {"year": year, numbering: n}  # the --numbering names are the issue's field names


# site.yml's form editor on the office's Git host, commented out until the one-time setup is done.
EDITING_BLOCK = """
# 网上的表单编辑（网站的 /admin/，用本单位 Git 平台的账号登录）：按 docs/online-editing.md 在平台上登记
# OAuth 应用后，去掉下面各行开头的 # 并改成本单位的值。不要写任何密码、令牌或 Client Secret。
# editing:
#   backend: gitlab                    # github、gitlab、gitea 或 forgejo
#   repo: zkb/bulletin                 # 仓库路径：所有者（或群组）/仓库名
#   branch: main                       # 表单保存到哪个分支
#   base_url: https://git.example.org  # 自建平台的地址；用 gitlab.com 时删去这一行
#   app_id: 在平台上登记后得到的应用ID
#   editorial_workflow: false          # true：修改先成为合并请求，审过再合并（Gitea 不支持）
"""


def site_files(v: dict, args, today: dt.date) -> dict[str, str]:
    """Relative path → text of every file of the new site."""
    fmt, unit = NUMBERING[args.numbering]
    frequency = frequency_of(args)
    key, found = first_issue(args.numbering, frequency, today, args.first_issue)
    numbers = [f"quarter: {found['quarter']}"] if "quarter" in found else \
        [f"month: {found['month']}"] if "month" in found else [f"number: {found['number']}                 # 年内第几期"]
    if args.total_number is not None:  # the series prints 总第N期; N is this first issue's
        fmt += "（总第{total_number}期）"
        numbers.append(f"total_number: {args.total_number}          # 总第几期；以后各期由 bulletin new issue 接着编")
    issued = periods.clamp(today, SimpleNamespace(**{"month": None, "quarter": None, "number": None, **found}), frequency)
    notices = args.notices or "医疗质量控制中心工作评估通报"
    center = f"{v['region']}示例医疗质量控制中心"
    return {
        "content/site.yml": (
            f"title: {q(args.title or v['bulletin'] + '与评估通报')}   # 网站名称\n"
            f"description: {q(v['office'] + '编发的工作简报与评估通报。')}\n"
            f"copyright: {q('内容由' + v['office'] + '发布，转载请注明出处。')}\n"
            "# url: https://example.org/zkjb/   # 公开网址（可选）\n"
            + EDITING_BLOCK),
        f"content/series/{args.bulletin_id}.yml": (
            "kind: bulletin\n"
            f"name: {q(v['bulletin'])}\n"
            f"publisher: {q(v['office'])}\n"
            + (f"period_format: {q(fmt)}   # 按{unit}编号，印总期号\n" if args.total_number is not None else
               f"period_format: {q(fmt)}   # 按{unit}编号；加总期号写 \"…（总第{{total_number}}期）\"\n")
            + f"frequency: {frequency}         # 出刊频率：{FREQUENCY_HELP}\n"
            "closing:                    # 报尾，每期可在期文件中改写\n"
            "  report_to: []             # 报\n"
            "  distribute_to: []         # 分送\n"
            "  # contribution: {address: 投稿地址, phone: 电话, email: 邮箱}\n"),
        f"content/series/{args.notices_id}.yml": (
            "kind: notice\n"
            f"name: {q(notices)}\n"
            f"publisher: {q(v['commission'])}\n"
            f"issuer_mark: {q(v['commission'] + '文件')}   # 发文机关标志\n"
            + (f"doc_prefix: {q(args.doc_prefix)}   # 发文字号前缀\n" if args.doc_prefix else
               "# doc_prefix: 某卫办发         # 发文字号前缀\n")
            + f"signer: {q(v['commission'])}   # 落款\n"),
        "content/centers/centers.yml": (
            "# 质控中心名录：每个中心一项；市级中心写 region: {province: 某省, city: 某市}。这一项是示例，请改成本地的中心。\n"
            "- id: example-center\n"
            f"  name: {q(center)}\n"
            "  short_name: 示例\n"
            "  level: 省级\n"
            f"  region: {q(v['region'])}\n"
            "  specialty: 示例专业\n"),
        f"bulletins/{args.bulletin_id}/{key}.yml": (
            f"series: {args.bulletin_id}\n"
            f"year: {found['year']}\n"
            + "".join(f"{line}\n" for line in numbers)
            + f"date: {issued.isoformat()}          # 印发日期\n"
            "status: draft             # 编好、审好之后改为 published\n"
            "preface: |\n"
            "  【待填写】按语正文（网页和 PDF 会自动在前面加“按：”）。\n"
            "sections:                 # 稿件按印刷顺序排列\n"
            "  - stories: []\n"),
    }


def cmd_init(args) -> int:
    target = args.dir.resolve()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(f"{target} 已存在且不是空文件夹：不会写入。请换一个新的文件夹名")
    values = _answers(args)
    files = site_files(values, args, dt.date.today())
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(TEMPLATES / "mkdocs.yml", target / "mkdocs.yml")
    for rel, text in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    issue = next(rel for rel in files if rel.startswith("bulletins/"))
    issue_id = issue.removeprefix("bulletins/").removesuffix(".yml")
    warning = office_repo.write_office_repo(target, values, args, issue_id.split("/", 1)[1])
    print(f"已新建网站：{target}（{'Git 仓库，已有第一次提交；' if not warning else ''}说明见其中的 README.md）\n"
          f"  简报系列 content/series/{args.bulletin_id}.yml，通报系列 content/series/{args.notices_id}.yml，\n"
          f"  质控中心名录 content/centers/centers.yml（一个示例），第一期草稿 {issue}。\n"
          f"下一步：cd {target}，把示例中心改成本地的质控中心，然后\n"
          "  make site                                           # 第一次：装好所需的一切，生成网站\n"
          f"  bulletin new story {issue_id} 文件名 example-center   # 新建稿件\n"
          "  bulletin check                                      # 检查\n"
          "  bulletin serve                                      # 预览"
          + (f"\n注意：{warning}" if warning else ""))
    return 0


def add_init_command(sub) -> None:
    i = sub.add_parser("init", help="为新单位新建一个网站（简报系列、通报系列、质控中心名录、第一期草稿）",
                       description="在一个新文件夹里建好网站所需的全部文件；建好后 bulletin check 即可通过，bulletin build "
                                   "即可构建。未用参数给出的名称，在终端里运行时会逐项询问。",
                       epilog="例：bulletin init my-site --office 某省医疗质量控制中心管理办公室 --bulletin 某省医疗质控工作简报 "
                              "--commission 某省卫生健康委员会办公室 --region 某省 --numbering number\n" + EXIT_CODES_HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    i.add_argument("dir", type=Path, help="新网站的文件夹（不存在或为空）")
    for key, question in QUESTIONS:
        i.add_argument(f"--{key}", default=None, help=question)
    i.add_argument("--numbering", choices=sorted(NUMBERING), default="quarter",
                   help="简报怎么编号：quarter 按季度（默认）、number 按期（第N期）、month 按月")
    i.add_argument("--frequency", choices=sorted(periods.FREQUENCIES), default=None,
                   help=f"出刊频率：{FREQUENCY_HELP}（默认：quarter 为季刊，month 和 number 为月刊）")
    i.add_argument("--total-number", type=int, default=None,
                   help="简报印总期号（总第N期）时，下一期（即第一期草稿）的总期号，如 27")
    i.add_argument("--first-issue", default=None, metavar="期文件名",
                   help="第一期草稿是哪一期，如 2025-03（第3期或3月）、2025-q1（一季度）；默认是今天所在的一期。"
                        "接着已印发的简报编时写下一期，bulletin new issue 就从它往后编")
    i.add_argument("--bulletin-id", default="bulletin", help="简报系列编号（网址的一部分，默认 bulletin）")
    i.add_argument("--notices", default=None, help="通报系列名称（默认 医疗质量控制中心工作评估通报）")
    i.add_argument("--notices-id", default="notices", help="通报系列编号（默认 notices）")
    i.add_argument("--doc-prefix", default=None, help="发文字号前缀，如 某卫办发（可以以后再填）")
    i.add_argument("--title", default=None, help="网站名称（默认 简报名称+与评估通报）")
    i.set_defaults(func=cmd_init)
