"""Issue 11, gating: evaluation rounds and facts are published like stories (status, publish_date).

A published notice that prints a round nobody may see yet is a check error at its `evaluation`
line (file:line, Chinese, what to write instead); a draft notice may refer to a draft round; a
future round the notice waits for is fine. What reaches the site is in test_disclosure.py.
"""
from __future__ import annotations

import datetime as dt

import pytest
from test_bad_input import Case, both, replace, run

from generator.assemble import assemble
from generator.load import load_content

ROUND = "content/evaluations/guangxi-notices/2024.yml"
FACTS = "content/evaluations/guangxi-notices/facts.yml"
NOTICE = "content/notices/guangxi-notices/2025-15.md"
EVALUATION_LINE = 10  # `evaluation: guangxi-notices/2024` in the notice

CASES = [
    Case("notice-on-draft-round", replace(ROUND, "year: 2024\n", "year: 2024\nstatus: draft\n"),
         f"{NOTICE}:{EVALUATION_LINE}", "通报已发布，但它引用的评估年度“guangxi-notices/2024”还是草稿（draft）"),
    Case("notice-on-review-round", replace(ROUND, "year: 2024\n", "year: 2024\nstatus: review\n"),
         f"{NOTICE}:{EVALUATION_LINE}", "还是待审（review）：通报会把未公开的评估结果印出来"),
    Case("notice-before-its-round", replace(ROUND, "year: 2024\n", "year: 2024\npublish_date: 2099-01-01\n"),
         f"{NOTICE}:{EVALUATION_LINE}", "“guangxi-notices/2024”要到 2099-01-01 才公开"),
    Case("notice-scheduled-before-its-round",
         both(replace(ROUND, "year: 2024\n", "year: 2024\npublish_date: 2099-01-01\n"),
              replace(NOTICE, "date: 2025-08-25\n", "date: 2025-08-25\npublish_date: 2098-12-31\n")),
         f"{NOTICE}:{EVALUATION_LINE + 1}", "要到 2099-01-01 才公开"),
    Case("round-status-unknown", replace(ROUND, "year: 2024\n", "year: 2024\nstatus: 公开\n"),
         f"{ROUND}:", "status"),
    Case("fact-publish-date-typo", replace(FACTS, "    years: [2022, 2023]\n", "    years: [2022, 2023]\n    publish_date: 2024-13-01\n"),
         f"{FACTS}:6", "publish_date"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_gating_problem_is_reported_exactly(project, capsys, case):
    case.mutate(project)
    for command in (["check"], ["build", "--no-pdf"]):
        code, output = run(project, capsys, *command)
        assert code == 1, output
        line = next((li for li in output.splitlines() if case.message in li and case.where in li), output)
        assert line.startswith(case.where) and "错误：" in line, output
        assert "怎么改：" in output and "Traceback" not in output
    assert not (project / "site").exists()


def test_a_notice_may_wait_for_its_round(project, capsys):
    """A notice scheduled on or after its round's day, and a draft notice on a draft round, pass."""
    replace(ROUND, "year: 2024\n", "year: 2024\npublish_date: 2099-01-01\n")(project)
    replace(NOTICE, "date: 2025-08-25\n", "date: 2025-08-25\npublish_date: 2099-01-01\n")(project)
    assert run(project, capsys, "check")[0] == 0
    replace(ROUND, "publish_date: 2099-01-01\n", "status: draft\n")(project)
    replace(NOTICE, "publish_date: 2099-01-01\n", "status: draft\n")(project)
    code, output = run(project, capsys, "check")
    assert code == 0, output


def test_gated_rounds_and_facts_leave_the_public_model(project):
    replace(ROUND, "year: 2024\n", "year: 2024\nstatus: draft\n")(project)
    replace(FACTS, "    years: [2022, 2023]\n", "    years: [2022, 2023]\n    publish_date: 2099-01-01\n")(project)
    replace(NOTICE, "date: 2025-08-25\n", "date: 2025-08-25\nstatus: draft\n")(project)
    content = load_content(project)
    today = dt.date(2026, 1, 1)
    public = assemble(content, content.site, today)
    histories = {c.center.id: [h.year for h in c.history] for c in public.centers}
    assert all("2024" not in years for years in histories.values())
    assert all("2022 或 2023" not in years for years in histories.values())
    assert public.notices == []
    preview = assemble(content, content.site, today, preview=True)
    assert "2024" in {h.year for c in preview.centers for h in c.history}
    assert preview.notices[0].annex  # the preview shows the draft round
