"""`zoo drift`: an OMZ-shaped index and pages written here disagree in every way we diagnose."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import html_tables, mkdocs_build, site_config, write_card
from generator.authoring.drift_report import DriftReportError, read_drift_report
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


def card(name: str, gflops: str | None, mparams: str | None) -> str:
    figures = "".join(
        f"  {key}: {value}\n" for key, value in (("gflops", gflops), ("mparams", mparams)) if value
    )
    return f"name: {name}\ntask: detection\ndescription: A test model.\n" + (
        f"complexity:\n{figures}" if figures else ""
    )


def result(name: str, gflops: float | None, mparams: float | None, **extra) -> dict:
    return {
        "name": name,
        "precision": "FP32",
        "device": "CPU",
        "status": "passed",
        "measured_gflops": gflops,
        "measured_mparams": mparams,
        **extra,
    }


@pytest.fixture
def measured(tmp_path: Path) -> tuple[Path, Path]:
    """Cards and a validation report (as `zoo validate --report` writes it) that disagree."""
    cards = tmp_path / "cards"
    # card text: (gflops, mparams)
    for name, figures in {
        "exact-0001": ("1.23", "4.5"),
        "macs-0001": ("3.0", "2.0"),
        "round-0001": ("1.23", "2.0"),
        "bare-0001": (None, "2.0"),
        "far-0001": ("10.0", "2.0"),
        "unmeasured-0001": ("7.0", "2.0"),
        "uncounted-0001": ("7.0", "2.0"),
    }.items():
        write_card(cards, name, card(name, *figures))
    report = tmp_path / "results" / "cpu.json"
    report.parent.mkdir()
    results = [
        result("exact-0001", 1.2341, 4.52),  # the card's figures rounded: no drift
        result("macs-0001", 6.0001, 2.0),
        result("round-0001", 1.2351, 2.0),
        result("bare-0001", 5.5, 2.0),
        result("far-0001", 13.0, 2.0),
        result("not-a-card", 1.0, 1.0),
        result("uncounted-0001", 7.0, None),  # no MParams measured: nothing to compare
    ]
    report.write_text(json.dumps({"version": 1, "results": results}))
    return cards, report


def test_cards_are_compared_with_measured_results(measured, capsys) -> None:
    cards, report = measured
    code, found, err = drift(
        capsys, "--cards", str(cards), "--results", str(report.parent / "*.json")
    )
    assert code == 1 and "6 model(s) measured" in err
    by = {(d["model"], d["field"]): d for d in found}
    assert set(by) == {
        ("macs-0001", "gflops"),
        ("round-0001", "gflops"),
        ("bare-0001", "gflops"),
        ("far-0001", "gflops"),
    }
    assert all((d["left"], d["right"]) == ("card", "measured") for d in found)
    macs = by[("macs-0001", "gflops")]
    assert (macs["left_value"], macs["right_value"]) == ("3.0", "6.000")
    assert macs["diagnosis"] == "MACs vs FLOPs (x0.5)"
    assert macs["left_where"] == f"{cards}/macs-0001/model.yml:5"
    assert macs["right_where"] == f"{report} (FP32, CPU)"
    assert by[("round-0001", "gflops")]["diagnosis"] == "rounding only"
    bare = by[("bare-0001", "gflops")]
    assert bare["diagnosis"] == "missing on the left side" and bare["right_value"] == "5.5"
    assert bare["left_where"] == f"{cards}/bare-0001/model.yml:1"
    assert by[("far-0001", "gflops")]["diagnosis"] == "differs by 23.1%"


def test_results_and_an_omz_checkout_together(measured, omz: Path, capsys) -> None:
    cards, report = measured
    code, found, err = drift(
        capsys, "--against", str(omz), "--cards", str(cards), "--results", str(report)
    )
    assert code == 1 and "model(s) indexed" in err and "model(s) measured" in err
    assert {d["right"] for d in found} == {"README", "measured"}


def test_github_format_points_at_the_card(measured, capsys) -> None:
    cards, report = measured
    assert (
        main(["drift", "--cards", str(cards), "--results", str(report), "--format", "github"]) == 1
    )
    lines = capsys.readouterr().out.splitlines()
    assert any(
        line.startswith(f"::warning file={cards}/macs-0001/model.yml,line=5") for line in lines
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"version": 1, "results": [{"name": 1}]}', "not a validation report"),
        ("{", "not a validation report"),
        (None, "symlink"),
    ],
)
def test_a_bad_report_is_one_line(measured, tmp_path: Path, capsys, content, expected) -> None:
    cards, report = measured
    bad = tmp_path / "bad.json"
    if content is None:
        bad.symlink_to(report)
    else:
        bad.write_text(content)
    assert main(["drift", "--cards", str(cards), "--results", str(bad)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and expected in err[0] and str(bad) in err[0]


def test_nothing_to_compare_is_a_usage_error(tmp_path: Path, capsys) -> None:
    assert main(["drift"]) == 2
    assert main(["drift", "--results", "x.json", "--cards", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and "nothing to compare" in err[0] and "--cards" in err[1]


HOSTILE = (
    "<script>alert(1)</script> [x](javascript:alert(1)) | {{ 7*7 }} <img src=x onerror=alert(1)>"
)


def entry(**overrides) -> dict:
    return {
        "model": "macs-0001",
        "field": "gflops",
        "left": "index",
        "left_value": "6.0",
        "left_where": "models/intel/index.md:6",
        "right": "README",
        "right_value": "3.0",
        "right_where": "models/intel/macs-0001/README.md:7",
        "ratio": 2.0,
        "diagnosis": "MACs vs FLOPs (x2)",
        "kind": "MACs",
        **overrides,
    }


def test_drift_page_on_the_site(omz: Path, tmp_path: Path, capsys) -> None:
    """The report `zoo drift --format json` writes, configured as `drift:`, is a page."""
    cards = tmp_path / "cards"
    assert main(["import", "omz", str(omz), "--into", str(cards), "--only", "macs-0001"]) == 0
    capsys.readouterr()
    _, found, _ = drift(capsys, "--against", str(omz), "--cards", str(cards))
    hostile = entry(model=HOSTILE, left_value=HOSTILE, right_where=HOSTILE, diagnosis=HOSTILE)
    (tmp_path / "drift.json").write_text(json.dumps([*found, hostile]))
    site = tmp_path / "site"
    result = mkdocs_build(site_config(tmp_path, cards, drift="drift.json"), site)
    assert result.returncode == 0, result.stderr
    page = (site / "drift" / "index.html").read_text()
    rows = html_tables(site / "drift" / "index.html")
    summary, every = rows[0], rows[1]
    assert ["index table vs model page", "MACs", "3"] in summary  # x2, x0.5, the hostile one
    macs = next(row for row in every if row[1] == "macs-0001")
    assert macs == [
        "GFLOPs",
        "macs-0001",
        "index table 6.0 models/intel/index.md:6model page 3.0 models/intel/macs-0001/README.md:7",
        "MACs vs FLOPs (x2)ratio 2.000",  # the parser joins what <br> separates
    ]
    assert 'href="../models/macs-0001/"' in page  # an imported model links its page
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript' not in page and "<img" not in page
    assert sum(HOSTILE in " ".join(row) for row in every) == 1


def test_no_drift_option_no_page(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    write_card(cards, "a-0001", card("a-0001", "1.0", "1.0"))
    site = tmp_path / "site"
    assert mkdocs_build(site_config(tmp_path, cards), site).returncode == 0
    assert not (site / "drift").exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{", "not a drift report"),
        (json.dumps({"results": []}), "not a drift report"),
        (json.dumps([entry(left="elsewhere")]), "0.left"),
        (json.dumps([entry(ratio="nan")]), "0.ratio"),
        (json.dumps([entry(extra=1)]), "0.extra"),
        (json.dumps([entry(model="x" * 1001)]), "0.model"),
        (json.dumps([entry()] * 20_001), "not a drift report"),
        ("[" + " " * (8 << 20) + "]", "larger than"),
    ],
)
def test_a_bad_drift_report_is_one_line(tmp_path: Path, content: str, expected: str) -> None:
    (tmp_path / "drift.json").write_text(content)
    with pytest.raises(DriftReportError) as error:
        read_drift_report(tmp_path, "drift.json")
    assert expected in str(error.value) and "drift.json" in str(error.value)
    assert "\n" not in str(error.value)


def test_the_report_is_a_regular_file_inside_the_project(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    outside = tmp_path / "drift.json"
    outside.write_text("[]")
    (project / "link.json").symlink_to(outside)
    (project / "folder").mkdir()
    os.mkfifo(project / "fifo")
    for relative, expected in [
        ("../drift.json", "inside the project"),
        (str(outside), "inside the project"),
        ("link.json", "inside the project"),
        ("folder", "Is a directory"),
        ("fifo", "not a regular file"),
        ("missing.json", "No such file"),
    ]:
        with pytest.raises(DriftReportError, match=expected):
            read_drift_report(project, relative)
    (project / "drift.json").write_text("[]")
    assert read_drift_report(project, "drift.json") == []


def test_plugin_and_render_refuse_a_bad_report(tmp_path: Path, capsys, monkeypatch) -> None:
    cards = tmp_path / "cards"
    write_card(cards, "a-0001", card("a-0001", "1.0", "1.0"))
    (tmp_path / "drift.json").write_text(json.dumps([entry(field="latency")]))
    result = mkdocs_build(site_config(tmp_path, cards, drift="drift.json"), tmp_path / "site")
    assert result.returncode != 0 and "drift.json: not a drift report" in result.stderr
    assert "Traceback" not in result.stderr
    monkeypatch.chdir(tmp_path)
    args = ["render", "out", "--cards", "cards", "--drift", "drift.json"]
    assert main(args) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "0.field" in err[0]
    (tmp_path / "drift.json").write_text(json.dumps([entry()]))
    assert main(args) == 0
    assert "macs-0001" in (tmp_path / "out" / "drift.md").read_text()
