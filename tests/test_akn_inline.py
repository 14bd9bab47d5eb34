"""toolkit/writers/akn_inline.py: where inline marks (departments, thresholds) are placed in a unit's text."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.writers.akn_inline import Mark, Span, place

words = st.sampled_from(["省经信厅", "省财政厅", "省经信", "厅", "3%以上", "、"])


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(text=st.lists(st.sampled_from(["省经信厅", "省财政厅", "、", "（责任单位：", "）", "做好工作。", "3%以上"]),
                     max_size=30).map("".join),
       needles=st.lists(words, max_size=8), anchored=st.booleans(), taken_at=st.integers(0, 40))
def test_placed_marks_are_found_text_and_never_overlap(text, needles, anchored, taken_at):
    taken = [Span(taken_at, taken_at + 2, Mark("x", "x"))] if taken_at + 2 <= len(text) else []
    placement = place(text, [Mark(n, "organization") for n in needles], taken, from_last_anchor=anchored)
    spans = sorted(placement.spans + taken, key=lambda s: s.start)
    for span in placement.spans:
        assert text[span.start:span.end] == span.mark.needle
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
    assert len(placement.spans) + len(placement.missing) == len([n for n in needles if n])


def test_the_list_in_the_closing_bracket_is_marked_not_an_earlier_mention():
    text = "省财政厅要会同省经信厅做好工作（责任单位：省经信厅、省财政厅）。"
    spans = place(text, [Mark("省经信厅", "organization"), Mark("省财政厅", "organization")],
                  from_last_anchor=True).spans
    assert [s.start for s in spans] == [text.index("（责任单位：") + 6, text.index("（责任单位：") + 11]


def test_a_later_mention_of_the_last_name_does_not_move_the_list():
    text = "做好工作（责任单位：省经信厅、省财政厅）。省财政厅负责资金保障。"
    spans = place(text, [Mark("省经信厅", "organization"), Mark("省财政厅", "organization")],
                  from_last_anchor=True).spans
    assert [s.start for s in spans] == [10, 15]
