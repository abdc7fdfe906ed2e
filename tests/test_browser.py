"""The catalog page and the sortable tables in real Chromium, against built sites served locally.

A handful of hand-written cards (one of them hostile) make a small site whose every figure the
tests know; the shipped catalog is opened too, and screenshots of it go to artifacts/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from conftest import ROOT, mkdocs_build, site_config, write_card
from generator.validation.results import Speed, ValidationResult, write_report
from local_site import free_port, serve_site, wait_ready, watched_page

ARTIFACTS = ROOT / "artifacts"

HOSTILE = "Hi <script>alert(1)</script> <img src=x onerror=alert(2)>"
CARDS = {
    "person-detector-small": """\
name: person-detector-small
task: detection
tags: [person]
description: Finds pedestrians in street scenes, fast enough for a CPU.
framework: pytorch
license: Apache-2.0
complexity: {gflops: 2.5, mparams: 1.2}
accuracy:
  - {metric: mAP, value: 80.5, unit: '%', dataset: COCO}
inputs:
  - {name: image, shape: [1, 3, 320, 544], layout: NCHW, type: f32, color_order: BGR}
outputs:
  - {name: boxes, shape: [1, 1, 200, 7], type: f32}
ir: {FP32: FP32/person-detector-small.xml, FP16: FP16/person-detector-small.xml}
""",
    "person-detector-large": """\
name: person-detector-large
task: detection
tags: [person, coco]
description: The accurate one, for a server.
framework: onnx
license: GPL-3.0-only
complexity: {gflops: 12, mparams: 25}
accuracy:
  - {metric: mAP, value: 88, unit: '%', dataset: COCO}
inputs:
  - {name: image, shape: [1, 3, 800, 1344], layout: NCHW, type: f32, color_order: BGR}
ir: {FP32: FP32/person-detector-large.xml}
""",
    "face-detector-tiny": """\
name: face-detector-tiny
task: detection
tags: [face]
description: Faces in selfies.
framework: tflite
license: MIT
complexity: {gflops: 0.5, mparams: 0.3}
accuracy:
  - {metric: AP, value: 70.1, unit: '%', dataset: WIDER}
inputs:
  - {name: input, shape: [1, 128, 128, 3], layout: NHWC, type: f32, color_order: RGB}
ir: {FP16: FP16/face-detector-tiny.xml}
""",
    "vehicle-classifier": """\
name: vehicle-classifier
task: classification
tags: [vehicle]
description: Tells cars from trucks and buses.
framework: tf
license: Apache-2.0
complexity: {gflops: 10, mparams: 5}
accuracy:
  - {metric: top-1, value: 76.2, unit: '%', dataset: ImageNet}
""",
    "text-reader": """\
name: text-reader
task: text_recognition
description: Reads a line of printed text.
framework: paddle
license: Apache-2.0
complexity: {gflops: 0.8, mparams: 0.9}
accuracy:
  - {metric: CER, value: 3.1, unit: '%', dataset: ICDAR, better: lower}
""",
    "evil-model": f"""\
name: evil-model
task: classification
description: '{HOSTILE}'
accuracy:
  - {{metric: '<img src=x onerror=alert(3)>', value: 50}}
inputs:
  - {{name: '<b>in</b>', shape: [1]}}
homepage: 'https://example.com/?q="><script>alert(4)</script>'
""",
}
ALL = sorted(CARDS)
DETECTORS = ["face-detector-tiny", "person-detector-large", "person-detector-small"]


def result(name: str, precision: str, device: str, status: str) -> ValidationResult:
    checked = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    return ValidationResult(
        name=name, precision=precision, device=device, status=status, checked_at=checked
    )


# measured speed: the catalog's Latency column shows the fastest run's median latency
SPEED = Speed(hint="THROUGHPUT", requests=2, seconds=10.0, inferences=1002,
              latency_median_ms=19.88, latency_p90_ms=21.5, throughput_fps=100.2)  # fmt: skip
RESULTS = [
    result("person-detector-small", "FP32", "CPU", "passed").model_copy(update={"speed": SPEED}),
    result("person-detector-large", "FP32", "CPU", "passed"),
    result("face-detector-tiny", "FP16", "CPU", "failed"),
    result("face-detector-tiny", "FP16", "GPU", "passed"),
]


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("catalog")
    cards = tmp / "cards"
    for name, text in CARDS.items():
        write_card(cards, name, text)
    report = tmp / "results" / "report.json"
    write_report(report, RESULTS)
    config = site_config(tmp, cards, validation=False, results=[str(report)])
    # Material's instant navigation only takes links listed in sitemap.xml, which needs site_url
    port = free_port()
    options = yaml.safe_load(config.read_text())
    options["site_url"] = f"http://127.0.0.1:{port}/"
    config.write_text(yaml.safe_dump(options, sort_keys=False))
    built = mkdocs_build(config, tmp / "site")
    assert built.returncode == 0, built.stderr
    with serve_site(tmp / "site", port) as url:
        yield url


@pytest.fixture(scope="module")
def shipped_site(built_site: Path) -> Iterator[str]:
    with serve_site(built_site) as url:
        yield url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """Any console error, page error, dialog or off-site request fails the test."""
    page = watched_page(browser)
    yield page
    page.context.close()
    assert page.problems == []


def open_catalog(page: Page, site: str, query: str = "") -> None:
    page.goto(f"{site}catalog/{query}")
    wait_ready(page)


def listed(page: Page) -> list[str]:
    return page.locator(".zoo-catalog__table tbody .zoo-catalog__name a").all_inner_texts()


def facet(page: Page, name: str, value: str):
    return page.locator(f'[data-facet="{name}"] input[value="{value}"]')


def facet_count(page: Page, name: str, value: str) -> str:
    return facet_label(page, name, value).locator(".zoo-facet__count").inner_text()


def facet_label(page: Page, name: str, value: str):
    return page.locator(f'[data-facet="{name}"] label', has=page.locator(f'input[value="{value}"]'))


def row_cells(page: Page, name: str) -> list[str]:
    row = page.locator(".zoo-catalog__table tbody tr", has=page.get_by_role("link", name=name))
    return row.locator("td").all_inner_texts()


def test_catalog_lists_every_model_with_its_figures(page: Page, small_site: str) -> None:
    open_catalog(page, small_site)
    assert sorted(listed(page)) == ALL
    expect(page.locator("#zoo-count")).to_have_text("All 6 models.")
    assert page.locator("#zoo-count").get_attribute("aria-live") == "polite"
    cells = row_cells(page, "person-detector-small")
    assert cells[1].splitlines() == [
        "person-detector-small",
        "Finds pedestrians in street scenes, fast enough for a CPU.",
    ]
    assert cells[2:] == ["Object Detection", "person", "PyTorch", "Apache-2.0", "2.5", "1.2",
                         "mAP 80.5% COCO", "19.88 CPU FP32", "FP32, FP16",
                         "✔ CPU FP32"]  # fmt: skip
    assert row_cells(page, "person-detector-large")[9] == "not measured"
    assert row_cells(page, "face-detector-tiny")[-1] == "✘ CPU FP16 ✔ GPU FP16"
    assert row_cells(page, "evil-model")[4:9] == [
        "-",
        "-",
        "-",
        "-",
        "<img src=x onerror=alert(3)> 50",
    ]
    link = page.get_by_role("link", name="vehicle-classifier", exact=True)
    assert link.get_attribute("href") == f"{small_site}models/vehicle-classifier/"
    checkbox = page.get_by_label("Select vehicle-classifier for comparison")
    assert checkbox.is_visible()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pedestrians", ["person-detector-small"]),  # description
        ("coco", ["person-detector-large"]),  # a tag only
        ("person detector", ["person-detector-large", "person-detector-small"]),  # every word
        ("FACE", ["face-detector-tiny"]),  # any case
        ("nothing-like-this", []),
    ],
)
def test_search_matches_names_descriptions_and_tags(
    page: Page, small_site: str, text: str, expected: list[str]
) -> None:
    open_catalog(page, small_site)
    page.get_by_label("Search names, descriptions and tags").fill(text)
    assert sorted(listed(page)) == expected
    if not expected:
        empty = page.locator(".zoo-catalog__empty .zoo-catalog__empty-title")
        expect(empty).to_have_text("No model matches these filters.")
        expect(page.locator("#zoo-count")).to_have_text("0 models of 6 match.")


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("task", "detection", DETECTORS),
        ("tag", "face", ["face-detector-tiny"]),
        ("framework", "tflite", ["face-detector-tiny"]),
        ("license", "GPL-3.0-only", ["person-detector-large"]),
        ("license", "", ["evil-model"]),  # not given
        ("license_class", "copyleft", ["person-detector-large"]),  # GPL-3.0-only
        ("license_class", "unknown", ["evil-model"]),
        ("precision", "FP16", ["face-detector-tiny", "person-detector-small"]),
        ("device", "CPU", ["person-detector-large", "person-detector-small"]),  # passed only
        ("device", "GPU", ["face-detector-tiny"]),
    ],
)  # fmt: skip
def test_each_facet_filters(
    page: Page, small_site: str, name: str, value: str, expected: list[str]
) -> None:
    open_catalog(page, small_site)
    facet(page, name, value).check()
    assert sorted(listed(page)) == expected
    facet(page, name, value).uncheck()
    assert sorted(listed(page)) == ALL


def test_facet_counts_follow_the_other_filters(page: Page, small_site: str) -> None:
    open_catalog(page, small_site)
    assert facet_count(page, "task", "detection") == "3"
    assert facet_count(page, "framework", "") == "1"
    expect(page.locator('[data-facet="framework"]').get_by_text("TensorFlow Lite")).to_be_visible()
    facet(page, "task", "detection").check()
    # a facet's own values keep counting as if it were unset: other tasks stay choosable
    assert facet_count(page, "task", "classification") == "2"
    assert facet_count(page, "tag", "person") == "2"
    assert facet_count(page, "tag", "vehicle") == "0"
    expect(facet_label(page, "tag", "vehicle")).to_have_class(re.compile("zoo-facet__value--empty"))
    facet(page, "tag", "person").check()
    assert facet_count(page, "task", "detection") == "2"
    assert facet_count(page, "task", "classification") == "0"
    assert facet_count(page, "tag", "face") == "1"  # with task=detection, without tag=person
    assert facet_count(page, "device", "CPU") == "2"
    page.get_by_label("Search names, descriptions and tags").fill("pedestrians")
    assert facet_count(page, "tag", "person") == "1"
    assert facet_count(page, "task", "detection") == "1"
    # values of one facet combine with OR, facets with AND
    facet(page, "tag", "face").check()
    page.get_by_label("Search names, descriptions and tags").fill("")
    assert sorted(listed(page)) == ALL[1:4]


def test_range_filters(page: Page, small_site: str) -> None:
    open_catalog(page, small_site)
    gflops = page.get_by_role("group", name="GFLOPs")
    gflops.get_by_label("to").fill("3")
    assert sorted(listed(page)) == ["face-detector-tiny", "person-detector-small", "text-reader"]
    page.get_by_role("group", name="MParams").get_by_label("from").fill("1")
    assert listed(page) == ["person-detector-small"]
    gflops.get_by_label("to").fill("")
    page.get_by_role("group", name="MParams").get_by_label("from").fill("")
    page.get_by_role("group", name="Accuracy (main metric)").get_by_label("from").fill("75")
    assert sorted(listed(page)) == ["person-detector-large", "person-detector-small",
                                    "vehicle-classifier"]  # fmt: skip
    # an error rate is not accuracy: text-reader's CER of 3.1% never falls in an accuracy range
    page.get_by_role("group", name="Accuracy (main metric)").get_by_label("from").fill("0")
    page.get_by_role("group", name="Accuracy (main metric)").get_by_label("to").fill("10")
    assert listed(page) == []
    assert gflops.get_by_label("from").get_attribute("placeholder") == "0.5"
    assert gflops.get_by_label("to").get_attribute("placeholder") == "12"


def test_sort_by_any_column(page: Page, small_site: str) -> None:
    open_catalog(page, small_site)
    header = page.locator('th[data-column="gflops"]')
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    # numbers sort as numbers; a model without the figure is last either way
    ascending = ["face-detector-tiny", "text-reader", "person-detector-small",
                 "vehicle-classifier", "person-detector-large", "evil-model"]  # fmt: skip
    assert listed(page) == ascending
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert listed(page) == [*reversed(ascending[:-1]), "evil-model"]
    page.locator('th[data-column="name"] button').press("Enter")  # keyboard works too
    assert header.get_attribute("aria-sort") == "none"
    assert page.locator('th[data-column="name"]').get_attribute("aria-sort") == "ascending"
    assert listed(page) == ALL
    for column in ("task", "tags", "framework", "license", "mparams", "accuracy", "precisions",
                   "validation"):  # fmt: skip
        page.locator(f'th[data-column="{column}"] button').click()
        assert sorted(listed(page)) == ALL
        if column == "accuracy":  # descending next; error rates sort with the models lacking one
            page.locator(f'th[data-column="{column}"] button').click()
            assert listed(page)[:4] == ["person-detector-large", "person-detector-small",
                                        "vehicle-classifier", "face-detector-tiny"]  # fmt: skip
            assert listed(page)[-1] == "text-reader"
    assert listed(page)[:3] == ["face-detector-tiny", "person-detector-large",
                                "person-detector-small"]  # fmt: skip


def test_filters_survive_reload_back_button_and_sharing(page: Page, small_site: str) -> None:
    open_catalog(page, small_site)
    search = page.get_by_label("Search names, descriptions and tags")
    facet(page, "task", "detection").check()
    expect(page).to_have_url(re.compile(r"\?task=detection$"))
    search.press_sequentially("pers")
    expect(page).to_have_url(re.compile(r"\?search=pers&task=detection$"))
    page.locator('th[data-column="gflops"] button').click()
    page.get_by_role("group", name="GFLOPs").get_by_label("from").fill("1")
    expect(page).to_have_url(re.compile(r"\?search=pers&task=detection&gflops=1\.\.&sort=gflops$"))
    assert listed(page) == ["person-detector-small", "person-detector-large"]

    page.reload()
    wait_ready(page)
    assert listed(page) == ["person-detector-small", "person-detector-large"]
    assert search.input_value() == "pers"
    assert facet(page, "task", "detection").is_checked()
    assert page.locator('th[data-column="gflops"]').get_attribute("aria-sort") == "ascending"

    # one history entry per control: the range, the sort, the search (all its letters), the task
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?search=pers&task=detection&sort=gflops$"))
    assert page.get_by_role("group", name="GFLOPs").get_by_label("from").input_value() == ""
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?search=pers&task=detection$"))
    assert listed(page) == ["person-detector-large", "person-detector-small"]
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?task=detection$"))
    assert search.input_value() == ""
    assert len(listed(page)) == 3
    page.go_back()
    expect(page).to_have_url(re.compile(r"/catalog/$"))
    assert not facet(page, "task", "detection").is_checked()
    assert sorted(listed(page)) == ALL
    page.go_forward()
    assert len(listed(page)) == 3

    shared = page.context.new_page()
    open_catalog(shared, small_site, "?tag=face&tag=vehicle&sort=-gflops")
    assert listed(shared) == ["vehicle-classifier", "face-detector-tiny"]
    assert (
        facet(shared, "tag", "face").is_checked() and facet(shared, "tag", "vehicle").is_checked()
    )


def test_instant_navigation_mounts_the_catalog_and_keeps_its_state(
    page: Page, small_site: str
) -> None:
    with page.expect_response("**/sitemap.xml"):  # instant navigation starts with it
        page.goto(small_site)
    page.evaluate("window.loadedOnce = true")
    page.locator(".md-tabs").get_by_role("link", name="Catalog").click()
    wait_ready(page)
    assert page.evaluate("window.loadedOnce")  # an instant navigation, not a page load
    facet(page, "tag", "person").check()
    page.get_by_role("link", name="person-detector-large", exact=True).click()
    expect(page).to_have_url(f"{small_site}models/person-detector-large/")
    expect(page.locator("article h1")).to_have_id("person-detector-large")
    page.go_back()
    wait_ready(page)
    expect(page).to_have_url(f"{small_site}catalog/?tag=person")
    assert page.evaluate("window.loadedOnce")
    assert sorted(listed(page)) == ["person-detector-large", "person-detector-small"]
    assert facet(page, "tag", "person").is_checked()


def test_compare_view(page: Page, small_site: str) -> None:
    open_catalog(page, small_site)
    compare = page.get_by_role("button", name="Compare selected (0)")
    expect(compare).to_be_disabled()
    page.get_by_label("Select person-detector-small for comparison").check()
    page.get_by_label("Select face-detector-tiny for comparison").check()
    page.get_by_role("button", name="Compare selected (2)").click()
    expect(page).to_have_url(
        re.compile(r"\?compare=person-detector-small&compare=face-detector-tiny&view=compare$")
    )
    expect(page.locator(".zoo-catalog__list")).to_be_hidden()
    expect(page.locator(".zoo-catalog__chart")).to_be_hidden()

    def spec() -> dict[str, list[str]]:
        rows = page.locator(".zoo-catalog__compare-table tr").all()
        cells = [row.locator("th, td").all_inner_texts() for row in rows]
        return {row[0]: row[1:] for row in cells}

    table = spec()
    assert [name.split()[0] for name in table["Model"]] == [
        "person-detector-small",
        "face-detector-tiny",
    ]
    assert table["Task"] == ["Object Detection", "Object Detection"]
    assert table["GFLOPs"] == ["2.5", "0.5 best"]
    assert table["MParams"] == ["1.2", "0.3 best"]
    assert table["mAP · COCO"] == ["80.5%", "-"]
    assert table["AP · WIDER"] == ["-", "70.1%"]
    assert table["License"] == ["Apache-2.0", "MIT"]
    assert table["License class"] == ["permissive", "permissive"]
    assert table["Latency (ms), measured"] == ["19.88 ms, 100.2 FPS (CPU FP32)", "not measured"]
    assert table["Inputs"] == ["image: [1, 3, 320, 544] NCHW f32 BGR",
                               "input: [1, 128, 128, 3] NHWC f32 RGB"]  # fmt: skip
    assert table["Outputs"] == ["boxes: [1, 1, 200, 7] f32", "-"]
    assert table["Precisions"] == ["FP32, FP16", "FP16"]
    assert table["Validation"] == ["✔ CPU FP32", "✘ CPU FP16 ✔ GPU FP16"]

    page.reload()
    wait_ready(page)
    expect(page.locator(".zoo-catalog__compare")).to_be_visible()
    assert len(spec()["Model"]) == 2
    page.get_by_role("button", name="Remove face-detector-tiny from the comparison").click()
    assert [name.split()[0] for name in spec()["Model"]] == ["person-detector-small"]
    page.get_by_role("button", name="Back to the list").click()
    expect(page).to_have_url(re.compile(r"\?compare=person-detector-small$"))
    expect(page.locator(".zoo-catalog__list")).to_be_visible()
    assert page.get_by_label("Select person-detector-small for comparison").is_checked()
    page.go_back()
    expect(page.locator(".zoo-catalog__compare")).to_be_visible()
    page.get_by_role("button", name="Clear selection").click()  # nothing left to compare
    expect(page.locator(".zoo-catalog__list")).to_be_visible()
    expect(page.locator(".zoo-catalog__compare")).to_be_hidden()
    expect(page).to_have_url(f"{small_site}catalog/")
    expect(page.locator("#zoo-count")).to_be_focused()  # the compare button is disabled now


def chart_points(page: Page) -> list[str]:
    # the chart is drawn after the frame that shows the table (rAF, then a task): wait for the
    # one a change has just scheduled, which runs before this later rAF's task
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)))")
    page.wait_for_function(
        "() => { const plot = document.querySelector('.zoo-catalog__plot');"
        " return plot.uplot && plot.uplot.data[0].length === Number(plot.dataset.points); }"
    )
    return page.evaluate(
        "() => document.querySelector('.zoo-catalog__plot').zooPoints.map((p) => p.name)"
    )


def chart_choices(page: Page) -> list[str]:
    return page.locator("#zoo-chart-metric option").all_inner_texts()


def test_chart_follows_the_filter_and_opens_model_pages(page: Page, small_site: str) -> None:
    open_catalog(page, small_site)
    # one metric on one dataset at a time: the fullest first; every choice has points
    assert chart_choices(page) == [
        "mAP on COCO (%): 2 models", "AP on WIDER (%): 1 model", "CER on ICDAR (%): 1 model",
        "top-1 on ImageNet (%): 1 model", "MParams: 5 models",
    ]  # fmt: skip
    assert chart_points(page) == ["person-detector-small", "person-detector-large"]
    caption = page.locator("#zoo-chart-caption")
    expect(caption).to_contain_text("mAP on COCO (%) against GFLOPs, 2 models (4 without both")
    expect(caption).to_contain_text("higher is better")
    axes = "document.querySelector('.zoo-catalog__plot').uplot.axes.map((a) => a.label)"
    assert page.evaluate(axes) == ["GFLOPs (log scale)", "mAP on COCO (%), higher is better"]
    page.get_by_label("Vertical axis").select_option(label="CER on ICDAR (%): 1 model")
    assert chart_points(page) == ["text-reader"]
    expect(caption).to_contain_text("lower is better")
    facet(page, "task", "detection").check()
    assert chart_choices(page) == [
        "mAP on COCO (%): 2 models", "AP on WIDER (%): 1 model", "MParams: 3 models",
    ]  # fmt: skip
    assert chart_points(page) == ["person-detector-small", "person-detector-large"]
    page.get_by_label("Vertical axis").select_option(label="AP on WIDER (%): 1 model")
    assert chart_points(page) == ["face-detector-tiny"]
    expect(page).to_have_url(re.compile(r"y=metric%3AAP%7CWIDER%7C%25"))
    facet(page, "task", "text_recognition").check()
    facet(page, "task", "detection").uncheck()
    assert chart_choices(page) == ["CER on ICDAR (%): 1 model", "MParams: 1 model"]
    assert chart_points(page) == ["text-reader"]
    facet(page, "task", "text_recognition").uncheck()
    page.get_by_label("Search names, descriptions and tags").fill("evil")
    assert chart_points(page) == []
    expect(page.locator(".zoo-catalog__plot")).to_be_hidden()  # no empty axes
    expect(caption).to_contain_text("nothing to chart")
    page.get_by_label("Search names, descriptions and tags").fill("")
    page.get_by_label("Vertical axis").select_option(label="MParams: 5 models")
    assert len(chart_points(page)) == 5  # evil-model has no GFLOPs
    assert page.locator(".zoo-catalog__plot canvas").count() >= 1
    assert page.evaluate(axes) == ["GFLOPs (log scale)", "MParams (log scale)"]
    assert page.evaluate("document.querySelector('.zoo-catalog__plot').uplot.scales.y.distr") == 3

    page.locator(".zoo-catalog__plot").scroll_into_view_if_needed()
    where = page.evaluate(
        """(name) => {
            const plot = document.querySelector('.zoo-catalog__plot');
            const u = plot.uplot;
            const point = plot.zooPoints.find((p) => p.name === name);
            const box = u.over.getBoundingClientRect();
            return {x: box.left + u.valToPos(point.x, 'x'), y: box.top + u.valToPos(point.y, 'y')};
        }""",
        "vehicle-classifier",
    )
    page.mouse.move(where["x"], where["y"])
    tip = page.locator(".zoo-catalog__tip")
    expect(tip).to_have_text("vehicle-classifier: 10 GFLOPs, 5 MParams")
    page.mouse.click(where["x"], where["y"])
    expect(page).to_have_url(f"{small_site}models/vehicle-classifier/")
    expect(page.locator("article h1")).to_have_id("vehicle-classifier")


def test_hostile_card_text_stays_text(page: Page, small_site: str) -> None:
    open_catalog(page, small_site, "?search=evil")
    row = page.locator(".zoo-catalog__table tbody tr")
    expect(row.locator(".zoo-catalog__description")).to_have_text(HOSTILE)
    expect(row).to_contain_text("<img src=x onerror=alert(3)> 50")
    assert page.locator("#zoo-catalog img, #zoo-catalog script, #zoo-catalog b").count() == 0
    page.get_by_label("Select evil-model for comparison").check()
    page.get_by_label("Search names, descriptions and tags").fill("vehicle")
    page.get_by_label("Select vehicle-classifier for comparison").check()
    page.get_by_role("button", name="Compare selected (2)").click()
    table = page.locator(".zoo-catalog__compare-table")
    expect(table).to_contain_text(HOSTILE)
    expect(table).to_contain_text("<b>in</b>: [1] f32")
    homepage = table.locator("tr", has_text="Homepage")
    expect(homepage).to_contain_text('"><script>alert(4)</script>')
    assert table.locator("a[href^='javascript']").count() == 0
    assert page.locator("#zoo-catalog img, #zoo-catalog script, #zoo-catalog b").count() == 0
    page.wait_for_timeout(300)  # an onerror handler would have fired by now
    assert page.problems == []


def test_overview_tables_sort_numerically(page: Page, small_site: str) -> None:
    page.goto(f"{small_site}overview/")
    table = page.locator("article table", has=page.get_by_role("link", name="face-detector-tiny"))

    def names() -> list[str]:
        return table.locator("tbody td:first-child").all_inner_texts()

    assert names() == ["face-detector-tiny", "person-detector-large", "person-detector-small"]
    header = table.locator("th", has_text="GFLOPs")
    header.click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert names() == ["face-detector-tiny", "person-detector-small", "person-detector-large"]
    header.click()
    assert names() == ["person-detector-large", "person-detector-small", "face-detector-tiny"]
    # after an instant navigation the init script runs again
    page.locator(".md-tabs").get_by_role("link", name="Accuracy and speed").click()
    page.locator(".md-tabs").get_by_role("link", name="Overview").click()
    table.locator("th", has_text="MParams").click()
    assert names() == ["face-detector-tiny", "person-detector-small", "person-detector-large"]


def test_shipped_catalog_with_screenshots(page: Page, shipped_site: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    open_catalog(page, shipped_site)
    total = page.evaluate("fetch('../models.json').then((r) => r.json()).then((d) => d.count)")
    expect(page.locator("#zoo-count")).to_have_text(f"All {total} models; showing the first 50.")
    assert len(listed(page)) == 50
    more = page.get_by_role("button", name=re.compile(r"^Show \d+ more"))
    while len(listed(page)) < total:
        shown = len(listed(page))
        more.click()
        assert len(listed(page)) == min(shown + 50, total)
    expect(more).to_be_hidden()

    facet(page, "task", "detection").check()
    facet(page, "tag", "person").check()
    page.get_by_role("group", name="GFLOPs").get_by_label("to").fill("3")
    names = listed(page)
    assert names and "person-detection-retail-0013" in names
    for name in names:
        cells = row_cells(page, name)
        assert cells[2] == "Object Detection" and "person" in cells[3]
        assert float(cells[6]) <= 3
    page.locator('th[data-column="gflops"] button').click()
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_timeout(500)  # Material's header fades its title back after a scroll
    page.screenshot(path=ARTIFACTS / "catalog.png")

    open_catalog(page, shipped_site)
    page.locator(".zoo-catalog__chart").screenshot(path=ARTIFACTS / "catalog-chart.png")

    open_catalog(page, shipped_site, "?task=classification&sort=-accuracy")
    for name in listed(page)[:3]:
        page.get_by_label(f"Select {name} for comparison").check()
    page.get_by_role("button", name="Compare selected (3)").click()
    expect(page.locator(".zoo-catalog__compare-table")).to_contain_text("GFLOPs")
    page.screenshot(path=ARTIFACTS / "catalog-compare.png", full_page=True)

    # Material's palette follows the system's on a first visit
    dark = watched_page(page.context.browser, color_scheme="dark")
    open_catalog(dark, shipped_site, "?search=face&sort=-gflops")
    assert dark.evaluate("document.body.dataset.mdColorScheme") == "slate"
    dark.screenshot(path=ARTIFACTS / "catalog-dark.png")
    dark.context.close()
    assert dark.problems == []


def test_models_json_is_fetched_early_and_once(page: Page, small_site: str) -> None:
    open_catalog(page, small_site)
    timing = page.evaluate(
        """() => {
            const nav = performance.getEntriesByType("navigation")[0];
            const data = performance.getEntriesByType("resource")
                .filter((e) => e.name.endsWith("/models.json"));
            return {dcl: nav.domContentLoadedEventStart, starts: data.map((e) => e.startTime)};
        }"""
    )
    # requested by the loader script while the page is still being parsed, not after load
    assert len(timing["starts"]) == 1
    assert timing["starts"][0] < timing["dcl"]
