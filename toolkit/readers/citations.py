"""Citations of other documents in the text: 《title》（发文字号）, 《title》 alone, a 发文字号 alone.

Each citation keeps where it stands (the unit's eid and which of its texts, or the preamble / postamble /
an attachment) and its span in that text, so a page can link the clause and a reader can check it. Its kind
comes from the words before it in the same sentence:

    依据 / 根据 / 依照 / 贯彻落实 …《A》《B》和《C》   -> implements (this document carries the other out)
    …《A》（号）同时废止 / 予以废止                  -> repeals
    anything else                                  -> cites

Resolution against the corpus (by 发文字号, then exact title) is the release's job (toolkit/relations.py): the
reader only records what the text says. The document's own title, the text a 印发通知 transmits, and its
attachments are not citations of another document.
"""
from __future__ import annotations

import re

from ..chinese import to_halfwidth
from ..model import Citation, Document
from ..vocabulary import doc_number_key, parse_doc_number, title_key

_TITLE = re.compile(r"《(?P<title>[^《》\n]{2,150})》")
_NUMBER_CORE = re.compile(r"[〔\[（(【]\s*(?P<year>\d{4})\s*[〕\])）】]\s*(?P<serial>\d{1,9})\s*号")
# After a title: its 发文字号 in brackets, （浙政办发〔2022〕19号） or (浙政办发[2022]19号).
_NUMBER_AFTER_TITLE = re.compile(r"\s*[（(]\s*(?P<number>[\u4e00-\u9fff]{1,12}\s*[〔\[【（(]\s*\d{4}\s*[〕\]】）)]"
                                 r"\s*\d{1,9}\s*号)\s*[）)]")
# Words that cannot begin a 机关代字: read back from 〔year〕 and stop at them (按照浙政办发〔2023〕6号 -> 浙政办发).
_LEAD_WORDS = ("贯彻落实", "按照", "根据", "依据", "依照", "参照", "执行", "贯彻", "落实", "印发", "转发", "同时",
               "以及", "和", "及", "与", "或", "的", "经", "由", "在", "对", "将", "按", "见", "是", "为", "即", "原", "号")
_TRANSMITS = ("印发", "转发", "颁布", "发布")
_IMPLEMENTS = ("贯彻落实", "依据", "根据", "依照")
_CONNECTORS = re.compile(r"^[\s、，,和及与以或“”\"]*$")
_REPEAL_WORD = re.compile(r"(?:同时|予以|一并)?废止")
_FILLER = re.compile(r"等文件|等|文件|（以下简称[^）]*）")
_SENTENCE_START = "。；！？\n"


def find_citations(doc: Document) -> list[Citation]:
    """Every citation in the document, in reading order."""
    out: list[Citation] = []
    for eid, field, text, line in _texts(doc):
        out.extend(c for c in _in_text(text, eid, field, line) if not _is_own(c, doc))
    return out


def _is_own(c: Citation, doc: Document) -> bool:
    """The document naming itself or what it transmits: its own 发文字号, its title (without another number),
    its attachments, or the text a 印发/转发 notice carries (关于印发国家粮食应急预案的函 -> 《国家粮食应急预案》)."""
    meta = doc.metadata
    if c.doc_number:
        return doc_number_key(c.doc_number) == doc_number_key(meta.doc_number)
    key = title_key(c.title)
    own = {title_key(t) for t in (meta.title, meta.enclosed_title) if t}
    own |= {title_key(a.title) for a in doc.attachments if a.title}
    if key in own:
        return True
    title = title_key(meta.title) or ""
    return bool(key) and key in title and any(word in title for word in _TRANSMITS)


def _texts(doc: Document):
    """(eid, field, text, first source line) of every text that can cite."""
    if doc.preamble:
        yield None, "preamble", doc.preamble, None
    for unit in doc.units():
        line = unit.source_lines[0] if unit.source_lines else None
        if unit.heading:
            yield unit.eid, "heading", unit.heading, line
        if unit.text:
            yield unit.eid, "text", unit.text, line
        if unit.wrap_up:
            yield unit.eid, "wrap_up", unit.wrap_up, line
    if doc.postamble:
        yield None, "postamble", doc.postamble, None
    for n, att in enumerate(doc.attachments, 1):
        if att.text:
            yield f"att_{n}", "attachment", att.text, att.source_lines[0] if att.source_lines else None


def _in_text(text: str, eid: str | None, field: str, line: int | None) -> list[Citation]:
    spans: list[tuple[int, int, str | None, str | None]] = []  # start, end, title, number
    for match in _TITLE.finditer(text):
        start, end, number = match.start(), match.end(), None
        after = _NUMBER_AFTER_TITLE.match(text, end)
        if after:
            parsed = parse_doc_number(to_halfwidth(after.group("number")))
            if parsed:
                number, end = parsed[0], after.end()
        spans.append((start, end, match.group("title").strip(), number))
    taken = [(s, e) for s, e, _, _ in spans]
    for match in _NUMBER_CORE.finditer(text):
        if any(s <= match.start() < e for s, e in taken):
            continue
        start = _code_start(text, match.start())
        if start is None:
            continue
        parsed = parse_doc_number(text[start:match.end()])
        if parsed:
            spans.append((start, match.end(), None, parsed[0]))
    spans.sort()
    out = []
    for start, end, title, number in spans:
        out.append(Citation(kind=_kind(text, start, end, spans), title=title, doc_number=number,
                            text=text[start:end], eid=eid, field=field, start=start, end=end, line=line))
    return out


def _code_start(text: str, bracket: int) -> int | None:
    """Where the 机关代字 before `〔year〕` begins: back over CJK characters, stopping at a lead word."""
    start = bracket
    while start > 0 and "\u4e00" <= text[start - 1] <= "\u9fff" and bracket - start < 12:
        start -= 1
    code = text[start:bracket]
    # Drop words that begin the sentence rather than the code, longest first, as often as they occur.
    changed = True
    while changed and code:
        changed = False
        for word in sorted(_LEAD_WORDS, key=len, reverse=True):
            at = code.rfind(word)
            if at >= 0 and len(code) - (at + len(word)) >= 2:
                start += at + len(word)
                code = code[at + len(word):]
                changed = True
                break
    return start if len(code) >= 2 else None


def _kind(text: str, start: int, end: int, spans: list[tuple[int, int, str | None, str | None]]) -> str:
    def gap(a: int, b: int) -> str:
        """text[a:b] without the other citations in it: what joins this citation to a word."""
        kept = [ch for i, ch in enumerate(text[a:b], a) if not any(s <= i < e for s, e, _, _ in spans)]
        return "".join(kept)

    repeal = _REPEAL_WORD.search(text, end)
    if repeal and not any(ch in text[end:repeal.start()] for ch in "。；") and \
            _CONNECTORS.match(_FILLER.sub("", gap(end, repeal.start()))):
        return "repeals"
    sentence_start = max(text.rfind(ch, 0, start) for ch in _SENTENCE_START) + 1
    head = text[sentence_start:start]
    for word in _IMPLEMENTS:
        at = head.rfind(word)
        if at >= 0 and _CONNECTORS.match(gap(sentence_start + at + len(word), start)):
            return "implements"
    return "cites"
