"""Versions on the website: the 修订对照 (redline) page of each revision, the 修订记录 (changelog) of each document,
the version switcher on every version page, and the alias anchors that keep old clause links working.

URLs (all stable; docs/revisions.md):
    /<doc-id>/                      the current version
    /<doc-id>/<version>/            every version, the current one included (point in time)
    /<doc-id>/<version>/changes/    修订对照: what changed from the version it amends
    /<doc-id>/changelog/            修订记录: every version, newest first, with what changed

A clause renumbered by a revision keeps answering to its old eid: its heading on the newer pages carries an empty
anchor with the old eid (when no other clause uses that eid now), so /<doc-id>/#sec_1__para_4 saved before the
revision still lands on the same clause.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..diff import DocumentDiff, TextOp, UnitChange, align, diff
from ..writers.diff_text import CHANGE_LABELS, detail_lines, responsibility_lines, summary_line, value_text
from .. import urls
from . import labels
from .catalog import SiteDocument, SiteVersion
from .html import anchor_id, relative, tag, text


@dataclass
class Revision:
    """One version compared with the version it amends."""

    old: SiteVersion
    new: SiteVersion
    diff: DocumentDiff


def version_path(doc: SiteDocument, version: SiteVersion) -> str:
    return urls.version(doc.id, version.version)


def changes_path(doc: SiteDocument, version: SiteVersion) -> str:
    return urls.changes(doc.id, version.version)


def changelog_path(doc: SiteDocument) -> str:
    return urls.changelog(doc.id)


def current_path(doc: SiteDocument) -> str:
    return urls.document(doc.id)


def amended(doc: SiteDocument, version: SiteVersion) -> SiteVersion | None:
    """The version `version` amends: the one the manifest names, else the one before it."""
    key = getattr(version, "amends", None)
    if key:
        for v in doc.versions:
            if v.version == key:
                return v
    at = doc.versions.index(version)
    return doc.versions[at - 1] if at > 0 else None


def revisions(doc: SiteDocument) -> dict[str, Revision]:
    """Revision of every version that amends another, keyed by the newer version's key."""
    out = {}
    by_key = {rv.version: rv for rv in doc.release.versions} if doc.release is not None else {}
    for v in doc.versions:
        old = amended(doc, v)
        if old is None:
            continue
        if v.version in by_key:  # a build: the release computed it for the published diff JSON already
            result = doc.release.revision(by_key[v.version])
        else:
            result = diff(old.document, v.document, old_version=old.version, new_version=v.version)
        out[v.version] = Revision(old, v, result)
    return out


def aliases(doc: SiteDocument, version: SiteVersion) -> dict[str, list[str]]:
    """eid in `version` -> earlier eids of the same clause that no unit of `version` uses any more.

    Follows the chain of amended versions back from `version`, so a clause renumbered twice answers to both of
    its old eids. A split clause answers to its first part, merged clauses to the unit they became. An old eid
    that two clauses of `version` could claim is left out rather than guessed.
    """
    chain = [version]
    while (old := amended(doc, chain[-1])) is not None and old not in chain:
        chain.append(old)
    chain.reverse()
    former: dict[str, set[str]] = {u.eid: set() for u in chain[0].document.units()}  # eid now -> eids before
    for old, new in zip(chain, chain[1:]):
        step = _eid_map(old, new)
        moved: dict[str, set[str]] = {u.eid: set() for u in new.document.units()}
        for eid, before in former.items():
            if eid in step:
                moved[step[eid]].update(before | {eid})
        former = moved
    used = {u.eid for u in version.document.units()}
    claims: dict[str, list[str]] = {}
    for eid, before in former.items():
        for old_eid in before - used:
            claims.setdefault(old_eid, []).append(eid)
    out: dict[str, list[str]] = {}
    for old_eid, holders in sorted(claims.items()):
        if len(holders) == 1:
            out.setdefault(holders[0], []).append(old_eid)
    return out


def _eid_map(old: SiteVersion, new: SiteVersion) -> dict[str, str]:
    a = align(old.document, new.document)
    step = {u.eid: v.eid for u, v in a.pairs}
    step.update({whole.eid: parts[0].eid for whole, parts in a.splits})
    step.update({p.eid: whole.eid for parts, whole in a.merges for p in parts})
    return step


# ---- the pages -----------------------------------------------------------------------------------------

def write_pages(doc: SiteDocument, docs: dict[str, SiteDocument], files, site_url: str,
                write: Callable[[str, str], None]) -> dict[str, Revision]:
    """Write every page of one document: each version (the current one at /<doc-id>/ and, as a point-in-time
    copy, at /<doc-id>/<version>/), each revision's 修订对照, and the 修订记录. Returns the revisions."""
    from . import document_page  # it renders the version pages; imported here as it does not need us

    history = revisions(doc)
    title = document_page.display_title(doc.doc)
    for v in doc.versions:
        paths = [document_page.page_path(doc, v)]
        if v is doc.current:
            paths.append(version_path(doc, v))
        for path in paths:
            write(path + "index.md", document_page.render(
                doc, v, docs, files, site_url, path=path, versions_html=switcher(doc, v, path, history),
                aliases=aliases(doc, v)))
        if v.version in history:
            rev = history[v.version]
            page_title = f"修订对照：{title}（{labels.date(rev.old.date)} → {labels.date(v.date)}）"
            write(changes_path(doc, v) + "index.md",
                  document_page.front_matter(page_title, updated=v.date, exclude_from_search=True) +
                  changes_page(doc, rev, files, title) + "\n")
    write(changelog_path(doc) + "index.md",
          document_page.front_matter(f"修订记录：{title}", updated=doc.current.date, exclude_from_search=True) +
          changelog_page(doc, history, title) + "\n")
    return history


# ---- the version switcher (on every version page) -----------------------------------------------------

def switcher(doc: SiteDocument, version: SiteVersion, here: str, history: dict[str, Revision]) -> str:
    """Every version, newest first, the one shown marked; links to this version's 修订对照 and the 修订记录."""
    items = []
    for v in reversed(doc.versions):
        name = labels.date(v.date) + ("（现行）" if v is doc.current else "")
        target = current_path(doc) if v is doc.current else version_path(doc, v)
        link = (tag("strong", text(name), aria_current="page") if v is version
                else tag("a", text(name), href=relative(here, target)))
        if v.version in history:
            link += " " + tag("a", text("修订对照"), href=relative(here, changes_path(doc, v)),
                              class_="pk-versions__diff", title=f"与 {labels.date(history[v.version].old.date)} 版本相比")
        items.append(tag("li", link))
    extra = [tag("a", text("修订记录"), href=relative(here, changelog_path(doc)))]
    extra.append(tag("a", text("本版本固定链接"), href=relative(here, version_path(doc, version)),
                     title="引用时请用此链接：以后有新版本，它仍指向这一版本"))
    return tag("nav", tag("ol", "".join(items)) + tag("p", " · ".join(extra)), class_="pk-versions",
               aria_label="版本")


# ---- the 修订对照 page --------------------------------------------------------------------------------

def redline(ops: list[TextOp]) -> str:
    """Inline redline: deleted text in <del>, inserted text in <ins>, everything escaped; ⏎ becomes <br>."""
    out = []
    for op in ops:
        if op.op == "equal":
            out.append(_lines(op.old))
            continue
        if op.old:
            out.append(tag("del", _lines(op.old)))
        if op.new:
            out.append(tag("ins", _lines(op.new)))
    return "".join(out)


def _lines(value: str) -> str:
    return "<br>".join(text(part) for part in value.split("\n"))


def change_anchor(change: UnitChange) -> str:
    ref = (change.new or change.old)[0]
    return anchor_id(f"change-{ref.eid}" if change.new else f"change-removed-{ref.eid}")


def _unit_links(doc: SiteDocument, rev: Revision, change: UnitChange, here: str) -> str:
    """'原文：二（一） → 现文：二（一）': where the unit is on the two version pages."""
    parts = []
    old_page = version_path(doc, rev.old)
    new_page = current_path(doc) if rev.new is doc.current else version_path(doc, rev.new)
    if change.old:
        parts.append("旧版本：" + "、".join(tag("a", text(r.label), href=relative(here, f"{old_page}#{r.eid}"))
                                          for r in change.old))
    if change.new:
        parts.append("新版本：" + "、".join(tag("a", text(r.label), href=relative(here, f"{new_page}#{r.eid}"))
                                          for r in change.new))
    return tag("p", " → ".join(parts), class_="pk-change__where")


def _unit_block(doc: SiteDocument, rev: Revision, change: UnitChange, here: str) -> str:
    ref = (change.new or change.old)[0]
    badges = "".join(tag("span", text(CHANGE_LABELS[k]), class_=f"pk-badge pk-badge--{k}") for k in change.changes)
    title = tag("h2", badges + " " + text(ref.label + (ref.heading or "")), id=change_anchor(change))
    body = [title, _unit_links(doc, rev, change, here)]
    details = detail_lines(change)
    if details:
        body.append(tag("ul", "".join(tag("li", text(line)) for line in details), class_="pk-change__details"))
    if change.text:
        body.append(tag("p", redline(change.text), class_="pk-redline"))
    if change.wrap_up:
        body.append(tag("p", redline(change.wrap_up), class_="pk-redline"))
    kinds = " ".join(f"pk-change--{k}" for k in change.changes)
    return tag("section", "".join(body), class_=f"pk-change {kinds}")


def _diff_file(doc: SiteDocument, rev: Revision, files) -> object | None:
    suffix = f"/{rev.new.version}/diff-from-{rev.old.version}.json"
    return next((f for f in files if f.document_id == doc.id and f"/{f.path}".endswith(suffix)), None)


# Fields that only restate another (发文字号 split into parts): a reader sees them once, in their source's row.
_DERIVED = {"doc_number_parts": "doc_number", "issuers": "issuer"}


def _value(field: str, value) -> str:
    if field.endswith("_date") and isinstance(value, str):
        return labels.date(value)
    return value_text(value)


def changes_page(doc: SiteDocument, rev: Revision, files, title: str) -> str:
    """The body (raw HTML) of /<doc-id>/<version>/changes/."""
    here = changes_path(doc, rev.new)
    d = rev.diff
    old_name = f"{labels.date(rev.old.date)}版本"
    new_name = f"{labels.date(rev.new.date)}版本" + ("（现行）" if rev.new is doc.current else "")
    new_page = current_path(doc) if rev.new is doc.current else version_path(doc, rev.new)
    lead = [tag("a", text(old_name), href=relative(here, version_path(doc, rev.old)))]
    if d.old.doc_number:
        lead.append(text(f"（{d.old.doc_number}）"))
    lead.append(text(" → "))
    lead.append(tag("a", text(new_name), href=relative(here, new_page)))
    if d.new.doc_number:
        lead.append(text(f"（{d.new.doc_number}）"))
    links = [tag("a", text("修订记录"), href=relative(here, changelog_path(doc)))]
    data = _diff_file(doc, rev, files)
    if data is not None:
        links.append(tag("a", text("修订对照数据（JSON）"), href=relative(here, data.url), type="application/json"))
    blocks = [
        tag("h1", text(f"修订对照：{title}"), id="title"),
        tag("p", "".join(lead), class_="pk-lead"),
        tag("p", text(summary_line(d)), class_="pk-summary", id="summary"),
        tag("p", text("图例：") + tag("del", text("删除的文字")) + text("　") + tag("ins", text("新增的文字")) +
            text("。条款标题后的链接指向两个版本中的原文。"), class_="pk-legend"),
        tag("p", " · ".join(links)),
    ]
    if d.metadata:
        head = tag("tr", "".join(tag("th", text(h)) for h in ("项目", "旧版本", "新版本")))
        changed = {c.field for c in d.metadata}
        shown = [c for c in d.metadata if _DERIVED.get(c.field) not in changed]
        rows = "".join(tag("tr", tag("td", text(c.label)) + tag("td", text(_value(c.field, c.old))) +
                           tag("td", text(_value(c.field, c.new)))) for c in shown)
        blocks.append(tag("h2", text("文件信息"), id="metadata") +
                      tag("div", tag("table", tag("thead", head) + tag("tbody", rows)),
                          class_="pk-scroll"))
    if d.units:
        blocks.append("".join(_unit_block(doc, rev, c, here) for c in d.units))
    if d.passages:
        parts = [tag("h2", text("其他文字"), id="passages")]
        for p in d.passages:
            parts.append(tag("h3", text(p.label)) + tag("p", redline(p.ops), class_="pk-redline"))
        blocks.append("".join(parts))
    if d.responsibilities:
        blocks.append(tag("h2", text("全文责任主体"), id="responsibilities") +
                      tag("ul", "".join(tag("li", text(line)) for line in responsibility_lines(d))))
    return tag("div", "".join(blocks), class_="pk-changes")


# ---- the 修订记录 page --------------------------------------------------------------------------------

def changelog_page(doc: SiteDocument, history: dict[str, Revision], title: str) -> str:
    """The body (raw HTML) of /<doc-id>/changelog/: every version, newest first."""
    here = changelog_path(doc)
    blocks = [tag("h1", text(f"修订记录：{title}"), id="title"),
              tag("p", text(f"本文件共有 {len(doc.versions)} 个版本。每个版本都有固定链接，引用时请使用。"),
                  class_="pk-lead")]
    for v in reversed(doc.versions):
        m = v.document.metadata
        name = f"{labels.date(v.date)}版本" + ("（现行）" if v is doc.current else "")
        page = current_path(doc) if v is doc.current else version_path(doc, v)
        facts = [text(m.doc_number)] if m.doc_number else []
        facts.append(tag("a", text("全文"), href=relative(here, page)))
        if v is doc.current:  # older versions' pages are their fixed links already
            facts.append(tag("a", text("固定链接"), href=relative(here, version_path(doc, v))))
        rev = history.get(v.version)
        body = [tag("h2", text(name), id=anchor_id(f"v-{v.version}")), tag("p", " · ".join(facts))]
        if rev is None:
            body.append(tag("p", text("首次发布。")))
        else:
            changes_url = changes_path(doc, v)
            body.append(tag("p", text(f"与 {labels.date(rev.old.date)} 版本相比：{summary_line(rev.diff)}") + " " +
                            tag("a", text("修订对照"), href=relative(here, changes_url))))
            items = []
            for c in rev.diff.units:
                ref = (c.new or c.old)[0]
                kinds = "、".join(CHANGE_LABELS[k] for k in c.changes)
                where = ref.label + (ref.heading or "")
                if "renumbered" in c.changes:
                    where = f"{c.old[0].label} → {c.new[0].label}" + (ref.heading or "")
                items.append(tag("li", text(f"{kinds}：") +
                                 tag("a", text(where), href=relative(here, f"{changes_url}#{change_anchor(c)}"))))
            if rev.diff.metadata:
                fields = "、".join(c.label for c in rev.diff.metadata)
                items.append(tag("li", text(f"文件信息：{fields}") + " " +
                                 tag("a", text("详情"), href=relative(here, f"{changes_url}#metadata"))))
            if items:
                body.append(tag("ul", "".join(items)))
        blocks.append(tag("section", "".join(body), class_="pk-changelog__version"))
    return tag("div", "".join(blocks), class_="pk-changelog")


# ---- the feed -----------------------------------------------------------------------------------------

def feed_note(rev: Revision | None) -> str | None:
    """A sentence for the feed entry of a version: what changed, or None for a first version."""
    if rev is None:
        return None
    return f"修订（与 {labels.date(rev.old.date)} 版本相比）：{summary_line(rev.diff)}"
