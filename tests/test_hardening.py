"""Hostile files: XML that tries to read local files or blow up, ids and file names that try to leave the output
folder, and the command line's promise of one clean line per error (exit 2 for input, 1 for internal errors)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import toolkit.reader
from toolkit.cli import main
from toolkit.errors import ConfigError, DecodeError, PolicykitError, StructureError, ValidationError
from toolkit.reader import read_bytes
from toolkit.sources import is_safe_id, load_sources

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "zjzbf-2024-21.txt"
SAFE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
AKN = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


# --- XML -------------------------------------------------------------------------------------------------

@pytest.fixture
def secret(tmp_path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    return path


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE akomaNtoso [<!ENTITY e SYSTEM "file://{secret}">]>',  # external entity (XXE)
    '<!DOCTYPE akomaNtoso SYSTEM "file://{secret}">',  # external DTD
    '<!DOCTYPE akomaNtoso [<!ENTITY % p SYSTEM "file://{secret}"> %p;]>',  # parameter entity
    '<!DOCTYPE akomaNtoso [<!ENTITY e SYSTEM "http://127.0.0.1:9/x">]>',  # network
])
def test_validate_never_expands_external_entities(tmp_path, secret, doctype):
    xml = tmp_path / "evil.xml"
    xml.write_text(f'<?xml version="1.0"?>\n{doctype.format(secret=secret)}\n'
                   f'<akomaNtoso xmlns="{AKN}"><act name="x">&e;</act></akomaNtoso>\n', encoding="utf-8")
    result = run("validate", xml)
    assert result.exit_code == 2
    assert "TOP-SECRET" not in result.output
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith(f"{xml}:") and ": 错误: " in lines[0]
    assert "Traceback" not in result.output


def test_validate_refuses_an_entity_bomb(tmp_path):
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {n} "{("&" + p + ";") * 10}">' for p, n in zip("abcdefgh", "bcdefghi"))
    xml = tmp_path / "bomb.xml"
    xml.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE akomaNtoso [{entities}]>\n'
                   f'<akomaNtoso xmlns="{AKN}"><act name="x">&i;</act></akomaNtoso>\n', encoding="utf-8")
    result = run("validate", xml)
    assert result.exit_code == 2 and ": 错误: " in result.stderr
    assert "aaaaaaaaaa" not in result.output


# --- ids and file names -----------------------------------------------------------------------------------

def test_a_hostile_file_name_gives_a_safe_id_and_no_directory():
    text = SEED.read_text(encoding="utf-8").replace("浙政办发〔2024〕21号\n", "")
    doc = read_bytes(text.encode("utf-8"), "../../etc/Passwd  ..\\..\\x.txt")
    assert SAFE.fullmatch(doc.id) and doc.id == "passwd-x"
    assert "/" not in doc.provenance.source_file and ".." not in doc.id


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(name=st.text(max_size=40), code=st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
                                                min_size=1, max_size=6),
       serial=st.integers(0, 10 ** 9 - 1), with_number=st.booleans())
def test_every_document_id_is_a_safe_path_segment(name, code, serial, with_number):
    head = f"{code}〔2024〕{serial}号\n\n" if with_number else ""
    doc = read_bytes(f"{head}关于测试的通知\n\n一、总则。\n".encode("utf-8"), name or "x")
    assert SAFE.fullmatch(doc.id), doc.id
    assert is_safe_id(doc.id)


@pytest.mark.parametrize("bad_id", ["../escape", "a/b", "zjz\n", "ZJZ", "-x", "x--y", ""])
def test_manifest_ids_that_could_leave_the_output_folder_are_refused(tmp_path, bad_id):
    src = tmp_path / "source"
    src.mkdir()
    shutil.copy(SEED, src / "a.txt")
    escaped = bad_id.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')
    (src / "manifest.toml").write_text(f'[[document]]\nid = "{escaped}"\n[[document.version]]\nfile = "a.txt"\n'
                                       'version = "2024-06-06"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="id"):
        load_sources(src)


@pytest.mark.parametrize("file_name", ["../a.txt", "/etc/passwd", "sub/../../a.txt"])
def test_manifest_files_outside_the_source_folder_are_refused(tmp_path, file_name):
    src = tmp_path / "source"
    src.mkdir()
    shutil.copy(SEED, tmp_path / "a.txt")
    (src / "manifest.toml").write_text(f'[[document]]\n[[document.version]]\nfile = "{file_name}"\n'
                                       'version = "2024-06-06"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="inside the source folder"):
        load_sources(src)


# --- one error hierarchy, one line, the right exit code -------------------------------------------------------

def test_every_user_facing_error_is_a_policykit_error_with_a_location():
    for cls in (DecodeError, StructureError, ValidationError, ConfigError):
        err = cls("something is wrong", "a.txt", 3, 7)
        assert isinstance(err, PolicykitError) and err.exit_code == 2
        assert str(err).splitlines()[0] == "a.txt:3:7: 错误: something is wrong"
    assert str(ConfigError("bad option")) == "<input>: 错误: bad option"
    assert str(DecodeError("empty", "a.txt")) == "a.txt: 错误: empty"


def test_an_internal_error_is_one_line_exit_1_and_debug_shows_the_traceback(monkeypatch):
    def broken(path):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(toolkit.reader, "read_path", broken)
    result = run("parse", SEED)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "policykit: internal error: ZeroDivisionError: division by zero "
        "(run with --debug for the traceback, and please report it)"]
    assert "Traceback" not in result.output
    debug = run("--debug", "parse", SEED)
    assert debug.exit_code == 1
    assert "Traceback (most recent call last)" in debug.stderr and 'raise ZeroDivisionError' in debug.stderr
    assert debug.stderr.strip().splitlines()[-1].startswith("policykit: internal error: ZeroDivisionError")


def test_an_input_error_with_debug_still_exits_2_and_shows_the_trace(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run("parse", empty)
    assert result.exit_code == 2 and result.stderr == f"{empty}: 错误: 文件是空的：没有可读的文字\n"
    debug = run("--debug", "parse", empty)
    assert debug.exit_code == 2 and "Traceback" in debug.stderr and "DecodeError" in debug.stderr


@pytest.mark.parametrize("content", [b"\xff\xfe\x00\x00garbage", b"\x00" * 100, b"   \n\t\n", b"--- \n***\n"])
def test_undecodable_or_empty_input_is_the_only_fatal_input(tmp_path, content):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = run("parse", path)
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith(f"{path}")


def test_a_gap_and_an_unclosed_bracket_still_give_a_published_document(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("(三)招引发展新增量", "(五)招引发展新增量", 1).replace("省科技厅、省数据局)", "省科技厅、省数据局", 1)
    path = tmp_path / "damaged.txt"
    path.write_text(text, encoding="utf-8")
    result = run("parse", path)
    assert result.exit_code == 0
    assert '"code": "numbering-gap"' in result.stdout and '"code": "unclosed-bracket"' in result.stdout


def test_a_reader_that_closes_the_pipe_is_not_an_internal_error(tmp_path):
    """`policykit check big.txt | head -1`: the broken pipe ends the command quietly (141, as SIGPIPE would)."""
    import subprocess
    import sys

    many = tmp_path / "many.txt"
    many.write_text("标题\n\n" + "\n\n".join("（一）内容（未闭合" for _ in range(50_000)), encoding="utf-8")
    command = [sys.executable, "-c", "from toolkit.cli import main; main()", "check", str(many)]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline().startswith(str(many).encode())
    proc.stdout.close()
    stderr = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=120) == 141
    assert "internal error" not in stderr and "Traceback" not in stderr and "Exception ignored" not in stderr
