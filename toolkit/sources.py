"""The source folder: which text files exist, and how source/manifest.toml groups them into documents and versions.

The manifest format is documented in docs/manifest.md. In short:

    [[document]]
    id = "zjzbf-2024-21"                 # optional: default is the id the reader derives from 发文字号

    [[document.version]]
    file = "zjzbf-2024-21.txt"           # relative to the source folder
    version = "2024-06-06"               # YYYY-MM-DD, used in URLs; versions are listed oldest first
    # amends = "2023-01-01"              # optional: default is the version listed before this one

    [[document.relation]]
    type = "repeals"                     # repeals | replaces
    doc_number = "浙政办发〔2022〕19号"
    # title = "…"                        # optional

    [document.status]                    # optional: a status checked against the official source
    code = "repealed"                    # in_force | not_yet_in_force | repealed | expired
    checked_by = "…"                     # who checked, checked_on = YYYY-MM-DD, url = the official source

Text files in the folder that the manifest does not list are still built, each as a document of its own with one
version (see `unlisted_version_key`); the build prints a warning for each.

Everything that ends up in an output path (ids, version keys) is checked or sanitised to [a-z0-9-] so a source can
never write outside the output folder.
"""
from __future__ import annotations

import datetime
import errno
import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError, plain_os_error
from .status import CODES as STATUS_CODES
from .status import SUPERSEDED, StatusOverride

MANIFEST_NAME = "manifest.toml"
SOURCE_SUFFIX = ".txt"
# What a document says about another one. Extend here (and in docs/manifest.md) when a new kind is needed.
RELATION_TYPES = ("repeals", "replaces")
# The version key of a source without a date: stable, and never confused with a YYYY-MM-DD key.
UNDATED_VERSION = "current"

_SAFE_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# An id names folders and files (data/<id>/<version>/<id>.akn.xml): far below the 255 bytes a file name may have.
MAX_ID_LENGTH = 100
# Dots in one TOML key (a.b.c = …, [a.b.c]): tomllib takes the square of their number (50,000 took 90 s); a
# manifest needs two.
MAX_KEY_DOTS = 32
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class VersionSpec:
    file: Path  # absolute or relative to the working directory, ready to open
    version: str  # YYYY-MM-DD (or "current" for an undated unlisted file)
    amends: str | None = None  # the version this one revises


@dataclass(frozen=True)
class Relation:
    type: str  # one of RELATION_TYPES
    doc_number: str  # 发文字号 of the other document, as written
    title: str | None = None


@dataclass
class DocumentSpec:
    id: str | None  # None: take the id the reader derives (Document.id)
    versions: list[VersionSpec]  # oldest first; the last one is the current version
    relations: list[Relation] = field(default_factory=list)
    listed: bool = True  # False for a file the manifest does not mention
    status: StatusOverride | None = None  # [document.status]: overrides the computed status of the current version
    former_ids: list[str] = field(default_factory=list)  # ids it was published under before: their URLs redirect


@dataclass
class Sources:
    documents: list[DocumentSpec]  # manifest documents in manifest order, then unlisted files by name
    unlisted: list[Path]  # files built as single-version documents although the manifest does not list them
    manifest: Path | None  # None when the folder has no manifest


def safe_id(text: str) -> str:
    """Lower-case `text` and reduce it to [a-z0-9-]: what may appear in an output path. '' if nothing is left."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def is_safe_id(text: str) -> bool:
    # fullmatch: with match, the $ of _SAFE_ID also accepts a trailing newline ("zjz\n" as a folder name).
    return bool(_SAFE_ID.fullmatch(text))


def unlisted_version_key(signed_date: str | None) -> str:
    """Version key of a file the manifest does not list: its 成文日期 when the reader found one, else "current"."""
    if signed_date and _is_date(signed_date):
        return signed_date
    return UNDATED_VERSION


def load_sources(source_dir: Path) -> Sources:
    """Read the manifest (if any) and list every source file; raise ConfigError on any inconsistency."""
    source_dir = Path(source_dir)
    if not source_dir.is_dir():
        raise ConfigError("源文件夹不存在", file=str(source_dir))
    manifest_path = source_dir / MANIFEST_NAME
    documents: list[DocumentSpec] = []
    if manifest_path.is_file():
        documents = _parse_manifest(manifest_path, source_dir)
    listed = {source_file(v.file, source_dir) for d in documents for v in d.versions}
    unlisted = [p for p in sorted(source_dir.glob(f"*{SOURCE_SUFFIX}"))
                if not p.name.startswith(".") and source_file(p, source_dir) not in listed]
    for path in unlisted:
        # The id and version come from the parsed text; the build fills them in.
        documents.append(DocumentSpec(id=None, versions=[VersionSpec(path, UNDATED_VERSION)], listed=False))
    return Sources(documents, unlisted, manifest_path if manifest_path.is_file() else None)


def source_file(path: Path, source_dir: Path, line: int | None = None, manifest: Path | None = None) -> Path:
    """The real path of a source file, which must be a regular file inside the source folder once every symbolic
    link is followed: a link to /etc/passwd would publish it, a named pipe would hang the build and /dev/zero
    would fill the memory. ConfigError naming the file otherwise (at `line` of the manifest when it lists it)."""
    def refuse(why: str):
        where = dict(file=str(manifest), line=line) if manifest else dict(file=str(path))
        raise ConfigError(f"{path} {why}；只发布源文件夹内的普通文件", **where)

    try:
        root = Path(os.path.realpath(source_dir))
        real = Path(os.path.realpath(path))
        mode = os.stat(real).st_mode
    except OSError as err:
        if err.errno == errno.ELOOP:
            refuse("是形成循环的符号链接")
        refuse(f"无法读取（{plain_os_error(err)}）")
    if not real.is_relative_to(root):
        refuse(f"是指向源文件夹之外 {real} 的符号链接")
    if not stat.S_ISREG(mode):
        refuse("不是普通文件（而是文件夹、命名管道、设备或套接字）")
    return real


def _parse_manifest(path: Path, source_dir: Path) -> list[DocumentSpec]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
        _check_key_depth(text, path)
        data = tomllib.loads(text)
    except UnicodeDecodeError as err:
        raise ConfigError("manifest 不是 UTF-8 编码的文本", file=str(path)) from err
    except RecursionError as err:
        raise ConfigError("manifest 不是有效的 TOML：数组或表嵌套过深", file=str(path)) from err
    except ValueError as err:  # not a TOMLDecodeError: an integer of thousands of digits
        if isinstance(err, tomllib.TOMLDecodeError):
            raise _toml_error(err, text, path) from err
        raise ConfigError("manifest 不是有效的 TOML：数字太长，无法读取（有数千位）",
                          file=str(path)) from err

    def fail(message: str, needle: str | None = None):
        raise ConfigError(message, file=str(path), line=_line_of(text, needle))

    unknown = set(data) - {"document"}
    if unknown:
        fail(f"未知的顶层键：{'、'.join(sorted(unknown))}（应为 [[document]] 表）",
             sorted(unknown)[0])
    entries = data.get("document", [])
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        fail("`document` 必须是表数组：应写作 [[document]]", "document")

    documents: list[DocumentSpec] = []
    seen_ids: set[str] = set()
    seen_files: dict[Path, str] = {}
    for number, entry in enumerate(entries, 1):
        label = f"第 {number} 个 [[document]]"
        unknown = set(entry) - {"id", "version", "relation", "status", "former_ids"}
        if unknown:
            fail(f"{label}：未知的键 {'、'.join(sorted(unknown))}"
                 "（可用的键：id、version、relation、status、former_ids）",
                 sorted(unknown)[0])
        doc_id = entry.get("id")
        if doc_id is not None:
            if not isinstance(doc_id, str) or not is_safe_id(doc_id):
                fail(f"{label}：id {_short(doc_id)} 只能由小写字母、数字和单个连字符组成"
                     "（它是网址的一部分）", f"{doc_id}"[:200])
            if len(doc_id) > MAX_ID_LENGTH:
                fail(f"{label}：id {_short(doc_id)} 有 {len(doc_id)} 个字符，最多 {MAX_ID_LENGTH} 个"
                     "（它用作文件和文件夹的名称）", doc_id)
            if doc_id in seen_ids:
                fail(f"{label}：id {doc_id!r} 被两份文件使用", f'"{doc_id}"')
            seen_ids.add(doc_id)
            label = f"文件 “{doc_id}”"

        raw_versions = entry.get("version", [])
        if not isinstance(raw_versions, list) or not raw_versions \
                or not all(isinstance(v, dict) for v in raw_versions):
            fail(f"{label}：至少需要一个带 `file` 和 `version` 的 [[document.version]]", doc_id)
        versions: list[VersionSpec] = []
        for raw_version in raw_versions:
            _check_keys(raw_version, ("file", "version", "amends"), f"{label}：[[document.version]] 中", fail)
            file_name, key = raw_version.get("file"), raw_version.get("version")
            if isinstance(key, datetime.date) and not isinstance(key, datetime.datetime):
                key = key.isoformat()  # an unquoted TOML date (version = 2024-06-06) means the same
            if not isinstance(file_name, str) or not file_name:
                fail(f"{label}：每个版本都需要 `file`（源文件夹中的文件名）", key)
            if not isinstance(key, str) or not _is_date(key):
                fail(f"{label}：{file_name} 的 `version` 必须是 YYYY-MM-DD 格式的日期，实际为 {key!r}",
                     key.isoformat() if hasattr(key, "isoformat") else (str(key) if key is not None else file_name))
            file_path = source_dir / file_name
            # A file name may not climb out of the source folder (../, absolute paths).
            if Path(file_name).is_absolute() or ".." in Path(file_name).parts:
                fail(f"{label}：文件 {file_name!r} 必须在源文件夹内", file_name)
            if not os.path.lexists(file_path):
                fail(f"{label}：在 {source_dir} 中找不到文件 {file_name!r}", file_name)
            resolved = source_file(file_path, source_dir, _line_of(text, file_name), path)
            if resolved in seen_files:
                fail(f"{label}：文件 {file_name!r} 已经列出过（{seen_files[resolved]}）", file_name)
            seen_files[resolved] = f"{label} 的版本 {key}"
            if versions and key <= versions[-1].version:
                fail(f"{label}：版本必须按日期从早到晚列出，且日期互不相同"
                     f"（{key} 排在 {versions[-1].version} 之后）", key)
            amends = raw_version.get("amends", versions[-1].version if versions else None)
            if isinstance(amends, datetime.date) and not isinstance(amends, datetime.datetime):
                amends = amends.isoformat()
            if amends is not None and not isinstance(amends, str):
                fail(f"{label}：版本 {key} 的 `amends` 必须是更早一个版本的日期，写作 "
                     f"YYYY-MM-DD，实际为 {_short(amends)}", "amends")
            known = {v.version for v in versions}
            if amends is not None and amends not in known:
                fail(f"{label}：版本 {key} 修订的 {amends!r} 不是本文件更早的版本",
                     f"{amends}")
            versions.append(VersionSpec(file_path, key, amends))

        relations: list[Relation] = []
        raw_relations = entry.get("relation", [])
        if not isinstance(raw_relations, list) or not all(isinstance(r, dict) for r in raw_relations):
            fail(f"{label}：关系应写作 [[document.relation]] 表", "relation")
        for raw_relation in raw_relations:
            _check_keys(raw_relation, ("type", "doc_number", "title"), f"{label}：[[document.relation]] 中", fail)
            kind, number_text = raw_relation.get("type"), raw_relation.get("doc_number")
            if not isinstance(kind, str) or kind not in RELATION_TYPES:
                fail(f"{label}：关系类型 {_short(kind)} 不是 {'、'.join(RELATION_TYPES)} 之一",
                     f"{kind}"[:200] if isinstance(kind, str) else "type")
            if not isinstance(number_text, str) or not number_text.strip():
                fail(f"{label}：关系需要 `doc_number`（另一份文件的发文字号）", kind)
            title = raw_relation.get("title")
            if title is not None and not isinstance(title, str):
                fail(f"{label}：关系的 title 必须是文本", "title")
            relations.append(Relation(kind, number_text.strip(), title))
        status = _status_override(entry.get("status"), label, fail) if "status" in entry else None
        former = entry.get("former_ids", [])
        if not isinstance(former, list) or not all(isinstance(f, str) and is_safe_id(f) and len(f) <= MAX_ID_LENGTH
                                                   for f in former):
            fail(f"{label}：former_ids 必须是 id 列表，如 [\"gbf-2018-123\"]（小写字母、数字和单个连字符，"
                 f"最多 {MAX_ID_LENGTH} 个字符）", "former_ids")
        if doc_id is None and former:
            fail(f"{label}：有 former_ids 时必须写出文件的新 `id`", "former_ids")
        for old in former:
            if old in seen_ids or old == doc_id:
                fail(f"{label}：旧 id {old!r} 是 manifest 中某份文件的 id", old)
        documents.append(DocumentSpec(doc_id, versions, relations, listed=True, status=status,
                                      former_ids=list(former)))
    return documents


def _toml_error(err: tomllib.TOMLDecodeError, text: str, path: Path) -> ConfigError:
    # tomllib puts the position only in the message: "… (at line 3, column 7)".
    where = re.search(r"at line (\d+), column (\d+)", str(err))
    line, col = (int(where[1]), int(where[2])) if where else (None, None)
    if where is None and "end of document" in str(err):
        line = max(1, len(text.splitlines()))
    return ConfigError(f"manifest 不是有效的 TOML：{err}", file=str(path), line=line, column=col)


def _check_key_depth(text: str, path: Path) -> None:
    """Refuse keys with more than MAX_KEY_DOTS dots before tomllib spends minutes on them."""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip()
        key = stripped if stripped.startswith("[") else stripped.split("=", 1)[0] if "=" in stripped else ""
        if key.count(".") > MAX_KEY_DOTS:
            raise ConfigError(f"manifest 的键中有 {key.count('.')} 个点，最多 {MAX_KEY_DOTS} 个"
                              "（manifest 只需要 [[document.version]] 这样的键）", file=str(path), line=number)


def _short(value, limit: int = 60) -> str:
    """repr of a manifest value, cut for an error message (an id may be thousands of characters long)."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}…"
_OVERRIDE_CODES = tuple(c for c in STATUS_CODES if c != SUPERSEDED)  # 历史版本 follows from the versions


def _status_override(raw, label: str, fail) -> StatusOverride:
    """[document.status]: a status someone checked; who, when and where are required, since that is its worth."""
    if not isinstance(raw, dict):
        fail(f"{label}：状态应写作 [document.status] 表", "status")
    _check_keys(raw, ("code", "since", "by_doc_number", "checked_by", "checked_on", "url", "note"),
                f"{label}：[document.status] 中", fail)
    code = raw.get("code")
    if code not in _OVERRIDE_CODES:
        fail(f"{label}：状态代码 {code!r} 不是 {'、'.join(_OVERRIDE_CODES)} 之一", f"{code}" if code else "status")
    values = {}
    for key in ("since", "checked_on"):
        value = raw.get(key)
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            value = value.isoformat()
        if value is not None and (not isinstance(value, str) or not _is_date(value)):
            fail(f"{label}：状态的 `{key}` 必须是 YYYY-MM-DD 格式的日期，实际为 {value!r}", key)
        values[key] = value
    for key in ("checked_by", "url"):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            fail(f"{label}：manifest 中的状态需要 `checked_by`、`checked_on` 和 `url`（谁、在何时、在哪里核对了"
                 f"官方来源）；缺少 `{key}`", "status")
        values[key] = value.strip()
    if values["checked_on"] is None:
        fail(f"{label}：manifest 中的状态需要 `checked_on`（核对日期，YYYY-MM-DD）", "status")
    if not values["url"].startswith(("https://", "http://")):
        fail(f"{label}：状态的 `url` 必须是官方来源的网址，实际为 {values['url']!r}", "url")
    for key in ("by_doc_number", "note"):
        if raw.get(key) is not None and not isinstance(raw.get(key), str):
            fail(f"{label}：状态的 `{key}` 必须是文本", key)
    return StatusOverride(code=code, checked_by=values["checked_by"], checked_on=values["checked_on"],
                          url=values["url"], since=values["since"], by_doc_number=raw.get("by_doc_number"),
                          note=raw.get("note"))


def _is_date(text: str) -> bool:
    if not _DATE.fullmatch(text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _line_of(text: str, needle: str | None) -> int | None:
    """1-based line of the first occurrence of `needle` in the manifest, to point the user at the problem."""
    if not needle:
        return None
    index = text.find(str(needle))
    return text.count("\n", 0, index) + 1 if index >= 0 else None


def _check_keys(table: dict, allowed: tuple[str, ...], what: str, fail) -> None:
    """A manifest table may only use the keys we know: a typo must not be silently ignored."""
    unknown = sorted(set(table) - set(allowed))
    if unknown:
        fail(f"{what}有未知的键 {'、'.join(unknown)}（可用的键：{'、'.join(allowed)}）", unknown[0])
