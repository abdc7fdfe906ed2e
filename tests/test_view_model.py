"""The view model: every display value computed once from real cards, and carried as it is by
models.json, models.csv and the page templates."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

from conftest import write_card
from generator.cards.catalog import load_catalog
from generator.site.export import models_csv, models_json
from generator.site.view_model import (
    STATUS_GLYPHS,
    model_page,
    model_view,
    status_glyph,
)
from generator.validation.results import Speed, ValidationResult

CARD = """\
name: {name}
task: detection
description: A detector.
license: Apache-2.0
complexity: {{gflops: 2.300, mparams: 1.50}}
accuracy:
  - {{metric: miss rate, value: 10.0, unit: '%', dataset: Caltech, better: lower}}
  - {{metric: mAP, value: 39.30, unit: '%', dataset: COCO}}
  - {{metric: coco_precision, value: 20.7, unit: '%', dataset: COCO}}
speed:
  - {{value: 12.50, unit: images/s, device: CPU}}
"""
WHEN = datetime(2026, 1, 2, tzinfo=UTC)


def run(device: str, latency: float | None, status: str = "passed") -> ValidationResult:
    speed = None
    if latency is not None:
        speed = Speed(hint="THROUGHPUT", requests=2, seconds=5.0, inferences=500,
                      latency_median_ms=latency, throughput_fps=1000 / latency)  # fmt: skip
    return ValidationResult(
        name="det", precision="FP32", device=device, status=status, checked_at=WHEN, speed=speed
    )


def catalog(tmp_path: Path):
    write_card(tmp_path / "cards", "det", CARD.format(name="det"))
    write_card(tmp_path / "cards", "bare", "name: bare\ntask: detection\ndescription: Bare.\n")
    return load_catalog(tmp_path / "cards")


def test_figures_as_written_and_the_main_metric(tmp_path: Path) -> None:
    source = catalog(tmp_path).by_name["det"]
    view = model_view(source)
    assert (view["gflops"], view["mparams"]) == ("2.300", "1.50")
    # main = first higher-is-better figure (the error rate before it is no accuracy)
    assert (view["main"], view["shown"]) == (1, 1)
    assert view["figures"] == ["10.0%", "39.30%", "20.7%"]
    assert view["license_class"] == "permissive"
    assert view["published_speed"] == ["12.50 images/s (CPU)"]
    assert "speed" not in view  # nothing measured: left out, as every missing value
    bare = model_view(catalog(tmp_path / "b").by_name["bare"])
    assert bare == {"license_class": "unknown"}


def test_measured_speed_is_the_fastest_run(tmp_path: Path) -> None:
    source = catalog(tmp_path).by_name["det"]
    view = model_view(source, [run("CPU", 4.0), run("GPU", 2.5), run("NPU", None)])
    assert view["speed"]["latency_ms"] == 2.5
    assert view["speed"]["text"] == "2.50 ms, 400.0 FPS (GPU FP32)"


def test_status_glyphs_one_source() -> None:
    assert {status: status_glyph(status) for status in STATUS_GLYPHS} == STATUS_GLYPHS
    assert status_glyph("weird") == STATUS_GLYPHS["error"]
    assert model_page("det") == "models/det/index.md"
    assert model_page("det", 2) == "../../models/det/index.md"


def test_models_json_and_csv_carry_the_view(tmp_path: Path) -> None:
    cards = catalog(tmp_path)
    text = models_json(cards, [run("CPU", 4.0)])
    assert "\n" not in text and '": ' not in text  # compact: no indentation, no spaces
    models = {m["name"]: m for m in json.loads(text)["models"]}
    assert models["det"]["view"]["gflops"] == "2.300"
    assert models["det"]["view"]["speed"]["latency_text"] == "4.00"
    assert models["det"]["validation"][0]["glyph"] == "✔"
    assert models["bare"]["view"] == {"license_class": "unknown"}
    rows = {row["name"]: row for row in csv.DictReader(io.StringIO(models_csv(cards.cards)))}
    # the same figure as the catalog's row: mAP, not the error rate listed first
    assert (rows["det"]["metric"], rows["det"]["metric_value"]) == ("mAP", "39.30")
    assert (rows["det"]["metric_better"], rows["det"]["license_class"]) == ("higher", "permissive")
    assert rows["bare"]["metric"] == ""
