"""The dev corpus (tests/fixtures/corpus, ground truth in its README.md), for the tests that run over all of it.

FIRST_BATCH (01–13) is what the build and size tests count on; SECOND_BATCH (18–28) came with the reader's second
round (issue 11). EVERY is both.
"""
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent / "fixtures" / "corpus"
EVERY = sorted(CORPUS_DIR.glob("*.txt"))
FIRST_BATCH = [p for p in EVERY if int(p.name[:2]) < 18]
SECOND_BATCH = [p for p in EVERY if int(p.name[:2]) >= 18]
