"""Report files are untrusted: `zoo results merge` and the site refuse a bad one in one line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import ROOT, mkdocs_build, site_config
from generator.validation.results import (
    MAX_REPORT_BYTES,
    MAX_RESULTS,
    ReportError,
    TensorInfo,
    ValidationResult,
    read_report,
    write_report,
)


def merge(cwd: Path, *reports: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", "results", "merge", *reports, "--output", "out"],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def result(**fields: object) -> dict:
    return {"name": "m", "precision": "FP32", "device": "CPU", "status": "passed", **fields}


def report_text(*results: dict) -> str:
    return json.dumps({"version": 1, "results": list(results)})


SOON = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
TOMORROW = (datetime.now(UTC) + timedelta(days=1)).isoformat()

BAD = {
    "future": (report_text(result(checked_at=TOMORROW)),
               f"results.0.checked_at: {datetime.fromisoformat(TOMORROW).isoformat()} "
               "is in the future"),
    "naive-time": (report_text(result(checked_at="2026-01-01T00:00:00")),
                   "results.0.checked_at: Input should have timezone info"),
    "status": (report_text(result(status="passed-ish")),
               "results.0.status: Input should be 'passed', 'failed', 'error' or 'skipped'"),
    "nan": ('{"results": [' + json.dumps(result())[:-1] + ', "measured_gflops": NaN}]}',
            "results.0.measured_gflops: not a finite number"),
    "infinity": ('{"results": [' + json.dumps(result())[:-1] + ', "measured_gflops": 1e999}]}',
                 "results.0.measured_gflops: not a finite number"),
    "long-text": (report_text(result(message="x" * 10_001)),
                  "results.0.message: more than 10000 characters"),
    "long-name": (report_text(result(device="GPU" * 400)),
                  "results.0.device: more than 1000 characters"),
    "many-warnings": (report_text(result(warnings=["w"] * 1_001)),
                      "results.0.warnings: more than 1000 items"),
    "control-key": (report_text(result(unknown_ops={"\x1b[2J" + "x" * 2_000: 1})),
                    r"results.0.unknown_ops.'\x1b[2Jxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'"
                    ".[key]: more than 1000 characters"),
    "version": ('{"version": 2, "results": []}', "version: Input should be 1"),
    "not-json": ("{not json", "Invalid JSON: key must be a string at line 1 column 2"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_report_is_one_line_naming_the_file(tmp_path: Path, case: str) -> None:
    text, why = BAD[case]
    (tmp_path / "good.json").write_text(report_text(result()))
    (tmp_path / "bad.json").write_text(text)
    done = merge(tmp_path, "good.json", "bad.json")
    assert done.returncode == 2
    assert done.stderr == f"zoo: error: bad.json: not a validation report ({why})\n"
    assert not (tmp_path / "out").exists()


def test_a_report_a_little_ahead_of_this_clock_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "r.json").write_text(report_text(result(checked_at=SOON)))
    assert merge(tmp_path, "r.json").returncode == 0


@pytest.mark.parametrize("kind", ["fifo", "symlink", "device", "directory", "huge"])
def test_only_regular_files_of_bounded_size_are_read(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "r.json"
    why = {"fifo": "not a regular file", "directory": "Is a directory",
           "symlink": "is a symbolic link", "device": "is a symbolic link",
           "huge": f"larger than {MAX_REPORT_BYTES} bytes"}[kind]  # fmt: skip
    if kind == "fifo":
        os.mkfifo(path)  # opening it for reading would wait for a writer forever
    elif kind == "symlink":
        (tmp_path / "real.json").write_text(report_text(result()))
        path.symlink_to(tmp_path / "real.json")
    elif kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "directory":
        path.mkdir()
    else:
        with path.open("wb") as stream:
            stream.truncate(MAX_REPORT_BYTES + 1)
    done = merge(tmp_path, "r.json")
    assert (done.returncode, done.stderr) == (2, f"zoo: error: r.json: {why}\n")


def test_too_many_results(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    one = json.dumps({"name": "m", "device": "CPU", "status": "passed"})
    path.write_text('{"results": [' + ", ".join([one] * (MAX_RESULTS + 1)) + "]}")
    with pytest.raises(ReportError, match=f"results: more than {MAX_RESULTS} items"):
        read_report(path)


def test_a_file_name_with_control_characters_is_shown_escaped(tmp_path: Path) -> None:
    path = tmp_path / "r\x1b[2J\n.json"
    path.write_text("[]")
    with pytest.raises(ReportError) as raised:
        read_report(path)
    assert "\x1b" not in str(raised.value) and "\n" not in str(raised.value)
    assert str(raised.value).startswith(repr(str(path)))


def test_results_of_a_hostile_ir_are_clipped_so_their_report_reads_back(tmp_path: Path) -> None:
    """What an IR says (tensor names, error text, op names) is bounded when measured, so a
    report that zoo validate writes is never refused by zoo results merge."""
    huge = ValidationResult(
        name="m",
        device="CPU",
        status="error",
        message="cannot read the IR: " + "x" * 100_000,
        outputs=[TensorInfo(name="y" * 5_000, shape=list(range(2_000)), type="f32")] * 2_000,
        unknown_ops={f"Op{i}": 1 for i in range(5_000)},
        measured_gflops=float("inf"),
    )
    assert len(huge.message) == 10_000 and huge.message.endswith("…")
    assert (len(huge.outputs), len(huge.unknown_ops), huge.measured_gflops) == (1_000, 1_000, None)
    write_report(tmp_path / "r.json", [huge])
    assert read_report(tmp_path / "r.json").results == [huge]


def test_site_refuses_a_future_report_and_a_fifo_in_one_line(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    shutil.copytree(ROOT / "model_cards" / "vgg-face", cards / "vgg-face")
    results = tmp_path / "results"
    results.mkdir()
    (results / "a.json").write_text(report_text(result(name="vgg-face", checked_at=TOMORROW)))
    os.mkfifo(results / "b.json")
    config = site_config(tmp_path, cards, results=[str(results / "*.json")])
    built = mkdocs_build(config, tmp_path / "site")
    assert built.returncode == 1
    assert f" {results / 'a.json'}: not a validation report (results.0.checked_at: " in (
        built.stderr
    )
    assert "Traceback" not in built.stderr
    (results / "a.json").unlink()
    built = mkdocs_build(config, tmp_path / "site")
    assert built.returncode == 1
    assert f" {results / 'b.json'}: not a regular file\n" in built.stderr
    assert "Traceback" not in built.stderr


def test_site_refuses_a_report_reached_through_a_symlinked_folder(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    shutil.copytree(ROOT / "model_cards" / "vgg-face", cards / "vgg-face")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "r.json").write_text(report_text(result(name="vgg-face")))
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "linked").symlink_to(outside)
    config = site_config(tmp_path, cards, results=[str(tmp_path / "results" / "*" / "*.json")])
    built = mkdocs_build(config, tmp_path / "site")
    assert built.returncode == 1
    assert "r.json: a report matched through a symlink" in built.stderr
    assert "Traceback" not in built.stderr


def test_site_refuses_a_report_folder_that_is_itself_a_symlink(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    shutil.copytree(ROOT / "model_cards" / "vgg-face", cards / "vgg-face")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "r.json").write_text(report_text(result(name="vgg-face")))
    (tmp_path / "results").symlink_to(outside)
    config = site_config(tmp_path, cards, results=[str(tmp_path / "results" / "*.json")])
    built = mkdocs_build(config, tmp_path / "site")
    assert built.returncode == 1
    assert f"the report folder is a symlink ({tmp_path / 'results'})" in built.stderr
    assert "Traceback" not in built.stderr
