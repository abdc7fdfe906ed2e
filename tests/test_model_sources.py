"""The real models: their IRs (made by `make models` before pytest) run and match their cards."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np
import openvino
import pytest

from conftest import ROOT, write_card
from generator.cards.catalog import CardSource, load_card
from generator.demo import model_sources
from generator.demo.model_sources import (
    MODELS,
    STAMP,
    ModelSource,
    SourceError,
    prepare_model,
    read_pins,
    wheel_packages,
)
from generator.validation.complexity import count_complexity

CARDS = ROOT / "model_cards"
SQUEEZENET = ModelSource(
    "squeezenet", "onnx", "onnx/backend/test/data/light/light_squeezenet.onnx"
)  # installed with the test dependencies: a real source that needs no download


def real_card(source: ModelSource) -> CardSource:
    card = load_card(CARDS / source.name)
    assert isinstance(card, CardSource), card
    return card


def ir_path(card: CardSource, precision: str) -> Path:
    xml = card.folder / card.card.ir[precision]
    if not xml.is_file():
        pytest.fail(f"{xml.relative_to(ROOT)} is missing: run `make models`")
    return xml


def prepare(source: ModelSource, cards: Path, cache: Path) -> list:
    pyproject = ROOT / "pyproject.toml"
    return prepare_model(source, cards, cache, read_pins(pyproject), wheel_packages(pyproject))


def signature(ports: list) -> list[tuple[str, list[int], str]]:
    """(name, shape, element type) of each port, as a card documents a tensor."""
    return [
        (port.get_any_name(), list(port.get_shape()), port.get_element_type().get_type_name())
        for port in ports
    ]


@pytest.mark.parametrize("source", MODELS, ids=lambda source: source.name)
def test_real_ir_runs_with_documented_shapes(source: ModelSource) -> None:
    loaded = real_card(source)
    card = loaded.card
    assert card.precisions == list(source.precisions)
    model = openvino.Core().read_model(ir_path(loaded, "FP32"))
    assert signature(model.inputs) == [(t.name, t.shape, t.type) for t in card.inputs]
    assert signature(model.outputs) == [(t.name, t.shape, t.type) for t in card.outputs]

    compiled = openvino.Core().compile_model(model, "CPU")
    random = np.random.default_rng(0)
    feed = {t.name: random.random(t.shape, dtype=np.float32) for t in card.inputs}
    results = compiled(feed)
    for port, tensor in zip(compiled.outputs, card.outputs, strict=True):
        assert list(results[port].shape) == tensor.shape, tensor.name
        assert np.isfinite(results[port]).all(), tensor.name


@pytest.mark.parametrize("source", MODELS, ids=lambda source: source.name)
def test_real_card_complexity_is_counted_from_its_ir(source: ModelSource) -> None:
    card = real_card(source)
    model = openvino.Core().read_model(ir_path(card, "FP32"))
    count = count_complexity(model, {t.name: t.shape for t in card.card.inputs})
    assert not count.dynamic
    assert count.gflops == pytest.approx(card.card.complexity.gflops, rel=0.01)
    assert count.mparams == pytest.approx(card.card.complexity.mparams, rel=0.01)


@pytest.mark.parametrize("source", MODELS, ids=lambda source: source.name)
def test_real_ir_was_converted_from_the_file_the_card_lists(source: ModelSource) -> None:
    card = real_card(source)
    stamp = json.loads((ir_path(card, "FP32").parent / STAMP).read_text())
    (entry,) = [entry for entry in card.card.files if entry.name == source.file_name]
    assert (stamp["member"], stamp["sha256"]) == (source.member, entry.sha256)


def test_model_pins_are_read_from_pyproject() -> None:
    pins = read_pins(ROOT / "pyproject.toml")
    assert wheel_packages(ROOT / "pyproject.toml") == {"rapidocr-onnxruntime", "mediapipe"}
    assert {source.package for source in MODELS} <= set(pins)


def test_conversion_runs_once_then_skips(tmp_path: Path) -> None:
    write_card(tmp_path / "cards", "squeezenet", "name: squeezenet\ntask: classification\n")
    (first,) = prepare(SQUEEZENET, tmp_path / "cards", tmp_path / "cache")
    assert first.status == "converted"
    assert openvino.Core().read_model(first.xml).inputs[0].get_any_name() == "data_0"
    (second,) = prepare(SQUEEZENET, tmp_path / "cards", tmp_path / "cache")
    assert (second.status, second.xml) == ("present", first.xml)
    assert sorted(path.name for path in (tmp_path / "cards" / "squeezenet").iterdir()) == [
        "FP32",
        "model.yml",
    ]


def test_changed_source_converts_again(tmp_path: Path) -> None:
    write_card(tmp_path / "cards", "squeezenet", "name: squeezenet\ntask: classification\n")
    prepare(SQUEEZENET, tmp_path / "cards", tmp_path / "cache")
    resized = ModelSource(SQUEEZENET.name, SQUEEZENET.package, SQUEEZENET.member,
                          {"data_0": (2, 3, 224, 224)})  # fmt: skip
    (result,) = prepare(resized, tmp_path / "cards", tmp_path / "cache")
    assert result.status == "converted"
    assert openvino.Core().read_model(result.xml).inputs[0].get_shape() == [2, 3, 224, 224]


def test_interrupted_conversion_keeps_the_previous_ir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_card(tmp_path / "cards", "squeezenet", "name: squeezenet\ntask: classification\n")
    (done,) = prepare(SQUEEZENET, tmp_path / "cards", tmp_path / "cache")
    before = done.xml.read_bytes()

    def save_half(model: openvino.Model, path: Path, **options: bool) -> None:
        Path(path).write_text("<net")
        raise KeyboardInterrupt

    monkeypatch.setattr(model_sources.openvino, "save_model", save_half)
    resized = ModelSource(SQUEEZENET.name, SQUEEZENET.package, SQUEEZENET.member,
                          {"data_0": (2, 3, 224, 224)})  # fmt: skip
    with pytest.raises(KeyboardInterrupt):
        prepare(resized, tmp_path / "cards", tmp_path / "cache")
    assert done.xml.read_bytes() == before
    assert not list((tmp_path / "cards" / "squeezenet").glob(".ir-*"))
    # the IR on disk is of the old source, so the new one is still to be made
    monkeypatch.undo()
    (result,) = prepare(resized, tmp_path / "cards", tmp_path / "cache")
    assert result.status == "converted"


def test_source_must_match_the_card_checksum(tmp_path: Path) -> None:
    entry = "{name: light_squeezenet.onnx, sha256: '" + "0" * 64 + "'}"
    text = f"name: squeezenet\ntask: classification\ndescription: d\nfiles: [{entry}]\n"
    write_card(tmp_path / "cards", "squeezenet", text)
    with pytest.raises(
        SourceError, match=r"squeezenet: .*light_squeezenet\.onnx of onnx has sha256"
    ):
        prepare(SQUEEZENET, tmp_path / "cards", tmp_path / "cache")
    assert not (tmp_path / "cards" / "squeezenet" / "FP32").exists()


def test_unfetchable_wheel_is_a_one_line_error_naming_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    pin = f"mediapipe=={read_pins()['mediapipe']}"
    reason = f"No matching distribution found for {pin}"

    def pip_fails(command: list[str], **options: object) -> subprocess.CompletedProcess:
        stderr = f"WARNING: retrying\nERROR: {reason}\n"
        return subprocess.CompletedProcess(command, 1, "", stderr)

    monkeypatch.setattr(model_sources.subprocess, "run", pip_fails)
    name = "mediapipe-face-detection-short-range"
    write_card(tmp_path / "cards", name, f"name: {name}\ntask: face_detection\n")
    code = model_sources.main(["--cards", str(tmp_path / "cards"), "--cache", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert err == f"error: cannot fetch the wheel of {pin}: ERROR: {reason}\n"
