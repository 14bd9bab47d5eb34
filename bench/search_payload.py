"""What a browser downloads before it can show the first search result on the site's search page.

The site's search is Pagefind (toolkit/site/search_index.py writes the index during the build; the search page is
toolkit/site/pages/search.md + assets/search.js). Measured in Debian's Chromium (driven by Playwright) against the built
site served on 127.0.0.1: the search page is opened with the query in its address (/search/?q=…), as the header's
search box does, and every response until the page says 找到 N 条结果 is counted. "search" is what the search
itself costs (assets/search.js and everything under pagefind/: its script, worker, WebAssembly, entry, meta, the
index chunks of the query's terms and the fragments of the results ranked); "page" adds the HTML, the theme's CSS
and JavaScript, which a reader already on the site has in the cache. Pagefind's index and fragment files are
already gzip-compressed, so the bytes are what travels; "gzip" is every body gzip-compressed (level 6), what a
compressing server would send.
"""
from __future__ import annotations

import functools
import gzip
import http.server
import threading
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PAGEFIND_DIR = "pagefind"
WARM_QUERY = "科技成果转化"  # the second query typed on the same page


def browser_available() -> bool:
    if not CHROMIUM.exists():
        return False
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


@contextmanager
def _served(folder: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


class _Recorder:
    """Bodies of the responses whose URL satisfies `wanted`, as the browser received them."""

    def __init__(self, page, wanted):
        self.files: dict[str, bytes] = {}
        self.wanted = wanted
        page.on("response", self._response)
        # Requests from the search web worker are seen by the context, not the page.
        page.context.on("response", self._response)

    def _response(self, response):
        url = response.url
        if url in self.files or not self.wanted(url):
            return
        try:
            self.files[url] = response.body()
        except Exception:  # noqa: BLE001 - a redirect or an aborted request has no body
            self.files[url] = b""

    @property
    def gzip_sizes(self) -> dict[str, int]:
        return {u.removeprefix(self.base): len(gzip.compress(b, 6)) for u, b in self.files.items()}

    def summary(self, base: str) -> dict:
        self.base = base
        return {
            "requests": len(self.files),
            "bytes": sum(len(b) for b in self.files.values()),
            "gzip_bytes": sum(len(gzip.compress(b, 6)) for b in self.files.values()),
            "files": {u.removeprefix(base): len(b) for u, b in sorted(self.files.items())},
        }


def _site_search(page, base: str, query: str) -> dict:
    recorder = _Recorder(page, lambda url: url.startswith(base))
    start = time.perf_counter()
    page.goto(base + "search/?q=" + urllib.parse.quote(query))
    page.wait_for_function("/^(找到|没有找到)/.test(document.getElementById('pk-search-status').textContent)",
                           timeout=600_000)
    seconds = time.perf_counter() - start
    page.wait_for_timeout(200)  # let the recorder see the last bodies
    first = page.locator(".pk-result__link").first
    first_href = first.get_attribute("href") if first.count() else None
    summary = recorder.summary(base)
    # A second query on the same page: Pagefind's script, WebAssembly and meta file are loaded by then, so this is
    # what each further search costs (its index chunks and the fragments it ranks).
    loaded = set(recorder.files)
    status = page.locator("#pk-search-status").inner_text()
    page.evaluate("document.getElementById('pk-search-status').textContent = ''")  # the answer may read the same
    page.fill("#pk-search-input", WARM_QUERY)
    page.wait_for_function("/^(找到|没有找到)/.test(document.getElementById('pk-search-status').textContent)",
                           timeout=600_000)
    page.wait_for_timeout(200)
    warm = {u.removeprefix(base): len(b) for u, b in recorder.files.items() if u not in loaded}
    warm = {u: n for u, n in warm.items() if u.startswith(PAGEFIND_DIR + "/") or u == "assets/search.js"}
    search = {u: n for u, n in summary["files"].items() if u.startswith(PAGEFIND_DIR + "/") or u == "assets/search.js"}
    return {"query": query, "seconds_to_first_result": seconds,
            "first_result": first_href, "status": status,
            "then_query": WARM_QUERY, "then_requests": len(warm), "then_bytes": sum(warm.values()),
            "search_requests": len(search), "search_bytes": sum(search.values()),
            "search_gzip_bytes": sum(recorder.gzip_sizes[u] for u in search),
            **summary}


def measure(site: Path, queries: list[str]) -> dict:
    """Search payloads of the built site (its Pagefind index is in site/pagefind/)."""
    files = [p for p in (site / PAGEFIND_DIR).rglob("*") if p.is_file()]
    out: dict = {"static": {"index_files": len(files), "index_bytes": sum(p.stat().st_size for p in files)}}
    if not browser_available():
        out["skipped"] = f"no browser: {CHROMIUM} or playwright missing"
        return out
    from playwright.sync_api import sync_playwright

    with _served(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            out["site"] = []
            for query in queries:
                # A fresh context per query: nothing cached from the previous search.
                context = browser.new_context(locale="zh-CN")
                try:
                    out["site"].append(_site_search(context.new_page(), base, query))
                finally:
                    context.close()
        finally:
            browser.close()
    return out
