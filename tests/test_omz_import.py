"""`zoo import omz`: small OMZ-shaped trees written here (never OMZ's own files) -> cards."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from generator.authoring.omz_readme import parse_readme
from generator.cli import main

SHA = "ab" * 48


OMZ_LICENSE = "https://raw.githubusercontent.com/openvinotoolkit/open_model_zoo/master/LICENSE"


def model_yml(
    name: str, task: str = "detection", framework: str = "dldt", files=None, license=OMZ_LICENSE
) -> str:
    if files is None:
        files = [
            f"{p}/{name}.{ext}" for p in ("FP32", "FP16", "FP16-INT8") for ext in ("xml", "bin")
        ]
    entries = "".join(
        f"  - name: {f}\n    size: 1234\n    checksum: {SHA}\n"
        f"    source: https://example.org/{name}/{f}\n"
        for f in files
    )
    return (
        "# a licence header\n"
        f"description: >-\n  Prose that must not be copied.\ntask_type: {task}\n"
        f"files:\n{entries}input_info:\n  - name: image\n    shape: [1, 3, 64, 64]\n"
        f"    layout: NCHW\nframework: {framework}\n"
        f"license: {license}\n"
    )


DETECTOR_README = """# demo-detector-0001

## Use Case and High-Level Description

Prose that must not be copied.

## Specification

| Metric                          | Value       |
|---------------------------------|-------------|
| AP ([WIDER](https://example.org)) | 86.5%     |
| GOps                            | 1.25        |
| MParams                         | 0.5         |
| Source framework                | PyTorch\\*  |

## Inputs

Image, name: `image`, shape: `1, 3, 64, 64` in the format `B, C, H, W`, where:

Expected color order: `BGR`.

## Outputs

The net outputs blob with shape: `1, 1, num_priors*4, 7` in the format `1, 1, N, 7`.
"""

CLASSIFIER_README = """# demo-classifier

## Specification

| Metric            | Value         |
|-------------------|---------------|
| Type              | Classification|
| GFLOPs            | 2.300         |
| MParams           | 3.5~3.6       |

## Accuracy

| Metric | Original model | Converted model |
|--------|----------------|-----------------|
| Top 1  | 71.9%          | 71.8%           |
| WER @ LibriSpeech test-clean | 5.1% | 5.2% |

## Input

### Original model

Image, name - `data`,  shape - `-1, 3, 224, 224`, format is `B, C, H, W`, where:

Channel order is `RGB`.

### Converted model

Image, name - `data`,  shape - `1, 3, 224, 224`, format is `B, C, H, W`, where:

## Output

### Original model

Scores, name - `prob`,  shape - `1, 1000`, output data format is `B, C`.

### Converted Model

The converted model has the same parameters as the original model.
"""

COMPOSITE_README = """# demo-pair-0001 (composite)

## Composite model specification

| Metric           | Value      |
|------------------|------------|
| Source framework | PyTorch\\* |

## Encoder model specification

| Metric  | Value |
|---------|-------|
| GFlops  | 7.5   |
| MParams | 21.0  |

### Inputs

Image, name: `image`, shape: `1, 3, 64, 64` in the format `B, C, H, W`.

### Outputs

The model outputs a tensor with the shape `1, 512`.

## Decoder model specification

| Metric  | Value |
|---------|-------|
| GFLOPS  | 0.25  |
| MParams | 4.0   |

### Inputs

An embedding, name: `image`, shape: `1, 16, 512` in the format `B, T, C`.

### Outputs

The model outputs a tensor with the shape `1, 400`.
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def omz(tmp_path: Path) -> Path:
    """An OMZ-shaped checkout: an intel detector, a public classifier and an intel composite."""
    root = tmp_path / "omz"
    intel, public = root / "models" / "intel", root / "models" / "public"
    write(intel / "demo-detector-0001" / "model.yml", model_yml("demo-detector-0001"))
    write(intel / "demo-detector-0001" / "README.md", DETECTOR_README)
    write(
        public / "demo-classifier" / "model.yml",
        model_yml(
            "demo-classifier",
            "background_matting",
            "pytorch",
            ["weights/demo.pth"],
            "https://example.org/LICENSE",
        ),
    )
    write(public / "demo-classifier" / "README.md", CLASSIFIER_README)
    pair = intel / "demo-pair-0001"
    write(
        pair / "composite-model.yml",
        "description: x\ntask_type: action_recognition\nframework: dldt\n"
        "stages_order: [demo-pair-0001-encoder, demo-pair-0001-decoder]\n"
        "license: https://example.org/LICENSE\n",
    )
    write(pair / "README.md", COMPOSITE_README)
    for part in ("encoder", "decoder"):
        name = f"demo-pair-0001-{part}"
        write(pair / name / "model.yml", model_yml(name, "action_recognition"))
    return root


def run(capsys, *args: str) -> tuple[int, list[str]]:
    code = main(["import", "omz", *args])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err.splitlines()


def card(cards: Path, name: str) -> dict:
    return yaml.safe_load((cards / name / "model.yml").read_text(encoding="utf-8"))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_import_maps_model_yml_and_readme(omz: Path, tmp_path: Path, capsys) -> None:
    cards = tmp_path / "cards"
    code, err = run(capsys, str(omz), "--into", str(cards))
    assert code == 0, err
    assert len(err) == 1 and "4 model(s) read, 5 card(s) written" in err[0]
    detector = card(cards, "demo-detector-0001")
    assert detector["description"] == (
        "Imported from Open Model Zoo: models/intel/demo-detector-0001/README.md."
    )
    assert detector["task"] == "detection" and detector["framework"] == "dldt"
    assert detector["license"]["id"] == "Apache-2.0"
    assert detector["complexity"] == {"gflops": 1.25, "mparams": 0.5}
    assert detector["accuracy"] == [
        {"metric": "AP", "value": 86.5, "unit": "%", "dataset": "WIDER"}
    ]
    assert detector["inputs"] == [
        {"name": "image", "shape": [1, 3, 64, 64], "layout": "NCHW", "color_order": "BGR"}
    ]
    assert detector["outputs"] == [{"shape": [1, 1, "?", 7]}]
    assert detector["ir"] == {
        "FP32": "FP32-demo-detector-0001.xml",  # the files' names: `zoo fetch` writes them
        "FP16": "FP16-demo-detector-0001.xml",
        "FP16-INT8": "FP16-INT8-demo-detector-0001.xml",
    }
    first = detector["files"][0]
    assert first == {
        "name": "FP32-demo-detector-0001.xml",
        "size": 1234,
        "sha384": SHA,
        "url": "https://example.org/demo-detector-0001/FP32/demo-detector-0001.xml",
    }
    classifier = card(cards, "demo-classifier")
    assert classifier["task"] == "image_processing"  # background_matting through the table
    assert classifier["license"]["id"] == "LicenseRef-upstream"
    assert "ir" not in classifier
    text = (cards / "demo-classifier" / "model.yml").read_text()
    assert "gflops: 2.300" in text  # the digits as the page writes them
    assert classifier["complexity"]["mparams"] == 3.5  # a range: first value, reported
    assert classifier["accuracy"] == [
        {"metric": "Top 1", "value": 71.8, "unit": "%"},
        {
            "metric": "WER",
            "value": 5.2,
            "unit": "%",
            "dataset": "LibriSpeech test-clean",
            "better": "lower",
        },
    ]
    assert classifier["original"]["inputs"][0]["shape"] == ["?", 3, 224, 224]
    assert classifier["original"]["inputs"][0]["color_order"] == "RGB"
    assert classifier["outputs"] == classifier["original"]["outputs"]  # "same parameters as"
    pair = card(cards, "demo-pair-0001")
    assert pair["parts"] == ["demo-pair-0001-decoder", "demo-pair-0001-encoder"]
    encoder = card(cards, "demo-pair-0001-encoder")
    decoder = card(cards, "demo-pair-0001-decoder")
    assert encoder["part_of"] == decoder["part_of"] == "demo-pair-0001"
    assert encoder["complexity"] == {"gflops": 7.5, "mparams": 21.0}
    assert decoder["complexity"] == {"gflops": 0.25, "mparams": 4.0}
    assert decoder["outputs"] == [{"shape": [1, 400]}]
    for name in ("demo-detector-0001", "demo-classifier", "demo-pair-0001-encoder"):
        assert "must not be copied" not in (cards / name / "model.yml").read_text()
    assert main(["check", "--cards", str(cards)]) == 0


def test_report_lists_heuristics_and_conflicts_with_file_and_line(
    omz: Path, tmp_path: Path, capsys
) -> None:
    cards = tmp_path / "cards"
    run(capsys, str(omz), "--into", str(cards))
    report = json.loads((cards / ".omz-import" / "report.json").read_text())
    entries = report["entries"]

    def find(model: str, field: str, words: str) -> dict:
        hits = [
            e
            for e in entries
            if e["model"] == model and e["field"] == field and words in e["message"]
        ]
        assert hits, (model, field, words, [e for e in entries if e["model"] == model])
        return hits[0]

    gops = find("demo-detector-0001", "complexity.gflops", "'GOps' read as GFLOPs")
    assert gops["source"] == "models/intel/demo-detector-0001/README.md" and gops["line"] == 12
    find("demo-detector-0001", "accuracy", "in the spec table")
    find("demo-detector-0001", "accuracy", "on dataset WIDER")
    find("demo-detector-0001", "outputs", "'num_priors*4'")
    find("demo-detector-0001", "files", "flattened")
    find("demo-classifier", "complexity.mparams", "range")
    find("demo-classifier", "task", "'background_matting' mapped to 'image_processing'")
    find("demo-classifier", "license", "LicenseRef-upstream")
    find("demo-classifier", "outputs", "copied from original")
    find("demo-classifier", "original.inputs", "'-1'")
    assert find("demo-classifier", "task", "mapped")["source"].endswith("model.yml")
    markdown = (cards / ".omz-import" / "report.md").read_text()
    assert "## demo-classifier" in markdown and "demo-detector-0001/README.md:12" in markdown


@pytest.mark.parametrize(
    ("label", "value", "expected"),
    [
        ("GFlops", "1.5", 1.5),
        ("GFLOPs", "1.5", 1.5),
        ("GFLOPS", "1.5", 1.5),
        ("GOps", "1.5", 1.5),
        ("GOPs", "1.5", 1.5),
        ("GFlops per audio frame", "1.5", 1.5),
        ("GFlops per second of audio", "1.5", 1.5),
        ("fp32 conv MFlops", "1500", 1.5),
    ],
)
def test_compute_row_spellings(label: str, value: str, expected: float) -> None:
    page = f"# m\n\n## Specification\n\n| Metric | Value |\n|---|---|\n| {label} | {value} |\n"
    spec = parse_readme(page)
    assert spec.gflops is not None and float(spec.gflops.value) == expected
    assert spec.gflops.line == 7
    if label != "GFLOPs":
        assert any(label in note.message for note in spec.notes)


@pytest.mark.parametrize(
    "phrase",
    [
        "The converted model has the same parameters as the original model.",
        "Converted model outputs are the same as in the original model.",
        "Same as for the original model.",
        "Identical to the original model.",
        "Outputs are the same as in the original model.",
        "Converted model has the same output like original.",
    ],
)
def test_same_as_original_phrasings(phrase: str) -> None:
    page = (
        "# m\n\n## Output\n\n### Original model\n\nScores, name: `prob`, shape: `1, 10`.\n\n"
        f"### Converted model\n\n{phrase}\n"
    )
    spec = parse_readme(page)
    assert [t.shape for t in spec.outputs] == [[1, 10]] and spec.outputs[0].name == "prob"
    assert any("copied from original" in note.message for note in spec.notes)


@pytest.mark.parametrize(
    ("text", "dims"),
    [
        ("1, 3, 1200, 1200", [1, 3, 1200, 1200]),
        ("[1x3x224x224]", [1, 3, 224, 224]),
        ("-1, 3", ["?", 3]),
        ("1, num_priors*4", [1, "?"]),
        ("B, 3, H, W", ["B", 3, "H", "W"]),
    ],
)
def test_shapes_written_as_text(text: str, dims: list) -> None:
    spec = parse_readme(f"# m\n\n## Inputs\n\nImage, name: `x`, shape: `{text}`.\n")
    assert spec.inputs[0].shape == dims


def test_a_tensor_given_by_its_format_alone() -> None:
    """No shape, a format of letters: the letters are its symbolic dims, reported."""
    page = (
        "# m\n\n## Outputs\n\n1. Boxes, name: `boxes`, in format `B, H, W, A`, where:\n"
        "2. Scores, name: `scores`, in format `B, C`.\n"
        "3. Heatmap, name: `heat`. Contains centers.\n"  # no shape, no format: not a tensor
        "4. Again, name: `boxes`, in format `B, N`; shape: `1, 100`.\n"
    )
    spec = parse_readme(page)
    assert [(t.name, t.shape, t.layout) for t in spec.outputs] == [
        ("scores", ["B", "C"], "BC"),
        ("boxes", [1, 100], None),
    ]
    assert any("no shape for `scores`" in note.message for note in spec.notes)


def test_second_run_on_unchanged_source_changes_nothing(omz: Path, tmp_path: Path, capsys) -> None:
    cards = tmp_path / "cards"
    run(capsys, str(omz), "--into", str(cards))
    before = snapshot(cards)
    code, err = run(capsys, str(omz), "--into", str(cards))
    assert code == 0 and "0 card(s) written, 5 unchanged" in err[0]
    assert snapshot(cards) == before


def test_changed_source_updates_imported_fields_and_keeps_hand_edits(
    omz: Path, tmp_path: Path, capsys
) -> None:
    cards = tmp_path / "cards"
    run(capsys, str(omz), "--into", str(cards))
    yml = cards / "demo-detector-0001" / "model.yml"
    text = yml.read_text()
    text = text.replace(
        "description: 'Imported from Open Model Zoo: models/intel/demo-detector-0001/README.md.'",
        "description: A face detector we describe ourselves.  # kept by hand",
    )
    text = text.replace("task: detection\n", "task: detection\ntags: [face]  # our tag\n")
    text += "year: 2020\n"
    yml.write_text(text)
    readme = omz / "models" / "intel" / "demo-detector-0001" / "README.md"
    readme.write_text(readme.read_text().replace("| 1.25 ", "| 1.75 "))
    code, err = run(capsys, str(omz), "--into", str(cards))
    assert code == 0, err
    after = yml.read_text()
    assert "complexity: {gflops: 1.75, mparams: 0.5}" in after
    assert "description: A face detector we describe ourselves.  # kept by hand" in after
    assert "tags: [face]  # our tag" in after and after.endswith("year: 2020\n")
    assert main(["check", "--cards", str(cards)]) == 0
    report = json.loads((cards / ".omz-import" / "report.json").read_text())
    kept = [e for e in report["entries"] if e["kind"] == "kept"]
    assert [(e["model"], e["field"]) for e in kept] == [("demo-detector-0001", "description")]
    # once more: nothing changes
    before = snapshot(cards)
    run(capsys, str(omz), "--into", str(cards))
    assert snapshot(cards) == before


def test_only_imports_the_named_models_and_a_composites_parts(
    omz: Path, tmp_path: Path, capsys
) -> None:
    cards = tmp_path / "cards"
    code, _ = run(capsys, str(omz), "--into", str(cards), "--only", "demo-pair-0001")
    assert code == 0
    assert sorted(p.name for p in cards.iterdir() if not p.name.startswith(".")) == [
        "demo-pair-0001", "demo-pair-0001-decoder", "demo-pair-0001-encoder",
    ]  # fmt: skip
    code, err = run(capsys, str(omz), "--into", str(cards), "--only", "nope")
    assert code == 2 and "--only nope: no such model" in err[0]


def test_missing_folder_is_one_line(tmp_path: Path, capsys) -> None:
    code, err = run(capsys, str(tmp_path / "nowhere"), "--into", str(tmp_path / "cards"))
    assert code == 2 and len(err) == 1 and "source folder not found" in err[0]
    (tmp_path / "empty").mkdir()
    code, err = run(capsys, str(tmp_path / "empty"), "--into", str(tmp_path / "cards"))
    assert code == 2 and len(err) == 1 and "not an OMZ checkout" in err[0]


def test_the_models_folder_itself_is_accepted(omz: Path, tmp_path: Path, capsys) -> None:
    code, err = run(capsys, str(omz / "models"), "--into", str(tmp_path / "cards"))
    assert code == 0 and "4 model(s) read" in err[0]


def test_bad_sources_are_report_entries(omz: Path, tmp_path: Path, capsys) -> None:
    intel = omz / "models" / "intel"
    write(intel / "broken-0001" / "model.yml", "files: [\n  - name: x\n")
    write(intel / "list-0001" / "model.yml", "- just a list\n")
    write(intel / "huge-0001" / "model.yml", model_yml("huge-0001"))
    write(intel / "huge-0001" / "README.md", "# x\n" + "a" * (2 << 20))
    outside = write(tmp_path / "secret" / "model.yml", model_yml("secret-0001"))
    os.symlink(outside.parent, intel / "linked-0001")
    write(intel / "ctrl-0001" / "model.yml", model_yml("ctrl-0001"))
    write(
        intel / "ctrl-0001" / "README.md",
        "## Outputs\n\nScores, name: `a\x1b[31m\u202eb`, shape: `1, 2`.\n",
    )
    write(intel / "readme-link-0001" / "model.yml", model_yml("readme-link-0001"))
    os.symlink(
        write(tmp_path / "secret.md", "# secret\n"), intel / "readme-link-0001" / "README.md"
    )
    cards = tmp_path / "cards"
    code, err = run(capsys, str(omz), "--into", str(cards))
    assert code == 1 and len(err) == 1
    entries = json.loads((cards / ".omz-import" / "report.json").read_text())["entries"]
    by_model = {}
    for entry in entries:
        by_model.setdefault(entry["model"], []).append(entry)
    assert by_model["broken-0001"][0]["kind"] == "error"
    assert by_model["broken-0001"][0]["line"] >= 2
    assert "not a YAML mapping" in by_model["list-0001"][0]["message"]
    assert any("over the" in e["message"] for e in by_model["huge-0001"])
    assert any("symlink" in e["message"] for e in by_model["linked-0001"])
    assert any("symlink" in e["message"] for e in by_model["readme-link-0001"])
    assert not (cards / "broken-0001").exists() and not (cards / "linked-0001").exists()
    assert (cards / "huge-0001" / "model.yml").exists()  # imported without its page
    assert "secret" not in json.dumps(card(cards, "readme-link-0001"))
    assert card(cards, "ctrl-0001")["outputs"] == [{"name": "a[31mb", "shape": [1, 2]}]
    assert main(["check", "--cards", str(cards)]) == 0


def test_a_card_folder_that_is_a_symlink_is_not_written_through(
    omz: Path, tmp_path: Path, capsys
) -> None:
    cards = tmp_path / "cards"
    cards.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, cards / "demo-classifier")
    code, _err = run(capsys, str(omz), "--into", str(cards))
    assert code == 1
    assert list(elsewhere.iterdir()) == []


def test_the_import_benchmark_runs_on_a_tree(omz: Path) -> None:
    """bench/omz_import.py on a small OMZ-shaped tree (on ../shared/omz when `make bench` runs)."""
    done = subprocess.run(
        [sys.executable, ROOT / "bench" / "omz_import.py", omz],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        "models imported" in done.stdout
        and "skipped" not in done.stdout
        and "Traceback" not in done.stderr
    )


def test_imported_card_fetches_and_validates(tmp_path: Path, capsys) -> None:
    """`ir:` names the file `zoo fetch` writes: import, fetch (local server), validate (real
    OpenVINO) runs the IR instead of skipping it."""
    import hashlib

    from irs import GFLOPS, MPARAMS, classifier

    from http_server import serve

    xml = classifier(tmp_path / "ir" / "m.xml")
    blobs = {ext: xml.with_suffix(f".{ext}").read_bytes() for ext in ("xml", "bin")}
    with serve() as server:
        entries = ""
        for ext, data in blobs.items():
            server.files[f"/FP32/demo-classifier-0001.{ext}"] = data
            entries += (
                f"  - name: FP32/demo-classifier-0001.{ext}\n    size: {len(data)}\n"
                f"    checksum: {hashlib.sha384(data).hexdigest()}\n"
                f"    source: {server.url(f'/FP32/demo-classifier-0001.{ext}')}\n"
            )
        folder = tmp_path / "omz" / "models" / "intel" / "demo-classifier-0001"
        folder.mkdir(parents=True)
        (folder / "model.yml").write_text(
            "task_type: classification\nframework: dldt\n"
            f"license: {OMZ_LICENSE}\nfiles:\n{entries}"
            "input_info:\n  - {name: image, shape: [1, 3, 64, 64], layout: NCHW}\n"
        )
        (folder / "README.md").write_text(
            "# demo-classifier-0001\n\n## Specification\n\n| Metric | Value |\n|---|---|\n"
            f"| GFlops | {GFLOPS:.6f} |\n| MParams | {MPARAMS:.6f} |\n"
        )
        cards = tmp_path / "cards"
        assert main(["import", "omz", str(tmp_path / "omz"), "--into", str(cards)]) == 0
        card = yaml.safe_load((cards / "demo-classifier-0001" / "model.yml").read_text())
        assert card["ir"] == {"FP32": "FP32-demo-classifier-0001.xml"}
        fetch = ["fetch", "--cards", str(cards), "--cache", str(tmp_path / "files")]
        assert main(fetch) == 0
    report = tmp_path / "report.json"
    validate = ["validate", "--cards", str(cards), "--cache", str(tmp_path / "v"), "--report"]
    assert main([*validate, str(report)]) == 0
    (result,) = json.loads(report.read_text())["results"]
    assert (result["precision"], result["status"]) == ("FP32", "passed")
    assert result["measured_gflops"] == pytest.approx(GFLOPS, rel=1e-3)
    assert "Traceback" not in capsys.readouterr().err
