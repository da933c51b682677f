"""`python -m generator.system setup [package | command:package …]`: the Debian packages and fonts
a build needs, plus the extra packages named; `python -m generator.system deploy [SITE]`: SITE
(default site/) to the web server named in DEPLOY_* (see deploy.sh)."""
from __future__ import annotations

import os
import subprocess
import sys

from generator.system import COMPACT_FONTS, DEPLOY_SCRIPT, SETUP_SCRIPT


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("setup", "deploy"):
        print("用法：python -m generator.system setup [Debian 软件包 …] | deploy [网站文件夹]", file=sys.stderr)
        return 2
    script = SETUP_SCRIPT if argv[0] == "setup" else DEPLOY_SCRIPT
    # The scripts are package data: run them with bash, whatever mode the installer left them in.
    env = {**os.environ, "PYTHON": sys.executable, "COMPACT_FONTS": str(COMPACT_FONTS)}
    return subprocess.run(["bash", str(script), *argv[1:]], env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
