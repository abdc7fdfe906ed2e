"""Counting real IRs: constant folding of shape-derived subgraphs, and FP16 and INT8 twins of a
small transformer encoder that must count as their FP32 model under every convention."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import openvino as ov
import openvino.opset16 as ops
import pytest

from conftest import ROOT
from generator.validation.complexity import count_complexity
from generator.validation.conventions import CONVENTIONS

RNG = np.random.default_rng(1)
TOKENS, WIDTH, HEADS = 16, 32, 4
Weight = Callable[[np.ndarray], ov.Output]


def read(tmp_path: Path, model: ov.Model, fp16: bool = False) -> ov.Model:
    path = tmp_path / ("fp16.xml" if fp16 else "model.xml")
    ov.save_model(model, path, compress_to_fp16=fp16)
    return ov.Core().read_model(path)


def test_shape_derived_mask_is_folded_into_a_parameter(tmp_path: Path) -> None:
    """As Swin builds its attention masks: from the input's shape, with FloorMod and Equal."""
    x = ops.parameter([2, 6, 6], np.float32, name="x")
    length = ops.gather(ops.shape_of(x), np.int64([1]), np.int64(0))
    positions = ops.range(np.int64(0), ops.squeeze(length, np.int64(0)), np.int64(1), "i64")
    window = ops.floor_mod(positions, np.int64(3))  # window of each position
    same = ops.equal(ops.unsqueeze(window, np.int64(0)), ops.unsqueeze(window, np.int64(1)))
    mask = ops.multiply(ops.convert(ops.logical_not(same), "f32"), np.float32(-100))
    y = ops.add(x, mask)
    model = read(tmp_path, ov.Model([y], [x]))
    before = len(model.get_ops())
    raw = count_complexity(model, fold=False)
    assert raw.unknown_ops == {"Equal": 1, "FloorMod": 1, "LogicalNot": 1}
    assert raw.params == 1  # only the -100: the mask is computed at run time
    folded = count_complexity(model)
    # the runtime computes the mask once: a 6x6 constant, as model_analyzer counts it
    assert folded.unknown_ops == {} and folded.flops_by_type == {"Add": 2 * 6 * 6}
    assert folded.params == 6 * 6 and folded.params_by_type == {"Add": 36}
    assert len(model.get_ops()) == before  # the caller's model is not folded


def plain(value: np.ndarray) -> ov.Output:
    return ops.constant(value).output(0)


def fake_quantized(value: np.ndarray) -> ov.Output:
    """INT8 as NNCF writes it: the FP32 weight through a 255-level FakeQuantize."""
    low, high = np.float32(value.min()), np.float32(value.max())
    return ops.fake_quantize(value, low, high, low, high, 255).output(0)


def compressed(value: np.ndarray) -> ov.Output:
    """INT8 weight compression: i8 values, Convert, minus a zero point, times a scale."""
    scale = np.abs(value).max(axis=-1, keepdims=True) / 127
    quantized = np.round(value / scale).astype(np.int8)
    zero = ops.convert(ops.constant(np.zeros_like(scale, dtype=np.int8)), "f32")
    weights = ops.subtract(ops.convert(ops.constant(quantized), "f32"), zero)
    return ops.multiply(weights, scale.astype(np.float32)).output(0)


def encoder(weight: Weight, quantize_inputs: bool = False) -> ov.Model:
    """Tokens [1, 16, 32] -> LayerNorm (MVN) -> QKV -> 4-head SDPA -> projection -> LayerNorm ->
    MLP with Gelu, both with residuals; a convolution stem makes the tokens."""
    image = ops.parameter([1, 3, 8, 8], np.float32, name="image")
    x = image.output(0)
    if quantize_inputs:  # an INT8 model quantizes activations too: free, as in model_analyzer
        x = ops.fake_quantize(x, np.float32(0), np.float32(1), np.float32(0), np.float32(1), 256)
    stem = ops.convolution(x, weight(weights(WIDTH, 3, 2, 2)), [2, 2], [0, 0], [0, 0], [1, 1])
    tokens = ops.transpose(ops.reshape(stem, np.int64([1, WIDTH, TOKENS]), False), [0, 2, 1])

    def dense(x: ov.Output, inputs: int, width: int) -> ov.Output:
        product = ops.matmul(x, weight(weights(inputs, width)), False, False)
        return ops.add(product, weight(weights(width))).output(0)

    def norm(x: ov.Output) -> ov.Output:
        normal = ops.mvn(x, np.int64([-1]), True, 1e-5, "inside_sqrt")
        scaled = ops.multiply(normal, weight(weights(WIDTH)))
        return ops.add(scaled, weight(weights(WIDTH))).output(0)

    def heads(x: ov.Output) -> ov.Output:
        split = ops.reshape(x, np.int64([1, TOKENS, HEADS, WIDTH // HEADS]), False)
        return ops.transpose(split, np.int64([0, 2, 1, 3])).output(0)

    qkv = ops.split(dense(norm(tokens.output(0)), WIDTH, 3 * WIDTH), np.int64(-1), 3)
    attention = ops.scaled_dot_product_attention(*(heads(part) for part in qkv.outputs()))
    merged = ops.reshape(
        ops.transpose(attention, np.int64([0, 2, 1, 3])), [1, TOKENS, WIDTH], False
    )
    x = ops.add(tokens, dense(merged, WIDTH, WIDTH)).output(0)
    hidden = ops.gelu(dense(norm(x), WIDTH, 2 * WIDTH), "tanh")
    y = ops.add(x, dense(hidden.output(0), 2 * WIDTH, WIDTH))
    y.output(0).set_names({"features"})
    return ov.Model([y], [image], "encoder")


def weights(*shape: int) -> np.ndarray:
    return RNG.standard_normal(shape).astype(np.float32)


@pytest.mark.parametrize("convention", list(CONVENTIONS))
@pytest.mark.parametrize(
    ("twin", "weight", "quantize_inputs", "fp16"),
    [
        ("FP16", plain, False, True),
        ("INT8 FakeQuantize", fake_quantized, True, False),
        ("INT8 compressed weights", compressed, False, False),
    ],
)
def test_precisions_count_as_fp32(
    tmp_path: Path, convention: str, twin: str, weight: Weight, quantize_inputs: bool, fp16: bool
) -> None:
    state = RNG.bit_generator.state
    fp32 = count_complexity(read(tmp_path, encoder(plain)), convention=convention)
    RNG.bit_generator.state = state
    model = read(tmp_path, encoder(weight, quantize_inputs), fp16)
    if fp16:
        assert any(op.get_element_type() == ov.Type.f16 for op in model.get_ops()), twin
    count = count_complexity(model, convention=convention)
    assert (count.flops, count.params) == (fp32.flops, fp32.params), twin
    assert count.flops_by_type == fp32.flops_by_type and count.unknown_ops == {}
    # 2 norms + 4 dense layers (weight + bias) + the stem
    dense = 32 * 96 + 96 + 32 * 32 + 32 + 32 * 64 + 64 + 64 * 32 + 32
    assert fp32.params == 4 * WIDTH + dense + WIDTH * 3 * 2 * 2


def test_model_analyzer_comparison_skips_without_a_copy(tmp_path: Path) -> None:
    """The comparison bench needs model_analyzer's source, which no package ships: without
    `--model-analyzer PATH` it says so and succeeds; a wrong path is a one-line error."""
    script = [sys.executable, str(ROOT / "bench" / "model_analyzer_compare.py")]
    done = subprocess.run(script, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "model_analyzer comparison skipped: no --model-analyzer PATH given\n"
    done = subprocess.run(
        [*script, "--model-analyzer", str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert done.stderr == f"{tmp_path}: no model_analyzer/layer_provider.py there\n"
