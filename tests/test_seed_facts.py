"""The maintainer script that extracts seed facts, run on small invented seed documents."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

SCRIPT = ROOT / "tests" / "data" / "extract_seed_facts.py"
OVERVIEW = """# Overview

Prose that must not reach the facts.

## Object Detection Models

| Model Name | Complexity (GFLOPs) | Size (Mp) | Face | Person |
|----------- |-------------------- |---------- |----- |------- |
| [tiny-detector-0001](./tiny-detector-0001/description.md) | 1.5 | 0.25 | X | |

## Reidentification Models

| Model Name | Complexity (GFLOPs) | Size (Mp) | Rank-1 on Market-1501 |
|---|---|---|---|
| tiny-reid-0002 | - | 2.0 | 91.5% |
| tiny-composite-0003 | | | |
"""
MATCONVNET = """# Pretrained

| 0123456789abcdef0123456789abcdef | imagenet-tiny-net.mat   |

|       model|introduced|top-1 err.|top-5 err.|  images/s|
|------------|----------|----------|----------|----------|
|    tiny-net|      2016|      30.5|      10.0|     100.2|
"""


def extract(*args: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, SCRIPT, *map(str, args)], capture_output=True, text=True, env=env
    )


def seeds(tmp_path: Path, overview: str = OVERVIEW, matconvnet: str = MATCONVNET) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "omz-intel-models-overview.md").write_text(overview)
    (folder / "matconvnet-pretrained.md").write_text(matconvnet)
    return folder


def test_extracts_only_facts_one_row_per_line(tmp_path: Path) -> None:
    output = tmp_path / "facts.json"
    result = extract(seeds(tmp_path), output)
    assert result.returncode == 0, result.stderr
    text = output.read_text()
    facts = json.loads(text)
    assert facts["overview"] == [
        {"name": "tiny-detector-0001", "section": "Object Detection Models", "gflops": "1.5",
         "mparams": "0.25", "marks": {"Face": True, "Person": False}, "extra": {}},
        {"name": "tiny-reid-0002", "section": "Reidentification Models", "gflops": "-",
         "mparams": "2.0", "marks": {}, "extra": {"Rank-1 on Market-1501": "91.5%"}},
        {"name": "tiny-composite-0003", "section": "Reidentification Models", "gflops": "",
         "mparams": "", "marks": {}, "extra": {"Rank-1 on Market-1501": ""}},
    ]  # fmt: skip
    assert facts["matconvnet_md5"] == {"imagenet-tiny-net.mat": "0123456789abcdef0123456789abcdef"}
    assert facts["matconvnet_ilsvrc"] == {"imagenet-tiny-net": ["2016", "30.5", "10.0", "100.2"]}
    assert set(facts["sources"]) == {"omz-intel-models-overview.md", "matconvnet-pretrained.md"}
    assert "Prose" not in text
    assert sum('"name": "tiny-' in line for line in text.splitlines()) == 3


def test_missing_seed_is_a_one_line_error_and_writes_nothing(tmp_path: Path) -> None:
    folder = seeds(tmp_path)
    (folder / "matconvnet-pretrained.md").unlink()
    output = tmp_path / "facts.json"
    result = extract(folder, output)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert str(folder / "matconvnet-pretrained.md") in result.stderr
    assert not output.exists()


def test_seed_without_rows_keeps_the_old_facts(tmp_path: Path) -> None:
    output = tmp_path / "facts.json"
    output.write_text("old\n")
    result = extract(seeds(tmp_path, matconvnet="# Pretrained\n\nNo tables here.\n"), output)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "matconvnet-pretrained.md" in result.stderr
    assert output.read_text() == "old\n"


def test_usage_error_without_seed_folder() -> None:
    result = extract()
    assert result.returncode == 2 and result.stderr.startswith("usage:")


def test_committed_facts_are_the_scripts_output() -> None:
    """The data file is written by the script, not edited by hand (regenerate it instead)."""
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        from extract_seed_facts import to_json
    finally:
        sys.path.remove(str(SCRIPT.parent))
    text = (SCRIPT.parent / "seed_facts.json").read_text(encoding="utf-8")
    assert to_json(json.loads(text)) == text
