"""Every page kind of the shipped site passes axe-core in real Chromium, light and dark, at desktop
and phone widths: no serious or critical violation, and WCAG AA colour contrast everywhere.

axe comes from tests/vendor/ (copied from npm by `make vendor`, checked against its manifest).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from test_drift import entry as drift_entry

from conftest import ROOT, mkdocs_build, site_config
from local_site import serve_site, wait_ready, watched_page

VENDOR = ROOT / "tests" / "vendor"
AXE = VENDOR / "axe-core" / "axe.min.js"

# one page of each kind (path in the site -> a selector that says the page is drawn); a new page
# kind is one line here
PAGE_KINDS: dict[str, str] = {
    "": "article",  # Home
    "catalog/": "#zoo-catalog[data-ready]",
    "overview/": "article table",
    "accuracy/": "article table",
    "devices/": "article table",
    "checksums/": "article table",
    "citations/": "article",
    "counting/": "article",
    "models/imagenet-caffe-alex/": "article",  # citations, files, no IR
    "models/squeezenet1.1-light/": "article",  # validated: the status badges
    # the catalog's other states: a dead end (chips, relaxations, empty facet values), the
    # compare view, and the filter drawer of phones (opened by CLICKS below)
    "catalog/?task=classification&gflops=..0.001": "#zoo-catalog[data-ready]",
    "catalog/?compare=imagenet-caffe-alex&compare=squeezenet1.1-light&view=compare": (
        ".zoo-catalog__compare"
    ),
    "catalog/?task=classification&drawer": "#zoo-catalog[data-ready]",
}
# a control clicked before axe runs; the page is left out where it is hidden (the drawer's
# toggle: phones only)
CLICKS = {"catalog/?task=classification&drawer": "[data-action=filters]"}
# generated page kinds with many pages: the first of each found in the built site
GLOBBED_KINDS: dict[str, str] = {
    "leaderboards/": "article table",
    "leaderboards/*/": "article table",
}
WIDTHS = (1440, 390)
SCHEMES = {"light": "default", "dark": "slate"}
# WCAG 2.x A and AA plus axe's best practices; experimental rules stay off
FAILING_IMPACTS = {"serious", "critical"}


def page_kinds(site: Path) -> dict[str, str]:
    kinds = dict(PAGE_KINDS)
    for pattern, ready in GLOBBED_KINDS.items():
        found = sorted(site.glob(pattern + "index.html"))
        if found:
            kinds[found[0].parent.relative_to(site).as_posix() + "/"] = ready
    for path in kinds:
        assert (site / path.split("?")[0] / "index.html").is_file(), path
    return kinds


def test_axe_copy_matches_its_manifest() -> None:
    entries = json.loads((VENDOR / "manifest.json").read_text())["files"]
    assert {entry["path"] for entry in entries} >= {"axe-core/axe.min.js", "axe-core/LICENSE"}
    pins = json.loads((ROOT / "package.json").read_text())["devDependencies"]
    for entry in entries:
        data = (VENDOR / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], (
            f"{entry['path']} changed: run `make vendor`"
        )
        assert entry["version"] == pins[entry["name"]], entry["path"]


def violations(page: Page) -> list[str]:
    """axe's serious/critical findings and every contrast finding, one line each."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        """() => axe.run(document, {
            runOnly: {type: 'tag',
                      values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa',
                               'best-practice']},
            resultTypes: ['violations'],
        }).then((r) => r.violations.map((v) => ({
            id: v.id, impact: v.impact,
            nodes: v.nodes.map((n) => n.target.join(' ') + ': '
                               + (n.failureSummary || '').split('\\n').slice(1, 2).join(''))
        })))"""
    )
    return [
        f"{found['id']} ({found['impact']}) {node}"
        for found in results
        if found["impact"] in FAILING_IMPACTS or found["id"] == "color-contrast"
        for node in found["nodes"][:5]
    ]


@pytest.fixture(scope="module")
def site(built_site: Path) -> Iterator[tuple[str, dict[str, str]]]:
    with serve_site(built_site) as url:
        yield url, page_kinds(built_site)


def check_pages(browser: Browser, url: str, kinds: dict[str, str], scheme: str, width: int) -> None:
    # the palette follows the reader's system setting (mkdocs.yml's media queries)
    page = watched_page(browser, viewport={"width": width, "height": 900}, color_scheme=scheme)
    found: dict[str, list[str]] = {}
    for path, ready in kinds.items():
        page.goto(url + path)
        if path.startswith("catalog/"):
            wait_ready(page)
        page.wait_for_selector(ready, state="attached")
        if path in CLICKS:
            if not page.locator(CLICKS[path]).is_visible():
                continue  # a state of the other width
            page.locator(CLICKS[path]).click()
            page.wait_for_selector("#zoo-filters", state="visible")
        shown = page.evaluate("document.body.dataset.mdColorScheme")
        assert shown == SCHEMES[scheme], (path, shown)
        if problems := violations(page):
            found[path or "/"] = problems
    page.context.close()
    assert found == {}, json.dumps(found, indent=1)
    assert page.problems == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_every_page_kind_passes_axe(
    browser: Browser, site: tuple[str, dict[str, str]], scheme: str, width: int
) -> None:
    url, kinds = site
    check_pages(browser, url, kinds, scheme, width)


def test_drift_page_passes_axe(browser: Browser, tmp_path: Path) -> None:
    """The Drift page exists only with the plugin's `drift:` option: a one-card site has it."""
    cards = tmp_path / "cards"
    shutil.copytree(ROOT / "model_cards" / "vgg-face", cards / "vgg-face")
    report = [
        drift_entry(model="vgg-face"),
        drift_entry(model="vgg-face", field="gflops", ratio=0.5),
    ]
    (tmp_path / "drift.json").write_text(json.dumps(report))
    site = tmp_path / "site"
    result = mkdocs_build(site_config(tmp_path, cards, drift="drift.json"), site)
    assert result.returncode == 0, result.stderr
    with serve_site(site) as url:
        for scheme in SCHEMES:
            for width in WIDTHS:
                check_pages(browser, url, {"drift/": "article table"}, scheme, width)
