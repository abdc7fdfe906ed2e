"""`mkdocs serve` through the plugin: pages are served and reload when a card changes; a card
that breaks shows its error on every page (the last good build under it) until it is fixed."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, expect

from conftest import BIN, ROOT, site_config
from local_site import free_port, watched_page


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return None


def wait_for(url: str, needle: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = fetch(url)
        if page is not None and needle in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"{needle!r} did not appear at {url} within {seconds} s")


@contextmanager
def mkdocs_serve(tmp_path: Path) -> Iterator[tuple[str, Path, subprocess.Popen]]:
    """`mkdocs serve` of a one-card zoo on 127.0.0.1: the site's address, the card, the server."""
    cards = tmp_path / "cards"
    shutil.copytree(ROOT / "model_cards" / "vgg-face", cards / "vgg-face")
    config = site_config(tmp_path, cards)
    port = free_port()
    server = subprocess.Popen(
        [BIN / "mkdocs", "serve", "-f", config, "--dev-addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        yield f"http://127.0.0.1:{port}/", cards / "vgg-face" / "model.yml", server
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_reloads_when_a_card_changes(tmp_path: Path) -> None:
    with mkdocs_serve(tmp_path) as (site, yml, _):
        url = site + "models/vgg-face/"
        wait_for(url, "vgg-face")
        yml.write_text(yml.read_text().replace("description:", "description: Freshly edited.", 1))
        page = wait_for(url, "Freshly edited.")
        assert "<h1" in page


def test_a_broken_card_shows_its_error_in_the_browser_until_fixed(
    tmp_path: Path, browser: Browser
) -> None:
    with mkdocs_serve(tmp_path) as (site, yml, server):
        url = site + "models/vgg-face/"
        wait_for(url, "vgg-face")
        page = watched_page(browser)
        page.goto(url)
        banner = page.locator(".zoo-serve-error")
        expect(banner).to_have_count(0)
        good = yml.read_text()
        # card text in the error stays text
        yml.write_text(good.replace("framework: matconvnet", "framework: <b>caffe</b>"))
        # live reload brings the error, over the last good build of the page
        expect(banner).to_be_visible(timeout=30_000)
        expect(banner).to_be_in_viewport()
        expect(banner).to_contain_text(f"{yml}:8:12: unknown-framework")
        expect(banner).to_contain_text("unknown framework '<b>caffe</b>'")
        assert banner.locator("b").count() == 0
        expect(page.locator("h1")).to_contain_text("vgg-face")
        # every page says so, the hand-written ones too
        assert "zoo-serve-error" in wait_for(site, "zoo-serve-error")
        yml.write_text(good.replace("description:", "description: Fixed again.", 1))
        expect(banner).to_have_count(0, timeout=30_000)
        expect(page.locator("article")).to_contain_text("Fixed again.")
        page.context.close()
        assert page.problems == []
    # the terminal has it too, one line per problem, and no traceback
    errors = server.stderr.read() if server.stderr else ""
    assert f"ERROR   -  {yml}:8:12: unknown-framework" in errors
    assert "Traceback" not in errors
