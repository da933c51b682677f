"""Writers: imported documents → content files in the format of docs/CONTENT.md.

Every file is created with mode "x": an existing file is never overwritten. Everything an import
writes is `status: review`, so nothing imported is public before an editor has looked at it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml


def scalar(value) -> str:
    """One YAML value on one line, quoted only when YAML needs it (safe_dump decides)."""
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    text = yaml.safe_dump(value, allow_unicode=True, width=10**9, default_flow_style=True)
    return text.removesuffix("\n").removesuffix("\n...").strip()


def block_scalar(text: str, indent: str = "  ") -> str:
    """A literal block (`|`) for long Chinese text such as the 按语: readable and diff-friendly."""
    lines = text.strip("\n").split("\n")
    return "|\n" + "\n".join(f"{indent}{line}" if line else "" for line in lines)


def front_matter(fields: list[tuple[str, object]], comments: dict[str, str] | None = None) -> str:
    out = ["---"]
    for key, value in fields:
        if value is None or value == []:
            continue
        if comments and key in comments:
            out.append(f"# {comments[key]}")
        out.append(f"{key}: {scalar(value)}")
    out.append("---")
    return "\n".join(out) + "\n"


@dataclass
class Written:
    root: Path
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # existed already: left as it was

    def create(self, rel: str, text: str) -> bool:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("x", encoding="utf-8", newline="\n") as f:
                f.write(text)
        except FileExistsError:
            self.skipped.append(rel)
            return False
        self.created.append(rel)
        return True


def free_slug(root: Path, folders: list[str], wanted: str, taken: set[str]) -> str:
    """`wanted`, or `wanted-2`, `wanted-3`… so that no file in `folders` and no slug in `taken` clashes."""
    slug, n = wanted, 1
    while slug in taken or any((root / folder / f"{slug}.md").exists() for folder in folders):
        n += 1
        slug = f"{wanted}-{n}"
    taken.add(slug)
    return slug
