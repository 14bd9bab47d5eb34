"""Run-in text: copies that lost their line breaks (a whole 办法 on one line). The structure is still in the words:
第X章 / 第X条 after a sentence end or after a chapter title, a signature and date after the last sentence, and
inline lists (应当具备下列条件：（一）…；（二）…。). Such a paragraph is cut back into the paragraphs it was, before
the reader builds the tree; each cut is recorded as a repair (run_in_split) with its line.

A marker is a cut only where a new paragraph could start: after 。；！？ (or a closing quote or bracket), after a
chapter title, or after a date or 附注; and only with the number expected next (第五条 after 第四条, or 第一条
starting a text), so 「依照本办法第十一条规定」 and 「。第十一条规定的情形…」 out of order stay text.
"""
from __future__ import annotations

import re

from ..chinese import CN_NUMERAL_CHARS, DATE_RE, cn_to_int, parse_date
from ..model import Repair
from .clean import Para

_SP = "[ \u3000\t]*"
_STATUTE = re.compile(rf"第{_SP}([{CN_NUMERAL_CHARS}\d]+){_SP}(编|章|节|条)")
_SENTENCE_END = "。；！？”’」）)"
_NOTE = re.compile(rf"^{_SP}[（(](?:此件|本件)[^（）()]{{1,20}}[）)]")
_PUNCT = re.compile(r"[，。；：！？、,;:!?]")
# The header run into the text: 标题 (ending with its 文种) + 发文字号 + 主送机关： at the start of the first paragraph.
_DOC_NUMBER = re.compile(r"[〔\[【（(]\d{4}[〕\]】）)]\d{1,9}号")
_TITLE_END = re.compile(r"(?:通知|函|意见|决定|公告|通告|通报|报告|请示|批复|命令|令|纪要|办法|规定|条例|细则|方案|预案)")
_ENUM = re.compile(r"（([一二三四五六七八九十]+)）")
_LABEL_MAX = 40
_MIN_LENGTH = 60  # a short paragraph has nothing run into it


def _label(text: str) -> bool:
    """A title, chapter title or signature: short, without sentence punctuation."""
    core = text.strip(" \u3000\t")
    return 0 < len(core) <= _LABEL_MAX and not _PUNCT.search(core)


def _ordinal(token: str) -> int | None:
    try:
        return cn_to_int(token)
    except ValueError:
        return None


class _Splitter:
    def __init__(self) -> None:
        self.last: dict[str, int] = {}  # 编/章/节/条 -> last number seen (across paragraphs)

    def cuts(self, raw: str, first: bool) -> list[int]:
        """Positions in raw where a new paragraph starts (first: the document's first paragraph)."""
        cuts: set[int] = set()
        soft: set[int] = {0}  # a paragraph start, or after a date or 附注: a title may come, then 第一章 / 第一条
        if first:
            cuts |= _header_cuts(raw)
        for match in DATE_RE.finditer(raw):
            if parse_date(match.group()) is None:
                continue
            before, after = raw[:match.start()], raw[match.end():]
            end = max(before.rfind(ch) for ch in _SENTENCE_END)
            signature = before[end + 1:]
            if end < 0 and signature.strip():
                continue  # the date is inside the paragraph's first sentence
            if signature.strip() and not _label(signature):
                continue
            note = _NOTE.match(after)
            rest = after[note.end():] if note else after
            head = _STATUTE.search(rest)
            title = rest[:head.start()] if head else rest
            if rest.strip() and not (head and (not title.strip() or _label(title))):
                continue  # 2019年1月1日起施行…: a date in a sentence
            if signature.strip():
                cuts.add(end + 1)
            cuts.add(match.start())
            if after.strip():
                cuts.add(match.end())
                soft.add(match.end())
            if note and rest.strip():
                cuts.add(match.end() + note.end())
                soft.add(match.end() + note.end())
        chapter_end = -1  # where the last 章/节 marker ended: its title runs to the next 节/条
        for match in _STATUTE.finditer(raw):
            kind, ordinal = match.group(2), _ordinal(match.group(1))
            if ordinal is None:
                continue
            pos = match.start()
            expected = ordinal == self.last.get(kind, 0) + 1 or ordinal == 1
            if pos == 0:
                ok = True
            elif not expected:
                ok = False
            else:
                prev = raw[:pos].rstrip(" \u3000\t")
                start = max([c for c in cuts | soft if c <= pos] + [0])
                ok = (bool(prev) and prev[-1] in _SENTENCE_END
                      or chapter_end >= 0 and kind in "节条" and _label(raw[chapter_end:pos])
                      or kind in "编章条" and ordinal == 1 and start in soft and _label(raw[start:pos]))
            if not ok:
                continue
            if pos:
                cuts.add(pos)
            self.last[kind] = ordinal
            if kind == "章":
                self.last.pop("节", None)
            chapter_end = match.end() if kind in "编章节" else -1
        return sorted(c for c in cuts if 0 < c < len(raw))

    def enumerations(self, piece: str) -> list[int]:
        """（一）（二）… inside a 条: the first after ：, each next one after ； or 。, in order."""
        if not _STATUTE.match(piece):
            return []
        found: list[int] = []
        expected = 1
        for match in _ENUM.finditer(piece):
            before = piece[:match.start()].rstrip(" \u3000\t")
            ordinal = _ordinal(match.group(1))
            mark = "：:" if expected == 1 else "；;。"
            if ordinal == expected and before and before[-1] in mark:
                found.append(match.start())
                expected += 1
            elif ordinal == 1 and before and before[-1] in "：:" and expected > 1:
                found.append(match.start())  # a second list in the same 条
                expected = 2
        return found if len(found) >= 2 else []


def _header_cuts(raw: str) -> set[int]:
    """标题 | 发文字号 | 主送机关： | text, when all of them are on the first line."""
    number = _DOC_NUMBER.search(raw, 0, 200)
    if not number:
        return set()
    ends = [m.end() for m in _TITLE_END.finditer(raw, 0, number.start()) if number.start() - m.end() <= 12]
    if not ends or not _label(raw[ends[-1]:number.start()]) or _PUNCT.search(raw[:ends[-1]]):
        return set()
    cuts = {ends[-1], number.end()}
    colon = raw.find("：", number.end(), number.end() + 200)
    if colon > 0 and "。" not in raw[number.end():colon]:
        cuts.add(colon + 1)
    return cuts


def split_run_in(paras: list[Para], repairs: list[Repair]) -> list[Para]:
    """The paragraphs, with run-in ones cut into the paragraphs they were; a repair per cut."""
    splitter = _Splitter()
    out: list[Para] = []
    for index, para in enumerate(paras):
        raw = para.raw
        if len(raw) < _MIN_LENGTH:
            match = _STATUTE.match(raw)  # keep the expected numbers in step
            if match and _ordinal(match.group(1)) is not None:
                splitter.last[match.group(2)] = _ordinal(match.group(1))
            out.append(para)
            continue
        pieces = _pieces(raw, splitter.cuts(raw, index == 0))
        pieces = [part for piece in pieces for part in _pieces(piece, splitter.enumerations(piece))]
        pieces = [p.strip(" \u3000\t") for p in pieces if p.strip(" \u3000\t")]
        if len(pieces) == 1:
            out.append(para)
            continue
        for left, right in zip(pieces, pieces[1:]):
            repairs.append(Repair("run_in_split", [para.first, para.last], f"{left[-8:]}{right[:8]}",
                                  f"{left[-8:]}⏎{right[:8]}"))
        out += [Para(piece, para.first, para.last) for piece in pieces]
    return out


def _pieces(text: str, cuts: list[int]) -> list[str]:
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]
