"""Browser fixtures: the real `policykit build` of the seed (plus the hostile-text fixture) served on 127.0.0.1,
and Debian's Chromium driven by Playwright. Built and started once per test session."""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
HOSTILE = REPO / "tests" / "fixtures" / "hostile-text.txt"
CORPUS_TEXTS = ["11_state-council-guobanfa-2018-123-gov-new-media.txt",
                "19_state-council-guobanfa-2019-6-financing-guarantee-sme.txt",
                "21_lingang-smart-manufacturing-support-policies.txt", "27_zhejiang-price-bureau-finance-2007-136-road-fees-notice.txt"]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    from toolkit.build import build

    src = tmp_path_factory.mktemp("source")
    shutil.copy(REPO / "source" / "manifest.toml", src)
    shutil.copy(REPO / "source" / "zjzbf-2024-21.txt", src)
    shutil.copy(HOSTILE, src)  # not in the manifest: built as a document of its own
    for name in CORPUS_TEXTS:  # a few more documents, so search has to pick the right one (also unlisted)
        shutil.copy(REPO / "tests" / "fixtures" / "corpus" / name, src)
    out = tmp_path_factory.mktemp("build") / "site"
    build(src, out)
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass


@pytest.fixture(scope="session")
def site_url(built_site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(_QuietHandler, directory=str(built_site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Console:
    """What the page reported: console errors, uncaught exceptions, dialogs (alert, confirm)."""

    def __init__(self, page):
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.errors.append(f"console {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"exception {e}"))
        page.on("dialog", self._dialog)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture
def phone(browser):
    """A phone-sized page (390 × 844, touch), as most readers of a policy site have."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", has_touch=True,
                                  is_mobile=True, device_scale_factor=2)
    page = context.new_page()
    page.console = Console(page)
    yield page
    context.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.console = Console(page)
    yield page
    context.close()
