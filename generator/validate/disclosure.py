"""Rules on the notices that disclose evaluation rounds and facts (`notice:`, `evaluation:`).

What is disclosed on a day is decided in assemble/notices.py (`disclosed`); here, that every
notice a round or fact names exists, and that a round does not name one notice while another
cites it.
"""
from __future__ import annotations

from generator.load.content import Content
from generator.problems import Problem
from generator.validate.common import suggest


def _notice_names(content: Content) -> list[str]:
    return sorted({n.id for n in content.notices} | {str(n.doc_number) for n in content.notices})


def named_notices_exist(content: Content) -> list[Problem]:
    problems = []
    for series_id, ev in sorted(content.evaluations.items()):
        gates = [(f"评估年度 {year}", year, g) for year, g in sorted(ev.round_gates.items())]
        gates += [(f"年份未定的事实（{fact.center}）", None, g) for fact, g in ev.gated_facts()]
        for what, year, gate in gates:
            if gate.notice is None:
                continue
            named = content.notice_named(gate.notice)
            if named is None and _unreadable_notice(content, gate.notice):
                continue  # the notice file has problems of its own, reported at its lines
            if named is None:
                problems.append(_unknown(content, what, gate))
                continue
            citing = [n for n in content.notices if year is not None and n.evaluation == f"{series_id}/{year}"]
            others = [n for n in citing if n is not named]
            if others:
                problems.append(Problem(
                    gate.file, gate.notice_line,
                    f"{what}写的公布通报是 {named.id}，但引用它的通报是 {others[0].id}（evaluation:）："
                    "结果在其中任一份公开时就公开",
                    f"删去 notice（由引用它的通报公布），或写 notice: {others[0].id}", warning=True))
    return problems


def _unreadable_notice(content: Content, ref: str) -> bool:
    """`ref` is "<series>/<file name>" of a notice file that exists but did not load."""
    series, _, name = ref.partition("/")
    return bool(name) and "/" not in name and ".." not in ref and \
        (content.root / "content/notices" / series / f"{name}.md").is_file()


def _unknown(content: Content, what: str, gate) -> Problem:
    ids = sorted(n.id for n in content.notices)
    known = f"（现有：{'、'.join(ids[:5])}）" if ids else "（content/notices/ 下还没有通报）"
    hint = (suggest(gate.notice, _notice_names(content)) + "notice 写公布这些结果的通报："
            f"“系列编号/文件名”{known}，或它的发文字号，如 某卫办发〔2025〕15号").strip()
    return Problem(gate.file, gate.notice_line, f"{what}写的公布通报“{gate.notice}”不存在", hint)
