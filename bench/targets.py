"""Every speed target of the project, measured in one run and printed with its ratio.

Runs card_loading.py, build_scale.py, search_browser.py (on the 10,000-card site build_scale
kept) and catalog_browser.py, shows their tables as they come, then one table: each target,
what was measured, measured/limit and whether it holds. --tiny runs them all on small sizes.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
BUILD_RATIO, MEMORY_RATIO, BUILD_SECONDS = 1.10, 1.5, 150.0
FILTER_P95_MS = {1000: 50.0, 10000: 100.0}


def run(script: str, *args: object) -> str:
    """Run one benchmark script, show its output, return it."""
    done = subprocess.run(
        [sys.executable, BENCH / script, *map(str, args)], capture_output=True, text=True
    )
    sys.stdout.write(done.stdout)
    sys.stdout.flush()
    if done.returncode != 0:
        sys.exit(f"bench: {script} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def filter_p95(output: str) -> dict[int, float]:
    """Worst p95 of 'table painted' per size, from catalog_browser.py's change table."""
    worst: dict[int, float] = {}
    header: list[str] = []
    for line in output.splitlines():
        cells = [cell.strip() for cell in re.split(r"[│┃]", line)[1:-1]]
        if "change" in cells and any("painted" in cell for cell in cells):
            header = cells
        elif header and len(cells) == len(header) and cells[0].replace(",", "").isdigit():
            painted = cells[next(i for i, name in enumerate(header) if "painted" in name)]
            if match := re.fullmatch(r"[\d.]+ / ([\d.]+)", painted):
                size = int(cells[0].replace(",", ""))
                worst[size] = max(worst.get(size, 0.0), float(match.group(1)))
    return worst


def row(table: Table, target: str, measured: str, ratio: float | None, holds: bool) -> None:
    shown = "-" if ratio is None else f"{ratio:.2f}"
    table.add_row(target, measured, shown, "yes" if holds else "NO")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="small sizes: checks the scripts run")
    args = parser.parse_args()
    large = 10000
    loading_sizes, build_sizes, browser_sizes = [1000, large], [1000, 5000, large], [1000, large]
    rounds = ["--rounds", "3"]
    browser = []
    if args.tiny:
        large = 20
        loading_sizes, build_sizes, browser_sizes = [large], [large], [50]
        rounds, browser = ["--rounds", "1"], ["--repeat", "1", "--loads", "1"]
    with tempfile.TemporaryDirectory(prefix="zoo-bench-") as tmp:
        work = Path(tmp)
        run("card_loading.py", "--sizes", *loading_sizes, *rounds, "--json", work / "loading.json")
        run("build_scale.py", "--sizes", *build_sizes, "--keep-site", work / "site",
            "--json", work / "build.json")  # fmt: skip
        run("search_browser.py", "--sizes", large, "--site", work / "site",
            *(["--loads", "1"] if args.tiny else []), "--json", work / "search.json")  # fmt: skip
        filters = filter_p95(run("catalog_browser.py", "--sizes", *browser_sizes, *browser))
        loading = json.loads((work / "loading.json").read_text())
        builds = json.loads((work / "build.json").read_text())
        (search,) = json.loads((work / "search.json").read_text())

    table = Table(title="Targets of issue 14 (ratio: measured against the limit, <= 1 holds)")
    for column in ("target", "measured", "ratio", "holds"):
        table.add_column(column, justify="left" if column == "target" else "right")
    last = loading[-1]
    if "old" in last:
        speed = last["old"]["cpu"] / last["new"]["cpu"]
        row(table, f"card loading >= 2x faster at {last['cards']:,} cards",
            f"{speed:.2f}x (CPU s {last['old']['cpu']:.2f} -> {last['new']['cpu']:.2f})",
            2 / speed, speed >= 2)  # fmt: skip
        memory = last["new"]["mib"] / last["old"]["mib"] if last["old"]["mib"] else 0.0
        row(table, f"card loading <= 0.5x memory at {last['cards']:,} cards",
            f"{memory:.2f}x ({last['old']['mib']:.0f} -> {last['new']['mib']:.0f} MiB)",
            memory / 0.5, memory <= 0.5)  # fmt: skip
    for build in builds:
        ratio = build["zoo_wall"] / build["plain_wall"]
        cpu = build["zoo"] / build["plain"]
        row(table, f"build <= {BUILD_RATIO:.2f}x plain MkDocs at {build['cards']:,} cards",
            f"{ratio:.2f}x ({build['zoo_wall']:.1f} vs {build['plain_wall']:.1f} s; "
            f"CPU {cpu:.2f}x)",
            ratio / BUILD_RATIO, ratio <= BUILD_RATIO)  # fmt: skip
    for build in builds:
        ratio = build["zoo_mib"] / build["plain_mib"]
        row(table, f"peak memory <= {MEMORY_RATIO}x plain at {build['cards']:,} cards",
            f"{ratio:.2f}x ({build['zoo_mib']:.0f} vs {build['plain_mib']:.0f} MiB)",
            ratio / MEMORY_RATIO, ratio <= MEMORY_RATIO)  # fmt: skip
    biggest = builds[-1]
    row(table, f"{biggest['cards']:,} cards build under {BUILD_SECONDS:.0f} s",
        f"{biggest['zoo_wall']:.1f} s ({biggest['zoo']:.1f} CPU s)",
        biggest["zoo_wall"] / BUILD_SECONDS,
        biggest["zoo_wall"] < BUILD_SECONDS)  # fmt: skip
    for size, p95 in sorted(filters.items()):
        limit = FILTER_P95_MS.get(size, FILTER_P95_MS[1000])
        row(table, f"filter change p95 < {limit:.0f} ms at {size:,} models (worst kind)",
            f"{p95:.1f} ms", p95 / limit, p95 < limit)  # fmt: skip
    if not filters:
        table.add_row("filter change p95", "not found in catalog_browser.py's output", "-", "NO")
    searched = f"{search['first_ms']:.0f} ms, index {search['index_mb']:.2f} MB"
    table.add_row(f"first search at {search['models']:,} models (no target)", searched, "-", "-")
    Console(width=max(Console().width, 120)).print(table)


if __name__ == "__main__":
    main()
