"""Compose the website's pages and build them with mkdocs-material.

Hand-written pages (toolkit/site/pages/) and generated ones (documents, departments, thresholds, downloads, feed)
are put together in a temporary docs_dir, then mkdocs builds them in-process into `out_dir`.
"""
from __future__ import annotations

import contextlib
import html
import json
import logging
import os
import shutil
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from .. import tempdirs, urls
from ..errors import ConfigError, PolicykitError
from ..resources import package_path
from ..model import SCHEMA_VERSION
from . import catalog as cat
from . import calculator, document_page, downloads, feed, index_pages, library, revisions, search_index
from .html import relative, tag, text

# Shipped in the package (toolkit/resources.py): the mkdocs template, the hand-written pages, the theme overrides.
TEMPLATE = ("site", "mkdocs.yml")
HANDWRITTEN = ("site", "pages")
OVERRIDES = ("site", "overrides")
# What a publisher's own mkdocs.yml may set on top of the template: who publishes, where. The theme, search and
# pages are the toolkit's (the generated pages depend on them).
PUBLISHER_KEYS = ("site_name", "site_url", "site_description", "site_author", "copyright", "extra")
PUBLISHER_CONFIG = Path("mkdocs.yml")  # looked for in the working folder, like source/ and site/
DOCS_TEMP_PREFIX = "policykit-docs-"  # the pages given to mkdocs, in the system's temp folder


def template_file() -> Path:
    return package_path(*TEMPLATE)


def publisher_settings(config_file: Path | None) -> dict:
    """PUBLISHER_KEYS from a publisher's mkdocs.yml (None: none). Other keys are the template's business and are
    ignored (INHERIT included, which the project's own mkdocs.yml uses to point plain mkdocs at the template)."""
    if config_file is None:
        return {}
    config_file = Path(config_file)
    if not config_file.is_file():
        raise ConfigError("找不到网站配置文件", file=str(config_file))
    from mkdocs.utils import yaml_load

    try:
        with open(config_file, encoding="utf-8") as handle:
            data = yaml_load(handle.read()) or {}  # a string: INHERIT (the template's business) is not followed
    except Exception as err:  # YAML errors of every kind: the message says where
        raise ConfigError(f"网站配置文件不是有效的 YAML：{err}", file=str(config_file)) from err
    if not isinstance(data, dict):
        raise ConfigError("网站配置文件必须是 YAML 映射（site_name: …）", file=str(config_file))
    return {key: data[key] for key in PUBLISHER_KEYS if key in data}


@dataclass
class SiteSummary:
    pages: int
    search_entries: int
    search_index_bytes: int  # every file of site/pagefind/ (a query downloads a few of them)
    search_index_seconds: float = 0.0  # writing the search index (for the benchmarks)


def build_site(documents, release, out_dir, quiet: bool = False, config_file: Path | None = None,
               as_of: str | None = None, warn=None) -> SiteSummary:
    """Build the website for `documents` (a release.Release, or ReleaseDocuments, SiteDocuments or plain
    Documents) and `release` (the data package descriptor of the files in site/data/) into `out_dir` (emptied
    first). config_file: the publisher's mkdocs.yml (site_name, site_url…; see PUBLISHER_KEYS), None: the
    template's. as_of: status date for documents that do not come from a build (a build's carry their status).
    warn: called with each warning line (default: printed to stderr)."""
    search_index.require_pagefind()
    publisher = publisher_settings(config_file)
    publisher_file = Path(config_file) if config_file else PUBLISHER_CONFIG
    config_file = template_file()
    docs = cat.catalog(documents, as_of)
    out_dir = Path(out_dir)
    # Named after this process: a build killed while mkdocs ran leaves its folder, removed by the next build.
    tempdirs.remove_stale(Path(tempfile.gettempdir()), DOCS_TEMP_PREFIX)
    with tempfile.TemporaryDirectory(prefix=tempdirs.prefix_for(DOCS_TEMP_PREFIX)) as tmp:
        docs_dir = Path(tmp) / "docs"
        shutil.copytree(package_path(*HANDWRITTEN), docs_dir)
        base = _load(config_file, docs_dir, out_dir, **publisher)
        site_url = base.site_url or ""
        if site_url and not site_url.endswith("/"):
            site_url += "/"
        for line in site_url_warnings(site_url, publisher_file):
            (warn or _stderr)(line)
        files = downloads.release_files(release, {d.id for d in docs})
        pages = compose(docs, files, docs_dir, site_url, base.site_name)
        # toc_hook builds the 目录 of document pages from their headings (raw HTML the toc extension cannot see).
        overrides = {"nav": _nav(docs), "hooks": [str(Path(__file__).with_name("toc_hook.py"))]}
        if len(docs) > NAV_DOCUMENT_LIMIT:
            # Document pages are reached from the 政策文件 page, not the menu (mkdocs.yml's not_in_nav + this).
            overrides["not_in_nav"] = "/search.md\n/*/index.md\n/*/*/index.md\n/*/*/*/index.md"
        config = _load(config_file, docs_dir, out_dir, **publisher, **overrides)
        with _mkdocs_errors(config_file, quiet), _source_date(docs):
            from mkdocs.commands.build import build
            build(config)
    started = time.perf_counter()
    entries = search_index.write(search_index.records(docs, cat.departments(docs)), out_dir)
    seconds = time.perf_counter() - started
    index_bytes = sum(p.stat().st_size for p in (out_dir / search_index.INDEX_DIR).rglob("*") if p.is_file())
    return SiteSummary(pages=pages, search_entries=entries, search_index_bytes=index_bytes,
                       search_index_seconds=seconds)


# Domains reserved for examples and tests (RFC 2606, RFC 6761): never the publisher's.
_PLACEHOLDER_HOSTS = ("example.org", "example.com", "example.net", "localhost")
_PLACEHOLDER_SUFFIXES = (".example.org", ".example.com", ".example.net", ".example", ".test", ".invalid", ".localhost")


def site_url_warnings(site_url: str, config_file: Path) -> list[str]:
    """The feed, the sitemap, the JSON-LD and every "how to cite" are built from site_url: a placeholder there
    publishes links to a site that does not exist, so the build says so loudly (in Chinese: publishers read it)."""
    host = urllib.parse.urlsplit(site_url).hostname or ""
    where = f"请在 {config_file} 中把 site_url 改成本站正式发布的网址（见 docs/publishing.md）。"
    if not site_url:
        return [f"警告：网站没有设置网址（site_url）。订阅（feed.xml）、站点地图、JSON-LD 和“如何引用”里只有站内路径。{where}"]
    if host in _PLACEHOLDER_HOSTS or host.endswith(_PLACEHOLDER_SUFFIXES):
        return [f"警告：网站网址 site_url 还是示例地址 {site_url}，订阅（feed.xml）、站点地图、JSON-LD 和“如何引用”"
                f"中的链接都会指向一个不存在的网站。{where}"]
    return []


def _stderr(line: str) -> None:
    print(line, file=sys.stderr)


def compose(docs: list[cat.SiteDocument], files: list[downloads.ReleaseFile], docs_dir: Path,
            site_url: str, site_name: str) -> int:
    """Write every generated page into docs_dir; returns the number of pages."""
    by_id = {d.id: d for d in docs}
    written = 0

    def write(rel: str, content: str) -> None:
        nonlocal written
        path = docs_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        written += rel.endswith(".md")

    # Version pages, point-in-time copies, 修订对照 and 修订记录 pages (revisions.py).
    history = {d.id: revisions.write_pages(d, by_id, files, site_url, write) for d in docs}

    depts = cat.departments(docs)
    write("departments/index.md", document_page.front_matter("部门") + "\n\n".join([
        '<h1 id="title">部门</h1>',
        '<p class="pk-lead">文件中列为责任单位的部门。点开部门，可以看到它牵头和参与的全部条款。'
        '“列第一位的为牵头单位”。</p>',
        index_pages.departments_index(depts),
    ]) + "\n")
    for dept in depts:
        for number, body in enumerate(index_pages.department_pages(dept), 1):
            write(urls.listing_page(urls.department(dept.id), number) + "index.md",
                  document_page.front_matter(dept.name) + body + "\n")

    # The 政策文件 list, in pages, and the facet index its filters read (library.py).
    for rel, content in library.pages(docs).items():
        write(rel, content)
    write(library.INDEX_FILE, library.index_json(docs))

    pages = index_pages.threshold_pages(cat.thresholds(docs))
    for number, rows in enumerate(pages, 1):
        here = urls.listing_page(urls.THRESHOLDS, number)
        pager = index_pages.pager(urls.THRESHOLDS, number, len(pages))
        write(here + "index.md", document_page.front_matter("数值条件") + "\n\n".join(x for x in [
            '<h1 id="title">数值条件</h1>',
            '<p class="pk-lead">文件中带数值的条件，例如“研发费用占营业收入比重3%以上”。金额统一换算为元。</p>',
            pager, index_pages.thresholds_table(rows, here), pager,
        ] if x) + "\n")

    calculator.write_pages(docs, write)

    write("downloads/index.md", document_page.front_matter("数据下载") + "\n\n".join([
        '<h1 id="title">数据下载</h1>',
        '<p class="pk-lead">全部开放数据文件。地址长期不变；下载后可用 SHA-256 校验文件完整，例如 '
        '<code>sha256sum 文件名</code>。字段含义见各表的字段说明和<a href="../about/">关于数据</a>。</p>',
        downloads.render(files, document_ids=set(by_id)),
    ]) + "\n")

    placeholders = {
        "<!-- policykit:documents -->": _home_documents(docs),
        "<!-- policykit:schema-version -->": text(SCHEMA_VERSION),
        "<!-- policykit:citation -->": _citation(docs, site_url),
    }
    for page in docs_dir.rglob("*.md"):
        if page.is_relative_to(docs_dir) and any(k in (body := page.read_text(encoding="utf-8")) for k in placeholders):
            for key, value in placeholders.items():
                body = body.replace(key, value)
            page.write_text(body, encoding="utf-8")

    write(urls.FEED, feed.render(docs, site_url, site_name, history))
    for d in docs:
        for old in d.former_ids:
            for old_path, new_path in [(urls.document(old), urls.document(d.id)),
                                       *((urls.version(old, v.version), urls.version(d.id, v.version))
                                         for v in d.versions)]:
                write(old_path + "index.html", redirect_page(old_path, new_path, site_url))
    return written


def redirect_page(old_path: str, new_path: str, site_url: str) -> str:
    """A page left at a URL the document had before (manifest former_ids): it sends the reader on, keeping the
    clause anchor (#sec_2__para_1), and tells search engines the new address."""
    target = relative(old_path, new_path)
    return "\n".join([
        "<!doctype html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{text('已迁移')}</title>",
        f'<link rel="canonical" href="{html.escape(urls.absolute(site_url, new_path), quote=True)}">',
        f'<meta http-equiv="refresh" content="0; url={html.escape(target, quote=True)}">',
        '<meta name="robots" content="noindex">',
        f"<script>location.replace({json.dumps(target)} + location.hash)</script>",
        f'</head><body><p>本文件已迁移到 <a href="{html.escape(target, quote=True)}">新地址</a>。</p></body></html>',
        "",
    ])


def _citation(docs: list[cat.SiteDocument], site_url: str) -> str:
    """A worked citation example from the first document, with a clause link."""
    if not docs:
        return ""
    d = docs[0]
    first = next(iter(d.doc.units()), None)
    cite = document_page.citation(d.doc, site_url, urls.clause(d.id, first.eid) if first else urls.document(d.id))
    return f'<blockquote class="pk-cite"><p>{text(cite)}</p></blockquote>'


def _home_documents(docs: list[cat.SiteDocument]) -> str:
    """The newest documents on the home page; all of them are on the 政策文件 page (the home page stays small)."""
    more = tag("p", tag("a", text(f"全部 {len(docs)} 份文件，可按发文机关、年份、文种、效力状态和主题筛选 →"),
                        href=relative("", urls.DOCUMENTS)), class_="pk-more")
    return index_pages.document_list(docs[:HOME_DOCUMENTS]) + "\n\n" + more


DOCUMENTS_PAGE = "documents/index.md"
HOME_DOCUMENTS = 10
# Up to this many documents are listed one by one in the site menu. The menu is repeated in every page, so a
# large corpus gets one 政策文件 page instead (at 1,000 documents the menu alone was ~340 kB per page).
NAV_DOCUMENT_LIMIT = 30


def _nav(docs: list[cat.SiteDocument]) -> list:
    if len(docs) > NAV_DOCUMENT_LIMIT:
        documents = DOCUMENTS_PAGE
    else:
        # Titles are printed unescaped by the theme, so they are escaped here like any source text.
        documents = [{"全部文件": DOCUMENTS_PAGE}] + [
            {text(d.doc.metadata.doc_number or document_page.display_title(d.doc)): f"{d.id}/index.md"} for d in docs]
    return [
        {"首页": "index.md"},
        {"政策文件": documents},
        {"部门": "departments/index.md"},
        {"数值条件": "thresholds/index.md"},
        {"政策计算器": "calculator/index.md"},
        {"数据下载": "downloads/index.md"},
        {"关于数据": "about.md"},
    ]


def _load(config_file: Path, docs_dir: Path, out_dir: Path, **overrides):
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    try:
        with _quiet_mkdocs():
            return load_config(config_file=str(config_file), docs_dir=str(docs_dir), site_dir=str(out_dir),
                               **overrides)
    except ConfigurationError as err:
        raise ConfigError(f"网站配置文件有误：{err}", file=str(config_file)) from err


@contextlib.contextmanager
def _quiet_mkdocs():
    logger = logging.getLogger("mkdocs")
    old = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(old)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def _mkdocs_errors(config_file: Path, quiet: bool):
    """mkdocs' warnings (strict mode) and errors become one PolicykitError listing them."""
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")
    collect = _Collect()
    logger.addHandler(collect)
    old_level, old_propagate = logger.level, logger.propagate
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = not quiet
    try:
        yield
    except MkDocsException as err:
        details = "; ".join(collect.messages) or str(err)
        raise PolicykitError(f"website build failed: {details}", file=str(config_file)) from err
    finally:
        logger.removeHandler(collect)
        logger.setLevel(old_level)
        logger.propagate = old_propagate


@contextlib.contextmanager
def _source_date(docs: list[cat.SiteDocument]):
    """Dates mkdocs writes (sitemap lastmod, gzip header) come from SOURCE_DATE_EPOCH: we set it to the
    newest version date so the same release always builds to the same bytes."""
    newest = max((v.date for d in docs for v in d.versions), default="1970-01-01")
    epoch = int(datetime.combine(date.fromisoformat(newest), datetime.min.time(), timezone.utc).timestamp())
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
