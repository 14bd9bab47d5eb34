"""Run-in text: copies that lost their line breaks (a whole 办法 on one line). The structure is still in the words:
第X章 / 第X条 after a sentence end or after a chapter title, a signature and date after the last sentence, and
inline lists (应当具备下列条件：（一）…；（二）…。). Such a paragraph is cut back into the paragraphs it was, before
the reader builds the tree; each cut is recorded as a repair (run_in_split) with its line.

A marker is a cut only where a new paragraph could start: after 。；！？ (or a closing quote or bracket), after a
chapter title, or after a date or 附注; and only with the number expected next (第五条 after 第四条, or 第一条
starting a text), so 「依照本办法第十一条规定」 and 「。第十一条规定的情形…」 out of order stay text.
"""
from __future__ import annotations

import bisect
import re

from ..chinese import CN_NUMERAL_CHARS, DATE_RE, cn_to_int, is_date_line, parse_date
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
_GONGWEN = re.compile(r"([一二三四五六七八九十]{1,3})、|（([一二三四五六七八九十]{1,3})）|(?<![\d.．])(\d{1,2})[.．](?=[\u4e00-\u9fff])")
_IN_FORCE = re.compile(r"本[\u4e00-\u9fff]{1,6}自[^。，；]{2,30}起(?:施行|实施|执行|生效)")
_ENUM = re.compile(r"（([一二三四五六七八九十]+)）")
_OF_THE_LIST = re.compile(r"[ \u3000\t]*(?:上述|前款|前述|本条|以上|符合前款|有前款|依照前款)")
_LABEL_MAX = 40
_WINDOW = 80
_MIN_LENGTH = 60  # a short paragraph has nothing run into it


def _label(text: str) -> bool:
    """A title, chapter title or signature: short, without sentence punctuation."""
    core = text.strip(" \u3000\t")
    return 0 < len(core) <= _LABEL_MAX and not _PUNCT.search(core)


def _short(raw: str, start: int, end: int) -> bool:
    """_label(raw[start:end]) without copying a long stretch."""
    return end - start <= _WINDOW and _label(raw[start:end])


def _ordinal(token: str) -> int | None:
    try:
        return cn_to_int(token)
    except ValueError:
        return None


class _Splitter:
    def __init__(self) -> None:
        self.last: dict[str, int] = {}  # 编/章/节/条, sec/para/point -> last number seen (across paragraphs)
        self.opened: dict[str, bool] = {}  # sec/para/point -> a unit of the level above opened since its last one

    def cuts(self, raw: str, first: bool, after_date: bool = False) -> list[int]:
        """Positions in raw where a new paragraph starts (first: the document's first paragraph; after_date: the
        paragraph before was a date or 附注, so this one may start with a carried text's title)."""
        cuts: set[int] = set()
        soft: set[int] = {0}  # a paragraph start, or after a date or 附注: a title may come, then 第一章 / 第一条
        if first:
            cuts |= _header_cuts(raw)
        # Every look around a marker is bounded (_WINDOW characters): a 50 MB line stays linear.
        text_end = len(raw.rstrip(" \u3000\t"))
        for match in DATE_RE.finditer(raw):
            if parse_date(match.group()) is None:
                continue
            lo = max(0, match.start() - _WINDOW)
            window = raw[lo:match.start()]
            end = max(window.rfind(ch) for ch in _SENTENCE_END)
            signature = window[end + 1:]
            end = lo + end if end >= 0 else -1
            if end < 0 and (lo > 0 or signature.strip()):
                continue  # the date is inside the paragraph's first sentence
            if signature.strip() and not _label(signature):
                continue
            after = raw[match.end():match.end() + _WINDOW]
            note = _NOTE.match(after)
            rest = after[note.end():] if note else after
            head = _STATUTE.search(rest)
            title = rest[:head.start()] if head else rest
            rest_at = match.end() + (note.end() if note else 0)
            if rest_at < text_end and not (head and (not title.strip() or _label(title))):
                continue  # 2019年1月1日起施行…: a date in a sentence
            if signature.strip():
                cuts.add(end + 1)
            cuts.add(match.start())
            if match.end() < text_end:
                cuts.add(match.end())
                soft.add(match.end())
            if note and rest_at < text_end:
                cuts.add(rest_at)
                soft.add(rest_at)
        for start in sorted(soft):
            if start or after_date:
                cuts |= _title_cut(raw, start)
        soft_sorted = sorted(soft)
        chapter_end = -1  # where the last 章/节 marker ended: its title runs to the next 节/条
        last_cut = 0
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
                prev = raw[max(0, pos - 8):pos].rstrip(" \u3000\t")
                soft_at = soft_sorted[bisect.bisect_right(soft_sorted, pos) - 1]
                start = max(soft_at, last_cut)
                ok = (bool(prev) and prev[-1] in _SENTENCE_END
                      or chapter_end >= 0 and kind in "节条" and _short(raw, chapter_end, pos)
                      or kind in "编章条" and ordinal == 1 and start == soft_at and _short(raw, start, pos))
            if not ok:
                continue
            if pos:
                cuts.add(pos)
                last_cut = pos
            self.last[kind] = ordinal
            if kind == "章":
                self.last.pop("节", None)
            chapter_end = match.end() if kind in "编章节" else -1
        cuts |= self._gongwen_cuts(raw)
        for match in _IN_FORCE.finditer(raw):  # 。本意见自印发之日起施行: the closing sentence, a paragraph of its own
            prev = raw[max(0, match.start() - 8):match.start()].rstrip(" \u3000\t")
            if prev and prev[-1] in "。！？":
                cuts.add(match.start())
        return sorted(c for c in cuts if 0 < c < len(raw))

    def _gongwen_cuts(self, raw: str) -> set[int]:
        """一、 （一） 1. of a 公文 run into the text: after 。；！？： (or a heading right after the level above), and
        only as the number expected next — （一） again only after a new 一、, so an inline list inside a clause
        (…做到：（一）…；（二）…) of a text that already has its （一） lines is left alone."""
        cuts: set[int] = set()
        heading_end = -1  # where the last 一、 / （一） label ended: a short heading may follow it, then the next level
        for match in _GONGWEN.finditer(raw):
            level = next(i for i, group in enumerate(match.groups()) if group is not None)
            ordinal = _ordinal(match.group(level + 1))
            if ordinal is None:
                continue
            key = ("sec", "para", "point")[level]
            pos = match.start()
            last = self.last.get(key, 0)
            expected = ordinal == last + 1 or ordinal == 1 and (last == 0 or self.opened.get(key, False))
            if pos == 0:
                ok = True
            elif not expected:
                ok = False
            else:
                prev = raw[max(0, pos - 8):pos].rstrip(" \u3000\t")
                ok = bool(prev) and prev[-1] in _SENTENCE_END + "：:" or (
                    heading_end >= 0 and _short(raw, heading_end, pos) and level > 0)
            if not ok:
                continue
            if pos:
                cuts.add(pos)
            self.last[key] = ordinal
            self.opened[key] = False
            for below in ("sec", "para", "point")[level + 1:]:
                self.opened[below] = True  # the level below may start again at 1
            heading_end = match.end() if level < 2 else -1
        return cuts

    def enumerations(self, piece: str) -> list[int]:
        """（一）（二）… inside a 条: the first after ：, each next one after ； or 。, in order."""
        if not _STATUTE.match(piece):
            return []
        found: list[int] = []
        expected = 1
        for match in _ENUM.finditer(piece):
            before = piece[max(0, match.start() - 8):match.start()].rstrip(" \u3000\t")
            ordinal = _ordinal(match.group(1))
            mark = "：:" if expected == 1 else "；;。"
            if ordinal == expected and before and before[-1] in mark:
                found.append(match.start())
                expected += 1
            elif ordinal == 1 and before and before[-1] in "：:" and expected > 1:
                found.append(match.start())  # a second list in the same 条
                expected = 2
        if len(found) < 2:
            return []
        return found


def _list_end(piece: str) -> list[int]:
    """After an item's 。 a 款 that speaks of the list (上述…, 前款…) is the 条's; any other sentence may still be
    the item's (第二十二条（二）…1000元。可以由赡养人均摊…): without a line break nothing tells."""
    if not _ENUM.match(piece):
        return []
    end = piece.find("。")
    return [end + 1] if end > 0 and _OF_THE_LIST.match(piece, end + 1) else []


def _title_cut(raw: str, start: int) -> set[int]:
    """A carried text's title run into its preface (…奖励办法为进一步贯彻…): cut after the title's 文种."""
    head = raw[start:start + _LABEL_MAX + 1]
    stop = _PUNCT.search(head)
    label = head[:stop.start()] if stop else head
    ends = [m.end() for m in _TITLE_END.finditer(label)]
    if not ends or ends[-1] < 6 or ends[-1] == len(label) or head[ends[-1]] in "（(《":
        return set()
    return {start + ends[-1]}


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
            splitter.cuts(raw, False)  # nothing is cut in a short paragraph, but the expected numbers keep in step
            out.append(para)
            continue
        after_date = index > 0 and (is_date_line(paras[index - 1].text) or bool(_NOTE.fullmatch(paras[index - 1].raw)))
        pieces = _pieces(raw, splitter.cuts(raw, index == 0, after_date))
        pieces = [part for piece in pieces for part in _pieces(piece, splitter.enumerations(piece))]
        pieces = [part for piece in pieces for part in _pieces(piece, _list_end(piece))]
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
