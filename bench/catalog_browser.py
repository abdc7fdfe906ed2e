"""Catalog page benchmark: the browser side of the catalog at 1,000 and 10,000 models.

Builds one small site with the zoo plugin, then for each size writes into it the models.json of
that many synthetic cards (loaded and exported by the real pipeline), serves it on 127.0.0.1
and opens the catalog page in Chromium. Measures the page load (navigation start to the first
table, and to the chart), the bytes transferred, and the time from a filter change (a keystroke
in the search box, a facet toggle, a range edit, a sort) to the updated table: when the page's
render event fires (DOM updated) and after the next frame (style, layout, paint and the chart).
Targets for a filter change: < 50 ms at 1,000 models and < 100 ms at 10,000.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import yaml
from mkdocs.utils.yaml import yaml_load
from playwright.sync_api import Browser, Page
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the served site and Chromium setup of the browser tests

from generator.cards.catalog import load_catalog  # noqa: E402
from generator.cards.vocab import FRAMEWORKS, TAGS, TASKS  # noqa: E402
from generator.site.export import models_json  # noqa: E402
from generator.validation.results import ValidationResult  # noqa: E402
from local_site import chromium, serve_site  # noqa: E402

TARGET_MS = {1000: 50.0, 10000: 100.0}
LICENSES = ("Apache-2.0", "MIT", "BSD-3-Clause", "GPL-3.0-only", "CC-BY-4.0")
METRICS = (("mAP", "COCO"), ("top-1", "ImageNet"), ("mIoU", "Cityscapes"), ("Rank-1", "Market"))
WORDS = ("fast", "accurate", "compact", "robust", "quantized", "pruned", "mobile", "server")
CARD = """\
name: {name}
task: {task}
tags: [{tags}]
description: Synthetic {word} {title} model, number {i}, for the catalog benchmark; trained
  on {dataset} and converted to OpenVINO IR with a short note on its inputs and outputs.
framework: {framework}
license: {license}
complexity: {{gflops: {gflops}, mparams: {mparams}}}
accuracy:
  - {{metric: {metric}, value: {accuracy}, unit: '%', dataset: {dataset}}}
inputs:
  - {{name: image, shape: [1, 3, {side}, {side}], layout: NCHW, type: f32, color_order: BGR}}
outputs:
  - {{name: scores, shape: [1, 1000], layout: NC, type: f32}}
ir: {{{ir}}}
"""
# page-side probe: from a change to the render event (DOM updated), to after the next frame
# (style, layout, paint of the table; the chart is drawn after that frame) and to the chart
MEASURE = """async ([kind, arg]) => {
  const root = document.getElementById("zoo-catalog");
  const times = {};
  const chart = new Promise((done) => {
    root.addEventListener("zoo-catalog:chart", () => done(performance.now()), {once: true});
  });
  root.addEventListener("zoo-catalog:render", () => (times.dom = performance.now()), {once: true});
  // registered before the change, so it runs before the chart's own callbacks
  const frame = new Promise((done) => {
    requestAnimationFrame(() => setTimeout(() => done(performance.now()), 0));
  });
  const started = performance.now();
  if (kind === "search") {
    const input = document.getElementById("zoo-search");
    input.value = arg;
    input.dispatchEvent(new Event("input", {bubbles: true}));
  } else if (kind === "facet" || kind === "sort") {
    root.querySelector(arg).click();
  } else if (kind === "range") {
    const input = root.querySelector('[data-range="gflops"] [data-bound="max"]');
    input.value = arg;
    input.dispatchEvent(new Event("input", {bubbles: true}));
  }
  const painted = await frame;
  const drawn = await chart;
  return [times.dom - started, painted - started, drawn - started];
}"""
LOADED = """() => {
  const entries = [...performance.getEntriesByType("navigation"),
                   ...performance.getEntriesByType("resource")];
  const models = entries.find((e) => e.name.endsWith("/models.json"));
  return {
    bytes: entries.reduce((sum, e) => sum + e.transferSize, 0),
    models: models ? models.transferSize : 0,
    table: window.zooTimes.table, chart: window.zooTimes.chart,
  };
}"""
TIMES = """window.zooTimes = {};
for (const [event, key] of [["zoo-catalog:render", "table"], ["zoo-catalog:chart", "chart"]]) {
  document.addEventListener(event, () => (window.zooTimes[key] ??= performance.now()));
}
"""


def write_cards(cards: Path, count: int) -> None:
    tasks = list(TASKS)[:16]
    frameworks = list(FRAMEWORKS)
    for i in range(count):
        name = f"bench-model-{i:05d}"
        task = tasks[i % len(tasks)]
        metric, dataset = METRICS[i % len(METRICS)]
        precisions = ["FP32"] + ["FP16"] * (i % 3 == 0) + ["FP16-INT8"] * (i % 5 == 0)
        folder = cards / name
        folder.mkdir(parents=True)
        (folder / "model.yml").write_text(
            CARD.format(
                name=name,
                i=i,
                task=task,
                title=TASKS[task].title.lower(),
                tags=", ".join(sorted({TAGS[i % len(TAGS)], TAGS[(i * 7) % len(TAGS)]})),
                word=WORDS[i % len(WORDS)],
                framework=frameworks[i % len(frameworks)],
                license=LICENSES[i % len(LICENSES)],
                gflops=round(10 ** ((i * 0.618034) % 1 * 5 - 2), 3) or 0.01,
                mparams=round(10 ** ((i * 0.414214) % 1 * 3 - 1), 3) or 0.1,
                metric=metric,
                dataset=dataset,
                accuracy=round(40 + (i * 0.7548777) % 1 * 55, 2),
                side=(128, 224, 320, 512)[i % 4],
                ir=", ".join(f"{p}: {p}/{name}.xml" for p in precisions),
            )
        )


def synthetic_results(count: int) -> list[ValidationResult]:
    when = datetime(2026, 1, 1, tzinfo=UTC)
    results = []
    for i in range(0, count, 2):  # every other model: CPU, one in ten failed; some GPU too
        statuses = {"CPU": "failed" if i % 10 == 0 else "passed"}
        if i % 6 == 0:
            statuses["GPU"] = "passed"
        results.extend(
            ValidationResult(
                name=f"bench-model-{i:05d}",
                precision="FP32",
                device=device,
                status=status,
                checked_at=when,
            )
            for device, status in statuses.items()
        )
    return results


def build_site(work: Path) -> Path:
    """A small site built by the real plugin: its catalog page, scripts and vendored files."""
    cards = work / "cards"
    write_cards(cards, 3)
    shutil.copytree(ROOT / "docs", work / "docs")
    config = yaml_load((ROOT / "mkdocs.yml").read_text())  # MkDocs' loader: !ENV
    plugin = next(item["zoo"] for item in config["plugins"] if isinstance(item, dict))
    plugin.update(cards=str(cards), templates=str(ROOT / "templates"), validation=False, results=[])
    (work / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    site = work / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [BIN / "mkdocs", "build", "-q", "-f", work / "mkdocs.yml", "-d", site]
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode:
        sys.exit(f"bench: mkdocs build failed:\n{result.stderr[-2000:]}")
    return site


def catalog_data(work: Path, count: int) -> str:
    cards = work / f"cards-{count}"
    write_cards(cards, count)
    return models_json(load_catalog(cards), synthetic_results(count))


def open_catalog(browser: Browser, url: str) -> tuple[Page, dict]:
    """A cold load in a fresh context (no cache): its timings and bytes."""
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.add_init_script(TIMES)
    page.goto(url)
    page.wait_for_selector("#zoo-catalog[data-ready]", state="attached", timeout=60_000)
    page.wait_for_function("window.zooTimes.chart !== undefined", timeout=60_000)
    if errors:
        sys.exit(f"bench: the catalog page reported errors: {errors}")
    return page, page.evaluate(LOADED)


def interactions(page: Page, repeat: int) -> dict[str, list[tuple[float, float, float]]]:
    timings: dict[str, list[tuple[float, float, float]]] = {}

    def measure(label: str, kind: str, arg: str) -> None:
        timings.setdefault(label, []).append(tuple(page.evaluate(MEASURE, [kind, arg])))

    typed = "accurate detection 12"
    for _ in range(repeat):
        for end in range(1, len(typed) + 1):  # one keystroke at a time
            measure("search keystroke", "search", typed[:end])
        measure("search keystroke", "search", "")
        for selector in ('[data-facet="task"] input[value="detection"]',
                         '[data-facet="tag"] input[value="person"]',
                         '[data-facet="license"] input[value="MIT"]',
                         '[data-facet="device"] input[value="CPU"]'):  # fmt: skip
            measure("facet toggle", "facet", selector)  # on
        for selector in ('[data-facet="task"] input[value="detection"]',
                         '[data-facet="tag"] input[value="person"]',
                         '[data-facet="license"] input[value="MIT"]',
                         '[data-facet="device"] input[value="CPU"]'):  # fmt: skip
            measure("facet toggle", "facet", selector)  # off
        for bound in ("3", "30", ""):
            measure("range edit", "range", bound)
        for column in ("gflops", "gflops", "accuracy", "name"):
            measure("sort", "sort", f'th[data-column="{column}"] button')
    return timings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3, help="rounds of interactions")
    parser.add_argument("--loads", type=int, default=3, help="cold page loads (median)")
    args = parser.parse_args()
    load_table = Table(title="Catalog page load (cold, local HTTP server, no compression)")
    for column in ("models", "models.json", "gzip'd", "transferred", "first table ms",
                   "chart ms"):  # fmt: skip
        load_table.add_column(column, justify="right")
    change_table = Table(title="Filter change to updated table (ms, median / p95)")
    columns = ("models", "change", "runs", "DOM updated", "table painted", "chart drawn",
               "target", "ok")  # fmt: skip
    for column in columns:
        change_table.add_column(column, justify="right" if column != "change" else "left")
    with tempfile.TemporaryDirectory(prefix="zoo-bench-") as tmp, chromium() as browser:
        work = Path(tmp)
        site = build_site(work)
        for count in args.sizes:
            data = catalog_data(work, count)
            (site / "models.json").write_text(data)
            with serve_site(site) as root:
                url = root + "catalog/"
                loads = []
                for _ in range(args.loads):
                    page, loaded = open_catalog(browser, url)
                    loads.append(loaded)
                    page.context.close()
                page, _ = open_catalog(browser, url)
                timings = interactions(page, args.repeat)
                page.context.close()
            load_table.add_row(
                f"{count:,}",
                f"{len(data.encode()) / 1e6:.2f} MB",
                f"{len(gzip.compress(data.encode())) / 1e6:.2f} MB",
                f"{statistics.median(x['bytes'] for x in loads) / 1e6:.2f} MB",
                f"{statistics.median(x['table'] for x in loads):.0f}",
                f"{statistics.median(x['chart'] for x in loads):.0f}",
            )
            target = TARGET_MS.get(count)
            for label, runs in timings.items():
                dom, frame, chart = ([run[k] for run in runs] for k in range(3))
                ok = target is None or percentile(frame, 0.95) < target
                change_table.add_row(
                    f"{count:,}",
                    label,
                    str(len(runs)),
                    f"{statistics.median(dom):.1f} / {percentile(dom, 0.95):.1f}",
                    f"{statistics.median(frame):.1f} / {percentile(frame, 0.95):.1f}",
                    f"{statistics.median(chart):.1f} / {percentile(chart, 0.95):.1f}",
                    f"< {target:.0f}" if target else "-",
                    "yes" if ok else "NO",
                )
    console = Console(width=max(Console().width, 110))  # no wrapped cells in logs
    console.print(load_table)
    console.print(change_table)


if __name__ == "__main__":
    main()
