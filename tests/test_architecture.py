"""The import rules of docs/architecture.md, checked on the source: a rule nobody checks is a wish."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "toolkit"
# Writers and the release model work on the document model and the vocabulary, never on how a text was read.
WRITER_SIDE = [*sorted((PACKAGE / "writers").glob("*.py")), *sorted((PACKAGE / "site").glob("*.py")),
               *(PACKAGE / name for name in ("release.py", "relations.py", "status.py", "urls.py", "vocabulary.py",
                                             "model.py", "chinese.py"))]


def _imports(path: Path) -> set[str]:
    """Absolute module names `path` imports (relative imports resolved against the package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


@pytest.mark.parametrize("path", WRITER_SIDE, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_writer_imports_the_reader(path):
    bad = sorted(m for m in _imports(path)
                 if m in ("toolkit.reader", "toolkit.readers") or m.startswith(("toolkit.reader.", "toolkit.readers.")))
    assert not bad, f"{path.name} imports {bad}: use toolkit.vocabulary or the model instead"


def test_readers_do_not_import_writers_or_the_site():
    for path in sorted((PACKAGE / "readers").glob("*.py")):
        bad = sorted(m for m in _imports(path) if m.startswith(("toolkit.writers", "toolkit.site", "toolkit.release")))
        assert not bad, f"{path.name} imports {bad}"


def test_the_model_imports_nothing_of_the_toolkit():
    assert not {m for m in _imports(PACKAGE / "model.py") if m.startswith("toolkit")}
