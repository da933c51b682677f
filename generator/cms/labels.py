"""Chinese labels and hints of the form editor's fields, by field name (model-specific first).

The field list itself comes from the pydantic models (config.py); this file only names them for
editors, with the wording of docs/CONTENT.md and the editor's guide.
"""
from __future__ import annotations

from generator.load.choices import CHOICES  # the words check's messages use too

LABELS = {
    "title": "标题", "title_lines": "标题分行", "center": "供稿质控中心", "partners": "合作质控中心",
    "date": "日期", "issue": "所属期", "status": "状态", "publish_date": "公开日期", "body": "正文",
    "story": "对应稿件", "author": "点评作者", "series": "系列", "year": "年份", "quarter": "季度",
    "month": "月份", "number": "年内期号", "total_number": "总期号", "preface": "按语",
    "sections": "栏目与稿件顺序", "stories": "稿件（按刊印顺序）", "closing": "报尾（覆盖系列设置）",
    "published_later": "晚于本期公开的稿件", "pdf_will_change": "接受届时 PDF 改变",
    "wechat": "微信公众号行", "report_to": "报", "send_to": "送", "distribute_to": "分送", "contribution": "投稿方式",
    "address": "投稿地址", "phone": "电话", "email": "邮箱", "labels": "报尾各行的字样",
    "Section.title": "栏目标题", "Issue.title": "专刊标题", "Issue.date": "印发日期", "Notice.date": "成文日期",
    "id": "编号", "name": "名称", "short_name": "简称", "level": "级别", "region": "地区", "province": "省份",
    "city": "城市（市级中心）", "specialty": "专业", "host": "挂靠单位", "aliases": "别名",
    "kind": "类型", "publisher": "编发单位", "issuer_mark": "发文机关标志（每行一项）", "doc_prefix": "发文字号前缀",
    "signer": "落款", "addressees": "主送机关", "description": "简介", "printer": "印发机关",
    "sealed": "加盖印章的署名版式", "toc_min_stories": "少于几篇不印目录", "period_format": "期次格式",
    "doc_number": "发文字号", "prefix": "前缀", "note": "附注", "copy_to": "抄送",
    "print_date": "印发日期", "evaluation": "评估年度", "attachments": "附件名称",
    "topic": "主题分类", "index_no": "索引号", "annex_columns": "附件表格的列",
    "copyright": "页脚版权行", "url": "公开网址", "editing": "网页表单编辑",
    "partial": "只有部分中心的结果", "scheme": "评分方案", "areas": "评估内容", "max": "满分",
    "bonus_max": "加分上限", "total_max": "满分（含加分）", "tiers": "等次", "grade": "等次", "top": "前（比例）",
    "bottom": "后（比例）", "rest": "其余等次", "fail": "不合格等次", "bottom_grades": "末档等次",
    "rounding": "取整方法", "ties": "并列处理", "evaluated": "参评数量", "excluded": "未参评", "count": "数量",
    "reason": "原因", "centers": "质控中心", "results": "评估结果（按附件顺序）", "scores": "各项得分",
    "area": "评估内容", "score": "得分", "bonus": "加分", "total": "总分", "source": "来源",
    "rectification": "整改要求", "applies_to": "适用等次", "report": "报送材料", "due_text": "期限（原文）",
    "due": "期限日期", "to": "报送单位", "facts": "年份不确定的事实", "years": "可能的年份",
    "backend": "Git 托管平台", "repo": "仓库", "branch": "分支", "base_url": "平台地址（自建时填写）",
    "auth_endpoint": "授权地址", "app_id": "OAuth 应用 ID", "api_root": "API 地址",
    "editorial_workflow": "编辑审核流程（草稿→待审→就绪）",
    "notice": "公布结果的通报", "frequency": "出刊频率",
    "center_candidates": "候选质控中心（导入时未能确定）", "figures": "工作量数字", "figure_totals": "数字合计",
    "unit": "单位", "summed": "各篇相加", "print_statistics": "PDF 和 Word 印“本期统计”",
    "wechat_qr": "公众号二维码图片",
}

HINTS = {
    "title": "对仗标题中间留一个空格，如：推进全省同质化管理 提升基层诊疗服务能力",
    "Issue.title": "只有专刊、特刊才写，印在简报名称下面",
    "center": "输入名称、简称或常用缩写（如“儿科”“院感”）查找，保存的是中心编号",
    "date": "写成 2024-09-27",
    "status": "只有“已发布”的内容才会出现在公开网站上（草稿、审核中只在预览中显示）；不选即为已发布",
    "publish_date": "到这一天才公开；不填则保存为已发布后即公开",
    "body": "每段一行；段首小标题用 **加粗**，星号紧贴文字，如 **开展质量督查。**；图片用上方的“插入图片”放进本期 images 文件夹",
    "level": "常用：国家级、省级、自治区级、直辖市级、市级、市州级、地市级、县级",
    "id": "小写英文字母、数字和连字符，如 hb-pediatrics；一经使用不要再改",
    "period_format": "可用 {year} {quarter} {month} {number} {total_number}，如 {year}年第{number}期（总第{total_number}期）",
    "preface": "印在“按：”之后，不必再写“按：”",
    "stories": "拖动调整顺序；只列出本系列已有的稿件",
    "top": "写成 10% 或 0.1（累计比例）",
    "bottom": "写成 10% 或 0.1（累计比例）",
    "year": "与文件名一致",
    "note": "原来写在 # 注释里的说明请写在这里：表单保存时不保留注释",
    "source": "这条结果的出处，如文号、附件序号",
    "evaluation": "写成 系列编号/年份，如 notices/2024",
    "aliases": "文中用到的其他名称",
    "center_candidates": "导入往期时署名对得上几个中心才有；选定后把中心填到“供稿质控中心”，清空这一项",
    "figures": "只写系列中声明过的数字名称，如 培训人次",
    "summed": "各中心可能重复计数的（如涉及医疗机构数）不勾选：不相加，合计写在期的“数字合计”里",
    "wechat_qr": "路径从 content/ 算起，如 images/公众号二维码.png（PNG 或 JPG）",
    "notice": "没有通报引用本年度时，写公布它的通报：通报系列/文件名，或发文字号",
}


# A mapping {name: number} edited as pairs: what the name and the number are called.
PAIRS = {"scores": ("评估内容", "得分"), "figures": ("数字名称（系列中声明的）", "数值"),
         "figure_totals": ("数字名称（系列中声明的）", "合计")}


def pair(name: str) -> tuple[str, str]:
    return PAIRS.get(name, ("名称", "数值"))


def label(model: str, name: str) -> str:
    return LABELS.get(f"{model}.{name}") or LABELS.get(name) or name


def hint(model: str, name: str) -> str | None:
    return HINTS.get(f"{model}.{name}") or HINTS.get(name)


def choices(model: str, name: str) -> dict | None:
    return CHOICES.get((model, name)) or CHOICES.get(name)
