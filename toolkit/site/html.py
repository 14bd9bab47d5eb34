"""Small HTML helpers for generated pages: source text is data, never markup.

Generated pages are Markdown files whose content is raw HTML blocks. Every piece of source text goes
through `text()`, which turns each character that HTML, Markdown, Jinja or the search indexer could act
on into a character reference, so `<script>`, `{{ x }}`, `*`, `#` or `[a](b)` in a clause show as
those characters and nothing else.
"""
from __future__ import annotations

import html
import posixpath
import re

from ..errors import PolicykitError

# Character references for everything that is markup somewhere in the pipeline:
# HTML (& < > " '), Markdown (* _ ` # [ ] | \ ~ ^ ! :), Jinja ({ } %).
_REFS = {c: f"&#{ord(c)};" for c in "&<>\"'{}%*_`#[]|\\~^!:$"}
_TABLE = str.maketrans(_REFS)

_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*$")
_SEGMENT = re.compile(r"^[^/\\\x00-\x1f\x7f?#%]+$")


def text(value: object) -> str:
    """Escape a piece of text (or a number) for use between tags or inside an attribute value."""
    return str(value).translate(_TABLE)


def anchor_id(value: str) -> str:
    """An element id we generate from the model (an eid): checked, because it is also a URL fragment."""
    if not _ID.match(value or ""):
        raise PolicykitError(f"cannot use {value!r} as a page anchor (expected letters, digits, _ or -)")
    return value


def url_segment(value: str, what: str) -> str:
    """One path segment of a site URL (a document or department id): no slashes, dots-only or controls."""
    if not value or value in {".", ".."} or not _SEGMENT.match(value):
        raise PolicykitError(f"cannot use {value!r} as a {what} in a site URL")
    return value


def relative(from_page: str, to_url: str) -> str:
    """Relative link from a page URL (directory style, e.g. 'zjzbf-2024-21/') to a site path.

    Raw HTML links are not rewritten by mkdocs, so we write them relative: the site then works under any
    prefix (a sub-folder on a web server, or file:// from a download).
    """
    path, _, fragment = to_url.partition("#")
    base = posixpath.dirname("/" + from_page) if not from_page.endswith("/") else "/" + from_page
    rel = posixpath.relpath("/" + path, base) if path else ""
    if path.endswith("/") and rel != "." and not rel.endswith("/"):
        rel += "/"
    if rel == ".":
        rel = "./"
    return rel + ("#" + fragment if fragment else "")


def tag(name: str, content: str = "", **attrs: object) -> str:
    """`<name attr="…">content</name>`; attribute values are escaped, content must already be HTML.

    Attribute values need only HTML escaping: Markdown and the search indexer never read inside a tag."""
    parts = [name]
    for key, value in attrs.items():
        if value is None or value is False:
            continue
        key = key.rstrip("_").replace("_", "-")
        parts.append(key if value is True else f'{key}="{html.escape(str(value), quote=True)}"')
    return f"<{' '.join(parts)}>{content}</{name}>"


def paragraphs(value: str, **attrs: object) -> str:
    """Source paragraphs (separated by newlines) as <p> elements."""
    return "".join(tag("p", text(p), **attrs) for p in value.split("\n") if p.strip())
