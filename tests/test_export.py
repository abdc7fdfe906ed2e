"""`zoo export hf` and `zoo export pwc`: huggingface_hub's own card parser reads every
published figure back; the Papers-with-Code index as YAML; card text stays data; bad input: 1 line.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from huggingface_hub import ModelCard
from markdown_it import MarkdownIt

from conftest import write_card
from generator.cli import main

HOSTILE = (
    "x\n---\nlicense: mit\n<script>alert(1)</script> {{ 7*7 }} !!python/object &a *a |"
    " é ü 中"  # `zoo check` refuses invisible characters (NEL, U+2028, bidi) before any export
)

CARD = """\
name: det-0001
task: detection
tags: [person]
description: |
  Finds people. <img src=x onerror=alert(1)> [click](https://example.org/x)
  ---
  pipeline_tag: hacked
framework: pytorch
license: GPL-3.0-only
complexity: {gflops: 2.300, mparams: 0.0003}
accuracy:
  - {metric: AP, value: 88.5, unit: '%', dataset: COCO val2017}
  - {metric: AP50, value: 95.25, unit: '%', dataset: COCO val2017}
  - {metric: 'miss rate', value: 0.12, better: lower, dataset: Caltech}
  - {metric: recall, value: 0.9}
inputs:
  - {name: image, shape: [1, 3, 320, 544], layout: NCHW, type: f32}
outputs:
  - {name: boxes, shape: [1, 1, '?', 7], type: f32}
citations:
  - {title: A detector, year: 2020, url: 'https://example.org/paper'}
homepage: https://example.org/det
"""


@pytest.fixture
def cards(tmp_path: Path) -> Path:
    cards = tmp_path / "cards"
    write_card(cards, "det-0001", CARD)
    write_card(
        cards,
        "odd-0001",
        "name: odd-0001\ntask: image_processing\ndescription: Odd.\n"
        "license: {id: LicenseRef-upstream, url: 'https://example.org/license'}\n"
        "complexity: {gflops: 1}\n"
        f"accuracy:\n  - metric: {json.dumps(HOSTILE)}\n"
        f"    value: 1.5\n    dataset: {json.dumps(HOSTILE + ' set')}\n",
    )
    write_card(cards, "bare-0001", "name: bare-0001\ntask: time_series\ndescription: Bare.\n")
    return cards


def export(capsys, *args: str) -> tuple[int, str]:
    code = main(["export", *args])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def rendered(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(markdown)


def figures(card: ModelCard) -> set[tuple[str, str, str, float]]:
    return {
        (r.task_type, r.dataset_name, r.metric_name, r.metric_value)
        for r in card.data.eval_results or []
    }


def test_hf_cards_read_back_by_huggingface_hub(cards: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "hf"
    code, err = export(capsys, "hf", "--cards", str(cards), "--out", str(out))
    assert code == 0 and len(err.splitlines()) == 1 and "3 Hugging Face" in err
    card = ModelCard.load(out / "det-0001" / "README.md")  # a local file: parsed offline
    data = card.data
    assert (data.license, data.library_name, data.pipeline_tag) == (
        "gpl-3.0",
        "openvino",
        "object-detection",
    )
    assert data.tags == ["openvino", "person", "detection"]
    assert data.datasets == ["COCO val2017", "Caltech"]
    assert data.model_name == "det-0001"
    assert figures(card) == {
        ("object-detection", "COCO val2017", "AP (%)", 88.5),
        ("object-detection", "COCO val2017", "AP50 (%)", 95.25),
        ("object-detection", "Caltech", "miss rate", 0.12),
        ("object-detection", "Unnamed dataset", "recall", 0.9),
        ("object-detection", "Model complexity", "GFLOPs", 2.3),
        ("object-detection", "Model complexity", "MParams", 0.0003),
    }
    assert {r.metric_type for r in data.eval_results} >= {"ap", "ap50", "gflops", "mparams"}
    # the body is text: rendered as GitHub and the Hub do (CommonMark, raw HTML on), the
    # description yields no tag and no link, only its characters
    html = rendered(card.text)
    assert "<img" not in html and "<a " not in html and "<hr" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; [click](https://example.org/x)" in html
    assert "pipeline_tag: hacked" in html
    assert "<td>[1, 1, ?, 7]</td>" in html and "<td>88.5</td>" in html


def test_hostile_card_text_stays_data(cards: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "hf"
    assert (
        export(capsys, "hf", "odd-0001", "bare-0001", "--cards", str(cards), "--out", str(out))[0]
        == 0
    )
    card = ModelCard.load(out / "odd-0001" / "README.md")
    assert (card.data.license, card.data.license_name) == ("other", "licenseref-upstream")
    assert card.data.license_link == "https://example.org/license"
    assert card.data.pipeline_tag == "image-to-image"
    assert figures(card) == {
        ("image-to-image", HOSTILE + " set", HOSTILE, 1.5),
        ("image-to-image", "Model complexity", "GFLOPs", 1.0),
    }
    assert "<script" not in rendered(card.text)
    bare = ModelCard.load(out / "bare-0001" / "README.md")
    assert bare.data.eval_results is None and bare.data.license is None
    assert bare.data.pipeline_tag == "time-series-forecasting"


def test_pwc_model_index(cards: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "index" / "model-index.yml"
    code, err = export(
        capsys, "pwc", "det-0001", "odd-0001", "--cards", str(cards), "--out", str(out)
    )
    assert code == 0 and "2 model(s)" in err
    models = {model["Name"]: model for model in yaml.safe_load(out.read_text())["Models"]}
    det = models["det-0001"]
    assert det["Metadata"] == {
        "FLOPs": 2_300_000_000,
        "Parameters": 300,
        "Framework": "pytorch",
        "License": "GPL-3.0-only",
    }
    assert det["Results"] == [
        {
            "Task": "Object Detection",
            "Dataset": "COCO val2017",
            "Metrics": {"AP (%)": 88.5, "AP50 (%)": 95.25},
        },
        {"Task": "Object Detection", "Dataset": "Caltech", "Metrics": {"miss rate": 0.12}},
        {"Task": "Object Detection", "Dataset": "Unnamed dataset", "Metrics": {"recall": 0.9}},
    ]
    assert det["Paper"] == {"Title": "A detector", "URL": "https://example.org/paper"}
    assert det["README"] == "https://example.org/det"
    odd = models["odd-0001"]["Results"][0]
    assert odd["Dataset"] == HOSTILE + " set" and odd["Metrics"] == {HOSTILE: 1.5}


def test_exports_are_replaced_whole(cards: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "index.yml"
    out.write_text("old " * 10_000)
    os.chmod(out, 0o640)
    assert export(capsys, "pwc", "bare-0001", "--cards", str(cards), "--out", str(out))[0] == 0
    assert yaml.safe_load(out.read_text()) == {"Models": [{"Name": "bare-0001"}]}
    assert out.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("kind", ["hf", "pwc"])
def test_unknown_model_is_one_line(cards: Path, tmp_path: Path, capsys, kind: str) -> None:
    out = tmp_path / "out"
    code, err = export(capsys, kind, "det-001", "--cards", str(cards), "--out", str(out))
    assert code == 2 and err.splitlines() == [
        "zoo: error: unknown model 'det-001' (did you mean 'det-0001'?)"
    ]
    assert not out.exists()


def test_outputs_are_confined(cards: Path, tmp_path: Path, capsys) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "hf"
    out.mkdir()
    (out / "det-0001").symlink_to(elsewhere)
    code, err = export(capsys, "hf", "det-0001", "--cards", str(cards), "--out", str(out))
    assert code == 2 and len(err.splitlines()) == 1 and "symlink" in err
    assert list(elsewhere.iterdir()) == []
    link = tmp_path / "hf-link"
    link.symlink_to(elsewhere)
    assert export(capsys, "hf", "--cards", str(cards), "--out", str(link))[0] == 2
    target = tmp_path / "target.yml"
    target.write_text("kept")
    (tmp_path / "index.yml").symlink_to(target)
    code, err = export(capsys, "pwc", "--cards", str(cards), "--out", str(tmp_path / "index.yml"))
    assert code == 2 and "symlink" in err and target.read_text() == "kept"
    code, err = export(capsys, "pwc", "--cards", str(cards), "--out", str(out))
    assert code == 2 and len(err.splitlines()) == 1 and "folder" in err
    (tmp_path / "file").write_text("")
    assert export(capsys, "hf", "--cards", str(cards), "--out", str(tmp_path / "file"))[0] == 2


def test_broken_cards_export_nothing(cards: Path, tmp_path: Path, capsys) -> None:
    write_card(cards, "bad-0001", "name: bad-0001\ntask: detection\n")  # no description
    out = tmp_path / "hf"
    code, err = export(capsys, "hf", "--cards", str(cards), "--out", str(out))
    assert code == 1 and "nothing exported" in err and not out.exists()
    missing = tmp_path / "none"
    code, err = export(capsys, "pwc", "--cards", str(missing), "--out", str(tmp_path / "x.yml"))
    assert code == 2 and len(err.splitlines()) == 1
