"""Build-time benchmark: synthetic catalogs of 1,000 and 5,000 cards.

Measures, side by side in one run:
- `mkdocs build` with the zoo plugin generating every page from the cards;
- `mkdocs build` of the same pages pre-rendered as plain Markdown files (no plugin);
- `zoo check` on the same cards, reported per 1,000 cards.
The ratio plugin/plain is the plugin's overhead; the absolute times show how the build scales.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from mkdocs.utils.yaml import yaml_load
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT))

from generator.cards.catalog import load_catalog  # noqa: E402
from generator.site.pages import site_pages  # noqa: E402
from generator.site.render import render  # noqa: E402

TASKS = ("detection", "classification", "semantic_segmentation", "reidentification")
CARD = """\
name: {name}
task: {task}
tags: [{tag}]
description: Synthetic model number {i} for the build benchmark, with **Markdown** prose.
framework: onnx
license: Apache-2.0
complexity: {{gflops: {gflops}, mparams: {mparams}}}
accuracy:
  - {{metric: mAP, value: {acc}, unit: '%', dataset: COCO}}
inputs:
  - {{name: image, shape: [1, 3, 224, 224], layout: NCHW, type: f32, color_order: BGR}}
outputs:
  - {{name: scores, shape: [1, 1000], layout: NC, type: f32, description: Class scores.}}
files:
  - {{name: synthetic-{i}.bin, size: {size}, sha256: '{sha}'}}
obtain:
  - {{title: Download, command: zoo fetch {name}}}
"""


def write_catalog(cards: Path, count: int) -> None:
    for i in range(count):
        name = f"synthetic-model-{i:05d}"
        folder = cards / name
        folder.mkdir(parents=True)
        (folder / "model.yml").write_text(
            CARD.format(
                name=name,
                i=i,
                task=TASKS[i % len(TASKS)],
                tag=("person", "vehicle", "face")[i % 3],
                gflops=round(0.1 + i * 0.37 % 300, 3),
                mparams=round(0.5 + i * 0.11 % 90, 3),
                acc=round(50 + i % 40 + 0.25, 2),
                size=1000 + i,
                sha=f"{i:064x}",
            )
        )


def config_text(cards: Path | None) -> str:
    """The project's mkdocs.yml reading `cards`, or without the zoo plugin (plain MkDocs: same
    theme, nav and extensions) when `cards` is None."""
    config = yaml_load((ROOT / "mkdocs.yml").read_text())  # MkDocs' loader: !ENV
    plugins = []
    for item in config["plugins"]:
        if isinstance(item, dict) and "zoo" in item:
            if cards is None:
                continue
            options = {**item["zoo"], "cards": str(cards), "templates": str(ROOT / "templates")}
            item = {"zoo": options}
        plugins.append(item)
    config["plugins"] = plugins
    return yaml.safe_dump(config, sort_keys=False)


def prerender(cards: Path, docs: Path) -> None:
    catalog = load_catalog(cards)
    for page in site_pages(catalog):
        path = docs / page.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(ROOT / "templates", page.template, **page.context))


def timed(command: list[str | Path], cwd: Path, ok: tuple[int, ...] = (0,)) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - started
    if result.returncode not in ok:
        sys.exit(f"bench: {command[0]} failed:\n{result.stderr[-2000:]}")
    return elapsed


def run(count: int, work: Path) -> dict[str, float]:
    cards = work / "cards"
    write_catalog(cards, count)
    zoo = work / "zoo"
    shutil.copytree(ROOT / "docs", zoo / "docs")
    (zoo / "mkdocs.yml").write_text(config_text(cards))
    plain = work / "plain"
    shutil.copytree(ROOT / "docs", plain / "docs")
    (plain / "mkdocs.yml").write_text(config_text(None))
    prerender(cards, plain / "docs")
    times = {
        "zoo": timed([BIN / "mkdocs", "build", "-q"], zoo),
        "plain": timed([BIN / "mkdocs", "build", "-q"], plain),
        "check": timed([BIN / "zoo", "check", "--cards", cards], work, ok=(0, 1)),
    }
    # what a reader's browser loads on the first search
    times["index"] = (zoo / "site" / "search" / "search_index.json").stat().st_size / 1e6
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    args = parser.parse_args()
    table = Table(title="Site build, synthetic catalogs")
    for column in (
        "cards",
        "zoo build (s)",
        "pre-rendered build (s)",
        "ratio",
        "zoo check / 1k (s)",
        "search index (MB)",
    ):
        table.add_column(column, justify="right")
    for count in args.sizes:
        with tempfile.TemporaryDirectory(prefix="zoo-bench-") as work:
            times = run(count, Path(work))
        table.add_row(
            f"{count:,}",
            f"{times['zoo']:.1f}",
            f"{times['plain']:.1f}",
            f"{times['zoo'] / times['plain']:.2f}",
            f"{times['check'] / count * 1000:.2f}",
            f"{times['index']:.2f}",
        )
    Console().print(table)


if __name__ == "__main__":
    main()
