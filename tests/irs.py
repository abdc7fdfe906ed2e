"""Small real IRs for validation tests: built with the opset API, saved with openvino.save_model."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import openvino as ov
import openvino.opset16 as ops

# classifier(): image [1, 3, 64, 64] -> conv 16x3x3x3 (pad 1) -> relu = features [1, 16, 64, 64]
#                                    -> flatten [1, 65536] -> matmul [65536, 10] = logits [1, 10]
CONV_FLOPS = 2 * (16 * 64 * 64) * (3 * 3 * 3)  # 2 x outputs x MACs per output
RELU_FLOPS = 2 * 16 * 64 * 64  # cmp + mul per element
MATMUL_FLOPS = 2 * 10 * 65536  # 2 x outputs x K
GFLOPS = (CONV_FLOPS + RELU_FLOPS + MATMUL_FLOPS) / 1e9  # 0.004980736
MPARAMS = (16 * 3 * 3 * 3 + 65536 * 10) / 1e6  # 0.655792


def classifier(xml: Path, *, dynamic_batch: bool = False, seed: int = 0) -> Path:
    """Two outputs, 'features' and 'logits'; the input 'image' carries the layout NCHW."""
    rng = np.random.default_rng(seed)
    batch = -1 if dynamic_batch else 1
    image = ops.parameter(ov.PartialShape([batch, 3, 64, 64]), np.float32, name="image")
    image.set_layout(ov.Layout("NCHW"))
    image.output(0).set_names({"image"})
    weights = rng.standard_normal((16, 3, 3, 3)).astype(np.float32)
    features = ops.relu(ops.convolution(image, weights, [1, 1], [1, 1], [1, 1], [1, 1]))
    flat = ops.reshape(features, np.array([-1, 65536], np.int64), special_zero=False)
    dense = rng.standard_normal((65536, 10)).astype(np.float32) / 256
    logits = ops.matmul(flat, dense, False, False)
    features.output(0).set_names({"features"})
    logits.output(0).set_names({"logits"})
    return save(ov.Model([features, logits], [image], "classifier"), xml)


def endless_loop(xml: Path) -> Path:
    """x [1, 16] -> a Loop adding 1, 10^12 times: reads, counts and compiles, then never ends."""
    x = ops.parameter([1, 16], np.float32, name="x")
    body_x = ops.parameter([1, 16], np.float32, name="body_x")
    body_sum = ops.add(body_x, np.ones((1, 16), np.float32))
    body = ov.Model([ops.constant(True).output(0), body_sum.output(0)], [body_x], "body")
    loop = ops.loop(ops.constant(np.int64(10**12)), ops.constant(True))
    loop.set_function(body)
    loop.set_special_body_ports([-1, 0])
    loop.set_merged_input(body_x, x.output(0), body_sum.output(0))
    out = loop.get_iter_value(body_sum.output(0), -1)
    out.set_names({"y"})
    return save(ov.Model([out], [x], "endless"), xml)


def log_of_negative(xml: Path) -> Path:
    """x [1, 4] -> log(x - 2): NaN for every input in [0, 1), as a broken model would give."""
    x = ops.parameter([1, 4], np.float32, name="x")
    y = ops.log(ops.subtract(x, np.float32(2)))
    y.output(0).set_names({"y"})
    return save(ov.Model([y], [x], "nan"), xml)


def save(model: ov.Model, xml: Path) -> Path:
    xml.parent.mkdir(parents=True, exist_ok=True)
    ov.save_model(model, xml, compress_to_fp16=False)
    return xml


def edit_xml(xml: Path, pattern: str, replacement: str) -> None:
    text = xml.read_text(encoding="utf-8")
    edited = re.sub(pattern, replacement, text)
    assert edited != text, f"{pattern} not in {xml}"
    xml.write_text(edited, encoding="utf-8")


def strip_output_names(xml: Path) -> None:
    """Unnamed outputs, as older converters wrote them: no tensor names on the Results."""
    edit_xml(xml, r' (output_)?names="(features|logits)"', "")


def truncate_weights(xml: Path) -> None:
    weights = xml.with_suffix(".bin")
    weights.write_bytes(weights.read_bytes()[:100])


def unknown_op(xml: Path) -> None:
    edit_xml(xml, r'type="ReLU"', 'type="FancyOp"')
