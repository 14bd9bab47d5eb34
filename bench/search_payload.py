"""What a browser downloads before it can show the first search result, for the two search engines we compare:

- mkdocs-material's built-in search: a web worker loads lunr and the whole search/search_index.json;
- Pagefind (PyPI `pagefind[extended]`, whose binary segments Chinese): pagefind.js, its WebAssembly, an entry
  file, the index chunks the query needs and the fragment of the first result.

Measured in Debian's Chromium (driven by Playwright) against the built site served on 127.0.0.1: every response
the search causes is counted (its body, as served without compression), and the gzip size of the same bodies is
given as what a compressing web server would send. Without Chromium, the search index files are only listed.
"""
from __future__ import annotations

import functools
import gzip
import http.server
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PAGEFIND_DIR = "pagefind"
PAGEFIND_PROBE = "pagefind-probe.html"


def browser_available() -> bool:
    if not CHROMIUM.exists():
        return False
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def pagefind_available() -> bool:
    try:
        import pagefind  # noqa: F401
    except ImportError:
        return False
    return True


def run_pagefind(site: Path) -> dict:
    """Index the built site with Pagefind's extended binary (article text only, not the navigation)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", PAGEFIND_DIR,
                    "--root-selector", "article", "--quiet"], check=True, capture_output=True)
    seconds = time.perf_counter() - start
    files = [p for p in (site / PAGEFIND_DIR).rglob("*") if p.is_file()]
    return {"seconds": seconds, "index_files": len(files), "index_bytes": sum(p.stat().st_size for p in files)}


def static_sizes(site: Path) -> dict:
    index = site / "search" / "search_index.json"
    out = {"mkdocs_search_index_bytes": index.stat().st_size if index.exists() else None}
    if index.exists():
        out["mkdocs_search_index_gzip_bytes"] = len(gzip.compress(index.read_bytes(), 6))
    return out


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

    def summary(self, base: str) -> dict:
        return {
            "requests": len(self.files),
            "bytes": sum(len(b) for b in self.files.values()),
            "gzip_bytes": sum(len(gzip.compress(b, 6)) for b in self.files.values()),
            "files": {u.removeprefix(base): len(b) for u, b in sorted(self.files.items())},
        }


def _mkdocs_search(page, base: str, query: str) -> dict:
    def wanted(url: str) -> bool:
        return "/search/" in url or "workers/search" in url or "/lunr/" in url
    recorder = _Recorder(page, wanted)
    start = time.perf_counter()
    page.goto(base)
    box = page.locator("input.md-search__input")
    box.click()
    page.keyboard.type(query)
    page.keyboard.press("End")  # mkdocs-material reacts on keyup; Chinese arrives like an IME commit
    page.locator(".md-search-result__list li").first.wait_for(timeout=600_000)
    seconds = time.perf_counter() - start
    page.wait_for_timeout(200)  # let the recorder see the last bodies
    results = page.locator(".md-search-result__meta").inner_text()
    return {"query": query, "seconds_to_first_result": seconds, "result_text": results, **recorder.summary(base)}


_PROBE = """<!doctype html><meta charset="utf-8"><title>pagefind probe</title>
<script type="module">
const pagefind = await import("./pagefind/pagefind.js");
window.pagefindSearch = async (query) => {
  const search = await pagefind.search(query);
  if (!search.results.length) return {count: 0};
  const first = await search.results[0].data();
  return {count: search.results.length, url: first.url, title: first.meta.title};
};
window.pagefindReady = true;
</script>
"""


def _pagefind_search(page, base: str, query: str) -> dict:
    recorder = _Recorder(page, lambda url: f"/{PAGEFIND_DIR}/" in url)
    start = time.perf_counter()
    page.goto(base + PAGEFIND_PROBE)
    page.wait_for_function("window.pagefindReady === true")
    answer = page.evaluate("q => window.pagefindSearch(q)", query)
    seconds = time.perf_counter() - start
    page.wait_for_timeout(200)
    return {"query": query, "seconds_to_first_result": seconds, "results": answer.get("count"),
            "first_result": answer.get("url"), **recorder.summary(base)}


def measure(site: Path, queries: list[str], with_pagefind: bool) -> dict:
    """Search payloads of the built site (Pagefind's index must already be in site/pagefind/)."""
    out: dict = {"static": static_sizes(site)}
    if not browser_available():
        out["skipped"] = f"no browser: {CHROMIUM} or playwright missing"
        return out
    from playwright.sync_api import sync_playwright

    if with_pagefind:
        (site / PAGEFIND_PROBE).write_text(_PROBE, encoding="utf-8")
    with _served(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            for engine, search in (("mkdocs", _mkdocs_search), ("pagefind", _pagefind_search)):
                if engine == "pagefind" and not with_pagefind:
                    continue
                out[engine] = []
                for query in queries:
                    # A fresh context per query: nothing cached from the previous search.
                    context = browser.new_context(locale="zh-CN")
                    try:
                        out[engine].append(search(context.new_page(), base, query))
                    finally:
                        context.close()
        finally:
            browser.close()
    return out
