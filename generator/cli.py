"""`bulletin` command line: check, build, serve, new.

Exit codes: 0 success; 1 content problems (each printed with file, line and a fix);
2 wrong command-line usage; 3 the site builder or PDF renderer failed.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from .errors import ContentError

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_BUILD = 0, 1, 2, 3


def find_root(start: Path) -> Path:
    for folder in [start, *start.parents]:
        if (folder / "mkdocs.yml").exists() and (folder / "content").is_dir():
            return folder
    return start


def cmd_check(args) -> int:
    from .pipeline import checked_content

    content = checked_content(args.root)
    print(f"检查通过：{len(content.stories)} 篇稿件，{len(content.issues)} 期简报，"
          f"{len(content.centers)} 个质控中心。")
    return EXIT_OK


def cmd_build(args) -> int:
    from .pipeline import generate
    from .publish import build_mkdocs, index_search, source_date_epoch, swap_in

    root: Path = args.root
    started = time.perf_counter()
    generated = generate(root, pdf=not args.no_pdf)
    tmp = root / "build" / "site.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        for step in generated.site.extra.get("publish_steps", []):
            step(root, tmp, args)
        build_mkdocs(root / "mkdocs.yml", tmp, source_date_epoch(generated.latest_date))
        index_search(tmp)
    except Exception as exc:  # the site builder's own failure: report it, keep the old site
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"构建失败，原有 site/ 保持不变：{exc}", file=sys.stderr)
        return EXIT_BUILD
    out = Path(args.site_dir) if args.site_dir else root / "site"
    swap_in(tmp, out)
    print(f"已生成网站：{out}（{generated.stats['pages']} 页，{time.perf_counter() - started:.1f} 秒）")
    return EXIT_OK


def cmd_serve(args) -> int:
    from mkdocs.commands.serve import serve

    from .pipeline import generate

    generate(args.root, preview=True)
    serve(config_file=str(args.root / "mkdocs.yml"), dev_addr=args.dev_addr, livereload=True)
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="bulletin",
        description="质控简报 publisher：检查内容、构建网站与 PDF、本地预览、新建稿件。",
        epilog="退出码：0 成功；1 内容有误（逐条列出文件、行号和改法）；2 命令用法错误；3 构建工具失败。",
    )
    p.add_argument("--root", type=Path, default=None, help="项目根目录（默认：向上查找 mkdocs.yml）")
    sub = p.add_subparsers(dest="command", required=True, metavar="命令")
    c = sub.add_parser("check", help="检查全部内容，不生成网站；一次列出所有问题")
    c.set_defaults(func=cmd_check)
    b = sub.add_parser("build", help="构建公开网站（含 PDF 与搜索索引）到 site/")
    b.add_argument("--site-dir", default=None, help="输出目录（默认 site/）")
    b.add_argument("--no-pdf", action="store_true", help="不生成 PDF（更快，仅用于调试）")
    b.set_defaults(func=cmd_build)
    s = sub.add_parser("serve", help="本地预览（含未公开内容，带“未公开”标记），修改后自动刷新")
    s.add_argument("--dev-addr", default="127.0.0.1:8000", help="预览地址（默认 127.0.0.1:8000）")
    s.set_defaults(func=cmd_serve)
    for extend in EXTENSIONS:
        extend(sub)
    return p


EXTENSIONS: list = []  # other modules add subcommands (e.g. `new`) here


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    args.root = (args.root or find_root(Path.cwd())).resolve()
    try:
        return args.func(args)
    except ContentError as exc:
        print(exc.report(), file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
