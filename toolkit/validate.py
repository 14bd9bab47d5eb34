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


# Far deeper than any document (a unit inside a unit … is ~10 levels); deeper input is refused before the schema
# validators recurse into it.
MAX_JSON_DEPTH = 64


def load_document_json(path: Path) -> dict:
    """A document JSON file, parsed and checked against the schema (or a clear error).

    Refused before the schema is asked: NaN, Infinity and numbers too large for a float (JSON has none of them,
    and no JSON writer can write them back), integers of thousands of digits, nesting deeper than
    MAX_JSON_DEPTH, and text with lone surrogates (half of a UTF-16 pair: no UTF-8 file can hold it, so writing
    the document out again, e.g. `diff --format json`, would fail)."""
    from .reader import read_file_bytes

    name = str(path)
    try:
        text = read_file_bytes(path, "a JSON file").decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DecodeError("not UTF-8 text: a document JSON file is UTF-8", name) from None

    def not_a_number(constant: str):
        line, column = _position(text, constant)
        raise ValidationError(f"{constant} is not a JSON number", name, line, column)

    def finite(literal: str) -> float:
        value = float(literal)
        if value in (float("inf"), float("-inf")):
            line, column = _position(text, literal)
            raise ValidationError(f"the number {literal[:40]} is too large", name, line, column)
        return value

    try:
        data = json.loads(text, parse_constant=not_a_number, parse_float=finite)
    except json.JSONDecodeError as err:
        raise ValidationError(f"not valid JSON: {err.msg}", name, err.lineno, err.colno) from None
    except RecursionError:
        raise ValidationError("arrays or objects nested too deeply", name) from None
    except ValueError:  # int(): "Exceeds the limit (4300 digits) for integer string conversion"
        raise ValidationError("a number too long to read (thousands of digits)", name) from None
    if not isinstance(data, dict):
        raise ValidationError("the top level must be a JSON object (a document)", name, 1, 1)
    _check_values(data, name)
    validate_data(data, name)
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
            raise ValidationError(f"nested more than {MAX_JSON_DEPTH} levels deep (at {where[:80]}…)", name)
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
        raise ValidationError(f"{where}: a lone surrogate (\\u{ord(value[err.start]):04x}) is not a character; "
                              "no UTF-8 file can hold it", name) from None
