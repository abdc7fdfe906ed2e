"""Card loading benchmark: this tree's loader against a baseline revision, side by side.

Writes synthetic catalogs (build_scale's cards), then loads each with `load_catalog` in fresh
processes, this tree and the baseline (`git archive` of --baseline) in turn, --rounds times.
Reports the median CPU time (other work on the machine barely changes it; wall time too) and
the peak memory the load adds over the imports, with the ratios (targets at 10,000 cards: at
least 2x faster, at most half the memory).
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from build_scale import write_catalog  # noqa: E402

BASELINE = "38d0413"  # main before the lazy-position loader (eager positions per value)
# one load in a fresh process: CPU and wall seconds, peak RSS growth over the imports (KiB)
WORKER = """
import json, resource, sys, time
from pathlib import Path
import generator
assert generator.__file__.startswith(sys.argv[1]), generator.__file__
from generator.cards.catalog import load_catalog
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
cpu, wall = time.process_time(), time.perf_counter()
catalog = load_catalog(Path(sys.argv[2]))
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps({"cpu": cpu, "wall": wall, "kib": peak, "cards": len(catalog.cards)}))
"""


def baseline_tree(revision: str, work: Path) -> Path | None:
    """The baseline's generator/ in `work`, or None without git or that revision."""
    try:
        archive = subprocess.run(
            ["git", "archive", revision, "generator"], cwd=ROOT, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    tree = work / "baseline"
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(tree, filter="data")
    return tree


def load_once(tree: Path, cards: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", WORKER, str(tree), str(cards)],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.exit(f"bench: loading with {tree} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


def measure(count: int, rounds: int, baseline: str, work: Path) -> dict:
    cards = work / f"cards-{count}"
    write_catalog(cards, count)
    trees = {"new": ROOT}
    if (old := baseline_tree(baseline, work)) is not None:
        trees["old"] = old
    runs: dict[str, list[dict]] = {name: [] for name in trees}
    for _ in range(rounds):  # in turn, so a busy machine slows both alike
        for name, tree in trees.items():
            runs[name].append(load_once(tree, cards))
    result = {"cards": count}
    for name, samples in runs.items():
        assert all(sample["cards"] == count for sample in samples), samples
        result[name] = {
            "cpu": statistics.median(sample["cpu"] for sample in samples),
            "wall": statistics.median(sample["wall"] for sample in samples),
            "mib": statistics.median(sample["kib"] for sample in samples) / 1024,
        }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", default=BASELINE, help="git revision to compare with")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    table = Table(title=f"Card loading, this tree (new) vs {args.baseline} (old), median")
    columns = ("cards", "old CPU s", "new CPU s", "speed-up", "old wall s", "new wall s",
               "old MiB", "new MiB", "memory")  # fmt: skip
    for column in columns:
        table.add_column(column, justify="right")
    results = []
    with tempfile.TemporaryDirectory(prefix="zoo-bench-") as work:
        for count in args.sizes:
            result = measure(count, args.rounds, args.baseline, Path(work))
            results.append(result)
            new, old = result["new"], result.get("old")
            table.add_row(
                f"{count:,}",
                f"{old['cpu']:.2f}" if old else "-",
                f"{new['cpu']:.2f}",
                f"{old['cpu'] / new['cpu']:.2f}x" if old else "-",
                f"{old['wall']:.2f}" if old else "-",
                f"{new['wall']:.2f}",
                f"{old['mib']:.0f}" if old else "-",
                f"{new['mib']:.0f}",
                f"{new['mib'] / old['mib']:.2f}x" if old and old["mib"] else "-",
            )
    Console(width=max(Console().width, 110)).print(table)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
