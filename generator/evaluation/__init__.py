"""The evaluation engine, pure: no files, no markup.

grading.py      schemes, tiers, rounds; grades from scores by the published rule
checks.py       what is wrong with a round or a scheme (Findings located by field path)
history.py      flags across years (连续2年不合格 …), derived, never typed
notice_text.py  the notice's sentences generated from a round ({{ 评估结果 }})
series.py       one series' rounds and facts as loaded
"""
