"""The website's search index: one record per document, per clause and per department, written by Pagefind.

Pagefind splits its index into small files, so a browser downloads a few hundred kB per query whatever the size
of the corpus (mkdocs-material's search downloaded the whole index: 62 MB at 1,000 documents, docs/benchmarks.md).
Pagefind's own Chinese segmentation cuts a word differently in a sentence and in a short query, so phrases were
missed; the records are therefore given already cut into terms (chinese.search_tokens: pairs of Han characters,
runs of digits and letters) under a language code Pagefind does not segment, and the search page cuts the query
the same way (toolkit/site/pages/assets/search.js). Pagefind also cuts Han text in a query into single characters, each
matched as the start of a word (技厅 would look for words starting with 技 and with 厅), so each Han term is written
as an ASCII word (index_term). What a result shows (title, document, the clause's text) travels in
the record's metadata, so no HTML page is parsed.
"""
from __future__ import annotations

import base64
import json
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from ..chinese import search_tokens
from ..errors import ConfigError, PolicykitError
from .catalog import ClauseRef, Department, SiteDocument
from .document_page import attachment_label, display_title
from .index_pages import clause_label

INDEX_DIR = "pagefind"
# "und" (undetermined): Pagefind applies no segmentation or stemming to it; our terms are already cut.
LANGUAGE = "und"
# What the search page needs from Pagefind's output; its ready-made UIs are not used (and not published).
_KEEP = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.", "pagefind.", "index", "fragment")


@dataclass
class SearchRecord:
    url: str  # relative to the site root: zjzbf-2024-21/#sec_2__para_1
    kind: str  # document | clause | department
    title: str  # what the result is called: 二（一）鼓励开展研发攻关, or the document's title
    document: str  # the document it belongs to (title and 发文字号), empty for a department
    text: str  # shown under the title, with the query marked
    extra: str = ""  # searched but not shown: other ways to write the 发文字号, departments' full names

    def content(self) -> str:
        return " ".join(index_term(t) for t in search_tokens("\n".join([self.title, self.text, self.extra])))

    def meta(self) -> dict[str, str]:
        return {"title": self.title, "kind": self.kind, "doc": self.document, "text": self.text, "x": self.extra}


_DIGITS36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def index_term(token: str) -> str:
    """A search token as Pagefind stores it: digits and letters as they are, Han characters as 'zh' and four
    base-36 digits per character (省科 -> zh0nj90u0h), a word Pagefind neither cuts nor stems."""
    if token[0].isascii():
        return token
    out = ["zh"]
    for ch in token:
        code, digits = ord(ch), ""
        while code:
            code, rest = divmod(code, 36)
            digits = _DIGITS36[rest] + digits
        out.append(digits.rjust(4, "0"))
    return "".join(out)


def doc_number_forms(doc_number: str | None, parts) -> list[str]:
    """The ways people type a 发文字号: 浙政办发〔2024〕21号, 浙政办发[2024]21号, 2024年21号, 2024年第21号."""
    forms = [doc_number] if doc_number else []
    if parts is not None:
        code, year, serial = parts.agency_code, parts.year, parts.serial
        forms += [f"{code}〔{year}〕{serial}号", f"{code}[{year}]{serial}号", f"{code}{year}年{serial}号",
                  f"{year}年{serial}号", f"{year}年第{serial}号"]
    return list(dict.fromkeys(forms))


def records(docs: list[SiteDocument], departments: list[Department]) -> list[SearchRecord]:
    """Every record, in a fixed order (documents as listed, clauses in document order, then departments)."""
    out: list[SearchRecord] = []
    for d in docs:
        m = d.doc.metadata
        title = display_title(d.doc)
        where = f"《{title}》" + (f"（{m.doc_number}）" if m.doc_number and m.doc_number != title else "")
        summary = "　".join(filter(None, [m.doc_number, m.issuer, d.doc.preamble.replace("\n", "")]))
        out.append(SearchRecord(url=f"{d.id}/", kind="document", title=title, document=m.doc_number or "",
                                text=summary, extra=" ".join(doc_number_forms(m.doc_number, m.doc_number_parts))))
        for unit in d.doc.units():
            own = "\n".join(filter(None, [unit.text, unit.wrap_up]))
            full_names = sorted({r.full_name for r in unit.responsibilities if r.full_name != r.department})
            out.append(SearchRecord(url=f"{d.id}/#{unit.eid}", kind="clause", title=clause_label(ClauseRef(d, unit)),
                                    document=where, text=own, extra=" ".join(full_names)))
        if d.doc.postamble:
            out.append(SearchRecord(url=f"{d.id}/#postamble", kind="clause", title="施行与废止", document=where,
                                    text=d.doc.postamble))
        for n, att in enumerate(d.doc.attachments, 1):
            out.append(SearchRecord(url=f"{d.id}/#att_{n}", kind="clause", title=attachment_label(att),
                                    document=where, text=att.text))
    for dept in departments:
        written = sorted(dept.written - {dept.name})
        count = sum(len(refs) for refs in dept.clauses.values())
        out.append(SearchRecord(url=f"departments/{dept.id}/", kind="department", title=dept.name, document="",
                                text=f"部门：列为责任单位的条款 {count} 条" +
                                     (f"；文件中的写法：{'、'.join(written)}" if written else ""),
                                extra=" ".join(written)))
    return out


def require_pagefind() -> None:
    """Without Pagefind the site would build with a search page that finds nothing: refuse instead."""
    try:
        from pagefind.service import get_executable
        found = get_executable()
        problem = None if found else "its binary is missing"
    except ImportError as err:
        problem = str(err)
    if problem:
        raise ConfigError(
            f"Pagefind is not installed, so the website could not be searched ({problem}). "
            "Install policykit's dependencies again: pip install -e . (pagefind[extended]==1.5.2)")


def write(recs: list[SearchRecord], site_dir: Path) -> int:
    """Write the index into site_dir/pagefind/; returns the number of records."""
    out = Path(site_dir) / INDEX_DIR
    if out.exists():
        shutil.rmtree(out)
    _PagefindService().write(recs, out)
    for path in out.iterdir():
        if not path.name.startswith(_KEEP) or "-ui" in path.name or "highlight" in path.name:
            path.unlink()
    return len(recs)


class _PagefindService:
    """Pagefind's indexing service (`pagefind --service`): requests and answers are base64-encoded JSON, each
    followed by a comma, on its stdin and stdout (the protocol of the `pagefind` Python package, which we do not use
    for sending: it waits 0.1 s before reading each answer, an hour for the ~36,000 records of 1,000 documents).
    Answers are read by a thread as they come; the index is written once every record is in."""

    def __init__(self):
        from pagefind.service import get_executable

        self.binary = get_executable()
        self.answers: dict[int, dict] = {}
        self.arrived = threading.Condition()
        self.closed = False

    def write(self, recs: list[SearchRecord], out: Path) -> None:
        with tempfile.TemporaryFile() as errors:
            self.process = subprocess.Popen([str(self.binary), "--service"], stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=errors)
            reader = threading.Thread(target=self._read, daemon=True)
            reader.start()
            try:
                index_id = self._ask(1, {"type": "NewIndex", "config": None})["index_id"]
                # One at a time: the service handles requests concurrently, so records sent together can be added
                # in another order under load, and the index (its file names, its page numbers) would differ.
                for n, r in enumerate(recs, 2):
                    self._ask(n, {"type": "AddRecord", "index_id": index_id, "url": r.url, "content": r.content(),
                                  "language": LANGUAGE, "meta": r.meta(), "filters": None, "sort": None})
                self._ask(len(recs) + 2, {"type": "WriteFiles", "index_id": index_id, "output_path": str(out)})
            except (OSError, PolicykitError) as err:
                problem = err.message if isinstance(err, PolicykitError) else "pagefind stopped"
                if self.process.poll() is not None:
                    problem += f" (exit status {self.process.returncode})"
                errors.seek(0)
                detail = errors.read().decode("utf-8", "replace").strip()[-500:]
                raise PolicykitError(f"the search index could not be written: {problem}"
                                     + (f"; pagefind said: {detail}" if detail else "")) from err
            finally:
                try:
                    self.process.stdin.close()
                except OSError:  # it had stopped reading
                    pass
                try:
                    self.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()

    def _send(self, message_id: int, payload: dict) -> None:
        request = json.dumps({"message_id": message_id, "payload": payload}, ensure_ascii=False)
        self.process.stdin.write(base64.b64encode(request.encode("utf-8")) + b",")

    def _ask(self, message_id: int, payload: dict) -> dict:
        self._send(message_id, payload)
        self.process.stdin.flush()
        return self._wait(message_id)

    def _wait(self, message_id: int) -> dict:
        with self.arrived:
            while message_id not in self.answers:
                if self.closed:
                    raise PolicykitError("pagefind stopped before answering")
                if not self.arrived.wait(timeout=300):
                    raise PolicykitError("pagefind did not answer for 5 minutes")
            answer = self.answers[message_id]
        if answer.get("type") == "Error":
            raise PolicykitError(answer.get("message") or "pagefind reported an error")
        return answer

    def _read(self) -> None:
        buffer = b""
        stream = self.process.stdout
        while True:
            chunk = stream.read1(1 << 16)
            if not chunk:
                break
            buffer += chunk
            *messages, buffer = buffer.split(b",")
            for message in messages:
                answer = json.loads(base64.b64decode(message))
                if answer is None:
                    continue
                payload = answer.get("payload", {})
                message_id = answer.get("message_id")
                if message_id is None and payload.get("original_message"):
                    message_id = json.loads(payload["original_message"]).get("message_id")
                with self.arrived:
                    self.answers[message_id] = payload
                    self.arrived.notify_all()
        with self.arrived:  # the process ended: whoever still waits learns it
            self.closed = True
            self.arrived.notify_all()
