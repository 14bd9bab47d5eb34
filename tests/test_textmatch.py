"""toolkit/textmatch.py: difflib's matching blocks on ordinary text, correct (if not minimal) blocks in linear time
on repetitive text."""
from __future__ import annotations

from difflib import SequenceMatcher

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import textmatch

# Few distinct characters: repetitive text, where the anchors and the pair budget matter.
small_alphabet = st.text(alphabet="指标达到以上，12%", max_size=300)
chinese = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), max_size=200)


def assert_valid(a, b, blocks):
    """Ascending, non-overlapping, really equal, ending with the (len(a), len(b), 0) sentinel."""
    assert blocks[-1] == (len(a), len(b), 0)
    i = j = 0
    for ai, bj, size in blocks[:-1]:
        assert size > 0 and ai >= i and bj >= j
        assert a[ai:ai + size] == b[bj:bj + size]
        i, j = ai + size, bj + size


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(a=chinese, b=chinese)
def test_ordinary_text_gets_difflibs_blocks(a, b):
    assert textmatch.matching_blocks(a, b) == [tuple(m) for m in
                                               SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()]
    assert textmatch.opcodes(a, b) == SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(a=small_alphabet, b=small_alphabet, budget=st.sampled_from([0, 10, 100, 100_000]),
       anchor=st.sampled_from([2, 3, 8]))
def test_every_budget_gives_valid_blocks_and_opcodes_that_rebuild_both_texts(a, b, budget, anchor):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(textmatch, "PAIR_BUDGET", budget)
        patch.setattr(textmatch, "ANCHOR", anchor)
        blocks = textmatch.matching_blocks(a, b)
        assert_valid(a, b, blocks)
        ops = textmatch.opcodes(a, b)
    assert "".join(a[i1:i2] for _, i1, i2, _, _ in ops) == a
    assert "".join(b[j1:j2] for _, _, _, j1, j2 in ops) == b
    assert all(a[i1:i2] == b[j1:j2] for tag, i1, i2, j1, j2 in ops if tag == "equal")
    assert 0.0 <= textmatch.ratio(a, b) <= 1.0


def test_a_long_repetitive_text_keeps_most_of_what_is_unchanged():
    old = "".join(f"指标{k}达到{k}%以上，" for k in range(3_000))
    new = "".join(f"指标{k}达到{k + (k % 11 == 0)}%以上，" for k in range(3_000))
    blocks = textmatch.matching_blocks(old, new)
    assert_valid(old, new, blocks)
    assert sum(size for _, _, size in blocks) > 0.95 * len(old)
