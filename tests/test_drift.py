"""`zoo drift`: an OMZ-shaped index and pages written here disagree in every way we diagnose."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.cli import main

OMZ_LICENSE = "https://raw.githubusercontent.com/openvinotoolkit/open_model_zoo/master/LICENSE"

# model -> (README GFLOPs, README MParams); None: the page has no such row
PAGES = {
    "same-0001": ("1.500", "2.000"),
    "macs-0001": ("3.0", "4.0"),
    "half-0001": ("8.0", "1.0"),
    "swap-0001": ("1.41", "2.71"),
    "round-0001": ("5.7287", "7.9714"),
    "range-0001": ("5.7287", "7.9714"),
    "shift-0001": ("16.062", "0.030"),
    "gone-0001": (None, "1.0"),
    "blank-0001": ("2.0", "3.0"),
    "far-0001": ("849.9109", "60.0"),
}
INDEX = """# Intel models

| Model Name | Complexity (GFLOPs) | Size (Mp) |
|------------|---------------------|-----------|
| [same-0001](./same-0001/README.md) | 1.500 | 2.000 |
| [macs-0001](./macs-0001/README.md) | 6.0 | 4.0 |
| [half-0001](./half-0001/README.md) | 4.0 | 1.0 |
| [swap-0001](./swap-0001/README.md) | 2.71 | 1.41 |
| [round-0001](./round-0001/README.md) | 5.729 | 7.971 |
| [range-0001](./range-0001/README.md) | 5.723~5.7287 | 7.9714 |
| [shift-0001](./shift-0001/README.md) | 30.97 | 16.062 | 0.030 |
| [gone-0001](./gone-0001/README.md) | 2.5 | 1.0 |
| [blank-0001](./blank-0001/README.md) |  | 3.0 |
| [far-0001](./far-0001/README.md) | 364.21 | 60.0 |
"""


def page(name: str, gflops: str | None, mparams: str | None) -> str:
    rows = "".join(
        f"| {label} | {value} |\n"
        for label, value in (("GFlops", gflops), ("MParams", mparams))
        if value
    )
    return f"# {name}\n\n## Specification\n\n| Metric | Value |\n|---|---|\n{rows}"


@pytest.fixture
def omz(tmp_path: Path) -> Path:
    intel = tmp_path / "omz" / "models" / "intel"
    for name, (gflops, mparams) in PAGES.items():
        folder = intel / name
        folder.mkdir(parents=True)
        (folder / "model.yml").write_text(
            f"task_type: detection\nframework: dldt\nlicense: {OMZ_LICENSE}\n"
            "input_info: [{name: x, shape: [1, 3, 8, 8], layout: NCHW}]\n"
        )
        (folder / "README.md").write_text(page(name, gflops, mparams))
    (intel / "index.md").write_text(INDEX)
    return tmp_path / "omz"


def drift(capsys, *args: str) -> tuple[int, list[dict], str]:
    code = main(["drift", *args, "--format", "json"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, json.loads(captured.out), captured.err


def test_every_disagreement_with_both_values_ratio_and_diagnosis(
    omz: Path, tmp_path: Path, capsys
) -> None:
    code, found, err = drift(capsys, "--against", str(omz), "--cards", str(tmp_path / "none"))
    assert code == 1 and len(err.splitlines()) == 1
    by = {(d["model"], d["field"]): d for d in found}
    assert ("same-0001", "gflops") not in by and ("same-0001", "mparams") not in by
    macs = by[("macs-0001", "gflops")]
    assert (macs["left_value"], macs["right_value"]) == ("6.0", "3.0")
    assert macs["ratio"] == pytest.approx(2.0) and macs["diagnosis"] == "MACs vs FLOPs (x2)"
    assert macs["left_where"] == "models/intel/index.md:6"
    assert macs["right_where"] == "models/intel/macs-0001/README.md:7"
    assert by[("half-0001", "gflops")]["diagnosis"] == "MACs vs FLOPs (x0.5)"
    assert by[("swap-0001", "gflops")]["kind"] == "swapped"
    assert by[("swap-0001", "mparams")]["kind"] == "swapped"
    assert by[("round-0001", "gflops")]["diagnosis"] == "rounding only"
    assert by[("range-0001", "gflops")]["diagnosis"] == "range (the other value inside it)"
    assert ("range-0001", "mparams") not in by
    assert by[("shift-0001", "gflops")]["kind"] == "shifted"
    assert by[("gone-0001", "gflops")]["diagnosis"] == "missing on the right side"
    assert by[("blank-0001", "gflops")]["diagnosis"] == "missing on the left side"
    far = by[("far-0001", "gflops")]
    assert far["diagnosis"] == "differs by 57.1%" and far["ratio"] == pytest.approx(0.4285, 1e-3)


def test_cards_are_compared_with_the_pages(omz: Path, tmp_path: Path, capsys) -> None:
    cards = tmp_path / "cards"
    assert main(["import", "omz", str(omz), "--into", str(cards)]) == 0
    yml = cards / "far-0001" / "model.yml"
    yml.write_text(yml.read_text().replace("gflops: 849.9109", "gflops: 364.21"))
    capsys.readouterr()
    code, found, _ = drift(capsys, "--against", str(omz), "--cards", str(cards))
    assert code == 1
    from_cards = [d for d in found if d["left"] == "card"]
    assert [(d["model"], d["field"], d["left_value"], d["right_value"]) for d in from_cards] == [
        ("far-0001", "gflops", "364.21", "849.9109")
    ]
    assert from_cards[0]["left_where"].endswith("far-0001/model.yml:9")


def test_text_and_github_formats(omz: Path, tmp_path: Path, capsys) -> None:
    assert main(["drift", "--against", str(omz), "--cards", str(tmp_path / "none")]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert any(
        line.startswith("models/intel/index.md:6:1: drift-MACs macs-0001 gflops: index 6.0 vs")
        for line in lines
    )
    main(["drift", "--against", str(omz), "--format", "github", "--cards", str(tmp_path / "x")])
    out = capsys.readouterr().out.splitlines()
    assert all(line.startswith("::warning file=models/intel/index.md,line=") for line in out)


def test_a_missing_source_is_one_line(tmp_path: Path, capsys) -> None:
    assert main(["drift", "--against", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "source folder not found" in err[0]
