"""`mkdocs serve` through the plugin: pages are served and reload when a card changes."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

from conftest import BIN, ROOT, site_config
from local_site import free_port


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


def test_serve_reloads_when_a_card_changes(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    shutil.copytree(ROOT / "model_cards" / "vgg-face", cards / "vgg-face")
    config = site_config(tmp_path, cards)
    port = free_port()
    server = subprocess.Popen(
        [BIN / "mkdocs", "serve", "-f", config, "--dev-addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        url = f"http://127.0.0.1:{port}/models/vgg-face/"
        wait_for(url, "vgg-face")
        yml = cards / "vgg-face" / "model.yml"
        yml.write_text(yml.read_text().replace("description:", "description: Freshly edited.", 1))
        page = wait_for(url, "Freshly edited.")
        assert "<h1" in page
    finally:
        server.terminate()
        server.wait(timeout=30)
