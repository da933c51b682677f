"""The words editors see for the stored values of a fixed choice (status: published is 已发布):
the form editor's select boxes (generator/cms/labels.py) and check's messages (load/fields.py)
name them alike. A key is a field name, or (model name, field name) where a model's field means
something else."""
from __future__ import annotations

# The choices editors see instead of the stored values.
CHOICES = {
    "status": {"published": "已发布", "review": "审核中", "draft": "草稿"},
    "kind": {"bulletin": "简报", "notice": "通报"},
    "rounding": {"round_half_up": "四舍五入", "floor": "向下取整", "ceil": "向上取整"},
    "ties": {"include": "并列都计入", "exclude": "并列都不计入"},
    "backend": {"github": "GitHub", "gitlab": "GitLab", "gitea": "Gitea", "forgejo": "Forgejo"},
    "frequency": {"monthly": "月刊", "bimonthly": "双月刊", "quarterly": "季刊", "irregular": "不定期"},
    ("Center", "status"): {"active": "正常运行", "筹建": "筹建"},
}
