"""No silent loss: every non-blank line of the source ends up in the document or in a recorded removal.

The reader moves text around (a heading out of its line, 附注 out of its brackets, dates into ISO form), so the
check compares words, not strings: the letters, digits and Chinese characters of each source line (its "core")
must appear, in order, in one of the places a Document keeps text — metadata, preamble, 目录, units (num,
heading, text, wrap-up), postamble, closing, carried documents (components: the same parts), attachments — or the line must be one a repair removed whole (a markdown
rule, page furniture, a web page's metadata table), recorded with its line number. Dates may leave a line for
the metadata (成文日期, events), and a numbering or 附件 label may stay behind when its item goes into a list
(附件说明), so a line also counts as placed when its core without them is found.

Lines are searched for from where the previous line was found, so the usual case (text in source order) costs
one short scan per line.
"""
from __future__ import annotations

import re

from ..chinese import DATE_RE, to_halfwidth
from ..model import Closing, Document, Finding, Unit
from .numbering import match_number

# Repairs that take a whole line out of the text.
REMOVALS = {"rule_removed", "page_furniture_removed", "page_metadata_read", "page_number_removed"}
_LABEL = re.compile(r"^(?:附件|抄送|主送|附注|说明)\s*[0-9一二三四五六七八九十]*\s*[:：]?")
_SEPARATOR = "\x00"  # between pieces: a line is never found across two places


_NOT_WORD = re.compile(r"[\W_]+")  # \w is letters, digits (Chinese characters and 〇 among them) and _


_FULL_WIDTH = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")


def core(text: str) -> str:
    """The letters, digits and Chinese characters of a text, half-width."""
    text = _NOT_WORD.sub("", text)
    return to_halfwidth(text) if _FULL_WIDTH.search(text) else text  # translate() is slow: only when needed


def _unit_pieces(unit: Unit, out: list[str]) -> None:
    if unit.lead_in:  # the parent's 款 that opens this unit's list: it comes right before the unit
        out.append(unit.lead_in)
    out.append(unit.num + (unit.heading or "") + unit.text)
    for child in unit.children:
        _unit_pieces(child, out)
    if unit.wrap_up:
        out.append(unit.wrap_up)


def output_pieces(doc: Document) -> list[str]:
    """Every text the document keeps, roughly in source order."""
    md = doc.metadata
    out = [md.issuer_mark or "", md.doc_number or "", md.title or "",
           *(e.description for e in md.events), "".join(md.addressees), doc.preamble]
    for unit in doc.body:
        _unit_pieces(unit, out)
    out += [doc.postamble, *_closing_pieces(doc.closing), md.enclosed_title or "", md.printing_office or "",
            *md.attachment_list, *doc.toc]
    for component in doc.components:  # carried documents (readers/carried.py), in source order
        out += [component.num or "", component.title or "", component.doc_number or "",
                *(e.description for e in component.events), "".join(component.addressees), component.preamble,
                *component.toc]
        for unit in component.body:
            _unit_pieces(unit, out)
        out += [component.postamble, *_closing_pieces(component.closing)]
    for attachment in doc.attachments:
        out.append(attachment.num + (attachment.title or "") + attachment.text)
    return [p for p in out if p]


def _closing_pieces(closing: Closing) -> list[str]:
    return [*closing.signature, closing.date_text or "", *closing.notes, *closing.imprint]


def _variants(line: str):
    """The cores a placed line may have left in the document: whole, then (computed only when the whole is not
    found) without dates, without a label."""
    yield core(line)
    if "年" in line:
        yield core(DATE_RE.sub("", to_halfwidth(line)))
    numbered = match_number(line)
    rest = numbered.rest if numbered else _LABEL.sub("", line)
    if rest != line:
        yield core(rest)
        again = match_number(rest)
        if again:
            yield core(again.rest)


def unplaced_lines(doc: Document, text: str) -> list[int]:
    """Line numbers (1-based) of non-blank source lines whose text is found nowhere in the document."""
    removed = {n for r in doc.provenance.repairs if r.kind in REMOVALS or (r.kind == "markdown_marker" and not r.after)
               for n in r.lines}
    stream = _SEPARATOR + _SEPARATOR.join(core(p) for p in output_pieces(doc)) + _SEPARATOR
    cuts: dict[int, int] = {}  # line -> how many times run-in splitting cut it into paragraphs
    for repair in doc.provenance.repairs:
        if repair.kind == "run_in_split":
            cuts[repair.lines[0]] = cuts.get(repair.lines[0], 0) + 1
    at = 0
    missing: list[int] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if number in removed:
            continue
        if not core(line):
            continue  # blank, or punctuation only: no words to lose
        for wanted in _variants(line):
            if not wanted:
                continue
            found = stream.find(wanted, at)
            if found < 0:
                found = stream.find(wanted)
            else:
                at = found + len(wanted)
            if found >= 0:
                break
        else:
            end = _found_in_pieces(core(line), stream, at, cuts[number] + 2) if number in cuts else None
            if end is None:
                missing.append(number)
            else:
                at = end
    return missing


_NEAR = 4000  # characters of the stream searched ahead for the next chunk before searching all of it
_PROBE = 16


def _common_length(wanted: str, k: int, stream: str, pos: int) -> int:
    """How many characters of wanted[k:] the stream has at pos: galloping, then halving (each probe compares a
    slice, so a huge run-in line costs n log n, not a Python loop per character)."""
    size, good = 32, 0
    while k + good < len(wanted) and stream.startswith(wanted[k + good:k + good + size], pos + good):
        good = min(good + size, len(wanted) - k)
        size *= 2
    while size > 1 and k + good < len(wanted):
        size //= 2
        if stream.startswith(wanted[k + good:k + good + size], pos + good):
            good = min(good + size, len(wanted) - k)
    return good


def _found_in_pieces(wanted: str, stream: str, at: int, most: int) -> int | None:
    """A line the reader cut into paragraphs (run-in text) lives in several places: its core must be found as
    consecutive stretches of the stream (skipping the separators between places), with at most `most` jumps to
    where the next stretch is. Returns where the last one ends, or None."""
    pos, k, jumps = at, 0, 0
    while k < len(wanted):
        same = _common_length(wanted, k, stream, pos)
        if same:
            k, pos = k + same, pos + same
            continue
        if stream.startswith(_SEPARATOR, pos):
            pos += 1  # the next place: a cut often falls between two of them
            continue
        if jumps == most:
            return None
        probe = wanted[k:k + _PROBE]
        found = stream.find(probe, pos, pos + _NEAR)
        if found < 0:
            found = stream.find(probe)  # out of order: a title or a date that went into the metadata
        if found < 0:
            return None
        pos, jumps = found, jumps + 1
    return pos


def unplaced_findings(doc: Document, text: str) -> list[Finding]:
    """A warning for each line the reader could not place (the text is not in the published data)."""
    lines = text.split("\n")
    out = []
    for number in unplaced_lines(doc, text):
        snippet = "".join(ch for ch in lines[number - 1].strip() if ch.isprintable())
        snippet = snippet if len(snippet) <= 20 else snippet[:20] + "…"
        out.append(Finding(code="unplaced-text", line=number, column=1,
                           message=f"这一行的文字没有进入发布的数据（读取器无法确定它属于哪一部分）：{snippet}"))
    return out
