"""Search benchmark: the first search in the browser on a site of 10,000 synthetic models.

Builds the site with the zoo plugin (build_scale's cards), or takes one built already (--site),
serves it on 127.0.0.1 and opens its home page in Chromium, cold. As soon as the page has loaded
it types a query into Material's search box and measures the time to the first results shown
(Material's search worker fetches the whole index and builds it before it can answer), then
the time a second query takes.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Browser
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))  # the served site and Chromium of the browser tests

from build_scale import config_text, write_catalog  # noqa: E402

from local_site import chromium, serve_site  # noqa: E402

QUERY = "synthetic"
SECOND = "benchmark"
RESULTS = "document.querySelector('.md-search-result__list')?.children.length > 0"


def build(count: int, work: Path) -> Path:
    cards = work / "cards"
    write_catalog(cards, count)
    project = work / "zoo"
    shutil.copytree(ROOT / "docs", project / "docs")
    (project / "mkdocs.yml").write_text(config_text(cards))
    done = subprocess.run(
        [BIN / "mkdocs", "build", "-q"], cwd=project, capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(f"bench: mkdocs build failed:\n{done.stderr[-2000:]}")
    return project / "site"


def first_search(browser: Browser, url: str) -> dict[str, float]:
    """One cold page: ms from typing to the first results, and for a second query."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url, wait_until="load")
    box = "[data-md-component=search-query]"
    times = {}
    for label, query in (("first", QUERY), ("second", SECOND)):
        page.fill(box, "")
        page.wait_for_function("!(" + RESULTS + ")", polling="raf", timeout=120_000)
        page.evaluate("window.zooTyped = performance.now()")
        page.fill(box, query)
        page.press(box, "End")  # Material reads the query on keyup
        page.wait_for_function(RESULTS, polling="raf", timeout=300_000)
        times[label] = page.evaluate("performance.now() - window.zooTyped")
    times["index_mb"] = page.evaluate(
        "performance.getEntriesByType('resource').filter((e) => e.name.includes("
        "'search_index.json')).reduce((sum, e) => sum + e.decodedBodySize, 0) / 1e6"
    )
    context.close()
    if errors:
        sys.exit(f"bench: the page reported errors: {errors}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("--site", type=Path, help="a site built already (its size: --sizes)")
    parser.add_argument("--loads", type=int, default=3, help="cold page loads (median)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    if args.site is not None and len(args.sizes) != 1:
        parser.error("--site takes the one size it was built with")
    table = Table(title="First search in the browser (Material search, cold page)")
    for column in ("models", "search index (MB)", "first results (ms)", "next query (ms)"):
        table.add_column(column, justify="right")
    results = []
    with tempfile.TemporaryDirectory(prefix="zoo-bench-") as tmp, chromium() as browser:
        for count in args.sizes:
            site = args.site or build(count, Path(tmp) / str(count))
            with serve_site(site) as root:
                runs = [first_search(browser, root) for _ in range(args.loads)]
            result = {
                "models": count,
                "index_mb": runs[0]["index_mb"],
                "first_ms": statistics.median(run["first"] for run in runs),
                "second_ms": statistics.median(run["second"] for run in runs),
            }
            results.append(result)
            table.add_row(
                f"{count:,}",
                f"{result['index_mb']:.2f}",
                f"{result['first_ms']:.0f}",
                f"{result['second_ms']:.0f}",
            )
    Console(width=max(Console().width, 110)).print(table)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
