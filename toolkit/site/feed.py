"""Atom feed of published document versions (RFC 4287). Deterministic: dates come from the versions,
never from the clock, so rebuilding the same release gives the same bytes."""
from __future__ import annotations

import re
from xml.sax import saxutils

from .. import urls
from . import labels
from .catalog import SiteDocument
from . import revisions
from .document_page import display_title, page_path


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(value: str) -> str:
    """XML text: characters XML 1.0 cannot carry at all are dropped, the rest escaped."""
    return saxutils.escape(_NOT_XML.sub("", value))


def quoteattr(value: str) -> str:
    return saxutils.quoteattr(_NOT_XML.sub("", value))


def _stamp(iso_date: str) -> str:
    return f"{iso_date}T00:00:00Z"


FEED_ENTRIES = 100  # the newest versions in the feed


def render(docs: list[SiteDocument], site_url: str, site_name: str, history: dict | None = None) -> str:
    """history: doc id -> {version: revisions.Revision}; a revised version's entry says what changed and links
    to its 修订对照 page."""
    # Newest first; ties broken by id so the order never depends on input order. Only the newest FEED_ENTRIES:
    # a feed is what is new, and it must not grow with the corpus (the sitemap lists every page).
    newest = sorted(((v.date, d.id, v.version, d, v) for d in docs for v in d.versions),
                    key=lambda e: e[:3], reverse=True)[:FEED_ENTRIES]
    entries = []
    for date, doc_id, version, d, v in newest:
        m = v.document.metadata
        url = urls.absolute(site_url, page_path(d, v))
        revision = (history or {}).get(d.id, {}).get(v.version)
        summary = "；".join(filter(None, [
            m.doc_number, m.issuer,
            f"成文日期 {labels.date(m.signed_date)}" if m.signed_date else None,
            f"施行日期 {labels.date(m.effective_date)}" if m.effective_date else None,
            f"效力状态 {v.status.label}",
            revisions.feed_note(revision),
        ]))
        related = ([f"    <link rel=\"related\" type=\"text/html\" title=\"修订对照\" "
                    f"href={quoteattr(urls.absolute(site_url, revisions.changes_path(d, v)))}/>"] if revision else [])
        entries.append((date, doc_id, version, "\n".join([
            "  <entry>",
            f"    <id>{escape(urls.absolute(site_url, urls.version(d.id, v.version)))}</id>",
            f"    <title>{escape(display_title(v.document))}</title>",
            f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(url)}/>",
            *related,
            f"    <updated>{_stamp(v.date)}</updated>",
            f"    <published>{_stamp(v.date)}</published>",
            *(f"    <author><name>{escape(name)}</name></author>" for name in (m.issuers or [m.issuer or site_name])),
            f"    <summary>{escape(summary)}</summary>",
            "  </entry>",
        ])))
    updated = entries[0][0] if entries else "1970-01-01"
    head = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
        f"  <id>{escape(urls.absolute(site_url, urls.FEED))}</id>",
        f"  <title>{escape(site_name)}：文件发布</title>",
        f"  <link rel=\"self\" type=\"application/atom+xml\" href={quoteattr(urls.absolute(site_url, urls.FEED))}/>",
        f"  <link rel=\"alternate\" type=\"text/html\" href={quoteattr(site_url)}/>",
        f"  <updated>{_stamp(updated)}</updated>",
    ]
    return "\n".join([*head, *(e[3] for e in entries), "</feed>"]) + "\n"
