"""What a machine needs around the pipeline, shipped in the package so that an office's own
repository (made by `bulletin init`) has it too: `python -m generator.system setup|deploy`.

    setup-system.sh   Debian packages and fonts a build needs (only what is missing), and the
                      compact print fonts made once with compact_fonts.py
    compact_fonts.py  the compact print copies of FandolFang and FandolKai (fontTools)
    deploy.sh         site/ copied to an office's own web server over SSH (rsync or scp)
"""
from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
SETUP_SCRIPT = HERE / "setup-system.sh"
DEPLOY_SCRIPT = HERE / "deploy.sh"
COMPACT_FONTS = HERE / "compact_fonts.py"
