"""`zoo validate`: real IRs run by the real OpenVINO runtime, checked against their cards."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import irs
import pytest

from conftest import BIN, write_card
from generator.cards.catalog import load_catalog
from generator.cards.schema import Complexity
from generator.cli import main
from generator.validation.ir_compare import (
    Dim,
    compare_complexity,
    concrete_dim,
    dim_problem,
    ratio_text,
    round_figure,
)
from generator.validation.results import OpFigures, Probe, ValidationResult, read_report
from generator.validation.sharding import shard
from generator.validation.validate import result_findings, validate_catalog

CARD = """\
name: {name}
task: classification
description: A small test classifier.
# measured by hand: see tests/irs.py
complexity:
  gflops: 0.00498
  mparams: 0.6558
ir: {{FP32: FP32/{name}.xml}}
inputs:
  - {{name: image, shape: [1, 3, 64, 64], layout: NCHW, type: f32}}
outputs:
  - {{name: features, shape: [1, 16, 64, 64], type: f32}}
  - {{name: logits, shape: [1, 10], type: f32}}
citations:
  - title: An unrelated field that --update must leave alone
    authors: [A. Author, B. Author, C. Author, D. Author, E. Author, F. Author, G. Author,
              H. Author]
"""


def add_model(cards: Path, name: str, *edits: tuple[str, str], **ir: bool) -> Path:
    """A card for irs.classifier() with its IR; `edits` are (old, new) text replacements."""
    text = CARD.format(name=name)
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new)
    path = write_card(cards, name, text)
    irs.classifier(path.parent / "FP32" / f"{name}.xml", **ir)
    return path


def by_name(results: list[ValidationResult]) -> dict[str, ValidationResult]:
    return {result.name: result for result in results}


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


@pytest.fixture(scope="module")
def zoo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, ValidationResult]]:
    """One run over a catalog of good and broken cards and IRs, as a user's catalog would be."""
    cards = tmp_path_factory.mktemp("zoo")
    add_model(cards, "good")
    add_model(cards, "wrong-gflops", ("gflops: 0.00498", "gflops: 0.0061"))
    add_model(cards, "macs", ("gflops: 0.00498", "gflops: 0.00249"))
    add_model(cards, "wrong-mparams", ("mparams: 0.6558", "mparams: 0.7"))
    add_model(cards, "wrong-output", ("shape: [1, 10]", "shape: [1, 1000]"))
    add_model(cards, "wrong-input-type", ("type: f32}\noutputs", "type: u8}\noutputs"))
    add_model(cards, "no-complexity", ("  gflops: 0.00498\n  mparams: 0.6558\n", ""),
              ("complexity:\n", ""))  # fmt: skip
    unnamed = add_model(cards, "unnamed", ("name: features", "name: feats"))
    irs.strip_output_names(unnamed.parent / "FP32" / "unnamed.xml")
    add_model(cards, "dynamic", dynamic_batch=True)
    add_model(cards, "dynamic-n", ("[1, 3, 64, 64]", "[N, 3, 64, 64]"), dynamic_batch=True)
    add_model(cards, "dynamic-wrong", ("[1, 3, 64, 64]", "[1, 3, 32, 32]"), dynamic_batch=True)
    add_model(cards, "output-n", ("shape: [1, 10]", "shape: [N, 10]"))
    truncated = add_model(cards, "truncated")
    irs.truncate_weights(truncated.parent / "FP32" / "truncated.xml")
    fancy = add_model(cards, "unknown-op")
    irs.unknown_op(fancy.parent / "FP32" / "unknown-op.xml")
    add_model(cards, "no-ir", ("ir: {FP32: FP32/no-ir.xml}\n", ""))
    shutil.rmtree(add_model(cards, "missing-ir").parent / "FP32")
    nan = write_card(cards, "nan", "name: nan\ntask: classification\ndescription: NaN.\n"
                     "ir: {FP32: FP32/nan.xml}\noutputs: [{name: y, shape: [1, 4]}]\n")  # fmt: skip
    irs.log_of_negative(nan.parent / "FP32" / "nan.xml")
    results = validate_catalog(load_catalog(cards), jobs=2, cache_dir=None)
    return cards, by_name(results)


def test_true_card_passes_with_every_measurement_recorded(zoo: tuple) -> None:
    cards, results = zoo
    good = results["good"]
    assert (good.status, good.mismatches, good.message) == ("passed", [], "")
    assert good.measured_gflops == pytest.approx(irs.GFLOPS)
    assert good.measured_mparams == pytest.approx(irs.MPARAMS)
    assert good.inputs[0].model_dump() == {
        "name": "image", "shape": [1, 3, 64, 64], "type": "f32", "layout": "NCHW",
    }  # fmt: skip
    assert [(t.name, t.shape) for t in good.outputs] == [
        ("features", [1, 16, 64, 64]),
        ("logits", [1, 10]),
    ]
    timings = good.timings
    assert min(timings.read, timings.count, timings.compile, timings.infer) > 0
    assert good.device_name and good.openvino_version.startswith("2026.4.1")
    xml = cards / "good" / "FP32" / "good.xml"
    assert good.files == {
        "good.xml": hashlib.sha256(xml.read_bytes()).hexdigest(),
        "good.bin": hashlib.sha256(xml.with_suffix(".bin").read_bytes()).hexdigest(),
    }
    assert good.checked_at is not None and good.checked_at.utcoffset().total_seconds() == 0
    assert not good.cached
    assert good.convention == "model-analyzer"
    assert {kind: (f.ops, f.gflops, f.mparams) for kind, f in good.breakdown.items()} == {
        "MatMul": (1, pytest.approx(irs.MATMUL_FLOPS / 1e9), pytest.approx(0.65536)),
        "Convolution": (1, pytest.approx(irs.CONV_FLOPS / 1e9), pytest.approx(16 * 27 / 1e6)),
        "Relu": (1, pytest.approx(irs.RELU_FLOPS / 1e9), 0),
    }
    assert list(good.breakdown) == ["Convolution", "MatMul", "Relu"]  # largest first


def test_wrong_gflops_names_field_numbers_ratio_file_and_line(zoo: tuple) -> None:
    cards, results = zoo
    result = results["wrong-gflops"]
    assert result.status == "failed"
    [mismatch] = result.mismatches
    assert mismatch.field == "complexity.gflops"
    assert (
        mismatch.message
        == "card says 0.0061, IR FP32/wrong-gflops.xml computes 0.004981 (ratio 1.225)"
    )
    [finding] = result_findings(load_catalog(cards), [result])
    card = cards / "wrong-gflops" / "model.yml"
    assert finding.line == line_of(card, "gflops:") and finding.code == "ir-complexity"
    assert finding.text().endswith(
        f":{finding.line}:11: ir-complexity complexity.gflops: card says 0.0061, "
        "IR FP32/wrong-gflops.xml computes 0.004981 (ratio 1.225)"
    )


def test_ratio_of_two_suggests_macs_vs_flops(zoo: tuple) -> None:
    [mismatch] = zoo[1]["macs"].mismatches
    assert mismatch.message.endswith("(ratio 0.500: MACs vs FLOPs?)")


def test_wrong_mparams(zoo: tuple) -> None:
    result = zoo[1]["wrong-mparams"]
    assert result.status == "failed"
    assert [(m.field, m.documented, m.measured) for m in result.mismatches] == [
        ("complexity.mparams", "0.7", "0.6558")
    ]
    assert "holds 0.6558 (ratio 1.067)" in result.mismatches[0].message


def test_wrong_output_shape_points_at_that_output(zoo: tuple) -> None:
    cards, results = zoo
    result = results["wrong-output"]
    [mismatch] = result.mismatches
    assert mismatch.field == "outputs[1].shape"
    assert mismatch.message == (
        "card says [1, 1000], FP32/wrong-output.xml has [1, 10] (dim 1 is 10, not 1000)"
    )
    [finding] = result_findings(load_catalog(cards), [result])
    assert finding.line == line_of(cards / "wrong-output" / "model.yml", "[1, 1000]")


def test_wrong_input_type(zoo: tuple) -> None:
    [mismatch] = zoo[1]["wrong-input-type"].mismatches
    assert (mismatch.field, mismatch.documented, mismatch.measured) == (
        "inputs[0].type",
        "u8",
        "f32",
    )


def test_card_without_complexity_records_measured_figures(zoo: tuple) -> None:
    result = zoo[1]["no-complexity"]
    assert (result.status, result.mismatches) == ("passed", [])
    assert result.documented_gflops is None
    assert result.measured_gflops == pytest.approx(irs.GFLOPS)


def test_unnamed_outputs_match_by_position(zoo: tuple) -> None:
    result = zoo[1]["unnamed"]
    assert (result.status, result.mismatches) == ("passed", [])
    assert [t.name for t in result.outputs] == [None, None]


def test_dynamic_batch_documented_as_a_number_or_symbol_passes(zoo: tuple) -> None:
    for name in ("dynamic", "dynamic-n"):
        result = zoo[1][name]
        assert (result.status, result.mismatches) == ("passed", []), name
        assert result.inputs[0].shape == ["?", 3, 64, 64]
        assert result.measured_gflops == pytest.approx(irs.GFLOPS)  # counted at batch 1


def test_dynamic_ir_with_a_wrong_static_dim_fails(zoo: tuple) -> None:
    [mismatch] = zoo[1]["dynamic-wrong"].mismatches
    assert mismatch.field == "inputs[0].shape"
    assert mismatch.message.endswith(
        "has [?, 3, 64, 64] (dim 2 is 64, not 32; dim 3 is 64, not 32)"
    )


def test_symbol_on_a_static_dim_is_a_warning(zoo: tuple) -> None:
    result = zoo[1]["output-n"]
    assert result.status == "passed"
    [mismatch] = result.mismatches
    assert (mismatch.field, mismatch.severity) == ("outputs[1].shape", "warning")


def test_non_finite_outputs_are_a_warning(zoo: tuple) -> None:
    result = zoo[1]["nan"]
    assert result.status == "passed"
    [mismatch] = result.mismatches
    assert (mismatch.field, mismatch.severity) == ("outputs[0].values", "warning")
    assert mismatch.message == "inference on random inputs gave 4 of 4 values NaN or inf"


@pytest.mark.parametrize(
    ("documented", "ir", "problem", "run_with"),
    [
        (1, 1, None, 1),
        (2, 1, "is 1, not 2", 1),
        (1, "?", None, 1),  # a number on a dynamic dim: fine, and used to run
        (8, "?", None, 8),
        ("N", "?", None, 1),
        ("?", "2..8", None, 2),
        (9, "2..8", "allows 2..8, not 9", 9),
        ("1..8", "2..8", "allows 2..8, not 1..8", 2),
        ("N", 3, None, 3),  # a symbol on a static dim: a warning, see output-n
    ],
)
def test_dim_rules(documented: Dim, ir: Dim, problem: str | None, run_with: int) -> None:
    assert dim_problem(documented, ir) == problem
    assert concrete_dim(documented, ir) == run_with


@pytest.mark.parametrize(
    ("value", "written"),
    [(433.41149, 433.411), (4.10832, 4.108), (0.655792, 0.6558), (0.0000194561, 0.00001946)],
)
def test_measured_figures_keep_three_decimals_and_four_digits(value: float, written: float) -> None:
    assert round_figure(value) == written


def test_cards_without_a_local_ir_are_skipped(zoo: tuple) -> None:
    no_ir, missing = zoo[1]["no-ir"], zoo[1]["missing-ir"]
    assert (no_ir.status, no_ir.precision, no_ir.message) == ("skipped", None, "no IR in the card")
    assert (missing.status, missing.precision) == ("skipped", "FP32")
    assert missing.message == "FP32/missing-ir.xml not found beside the card"


def test_corrupt_irs_are_errors_of_their_own_model(zoo: tuple) -> None:
    cards, results = zoo
    truncated, fancy = results["truncated"], results["unknown-op"]
    assert truncated.status == "error"
    assert truncated.message == (
        "FP32/truncated.xml: cannot read the IR: Incorrect weights in bin file!"
    )
    assert fancy.status == "error"
    assert fancy.message == (
        "FP32/unknown-op.xml: cannot read the IR: "
        "Opset opset1 doesn't contain the operation with type: FancyOp"
    )
    [finding] = result_findings(load_catalog(cards), [fancy])
    assert (finding.code, finding.line) == (
        "ir-error",
        line_of(cards / "unknown-op" / "model.yml", "ir:"),
    )
    assert results["good"].status == "passed"  # same run


def test_a_hanging_model_is_stopped_and_the_others_finish(tmp_path: Path) -> None:
    add_model(tmp_path, "good")
    hang = write_card(
        tmp_path,
        "endless",
        "name: endless\ntask: classification\ndescription: Never ends.\n"
        "ir: {FP32: FP32/endless.xml}\n",
    )
    irs.endless_loop(hang.parent / "FP32" / "endless.xml")
    results = by_name(validate_catalog(load_catalog(tmp_path), timeout=2, cache_dir=None))
    assert results["endless"].status == "error"
    assert results["endless"].message == "FP32/endless.xml: timed out after 2 s: worker stopped"
    assert results["good"].status == "passed"


def test_second_run_is_cached_and_changes_revalidate(tmp_path: Path) -> None:
    cards, cache = tmp_path / "cards", tmp_path / "cache"
    card = add_model(cards, "a")
    add_model(cards, "b")

    def run() -> dict[str, ValidationResult]:
        return by_name(validate_catalog(load_catalog(cards), cache_dir=cache))

    first = run()
    assert [r.cached for r in first.values()] == [False, False]
    second = run()
    assert [r.cached for r in second.values()] == [True, True]
    assert second["a"].model_dump(exclude={"cached"}) == first["a"].model_dump(exclude={"cached"})
    # a documented figure: judged again from the cached measurement
    card.write_text(card.read_text().replace("gflops: 0.00498", "gflops: 0.0099"))
    third = run()
    assert (third["a"].status, third["a"].cached) == ("failed", True)
    # the IR or the documented input shapes: measured again
    irs.classifier(cards / "a" / "FP32" / "a.xml", seed=1)
    card.write_text(card.read_text().replace("[1, 3, 64, 64]", "[N, 3, 64, 64]"))
    (cards / "b" / "model.yml").write_text(
        (cards / "b" / "model.yml").read_text().replace("[1, 3, 64, 64]", "[N, 3, 64, 64]")
    )
    fourth = run()
    assert [(r.cached, r.status) for r in fourth.values()] == [(False, "failed"), (False, "passed")]


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def test_changed_since_validates_only_cards_changed_in_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.chdir(tmp_path)
    cards = tmp_path / "model_cards"
    for name in ("kept", "edited"):
        add_model(cards, name)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "cards")
    edited = cards / "edited" / "model.yml"
    edited.write_text(edited.read_text().replace("A small", "A tiny"))
    add_model(cards, "new")  # untracked
    report = tmp_path / "report.json"
    code = main(["validate", "--changed-since", "HEAD", "--report", str(report)])
    assert code == 0
    assert sorted(r.name for r in read_report(report).results) == ["edited", "new"]
    assert main(["validate", "--changed-since", "HEAD", "kept"]) == 0
    write_card(cards, "unreadable", "name: [")  # changed and broken: reported, not skipped
    assert main(["validate", "--changed-since", "HEAD", "--report", str(report)]) == 1
    assert "model_cards/unreadable/model.yml:2:1: yaml invalid YAML" in capsys.readouterr().out
    done = zoo_cli(tmp_path, "--changed-since", "badref")
    assert (done.returncode, done.stderr) == (
        2,
        "zoo: error: --changed-since badref: not a git revision\n",
    )


def test_update_writes_measurements_and_keeps_the_rest(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    card = add_model(
        cards,
        "m",
        ("gflops: 0.00498", "gflops: 8.2  # from the paper"),
        ("  mparams: 0.6558\n", ""),
        ("shape: [1, 10]", "shape: [1, 1000]"),
        ("type: f32}\noutputs", "type: u8}\noutputs"),
    )
    before = card.read_text()
    cache = str(tmp_path / "cache")
    assert main(["validate", "--cards", str(cards), "--cache", cache]) == 1
    assert main(["validate", "--cards", str(cards), "--cache", cache, "--update"]) == 0
    after = card.read_text()
    assert "  gflops: 0.004981 # from the paper\n  mparams: 0.6558\n" in after
    assert "  - {name: image, shape: [1, 3, 64, 64], layout: NCHW, type: f32}\n" in after
    assert "  - {name: logits, shape: [1, 10], type: f32}\n" in after
    # the comment line, key order and unrelated fields are untouched, byte for byte
    assert after.split("complexity:")[0] == before.split("complexity:")[0]
    assert after.split("citations:")[1] == before.split("citations:")[1]
    keys = [line.split(":")[0] for line in after.splitlines() if line[:1].isalpha()]
    assert keys == [
        "name",
        "task",
        "description",
        "complexity",
        "ir",
        "inputs",
        "outputs",
        "citations",
    ]
    [result] = validate_catalog(load_catalog(cards), cache_dir=None)
    assert (result.status, result.mismatches) == ("passed", [])


def test_update_documents_a_card_without_complexity_or_tensors(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    card = write_card(
        cards,
        "bare",
        "name: bare\ntask: classification\ndescription: Bare.\n"
        "ir: {FP32: FP32/bare.xml}\nyear: 2020\n",
    )
    irs.classifier(card.parent / "FP32" / "bare.xml")
    assert (
        main(["validate", "--cards", str(cards), "--cache", str(tmp_path / "c"), "--update"]) == 0
    )
    assert card.read_text() == (
        "name: bare\ntask: classification\ndescription: Bare.\n"
        "complexity: {gflops: 0.004981, mparams: 0.6558}\n"
        "inputs:\n  - {name: image, shape: [1, 3, 64, 64], layout: NCHW, type: f32}\n"
        "outputs:\n  - {name: features, shape: [1, 16, 64, 64], type: f32}\n"
        "  - {name: logits, shape: [1, 10], type: f32}\n"
        "ir: {FP32: FP32/bare.xml}\nyear: 2020\n"
    )  # new keys where the schema orders them


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalog with one passing, one failing, one broken and one skipped card."""
    cards = tmp_path_factory.mktemp("mixed")
    add_model(cards, "good")
    add_model(cards, "wrong", ("shape: [1, 10]", "shape: [1, 1000]"))
    irs.truncate_weights(add_model(cards, "broken").parent / "FP32" / "broken.xml")
    add_model(cards, "no-ir", ("ir: {FP32: FP32/no-ir.xml}\n", ""))
    return cards


def validate(cards: Path, tmp_path: Path, *extra: str) -> int:
    return main(["validate", "--cards", str(cards), "--cache", str(tmp_path / "cache"), *extra])


def test_junit_and_report_files(mixed: Path, tmp_path: Path) -> None:
    junit, report = tmp_path / "junit.xml", tmp_path / "report.json"
    assert validate(mixed, tmp_path, "--junit", str(junit), "--report", str(report)) == 1
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None
    counts = {key: suite.get(key) for key in ("tests", "failures", "errors", "skipped")}
    assert counts == {"tests": "4", "failures": "1", "errors": "1", "skipped": "1"}
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert cases["wrong FP32"].find("failure").get("message").startswith("outputs[1].shape: card")
    assert cases["broken FP32"].find("error") is not None
    assert cases["no-ir -"].find("skipped") is not None
    assert len(cases["good FP32"]) == 0
    statuses = {r.name: r.status for r in read_report(report).results}
    assert statuses == {"broken": "error", "good": "passed", "no-ir": "skipped", "wrong": "failed"}


def test_json_and_github_formats(
    mixed: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert validate(mixed, tmp_path, "--format", "json") == 1
    findings = json.loads(capsys.readouterr().out)
    assert [(f["code"], f["severity"]) for f in findings] == [
        ("ir-error", "error"),
        ("ir-shape", "error"),
    ]
    assert findings[1]["path"].endswith("wrong/model.yml")
    assert validate(mixed, tmp_path, "--format", "github") == 1
    lines = capsys.readouterr().out.splitlines()
    assert (
        lines[1].startswith("::error file=")
        and ",title=ir-shape::ir-shape outputs[1].shape: " in lines[1]
    )


def test_shards_split_the_cards_and_summary_lists_failures(mixed: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    shards = []
    for part in ("1/2", "2/2"):
        report = tmp_path / f"report-{part[0]}.json"
        validate(
            mixed, tmp_path, "--shard", part, "--report", str(report), "--summary", str(summary)
        )
        shards.append({result.name for result in read_report(report).results})
    # every card in exactly one shard; the two equal-sized models land in different shards
    assert shards[0] | shards[1] == {"broken", "good", "no-ir", "wrong"}
    assert not shards[0] & shards[1]
    assert {"good", "wrong"} & shards[0] and {"good", "wrong"} & shards[1]
    text = summary.read_text()
    assert text.startswith("earlier step\n### zoo validate on CPU\n")
    # card and IR text is Markdown-escaped (it renders as written)
    assert r"| wrong | FP32 | failed | `outputs[1].shape`: card says \[1\, 1000\]\," in text
    assert r"| broken | FP32 | error | FP32\/broken\.xml\: cannot read the IR\: " in text


def zoo_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [BIN / "zoo", "validate", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_exit_codes(mixed: Path, tmp_path: Path) -> None:
    cards = ["--cards", str(mixed), "--cache", str(tmp_path / "cache")]
    assert zoo_cli(tmp_path, *cards, "good", "no-ir").returncode == 0
    assert zoo_cli(tmp_path, *cards, "good", "wrong").returncode == 1
    for args, message in [
        (["nosuchmodel"], "zoo: error: unknown model 'nosuchmodel'\n"),
        (["goood"], "zoo: error: unknown model 'goood' (did you mean 'good'?)\n"),
        (["--changed-since", "HEAD"],
         f"zoo: error: --changed-since: {mixed} is not in a git repository\n"),
        (["--shard", "3/2"], "zoo: error: --shard 3/2: use K/N with 1 <= K <= N, e.g. 1/2\n"),
        (["--tolerance", "lots"], "zoo: error: --tolerance lots: use a percentage such as 1% "
                                  "or a fraction such as 0.01\n"),
        (["--benchmark", "0"],
         "zoo: error: --benchmark 0: must be more than 0 and at most 3600 seconds\n"),
        (["--benchmark", "inf"],
         "zoo: error: --benchmark inf: must be more than 0 and at most 3600 seconds\n"),
        (["--benchmark-hint", "latency"],
         "zoo: error: --benchmark-hint latency: needs --benchmark\n"),
    ]:  # fmt: skip
        done = zoo_cli(mixed, *cards, *args)
        assert (done.returncode, done.stderr) == (2, message), args
    write_card(tmp_path / "more", "broken-card", "name: broken-card\n")
    done = zoo_cli(tmp_path, "--cards", str(tmp_path / "more"), "broken-card")
    assert done.returncode == 1 and "missing-key missing required key 'task'" in done.stdout
    done = zoo_cli(tmp_path, "--cards", str(tmp_path / "nowhere"))
    assert (
        done.returncode == 2
        and done.stderr.startswith("zoo: error: ")
        and "Traceback" not in done.stderr
    )


def test_shards_balance_ir_bytes(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    sizes = {"a": 900, "b": 500, "c": 400, "d": 300, "e": 200, "f": 0}
    for name, size in sizes.items():
        ir = f"ir: {{FP32: FP32/{name}.xml}}\n" if size else ""
        write_card(cards, name, f"name: {name}\ntask: classification\ndescription: d\n{ir}")
        if size:
            (cards / name / "FP32").mkdir()
            (cards / name / "FP32" / f"{name}.xml").write_bytes(b"x" * 100)
            (cards / name / "FP32" / f"{name}.bin").write_bytes(b"x" * (size - 100))
    sources = load_catalog(cards).cards
    parts = [shard(sources, k, 2) for k in (1, 2)]
    assert parts == [["a", "d"], ["b", "c", "e", "f"]]  # 1200 vs 1100 bytes: largest first
    assert parts == [shard(sources, k, 2) for k in (1, 2)]  # deterministic
    assert sorted(shard(sources, 1, 1)) == sorted(sizes)


HEAD = "name: NAME\ntask: classification\ndescription: d\nir: {FP32: FP32/NAME.xml}\n"
INPUTS = "inputs:\n  - {name: image, shape: [1, 3, 64, 64], layout: NCHW, type: f32}\n"
UPDATES = {  # card text before and after --update
    "crlf": (
        (HEAD + "complexity:\n  gflops: 0.0061\n  mparams: 0.6558\n" + INPUTS
         + "outputs:\n  - {name: features, shape: [1, 16, 64, 64], type: f32}\n"
         "  - {name: logits, shape: [1, 1000], type: f32}\n").replace("\n", "\r\n"),
        (HEAD + "complexity:\n  gflops: 0.004981\n  mparams: 0.6558\n" + INPUTS
         + "outputs:\n  - {name: features, shape: [1, 16, 64, 64], type: f32}\n"
         "  - {name: logits, shape: [1, 10], type: f32}\n").replace("\n", "\r\n"),
    ),
    "comments": (
        HEAD + "complexity: {gflops: 0.004981, mparams: 0.6558}\n" + INPUTS
        + "outputs:\n  - name: features  # the map\n    shape: [1, 16, 64, 64]\n"
        "  - name: logits  # scores\n    shape:\n      - 1\n      - 1000  # classes\n",
        HEAD + "complexity: {gflops: 0.004981, mparams: 0.6558}\n" + INPUTS
        + "outputs:\n  - name: features  # the map\n    shape: [1, 16, 64, 64]\n"
        "  - name: logits  # scores\n    shape:\n      - 1\n      - 10    # classes\n",
    ),
    "four-spaces": (
        HEAD + "complexity:\n    gflops: 0.0061\n    mparams: 0.6558\n"
        "outputs:\n    -   name: features\n        shape: [1, 16, 64, 64]\n"
        "    -   name: logits\n        shape: [1, 1000]\n",
        HEAD.replace("ir:", "inputs:\n    -   {name: image, shape: [1, 3, 64, 64], "
                     "layout: NCHW, type: f32}\nir:")
        + "complexity:\n    gflops: 0.004981\n    mparams: 0.6558\n"
        "outputs:\n    -   name: features\n        shape: [1, 16, 64, 64]\n"
        "    -   name: logits\n        shape: [1, 10]\n",
    ),
    "tabs": (
        HEAD.replace("d\n", "d\t\n") + "complexity:\n  gflops:\t0.0061\t# paper\n"
        "  mparams: 0.6558\t\n" + INPUTS + "outputs: [{name: features, shape: [1, 16, 64, 64]},\t\n"
        "          {name: logits, shape: [1, 1000]}]\t\n",
        HEAD.replace("d\n", "d\t\n") + "complexity:\n  gflops: 0.004981 # paper\n"
        "  mparams: 0.6558\n" + INPUTS
        + "outputs: [{name: features, shape: [1, 16, 64, 64]}, {name: logits, shape: [1, 10]}]\n",
    ),
}  # fmt: skip


def test_update_keeps_line_endings_comments_and_indentation_and_takes_tabs(
    tmp_path: Path,
) -> None:
    cards = tmp_path / "cards"
    for name, (before, _) in UPDATES.items():
        card = write_card(cards, name, "")
        card.write_bytes(before.replace("NAME", name).encode())
        irs.classifier(card.parent / "FP32" / f"{name}.xml")
    assert validate(cards, tmp_path, "--update") == 0
    for name, (_, after) in UPDATES.items():
        assert (cards / name / "model.yml").read_bytes().decode() == after.replace("NAME", name)


def test_ir_files_stay_in_the_card_folder_and_are_regular_files(tmp_path: Path) -> None:
    """A symlinked IR is not read; a FIFO beside the IR is not hashed (that would wait forever)."""
    cards = tmp_path / "cards"
    outside = irs.classifier(tmp_path / "elsewhere" / "model.xml")
    linked = add_model(cards, "linked")
    xml = linked.parent / "FP32" / "linked.xml"
    xml.unlink()
    xml.symlink_to(outside)
    fifo = add_model(cards, "fifo")
    weights = fifo.parent / "FP32" / "fifo.bin"
    weights.unlink()
    os.mkfifo(weights)
    results = by_name(validate_catalog(load_catalog(cards), cache_dir=None))
    assert (results["linked"].status, results["linked"].message) == (
        "error",
        "FP32/linked.xml: path 'FP32/linked.xml' goes through a symlink",
    )
    assert (results["fifo"].status, results["fifo"].message) == (
        "error",
        "FP32/fifo.xml: the IR files must be regular files",
    )


@pytest.mark.parametrize(
    ("card", "hint"),
    [
        # the card is higher: the ops counted as 0 can explain it, so they are named
        (1.015, "ratio 1.015; no cost rule for Erf, counted as 0; Gelu "
         "counted as 0 by the model-analyzer convention"),
        # the card is lower: an op counted as 0 cannot explain that, so none is blamed
        (0.986, "ratio 0.986"),
        (0.5, "ratio 0.500: MACs vs FLOPs?"),
    ],
)  # fmt: skip
def test_complexity_hints_blame_uncounted_ops_only_when_they_explain_the_gap(
    card: float, hint: str
) -> None:
    probe = Probe(
        gflops=1.0,
        convention="model-analyzer",
        unknown_ops={"Erf": 2},
        breakdown={
            "Gelu": OpFigures(ops=2, gflops=0, zero_by_convention=True),
            "Gather": OpFigures(ops=1, gflops=0.0, mparams=3.0),  # free in every convention
            "MatMul": OpFigures(ops=4, gflops=1.0, mparams=1.0),
        },
    )
    [mismatch] = compare_complexity(Complexity(gflops=card), probe, "x.xml", 0.01)
    assert mismatch.message == f"card says {card}, IR x.xml computes 1.0 ({hint})"


@pytest.mark.parametrize(("ratio", "text"), [(1.0144, "1.014"), (0.9996, "0.9996"), (1, "1.000")])
def test_ratios_show_the_miss(ratio: float, text: str) -> None:
    assert ratio_text(ratio) == text


def test_benchmark_measures_speed_after_the_correctness_run(tmp_path: Path) -> None:
    add_model(tmp_path / "cards", "good")
    catalog, cache = load_catalog(tmp_path / "cards"), tmp_path / "cache"
    [plain] = validate_catalog(catalog, cache_dir=cache)
    assert plain.speed is None and plain.timings.benchmark == 0
    [result] = validate_catalog(catalog, cache_dir=cache, benchmark=0.3)
    assert result.status == "passed" and not result.cached  # a speed is not in the plain entry
    speed = result.speed
    assert speed is not None and speed.hint == "THROUGHPUT" and speed.batch == 1
    assert speed.requests >= 1 and speed.streams and speed.threads
    assert speed.seconds >= 0.3 and speed.inferences >= 1
    assert 0 < speed.latency_median_ms <= speed.latency_p90_ms
    assert speed.throughput_fps == pytest.approx(speed.inferences / speed.seconds, rel=0.01)
    assert result.timings.benchmark >= 0.3
    [again] = validate_catalog(catalog, cache_dir=cache, benchmark=0.3)
    assert again.cached and again.speed == speed


def test_benchmark_hint_latency_compiles_for_one_request_at_a_time(tmp_path: Path) -> None:
    """LATENCY on CPU: one stream, one request; recorded in the report, cached apart."""
    add_model(tmp_path / "cards", "good")
    report = tmp_path / "report.json"
    extra = ("--benchmark", "0.2", "--benchmark-hint", "latency", "--report", str(report))
    assert validate(tmp_path / "cards", tmp_path, *extra) == 0
    [result] = read_report(report).results
    speed = result.speed
    assert speed is not None and speed.hint == "LATENCY"
    assert speed.streams == 1 and speed.requests == 1
    assert speed.inferences >= 1 and speed.latency_median_ms > 0
    [throughput] = validate_catalog(
        load_catalog(tmp_path / "cards"), cache_dir=tmp_path / "cache", benchmark=0.2
    )
    assert not throughput.cached and throughput.speed.hint == "THROUGHPUT"
