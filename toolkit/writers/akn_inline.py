"""Inline semantic markup: find known substrings (department names, threshold texts…) in plain text and turn
the text into <p> elements whose text content is exactly the original, with the substrings wrapped.

A substring that cannot be found is simply not wrapped: the reference to it still exists in <meta>, and the text
itself is never changed.
"""
from __future__ import annotations

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


def _free(start: int, end: int, taken: list[Span]) -> bool:
    return all(end <= s.start or start >= s.end for s in taken)


def _sequential(text: str, marks: list[Mark], start: int, taken: list[Span]) -> list[Span | None]:
    """Each mark at its first free occurrence after the previous one; None where there is none."""
    result: list[Span | None] = []
    pos = start
    for mark in marks:
        span = None
        for at in _occurrences(text, mark.needle):
            if at >= pos and _free(at, at + len(mark.needle), taken):
                span = Span(at, at + len(mark.needle), mark)
                break
        if span:
            pos = span.end
        result.append(span)
    return result


def place(text: str, marks: list[Mark], taken: list[Span] | None = None, from_last_anchor: bool = False) -> Placement:
    """Find marks in text, in the order given, without overlapping `taken` or each other.

    from_last_anchor: start the search at the latest occurrence of the first mark from which the most marks can
    be found in order. A list of departments sits in the closing bracket （责任单位：A、B、C）, after any mention of
    A in the running text, so this finds the list rather than the mention.
    """
    taken = list(taken or [])
    marks = [m for m in marks if m.needle]
    if not marks:
        return Placement()
    best: list[Span | None] | None = None
    if from_last_anchor:
        for anchor in reversed(_occurrences(text, marks[0].needle)):
            attempt = _sequential(text, marks, anchor, taken)
            if best is None or sum(s is not None for s in attempt) > sum(s is not None for s in best):
                best = attempt
            if all(attempt):
                break
    if best is None:
        best = _sequential(text, marks, 0, taken)
    placement = Placement()
    for mark, span in zip(marks, best):
        if span is None:
            # Out of order: accept any free occurrence rather than none.
            retry = _sequential(text, [mark], 0, taken + placement.spans)[0]
            if retry is None:
                placement.missing.append(mark)
                continue
            span = retry
        placement.spans.append(span)
    placement.spans.sort(key=lambda s: s.start)
    return placement


def paragraphs(parent: etree._Element, tag: str, text: str, spans: list[Span]) -> None:
    """Append one <p> per line of text (lines split on \\n) to parent, with the spans wrapped inside.

    The concatenated text content of each <p> equals its line exactly. A span crossing a line break is dropped.
    """
    offset = 0
    for line in text.split("\n"):
        end = offset + len(line)
        p = etree.SubElement(parent, tag)
        inside = [s for s in spans if s.start >= offset and s.end <= end]
        fill(p, line, [Span(s.start - offset, s.end - offset, s.mark) for s in inside])
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
