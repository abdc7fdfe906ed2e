"""A built site served on 127.0.0.1, and the Debian Chromium that opens it: shared by the
browser tests and bench/catalog_browser.py."""

from __future__ import annotations

import functools
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = os.environ.get("ZOO_CHROMIUM", "/usr/bin/chromium")
# as root, without a sandbox; no background traffic, which this machine's closed network refuses
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serve_site(site: Path, port: int = 0) -> Iterator[str]:
    """The built site over HTTP on 127.0.0.1 (instant navigation needs http, not file:)."""
    handler = functools.partial(QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def watched_page(browser: Browser, **options: object) -> Page:
    """A tab in a fresh context that records in `page.problems` console errors, page errors,
    dialogs and every request that is not to this machine (Material's inline SVG icons aside)."""
    options.setdefault("viewport", {"width": 1400, "height": 1000})
    page = browser.new_context(**options).new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []

    def on_console(message) -> None:
        if message.type == "error":
            problems.append(f"console error: {message.text}")

    def on_dialog(dialog) -> None:
        problems.append(f"a {dialog.type} dialog opened: {dialog.message!r}")
        dialog.dismiss()

    def on_request(request) -> None:
        if not request.url.startswith(("http://127.0.0.1:", "data:image/svg")):
            problems.append(f"request to another host: {request.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("dialog", on_dialog)
    page.on("request", on_request)
    page.problems = problems
    return page


def wait_ready(page: Page) -> None:
    """Until the catalog page has read models.json and drawn its table."""
    page.wait_for_selector("#zoo-catalog[data-ready]", state="attached")
