"""Chinese text handling in one place: numerals, dates, punctuation and character width.

Everything here is a pure function on strings. Output punctuation follows GB/T 15834: full-width Chinese
punctuation in running text; digits, Latin letters, % and the . of 1. stay half-width.
"""
from __future__ import annotations

import datetime
import re
import unicodedata
from collections import Counter

# --- numerals -----------------------------------------------------------------------------------------

_DIGITS = {"零": 0, "〇": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "零〇○一二两三四五六七八九十百千万亿"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def cn_to_int(text: str) -> int:
    """Chinese numeral to int: 十二 -> 12, 一百零五 -> 105, 二〇二四 -> 2024 (digit by digit), 12 -> 12.

    Raises ValueError when the text is not a numeral.
    """
    text = text.strip()
    if not text:
        raise ValueError("empty numeral")
    if text.isdigit():
        return int(to_halfwidth(text))
    if any(ch not in _DIGITS and ch not in _SMALL_UNITS and ch not in _BIG_UNITS for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if all(ch in _DIGITS for ch in text) and len(text) > 1:
        # Digit-by-digit form used for years: 一九九六, 二〇二四.
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            section += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        else:  # 万, 亿
            section += digit or 0
            total = (total + section) * _BIG_UNITS[ch] if ch == "亿" else total + section * _BIG_UNITS[ch]
            section, digit = 0, None
    return total + section + (digit or 0)


def circled_to_int(ch: str) -> int:
    return CIRCLED.index(ch) + 1


# --- dates --------------------------------------------------------------------------------------------

_NUM = rf"[0-9{CN_NUMERAL_CHARS}]"
DATE_RE = re.compile(rf"({_NUM}{{4}})\s*年\s*({_NUM}{{1,3}})\s*月\s*({_NUM}{{1,3}})\s*日")


def parse_date(text: str) -> str | None:
    """The first date in text as ISO YYYY-MM-DD: 2024年6月6日, 2024 年 6 月 6 日, 一九九六年六月二十九日."""
    match = DATE_RE.search(to_halfwidth(text))
    if not match:
        return None
    try:
        year, month, day = (cn_to_int(g) for g in match.groups())
    except ValueError:
        return None
    if not 1900 <= year <= 2200:
        return None
    try:
        # A real calendar day: 2024年2月30日 must not become a schema-valid but impossible "2024-02-30".
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?!\d)")


def parse_numeric_date(text: str) -> str | None:
    """A date written with figures and separators, as web pages give it (2023-10-16, 2023/10/16, 2023.10.16),
    or one written with 年月日; as ISO YYYY-MM-DD, None when there is none or it is not a real day."""
    text = to_halfwidth(text)
    match = _NUMERIC_DATE.search(text)
    if not match:
        return parse_date(text)
    year, month, day = (int(g) for g in match.groups())
    if not 1900 <= year <= 2200:
        return None
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def is_date_line(text: str) -> bool:
    """True when the whole line is one date (a 成文日期 line)."""
    match = DATE_RE.fullmatch(to_halfwidth(text).strip())
    return bool(match) and parse_date(text) is not None


# --- width and punctuation ----------------------------------------------------------------------------

_HALFWIDTH = {code: code - 0xFEE0 for code in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
_HALFWIDTH[ord("％")] = ord("%")


def to_halfwidth(text: str) -> str:
    """Full-width digits, Latin letters and ％ to half-width; other characters unchanged."""
    return text.translate(_HALFWIDTH)


def is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2FFFF
            or 0xF900 <= code <= 0xFAFF or ch in "〇")


# Full-width punctuation (and CJK brackets) that sits tight against Chinese text.
CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】〔〕「」『』…—·～"
SENTENCE_END = "。！？"
CLOSERS = "）》〕】」』”’"

def _is_cjk_context(ch: str) -> bool:
    return is_cjk(ch) or ch in CJK_PUNCT


_TO_FULL = str.maketrans({";": "；", "?": "？", "!": "！", "(": "（", ")": "）"})
_ASCII_COMMA = re.compile(r"(?<!\d),|,(?!\d)")  # a comma between two digits is a thousands separator
# A colon between two digits is a time (8:30); before // it is part of a web address (https://…).
_ASCII_COLON = re.compile(r"(?<!\d):(?!//)|:(?!\d)(?!//)")
_FULLWIDTH_DOT = re.compile(r"(?<=\d)．")
_NEEDS_WORK = re.compile(r"[,;?!():．\"'\uff10-\uff19\uff21-\uff3a\uff41-\uff5a％]")


def normalize_punctuation(line: str) -> str:
    """Mixed half/full-width punctuation to GB/T 15834 usage, without touching numbers.

    - full-width digits, letters and ％ become half-width;
    - , ; ? ! ( ) become full-width (a comma between two digits is a thousands separator and stays);
    - : becomes ： unless it sits between digits (a time such as 8:30) or starts // (https://);
    - ． after a digit becomes . (1．-> 1., 3．5 -> 3.5);
    - straight quotes become “ ” and ‘ ’, alternating within the line.
    """
    if not _NEEDS_WORK.search(line):
        return line
    text = to_halfwidth(line)
    text = _ASCII_COMMA.sub("，", text)
    text = _ASCII_COLON.sub("：", text)
    text = _FULLWIDTH_DOT.sub(".", text).translate(_TO_FULL)
    if '"' in text or "'" in text:
        text = _straight_quotes(text)
    return text


def _straight_quotes(text: str) -> str:
    out: list[str] = []
    double_open = single_open = True
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else ""
        if ch == '"':
            out.append("“" if double_open else "”")
            double_open = not double_open
        elif ch == "'" and not (prev.isascii() and prev.isalpha()):  # keep the apostrophe of don't
            out.append("‘" if single_open else "’")
            single_open = not single_open
        else:
            out.append(ch)
    return "".join(out)


# Every Unicode space a copy may carry: U+2000–U+200A (en, em, thin… spaces: PDF extraction and web pages),
# U+202F and U+205F besides the ASCII, no-break and ideographic spaces.
_SPACES = " \t\u3000\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"


SPACES = _SPACES
_SPACE_RUN = re.compile(f"[{_SPACES}]+")


def collapse_cjk_spaces(text: str) -> str:
    """Remove spaces that sit next to Chinese text: 自 2024 年 -> 自2024年, 促进 专精特新 -> 促进专精特新.

    Spaces between two non-Chinese words (English, numbers) are kept as one space; leading and
    trailing spaces go.
    """
    if not _SPACE_RUN.search(text):
        return text

    def replace(match: re.Match) -> str:
        start, end = match.span()
        if start == 0 or end == len(text):
            return ""
        prev, nxt = text[start - 1], text[end]
        return "" if _is_cjk_context(prev) or _is_cjk_context(nxt) else " "

    return _SPACE_RUN.sub(replace, text)


def strip_spaces(text: str) -> str:
    return text.strip(_SPACES)


def split_top_level(text: str, separators: str) -> list[str]:
    """Split on separators that are not inside （）〔〕《》【】“” brackets."""
    parts, depth, current = [], 0, []
    for ch in text:
        if ch in "（〔《【“(":
            depth += 1
        elif ch in "）〕》】”)" and depth:
            depth -= 1
        if ch in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p for p in (strip_spaces(p) for p in parts) if p]


def normalize_brackets(text: str) -> str:
    """〔〕【】[] to （）: used for comparing names written with different brackets."""
    return text.translate(str.maketrans("〔〕【】[]", "（）（）（）"))


BRACKET_PAIRS = {"（": "）", "〔": "〕", "《": "》", "“": "”", "【": "】", "‘": "’"}


# --- search tokens ------------------------------------------------------------------------------------

# The website's search cuts the indexed text and the reader's query the same way, so a phrase is found
# whatever a word segmenter would have made of it in context: runs of Han characters become overlapping
# pairs (省贸促会 -> 省贸 贸促 促会), runs of Latin letters and digits one token each. The browser does the same
# in toolkit/site/pages/assets/search.js (a browser test compares the two on the corpus).
_SEARCH_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007\U00020000-\U0003134f]+|[0-9a-z]+")


def search_tokens(text: str) -> list[str]:
    """Index terms of a text: 博士创新站 -> 博士 士创 创新 新站; 1000万元 -> 1000 万元 (full width folded)."""
    out: list[str] = []
    for run in _SEARCH_RUN.findall(unicodedata.normalize("NFKC", text).lower()):
        if len(run) == 1 or run[0].isascii():
            out.append(run)
        else:
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
    return out


def search_key(text: str) -> str:
    """The text as search compares it for an exact match: only its token characters, so 浙政办发[2024]21号
    and 浙政办发〔2024〕21号 are the same, and 专精特新"小巨人" matches 专精特新“小巨人”."""
    return "".join(_SEARCH_RUN.findall(unicodedata.normalize("NFKC", text).lower()))


# Characters that show nothing (zero-width spaces and joiners, the soft hyphen, the byte-order mark) or change
# the order in which text is shown (bidi marks, embeddings, overrides and isolates). Inside a name they make
# look-alikes: 省经信厅 and 省经\u200b信厅 print the same but are different strings (two departments).
INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


def strip_invisible(text: str) -> str:
    """text without INVISIBLE characters."""
    return INVISIBLE.sub("", text)


def gb2312_share(text: str) -> tuple[int, float]:
    """(number of CJK ideographs, the share of them in GB 2312). Real simplified-Chinese official texts use GB 2312
    characters only (every text of the dev corpus: 1.0); Big5 bytes read as GB18030 give ~0.5 of odd characters,
    Shift-JIS bytes ~0. Counted per distinct character, so a 50 MB text costs one pass."""
    total = common = 0
    for ch, count in Counter(text).items():
        code = ord(ch)
        if 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3FFFF:
            total += count
            try:
                ch.encode("gb2312")
                common += count
            except UnicodeEncodeError:
                pass
    return total, (common / total if total else 1.0)
