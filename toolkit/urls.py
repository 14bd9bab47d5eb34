"""Every URL of the published site and data, built in one place (as datasette's `urls` does).

Pages, the feed, the sitemap, the JSON-LD and catalog.json all call these functions, so a URL is spelled once and
cannot drift. Paths are relative to the site root, without a leading slash; pages end with "/" (mkdocs'
directory URLs). `absolute(site_url, path)` makes a full URL; site/html.py `relative(here, path)` a link between pages.

    <doc-id>/                              current version of a document
    <doc-id>/<version>/                    every version, the current one included (point in time)
    <doc-id>/<version>/changes/            修订对照 of a revision
    <doc-id>/changelog/                    修订记录
    <doc-id>/#<eid>                        a clause of the current version
    departments/  departments/<id>/  thresholds/  downloads/  about/  documents/
    thresholds/<n>/  departments/<id>/<n>/  page n (from 2) of a long listing
    feed.xml  sitemap.xml
    data/<path>                            a file of the open-data release (path relative to data/)
    data/<doc-id>/<version>/<file>         the files of one version

These URLs are stable: docs/revisions.md and docs/data.md promise them to users.
"""
from __future__ import annotations

DATA_DIR = "data"
FEED = "feed.xml"
SITEMAP = "sitemap.xml"
DEPARTMENTS = "departments/"
THRESHOLDS = "thresholds/"
DOWNLOADS = "downloads/"
ABOUT = "about/"
DOCUMENTS = "documents/"
HOME = ""


def listing_page(base: str, number: int) -> str:
    """Page `number` (1-based) of a listing split into pages: the first page is the listing's own URL."""
    return base if number == 1 else f"{base}{number}/"


def document(doc_id: str) -> str:
    return f"{doc_id}/"


def version(doc_id: str, version_key: str) -> str:
    """The point-in-time page of one version (also written for the current version)."""
    return f"{doc_id}/{version_key}/"


def version_page(doc_id: str, version_key: str, current: bool) -> str:
    """Where a version is read: the current one at the document URL, older ones at their own."""
    return document(doc_id) if current else version(doc_id, version_key)


def clause(doc_id: str, eid: str, version_key: str | None = None) -> str:
    """A clause: of the current version (version_key None), or of one version."""
    page = document(doc_id) if version_key is None else version(doc_id, version_key)
    return f"{page}#{eid}"


def changes(doc_id: str, version_key: str) -> str:
    return f"{doc_id}/{version_key}/changes/"


def changelog(doc_id: str) -> str:
    return f"{doc_id}/changelog/"


def department(department_id: str) -> str:
    return f"{DEPARTMENTS}{department_id}/"


# --- the data release -------------------------------------------------------------------------------------

def version_dir(doc_id: str, version_key: str) -> str:
    """The folder of one version's files, relative to data/."""
    return f"{doc_id}/{version_key}"


def document_file(doc_id: str, version_key: str, suffix: str) -> str:
    """<doc-id>/<version>/<doc-id><suffix>, relative to data/: suffix .json or .akn.xml."""
    return f"{version_dir(doc_id, version_key)}/{doc_id}{suffix}"


def data_file(path: str) -> str:
    """A release file (path relative to data/) as a site path."""
    return f"{DATA_DIR}/{path}"


def from_data(path: str) -> str:
    """A site path as seen from a file in data/ (catalog.json links pages relative to itself)."""
    return f"../{path}"


# --- making links -----------------------------------------------------------------------------------------

def absolute(site_url: str, path: str) -> str:
    """site_url (ending in /, or "" for site-relative) + path. Links between pages use site.html.relative."""
    return f"{site_url}{path}"
