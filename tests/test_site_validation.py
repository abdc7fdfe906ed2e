"""Validation results on the site: badges, documented vs measured, the device matrix."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

from conftest import ROOT, html_tables, mkdocs_build, site_config, table_rows
from generator.results import (
    Mismatch,
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
    config = site_config(tmp_path, cards)
    config.write_text(
        config.read_text().replace(
            "templates: ",
            f"results: [{tmp_path / 'cpu.json'}, {tmp_path / 'gpu.json'}]\n      templates: ",
        )
    )
    site = tmp_path / "site"
    built = mkdocs_build(config, site)
    assert built.returncode == 0, built.stderr
    matrix = html_tables(site / "devices" / "index.html")[0]
    assert matrix[0] == ["Model", "CPU", "GPU"]
    assert matrix[1] == ["vgg-face", "✘ failed FP32", "✔ passed FP32"]
    page = site / "models" / "vgg-face" / "index.html"
    rows = table_rows(page)
    assert rows["CPU (Test CPU)"][2] == "✘ failed"
    assert rows["MParams"][2] == "138.500"
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
    config = site_config(tmp_path, cards)
    config.write_text(
        config.read_text().replace(
            "templates: ", f"results: [{tmp_path / 'bad.json'}]\n      templates: "
        )
    )
    built = mkdocs_build(config, tmp_path / "site")
    assert built.returncode == 1
    assert f"{tmp_path / 'bad.json'}: not a validation report" in built.stderr
    assert "Traceback" not in built.stderr
