"""Validation of everything we publish: document JSON against schema/, Akoma Ntoso XML against the OASIS XSD."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator

from .errors import DecodeError, ValidationError
from .model import Document

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"
DOCUMENT_SCHEMA = SCHEMA_DIR / "document.schema.json"


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    schema = json.loads(DOCUMENT_SCHEMA.read_text(encoding="utf-8"))
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
    return jsonschema_rs.validator_for(json.loads(DOCUMENT_SCHEMA.read_text(encoding="utf-8")))


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


RULES_SCHEMA = SCHEMA_DIR / "rules.schema.json"


@lru_cache(maxsize=1)
def _rules_validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(RULES_SCHEMA.read_text(encoding="utf-8")))


def validate_rules(data: dict, name: str) -> None:
    """Refuse to publish a rules.json that does not match schema/rules.schema.json."""
    errors = sorted(_rules_validator().iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        raise ValidationError(f"does not match the rules schema ({len(errors)} problem(s))", name,
                              details=[f"{_path(e)}: {e.message}" for e in errors])


def validate_document(doc: Document) -> None:
    """Refuse to publish a document whose JSON would not match the schema."""
    validate_data(doc.to_dict(), doc.provenance.source_file)


def validate_file(path: Path) -> None:
    """`policykit validate`: .json against the document schema, .xml against the Akoma Ntoso XSD."""
    path = Path(path)
    if not path.is_file():
        raise DecodeError("no such file", str(path))
    if path.suffix.lower() == ".xml":
        from .writers.akn import validate_akn_file
        validate_akn_file(path)
        return
    load_document_json(path)


def load_document_json(path: Path) -> dict:
    """A document JSON file, parsed and checked against the schema (or a clear error). A rules.json (it has
    `rules_format`) is checked against the rules schema instead."""
    from .reader import read_file_bytes

    try:
        data = json.loads(read_file_bytes(path, "a JSON file").decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise DecodeError("not UTF-8 text: a document JSON file is UTF-8", str(path)) from None
    except json.JSONDecodeError as err:
        raise ValidationError(f"not valid JSON: {err.msg}", str(path), err.lineno, err.colno) from None
    if not isinstance(data, dict):
        raise ValidationError("the top level must be a JSON object (a document)", str(path), 1, 1)
    if "rules_format" in data:
        validate_rules(data, str(path))
        return data
    validate_data(data, str(path))
    return data
