"""DocumentDiff -> JSON text, and validation against toolkit/schemas/diff.schema.json (JSON Schema 2020-12)."""
from __future__ import annotations

import json
from functools import lru_cache

from jsonschema import Draft202012Validator

from ..diff import DocumentDiff
from ..errors import ValidationError
from ..resources import schema_text



def to_json(diff: DocumentDiff) -> str:
    """Deterministic: field order follows the dataclasses, no timestamps."""
    return json.dumps(diff.to_dict(), ensure_ascii=False, indent=2) + "\n"


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    schema = json.loads(schema_text("diff"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def diff_schema_errors(data: dict) -> list[str]:
    """Every violation as '<JSON path>: <message>', in a stable order."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    return ["$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in e.absolute_path) + f": {e.message}"
            for e in errors]


def validate_diff(data: dict, name: str = "<diff>") -> None:
    problems = diff_schema_errors(data)
    if problems:
        raise ValidationError(f"不符合 diff 的 schema（{len(problems)} 处问题）", name, details=problems)
