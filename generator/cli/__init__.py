"""`bulletin` command line: check, build, serve, view, new, import (the commands; the stages do the work).

Exit codes:
  0  success;
  1  content problems: every problem is printed at once, with file, line and a fix, in Chinese;
  2  wrong command-line usage (unknown command or option, `new` given an unknown id or asked to
     overwrite an existing file);
  3  the site builder, search indexer or PDF renderer failed, or an unexpected internal error
     (a short message, no traceback; `bulletin --debug …` shows the traceback).
A failed build (1 or 3) leaves the previous site/ exactly as it was.
"""
from __future__ import annotations

import argparse
import errno
import fcntl
import os
import secrets
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from generator.cli import argparse_zh
from generator.cli.importing import add_import_command
from generator.cli.init import add_init_command
from generator.cli.new import add_new_command
from generator.cli.office_repo import add_upgrade_command
from generator.problems import EXIT_BUILD, EXIT_CODES_HELP, EXIT_CONTENT, EXIT_OK, EXIT_USAGE, ContentError, UsageError
from generator.site.engine import ENGINES

RAW = argparse.RawDescriptionHelpFormatter
argparse_zh.install()


def find_root(start: Path) -> Path:
    for folder in [start, *start.parents]:
        if (folder / "mkdocs.yml").exists() and (folder / "content").is_dir():
            return folder
    return start


def cmd_check(args) -> int:
    from generator.pipeline import checked_content

    content = checked_content(args.root)
    print(f"检查通过：{len(content.stories)} 篇稿件，{len(content.issues)} 期简报，{len(content.notices)} 份通报，"
          f"{len(content.centers)} 个质控中心。")
    return EXIT_OK


def cmd_build(args) -> int:
    from generator.pipeline import generate
    from generator.publish import recover_site, unsafe_site_dir

    root: Path = args.root
    started = time.perf_counter()
    out = Path(args.site_dir).resolve() if args.site_dir else root / "site"
    if why := unsafe_site_dir(root, out):
        raise UsageError(f"不能把网站生成到 {out}：{why}。请用 --site-dir 指定一个单独的文件夹，如 site/")
    with build_lock(root):
        recover_site(out)
        generated = generate(root, pdf=not args.no_pdf)
        return _publish(args, root, out, generated, started)


def _publish(args, root: Path, out: Path, generated, started: float) -> int:
    from generator.publish import build_site

    # Beside site/ (the final rename never crosses disks), named for this build alone.
    tmp = out.with_name(f"{out.name}.tmp-{os.getpid()}-{secrets.token_hex(3)}")
    try:
        build_site(root, tmp, out, generated, args.engine)
    except PermissionError:
        raise  # main() names the file, in Chinese
    except Exception as exc:  # the site builder's own failure: report it, keep the old site
        if args.debug:
            raise
        print(f"构建失败，原有 site/ 保持不变：{_short(exc)}", file=sys.stderr)
        return EXIT_BUILD
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # gone after success too: swap_in renamed it
    print(f"已生成网站：{out}（{generated.stats['pages']} 页，{time.perf_counter() - started:.1f} 秒）")
    view = "bulletin view" + (f" --site-dir {args.site_dir}" if args.site_dir else "")
    print(f"在本机查看：运行 {view}（或 make view），用浏览器打开它显示的地址。"
          "直接双击 site/index.html 看到的不是网站本来的样子（会出现文件夹列表）。")
    return EXIT_OK


def cmd_view(args) -> int:
    from generator.load.content import Content, load_site
    from generator.site.view import base_path, host_port, serve_site

    host_port(args.dev_addr)  # a wrong address is said first
    site = Path(args.site_dir).resolve() if args.site_dir else args.root / "site"
    if not (site / "index.html").is_file():
        raise UsageError(f"还没有生成公开网站（{site} 里没有 index.html）：先运行 bulletin build（或 make site）")
    content = Content(root=args.root)
    load_site(args.root, content)  # the public address decides the path the site lives under
    try:
        serve_site(site, args.dev_addr, base_path(content.site.url))
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        raise UsageError(f"地址 {args.dev_addr} 已被占用；换一个端口，例如 bulletin view --dev-addr 127.0.0.1:8002") from exc
    return EXIT_OK


@contextmanager
def build_lock(root: Path):
    """One build per project at a time: they share build/ and site/. The lock is on the project
    folder itself (flock on its descriptor), so nothing is written for it and it is released
    when the process ends, however it ends."""
    fd = os.open(root, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("另一个 bulletin build 正在这个项目里运行；等它结束后再继续……", file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def cmd_serve(args) -> int:
    from generator.edited import show_edit
    from generator.pipeline import generate_preview, preview_config, publication_day
    from generator.site.preview import serve_preview, stop_on_signals

    stop_on_signals()  # from the start: decap-server is started before the preview
    try:
        if args.edit:
            from generator.site import editor

            with editor.decap_server(args.root) as api:
                admin = editor.admin_app(args.root, api)
                editor.announce(api, args.dev_addr)
                serve_preview(args.root, preview_config(args.root), generate_preview, args.dev_addr, day=publication_day,
                              apps=lambda path: admin if editor.is_admin(path) else None, quick=show_edit)
        else:
            serve_preview(args.root, preview_config(args.root), generate_preview, args.dev_addr, day=publication_day,
                          quick=show_edit)  # only changed pages built, an edited story's first (see preview.py)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        raise UsageError(f"预览地址 {args.dev_addr} 已被占用（可能已经有一个预览在运行）；"
                         "换一个端口，例如 bulletin serve --dev-addr 127.0.0.1:8001") from exc
    return EXIT_OK


def _short(exc: BaseException, limit: int = 300) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= limit else text[:limit] + "…"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="bulletin",
        description="质控简报 publisher：检查内容、构建网站与 PDF、本地预览、在本机查看公开网站、新建稿件、导入往期文件。",
        epilog=EXIT_CODES_HELP, formatter_class=RAW,
    )
    p.add_argument("--root", type=Path, default=None, help="项目根目录（默认：向上查找 mkdocs.yml）")
    p.add_argument("--debug", action="store_true", help="出错时显示 Python 的详细出错信息（给技术人员看）")
    sub = p.add_subparsers(dest="command", required=True, metavar="命令")
    c = sub.add_parser("check", help="检查全部内容，不生成网站；一次列出所有问题",
                       description="检查 content/ 与 bulletins/ 下的全部文件，一次列出所有问题（文件:行号、问题、怎么改），不写任何文件。",
                       epilog=EXIT_CODES_HELP, formatter_class=RAW)
    c.set_defaults(func=cmd_check)
    b = sub.add_parser("build", help="构建公开网站（含 PDF 与搜索索引）到 site/",
                       description="先检查内容，再生成公开网站、PDF 和搜索索引；全部成功后才替换 site/。未公开的内容不会出现在网站上。",
                       epilog=EXIT_CODES_HELP, formatter_class=RAW)
    b.add_argument("--site-dir", default=None, help="输出目录（默认 site/）")
    b.add_argument("--no-pdf", action="store_true", help="不生成 PDF 和 Word 文件（更快，仅用于调试）")
    b.add_argument("--engine", choices=ENGINES, default="mkdocs",
                   help="网站构建引擎：mkdocs（默认）或 zensical（MkDocs 作者的后继工具，读取同一配置）")
    b.set_defaults(func=cmd_build)
    s = sub.add_parser("serve", help="本地预览（含未公开内容，带“未公开”标记），修改后自动刷新",
                       description="在本机浏览器预览网站；草稿、审核中和未到发布日期的内容也会显示，并标注“未公开”。",
                       epilog=EXIT_CODES_HELP, formatter_class=RAW)
    s.add_argument("--dev-addr", default="127.0.0.1:8000", help="预览地址（默认 127.0.0.1:8000）")
    s.add_argument("--edit", action="store_true",
                   help="同时打开网页表单编辑器（预览地址后加 /admin/，如 http://127.0.0.1:8000/admin/；先运行 make setup）")
    s.set_defaults(func=cmd_serve)
    v = sub.add_parser("view", help="在本机查看已生成的公开网站 site/（发布后读者看到的样子）",
                       description="把 bulletin build 生成的 site/ 在本机按网站发布时的地址提供浏览（不含未公开内容，不显示文件夹列表）。"
                                   "先运行 bulletin build（或 make site）。",
                       epilog=EXIT_CODES_HELP, formatter_class=RAW)
    v.add_argument("--dev-addr", default="127.0.0.1:8001", help="本机地址（默认 127.0.0.1:8001，与预览的 8000 错开）")
    v.add_argument("--site-dir", default=None, help="网站目录（默认 site/）")
    v.set_defaults(func=cmd_view)
    add_new_command(sub)
    add_import_command(sub)
    add_init_command(sub)
    add_upgrade_command(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2), already printed by argparse
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    args.root = (args.root or find_root(Path.cwd())).resolve()
    if args.command != "init" and not (args.root / "content").is_dir():  # init makes a new one
        print(f"找不到内容文件夹 {args.root / 'content'}：请在项目文件夹里运行，或用 --root 指定项目根目录。",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        return args.func(args)
    except ContentError as exc:
        print(exc.report(debug=args.debug), file=sys.stderr)
        return EXIT_CONTENT
    except UsageError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except PermissionError as exc:  # a read-only site/ or build/: say which, in Chinese
        if args.debug:
            raise
        kept = "原有 site/ 保持不变；" if args.command == "build" else ""
        print(f"无法写入“{exc.filename or ''}”：没有写入权限。{kept}请检查这个文件或文件夹的权限"
              f"（或用 --site-dir 换一个输出文件夹）后重试。", file=sys.stderr)
        return EXIT_BUILD
    except Exception as exc:  # never a traceback for editors; --debug shows it for developers
        if args.debug:
            raise
        kept = "（原有 site/ 保持不变）" if args.command == "build" else ""
        print(f"内部错误，命令未完成{kept}：{_short(exc)}\n"
              "内容检查没有发现问题时，请把这条信息发给技术人员；加 --debug 可显示详细信息。", file=sys.stderr)
        return EXIT_BUILD


if __name__ == "__main__":
    sys.exit(main())
