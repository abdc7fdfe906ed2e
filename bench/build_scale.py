"""Build-time benchmark: synthetic catalogs of 1,000, 5,000 and 10,000 cards.

Measures, side by side in one run (the two builds of a size in turn, --rounds times):
- `mkdocs build` with the zoo plugin generating every page from the cards;
- `mkdocs build` of the same pages pre-rendered as plain Markdown files (no plugin);
- the peak memory (RSS) of each build; `zoo check` on the same cards, per 1,000 cards.
The ratios plugin/plain are the plugin's overhead (targets: time <= 1.10x, memory <= 1.5x);
the absolute times show how the build scales (target: 10,000 cards under 150 s). Times are the
wall seconds a user waits: the plugin makes and sanitizes its pages in forked children on the
second core while MkDocs works on the first. CPU seconds (user + system of the build and its
children) are shown beside them: their ratio is what the plugin costs in all. Peak memory is
the largest of the build's processes (a child shares the parent's pages).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
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
from generator.plugin import add_site_settings  # noqa: E402
from generator.site.site_files import site_files  # noqa: E402

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
    if cards is None:  # what the plugin's on_config adds, so both sites carry the same pages
        add_site_settings(config)
    return yaml.safe_dump(config, sort_keys=False)


def prerender(cards: Path, docs: Path) -> None:
    """Every file the plugin adds (pages, data, packaged CSS/JS), written into `docs`."""
    for file in site_files(load_catalog(cards), [], ROOT / "templates"):
        path = docs / file.uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(file.data())


def timed(
    command: list[str | Path], cwd: Path, ok: tuple[int, ...] = (0,)
) -> tuple[float, float, float]:
    """CPU seconds, wall seconds and peak RSS (MiB) of one command (with its children)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=output, env=env)
        _, status, usage = os.wait4(process.pid, 0)  # this child's own peak memory
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in ok:
            output.seek(0)
            sys.exit(f"bench: {command[0]} failed:\n{output.read().decode()[-2000:]}")
    return usage.ru_utime + usage.ru_stime, elapsed, usage.ru_maxrss / 1024


def run(count: int, work: Path, rounds: int, keep: Path | None) -> dict[str, float]:
    cards = work / "cards"
    write_catalog(cards, count)
    zoo = work / "zoo"
    shutil.copytree(ROOT / "docs", zoo / "docs")
    (zoo / "mkdocs.yml").write_text(config_text(cards))
    plain = work / "plain"
    shutil.copytree(ROOT / "docs", plain / "docs")
    (plain / "mkdocs.yml").write_text(config_text(None))
    prerender(cards, plain / "docs")
    builds: dict[str, list[tuple[float, float, float]]] = {"zoo": [], "plain": []}
    for _ in range(rounds):  # in turn, so other work on the machine slows both alike
        for name, project in (("zoo", zoo), ("plain", plain)):
            builds[name].append(timed([BIN / "mkdocs", "build", "-q"], project))
    result = {"cards": count}
    for name, runs in builds.items():
        result[name] = statistics.median(cpu for cpu, _, _ in runs)
        result[f"{name}_wall"] = statistics.median(wall for _, wall, _ in runs)
        result[f"{name}_mib"] = statistics.median(mib for _, _, mib in runs)
    result["check"] = timed([BIN / "zoo", "check", "--cards", cards], work, ok=(0, 1))[0]
    # what a reader's browser loads on the first search
    result["index"] = (zoo / "site" / "search" / "search_index.json").stat().st_size / 1e6
    if keep is not None:
        shutil.rmtree(keep, ignore_errors=True)
        shutil.move(zoo / "site", keep)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--rounds", type=int, default=1, help="builds of each kind per size")
    parser.add_argument("--keep-site", type=Path, help="keep the zoo site of the last size here")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    table = Table(title="Site build, synthetic catalogs")
    for column in (
        "cards",
        "zoo build s (CPU s)",
        "pre-rendered s (CPU s)",
        "time ratio (CPU)",
        "zoo peak (MiB)",
        "pre-rendered peak (MiB)",
        "memory ratio",
        "zoo check CPU s / 1k",
        "search index (MB)",
    ):
        table.add_column(column, justify="right")
    results = []
    for count in args.sizes:
        keep = args.keep_site if count == args.sizes[-1] else None
        with tempfile.TemporaryDirectory(prefix="zoo-bench-") as work:
            result = run(count, Path(work), args.rounds, keep)
        results.append(result)
        cpu_ratio = result["zoo"] / result["plain"]
        table.add_row(
            f"{count:,}",
            f"{result['zoo_wall']:.1f} ({result['zoo']:.1f})",
            f"{result['plain_wall']:.1f} ({result['plain']:.1f})",
            f"{result['zoo_wall'] / result['plain_wall']:.2f} ({cpu_ratio:.2f})",
            f"{result['zoo_mib']:.0f}",
            f"{result['plain_mib']:.0f}",
            f"{result['zoo_mib'] / result['plain_mib']:.2f}",
            f"{result['check'] / count * 1000:.2f}",
            f"{result['index']:.2f}",
        )
    Console(width=max(Console().width, 130)).print(table)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
