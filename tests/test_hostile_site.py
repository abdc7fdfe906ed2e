"""The trust boundary of the site: hostile cards and reports, generated from the schema, built
with the real MkDocs and opened in Debian's Chromium. Card text must stay text everywhere."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hostile import MARK, PAYLOADS, REFERENCES, hostile_card, hostile_result
from playwright.sync_api import Browser

from conftest import ROOT, mkdocs_build, site_config, write_card
from generator.cards.catalog import load_catalog
from generator.cards.checks import run_checks
from generator.cli import main
from generator.site.vendor import EXTRA_CSS, EXTRA_JAVASCRIPT
from local_site import serve_site, wait_ready, watched_page

NAMES = {kind: f"hostile-{kind}" for kind in PAYLOADS}
UNSAFE_URL = re.compile(r"^\s*(javascript|vbscript|data|file):", re.IGNORECASE)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "srcset", "poster")
# text fields that take no free text: vocabularies, patterns, names of other cards or files
CONSTRAINED = {("name",), ("task",), ("tags", 0), ("framework",), ("license", "id"),
               ("inputs", 0, "layout"), ("inputs", 0, "type"), ("outputs", 0, "layout"),
               ("outputs", 0, "type"), ("original", "inputs", 0, "layout"),
               ("original", "inputs", 0, "type"), ("original", "outputs", 0, "layout"),
               ("original", "outputs", 0, "type"), ("files", 0, "md5"), ("files", 0, "sha256"),
               ("files", 0, "sha384"), ("files", 0, "name"), *REFERENCES}  # fmt: skip


# what `zoo check` may say of a hostile card it refuses
SECURITY_CODES = {"broken-link", "unsafe-link", "bad-url", "outside-card", "bad-file-name"}


@pytest.fixture(scope="module")
def hostile_cards(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list]]:
    """Every hostile card in one folder, and the error findings of `zoo check` per card."""
    cards = tmp_path_factory.mktemp("hostile-cards")
    for kind, name in NAMES.items():
        data, _, _ = hostile_card(name, kind)
        write_card(cards, name, yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    findings: dict[str, list] = {name: [] for name in NAMES.values()}
    for finding in run_checks(load_catalog(cards)):
        if finding.severity == "error":
            findings[Path(finding.path).parent.name].append(finding)
    return cards, findings


def test_check_refuses_hostile_links_for_a_security_reason(hostile_cards) -> None:
    _, findings = hostile_cards
    codes = {finding.code for found in findings.values() for finding in found}
    assert codes <= SECURITY_CODES, codes
    # plain markup in text is no finding: it is shown as text
    assert findings[NAMES["script"]] == [] and findings[NAMES["handler"]] == []


@pytest.fixture(scope="module")
def hostile_sources(tmp_path_factory: pytest.TempPathFactory, hostile_cards) -> tuple[Path, Path]:
    """The hostile cards `zoo check` lets through, and a report with hostile results of all."""
    tmp = tmp_path_factory.mktemp("hostile-sources")
    source, findings = hostile_cards
    for name in NAMES.values():
        if not findings[name]:
            shutil.copytree(source / name, tmp / "cards" / name)
    report = tmp / "results" / "report.json"
    report.parent.mkdir()
    results = [hostile_result(name, kind) for kind, name in NAMES.items()]
    report.write_text(json.dumps({"version": 1, "results": results}))
    return tmp / "cards", report


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory, hostile_sources) -> Path:
    """The site of every hostile card that `zoo check` lets through, with hostile reports."""
    tmp = tmp_path_factory.mktemp("hostile")
    cards, report = hostile_sources
    config = site_config(tmp, cards, validation=False, results=[str(report)])
    built = mkdocs_build(config, tmp / "site")
    assert built.returncode == 0, built.stderr
    return tmp / "site"


def test_every_free_text_field_is_attacked() -> None:
    # a new text field is attacked by default; one that refuses text must be listed above
    for kind in PAYLOADS:
        _, carried, refused = hostile_card(NAMES[kind], kind)
        unexpected = [loc for loc in refused if not any(loc[: len(c)] == c for c in CONSTRAINED)]
        assert unexpected == [], f"{kind}: text fields that took no payload: {unexpected}"
        assert len(carried) >= 20, carried


class MarkupAudit(HTMLParser):
    """Collects every place where a payload became markup instead of text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.in_script = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_script = tag in ("script", "style")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and UNSAFE_URL.match(html.unescape(value)):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag in ("iframe", "object", "embed", "form", "base", "meta") and self.in_article:
            self.problems.append(f"<{tag}> in the article")

    in_article = False

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and MARK in data:
            self.problems.append(f"payload inside a script: {data[:80]!r}")
        elif not self.in_script:
            self.text.append(data)


def audit(path: Path) -> MarkupAudit:
    parser = MarkupAudit()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_payloads_stay_text_on_every_page(hostile_site: Path) -> None:
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > len(PAYLOADS)
    problems = {str(page.relative_to(hostile_site)): audit(page).problems for page in pages}
    assert {page: found for page, found in problems.items() if found} == {}


def test_payloads_are_shown_not_dropped(hostile_site: Path) -> None:
    for kind, name in NAMES.items():
        if not (hostile_site / "models" / name).exists():
            continue
        text = "".join(audit(hostile_site / "models" / name / "index.html").text)
        # plain text fields print the payload's characters as they are
        for field in ("accuracy.0.metric", "speed.0.device", "inputs.0.name"):
            assert re.search(rf"alert\(.{field}.\)", text), (kind, field)


def test_render_output_built_by_zensical_keeps_payloads_as_text(
    tmp_path: Path, hostile_sources
) -> None:
    """`zoo render` has no HTML sanitizer after it (another engine renders its Markdown): the
    escaping in the templates and the card Markdown renderer must hold on their own."""
    cards, report = hostile_sources
    out = tmp_path / "out"
    shutil.copytree(ROOT / "docs", out)
    code = main(["render", str(out), "--cards", str(cards), "--results", str(report)])
    assert code == 0
    config = {
        "site_name": "Hostile",
        "docs_dir": "out",
        "theme": {"name": "material", "font": False},
        "plugins": ["search"],
        "extra_css": list(EXTRA_CSS),
        "extra_javascript": list(EXTRA_JAVASCRIPT),
        "markdown_extensions": ["attr_list", "admonition", "tables", "fenced_code", "toc"],
    }
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    built = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--strict"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    pages = sorted((tmp_path / "site" / "models").rglob("*.html"))
    assert len(pages) >= len(NAMES) // 2
    pages += [tmp_path / "site" / name / "index.html" for name in ("accuracy", "devices")]
    pages += sorted((tmp_path / "site" / "leaderboards").rglob("*.html"))
    problems = {str(page): audit(page).problems for page in pages}
    assert {page: found for page, found in problems.items() if found} == {}
    text = "".join(audit(pages[0]).text)
    assert re.search(r"alert\(.accuracy\.0\.metric.\)", text)


def test_card_files_are_not_published_as_pages(hostile_site: Path) -> None:
    published = {path.suffix for path in (hostile_site / "models").rglob("*") if path.is_file()}
    assert published <= {".html"}, published


def test_search_index_holds_text_only(hostile_site: Path) -> None:
    index = json.loads((hostile_site / "search" / "search_index.json").read_text())
    for doc in index["docs"]:
        assert (
            "<script" not in doc["text"]
            and "onerror=" not in doc["text"].replace("&lt;", "<").split("<img")[0]
        ), doc["location"]


DOM_AUDIT = """() => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const value = attr.value.replace(/[\\u0000-\\u0020]/g, "").toLowerCase();
      if (attr.name.startsWith("on")) found.push(el.tagName + " " + attr.name);
      if (/^(javascript|vbscript|data):/.test(value) && attr.name !== "content")
        found.push(el.tagName + " " + attr.name + "=" + attr.value);
    }
  }
  return found;
}"""


POINTS = """() => {
  const plot = document.querySelector(".zoo-catalog__plot");
  if (!plot.uplot || plot.hidden) return [];
  const u = plot.uplot, box = u.over.getBoundingClientRect();
  return plot.zooPoints.map((p) => ({x: box.left + u.valToPos(p.x, "x"),
                                     y: box.top + u.valToPos(p.y, "y")}));
}"""


def test_nothing_runs_in_the_browser(browser: Browser, hostile_site: Path) -> None:
    page = watched_page(browser)
    problems: list[str] = page.problems
    with serve_site(hostile_site) as url:
        uris = ["", "overview/", "accuracy/", "checksums/", "citations/", "devices/"]
        # a leaderboard per hostile metric name: its title, table and page name
        boards = sorted(p.name for p in (hostile_site / "leaderboards").iterdir() if p.is_dir())
        assert len(boards) >= len(NAMES) // 2
        uris += ["leaderboards/", *(f"leaderboards/{board}/" for board in boards)]
        models = sorted(path.name for path in (hostile_site / "models").iterdir())
        assert len(models) >= len(NAMES) // 2
        uris += [f"models/{name}/" for name in models]
        for uri in uris:
            page.goto(url + uri)
            page.wait_for_load_state("load")
            problems += [f"{uri}: {found}" for found in page.evaluate(DOM_AUDIT)]
        compare = "&".join(f"compare={name}" for name in models)
        page.goto(f"{url}catalog/?{compare}&view=compare")
        wait_ready(page)
        assert page.locator(".zoo-catalog__compare-table tr").count() > 5
        problems += [f"compare: {found}" for found in page.evaluate(DOM_AUDIT)]
        page.goto(f"{url}catalog/")
        wait_ready(page)
        # every vertical axis the chart offers (hostile metric names among them), every point
        # hovered so its tooltip is drawn
        axes = page.locator("#zoo-chart-metric option").count()
        assert axes > 2
        hovered = 0
        for index in range(axes):
            page.select_option("#zoo-chart-metric", index=index)
            page.locator(".zoo-catalog__plot").scroll_into_view_if_needed()
            for where in page.evaluate(POINTS):
                page.mouse.move(where["x"], where["y"])
                hovered += page.locator(".zoo-catalog__tip:visible").count()
            problems += [f"chart {index}: {found}" for found in page.evaluate(DOM_AUDIT)]
        assert hovered > 0
        problems += [f"catalog: {found}" for found in page.evaluate(DOM_AUDIT)]
        # Material's search renders its index in the browser: search for the payloads
        page.goto(url)
        page.keyboard.press("/")
        page.keyboard.type("alert")
        page.wait_for_timeout(1500)
        problems += [f"search: {found}" for found in page.evaluate(DOM_AUDIT)]
        page.wait_for_timeout(300)  # an onerror handler would have fired by now
    page.context.close()
    assert problems == []
