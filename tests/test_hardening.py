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
    with pytest.raises(ConfigError, match="必须在源文件夹内"):
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


# --- what source/ may hold: regular files inside it, nothing else ------------------------------------------------

def _source_with(tmp_path) -> Path:
    src = tmp_path / "source"
    src.mkdir()
    shutil.copy(SEED, src / "zjzbf-2024-21.txt")
    return src


@pytest.mark.parametrize("listed", [False, True])
def test_a_symlink_to_a_file_outside_source_is_refused(tmp_path, secret, listed):
    src = _source_with(tmp_path)
    (src / "leak.txt").symlink_to(secret)
    if listed:
        (src / "manifest.toml").write_text('[[document]]\nid = "leak"\n[[document.version]]\nfile = "leak.txt"\n'
                                           'version = "2024-06-06"\n', encoding="utf-8")
    result = run("build", "-q", "--source", src, "--output", tmp_path / "site")
    assert result.exit_code == 2, result.output
    assert "leak.txt" in result.stderr and "源文件夹之外" in result.stderr
    assert not (tmp_path / "site").exists()
    assert "TOP-SECRET" not in result.output


def test_a_symlink_inside_source_is_read(tmp_path):
    src = _source_with(tmp_path)
    (src / "sub").mkdir()
    shutil.move(src / "zjzbf-2024-21.txt", src / "sub" / "real.txt")
    (src / "zjzbf-2024-21.txt").symlink_to(src / "sub" / "real.txt")
    assert [p.name for p in load_sources(src).unlisted] == ["zjzbf-2024-21.txt"]


@pytest.mark.parametrize("kind", ["fifo", "device", "loop", "folder"])
def test_special_files_in_source_are_refused_without_hanging(tmp_path, kind):
    import os

    src = _source_with(tmp_path)
    target = src / "special.txt"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "device":
        target.symlink_to("/dev/zero")
    elif kind == "loop":
        target.symlink_to(src / "special.txt")
    else:
        target.mkdir()
    with pytest.raises(ConfigError) as caught:
        load_sources(src)
    assert "special.txt" in str(caught.value)
    result = run("build", "-q", "--source", src, "--output", tmp_path / "site")
    assert result.exit_code == 2 and "special.txt" in result.stderr and "internal error" not in result.stderr


@pytest.mark.parametrize("kind", ["fifo", "device", "loop"])
def test_parse_and_check_refuse_special_files(tmp_path, kind):
    import os

    path = tmp_path / "special.txt"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path = Path("/dev/zero")
    else:
        path.symlink_to(path)
    for command in ("parse", "check"):
        result = run(command, path)
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith(f"{path}: 错误: ") and "internal error" not in result.stderr


# --- --output: only a folder the build made is replaced ------------------------------------------------------------

def test_an_output_folder_that_only_looks_like_a_build_is_not_deleted(tmp_path):
    out = tmp_path / "mine"
    (out / "data").mkdir(parents=True)
    (out / "data" / "catalog.json").write_text("{}", encoding="utf-8")
    (out / "thesis.tex").write_text("precious", encoding="utf-8")
    result = run("build", "-q", "--source", ROOT / "source", "--output", out)
    assert result.exit_code == 2 and "不是以前的构建结果" in result.stderr
    assert (out / "thesis.tex").read_text(encoding="utf-8") == "precious"


def test_a_folder_the_build_made_is_replaced(tmp_path):
    from toolkit.build import MARKER

    out = tmp_path / "site"
    assert run("build", "-q", "--data-only", "--source", ROOT / "source", "--output", out).exit_code == 0
    assert (out / MARKER).is_file()
    (out / "stale.html").write_text("old", encoding="utf-8")
    assert run("build", "-q", "--data-only", "--source", ROOT / "source", "--output", out).exit_code == 0
    assert not (out / "stale.html").exists() and (out / MARKER).is_file()


# --- -o: unique temp files, removed on every error; the machine's errors in plain words ----------------------------

@pytest.mark.parametrize("command", [["parse", SEED], ["diff", SEED, SEED]])
def test_a_planted_symlink_at_the_old_temp_name_is_not_followed(tmp_path, command):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    out = tmp_path / "out.txt"
    (tmp_path / ".out.txt.tmp").symlink_to(victim)  # the name the temp file used to have
    result = run(*command, "-o", out)
    assert result.exit_code == 0, result.output
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert out.stat().st_size > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.txt.tmp", "out.txt", "victim.txt"]


@pytest.mark.parametrize("command", [["parse", SEED], ["diff", SEED, SEED]])
def test_a_full_disk_leaves_no_temp_file_and_says_so(tmp_path, monkeypatch, command):
    import errno
    import os

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    out = tmp_path / "out.txt"
    result = run(*command, "-o", out)
    assert result.exit_code == 2, result.output
    assert result.stderr == f"{out}: 错误: 无法写入输出：磁盘已满；没有写入任何文件\n"
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_output_folder_is_reported_plainly_by_build(tmp_path, monkeypatch):
    import errno
    import tempfile

    def read_only(*args, dir=None, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(dir))

    monkeypatch.setattr(tempfile, "mkdtemp", read_only)
    result = run("build", "-q", "--data-only", "--source", ROOT / "source", "--output", tmp_path / "site")
    assert result.exit_code == 2, result.output
    assert result.stderr.strip() == (f"{tmp_path}: 错误: 文件系统是只读的"
                                     f"（构建已停止；{tmp_path / 'site'}/ 保持原样）")


def test_other_os_errors_are_still_internal_errors(monkeypatch):
    import errno

    def broken(path):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(toolkit.reader, "read_path", broken)
    result = run("parse", SEED)
    assert result.exit_code == 1 and "internal error: OSError" in result.stderr


# --- manifest: wrong types, bombs and long names are input errors (exit 2, file:line), and fast -------------------

_VERSION = '[[document.version]]\nfile = "a.txt"\nversion = "2024-06-06"\n'
MANIFEST_ATTACKS = {
    "amends a list": ('[[document]]\n' + _VERSION + 'amends = [1]\n', "版本 2024-06-06 的 `amends`", 5),
    "amends a number": ('[[document]]\n' + _VERSION + 'amends = 5\n', "版本 2024-06-06 的 `amends`", 5),
    "relations not tables": ('[[document]]\nrelation = [1, 2]\n' + _VERSION, "关系应写作 [[document.relation]] 表", 2),
    "documents not tables": ('document = [1]\n', "必须是表数组", 1),
    "versions not tables": ('[[document]]\nversion = [1]\n', "至少需要一个带 `file` 和 `version` 的 [[document.version]]", None),
    "relation type a list": ('[[document]]\n' + _VERSION + '[[document.relation]]\ntype = ["a"]\ndoc_number = "x"\n',
                             "关系类型 ['a'] 不是", 6),
    "nested arrays": ('x = ' + '[' * 5000 + ']' * 5000 + '\n', "嵌套过深", None),
    "nested inline tables": ('x = ' + '{a = ' * 5000 + '1' + '}' * 5000 + '\n', "嵌套过深", None),
    "an integer of 5,000 digits": ('[[document]]\nid = ' + '9' * 5000 + '\n' + _VERSION, "数字太长", None),
    "an id of 300 characters": ('[[document]]\nid = "' + 'a' * 300 + '"\n' + _VERSION, "有 300 个字符", 2),
    "a former id of 300 characters": ('[[document]]\nid = "a"\nformer_ids = ["' + 'b' * 300 + '"]\n' + _VERSION,
                                      "最多 100 个字符", 3),
    "50,000 dots in one key": ('x' + '.a' * 50_000 + ' = 1\n', "有 50000 个点", 1),
    "50,000 dotted keys": (''.join(f'x.k{i} = 1\n' for i in range(50_000)), "未知的顶层键：x", 1),
}


@pytest.mark.parametrize("attack", list(MANIFEST_ATTACKS))
def test_a_hostile_manifest_is_an_input_error(tmp_path, attack):
    text, message, line = MANIFEST_ATTACKS[attack]
    src = tmp_path / "source"
    src.mkdir()
    shutil.copy(SEED, src / "a.txt")
    (src / "manifest.toml").write_text(text, encoding="utf-8")
    result = run("build", "-q", "--data-only", "--no-cache", "--source", src, "--output", tmp_path / "site")
    assert result.exit_code == 2, result.output
    first = result.stderr.splitlines()[0]
    where = f"{src / 'manifest.toml'}:{line}:" if line else f"{src / 'manifest.toml'}: "
    assert first.startswith(where) and message in first, first
    assert len(first) < 400 and not (tmp_path / "site").exists()


def test_a_file_name_too_long_for_an_id_is_an_input_error(tmp_path):
    src = tmp_path / "source"
    src.mkdir()
    text = SEED.read_text(encoding="utf-8").replace("浙政办发〔2024〕21号\n", "")
    (src / ("a" * 200 + ".txt")).write_text(text, encoding="utf-8")
    result = run("build", "-q", "--data-only", "--source", src, "--output", tmp_path / "site")
    assert result.exit_code == 2, result.output
    (error,) = [line for line in result.stderr.splitlines() if not line.startswith("警告: ")]
    assert error.startswith(f"{src / ('a' * 200 + '.txt')}: 错误: 由发文字号或文件名得出的文件 id") and "最多 100 个" in error


# --- validate and diff: JSON that no schema check should have to survive ---------------------------------------------

def _seed_json() -> str:
    result = run("parse", SEED)
    assert result.exit_code == 0
    return result.stdout


JSON_ATTACKS = {
    "NaN": (lambda good: good.replace('"line_count": ', '"line_count": NaN, "x": ', 1), "NaN 不是 JSON 数字"),
    "Infinity": (lambda good: good.replace('"line_count": ', '"line_count": -Infinity, "x": ', 1),
                 "-Infinity 不是 JSON 数字"),
    "1e999": (lambda good: good.replace('"line_count": ', '"line_count": 1e999, "x": ', 1), "数字 1e999 太大"),
    "an integer of 5,000 digits": (lambda good: good.replace('"line_count": ', '"line_count": ' + "9" * 5000 + ', "x": ',
                                                             1), "数字太长，无法读取"),
    "100,000 nested arrays": (lambda good: '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", "嵌套过深"),
    "500 nested arrays": (lambda good: '{"a": ' + "[" * 500 + "]" * 500 + "}", "嵌套超过 64 层"),
    "a lone surrogate": (lambda good: good.replace('"title": "', '"title": "\\ud800', 1),
                         "$.metadata.title：孤立的代理项（\\ud800）"),
}


@pytest.mark.parametrize("attack", list(JSON_ATTACKS))
def test_validate_and_diff_refuse_json_that_cannot_be_a_document(tmp_path, attack):
    make, message = JSON_ATTACKS[attack]
    path = tmp_path / "evil.json"
    path.write_text(make(_seed_json()), encoding="utf-8")
    for command in (["validate", path], ["diff", path, path, "--format", "json"]):
        result = run(*command)
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr.startswith(f"{path}") and ": 错误: " in result.stderr and message in result.stderr
        assert len(result.stderr.splitlines()) == 1


def test_a_valid_document_json_still_round_trips_through_validate_and_diff(tmp_path):
    path = tmp_path / "seed.json"
    path.write_text(_seed_json(), encoding="utf-8")
    assert run("validate", path).exit_code == 0
    result = run("diff", path, SEED, "--format", "json")
    assert result.exit_code == 0 and '"identical": true' in result.stdout


# --- serve ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/%00", "/index.html%00.txt", "/data/%00/", "/%2e%2e/%00"])
def test_serve_answers_a_nul_in_the_url_with_400_and_keeps_serving(tmp_path, path):
    import functools
    import http.client
    import http.server
    import threading

    from toolkit.site.serve import _Handler

    (tmp_path / "index.html").write_text("<p>首页</p>", encoding="utf-8")

    class Quiet(_Handler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for request, status in ((path, 400), ("/", 200)):
            connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
            connection.request("GET", request)
            response = connection.getresponse()
            assert response.status == status, request
            response.read()
            connection.close()
    finally:
        server.shutdown()
        server.server_close()


# --- invisible characters in names; text that is really Big5 or Shift-JIS ---------------------------------------

@pytest.mark.parametrize("invisible", ["\u200b", "\u200d", "\u202e", "\u2066", "\ufeff", "\u00ad"])
def test_invisible_characters_do_not_make_a_look_alike_department(invisible):
    from toolkit.check import check_bytes

    text = "\n\n".join(["关于测试的意见", "一、总则",
                        "（一）做好工作（责任单位：省经信厅、省财政厅）。",
                        f"（二）做好工作（责任单位：省经{invisible}信厅、省财政厅）。"])
    doc = read_bytes(text.encode("utf-8"), "inv.txt")
    names = [(r.department, r.department_id) for u in doc.units() for r in u.responsibilities]
    assert len(set(names)) == 2, names
    findings = [f for f in check_bytes(text.encode("utf-8"), "inv.txt").findings if f.code == "invisible-character"]
    assert [(f.line, f.column, f.severity) for f in findings] == [(7, 16, "warning")]
    assert f"U+{ord(invisible):04X}" in findings[0].message


_TRADITIONAL = ("關於促進中小企業發展的意見\n\n一、總則\n\n為了進一步優化營商環境，各級政府應當加強組織領導，落實工作責任，"
                "確保各項政策措施落到實處。\n")
_JAPANESE = "中小企業の振興に関する方針\n\n一、総則\n\n日本国政府は、中小企業の振興に関する基本的な方針を定め、施策を推進する。\n"


@pytest.mark.parametrize("text, encoding", [(_TRADITIONAL, "big5"), (_JAPANESE, "shift_jis")])
def test_big5_or_shift_jis_read_as_gb18030_is_reported(text, encoding):
    from toolkit.check import check_bytes

    data = text.encode(encoding)
    doc = read_bytes(data, "x.txt")
    assert doc.provenance.encoding == "gb18030"
    (warning,) = [w for w in doc.warnings if w.code == "implausible-encoding"]
    assert "Big5 或 Shift-JIS" in warning.message
    assert "implausible-encoding" in {f.code for f in check_bytes(data, "x.txt").findings}


def test_real_gb18030_text_is_not_reported():
    data = SEED.read_text(encoding="utf-8").encode("gb18030")
    doc = read_bytes(data, "seed.txt")
    assert doc.provenance.encoding == "gb18030"
    assert "implausible-encoding" not in {w.code for w in doc.warnings}


@pytest.mark.parametrize("which", ["--source", "--output"])
def test_a_symlink_loop_as_source_or_output_folder_is_an_input_error(tmp_path, which):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    folders = {"--source": ROOT / "source", "--output": tmp_path / "site"}
    folders[which] = loop
    result = run("build", "-q", "--data-only", "--source", folders["--source"], "--output", folders["--output"])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"{loop}: 错误: 路径中的符号链接形成循环")
