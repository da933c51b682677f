"""Compare an imported issue with the demo issue by headline (slugs differ): centers, 点评 and
body sentences after whitespace normalisation."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

SENTENCE_END = re.compile(r"(?<=[。！？；!?])")


def sentences(body: str) -> list[str]:
    flat = re.sub(r"\s+", " ", body).strip()
    return [s.strip() for s in SENTENCE_END.split(flat) if s.strip()]


@dataclass
class Comparison:
    headlines_in_order: int = 0
    centers: int = 0
    commentaries: int = 0
    sentences: int = 0
    sentences_same: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def sentence_share(self) -> float:
        return self.sentences_same / self.sentences if self.sentences else 0.0


def compare_issue(demo, imported, issue_id: str, imported_issue_id: str) -> Comparison:
    """demo/imported: loaded Content; the demo issue's stories in print order vs the imported ones."""
    def ordered(content, iid):
        issue = next(i for i in content.issues if i.id == iid)
        by_slug = {s.slug: s for s in content.stories if s.issue == iid}
        notes = {c.story: c for c in content.commentaries}
        return [(by_slug[slug], notes.get(f"{iid}/{slug}")) for sec in issue.sections for slug in sec.stories]

    want, got = ordered(demo, issue_id), ordered(imported, imported_issue_id)
    result = Comparison()
    for i, (story, note) in enumerate(want):
        if i < len(got) and got[i][0].title == story.title:
            result.headlines_in_order += 1
        match = next(((s, n) for s, n in got if s.title == story.title), None)
        if match is None:
            result.misses.append(f"missing story {story.title}")
            continue
        s2, n2 = match
        result.centers += s2.center == story.center
        if note is not None and n2 is not None and re.sub(r"\s+", "", note.body) == re.sub(r"\s+", "", n2.body):
            result.commentaries += 1
        have = Counter(sentences(s2.body))
        for sentence in sentences(story.body):
            result.sentences += 1
            if have[sentence] > 0:
                have[sentence] -= 1
                result.sentences_same += 1
            else:
                result.misses.append(f"{story.slug}: {sentence[:60]}")
    return result
