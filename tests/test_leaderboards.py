"""Leaderboards: one page per (task, dataset, metric), ranked in the metric's own direction, built
with the real MkDocs from cards in tmp_path, and opened in Chromium at 390 px, light and dark."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from hostile import MARK, PAYLOADS
from playwright.sync_api import Browser
from test_accessibility import violations
from test_hostile_site import DOM_AUDIT, audit

from conftest import ROOT, html_tables, mkdocs_build, site_config, write_card
from generator.cards.catalog import load_catalog
from generator.cards.checks import run_checks
from generator.site.leaderboards import leaderboards
from local_site import serve_site, watched_page

ARTIFACTS = ROOT / "artifacts"


def card(name: str, task: str = "classification", gflops: float | None = None, **extra) -> str:
    data: dict = {"name": name, "task": task, "description": "A model.", "license": "MIT"}
    if gflops is not None:
        data["complexity"] = {"gflops": gflops, "mparams": 1.5}
    data.update(extra)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def err(value: float, **extra) -> dict:
    return {
        "metric": "top-1 err.",
        "value": value,
        "unit": "%",
        "dataset": "ImageNet",
        "better": "lower",
        **extra,
    }


CARDS = {
    # an error rate: lowest first; ties share a rank (e and f are both best)
    "net-a": card(
        "net-a",
        gflops=4.1,
        accuracy=[
            err(24.6),
            {"metric": "top-1", "value": 75.4, "unit": "%", "dataset": "ImageNet"},
        ],
    ),
    "net-b": card("net-b", gflops=0.7, accuracy=[err(30.25)]),
    "net-c": card("net-c", gflops=11.3, accuracy=[err(30.25)]),
    "net-d": card("net-d", accuracy=[err(41.8)]),  # no GFLOPs: in the table, not in the chart
    "net-e": card("net-e", gflops=4.1, accuracy=[err(22.0)]),
    "net-f": card("net-f", gflops=4.1, accuracy=[err(22.0)]),  # on top of net-e
    # higher is better; one model only
    "det-x": """\
name: det-x
task: detection
description: A detector.
license: Apache-2.0
complexity: {gflops: 2}
accuracy:
  - {metric: mAP, value: 39.30, unit: '%', dataset: COCO}
""",
}


def build(tmp: Path, cards: dict[str, str]) -> Path:
    for name, text in cards.items():
        write_card(tmp / "cards", name, text)
    built = mkdocs_build(site_config(tmp, tmp / "cards", validation=False), tmp / "site")
    assert built.returncode == 0, built.stderr
    return tmp / "site"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("leaderboards"), CARDS)


def page(site: Path, slug: str) -> Path:
    return site / "leaderboards" / slug / "index.html"


def ranking(path: Path) -> list[list[str]]:
    return html_tables(path)[0][1:]


def test_error_rates_rank_lowest_first_with_ties_sharing_a_rank(site: Path) -> None:
    rows = ranking(page(site, "classification-imagenet-top-1-err"))
    assert [row[:3] for row in rows] == [
        ["1 (best)", "net-e", "22.0%"],
        ["1 (best)", "net-f", "22.0%"],
        ["3", "net-a", "24.6%"],
        ["4", "net-b", "30.25%"],
        ["4", "net-c", "30.25%"],
        ["6", "net-d", "41.8%"],
    ]
    # GFLOPs, MParams and license beside each, as the card wrote them
    assert rows[0][3:] == ["4.1", "1.5", "MIT"] and rows[5][3:] == ["-", "-", "MIT"]
    text = page(site, "classification-imagenet-top-1-err").read_text()
    assert "lower is better" in text and "<strong>1 (best)</strong>" in text


def test_a_model_page_links_each_figure_to_its_place_on_its_leaderboard(site: Path) -> None:
    model = site / "models" / "net-b" / "index.html"
    [accuracy] = [t for t in html_tables(model) if t[0][-1] == "Leaderboard"]
    assert accuracy[1][-1] == "rank 4 of 6"
    assert 'href="../../leaderboards/classification-imagenet-top-1-err/"' in model.read_text()
    # a card with figures on two leaderboards links both
    two_figures = site / "models" / "net-a" / "index.html"
    [rows] = [t for t in html_tables(two_figures) if t[0][-1] == "Leaderboard"]
    assert [row[-1] for row in rows[1:]] == ["rank 3 of 6", "rank 1 of 1"]


def test_the_accuracy_page_links_each_datasets_leaderboards(site: Path) -> None:
    text = (site / "accuracy" / "index.html").read_text()
    assert re.findall(r"<p>Ranked: (.*?)</p>", text) == [
        '<a href="../leaderboards/detection-coco-map/">mAP, Object Detection</a>.',
        '<a href="../leaderboards/classification-imagenet-top-1/">top-1, Image Classification'
        '</a>, <a href="../leaderboards/classification-imagenet-top-1-err/">top-1 err., Image '
        "Classification</a>.",
    ]


def test_higher_is_better_ranks_highest_first_and_a_lone_model_is_said(site: Path) -> None:
    rows = ranking(page(site, "classification-imagenet-top-1"))
    assert [row[:3] for row in rows] == [["1 (best)", "net-a", "75.4%"]]
    text = page(site, "detection-coco-map").read_text()
    assert "Only one model of the zoo publishes this figure" in text
    assert 'role="img"' not in text  # nothing to chart against
    assert "39.30%" in text  # the figure as written


def test_the_chart_plots_the_metric_against_log_gflops(site: Path) -> None:
    text = page(site, "classification-imagenet-top-1-err").read_text()
    svg = re.search(r'<svg [^>]*role="img".*?</svg>', text, re.S).group()
    assert 'role="img"' in svg and 'viewBox="0 0 500 330"' in svg
    assert "<title" in svg and "<desc" in svg and "GFLOPs (log scale)" in svg
    assert "top-1 err. (%) on ImageNet, lower is better" in svg
    # one marker per model with GFLOPs; the best one ringed; net-d named under the chart
    assert len(re.findall(r"<g>\s*<title>", svg)) == 5
    assert "1. net-e: 22.0%, 4.1 GFLOPs (best)" in svg and "(best)" in svg.split("net-f")[1]
    assert "net-d" not in svg and "Not in the chart, as no GFLOPs are published: net-d" in text
    # net-e and net-f have the same figures: drawn side by side, not on top of each other
    markers = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="10"', svg)
    assert len(markers) == 5 and len(re.findall(r'r="14"', svg)) == 2
    for i, (x1, y1) in enumerate(markers):
        for x2, y2 in markers[i + 1 :]:
            assert (float(x1) - float(x2)) ** 2 + (float(y1) - float(y2)) ** 2 >= 20**2
    assert "set side by side" in text
    # ticks on a log scale: 1-2-5 steps
    ticks = re.findall(r'<text x="[\d.]+" y="293">([^<]+)</text>', svg)
    assert ticks == ["0.5", "1", "2", "5", "10", "20"]


def test_protocol_is_stated_once_per_model_or_said_missing(tmp_path: Path) -> None:
    crop = "single centre crop"
    figures = {
        "same": [err(20, protocol=crop), err(21, protocol=crop)],
        "mixed": [err(20, protocol=crop), err(21, protocol="10 crops"), err(22)],
        "none": [err(20), err(21)],
    }
    cards = {
        f"{kind}-{i}": card(f"{kind}-{i}", gflops=1 + i, accuracy=[{**figure, "dataset": kind}])
        for kind, figures_ in figures.items()
        for i, figure in enumerate(figures_)
    }
    site = build(tmp_path, cards)
    same = page(site, "classification-same-top-1-err").read_text()
    assert f"<strong>Evaluation protocol</strong>: {crop}" in same
    assert len(html_tables(page(site, "classification-same-top-1-err"))[0][0]) == 6
    mixed = page(site, "classification-mixed-top-1-err")
    assert "not the same for every model" in mixed.read_text()
    assert [row[-1] for row in ranking(mixed)] == [crop, "10 crops", "not stated"]
    none = page(site, "classification-none-top-1-err").read_text()
    assert "<strong>Evaluation protocol</strong>: not stated." in none


def test_index_lists_every_leaderboard_and_home_and_nav_link_it(site: Path) -> None:
    index = site / "leaderboards" / "index.html"
    tables = html_tables(index)
    rows = [row for table in tables for row in table[1:]]
    assert ["mAP (%) on COCO", "1", "det-x: 39.30%"] in rows
    assert ["top-1 err. (%) on ImageNet, lower is better", "6", "net-e, net-f: 22.0%"] in rows
    assert len(rows) == 3
    assert 'href="classification-imagenet-top-1-err/"' in index.read_text()
    assert 'href="leaderboards/"' in (site / "index.html").read_text()
    nav = (site / "overview" / "index.html").read_text()
    assert re.search(r'href="\.\./leaderboards/"[^>]*>\s*Leaderboards', nav)


def test_a_zoo_without_figures_has_an_index_that_says_so(tmp_path: Path) -> None:
    site = build(tmp_path, {"plain": card("plain")})
    assert (
        "No card publishes an accuracy figure yet"
        in (site / "leaderboards" / "index.html").read_text()
    )


SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*(--[0-9a-f]{10})?$")


def test_page_names_are_safe_unique_and_stable(tmp_path: Path) -> None:
    odd = ["top 1", "top-1", "Top_1", "../../x", "index", "Точность", "", " ", "a" * 300]
    cards = {
        f"m{i}": card(
            f"m{i}", accuracy=[{"metric": name or "-", "value": 1.0, "dataset": "d/../../e"}]
        )
        for i, name in enumerate(odd)
    }
    cards["u"] = card(
        "u", accuracy=[{"metric": "top-1", "value": 1, "dataset": "d/../../e", "unit": "%"}]
    )
    for name, text in cards.items():
        write_card(tmp_path / "cards", name, text)
    boards = leaderboards(load_catalog(tmp_path / "cards"))
    slugs = [board.slug for board in boards]
    assert len(set(slugs)) == len(slugs) == len(cards)
    assert all(SLUG.match(slug) and len(slug) <= 92 for slug in slugs), slugs
    by_metric = {board.metric + (board.unit or ""): board.slug for board in boards}
    # names that meet are told apart by a hash of the whole key; others keep a plain name
    assert by_metric["top 1"].startswith("classification-d-e-top-1--")
    assert by_metric["top-1%"].startswith("classification-d-e-top-1--")
    assert by_metric["../../x"] == "classification-d-e-x"
    assert re.match(r"^classification-d-e--[0-9a-f]{10}$", by_metric["Точность"])
    # the same cards give the same names, whatever else the zoo holds
    (tmp_path / "cards" / "m0").rename(tmp_path / "m0")
    again = {
        b.metric + (b.unit or ""): b.slug for b in leaderboards(load_catalog(tmp_path / "cards"))
    }
    assert all(again[key] == slug for key, slug in by_metric.items() if key in again)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Each payload as metric, dataset and unit of two models, so that a chart is drawn; the
    payloads `zoo check` refuses (links) stay out, as a site with them is not built."""
    tmp = tmp_path_factory.mktemp("hostile-leaderboards")
    for kind, payload in PAYLOADS.items():
        text = payload.replace("{n}", kind)
        for index, gflops in enumerate((1, 3)):
            figure = {"metric": text, "value": 10 + index, "unit": text, "dataset": text}
            name = f"hostile-{kind}-{index}"
            write_card(tmp / "cards", name, card(name, gflops=gflops, accuracy=[figure]))
    for finding in run_checks(load_catalog(tmp / "cards")):
        if finding.severity == "error":
            shutil.rmtree(Path(finding.path).parent, ignore_errors=True)
    kept = {path.name.rsplit("-", 1)[0] for path in (tmp / "cards").iterdir()}
    assert {"hostile-script", "hostile-handler", "hostile-cell-escape"} <= kept
    return build(tmp, {})


def test_hostile_names_stay_text(hostile_site: Path) -> None:
    pages = sorted((hostile_site / "leaderboards").rglob("*.html"))
    assert len(pages) >= 6
    for path in pages:
        assert SLUG.match(path.parent.name) or path.parent.name == "leaderboards", path
        assert audit(path).problems == [], path
    for path in pages[:-1]:
        text = "".join(audit(path).text)
        assert text.count(MARK) >= 8, path  # shown, in the title, table, chart and caption
        assert 'role="img"' in path.read_text()


def test_leaderboards_fit_a_phone_in_both_palettes_and_pass_axe(
    browser: Browser, site: Path, hostile_site: Path
) -> None:
    with serve_site(site) as url, serve_site(hostile_site) as hostile_url:
        for scheme in ("light", "dark"):
            tab = watched_page(
                browser, viewport={"width": 390, "height": 844}, color_scheme=scheme, has_touch=True
            )
            uris = [url + "leaderboards/", url + "leaderboards/classification-imagenet-top-1-err/"]
            uris += [hostile_url + "leaderboards/"]
            uris += [
                f"{hostile_url}leaderboards/{path.name}/"
                for path in sorted((hostile_site / "leaderboards").iterdir())
                if path.is_dir()
            ]
            for uri in uris:
                tab.goto(uri)
                tab.wait_for_load_state("load")
                widths = tab.evaluate("[document.documentElement.scrollWidth, innerWidth]")
                assert widths[0] <= widths[1], (uri, widths)
                assert tab.evaluate(DOM_AUDIT) == [], uri
                if uri.startswith(hostile_url):
                    continue
                assert violations(tab) == [], (uri, scheme)  # axe: the chart and its page
                svg = tab.locator("svg[role=img]")
                if svg.count():
                    box = svg.bounding_box()
                    assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
                    assert box["width"] > 300  # scaled to the column, not shrunk away
                    color = svg.evaluate("e => getComputedStyle(e).color")
                    body = tab.evaluate("getComputedStyle(document.body).color")
                    assert color == body  # drawn in the palette's text colour
                    ARTIFACTS.mkdir(exist_ok=True)
                    tab.screenshot(
                        path=ARTIFACTS / f"mobile-leaderboard-{scheme}.png", full_page=True
                    )
            tab.context.close()
            assert tab.problems == []


def test_shipped_leaderboards(built_site: Path) -> None:
    reid = ranking(page(built_site, "reidentification-market-1501-rank-1"))
    values = [float(row[2].rstrip("%")) for row in reid]
    assert values == sorted(values, reverse=True) and len(values) == 8
    top1 = ranking(page(built_site, "classification-ilsvrc-2012-val-top-1-err"))
    values = [float(row[2].rstrip("%")) for row in top1]
    assert values == sorted(values) and len(values) >= 19


def test_a_wide_gflops_range_labels_every_other_decade(tmp_path: Path) -> None:
    for name, gflops, value in (("tiny", 0.001, -0.5), ("huge", 50000, -0.52)):
        figure = {"metric": "NLL", "value": value, "better": "lower"}
        write_card(tmp_path / "cards", name, card(name, gflops=gflops, accuracy=[figure]))
    (board,) = leaderboards(load_catalog(tmp_path / "cards"))
    assert board.slug == "classification-no-dataset-nll"
    assert [entry.source.name for entry in board.entries] == ["huge", "tiny"]
    labels = [tick.label for tick in board.chart.x_ticks]
    assert labels == ["0.0001", "", "0.01", "", "1", "", "100", "", "10000", ""]
    assert board.chart.y_ticks[0].label == "-0.525"


def test_a_crowded_leaderboard_charts_its_best_hundred_and_ranks_all(tmp_path: Path) -> None:
    for index in range(130):
        figure = {"metric": "top-1", "value": 50 + index / 10, "unit": "%", "dataset": "ImageNet"}
        name = f"net-{index:03d}"
        write_card(tmp_path / "cards", name, card(name, gflops=1 + index, accuracy=[figure]))
    (board,) = leaderboards(load_catalog(tmp_path / "cards"))
    assert len(board.entries) == 130 and board.chart.plottable == 130
    # the best first: net-129 scores highest, net-030 is the 100th
    plotted = [point.entry.source.name for point in board.chart.points]
    assert len(plotted) == 100 and plotted[0] == "net-129" and plotted[-1] == "net-030"
    site = tmp_path / "site"
    built = mkdocs_build(site_config(tmp_path, tmp_path / "cards", validation=False), site)
    assert built.returncode == 0, built.stderr
    text = page(site, board.slug).read_text()
    assert "The chart shows the best 100 of the 130 models with published GFLOPs" in text
    assert len(ranking(page(site, board.slug))) == 130
