"""`policykit serve`: preview the built website on this machine (http.server, 127.0.0.1 by default)."""
from __future__ import annotations

import functools
import http.server
import urllib.parse
from http import HTTPStatus
from pathlib import Path
from typing import Callable

from ..errors import ConfigError
from ..resources import package_path
from .build import HANDWRITTEN, OVERRIDES, PUBLISHER_CONFIG, TEMPLATE


def is_stale(site_dir: Path, source_dir: Path) -> bool:
    """True when site/ is missing or older than a source text, the manifest or the website's own files."""
    index = Path(site_dir) / "index.html"
    if not index.is_file():
        return True
    built = index.stat().st_mtime
    folders = [package_path(*HANDWRITTEN), package_path(*OVERRIDES)]
    inputs = [*Path(source_dir).glob("*.txt"), *Path(source_dir).glob("manifest.toml"), package_path(*TEMPLATE),
              *([PUBLISHER_CONFIG] if PUBLISHER_CONFIG.is_file() else []),
              *(p for folder in folders for p in folder.rglob("*") if p.is_file())]
    return any(p.stat().st_mtime > built for p in inputs)


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".xml": "application/xml", ".json": "application/json", ".csv": "text/csv; charset=utf-8"}

    def send_head(self):
        # /%00 made open() raise ValueError: the connection was dropped and a traceback printed. No file name
        # holds a NUL, so the request is simply bad.
        if "\x00" in urllib.parse.unquote(self.path):
            self.send_error(HTTPStatus.BAD_REQUEST, "A NUL character (%00) cannot be part of a path")
            return None
        return super().send_head()


def serve(site_dir: Path, host: str = "127.0.0.1", port: int = 8000,
          ready: Callable[[str], None] | None = None) -> None:
    """Serve site_dir until interrupted (Ctrl-C)."""
    site_dir = Path(site_dir)
    if not (site_dir / "index.html").is_file():
        raise ConfigError("no website to serve here; run `policykit build` first", file=str(site_dir))
    try:
        server = http.server.ThreadingHTTPServer((host, port), functools.partial(_Handler, directory=str(site_dir)))
    except OSError as err:
        raise ConfigError(f"cannot listen on {host}:{port} ({err.strerror}); try another --port") from err
    with server:
        if ready:
            ready(f"http://{host}:{server.server_port}/")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
