"""Validation results on the site: badges, documented vs measured, the device matrix."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

from conftest import ROOT, html_tables, mkdocs_build, site_config, table_rows
from generator.validation.results import (
    Mismatch,
    OpFigures,
    Speed,
    TensorInfo,
    ValidationResult,
    merge_reports,
    write_report,
)


def result(device: str, status: str, day: int, **fields: object) -> ValidationResult:
    return ValidationResult(
        name="vgg-face",
        precision="FP32",
        device=device,
        status=status,
        checked_at=datetime(2026, 11, day, tzinfo=UTC),
        openvino_version="2026.4.1",
        **fields,
    )


def test_reports_from_several_machines_merge_newest_first(tmp_path: Path) -> None:
    write_report(tmp_path / "a.json", [result("CPU", "failed", 1), result("GPU", "passed", 2)])
    write_report(tmp_path / "b.json", [result("CPU", "passed", 3)])
    merged = merge_reports([tmp_path / "a.json", tmp_path / "b.json"])
    assert [(r.device, r.status) for r in merged] == [("CPU", "passed"), ("GPU", "passed")]


def test_site_shows_results_of_every_device(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    shutil.copytree(ROOT / "model_cards" / "vgg-face", cards / "vgg-face")
    shutil.copytree(ROOT / "model_cards" / "imagenet-vgg-f", cards / "imagenet-vgg-f")
    write_report(
        tmp_path / "cpu.json",
        [
            result(
                "CPU",
                "failed",
                5,
                device_name="Test CPU",
                measured_gflops=30.96,
                measured_mparams=138.5,
                convention="model-analyzer",
                breakdown={
                    "Convolution": OpFigures(ops=13, gflops=30.96, mparams=138.5),
                    "Gelu": OpFigures(ops=2, gflops=0, zero_by_convention=True),
                },
                unknown_ops={"Erf": 3},
                speed=Speed(
                    hint="THROUGHPUT",
                    streams=2,
                    requests=2,
                    seconds=10.02,
                    inferences=1002,
                    latency_median_ms=19.876,
                    latency_p90_ms=21.5,
                    throughput_fps=100.0,
                ),
                outputs=[TensorInfo(name="prob", shape=[1, 2622], type="f32")],
                mismatches=[
                    Mismatch(
                        field="outputs[0].shape",
                        documented="[1, 1000]",
                        measured="[1, 2622]",
                        message="wrong class count",
                    )
                ],
            )
        ],
    )
    write_report(tmp_path / "gpu.json", [result("GPU", "passed", 6)])
    config = site_config(tmp_path, cards, results=[str(tmp_path / "*.json")])
    site = tmp_path / "site"
    built = mkdocs_build(config, site)
    assert built.returncode == 0, built.stderr
    matrix = html_tables(site / "devices" / "index.html")[0]
    assert matrix[0] == ["Model", "CPU", "GPU"]
    assert matrix[1] == [
        "vgg-face", "✘ failed FP32: 100.0 FPS, 19.88 ms", "✔ passed FP32: speed not measured",
    ]  # fmt: skip
    page = site / "models" / "vgg-face" / "index.html"
    rows = table_rows(page)
    assert rows["CPU (Test CPU)"][2] == "✘ failed"
    assert rows["MParams"][2] == "138.500"
    headers = [table[0] for table in html_tables(page)]
    assert ["Figure", "Documented", "Measured (CPU FP32, model-analyzer convention)"] in headers
    assert rows["Convolution"][1:] == ["13", "30.9600", "100.0%", "138.5000"]
    assert rows["Gelu (counted as 0 by the convention)"][1:] == ["2", "0.0000", "0.0%", "0.0000"]
    assert rows["Erf (no cost rule: counted as 0)"][1:] == ["3", "-", "-", "-"]
    assert rows["CPU"][1:] == [
        "FP32", "19.88", "21.50", "100.0", "THROUGHPUT", "2", "-", "2", "1", "1002 in 10.0",
    ]  # fmt: skip
    assert rows["Output prob"][2] == "[1, 2622] f32"
    assert "wrong class count" in page.read_text()
    models = json.loads((site / "models.json").read_text())["models"]
    vgg = next(model for model in models if model["name"] == "vgg-face")
    assert {(v["device"], v["status"]) for v in vgg["validation"]} == {
        ("CPU", "failed"),
        ("GPU", "passed"),
    }


def test_unreadable_report_is_a_one_line_build_error(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    shutil.copytree(ROOT / "model_cards" / "vgg-face", cards / "vgg-face")
    (tmp_path / "bad.json").write_text("{not json")
    config = site_config(tmp_path, cards, results=[str(tmp_path / "bad.json")])
    built = mkdocs_build(config, tmp_path / "site")
    assert built.returncode == 1
    assert f"{tmp_path / 'bad.json'}: not a validation report" in built.stderr
    assert "Traceback" not in built.stderr


def real_card(tmp_path: Path) -> Path:
    """A copy of a shipped real-model card with the IR that `make models` converted."""
    source = ROOT / "model_cards" / "squeezenet1.1-light"
    assert (source / "FP32" / "squeezenet1.1-light.xml").is_file(), "run `make models` first"
    cards = tmp_path / "cards"
    shutil.copytree(source, cards / source.name)
    return cards


def test_build_validates_real_ir_and_shows_it(tmp_path: Path) -> None:
    cards = real_card(tmp_path)
    cache = str(tmp_path / "cache")
    config = site_config(tmp_path, cards, validation=True, cache=cache, convention="full")
    built = mkdocs_build(config, tmp_path / "site")
    assert built.returncode == 0, built.stderr
    page = tmp_path / "site" / "models" / "squeezenet1.1-light" / "index.html"
    rows = table_rows(page)
    cpu = next(row for key, row in rows.items() if key.startswith("CPU"))
    assert cpu[1:3] == ["FP32", "✔ runs (placeholder weights)"]  # a demo model: not green
    assert rows["GFLOPs"][1] == "0.709" and rows["GFLOPs"][2].startswith("0.70")
    headers = [table[0] for table in html_tables(page)]
    assert ["Figure", "Documented", "Measured (CPU FP32, full convention)"] in headers
    # where the GFLOPs go: 26 convolutions hold the filters, their bias Adds the rest
    assert rows["Convolution"][1] == "26" and rows["Convolution"][4] == "1.2316"
    assert rows["Add"][4] == "0.0039"
    assert float(rows["Convolution"][3].rstrip("%")) > 90
    assert rows["ReduceMean (no cost rule: counted as 0)"][1:] == ["1", "-", "-", "-"]
    assert rows["Input data_0"][1:] == ["[1, 3, 224, 224] f32", "[1, 3, 224, 224] f32"]
    matrix = html_tables(tmp_path / "site" / "devices" / "index.html")[0]
    assert matrix[1] == ["squeezenet1.1-light", "✔ passed FP32"]


def test_build_refuses_a_card_its_ir_contradicts(tmp_path: Path) -> None:
    cards = real_card(tmp_path)
    yml = cards / "squeezenet1.1-light" / "model.yml"
    yml.write_text(yml.read_text().replace("gflops: 0.709", "gflops: 1.418"))
    config = site_config(tmp_path, cards, validation=True, cache=str(tmp_path / "cache"))
    built = mkdocs_build(config, tmp_path / "site")
    assert built.returncode == 1
    line = next(line for line in built.stderr.splitlines() if "gflops" in line)
    assert f"{yml}:" in line and "1.418" in line and "0.709" in line
    assert "Traceback" not in built.stderr
    assert not (tmp_path / "site").exists()
