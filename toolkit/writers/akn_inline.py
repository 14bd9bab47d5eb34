"""Inline semantic markup: find known substrings (department names, threshold texts…) in plain text and turn
the text into <p> elements whose text content is exactly the original, with the substrings wrapped.

A substring that cannot be found is simply not wrapped: the reference to it still exists in <meta>, and the text
itself is never changed.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from lxml import etree


@dataclass(frozen=True)
class Mark:
    """Wrap `needle` in <tag attrs…>."""

    needle: str
    tag: str
    attrs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    mark: Mark


@dataclass
class Placement:
    spans: list[Span] = field(default_factory=list)
    missing: list[Mark] = field(default_factory=list)


def _occurrences(text: str, needle: str) -> list[int]:
    found, pos = [], text.find(needle)
    while pos >= 0:
        found.append(pos)
        pos = text.find(needle, pos + 1)
    return found


class _Index:
    """Where each needle occurs in one text, and which characters are already inside a span.

    Every question place() asks is a bisection in a needle's sorted list of free occurrences, so that placing m
    marks costs about m log n instead of scanning the text again for each mark (and each candidate anchor): a
    unit with hundreds of repeated department names made the writer cubic.
    """

    def __init__(self, text: str, taken: list[Span]):
        self.text = text
        self.used = bytearray(len(text))  # 1 where a character is inside a span (taken or placed)
        for span in taken:
            self.used[span.start:span.end] = b"\x01" * (span.end - span.start)
        self._free: dict[str, list[int]] = {}  # needle -> occurrences free of `taken`, ascending
        self._retry: dict[str, int] = {}  # needle -> index of its first occurrence not yet known to be used

    def free(self, needle: str) -> list[int]:
        if needle not in self._free:
            size = len(needle)
            self._free[needle] = [at for at in _occurrences(self.text, needle)
                                  if 1 not in self.used[at:at + size]]
        return self._free[needle]

    def first_at_or_after(self, needle: str, pos: int) -> int | None:
        found = self.free(needle)
        i = bisect.bisect_left(found, pos)
        return found[i] if i < len(found) else None

    def last_ending_by(self, needle: str, limit: int) -> int | None:
        found = self.free(needle)
        i = bisect.bisect_right(found, limit - len(needle))
        return found[i - 1] if i else None

    def first_unused(self, needle: str) -> int | None:
        """The first occurrence that overlaps no span placed so far. Spans are only ever added, so an occurrence
        found used once stays used: each needle's list is walked once in all."""
        found, size = self.free(needle), len(needle)
        i = self._retry.get(needle, 0)
        while i < len(found) and 1 in self.used[found[i]:found[i] + size]:
            i += 1
        self._retry[needle] = i
        return found[i] if i < len(found) else None

    def occupy(self, span: Span) -> None:
        self.used[span.start:span.end] = b"\x01" * (span.end - span.start)


def _sequential(index: _Index, marks: list[Mark], start: int) -> list[Span | None]:
    """Each mark at its first free occurrence after the previous one; None where there is none."""
    result: list[Span | None] = []
    pos = start
    for mark in marks:
        at = index.first_at_or_after(mark.needle, pos)
        span = Span(at, at + len(mark.needle), mark) if at is not None else None
        if span:
            pos = span.end
        result.append(span)
    return result


def _latest_start(index: _Index, marks: list[Mark]) -> tuple[int | None, bool]:
    """Place the marks in order as late as possible, from the last one backwards (a mark that does not fit is
    skipped). Returns where the first mark went (None if it did not fit) and whether every mark fitted."""
    limit, complete, first = len(index.text), True, None
    for i in range(len(marks) - 1, -1, -1):
        at = index.last_ending_by(marks[i].needle, limit)
        if at is None:
            complete = False
            continue
        limit = at
        if i == 0:
            first = at
    return first, complete


def place(text: str, marks: list[Mark], taken: list[Span] | None = None, from_last_anchor: bool = False) -> Placement:
    """Find marks in text, in the order given, without overlapping `taken` or each other.

    from_last_anchor: start the search at the latest occurrence of the first mark from which the most marks can
    be found in order. A list of departments sits in the closing bracket （责任单位：A、B、C）, after any mention of
    A in the running text, so this finds the list rather than the mention. Marks that occur nowhere are left
    out of the count. When the others can all be found in order, placing them as late as possible from the last
    one backwards gives that anchor directly (the latest first mark of any complete chain); when they cannot
    (marks out of order), the better of two anchors: where that backward placement put the first mark, and the
    first mark's last occurrence. Either way about m log n for m marks, whatever the text repeats.
    """
    marks = [m for m in marks if m.needle]
    if not marks:
        return Placement()
    index = _Index(text, list(taken or []))
    best = None
    if from_last_anchor and index.free(marks[0].needle):
        anchor, complete = _latest_start(index, [m for m in marks if index.free(m.needle)])
        if complete:
            best = _sequential(index, marks, anchor)
        else:
            # Some marks cannot follow each other: try the backward placement's anchor and the last occurrence of
            # the first mark, keep the one that finds more (the later one on a tie).
            candidates = sorted({a for a in (anchor, index.free(marks[0].needle)[-1]) if a is not None}, reverse=True)
            for attempt in (_sequential(index, marks, a) for a in candidates):
                if best is None or sum(s is not None for s in attempt) > sum(s is not None for s in best):
                    best = attempt
    if best is None:
        best = _sequential(index, marks, 0)
    for span in best:
        if span:
            index.occupy(span)
    placement = Placement()
    for mark, span in zip(marks, best):
        if span is None:
            # Out of order: accept any free occurrence rather than none.
            at = index.first_unused(mark.needle)
            if at is None:
                placement.missing.append(mark)
                continue
            span = Span(at, at + len(mark.needle), mark)
            index.occupy(span)
        placement.spans.append(span)
    placement.spans.sort(key=lambda s: s.start)
    return placement


def paragraphs(parent: etree._Element, tag: str, text: str, spans: list[Span]) -> None:
    """Append one <p> per line of text (lines split on \\n) to parent, with the spans wrapped inside.

    The concatenated text content of each <p> equals its line exactly. A span crossing a line break is dropped.
    """
    ordered = sorted(spans, key=lambda s: s.start)
    i = 0
    offset = 0
    for line in text.split("\n"):
        end = offset + len(line)
        p = etree.SubElement(parent, tag)
        inside = []
        # Spans are sorted and disjoint: one pass over them for all lines (filtering every span per line was
        # quadratic in a unit with many lines and many departments).
        while i < len(ordered) and ordered[i].start < end + 1:
            span = ordered[i]
            if span.start >= offset and span.end <= end:
                inside.append(Span(span.start - offset, span.end - offset, span.mark))
            i += 1
        fill(p, line, inside)
        offset = end + 1


def fill(element: etree._Element, text: str, spans: list[Span]) -> None:
    """Mixed content: text before the first span goes in .text, text after each span in its .tail."""
    pos = 0
    last = None
    ns = etree.QName(element).namespace
    for span in sorted(spans, key=lambda s: s.start):
        before = text[pos:span.start]
        if last is None:
            element.text = before or None
        else:
            last.tail = before or None
        tag = f"{{{ns}}}{span.mark.tag}" if ns else span.mark.tag
        last = etree.SubElement(element, tag, dict(span.mark.attrs))
        last.text = text[span.start:span.end]
        pos = span.end
    rest = text[pos:]
    if last is None:
        element.text = rest or None
    else:
        last.tail = rest or None
