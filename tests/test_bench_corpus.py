"""bench/corpus.py: the synthetic corpus the benchmarks build is deterministic, and every document in it is one the
real reader parses and the validators accept, with its own id."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from toolkit.reader import read_path
from toolkit.validate import validate_document
from toolkit.validate import validate_akn
from toolkit.writers.akn import to_akn_string

REPO = Path(__file__).resolve().parent.parent


def _load():
    spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "bench" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


corpus = _load()
N = 28  # four copies of each of the seven real texts


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return corpus.generate(N, tmp_path_factory.mktemp("corpus"))


def test_the_same_seed_gives_the_same_bytes(generated, tmp_path):
    again = corpus.generate(N, tmp_path / "again")
    assert [p.name for p in again] == [p.name for p in generated]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(again, generated))
    other = corpus.generate(N, tmp_path / "other", seed=1)
    assert any(a.read_bytes() != b.read_bytes() for a, b in zip(other, generated))


def test_every_document_parses_validates_and_has_its_own_id(generated):
    ids = set()
    for path in generated:
        doc = read_path(path)
        validate_document(doc)
        validate_akn(to_akn_string(doc), name=str(path))
        assert next(doc.units(), None), path.name  # units of the body or of a carried document (06)
        ids.add(doc.id)
    assert len(ids) == N


def test_copies_differ_from_their_original(generated):
    templates = corpus.templates()
    for i, path in enumerate(generated):
        template = templates[i % len(templates)]
        doc = read_path(path)
        if template.agency:
            # Renumbered: serial i + 1, so no two copies share a 发文字号.
            assert doc.metadata.doc_number_parts.serial == i + 1
            assert doc.metadata.doc_number_parts.year <= template.year
    lengths = {}
    for i, path in enumerate(generated):
        lengths.setdefault(i % len(templates), set()).add(len(path.read_text(encoding="utf-8")))
    # The long templates come out in different lengths.
    assert sum(len(sizes) > 1 for sizes in lengths.values()) >= 4


def test_provincial_copies_move_to_other_provinces(generated):
    jurisdictions = {read_path(p).metadata.jurisdiction for p in generated[::7]}  # copies of the seed
    assert len(jurisdictions) >= 2


def test_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "keep.txt").write_text("x", encoding="utf-8")
    with pytest.raises(FileExistsError):
        corpus.generate(1, tmp_path)
