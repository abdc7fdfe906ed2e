"""Every benchmark script runs from a clean clone: each is run here on a tiny size, so `make
bench` cannot break silently (its figures are not judged here: timing belongs in bench/)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT

# bench/targets.py runs the scripts that measure the speed targets and sums them up
TINY = {
    "targets.py": (
        ["--tiny"],
        [
            "Card loading, this tree (new) vs",
            "Site build, synthetic catalogs",
            "First search in the browser",
            "Filter change to updated table",
            "Targets of issue 14",
            "build <= 1.10x plain MkDocs at 20 cards",
            "filter change p95 < 50 ms at 50 models",
        ],
    ),
    "validation.py": (["--catalog", "3", "--seconds", "0.2"], ["unchanged catalog of 3 cards"]),
}


@pytest.mark.parametrize("script", sorted(TINY))
def test_benchmark_script_runs(script: str) -> None:
    args, expected = TINY[script]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "COLUMNS": "200"}
    done = subprocess.run(
        [sys.executable, ROOT / "bench" / script, *args],
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    output = " ".join(done.stdout.split())
    assert all(text in output for text in expected), done.stdout[-3000:]
    assert "Traceback" not in done.stderr


def test_make_bench_runs_every_script() -> None:
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\nbench:", 1)[1].split("\n\n", 1)[0]
    targets = (ROOT / "bench" / "targets.py").read_text()
    by_targets = set(re.findall(r'run\(\s*"(\w+\.py)"', targets))
    assert by_targets == {"card_loading.py", "build_scale.py", "search_browser.py",
                          "catalog_browser.py"}  # fmt: skip
    for script in (ROOT / "bench").glob("*.py"):
        assert f"bench/{script.name}" in recipe or script.name in by_targets, script.name
