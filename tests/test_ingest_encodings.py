"""Text imports in the encodings Chinese Windows saves: the reference bulletin and notice, saved as
GB18030 (Notepad's "ANSI") and as UTF-16 LE with a BOM (Notepad's "Unicode"), import into exactly
the files the UTF-8 text gives; text that is no Chinese in any of them is refused, nothing written."""
from __future__ import annotations

import codecs
import shutil
from pathlib import Path

import pytest
from conftest import copy_project

from generator.cli import main
from generator.ingest.decode import decode_text
from generator.problems import UsageError

DATA = Path(__file__).parent / "data" / "reference"
BULLETIN = ("hubei-bulletin-2024-q3.txt", ["--series", "hubei-bulletin", "--issue", "2024-q3"])
NOTICE = ("guangxi-evaluation-notice-2025-15.txt", ["--series", "guangxi-notices"])
ENCODINGS = {
    "gb18030": (lambda text: text.encode("gb18030"), "GB18030"),
    "utf-16": (lambda text: codecs.BOM_UTF16_LE + text.replace("\n", "\r\n").encode("utf-16-le"), "UTF-16 LE（带 BOM"),
    "utf-8-bom": (lambda text: codecs.BOM_UTF8 + text.encode("utf-8"), "UTF-8（带 BOM）"),
}


def without_reference(root: Path) -> Path:
    """The project copy without the demo issue and notice the reference texts become."""
    (root / "bulletins" / "hubei-bulletin" / "2024-q3.yml").unlink()
    shutil.rmtree(root / "content" / "stories" / "hubei-bulletin" / "2024-q3")
    shutil.rmtree(root / "content" / "commentary" / "hubei-bulletin" / "2024-q3")
    (root / "content" / "notices" / "guangxi-notices" / "2025-15.md").unlink()
    (root / "content" / "evaluations" / "guangxi-notices" / "2024.yml").unlink()
    return root


def imported(root: Path, source: Path, args: list[str], capsys) -> tuple[dict[str, bytes], str]:
    before = {p for p in root.rglob("*") if p.is_file()}
    code = main(["--root", str(root), "import", str(source), *args])
    out = capsys.readouterr()
    assert code == 0, out.out + out.err
    files = {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file() and p not in before}
    return files, out.out


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return without_reference(copy_project(tmp_path_factory.mktemp("encodings") / "project"))


@pytest.fixture(scope="module")
def from_utf8(base, tmp_path_factory):
    """What the UTF-8 reference texts import into: {document: (files, report)}."""
    root = tmp_path_factory.mktemp("utf8") / "project"
    shutil.copytree(base, root)
    results = {}
    for name, args in (BULLETIN, NOTICE):
        before = {p for p in root.rglob("*") if p.is_file()}
        assert main(["--root", str(root), "import", str(DATA / name), *args]) == 0
        results[name] = {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*")
                         if p.is_file() and p not in before}
    return results


@pytest.mark.parametrize("encoding", list(ENCODINGS))
@pytest.mark.parametrize("document", [BULLETIN, NOTICE], ids=["bulletin", "notice"])
def test_reference_text_in_any_encoding_imports_as_utf8_does(base, from_utf8, tmp_path, capsys, encoding, document):
    name, args = document
    encode, label = ENCODINGS[encoding]
    root = tmp_path / "project"
    shutil.copytree(base, root)
    source = tmp_path / name
    source.write_bytes(encode((DATA / name).read_text(encoding="utf-8")))
    files, report = imported(root, source, args, capsys)
    assert files == from_utf8[name]  # the same files, byte for byte
    assert report.splitlines()[1].startswith(f"文字编码：{label}")
    assert "\ufffd" not in "".join(v.decode("utf-8") for v in files.values())


def test_report_names_utf8(base, tmp_path, capsys):
    root = tmp_path / "project"
    shutil.copytree(base, root)
    _files, report = imported(root, DATA / BULLETIN[0], BULLETIN[1], capsys)
    assert report.splitlines()[1] == "文字编码：UTF-8"


def refused(base: Path, tmp_path: Path, capsys, data: bytes) -> str:
    root = tmp_path / "project"
    shutil.copytree(base, root)
    before = sorted(p for p in root.rglob("*"))
    source = tmp_path / "简报.txt"
    source.write_bytes(data)
    code = main(["--root", str(root), "import", str(source), *BULLETIN[1]])
    out = capsys.readouterr()
    assert code == 2 and "Traceback" not in out.out + out.err
    assert sorted(p for p in root.rglob("*")) == before  # nothing written
    return out.out + out.err


def test_traditional_big5_text_is_refused_not_imported_as_mojibake(base, tmp_path, capsys):
    text = "湖北省醫療質量控制中心——\n加強醫院感染管理，推進質控體系建設。\n" * 20
    message = refused(base, tmp_path, capsys, text.encode("big5"))
    assert "读不出来" in message and "另存为" in message and "UTF-8" in message


def test_binary_file_named_txt_is_refused(base, tmp_path, capsys):
    message = refused(base, tmp_path, capsys, bytes(range(256)) * 40)
    assert "读不出来" in message or "乱码" in message


def test_replacement_characters_are_refused_with_their_line(base, tmp_path, capsys):
    text = (DATA / BULLETIN[0]).read_text(encoding="utf-8").split("\n")
    text[4] = text[4][:3] + "\ufffd\ufffd" + text[4][3:]
    message = refused(base, tmp_path, capsys, "\n".join(text).encode("utf-8"))
    assert "第 5 行" in message and "替换字符" in message


def test_damaged_utf16_is_a_clear_message(base, tmp_path, capsys):
    data = codecs.BOM_UTF16_LE + "湖北省医疗质量控制中心".encode("utf-16-le") + b"\x00\xd8"  # lone surrogate
    message = refused(base, tmp_path, capsys, data)
    assert "UTF-16" in message and "损坏" in message


SAMPLE = "2024年质控工作\r\n"


@pytest.mark.parametrize("data, label", [
    (SAMPLE.encode("gb18030"), "GB18030"),
    (SAMPLE.encode("utf-16-le"), "UTF-16 LE（无 BOM）"),  # the BOM lost: found by the NULs of ASCII
    (SAMPLE.encode("utf-16-be"), "UTF-16 BE（无 BOM）"),
    (codecs.BOM_UTF32_LE + SAMPLE.encode("utf-32-le"), "UTF-32 LE（带 BOM）"),
    (SAMPLE.encode("utf-8"), "UTF-8"),
    (b"", "UTF-8"),
])
def test_decoder_names_the_encoding(data, label):
    decoded = decode_text(data, "x.txt")
    assert decoded.text == SAMPLE * bool(data) and decoded.encoding.startswith(label)


def test_decoder_refuses_latin1():
    with pytest.raises(UsageError):
        decode_text("Qualität und Krankenhäuser - Übersicht für Ärzte".encode("latin-1") * 3, "x.txt")
