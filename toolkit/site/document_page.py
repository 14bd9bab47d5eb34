"""One page per document version: metadata card, the full text with every unit anchored by its eid,
department chips on each clause, thresholds highlighted, and schema.org `Legislation` JSON-LD.

Every unit becomes a heading whose id is exactly its eid, followed by its text: mkdocs-material's search
indexes one entry per heading, so a search hit links straight to `…/#sec_2__para_1`.
"""
from __future__ import annotations

import json

from ..model import Document, Threshold, Unit
from . import labels
from .catalog import SiteDocument, SiteVersion, number_key
from .html import anchor_id, paragraphs, relative, tag, text
from .downloads import ReleaseFile


def page_path(doc: SiteDocument, version: SiteVersion) -> str:
    """Site URL of a version page: the current version lives at /<doc-id>/, older ones below it."""
    if version is doc.current:
        return f"{doc.id}/"
    return f"{doc.id}/{version.version}/"


def display_title(doc: Document) -> str:
    return doc.metadata.title or doc.metadata.enclosed_title or doc.metadata.doc_number or doc.id


def front_matter(title: str, *, updated: str | None = None, exclude_from_search: bool = False) -> str:
    """YAML front matter. The title is escaped like any source text: the theme prints it unescaped in the
    navigation and header (our main.html override escapes it again inside <title>)."""
    # Generated pages have no Markdown headings, so the theme's table of contents would be an empty column.
    lines = ["---", f"title: {json.dumps(text(title), ensure_ascii=False)}", "hide:", "  - toc"]
    if updated:
        lines.append(f"updated: {json.dumps(updated)}")
    if exclude_from_search:
        lines += ["search:", "  exclude: true"]
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def render(doc: SiteDocument, version: SiteVersion, docs: dict[str, SiteDocument],
           files: list[ReleaseFile], site_url: str, *, path: str | None = None, versions_html: str | None = None,
           aliases: dict[str, list[str]] | None = None) -> str:
    """The Markdown file of one version page (raw HTML blocks only).

    path: where the page is written when not at page_path (the current version's point-in-time copy);
    versions_html: the version switcher (revisions.py); aliases: eid -> earlier eids of that clause, kept as
    anchors so links saved before a renumbering still land on it.
    """
    here = path or page_path(doc, version)
    d = version.document
    blocks = [
        _card(doc, version, docs, files, here, versions_html),
        _json_ld(doc, version, files, site_url),
        _text(d, here, aliases or {}),
    ]
    return front_matter(display_title(d), updated=version.date,
                        exclude_from_search=here != page_path(doc, doc.current)) + "\n\n".join(blocks) + "\n"


def version_files(doc: SiteDocument, version: SiteVersion, files: list[ReleaseFile]) -> list[ReleaseFile]:
    """The release files of one version: those under a `<version>/` folder when the release has such
    folders (data/<doc-id>/<version>/…), else every file of the document."""
    own = [f for f in files if f.document_id == doc.id]
    if any(f"/{v.version}/" in f"/{f.path}" for f in own for v in doc.versions):
        own = [f for f in own if f"/{version.version}/" in f"/{f.path}"]
    return own


def _encoding_kind(doc_id: str, f: ReleaseFile) -> str | None:
    """'json' / 'akn' for the files that encode the whole document (<doc-id>.json, <doc-id>.akn.xml)."""
    name = f.path.rsplit("/", 1)[-1]
    return {f"{doc_id}.json": "json", f"{doc_id}.akn.xml": "xml", f"{doc_id}.xml": "xml"}.get(name)


def _file_label(doc_id: str, f: ReleaseFile) -> str:
    kind = _encoding_kind(doc_id, f)
    return labels.FORMATS[kind] if kind else f.path.rsplit("/", 1)[-1]


# ---- metadata card -------------------------------------------------------------------------------

def _row(label: str, value_html: str) -> str:
    return tag("dt", text(label)) + tag("dd", value_html)


def _date(iso: str | None) -> str:
    return tag("time", text(labels.date(iso)), datetime=iso) if iso else "—"


def _card(doc: SiteDocument, version: SiteVersion, docs: dict[str, SiteDocument],
          files: list[ReleaseFile], here: str, versions_html: str | None = None) -> str:
    m = version.document.metadata
    L = labels.METADATA
    status = tag("span", text(labels.STATUS[doc.status]), class_=f"pk-status pk-status--{doc.status}")
    rows = [
        _row(L["doc_number"], text(m.doc_number or "—")),
        _row(L["issuer"], text(m.issuer or "—")),
    ]
    if m.doc_type:
        rows.append(_row(L["doc_type"], text(m.doc_type)))
    rows += [
        _row(L["signed_date"], _date(m.signed_date)),
        _row(L["printed_date"], _date(m.printed_date)),
        _row(L["effective_date"], _date(m.effective_date)),
        _row(L["status"], status),
    ]
    by_number = {number_key(x.doc.metadata.doc_number): x for x in docs.values() if x.doc.metadata.doc_number}
    if m.repeals:
        items = []
        for r in m.repeals:
            label = "".join(filter(None, [f"《{r.title}》" if r.title else None,
                                          f"（{r.doc_number}）" if r.doc_number else None]))
            target = by_number.get(number_key(r.doc_number)) if r.doc_number else None
            items.append(tag("a", text(label), href=relative(here, f"{target.id}/")) if target else text(label))
        rows.append(_row(L["repeals"], "；".join(items)))
    if doc.repealed_by:
        links = [tag("a", text(docs[i].doc.metadata.doc_number or display_title(docs[i].doc)),
                     href=relative(here, f"{i}/")) for i in doc.repealed_by]
        rows.append(_row(L["repealed_by"], "、".join(links)))
    wide = version.document.responsibilities
    if wide:
        rows.append(_row("全文责任主体", "、".join(_chip(r, here) for r in wide)))
    if versions_html:
        rows.append(_row(L["version"], versions_html))
    elif len(doc.versions) > 1:
        items = []
        for v in reversed(doc.versions):
            name = labels.date(v.date) + ("（现行）" if v is doc.current else "")
            items.append(text(name) if v is version else tag("a", text(name), href=relative(here, page_path(doc, v))))
        rows.append(_row(L["version"], "、".join(items)))
    own = version_files(doc, version, files)
    if own:
        links = [tag("a", text(_file_label(doc.id, f)), href=relative(here, f.url), type=f.mediatype) for f in own]
        rows.append(_row("开放数据", " · ".join(links)))
    banner = ""
    if version is not doc.current:
        banner = tag("p", text(f"这是 {labels.date(version.date)} 的历史版本。") +
                     tag("a", "查看现行版本", href=relative(here, page_path(doc, doc.current))),
                     class_="pk-banner")
    title = tag("h1", text(display_title(version.document)), id="title")
    return tag("div", title + banner + tag("dl", "".join(rows), class_="pk-meta"), class_="pk-card", id="metadata")


def _chip(r, here: str) -> str:
    role = labels.ROLE_CHIP.get(r.role, "")
    inner = text(r.department) + (tag("span", text(role), class_="pk-chip__role") if role else "")
    if r.kind == "group":  # 各有关单位: a class of units, with no department page to link to
        return tag("span", inner, class_=f"pk-chip pk-chip--{r.role} pk-chip--group", title="统称，不是某一个部门")
    return tag("a", inner, href=relative(here, f"departments/{r.department_id}/"),
               class_=f"pk-chip pk-chip--{r.role}", title=r.full_name)


# ---- the text -------------------------------------------------------------------------------------

def _text(d: Document, here: str, aliases: dict[str, list[str]]) -> str:
    parts = []
    if d.metadata.addressees:
        parts.append(tag("p", text("、".join(d.metadata.addressees) + "："), class_="pk-addressees"))
    if d.preamble:
        parts.append(paragraphs(d.preamble))
    for unit in d.body:
        parts.append(_unit(unit, 0, here, aliases))
    if d.postamble:
        label = "施行与废止" if ("施行" in d.postamble or "废止" in d.postamble) else "其他规定"
        parts.append(_heading(2, "postamble", text(label), extra_class="pk-minor") + paragraphs(d.postamble))
    closing = d.closing
    tail = [*closing.signature, *([closing.date_text] if closing.date_text else []), *closing.notes]
    if tail or closing.imprint:
        body = "".join(tag("p", text(line), class_="pk-signature") for line in tail)
        body += "".join(tag("p", text(line), class_="pk-imprint") for line in closing.imprint)
        parts.append(_heading(2, "conclusions", text("落款"), extra_class="pk-minor") + body)
    for n, att in enumerate(d.attachments, 1):
        title = text(f"附件{att.num}") + (text("　" + att.title) if att.title else "")
        parts.append(_heading(2, f"att_{n}", title) + tag("div", paragraphs(att.text), class_="pk-attachment"))
    return tag("div", "".join(parts), class_="pk-text", id="text")


def _heading(level: int, eid: str, inner_html: str, extra_class: str = "") -> str:
    link = tag("a", "¶", class_="headerlink", href=f"#{anchor_id(eid)}", title="本条链接")
    return tag(f"h{level}", inner_html + link, id=eid, class_=extra_class or None)


def _unit(unit: Unit, depth: int, here: str, aliases: dict[str, list[str]]) -> str:
    level = min(2 + depth, 6)
    inner = tag("span", text(unit.num), class_="pk-num") + text(unit.heading or "")
    # Empty anchors with the clause's former eids, before its heading (revisions.aliases).
    out = [tag("span", "", id=anchor_id(old), class_="pk-alias") for old in aliases.get(unit.eid, [])]
    out.append(_heading(level, unit.eid, inner, extra_class=f"pk-unit pk-{unit.kind}"))
    if unit.responsibilities:
        chips = " ".join(_chip(r, here) for r in sorted(unit.responsibilities, key=lambda r: r.order))
        out.append(tag("p", text("责任单位：") + chips, class_="pk-depts"))
    out.append(_marked_paragraphs(unit.text, unit.thresholds))
    for child in unit.children:
        out.append(_unit(child, depth + 1, here, aliases))
    if unit.wrap_up:
        out.append(_marked_paragraphs(unit.wrap_up, unit.thresholds))
    return "".join(out)


def _marked_paragraphs(value: str, thresholds: list[Threshold]) -> str:
    """Paragraphs with each threshold's source text wrapped in <mark>, found in order of appearance."""
    out = []
    for para in value.split("\n"):
        if not para.strip():
            continue
        spans = []
        start = 0
        for t in thresholds:
            at = para.find(t.source_text, start) if t.source_text else -1
            if at < 0:
                continue
            spans.append((at, at + len(t.source_text), t))
            start = at + len(t.source_text)
        html, pos = [], 0
        for a, b, t in spans:
            html.append(text(para[pos:a]))
            note = f"{t.metric}：{labels.comparator(t.comparator)} {labels.amount(t.value, t.unit)}"
            html.append(tag("mark", text(para[a:b]), class_="pk-threshold", id=anchor_id(t.id), title=note))
            pos = b
        html.append(text(para[pos:]))
        out.append(tag("p", "".join(html)))
    return "".join(out)


# ---- JSON-LD ------------------------------------------------------------------------------------

def json_ld(doc: SiteDocument, version: SiteVersion, files: list[ReleaseFile], site_url: str) -> dict:
    """schema.org Legislation for one version (https://schema.org/Legislation)."""
    d = version.document
    m = d.metadata
    url = site_url + page_path(doc, version)
    issuers = m.issuers or ([m.issuer] if m.issuer else [])
    leads: dict[str, str] = {}
    for unit in d.units():
        for r in unit.responsibilities:
            if r.role == "lead" and r.kind != "group":
                leads.setdefault(r.department_id, r.full_name)
    data = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "@id": url,
        "url": url,
        "name": display_title(d),
        "inLanguage": "zh-CN",
        "legislationIdentifier": m.doc_number or doc.id,
        "legislationType": m.doc_type,
        "legislationDate": m.signed_date,
        "datePublished": m.printed_date,
        "legislationDateVersion": version.date,
        "legislationLegalForce": labels.STATUS_SCHEMA_ORG[doc.status],
        "legislationJurisdiction": m.jurisdiction.upper() if m.jurisdiction else None,
        "legislationPassedBy": [{"@type": "GovernmentOrganization", "name": n} for n in issuers],
        # The departments that lead the clauses: who answers for carrying the document out.
        "legislationResponsible": [
            {"@type": "GovernmentOrganization", "name": name, "url": f"{site_url}departments/{dept}/"}
            for dept, name in leads.items()
        ] or [{"@type": "GovernmentOrganization", "name": n} for n in issuers],
        "encoding": [
            {"@type": "LegislationObject", "contentUrl": site_url + f.url, "encodingFormat": f.mediatype}
            for f in version_files(doc, version, files) if _encoding_kind(doc.id, f)
        ],
    }
    if m.effective_date:
        data["legislationDateOfApplicability"] = m.effective_date
    if m.repeals:  # legislationChanges covers repeal (schema.org has no narrower property in its core yet)
        data["legislationChanges"] = [
            {"@type": "Legislation", "legislationIdentifier": r.doc_number, "name": r.title}
            for r in m.repeals
        ]
    return {k: v for k, v in data.items() if v not in (None, [])}


def _json_ld(doc: SiteDocument, version: SiteVersion, files: list[ReleaseFile], site_url: str) -> str:
    body = json.dumps(json_ld(doc, version, files, site_url), ensure_ascii=False, separators=(",", ":"))
    # Inside <script>, only "</" could end the element early; escaping < > & keeps the JSON identical.
    body = body.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{body}</script>'
