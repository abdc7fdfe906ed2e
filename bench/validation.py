"""Validation benchmark: where the time goes per model, and the cost of an unchanged catalog.

Runs `validate_catalog` on the shipped cards that have IRs (run `make models` first) without
a cache and reports read, count, compile and infer time per model, with counting as a share of
compile time (target: < 5%), what constant folding adds to counting and the overhead of
`--benchmark`. Then it builds a catalog of 100 cards sharing one IR (hard links),
validates it once to fill the cache and times a second run (target: cache hits only, < 2 s).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.cards.catalog import load_catalog  # noqa: E402
from generator.validation.validate import validate_catalog  # noqa: E402

REAL = "squeezenet1.1-light"


def per_model() -> Table:
    catalog = load_catalog(ROOT / "model_cards")
    results = [r for r in validate_catalog(catalog, cache_dir=None) if r.status != "skipped"]
    if not results:
        sys.exit("bench: no IRs found: run `make models` first")
    table = Table(title="Validation stages per model (CPU, no cache)")
    for column in ("model", "read ms", "count ms", "compile ms", "infer ms", "count/compile"):
        table.add_column(column, justify="right" if column != "model" else "left")
    totals = dict.fromkeys(("read", "count", "compile", "infer"), 0.0)
    for result in results:
        timings = dict(result.timings)
        for stage in totals:
            totals[stage] += timings[stage]
        table.add_row(
            f"{result.name} ({result.status})",
            *(f"{timings[stage] * 1000:.1f}" for stage in totals),
            f"{timings['count'] / timings['compile']:.1%}" if timings["compile"] else "-",
        )
    table.add_row(
        "total",
        *(f"{totals[stage] * 1000:.1f}" for stage in totals),
        f"{totals['count'] / totals['compile']:.1%}",
        style="bold",
    )
    return table


def folding() -> Table:
    """Counting with and without constant folding, best of 5 (folding works on a copy)."""
    import openvino

    from generator.validation.complexity import count_complexity

    core = openvino.Core()
    table = Table(title="Counting with constant folding (best of 5)")
    for column in ("model", "ops", "count ms", "folded count ms", "folding adds"):
        table.add_column(column, justify="right" if column != "model" else "left")
    totals = [0.0, 0.0]
    for xml in sorted((ROOT / "model_cards").glob("*/FP32/*.xml")):
        model = core.read_model(xml)
        best = []
        for fold in (False, True):
            times = []
            for _ in range(5):
                started = time.perf_counter()
                count_complexity(model, fold=fold)
                times.append(time.perf_counter() - started)
            best.append(min(times))
        totals = [totals[0] + best[0], totals[1] + best[1]]
        ms = [f"{seconds * 1000:.1f}" for seconds in best]
        table.add_row(xml.stem, str(len(model.get_ops())), *ms, f"{best[1] / best[0] - 1:+.0%}")
    ms = [f"{seconds * 1000:.1f}" for seconds in totals]
    table.add_row("total", "", *ms, f"{totals[1] / totals[0] - 1:+.0%}", style="bold")
    return table


def benchmark_overhead(seconds: float = 2.0) -> Table:
    """What `--benchmark SECONDS` costs beyond its measuring time: a second compile (with the
    performance hint), the warm-up and waiting for the last requests."""
    catalog = load_catalog(ROOT / "model_cards")
    table = Table(title=f"--benchmark {seconds:g} on {REAL} (no cache)")
    for column in ("run", "seconds", "overhead s", "throughput FPS", "latency median ms"):
        table.add_column(column, justify="right")
    [plain] = validate_catalog(catalog, [REAL], cache_dir=None)
    [timed] = validate_catalog(catalog, [REAL], cache_dir=None, benchmark=seconds)
    speed = timed.speed
    assert speed is not None, timed.message
    table.add_row("without", f"{plain.timings.total:.2f}", "-", "-", "-")
    table.add_row(
        "with",
        f"{timed.timings.total:.2f}",
        f"{timed.timings.benchmark - seconds:.2f}",
        f"{speed.throughput_fps:.1f}",
        f"{speed.latency_median_ms:.1f}",
    )
    return table


def unchanged_catalog(count: int = 100) -> Table:
    source = ROOT / "model_cards" / REAL
    with tempfile.TemporaryDirectory(prefix="zoo-bench-") as work:
        cards = Path(work) / "cards"
        text = (source / "model.yml").read_text()
        for index in range(count):
            name = f"{REAL}-copy-{index:03d}"
            folder = cards / name
            (folder / "FP32").mkdir(parents=True)
            (folder / "model.yml").write_text(
                text.replace(f"name: {REAL}", f"name: {name}").replace(
                    f"FP32/{REAL}.xml", f"FP32/{name}.xml"
                )
            )
            for suffix in (".xml", ".bin"):
                os.link(source / "FP32" / f"{REAL}{suffix}", folder / "FP32" / f"{name}{suffix}")
        cache = Path(work) / "cache"
        started = time.perf_counter()
        first = validate_catalog(load_catalog(cards), cache_dir=cache, jobs=2)
        cold = time.perf_counter() - started
        started = time.perf_counter()
        second = validate_catalog(load_catalog(cards), cache_dir=cache, jobs=2)
        warm = time.perf_counter() - started
        shutil.rmtree(cards)
    table = Table(title=f"Re-validating an unchanged catalog of {count} cards with IRs")
    for column in ("run", "seconds", "passed", "cache hits"):
        table.add_column(column, justify="right")
    for label, seconds, results in (("first", cold, first), ("unchanged", warm, second)):
        passed = sum(r.status == "passed" for r in results)
        table.add_row(
            label, f"{seconds:.2f}", f"{passed}/{count}", str(sum(r.cached for r in results))
        )
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=int, default=100, help="cards of the unchanged run")
    parser.add_argument("--seconds", type=float, default=2.0, help="of the --benchmark run")
    args = parser.parse_args()
    console = Console()
    console.print(per_model())
    console.print(folding())
    console.print(benchmark_overhead(args.seconds))
    console.print(unchanged_catalog(args.catalog))


if __name__ == "__main__":
    main()
