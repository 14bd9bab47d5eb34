"""Document model -> JSON text. Deterministic: field order follows the model, no timestamps."""
from __future__ import annotations

import json

from ..model import Document


def to_json(doc: Document) -> str:
    return json.dumps(doc.to_dict(), ensure_ascii=False, indent=2) + "\n"
