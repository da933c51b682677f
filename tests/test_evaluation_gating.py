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
ROUND_2023 = "content/evaluations/guangxi-notices/2023.yml"
FACTS = "content/evaluations/guangxi-notices/facts.yml"
NOTICE = "content/notices/guangxi-notices/2025-15.md"
EVALUATION_LINE = 10  # `evaluation: guangxi-notices/2024` in the notice

CASES = [
    Case("notice-on-draft-round", replace(ROUND, "year: 2024\n", "year: 2024\nstatus: draft\n"),
         f"{NOTICE}:{EVALUATION_LINE}", "通报已发布，但它引用的评估年度“guangxi-notices/2024”还是草稿（draft）"),
    Case("notice-on-review-round", replace(ROUND, "year: 2024\n", "year: 2024\nstatus: review\n"),
         f"{NOTICE}:{EVALUATION_LINE}", "还是审核中（review）：通报会把未公开的评估结果印出来"),
    Case("notice-before-its-round", replace(ROUND, "year: 2024\n", "year: 2024\npublish_date: 2099-01-01\n"),
         f"{NOTICE}:{EVALUATION_LINE}", "“guangxi-notices/2024”要到 2099-01-01 才公开"),
    Case("notice-scheduled-before-its-round",
         both(replace(ROUND, "year: 2024\n", "year: 2024\npublish_date: 2099-01-01\n"),
              replace(NOTICE, "date: 2025-08-25\n", "date: 2025-08-25\npublish_date: 2098-12-31\n")),
         f"{NOTICE}:{EVALUATION_LINE + 1}", "要到 2099-01-01 才公开"),
    Case("round-status-unknown", replace(ROUND, "year: 2024\n", "year: 2024\nstatus: 公开\n"),
         f"{ROUND}:", "status"),
    Case("round-names-unknown-notice",
         replace(ROUND_2023, "notice: guangxi-notices/2025-15", "notice: guangxi-notices/2025-16"),
         f"{ROUND_2023}:6", "评估年度 2023写的公布通报“guangxi-notices/2025-16”不存在"),
    Case("fact-names-unknown-notice",
         replace(FACTS, "notice: guangxi-notices/2025-15", "notice: 桂卫办发〔2025〕51号"),
         f"{FACTS}:8", "写的公布通报“桂卫办发〔2025〕51号”不存在"),
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


def test_unknown_notice_suggests_the_close_one(project, capsys):
    replace(ROUND_2023, "notice: guangxi-notices/2025-15", "notice: guangxi-notices/2025-16")(project)
    code, output = run(project, capsys, "check")
    assert code == 1 and "是不是“guangxi-notices/2025-15”？" in output, output


def test_a_round_naming_one_notice_cited_by_another_is_warned(project, capsys):
    replace(ROUND, "year: 2024\n", "year: 2024\nnotice: guangxi-notices/2025-99\n")(project)
    (project / "content/notices/guangxi-notices/2025-99.md").write_text(
        "---\nseries: guangxi-notices\ndoc_number: {prefix: 桂卫办发, year: 2025, number: 99}\n"
        "title: 另一份通报\naddressees: 各单位\ndate: 2025-09-01\n---\n\n正文。\n", encoding="utf-8")
    code, output = run(project, capsys, "check")
    assert code == 0 and f"{ROUND}:4: 提醒：评估年度 2024写的公布通报是 guangxi-notices/2025-99，" \
        "但引用它的通报是 guangxi-notices/2025-15" in output, output


@pytest.mark.parametrize("gate", ["status: draft\n", "publish_date: 2099-01-01\n"])
def test_grades_wait_for_the_notice_that_discloses_them(project, gate):
    """The demo's notice cites 2024 and is named by 2022, 2023 and the open-year fact: while it is
    a draft or still to come, none of their grades is in the public model (SiteModel.evaluations,
    the centers' histories); the day it is public, all are."""
    replace(NOTICE, "date: 2025-08-25\n", "date: 2025-08-25\n" + gate)(project)
    content = load_content(project)
    today = dt.date(2026, 1, 1)
    public = assemble(content, content.site, today)
    assert [(s, ev.rounds, ev.facts) for s, ev in public.evaluations.items()] == [("guangxi-notices", {}, [])]
    assert not any(c.history for c in public.centers) and public.notices == []
    later = assemble(content, content.site, dt.date(2099, 1, 1))
    shown = later.evaluations["guangxi-notices"]
    if gate.startswith("status"):
        assert shown.rounds == {} and shown.facts == []
    else:
        assert sorted(shown.rounds) == [2022, 2023, 2024] and len(shown.facts) == 1
        history = {c.center.id: [h.year for h in c.history] for c in later.centers}
        assert history["gx-organ-transplant"][-1] == "2022 或 2023"


def test_a_round_no_notice_discloses_follows_its_own_status(project):
    replace(ROUND_2023, "notice: guangxi-notices/2025-15", "# no notice discloses it")(project)
    replace(NOTICE, "date: 2025-08-25\n", "date: 2025-08-25\nstatus: draft\n")(project)
    content = load_content(project)
    public = assemble(content, content.site, dt.date(2026, 1, 1))
    assert sorted(public.evaluations["guangxi-notices"].rounds) == [2023]
