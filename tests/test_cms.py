"""The form editor's mapping (generator/cms): the generated config covers every field of every
content file, and every demo and fixture file opened and saved through the form's formats keeps
its meaning — `check` passes and the loaded models are equal. Runs zk-formats.js under Node, as
the admin page runs it in the browser; the browser itself is tests/test_cms_browser.py."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from benchmarks.editor import link_editor
from benchmarks.project import DEMO, FIXTURES, REPO, copy_project
from generator.cli import main
from generator.cms.config import cms_config, pair_fields
from generator.cms.install import folder, wants_editing
from generator.load import load_content
from generator.load.center_names import ABBREVIATIONS, search_terms
from generator.load.models import Center

FORMATS = REPO / "generator" / "cms" / "admin" / "zk-formats.js"
SCRIPT = Path(__file__).parent / "cms_roundtrip.js"
needs_editor = pytest.mark.usefixtures("form_editor")


def collection_for(cfg: dict, rel: str) -> tuple[dict, list[dict]] | None:
    """The collection (and the fields) a file opens in: a files entry, or the deepest folder."""
    best = None
    for c in cfg["collections"]:
        for f in c.get("files", []):
            if f["file"] == rel:
                return c, f["fields"]
        folder_ = c.get("folder")
        if folder_ and rel.startswith(folder_ + "/") and rel.endswith("." + c["extension"]):
            depth = rel[len(folder_) + 1:].count("/") + 1
            allowed = c.get("path", "{{slug}}").count("/") + 1
            if depth <= allowed and (best is None or len(folder_) > len(best[0]["folder"])):
                best = (c, c["fields"])
    return best


def content_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for name in ("content", "bulletins")
                  for p in (root / name).rglob("*") if p.suffix in (".md", ".yml"))


def open_and_save(root: Path, cfg: dict) -> dict:
    jobs = []
    for rel in content_files(root):
        found = collection_for(cfg, rel)
        assert found, f"{rel}: no collection of the form editor opens this file"
        jobs.append([found[0]["format"], str(root / rel)])
    done = subprocess.run(["node", str(SCRIPT), str(FORMATS), json.dumps(pair_fields())], input=json.dumps(jobs), capture_output=True,
                          text=True, check=True, env={"NODE_PATH": str(folder(REPO) / "node_modules"), "PATH": "/usr/bin:/bin"})
    return json.loads(done.stdout)


def _uncovered(data, fields: list[dict], where: str) -> list[str]:
    """Keys of `data` the form has no field for (they could not be seen or edited)."""
    if not isinstance(data, dict):
        return []
    by_name = {f["name"]: f for f in fields}
    missing = []
    for key, value in data.items():
        if key.startswith("_zk_"):
            continue
        field = by_name.get(key)
        if field is None:
            missing.append(f"{where}{key}")
            continue
        sub = field.get("fields") or (field.get("field") or {}).get("fields")
        if sub and isinstance(value, list):
            for i, item in enumerate(value):
                missing += _uncovered(item, sub, f"{where}{key}.{i}.")
        elif sub and isinstance(value, dict):
            missing += _uncovered(value, sub, f"{where}{key}.")
    return missing


def _meaning(model) -> dict:
    """What a model says (fields and body), not where it was read from (lines)."""
    body = getattr(model, "body", None)
    return {**model.model_dump(), "body": body.strip() if body else body, "slug": getattr(model, "slug", None)}


def _models(root: Path) -> dict:
    c = load_content(root)
    assert not [p for p in c.problems if not p.warning], c.problems[:3]
    by_file = lambda models: {m.file: _meaning(m) for m in models}
    return {
        "site": _meaning(c.site), "series": by_file(c.series), "centers": {x.id: _meaning(x) for x in c.centers},
        "stories": by_file(c.stories), "commentaries": by_file(c.commentaries), "issues": by_file(c.issues),
        "notices": by_file(c.notices), "rounds": {s: (e.rounds, e.facts) for s, e in c.evaluations.items()},
    }


@needs_editor
@pytest.mark.parametrize("source", [DEMO, FIXTURES / "third"], ids=["demo", "third"])
def test_every_file_opened_and_saved_keeps_its_meaning(tmp_path, source):
    root = copy_project(tmp_path / "project", source)
    cfg = cms_config(load_content(root), "http://127.0.0.1:1/api/v1")
    before = _models(root)
    saved = open_and_save(root, cfg)
    uncovered = []
    for path, result in saved.items():
        rel = Path(path).relative_to(root).as_posix()
        uncovered += _uncovered(result["data"], collection_for(cfg, rel)[1], f"{rel}: ")
        Path(path).write_text(result["text"], encoding="utf-8")
    assert not uncovered, uncovered
    assert _models(root) == before
    assert main(["--root", str(root), "check"]) == 0
    assert all("#" not in r["text"].split("\n---\n")[0].replace("#/", "") for r in saved.values())  # comments go


def test_demo_facts_live_in_fields_not_in_comments():
    """What the demo's rounds know about their sources survives the form (which drops comments):
    the annex order, the rounding read from the published counts, the quoted totals."""
    rounds = load_content(DEMO).evaluations["guangxi-notices"].rounds  # year → round
    assert "桂卫办发〔2025〕15号" in rounds[2024].source and "附件" in rounds[2024].source
    for fact in ("附件的序号顺序", "四舍五入", "4/8/23/4", "9 月底前", "累计涉及医疗机构4852个", "委托筹建"):
        assert fact in rounds[2024].note, fact
    assert "不是“合格”" in rounds[2023].note and "facts.yml" in rounds[2022].note


@needs_editor
def test_registry_stays_a_list_and_short_forms_stay_short(tmp_path):
    root = copy_project(tmp_path / "project")
    cfg = cms_config(load_content(root), "http://x/api/v1")
    saved = open_and_save(root, cfg)
    registry = next(r for p, r in saved.items() if p.endswith("centers/hubei.yml"))
    assert isinstance(registry["data"]["centers"], list)  # a mapping the form can hold …
    assert registry["text"].startswith("- id: ")  # … written back as the list every registry is
    assert "region: 湖北省\n" in registry["text"]
    story = next(r for p, r in saved.items() if p.endswith("stories/hubei-bulletin/2024-q3/pediatrics.md"))
    assert "date: 2024-09-27\n" in story["text"] and "**开展儿科质量督查，促进全省儿科同质化管理。**组织" in story["text"]


def test_config_covers_every_kind_of_file_with_chinese_labels():
    content = load_content(DEMO)
    cfg = cms_config(content, "http://127.0.0.1:1/api/v1")
    names = {c["name"] for c in cfg["collections"]}
    assert {"stories", "commentary", "centers", "series", "site", "issues-hubei-bulletin",
            "notices-guangxi-notices", "rounds-guangxi-notices", "facts-guangxi-notices",
            "stories-hubei-bulletin-2024-q3"} <= names
    assert cfg["locale"] == "zh_Hans" and cfg["backend"]["proxy_url"].startswith("http://127.0.0.1:")

    def labels(fields):
        for f in fields:
            yield f["label"]
            yield from labels(f.get("fields", []))
    for c in cfg["collections"]:
        for label in [c["label"], *labels(c.get("fields") or [x for f in c.get("files", []) for x in f["fields"]])]:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in label), (c["name"], label)
    story = {f["name"]: f for f in next(c for c in cfg["collections"] if c["name"] == "stories")["fields"]}
    assert story["center"]["widget"] == "relation" and story["center"]["collection"] == "centers"
    assert story["title"]["required"] and not story["publish_date"]["required"]
    assert [o["label"] for o in story["status"]["options"]] == ["已发布", "审核中", "草稿"]
    new = next(c for c in cfg["collections"] if c["name"] == "stories-hubei-bulletin-2024-q3")
    assert new["folder"] == "content/stories/hubei-bulletin/2024-q3" and new["slug"] == "{{center}}"


def test_abbreviations_find_their_centers():
    """Typing 院感 finds 医院感染…: the search terms the config carries name every abbreviation of
    load/center_names whose words a center's name holds."""
    for short, full in ABBREVIATIONS.items():
        center = Center(id="x-1", name=f"某省{full}质量控制中心", short_name=full, level="省级", region="某省",
                        specialty=full)
        assert short in search_terms(center), short
    content = load_content(DEMO)
    terms = {c.id: search_terms(c) for c in content.centers}
    assert "院感" in terms["hb-infection-control"] and "儿科" in terms["hb-pediatrics"]


def test_series_id_taking_a_reserved_address_is_an_error(tmp_path, capsys):
    root = copy_project(tmp_path / "project")
    shutil.copy(root / "content/series/hubei-bulletin.yml", root / "content/series/admin.yml")
    assert main(["--root", str(root), "check"]) == 1
    err = capsys.readouterr().err
    assert "content/series/admin.yml" in err and "网站自己使用的地址" in err


def _with_editing(root: Path, block: str) -> None:
    site = root / "content/site.yml"
    site.write_text(site.read_text(encoding="utf-8") + "editing:\n" + block, encoding="utf-8")


def test_editing_block_becomes_the_backend_of_the_public_editor(tmp_path):
    root = copy_project(tmp_path / "project")
    _with_editing(root, "  backend: gitlab\n  repo: zkb/web/bulletin\n  base_url: https://git.example.org\n"
                        "  app_id: 1a2b3c\n  editorial_workflow: true\n")
    cfg = cms_config(load_content(root))
    assert cfg["backend"] == {"name": "gitlab", "repo": "zkb/web/bulletin", "branch": "main",
                              "base_url": "https://git.example.org", "app_id": "1a2b3c",
                              "api_root": "https://git.example.org/api/v4", "auth_type": "pkce"}
    assert cfg["publish_mode"] == "editorial_workflow"
    local = cms_config(load_content(root), "http://127.0.0.1:9/api/v1")  # make edit: always the local backend
    assert local["backend"]["name"] == "proxy" and "publish_mode" not in local


@pytest.mark.parametrize("block, says", [
    ("  backend: gitea\n  repo: a/b\n  base_url: https://git.example.org\n  app_id: x\n  editorial_workflow: true\n",
     "Gitea 不支持编辑审核流程"),
    ("  backend: gitlab\n  repo: a/b\n", "要写 app_id"),
    ("  backend: forgejo\n  repo: a/b\n  app_id: x\n", "要写 base_url"),
    ("  backend: gitlab\n  repo: a/b\n  app_id: x\n  base_url: javascript:alert(1)\n", "不是有效的 http(s) 地址"),
], ids=["gitea-workflow", "no-app-id", "forgejo-no-host", "bad-url"])
def test_editing_block_that_cannot_log_in_is_a_check_error(tmp_path, capsys, block, says):
    root = copy_project(tmp_path / "project")
    _with_editing(root, block)
    assert main(["--root", str(root), "check"]) == 1
    err = capsys.readouterr().err
    assert "content/site.yml:" in err and says in err


@needs_editor
def test_public_build_has_the_editor_only_with_editing(tmp_path):
    """The build without `editing:` has no /admin/ (tests/test_cms_browser.py builds one)."""
    root = copy_project(tmp_path / "project")
    _with_editing(root, "  backend: forgejo\n  repo: zkb/bulletin\n  base_url: https://git.example.org\n"
                        "  app_id: 0f1e2d\n")
    link_editor(root)  # this repository's installed Decap, as make setup installs it in a project
    assert main(["--root", str(root), "build", "--no-pdf"]) == 0
    admin = root / "site/admin"
    assert "decap-cms.js" in (admin / "index.html").read_text(encoding="utf-8")
    assert (admin / "decap-cms.js").stat().st_size > 1_000_000
    cfg = json.loads((admin / "config.json").read_text(encoding="utf-8"))
    assert cfg["backend"]["name"] == "forgejo" and cfg["backend"]["api_root"] == "https://git.example.org/api/v1"
    assert "secret" not in json.dumps(cfg).lower() and "local_backend" not in cfg
    page = (admin / "index.html").read_text(encoding="utf-8")
    assert "http" not in page.replace('http-equiv', '')  # nothing loaded from elsewhere


def test_init_writes_the_editing_block_commented_out_and_it_works_once_filled_in(tmp_path, capsys):
    site = tmp_path / "office"
    assert main(["init", str(site), "--office", "某省医疗质量控制中心管理办公室", "--bulletin", "某省医疗质控工作简报",
                 "--commission", "某省卫生健康委员会办公室", "--region", "某省"]) == 0
    yml = site / "content/site.yml"
    text = yml.read_text(encoding="utf-8")
    assert "# editing:\n#   backend: gitlab" in text and "docs/online-editing.md" in text
    assert not wants_editing(site) and load_content(site).site.editing is None  # off until filled in
    filled = text.replace("# editing:", "editing:").replace("#   ", "  ").replace("在平台上登记后得到的应用ID", "9f8e7d")
    yml.write_text(filled, encoding="utf-8")
    assert wants_editing(site)
    capsys.readouterr()
    assert main(["--root", str(site), "check"]) == 0, capsys.readouterr().err
    cfg = cms_config(load_content(site))
    assert cfg["backend"]["name"] == "gitlab" and cfg["backend"]["api_root"] == "https://git.example.org/api/v4"
