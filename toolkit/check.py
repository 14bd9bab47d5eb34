"""`policykit check`: a linter for official source texts, run before they are published.

It runs the reader (which keeps going where it can and records what it noticed in Document.warnings) and adds
checks on the source itself: brackets and quotes, dates, metadata, 责任单位, the department registry and the
page-break repairs. Every finding has a code, a severity, and a line and column where there is one (columns
count characters, 1-based, in the decoded line). The codes and why each has its severity: docs/check.md.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .chinese import (BRACKET_PAIRS, CN_NUMERAL_CHARS, DATE_RE, INVISIBLE, cn_to_int, is_cjk, normalize_punctuation,
                      parse_date)
from .errors import SEVERITY_WORDS, PolicykitError
from .model import Document, Finding, Repair, Unit
from .reader import prepare, read_bytes, read_file_bytes
from .readers.clean import Para
from .readers.decode import decode
from .divisions import place_by_code
from .registry import resolve
from .vocabulary import DOC_TYPES

ERROR, WARNING = "error", "warning"
# Severity of every code. Errors make `policykit check` exit 1: they mean the published data would be wrong
# or incomplete. Warnings are worth a look but can be right (docs/check.md explains each one).
SEVERITY = {
    "numbering-gap": ERROR,
    "numbering-duplicate": ERROR,
    "numbering-order": ERROR,
    "bracket-unclosed": ERROR,
    "bracket-unmatched": ERROR,
    "quote-unclosed": ERROR,
    "quote-unmatched": ERROR,
    "unclosed-bracket": ERROR,  # the reader's: a 责任单位 bracket never closed (when the source check missed it)
    "bad-date": ERROR,
    "replacement-character": ERROR,
    "missing-title": ERROR,
    "missing-doc-number": ERROR,  # WARNING when the text does not look like a 公文 with a 版头 or 主送机关
    "missing-signed-date": ERROR,  # likewise
    "unplaced-text": ERROR,  # the reader's: a source line whose text is nowhere in the output (readers/accounting.py)
    "no-units": WARNING,
    "unexpected-closing-text": WARNING,
    "toc-unread": WARNING,
    "missing-responsibility": WARNING,
    "unknown-department": WARNING,
    "jurisdiction-unknown": WARNING,  # the reader's: no issuer, so 市财政局 and the like stay as written
    "jurisdiction-from-text": WARNING,  # the reader's: no issuer; the place is the one the text bases itself on
    "suspicious-join": WARNING,
    "control-character": WARNING,
    "page-metadata-conflict": WARNING,  # a web page's 文号/成文日期 differs from the text's own (the text wins)
    "invisible-character": WARNING,
    "implausible-encoding": WARNING,
    "validity-no-start": WARNING,  # the reader's: 有效期5年 / 暂定三年 with no 施行日期 or 成文日期 to count from
}

_QUOTES = "“”‘’"
_CLOSER_OF = dict(BRACKET_PAIRS)
_OPENER_OF = {close: open_ for open_, close in BRACKET_PAIRS.items()}
_MARKS = re.compile("[" + re.escape("".join(BRACKET_PAIRS) + "".join(BRACKET_PAIRS.values())) + "]")
_CN = CN_NUMERAL_CHARS
# 2024年13月 without a day (full dates are DATE_RE's); the lookbehind keeps 12024年 from reading as 2024年.
_YEAR_MONTH = re.compile(rf"(?<![0-9{_CN}])([0-9{_CN}]{{4}})\s*年\s*([0-9{_CN}]{{1,3}})\s*月(?!\s*[0-9{_CN}]{{1,3}}\s*日)")
# A page-break join is suspicious when its second line starts a sentence of its own like these.
_STARTS_OWN_SENTENCE = ("特此", "本意见", "本办法", "本规定", "本通知", "本条例", "本细则", "本决定", "本方案",
                        "本实施", "附件", "抄送", "印发", "联系人", "联系电话", "此件", "现将", "现就")
_LABEL_START = re.compile(r"[\s#*>\u3000]*")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")  # what the reader removes (readers/clean.py)


@dataclass
class FileReport:
    """The findings for one file, or the fatal error that stopped the reader."""

    file: str
    findings: list[Finding] = field(default_factory=list)
    fatal: PolicykitError | None = None

    @property
    def errors(self) -> int:
        return sum(f.severity == ERROR for f in self.findings) + (self.fatal is not None)

    @property
    def warnings(self) -> int:
        return sum(f.severity == WARNING for f in self.findings)

    def lines(self) -> list[str]:
        """`file:line:col: 错误|警告: message [code]`, one per finding, in source order."""
        out = []
        for f in self.findings:
            where = self.file + "".join(f":{n}" for n in (f.line, f.column if f.line else None) if n)
            out.append(f"{where}: {SEVERITY_WORDS[f.severity]}: {f.message} [{f.code}]")
        return out

    def to_dict(self) -> dict:
        data: dict = {"file": self.file, "errors": self.errors, "warnings": self.warnings,
                      "findings": [{"line": f.line, "column": f.column, "severity": f.severity, "code": f.code,
                                    "message": f.message} for f in self.findings]}
        if self.fatal is not None:
            data["fatal"] = {"line": self.fatal.line, "column": self.fatal.column, "message": self.fatal.message}
        return data


def check_path(path: str | Path) -> FileReport:
    """Lint one file. A file that cannot be read at all gives a report with `fatal` set (exit 2)."""
    path = Path(path)
    try:
        return check_bytes(read_file_bytes(path), str(path))
    except PolicykitError as err:
        err.file = err.file or str(path)
        return FileReport(str(path), fatal=err)


def check_bytes(data: bytes, name: str) -> FileReport:
    """Lint the bytes of a source text. Raises DecodeError when it is empty or undecodable."""
    doc = read_bytes(data, name)
    text = decode(data, name).text
    source = _Source([normalize_punctuation(line) for line in text.split("\n")])
    paras, _repairs, _facts = prepare(text)

    findings = _bracket_findings(source, paras)
    findings += _reader_findings(doc, source, findings)
    findings += _date_findings(source)
    findings += _replacement_findings(source)
    findings += _metadata_findings(doc, source, paras)
    findings += _responsibility_findings(doc, source)
    findings += _join_findings(doc.provenance.repairs, source)
    findings.sort(key=lambda f: (f.line or 0, f.column or 0, f.code, f.message))
    return FileReport(name, findings)


class _Source:
    """The decoded lines, punctuation normalised (one character for one: columns stay those of the file)."""

    def __init__(self, lines: list[str]):
        self.lines = lines

    def label_column(self, line: int | None) -> int | None:
        """Column of the first real character of a line: where its numbering label or text starts."""
        if not line or line > len(self.lines):
            return None
        text = self.lines[line - 1]
        return min(_LABEL_START.match(text).end(), max(len(text) - 1, 0)) + 1

    def find(self, needle: str, first: int, last: int) -> tuple[int, int] | None:
        """(line, column) of the first occurrence of needle within lines first..last."""
        for number in range(max(first, 1), min(last, len(self.lines)) + 1):
            col = self.lines[number - 1].find(needle)
            if col >= 0:
                return number, col + 1
        return None


def _finding(code: str, message: str, line: int | None = None, column: int | None = None,
             severity: str | None = None) -> Finding:
    return Finding(code=code, message=message, line=line, column=column, severity=severity or SEVERITY[code])


# --- brackets and quotes --------------------------------------------------------------------------------

@dataclass
class _Mark:
    char: str
    line: int
    column: int


def _kind(char: str) -> str:
    return "quote" if char in _QUOTES else "bracket"


def _scan(source: _Source, para: Para) -> tuple[list[_Mark], list[_Mark], list[Finding]]:
    """(openers left open at the end, closers with no opener, definite problems) of one paragraph."""
    stack: list[_Mark] = []
    stray: list[_Mark] = []
    problems: list[Finding] = []
    for number in range(para.first, para.last + 1):
        line = source.lines[number - 1]
        for match in _MARKS.finditer(line):
            char, col = match.group(), match.start()
            if char == "’" and 0 < col < len(line) - 1 and line[col - 1].isascii() and line[col - 1].isalpha() \
                    and line[col + 1].isascii() and line[col + 1].isalpha():
                continue  # the apostrophe of China’s
            mark = _Mark(char, number, col + 1)
            if char in _CLOSER_OF:
                stack.append(mark)
            elif stack and stack[-1].char == _OPENER_OF[char]:
                stack.pop()
            elif any(m.char == _OPENER_OF[char] for m in stack):
                # （《…） : the 《 inside was never closed; the （ is.
                while stack[-1].char != _OPENER_OF[char]:
                    inner = stack.pop()
                    problems.append(_finding(f"{_kind(inner.char)}-unclosed",
                                             f"{inner.char} 在第 {number} 行第 {col + 1} 列的 {char} 之前没有闭合",
                                             inner.line, inner.column))
                stack.pop()
            else:
                stray.append(mark)
    return stack, stray, problems


def _bracket_findings(source: _Source, paras: list[Para]) -> list[Finding]:
    """Unbalanced （ ）〔 〕《 》【 】“ ”‘ ’ within each paragraph. A bracket left open at the end of a paragraph
    may be closed at the start of the next one (a title over two lines: 关于印发《… / …》的通知)."""
    findings: list[Finding] = []
    carried: list[_Mark] = []  # openers left open by the previous paragraph
    for para in paras:
        still_open, stray, problems = _scan(source, para)
        findings += problems
        for mark in stray:
            if carried and carried[-1].char == _OPENER_OF[mark.char]:
                carried.pop()  # closes what the previous paragraph opened
                continue
            findings.append(_finding(f"{_kind(mark.char)}-unmatched",
                                     f"{mark.char} 前面没有与之配对的 {_OPENER_OF[mark.char]}",
                                     mark.line, mark.column))
        findings += [_unclosed(mark) for mark in carried]
        carried = still_open
    findings += [_unclosed(mark) for mark in carried]
    return findings


def _unclosed(mark: _Mark) -> Finding:
    return _finding(f"{_kind(mark.char)}-unclosed", f"{mark.char} 没有闭合：本段中没有与之配对的 "
                    f"{_CLOSER_OF[mark.char]}", mark.line, mark.column)


# --- what the reader noticed ----------------------------------------------------------------------------

def _reader_findings(doc: Document, source: _Source, bracket_findings: list[Finding]) -> list[Finding]:
    bracket_lines = sorted({f.line for f in bracket_findings if f.line is not None})
    unit_end = {u.source_lines[0]: u.source_lines[1] for u in doc.units() if u.source_lines}
    out = []
    for warning in doc.warnings:
        if warning.code == "no-title":
            continue  # reported by _metadata_findings, with where the title should be
        if warning.code == "unclosed-bracket" and warning.line is not None:
            last = unit_end.get(warning.line, warning.line)
            at = bisect.bisect_left(bracket_lines, warning.line)
            if at < len(bracket_lines) and bracket_lines[at] <= last:
                continue  # the same bracket, already reported with its exact column
        column = source.label_column(warning.line) if warning.line else None
        out.append(_finding(warning.code, warning.message, warning.line, column,
                            SEVERITY.get(warning.code, warning.severity)))
    return out


# --- dates and damaged characters ---------------------------------------------------------------------------

def _date_findings(source: _Source) -> list[Finding]:
    out = []
    for number, line in enumerate(source.lines, start=1):
        if "年" not in line:
            continue
        for match in DATE_RE.finditer(line):
            if parse_date(match.group()) is None:
                out.append(_finding("bad-date", f"{match.group()} 不是真实存在的日期", number, match.start() + 1))
        for match in _YEAR_MONTH.finditer(line):
            try:
                month = cn_to_int(match.group(2))
            except ValueError:
                continue
            if not 1 <= month <= 12:
                out.append(_finding("bad-date", f"{match.group()}：没有 {month} 月", number,
                                    match.start() + 1))
    return out


def _replacement_findings(source: _Source) -> list[Finding]:
    out = []
    for number, line in enumerate(source.lines, start=1):
        col = line.find("\ufffd")
        if col >= 0:
            count = line.count("\ufffd")
            out.append(_finding("replacement-character", f"{count} 个替换字符（�）：文件转换编码时丢失了文字", number, col + 1))
        invisible = INVISIBLE.search(line)
        if invisible:
            count = len(INVISIBLE.findall(line))
            out.append(_finding("invisible-character", f"{count} 个不可见字符（第一个为 "
                                f"U+{ord(invisible.group()):04X} {unicodedata.name(invisible.group(), '')}）：零宽字符或"
                                "文字方向控制字符会造成看似相同的名称；读取器会从部门名称中删除它们", number, invisible.start() + 1))
        control = _CONTROL.search(line)
        if control:
            count = len(_CONTROL.findall(line))
            out.append(_finding("control-character", f"{count} 个控制字符（第一个为 "
                                f"U+{ord(control.group()):04X}）：不是文字，读取时已删除", number,
                                control.start() + 1))
    return out


# --- metadata -------------------------------------------------------------------------------------------

def _metadata_findings(doc: Document, source: _Source, paras: list[Para]) -> list[Finding]:
    meta = doc.metadata
    top = paras[0].first if paras else 1
    top_col = source.label_column(top)
    # A 公文 with a 版头 (发文机关标志) or 主送机关 must have 发文字号 and 成文日期; a law or rules have neither, and a
    # 意见 without either is probably a copy that lost its head or tail (a warning).
    gongwen = bool(meta.issuer_mark or meta.addressees)
    is_doc_type = meta.doc_type in DOC_TYPES
    out = []
    if not meta.title:
        out.append(_finding("missing-title", "正文之前没有找到标题", top, top_col))
    if not meta.doc_number and (gongwen or is_doc_type):
        out.append(_finding("missing-doc-number", "版头中没有发文字号（如 浙政办发〔2024〕21号）", top, top_col,
                            ERROR if gongwen else WARNING))
    if not meta.signed_date and (gongwen or meta.doc_number or is_doc_type):
        end = doc.closing.source_lines[0] if doc.closing.source_lines else (paras[-1].last if paras else None)
        out.append(_finding("missing-signed-date", "没有成文日期（落款之后应有日期行，如 "
                            "2024年6月6日）", end, source.label_column(end),
                            ERROR if gongwen or meta.doc_number else WARNING))
    return out


# --- 责任单位 and the department registry ---------------------------------------------------------------------

def _has_responsibility(unit: Unit) -> bool:
    return any(u.responsibilities for u in unit.walk())


def _responsibility_findings(doc: Document, source: _Source) -> list[Finding]:
    units = list(doc.units())
    out = []
    # A clause without 责任单位 where at least half of the clauses of its kind have them.
    kinds = {u.kind for u in units if u.responsibilities}
    for kind in sorted(kinds):
        same = [u for u in units if u.kind == kind]
        without = [u for u in same if not _has_responsibility(u)]
        if len(without) * 2 <= len(same):
            for unit in without:
                line = unit.source_lines[0] if unit.source_lines else None
                out.append(_finding("missing-responsibility", f"{unit.num} 没有责任单位，而同一层级的 "
                                    f"{len(same)} 条中有 {len(same) - len(without)} 条写明了责任单位",
                                    line, source.label_column(line)))

    meta = doc.metadata
    named = [(r, u) for u in units for r in u.responsibilities if r.kind != "group"]
    if not named:
        return out
    place = place_by_code(meta.jurisdiction_code, meta.jurisdiction)
    if place is None:
        return out  # the reader said so (jurisdiction-unknown)
    reported: dict[str, list] = {}
    date = meta.signed_date or meta.printed_date
    for resp, unit in named:
        if resolve(resp.department, place, date).known:
            continue
        first, last = unit.source_lines or [0, 0]
        if resp.department in reported:
            reported[resp.department][1] += 1
            continue
        line, col = source.find(resp.department, first, last) or (first or None, source.label_column(first))
        reported[resp.department] = [(line, col), 1]
    for name, ((line, col), count) in reported.items():
        more = f"（共 {count} 处）" if count > 1 else ""
        out.append(_finding("unknown-department", f"部门名录中没有“{name}”：已按{place.name}查找，未找到全称"
                            f"（toolkit/data/departments.tsv、department_patterns.tsv）{more}", line, col))
    return out


# --- page-break repairs ---------------------------------------------------------------------------------

def _join_findings(repairs: list[Repair], source: _Source) -> list[Finding]:
    """Page-break joins that may have glued two paragraphs: the second line starts a sentence of its own, or one
    side of the join has no Chinese at all (a number or a Latin word cut at a line end is rarely one word)."""
    out = []
    for repair in repairs:
        if repair.kind != "page_break_join":
            continue
        before, _, after = repair.before.partition("⏎")
        reason = None
        if after.startswith(_STARTS_OWN_SENTENCE) and before and is_cjk(before[-1]):
            reason = f"第二行另起一句（{after[:4]}…）"
        elif not any(is_cjk(ch) for ch in before) or not any(is_cjk(ch) for ch in after):
            reason = "接合处有一侧没有中文"
        if reason:
            first, second = repair.lines
            out.append(_finding("suspicious-join", f"第 {first} 行和第 {second} 行被合并为一段"
                                f"（{repair.before}），但{reason}：是否丢失了分段？",
                                second, source.label_column(second)))
    return out
