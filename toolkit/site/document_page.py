"""One page per document version: metadata card, the full text with every unit anchored by its eid,
department chips on each clause, thresholds highlighted, and schema.org `Legislation` JSON-LD.

Every unit becomes a heading whose id is exactly its eid, followed by its text: mkdocs-material's search
indexes one entry per heading, so a search hit links straight to `…/#sec_2__para_1`.
"""
from __future__ import annotations

import json

from .. import urls
from ..model import Closing, Component, Document, Threshold, Unit
from . import labels, rule_words
from ..relations import LABELS as RELATION_LABELS
from ..relations import DocumentRelation
from .catalog import SiteDocument, SiteVersion
from .html import anchor_id, paragraphs, relative, tag, text
from .downloads import ReleaseFile


def page_path(doc: SiteDocument, version: SiteVersion) -> str:
    """Site URL of a version page: the current version lives at /<doc-id>/, older ones below it."""
    return urls.version_page(doc.id, version.version, version is doc.current)


def display_title(doc: Document) -> str:
    return doc.metadata.title or doc.metadata.enclosed_title or doc.metadata.doc_number or doc.id


def front_matter(title: str, *, updated: str | None = None, exclude_from_search: bool = False,
                 toc: bool = False) -> str:
    """YAML front matter. The title is escaped like any source text: the theme prints it unescaped in the
    navigation and header (our main.html override escapes it again inside <title>).

    toc: build the 目录 from the page's headings (toc_hook.py); other generated pages have no Markdown headings,
    so the theme's table of contents would be an empty column."""
    lines = ["---", f"title: {json.dumps(text(title), ensure_ascii=False)}"]
    lines += ["pk_toc: true"] if toc else ["hide:", "  - toc"]
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
        _phone_toc(d),
        _text(d, here, aliases or {}, _citation_links(doc, d, here)),
    ]
    if version is doc.current and (doc.cites or doc.cited_by):
        blocks.append(_relations(doc, docs, here))
    blocks.append(_how_to_cite(d, site_url, page_path(doc, version)))
    return front_matter(display_title(d), updated=version.date, toc=True,
                        exclude_from_search=here != page_path(doc, doc.current)) + "\n\n".join(blocks) + "\n"


def citation(d: Document, site_url: str, path: str) -> str:
    """发文机关．《标题》（发文字号），成文日期．URL: what a reader pastes into a footnote."""
    m = d.metadata
    return "".join(filter(None, [
        f"{m.issuer}．" if m.issuer else None,
        f"《{display_title(d)}》",
        f"（{m.doc_number}）" if m.doc_number else None,
        f"，{m.signed_date}" if m.signed_date else None,
        f"．{urls.absolute(site_url, path)}",
    ]))


def _how_to_cite(d: Document, site_url: str, path: str) -> str:
    first = next(iter(d.units()), None)
    body = tag("p", text("引用本文件：")) + tag("blockquote", tag("p", text(citation(d, site_url, path))),
                                                class_="pk-cite")
    if first:
        clause = urls.absolute(site_url, f"{path}#{first.eid}")
        body += tag("p", text(f"引用某一条时，在地址后加上该条的编号（点条款标题旁的 ¶ 即可复制），例如 {first.num}"
                              f"{first.heading or ''}：") + tag("code", text(clause), class_="pk-url"))
    if not site_url:
        body += tag("p", text("（本站没有设置网址 site_url，以上为站内地址。）"), class_="pk-note")
    return _heading(2, "cite", text("如何引用"), extra_class="pk-minor") + body


def _phone_toc(d: Document) -> str:
    """目录 inside the page for narrow screens (the theme shows page.toc in a sidebar only on wide ones)."""
    def item(unit: Unit, depth: int) -> str:
        sub = "".join(item(c, depth + 1) for c in unit.children) if depth < 1 else ""
        link = tag("a", text(unit.num + (unit.heading or "")), href=f"#{anchor_id(unit.eid)}")
        return tag("li", link + (tag("ol", sub) if sub else ""))
    items = [item(u, 0) for u in d.body]
    for c in d.components:  # carried documents (the 办法 of a 印发通知): their title, then their top units
        sub = "".join(item(u, 1) for u in c.body)
        title = "　".join(x for x in (c.num, c.title) if x) or "所附文件"
        items.append(tag("li", tag("a", text(title), href=f"#{anchor_id(c.eid)}") + (tag("ol", sub) if sub else "")))
    if not items:
        return ""
    return tag("details", tag("summary", "目录") + tag("ol", "".join(items)), class_="pk-pagetoc", id="toc")


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

def _status_note(status, docs: dict[str, SiteDocument], here: str) -> str:
    """What the badge rests on, in words: since when, by which document, who checked it. Nothing for 现行有效."""
    if status.code == "in_force" and status.source != "manifest":
        return ""
    parts = []
    since = labels.date(status.since) if status.since else None
    if status.code == "repealed":
        by = text(f"《{status.by_title}》" if status.by_title else "") + text(f"（{status.by_doc_number}）"
                                                                              if status.by_doc_number else "")
        if status.by and status.by in docs and by:
            by = tag("a", by, href=relative(here, urls.document(status.by)))
        parts.append((text(f"自{since}起") if since else "") + (text("被") + by + text("废止") if by else text("废止")))
    elif status.code == "expired" and since:
        parts.append(text(f"有效期已届满，自{since}起失效"))
    elif status.code == "not_yet_in_force" and since:
        parts.append(text(f"自{since}起施行"))
    elif status.code == "superseded":
        newer = text(f"{labels.date(status.by_version)}版本") if status.by_version else text("新版本")
        parts.append((text(f"自{since}起") if since else "") + text("由") + newer + text("取代"))
    if status.source == "manifest":
        checked = text(f"经{status.checked_by}于{labels.date(status.checked_on)}核对")
        parts.append(checked + text("，") + tag("a", text("官方来源"), href=status.url, rel="external"))
    return tag("span", text("（") + "；".join(parts) + text("）"), class_="pk-status-note") if parts else ""


def status_html(status) -> str:
    """The status badge: label, with when it began and why in its title (status.Status)."""
    note = "；".join(filter(None, [
        f"自{labels.date(status.since)}起" if status.since else None,
        f"依据 {status.by_doc_number}" if status.by_doc_number and status.code == "repealed" else None,
        f"经 {status.checked_by} 于 {labels.date(status.checked_on)} 核对官方来源" if status.source == "manifest" else None,
        f"状态截至{labels.date(status.as_of)}",
    ]))
    return tag("span", text(status.label), class_=f"pk-status pk-status--{status.code}", title=note,
               data_status=status.code)


def _row(label: str, value_html: str) -> str:
    return tag("dt", text(label)) + tag("dd", value_html)


def _date(iso: str | None) -> str:
    return tag("time", text(labels.date(iso)), datetime=iso) if iso else "—"


def _card(doc: SiteDocument, version: SiteVersion, docs: dict[str, SiteDocument],
          files: list[ReleaseFile], here: str, versions_html: str | None = None) -> str:
    m = version.document.metadata
    L = labels.METADATA
    status = status_html(version.status) + _status_note(version.status, docs, here)
    rows = [
        _row(L["doc_number"], text(m.doc_number or "—")),
        _row(L["issuer"], text(m.issuer or "—")),
    ]
    if m.doc_type:
        rows.append(_row(L["doc_type"], text(m.doc_type)))
    if m.index_number:  # from a web page's metadata table (readers/webpage.py)
        rows.append(_row(L["index_number"], text(m.index_number)))
    rows += [
        _row(L["signed_date"], _date(m.signed_date)),
        _row(L["printed_date"], _date(m.printed_date)),
        _row(L["effective_date"], _date(m.effective_date)),
    ]
    if m.published_date:
        rows.append(_row(L["published_date"], _date(m.published_date)))
    rows.append(_row(L["status"], status))
    repeals = [r for r in doc.cites if r.type in ("repeals", "replaces")]
    if repeals:
        rows.append(_row(L["repeals"], "；".join(_other(r, r.target, docs, here) for r in repeals)))
    if doc.repealed_by:
        links = [tag("a", text(docs[i].doc.metadata.doc_number or display_title(docs[i].doc)),
                     href=relative(here, urls.document(i))) for i in doc.repealed_by]
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
    if getattr(m, "publisher", None):  # 发布机构 as the web page names it (索引号 and 发布日期 are above)
        rows.append(_row("发布机构", text(m.publisher)))
    source = _official_source(version)
    if source:
        rows.append(_row("官方来源", tag("a", text(source), href=source, rel="noopener", class_="pk-url")))
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


def _official_source(version: SiteVersion) -> str | None:
    """The official page of the text: from the model when a reader recorded it, else the URL someone gave
    when checking the status in the manifest. Only http(s) addresses are linked."""
    m = version.document.metadata
    status = version.status
    url = getattr(m, "source_url", None) or (status.url if status and status.source == "manifest" else None)
    return url if url and url.startswith(("https://", "http://")) else None


def _chip(r, here: str) -> str:
    role = labels.ROLE_CHIP.get(r.role, "")
    inner = text(r.department) + (tag("span", text(role), class_="pk-chip__role") if role else "")
    if r.kind == "group":  # 各有关单位: a class of units, with no department page to link to
        return tag("span", inner, class_=f"pk-chip pk-chip--{r.role} pk-chip--group", title="统称，不是某一个部门")
    return tag("a", inner, href=relative(here, urls.department(r.department_id)),
               class_=f"pk-chip pk-chip--{r.role}", title=r.full_name)


# ---- the text -------------------------------------------------------------------------------------

Links = dict  # (eid, field) -> [(start, end, href)]: the citations of another document in this text


def _citation_links(doc: SiteDocument, d: Document, here: str) -> Links:
    """Where this version's text cites a document of the site: (eid, field) -> spans with the link. The release
    resolved the citations (relations.py); a citation is matched to its relation by place and wording."""
    targets = {(r.eid, r.field, r.text): r.target for r in doc.cites if r.target and r.text}
    links: Links = {}
    for c in d.citations:
        target = targets.get((c.eid, c.field, c.text))
        if target:
            links.setdefault((c.eid, c.field), []).append((c.start, c.end, relative(here, urls.document(target))))
    return links


def _text(d: Document, here: str, aliases: dict[str, list[str]], links: Links | None = None) -> str:
    links = links or {}
    parts = []
    if d.metadata.addressees:
        # The reader splits the 主送 line at ， and ；: joined back with ， as the documents write it.
        parts.append(tag("p", text("，".join(d.metadata.addressees) + "："), class_="pk-addressees"))
    if d.preamble:
        parts.append(_marked_paragraphs(d.preamble, [], links.get((None, "preamble"), [])))
    if d.toc:
        parts.append(_toc(d.toc))
    for unit in d.body:
        parts.append(_unit(unit, 0, here, aliases, links))
    if d.postamble:
        label = "施行与废止" if ("施行" in d.postamble or "废止" in d.postamble) else "其他规定"
        parts.append(_heading(2, "postamble", text(label), extra_class="pk-minor")
                     + _marked_paragraphs(d.postamble, [], links.get((None, "postamble"), [])))
    parts.append(_closing(d.closing, "conclusions"))
    for component in d.components:
        parts.append(_component(component, here, aliases, links))
    for n, att in enumerate(d.attachments, 1):
        title = text(attachment_label(att))
        parts.append(_heading(2, f"att_{n}", title) + tag("div", paragraphs(att.text), class_="pk-attachment"))
    return tag("div", "".join(parts), class_="pk-text", id="text")


def attachment_label(att) -> str:
    """附件1　标题: the reader keeps 附件 in the label (附件, 附件1); older models kept only the number."""
    num = att.num if att.num.startswith("附件") else f"附件{att.num}"
    return num + (f"　{att.title}" if att.title else "")


def _notes(closing: Closing) -> list[str]:
    """附注 are printed in brackets under the date (GB/T 9704 7.3.6): （此件公开发布）."""
    return [n if n.startswith(("（", "(")) else f"（{n}）" for n in closing.notes]


def _closing(closing: Closing, anchor: str) -> str:
    tail = [*closing.signature, *([closing.date_text] if closing.date_text else []), *_notes(closing)]
    if not (tail or closing.imprint):
        return ""
    body = "".join(tag("p", text(line), class_="pk-signature") for line in tail)
    body += "".join(tag("p", text(line), class_="pk-imprint") for line in closing.imprint)
    return _heading(2, anchor, text("落款"), extra_class="pk-minor") + body


def _toc(lines: list[str]) -> str:
    """目录 as the text has it: lines, not links (the units below carry the anchors)."""
    head, entries = lines[0], lines[1:]  # the 目录 line, then the entries
    return tag("div", tag("p", text(head), class_="pk-toc-title") + paragraphs("\n".join(entries)), class_="pk-toc")


def _component(c: Component, here: str, aliases: dict[str, list[str]], links: Links) -> str:
    """A carried document (the 办法 of a 印发通知): its title as a heading anchored by its eid, then its text."""
    title = "　".join(x for x in (c.num, c.title) if x) or "所附文件"
    parts = [_heading(2, c.eid, text(title), extra_class="pk-component")]
    for event in c.events:  # （2024年3月28日…会议通过）
        year, month, day = (int(x) for x in event.date.split("-"))
        parts.append(tag("p", text(f"（{year}年{month}月{day}日{event.description}）"), class_="pk-event"))
    if c.addressees:
        parts.append(tag("p", text("，".join(c.addressees) + "："), class_="pk-addressees"))
    if c.preamble:
        parts.append(paragraphs(c.preamble))
    if c.toc:
        parts.append(_toc(c.toc))
    parts += [_unit(unit, 1, here, aliases, links) for unit in c.body]
    if c.postamble:
        parts.append(paragraphs(c.postamble))
    closing = c.closing
    tail = [*closing.signature, *([closing.date_text] if closing.date_text else []), *_notes(closing)]
    parts += [tag("p", text(line), class_="pk-signature") for line in tail]
    return tag("section", "".join(parts), class_="pk-carried")


def _heading(level: int, eid: str, inner_html: str, extra_class: str = "") -> str:
    link = tag("a", "¶", class_="headerlink", href=f"#{anchor_id(eid)}", title="本条链接")
    return tag(f"h{level}", inner_html + link, id=eid, class_=extra_class or None)


def _unit(unit: Unit, depth: int, here: str, aliases: dict[str, list[str]], links: Links) -> str:
    level = min(2 + depth, 6)
    inner = tag("span", text(unit.num), class_="pk-num") + text(unit.heading or "")
    # Empty anchors with the clause's former eids, before its heading (revisions.aliases).
    out = [tag("span", "", id=anchor_id(old), class_="pk-alias") for old in aliases.get(unit.eid, [])]
    out.append(_heading(level, unit.eid, inner, extra_class=f"pk-unit pk-{unit.kind}"))
    if unit.responsibilities:
        chips = " ".join(_chip(r, here) for r in sorted(unit.responsibilities, key=lambda r: r.order))
        out.append(tag("p", text("责任单位：") + chips, class_="pk-depts"))
    out.append(_marked_paragraphs(unit.text, unit.thresholds, links.get((unit.eid, "text"), [])))
    if unit.thresholds and not unit.wrap_up:
        out.append(_rules(unit))
    for child in unit.children:
        if child.lead_in:  # the 款 that opens a second list belongs before it
            out.append(_marked_paragraphs(child.lead_in, unit.thresholds))
        out.append(_unit(child, depth + 1, here, aliases, links))
    if unit.wrap_up:
        out.append(_marked_paragraphs(unit.wrap_up, unit.thresholds, links.get((unit.eid, "wrap_up"), [])))
        if unit.thresholds:
            out.append(_rules(unit))
    return "".join(out)


def _rules(unit: Unit) -> str:
    """What the clause's numbers mean, in words under its text (visible, not a tooltip)."""
    items = "".join(tag("li", tag("strong", text(kind + "：")) + text(sentence))
                    for kind, sentence in rule_words.clause_rules(unit))
    return tag("ul", items, class_="pk-rules", **{"aria-label": "本条数值"})


def _marked_paragraphs(value: str, thresholds: list[Threshold], links: list[tuple[int, int, str]] = ()) -> str:
    """Paragraphs with each threshold's source text wrapped in <mark> (found in order of appearance) and each
    citation of a document of the site made a link (links: spans in `value` with their href)."""
    out = []
    offset = 0  # where the paragraph starts in `value`: citation spans are given in `value`
    for para in value.split("\n"):
        para_start, offset = offset, offset + len(para) + 1
        if not para.strip():
            continue
        spans = [(a - para_start, b - para_start, "a", href) for a, b, href in links
                 if para_start <= a and b <= para_start + len(para)]
        start = 0
        for t in thresholds:
            at = para.find(t.source_text, start) if t.source_text else -1
            if at < 0:
                continue
            end = at + len(t.source_text)
            if not any(a < end and at < b for a, b, _, _ in spans):  # a link wins over a threshold inside it
                spans.append((at, end, "mark", t))
            start = end
        html, pos = [], 0
        for a, b, kind, item in sorted(spans, key=lambda s: s[0]):
            html.append(text(para[pos:a]))
            if kind == "a":
                html.append(tag("a", text(para[a:b]), href=item, class_="pk-cite"))
            else:
                html.append(tag("mark", text(para[a:b]), class_="pk-threshold", id=anchor_id(item.id)))
            pos = b
        html.append(text(para[pos:]))
        out.append(tag("p", "".join(html)))
    return "".join(out)


# ---- relations: 本文引用的文件 / 引用本文的文件 -------------------------------------------------------

def clause_label(d: Document, eid: str | None) -> str | None:
    """'二（一）' for sec_2__para_1: the numbers from the top, as people cite a clause; 附件N for att_N."""
    if eid is None:
        return None
    if eid.startswith("att_"):
        return f"附件{eid[4:]}"

    def path(units: list[Unit]) -> list[Unit] | None:
        for unit in units:
            if unit.eid == eid:
                return [unit]
            if (sub := path(unit.children)) is not None:
                return [unit, *sub]
        return None

    found = path(list(d.top_units()))  # a carried document's clause too (cmp_1__art_7)
    return "".join(u.num.rstrip("、").rstrip(".") for u in found) if found else None


def _other(r: DocumentRelation, other_id: str | None, docs: dict[str, SiteDocument], here: str) -> str:
    """The other document of a relation: a link when it is on the site, else the citation as written."""
    if other_id and other_id in docs:
        other = docs[other_id]
        m = other.doc.metadata
        label = f"《{display_title(other.doc)}》" + (f"（{m.doc_number}）" if m.doc_number else "")
        return tag("a", text(label), href=relative(here, urls.document(other_id)))
    written = r.text or "".join(filter(None, [f"《{r.title}》" if r.title else None,
                                               f"（{r.doc_number}）" if r.doc_number else None]))
    return text(written)


def _where(d: Document, doc_id: str, eid: str | None, here: str) -> str:
    """'见二（一）' linking the clause where a citation stands, or '' when it stands outside the numbered text."""
    label = clause_label(d, eid)
    if not label:
        return ""
    return text("（见") + tag("a", text(label), href=relative(here, urls.clause(doc_id, eid))) + text("）")


def _relations(doc: SiteDocument, docs: dict[str, SiteDocument], here: str) -> str:
    """引用本文的文件 / 本文引用的文件, each with the kind of relation and the clause where it is stated."""
    parts = [_heading(2, "relations", text("相关文件"), extra_class="pk-minor")]
    if doc.cites:
        items = [tag("li", tag("span", text(RELATION_LABELS[r.type]), class_="pk-rel") + " " +
                     _other(r, r.target, docs, here) + _where(doc.doc, doc.id, r.eid, here))
                 for r in doc.cites]
        parts.append(tag("h3", text("本文引用的文件"), id="cites") + tag("ul", "".join(items), class_="pk-relations"))
    if doc.cited_by:
        items = []
        for r in doc.cited_by:
            source = docs.get(r.source)
            where = _where(source.doc, source.id, r.eid, here) if source else ""
            items.append(tag("li", tag("span", text(RELATION_LABELS[r.type] + "本文"), class_="pk-rel") + " " +
                             _other(r, r.source, docs, here) + where))
        parts.append(tag("h3", text("引用本文的文件"), id="cited-by") +
                     tag("ul", "".join(items), class_="pk-relations"))
    return tag("div", "".join(parts), class_="pk-related", id="related")


# ---- JSON-LD ------------------------------------------------------------------------------------

def json_ld(doc: SiteDocument, version: SiteVersion, files: list[ReleaseFile], site_url: str) -> dict:
    """schema.org Legislation for one version (https://schema.org/Legislation)."""
    d = version.document
    m = d.metadata
    url = urls.absolute(site_url, page_path(doc, version))
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
        "legislationLegalForce": version.status.schema_org,
        "legislationJurisdiction": m.jurisdiction.upper() if m.jurisdiction else None,
        "legislationPassedBy": [{"@type": "GovernmentOrganization", "name": n} for n in issuers],
        # The departments that lead the clauses: who answers for carrying the document out.
        "legislationResponsible": [
            {"@type": "GovernmentOrganization", "name": name, "url": urls.absolute(site_url, urls.department(dept))}
            for dept, name in leads.items()
        ] or [{"@type": "GovernmentOrganization", "name": n} for n in issuers],
        "encoding": [
            {"@type": "LegislationObject", "contentUrl": urls.absolute(site_url, f.url), "encodingFormat": f.mediatype}
            for f in version_files(doc, version, files) if _encoding_kind(doc.id, f)
        ],
    }
    if m.effective_date:
        data["legislationDateOfApplicability"] = m.effective_date
    # Relations as the release resolved them; a document of the site is named by its URL.
    def other(r: DocumentRelation) -> dict:
        ref = {"@type": "Legislation", "legislationIdentifier": r.doc_number, "name": r.title}
        if r.target:
            ref["@id"] = ref["url"] = urls.absolute(site_url, urls.document(r.target))
        return {k: v for k, v in ref.items() if v is not None}

    if version is doc.current:
        # legislationChanges covers repeal (schema.org has no narrower property in its core yet)
        changes = [other(r) for r in doc.cites if r.type in ("repeals", "replaces")]
        cited = [other(r) for r in doc.cites if r.type in ("cites", "implements")]
        if changes:
            data["legislationChanges"] = changes
        if cited:
            data["citation"] = cited
    return {k: v for k, v in data.items() if v not in (None, [])}


def _json_ld(doc: SiteDocument, version: SiteVersion, files: list[ReleaseFile], site_url: str) -> str:
    body = json.dumps(json_ld(doc, version, files, site_url), ensure_ascii=False, separators=(",", ":"))
    # Inside <script>, only "</" could end the element early; escaping < > & keeps the JSON identical.
    body = body.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{body}</script>'
