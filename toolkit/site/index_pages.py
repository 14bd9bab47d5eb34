"""The cross-document pages: the list of documents (home), departments, and the thresholds table."""
from __future__ import annotations

from .. import urls
from ..model import Unit
from . import labels, rule_words
from .catalog import ClauseRef, Department, SiteDocument
from .document_page import display_title, status_html
from .html import relative, tag, text


def clause_label(ref: ClauseRef) -> str:
    """'二（一）鼓励开展研发攻关': the numbers from the top, as people cite a clause."""
    nums = []
    for unit in _path(list(ref.doc.doc.top_units()), ref.unit) or [ref.unit]:
        nums.append(unit.num.rstrip("、").rstrip("."))
    heading = ref.unit.heading or ""
    return "".join(nums) + heading


def _path(units: list[Unit], target: Unit) -> list[Unit] | None:
    for unit in units:
        if unit is target:
            return [unit]
        sub = _path(unit.children, target)
        if sub:
            return [unit, *sub]
    return None


def _clause_link(ref: ClauseRef, here: str) -> str:
    return tag("a", text(clause_label(ref)), href=relative(here, ref.url))


def document_list(docs: list[SiteDocument], here: str = "") -> str:
    """The table of documents on the home page."""
    head = tag("tr", "".join(tag("th", text(h)) for h in ("文件", "发文字号", "发文机关", "成文日期", "状态")))
    rows = []
    for d in docs:
        m = d.doc.metadata
        status = status_html(d.status)
        rows.append(tag("tr", "".join([
            tag("td", tag("a", text(display_title(d.doc)), href=relative(here, urls.document(d.id)))),
            tag("td", text(m.doc_number or "—")),
            tag("td", text(m.issuer or "—")),
            tag("td", text(labels.date(m.signed_date))),
            tag("td", status),
        ])))
    table = tag("table", tag("thead", head) + tag("tbody", "".join(rows)))
    return tag("div", table, class_="pk-scroll", id="documents")


OTHER_ROLES = ("responsible", "handler_lead", "handler")


# Rows of one listing page. A listing longer than this (the thresholds table, a department's clauses) is split
# into pages, so no page grows with the corpus: at 1,000 documents the thresholds table alone was 10.8 MB.
PAGE_ROWS = 300


def split_pages(groups: list[list], size: int | None = None) -> list[list]:
    """Groups of rows (e.g. the thresholds of one clause) packed into pages of about `size` rows, a group never
    split between pages; at least one (maybe empty) page."""
    size = size or PAGE_ROWS
    pages: list[list] = [[]]
    for group in groups:
        if pages[-1] and len(pages[-1]) + len(group) > size:
            pages.append([])
        pages[-1].extend(group)
    return pages


def pager(base: str, number: int, count: int) -> str:
    """上一页 / page numbers / 下一页 for page `number` of `count` of the listing at `base` ("" for one page)."""
    if count <= 1:
        return ""
    here = urls.listing_page(base, number)

    def link(n: int, label: str) -> str:
        if n == number:
            return tag("span", text(label), class_="pk-pager__here", **{"aria-current": "page"})
        return tag("a", text(label), href=relative(here, urls.listing_page(base, n)))

    shown = sorted({1, count, *range(max(1, number - 3), min(count, number + 3) + 1)})
    items, last = [], 0
    for n in shown:
        if n > last + 1:
            items.append(tag("span", "…", class_="pk-pager__gap"))
        items.append(link(n, str(n)))
        last = n
    prev = link(number - 1, "上一页") if number > 1 else ""
    following = link(number + 1, "下一页") if number < count else ""
    return tag("nav", " ".join([text(f"第 {number} / {count} 页"), prev, *items, following]),
               class_="pk-pager", **{"aria-label": "分页"})


def departments_index(depts: list[Department], here: str = urls.DEPARTMENTS) -> str:
    head = tag("tr", "".join(tag("th", text(h)) for h in ("部门", "牵头条款", "参与条款", "其他条款", "涉及文件")))
    rows = []
    for dept in depts:
        docs = {ref.doc.id for refs in dept.clauses.values() for ref in refs} | {d.id for d in dept.documents}
        rows.append(tag("tr", "".join([
            tag("td", tag("a", text(dept.name), href=relative(here, urls.department(dept.id)))),
            tag("td", text(len(dept.clauses.get("lead", [])))),
            tag("td", text(len(dept.clauses.get("participant", [])) + len(dept.clauses.get("responsible_subject", [])))),
            # 负责 without a stated lead, and 办理 (handling a proposal): never counted as 牵头 or 参与.
            tag("td", text(sum(len(dept.clauses.get(role, [])) for role in OTHER_ROLES))),
            tag("td", text(len(docs))),
        ])))
    table = tag("table", tag("thead", head) + tag("tbody", "".join(rows)))
    return tag("div", table, class_="pk-scroll", id="departments")


DEPARTMENT_SECTIONS = [
    ("lead", "牵头的条款", "列第一位的为牵头单位。"),
    ("participant", "参与的条款", None),
    ("responsible_subject", "作为责任主体的条款", None),
    ("responsible", "负责的条款", "文件未指明牵头单位：所列单位共同负责。"),
    ("handler_lead", "主办的事项", "办理意见中的主办单位（A会同B、C…研究提出办理意见）。"),
    ("handler", "会办的事项", None),
]


def department_pages(dept: Department, size: int | None = None) -> list[str]:
    """The department's clauses by role (leads, joins, is responsible for, handled), grouped by document; split
    into pages of about `size` clauses (a document's clauses of one role stay on one page)."""
    groups = []  # (role, [ClauseRef]) per role and document, in page order
    for role, _, _ in DEPARTMENT_SECTIONS:
        by_doc: dict[str, list[ClauseRef]] = {}
        for ref in dept.clauses.get(role, []):
            by_doc.setdefault(ref.doc.id, []).append(ref)
        groups += [[(role, ref) for ref in refs] for refs in by_doc.values()]
    pages = split_pages(groups, size)
    base = urls.department(dept.id)
    return [_department_page(dept, items, base, n, len(pages)) for n, items in enumerate(pages, 1)]


def _department_page(dept: Department, items: list, base: str, number: int, count: int) -> str:
    here = urls.listing_page(base, number)
    out = [tag("h1", text(dept.name if count == 1 else f"{dept.name}（第 {number} 页）"), id="title")]
    others = sorted(dept.written - {dept.name})
    if others:
        out.append(tag("p", text("文件中的写法：" + "、".join(others)), class_="pk-note"))
    if dept.name in dept.written and dept.places and dept.name[:1] in "省市县区":
        # 市留交办 with no full name in the registry: say whose it is, so two cities' pages are told apart.
        out.append(tag("p", text(f"{'、'.join(sorted(dept.places))}的单位；部门名录中尚无其全称。"), class_="pk-note"))
    out.append(pager(base, number, count))
    for role, title, note in DEPARTMENT_SECTIONS:
        refs = [ref for r, ref in items if r == role]
        if not refs:
            continue
        body = tag("p", text(note), class_="pk-note") if note else ""
        by_doc: dict[str, list[ClauseRef]] = {}
        for ref in refs:
            by_doc.setdefault(ref.doc.id, []).append(ref)
        for refs_of_doc in by_doc.values():
            doc = refs_of_doc[0].doc
            links = "".join(tag("li", _clause_link(r, here)) for r in refs_of_doc)
            body += tag("p", tag("a", text(display_title(doc.doc)), href=relative(here, urls.document(doc.id))),
                        class_="pk-doc-name") + tag("ul", links)
        total = len(dept.clauses.get(role, []))  # the whole department's count, on every page
        out.append(tag("h2", text(f"{title}（{total}）"), id=role) + body)
    if dept.documents and number == 1:
        docs = "".join(tag("li", tag("a", text(display_title(d.doc)), href=relative(here, urls.document(d.id))))
                       for d in dept.documents)
        out.append(tag("h2", text("全文责任主体"), id="document-wide") + tag("ul", docs))
    out.append(pager(base, number, count))
    return "\n\n".join(x for x in out if x)


def threshold_pages(rows: list, size: int | None = None) -> list[list]:
    """The thresholds table's rows (ClauseRef, Threshold) in pages, a clause's thresholds never split."""
    groups: dict[int, list] = {}
    for ref, t in rows:
        groups.setdefault(id(ref.unit), []).append((ref, t))
    return split_pages(list(groups.values()), size)


def thresholds_table(rows: list, here: str = "thresholds/") -> str:
    """Every threshold with its kind and the 且/或 group it is in, then each clause's rules in words."""
    head = tag("tr", "".join(tag("th", text(h)) for h in
                             ("类别", "指标", "比较", "数值", "单位", "原文", "组合", "前提", "条款")))
    body = []
    clauses: dict[int, tuple] = {}
    for ref, t in rows:
        unit = labels.UNITS.get(t.unit, t.unit)
        groups = {g.id: g for g in ref.unit.condition_groups}
        numbers = {g.id: n for n, g in enumerate(ref.unit.condition_groups, 1)}
        group = groups.get(t.group)
        logic = f"{labels.LOGIC_LONG[group.logic]}，第{numbers[group.id]}组" if group else "—"
        unlocked = "—"
        if t.unlocked_by:
            unlocked = (f"第{numbers[t.unlocked_by]}组" if t.unlocked_by in groups else
                        next((f"“{x.source_text}”" for x in ref.unit.thresholds if x.id == t.unlocked_by), "—"))
        shown = unit if not t.unit.startswith("元/") else labels.amount(0, t.unit).split(" ", 1)[1]
        body.append(tag("tr", "".join([
            tag("td", text(labels.KINDS.get(t.kind, t.kind)), class_=f"pk-kind pk-kind--{t.kind}"),
            tag("td", text(t.metric or "（见原文）")),  # the reader found no phrase for the number
            tag("td", text(labels.comparator(t.comparator))),
            tag("td", text(labels.amount(t.value, t.unit).replace(shown, "").strip()), class_="pk-num-cell"),
            tag("td", text(shown if t.unit != "CNY" else "元（人民币）")),
            tag("td", tag("mark", text(t.source_text), class_="pk-threshold")),
            tag("td", text(logic)),
            tag("td", text(unlocked)),
            tag("td", _clause_link_with_number(ref, here)),
        ])))
        clauses.setdefault(id(ref.unit), (ref, ref.unit))
    table = tag("table", tag("thead", head) + tag("tbody", "".join(body)))
    rules = sorted({t.rule for _, t in rows})
    notes = "".join(tag("li", text(labels.RULES.get(r, r))) for r in rules)
    words = []
    for ref, unit in clauses.values():
        items = "".join(tag("li", tag("strong", text(kind + "：")) + text(sentence))
                        for kind, sentence in rule_words.clause_rules(unit))
        words.append(tag("h3", _clause_link_with_number(ref, here)) + tag("ul", items, class_="pk-rules"))
    return "\n\n".join([
        tag("div", table, class_="pk-scroll", id="thresholds"),
        tag("div", tag("p", text("“以上”“以下”等是否包括本数：")) + tag("ul", notes), class_="pk-note"),
        tag("h2", text("逐条：条件的组合与适用"), id="rules"),
        tag("p", text("“且”表示全部满足，“或”表示满足其一；“适用于”之后是享受该待遇（或适用该处罚）的前提。"),
            class_="pk-lead"),
        "\n\n".join(words),
    ])


def _clause_link_with_number(ref: ClauseRef, here: str) -> str:
    return tag("a", text(f"{ref.doc.doc.metadata.doc_number or ref.doc.id} {clause_label(ref)}"),
               href=relative(here, ref.url))
