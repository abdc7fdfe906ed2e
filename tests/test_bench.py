"""Every benchmark script runs from a clean clone: each is run here on a tiny size, so `make
bench` cannot break silently (its figures are not judged here: timing belongs in bench/)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT

TINY = {
    "build_scale.py": (["--sizes", "20"], "Site build, synthetic catalogs"),
    "validation.py": (["--catalog", "3", "--seconds", "0.2"], "unchanged catalog of 3 cards"),
    "card_loading.py": (["--sizes", "20", "--rounds", "1"], "Card loading, this tree"),
    "catalog_browser.py": (["--sizes", "50", "--repeat", "1", "--loads", "1"], "search keystroke"),
}


@pytest.mark.parametrize("script", sorted(TINY))
def test_benchmark_script_runs(script: str) -> None:
    args, expected = TINY[script]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "COLUMNS": "200"}
    done = subprocess.run(
        [sys.executable, ROOT / "bench" / script, *args],
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert expected in " ".join(done.stdout.split()), done.stdout[-2000:]
    assert "Traceback" not in done.stderr


def test_make_bench_runs_every_script() -> None:
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\nbench:", 1)[1].split("\n\n", 1)[0]
    assert all(f"bench/{script}" in recipe for script in TINY)
    assert "bench/omz_import.py" in recipe
