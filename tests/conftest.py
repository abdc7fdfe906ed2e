"""Shared fixtures: paths of the repository, card writers, and one built site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from mkdocs.utils.yaml import yaml_load
from playwright.sync_api import Browser

from local_site import chromium

ROOT = Path(__file__).resolve().parents[1]
# the validation cache lives in the user's cache folder: tests (and their subprocesses) get
# their own instead of filling the real one
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="zoo-tests-cache-")
BIN = Path(sys.executable).parent


def write_card(cards: Path, name: str, text: str, folder: str | None = None) -> Path:
    """Write `<cards>/<folder or name>/model.yml` and return its path."""
    path = cards / (folder or name) / "model.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def shadow_modules(folder: Path, *modules: str) -> Path:
    """Modules in `folder` (a zoo checkout a pull request fills) that would name what they are
    when imported: the marker file they write is returned."""
    marker = folder / "imported"
    for module in modules:
        (folder / module).parent.mkdir(parents=True, exist_ok=True)
        (folder / module).write_text(f"open({str(marker)!r}, 'w').write('yes')\n")
    return marker


def mkdocs_build(config: Path, site: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [BIN / "mkdocs", "build", "--strict", "-f", config, "-d", site, *extra],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


def site_config(tmp: Path, cards: Path, **options: object) -> Path:
    """A copy of the project's mkdocs.yml that reads cards from `cards`, with plugin options."""
    shutil.copytree(ROOT / "docs", tmp / "docs", dirs_exist_ok=True)
    config = yaml_load((ROOT / "mkdocs.yml").read_text())  # MkDocs' loader: !ENV
    plugin = next(item["zoo"] for item in config["plugins"] if isinstance(item, dict))
    plugin.update({"cards": str(cards), "templates": str(ROOT / "templates"), "results": []})
    plugin.update(options)
    path = tmp / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped catalog built once with the real MkDocs, as a user's `make site` would."""
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT / "mkdocs.yml", site)
    assert result.returncode == 0, result.stderr
    return site


class TableParser(HTMLParser):
    """Every <table> of a page as rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self.tables:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_tables(path: Path) -> list[list[list[str]]]:
    parser = TableParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.tables


def table_rows(path: Path) -> dict[str, list[str]]:
    """Rows of all tables keyed by their first cell (arrows of part rows removed)."""
    rows = {}
    for table in html_tables(path):
        for row in table[1:]:
            if row:
                rows[row[0].replace("↳", "").strip()] = row
    return rows
