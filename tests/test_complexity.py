"""GFLOPs / MParams counting: small real OpenVINO graphs checked against hand-computed numbers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnx
import openvino as ov
import openvino.opset16 as ops
import pytest

from generator.validation.complexity import count_complexity

RNG = np.random.default_rng(0)


def weights(*shape: int) -> np.ndarray:
    # Random, so no two weight tensors are alike (identical constants stay distinct params).
    return RNG.standard_normal(shape).astype(np.float32)


def save_and_read(
    tmp_path: Path,
    outputs: list[ov.Node] | list[ov.Output],
    inputs: list[ov.Node],
    fp16: bool = False,
) -> ov.Model:
    """Round-trip through IR so the counter sees what `Core().read_model` gives."""
    path = tmp_path / "model.xml"
    ov.save_model(ov.Model(outputs, inputs), path, compress_to_fp16=fp16)
    return ov.Core().read_model(path)


def conv(x: ov.Node, w: ov.Node | np.ndarray, pad: int = 1) -> ov.Node:
    return ops.convolution(x, w, [1, 1], [pad, pad], [pad, pad], [1, 1])


def test_convolution_is_two_macs_per_output(tmp_path: Path) -> None:
    x = ops.parameter([1, 3, 8, 8], np.float32, name="x")
    model = save_and_read(tmp_path, [conv(x, weights(4, 3, 3, 3))], [x])
    count = count_complexity(model)
    # out 1x4x8x8 = 256 values, each C_in x k = 3 x 3x3 = 27 MACs
    assert count.flops_by_type == {"Convolution": 2 * 256 * 27}
    assert count.params == 4 * 3 * 3 * 3
    assert count.gflops == 13824 / 1e9
    assert count.mparams == 108 / 1e6
    assert not count.dynamic and count.unknown_ops == {}


def test_group_convolution_reduces_over_group_channels(tmp_path: Path) -> None:
    x = ops.parameter([1, 4, 8, 8], np.float32, name="x")
    # filter [G=2, C_out/G=3, C_in/G=2, 3, 3]
    y = ops.group_convolution(x, weights(2, 3, 2, 3, 3), [1, 1], [1, 1], [1, 1], [1, 1])
    count = count_complexity(save_and_read(tmp_path, [y], [x]))
    # out 1x6x8x8 = 384 values, each C_in/G x k = 2 x 9 = 18 MACs
    assert count.flops == 2 * 384 * 18
    assert count.params == 2 * 3 * 2 * 9


def test_depthwise_convolution(tmp_path: Path) -> None:
    x = ops.parameter([1, 4, 8, 8], np.float32, name="x")
    y = ops.group_convolution(x, weights(4, 1, 1, 3, 3), [1, 1], [1, 1], [1, 1], [1, 1])
    count = count_complexity(save_and_read(tmp_path, [y], [x]))
    # out 1x4x8x8 = 256 values, each 1 channel x 9 = 9 MACs
    assert count.flops_by_type == {"GroupConvolution": 2 * 256 * 9}
    assert count.params == 4 * 9


def test_deconvolution(tmp_path: Path) -> None:
    x = ops.parameter([1, 4, 4, 4], np.float32, name="x")
    # filter [C_in=4, C_out=2, 2, 2], stride 2: out 1x2x8x8
    y = ops.convolution_backprop_data(x, weights(4, 2, 2, 2), [2, 2])
    # grouped: filter [G=2, C_in/G=2, C_out/G=3, 2, 2], stride 2: out 1x6x8x8
    z = ops.group_convolution_backprop_data(x, weights(2, 2, 3, 2, 2), [2, 2])
    count = count_complexity(save_and_read(tmp_path, [y, z], [x]))
    # each of the 64 input values scatters into C_out x k outputs;
    # model_analyzer's per-output form agrees: 128 out x 2 x C_in 4 x k 4 / stride 4 = 1024
    assert count.flops_by_type["ConvolutionBackpropData"] == 2 * 64 * (2 * 4)
    # 384 out x 2 x C_in/G 2 x k 4 / stride 4 = 1536
    assert count.flops_by_type["GroupConvolutionBackpropData"] == 2 * 64 * (3 * 4)
    assert count.params == 4 * 2 * 4 + 2 * 2 * 3 * 4


def test_matmul_reduces_over_the_transposed_dimension(tmp_path: Path) -> None:
    a = ops.parameter([2, 5], np.float32, name="a")
    by_b = ops.matmul(a, weights(3, 5), False, True)  # [2,5] x [3,5]^T -> [2,3], K = 5
    at = ops.parameter([5, 2], np.float32, name="at")
    by_a = ops.matmul(at, weights(5, 3), True, False)  # [5,2]^T x [5,3] -> [2,3], K = 5
    count = count_complexity(save_and_read(tmp_path, [by_b, by_a], [a, at]))
    assert count.flops_by_type == {"MatMul": 2 * (2 * 2 * 3 * 5)}
    assert count.params == 3 * 5 + 5 * 3


def test_fully_connected_with_bias(tmp_path: Path) -> None:
    x = ops.parameter([1, 8], np.float32, name="x")
    y = ops.add(ops.matmul(x, weights(8, 4), False, False), weights(4))
    count = count_complexity(save_and_read(tmp_path, [y], [x]))
    # 4 outputs x 8 MACs; the bias is 1 add per output
    assert count.flops_by_type == {"MatMul": 2 * 4 * 8, "Add": 4}
    assert count.params == 8 * 4 + 4


def test_fake_quantized_weights_count_once_and_their_limits_not(tmp_path: Path) -> None:
    x = ops.parameter([1, 3, 8, 8], np.float32, name="x")

    def fake_quantize(data: ov.Node | np.ndarray) -> ov.Node:
        low, high = np.float32(-1), np.float32(1)
        return ops.fake_quantize(data, low, high, low, high, 255)

    y = conv(fake_quantize(x), fake_quantize(weights(4, 3, 3, 3)))
    count = count_complexity(save_and_read(tmp_path, [y], [x]))
    assert count.flops_by_type == {"Convolution": 2 * 256 * 27}  # FakeQuantize: free
    assert count.params == 4 * 3 * 3 * 3
    assert count.unknown_ops == {}


def test_int8_weights_with_dequantization_count_weights_only(tmp_path: Path) -> None:
    x = ops.parameter([1, 3, 8, 8], np.float32, name="x")
    w = ops.convert(ops.constant(RNG.integers(-127, 127, (4, 3, 3, 3), dtype=np.int8)), "f32")
    zero_point = ops.convert(ops.constant(np.full((4, 1, 1, 1), 3, np.uint8)), "f32")
    scale = ops.constant(np.full((4, 1, 1, 1), 0.02, np.float32))
    y = conv(x, ops.multiply(ops.subtract(w, zero_point), scale))
    count = count_complexity(save_and_read(tmp_path, [y], [x]))
    # the dequantization folds at compile time: no FLOPs; scale and zero point are not weights
    assert count.flops_by_type == {"Convolution": 2 * 256 * 27}
    assert count.params == 4 * 3 * 3 * 3


def test_fp16_compressed_weights(tmp_path: Path) -> None:
    x = ops.parameter([1, 3, 8, 8], np.float32, name="x")
    y = ops.add(conv(x, weights(4, 3, 3, 3)), weights(1, 4, 1, 1))
    model = save_and_read(tmp_path, [y], [x], fp16=True)
    decompressed = [op for op in model.get_ordered_ops() if op.get_type_name() == "Convert"]
    assert decompressed and all(
        op.input(0).get_element_type() == ov.Type.f16 for op in decompressed
    )
    count = count_complexity(model)
    assert count.flops_by_type == {"Convolution": 2 * 256 * 27, "Add": 256}
    assert count.params == 4 * 3 * 3 * 3 + 4


def test_shared_weights_count_once_for_params_twice_for_flops(tmp_path: Path) -> None:
    x = ops.parameter([1, 3, 8, 8], np.float32, name="x")
    w = ops.constant(weights(3, 3, 3, 3))
    y = conv(ops.relu(conv(x, w)), w)
    count = count_complexity(save_and_read(tmp_path, [y], [x]))
    # two convs of 1x3x8x8 = 192 outputs x 27 MACs; relu: cmp + mul on 192 values
    assert count.flops_by_type == {"Convolution": 2 * (2 * 192 * 27), "Relu": 2 * 192}
    assert count.params == 3 * 3 * 3 * 3


def test_dynamic_batch_is_reported_and_shapes_override_counts_it(tmp_path: Path) -> None:
    x = ops.parameter([-1, 3, 8, 8], np.float32, name="x")
    model = save_and_read(tmp_path, [ops.relu(conv(x, weights(4, 3, 3, 3)))], [x])
    count = count_complexity(model)
    assert count.dynamic
    assert count.dynamic_inputs == {"x": "[?,3,8,8]"}
    assert count.dynamic_ops == {"Convolution": 1, "Relu": 1}
    assert count.flops == 0
    assert count.params == 108  # weights have static shapes

    count = count_complexity(model, shapes={"x": [2, 3, 8, 8]})
    assert not count.dynamic
    # out 2x4x8x8 = 512 values
    assert count.flops_by_type == {"Convolution": 2 * 512 * 27, "Relu": 2 * 512}
    assert model.inputs[0].get_partial_shape().is_dynamic  # the caller's model is untouched


def test_if_counts_the_costlier_branch_and_the_weights_of_both(tmp_path: Path) -> None:
    x = ops.parameter([1, 3, 8, 8], np.float32, name="x")
    condition = ops.parameter([], np.bool_, name="condition")
    then_x = ops.parameter([1, 3, 8, 8], np.float32)
    then_body = ov.Model([ops.result(conv(then_x, weights(4, 3, 3, 3)))], [then_x])
    else_x = ops.parameter([1, 3, 8, 8], np.float32)
    else_body = ov.Model([ops.result(conv(else_x, weights(4, 3, 1, 1), pad=0))], [else_x])
    branch = ops.if_op(condition)
    branch.set_then_body(then_body)
    branch.set_else_body(else_body)
    branch.set_input(x.output(0), then_x, else_x)
    y = branch.set_output(then_body.get_results()[0], else_body.get_results()[0])
    count = count_complexity(save_and_read(tmp_path, [y], [x, condition]))
    # then: 256 outputs x 27 MACs = 13824 FLOPs; else: 256 x 3 MACs = 1536 FLOPs
    assert count.flops_by_type == {"Convolution": 2 * 256 * 27}
    assert count.params == 4 * 3 * 9 + 4 * 3
    assert count.unknown_ops == {}


def test_loop_counts_its_body_per_iteration(tmp_path: Path) -> None:
    x = ops.parameter([2, 4], np.float32, name="x")
    body_x = ops.parameter([2, 4], np.float32)
    step = ops.matmul(body_x, weights(4, 4), False, False)
    body = ov.Model([ops.result(ops.constant(True)), ops.result(step)], [body_x])
    loop = ops.loop(ops.constant(np.int64(3)), ops.constant(True))
    loop.set_function(body)
    loop.set_special_body_ports([-1, 0])
    loop.set_merged_input(body_x, x.output(0), body.get_results()[1].output(0))
    y = loop.get_iter_value(body.get_results()[1].output(0), -1)
    count = count_complexity(save_and_read(tmp_path, [y], [x]))
    # 3 iterations x (2x4 outputs x 4 MACs)
    assert count.flops_by_type == {"MatMul": 3 * 2 * 8 * 4}
    assert count.params == 16


def test_lstm_sequence_per_step_with_its_gates(tmp_path: Path) -> None:
    batch, steps, inputs, hidden = 2, 3, 5, 4
    x = ops.parameter([batch, steps, inputs], np.float32, name="x")
    h = ops.parameter([batch, 1, hidden], np.float32, name="h")
    c = ops.parameter([batch, 1, hidden], np.float32, name="c")
    lengths = ops.constant(np.full(batch, steps, np.int32))
    w, r, b = weights(1, 16, inputs), weights(1, 16, hidden), weights(1, 16)  # 4 gates x 4
    y = ops.lstm_sequence(x, h, c, lengths, w, r, b, hidden, "forward").output(0)
    model = save_and_read(tmp_path, [y], [x, h, c])
    full = count_complexity(model, convention="full")
    # per sample and step: X.W^T (16x5 MACs) + H.R^T (16x4 MACs), then per hidden value:
    # 4 gates x (product sum + bias) 8, sigmoid i, f, o 9, tanh g 6, c = fc + ig 3, tanh c 6, o* 1
    products = 2 * (16 * 5 + 16 * 4)
    assert full.flops_by_type == {"LSTMSequence": batch * steps * (products + hidden * 33)}
    assert full.params == 16 * 5 + 16 * 4 + 16  # the int lengths are not a weight
    analyzer = count_complexity(model)  # model_analyzer has no rule for recurrent ops
    assert analyzer.flops_by_type == {"LSTMSequence": 0} and analyzer.unknown_ops == {}
    assert analyzer.zero_by_convention == {"LSTMSequence"} and not full.zero_by_convention
    assert analyzer.params == full.params


def test_bidirectional_gru_sequence_counts_both_directions(tmp_path: Path) -> None:
    batch, steps, inputs, hidden = 1, 4, 3, 2
    x = ops.parameter([batch, steps, inputs], np.float32, name="x")
    h = ops.parameter([batch, 2, hidden], np.float32, name="h")
    lengths = ops.constant(np.full(batch, steps, np.int32))
    w, r, b = weights(2, 6, inputs), weights(2, 6, hidden), weights(2, 6)  # 3 gates x 2, 2 dirs
    y = ops.gru_sequence(x, h, lengths, w, r, b, hidden, "bidirectional").output(0)
    model = save_and_read(tmp_path, [y], [x, h])
    # both directions: 2 x (6x3 + 6x2) MACs; per hidden value and direction: 3 gates x 2,
    # z and r sigmoids 6, tanh 6, r* 1, (1 - z)h~ + zh 4 = 23
    per_step = 2 * (2 * 6 * 3 + 2 * 6 * 2) + 2 * hidden * 23
    assert count_complexity(model, convention="full").flops == batch * steps * per_step
    assert count_complexity(model, convention="model-analyzer").flops == 0


def test_pooling_costs_kernel_elements_per_output(tmp_path: Path) -> None:
    x = ops.parameter([1, 2, 8, 8], np.float32, name="x")
    max_pool = ops.max_pool(x, [2, 2], [1, 1], [0, 0], [0, 0], [2, 2]).output(0)
    avg_pool = ops.avg_pool(x, [1, 1], [1, 1], [1, 1], [3, 3], False).output(0)
    count = count_complexity(save_and_read(tmp_path, [max_pool, avg_pool], [x]))
    # max: out 1x2x4x4 = 32 x 2x2; avg: out 1x2x8x8 = 128 x 3x3
    assert count.flops_by_type == {"MaxPool": 32 * 4, "AvgPool": 128 * 9}
    assert count.params == 0


def test_elementwise_add_and_relu(tmp_path: Path) -> None:
    x = ops.parameter([1, 2, 4, 4], np.float32, name="x")
    y = ops.relu(ops.add(ops.add(x, x), weights(1, 2, 1, 1)))
    count = count_complexity(save_and_read(tmp_path, [y], [x]))
    # 32 values: two adds of 1, relu cmp + mul = 2; the per-channel addend is a parameter
    assert count.flops_by_type == {"Add": 2 * 32, "Relu": 2 * 32}
    assert count.params == 2


def test_softmax(tmp_path: Path) -> None:
    x = ops.parameter([2, 10], np.float32, name="x")
    count = count_complexity(save_and_read(tmp_path, [ops.softmax(x, 1)], [x]))
    # max + sub + exp + sum + div per value
    assert count.flops_by_type == {"Softmax": 5 * 20}


@pytest.mark.parametrize(
    ("build", "per_value"),
    [
        (lambda x: ops.sigmoid(x), 3),
        (lambda x: ops.tanh(x), 3 + 2 + 1),  # sigmoid + 2 mul + sum
        (lambda x: ops.clamp(x, 0.0, 6.0), 2),  # min + max
        (lambda x: ops.hswish(x), 4),  # div + min + max + sum
        (lambda x: ops.swish(x), 5),  # div + sum + div + exp + mul
        (lambda x: ops.mish(x), 1 + 6 + 1 + 1 + 1),  # mul + tanh + log + sum + exp
    ],
)
def test_activation_costs_per_value(
    tmp_path: Path, build: Callable[[ov.Node], ov.Node], per_value: int
) -> None:
    x = ops.parameter([1, 2, 4, 4], np.float32, name="x")
    count = count_complexity(save_and_read(tmp_path, [build(x)], [x]))
    assert count.flops == per_value * 32
    assert count.unknown_ops == {}


@pytest.mark.parametrize(
    ("build", "analyzer", "full"),
    [
        # model_analyzer has no Gelu rule; in full, the tanh form in unit ops (see GELU)
        (lambda x: ops.gelu(x, "erf"), 0, 14),
        (lambda x: ops.gelu(x, "tanh"), 0, 14),
        # MA's Mvn reads normalize_variance as '1', OpenVINO gives True: always 2 there
        (lambda x: ops.mvn(x, np.int64([2, 3]), True, 1e-9, "inside_sqrt"), 2, 5),
        (lambda x: ops.mvn(x, np.int64([2, 3]), False, 1e-9, "inside_sqrt"), 2, 2),
    ],
)
def test_gelu_and_mvn_per_convention(
    tmp_path: Path, build: Callable[[ov.Node], ov.Node], analyzer: int, full: int
) -> None:
    x = ops.parameter([1, 2, 4, 4], np.float32, name="x")
    model = save_and_read(tmp_path, [build(x)], [x])
    assert count_complexity(model, convention="model-analyzer").flops == analyzer * 32
    assert count_complexity(model, convention="full").flops == full * 32
    assert count_complexity(model).convention == "model-analyzer"  # the default


@pytest.mark.parametrize(
    ("build", "full"),
    [
        (lambda x: ops.maximum(x, x), 1),
        (lambda x: ops.minimum(x, x), 1),
        (lambda x: ops.greater(x, np.float32(0)), 1),  # cmp
        (lambda x: ops.power(x, np.float32(2)), 1 + 1 + (2 - 1)),  # mul + add + (p - 1) mul
        (lambda x: ops.power(x, np.float32(3)), 1 + 1 + (3 - 1)),
        # per channel: (x - mean) / sqrt(var + eps) x gamma + beta, as a scale and a shift
        (lambda x: ops.batch_norm_inference(x, *np.ones((4, 2), np.float32), 1e-5), 2),
    ],
)
def test_ops_model_analyzer_has_no_rule_for(
    tmp_path: Path, build: Callable[[ov.Node], ov.Node], full: int
) -> None:
    """model_analyzer's rules for these never match an OpenVINO op: 0 in its convention."""
    x = ops.parameter([1, 2, 4, 4], np.float32, name="x")
    model = save_and_read(tmp_path, [build(x)], [x])
    analyzer = count_complexity(model)
    assert analyzer.flops == 0 and analyzer.unknown_ops == {}
    assert analyzer.zero_by_convention  # named as counted 0 by the convention, not as unknown
    assert count_complexity(model, convention="full").flops == full * 32


@pytest.mark.parametrize(
    ("mask", "scale", "causal"),
    [(False, False, False), (True, False, False), (True, True, False), (False, True, True)],
)
def test_attention_is_its_products_scale_mask_and_softmax(
    tmp_path: Path, mask: bool, scale: bool, causal: bool
) -> None:
    batch, heads, length, source, e, ev = 2, 3, 4, 5, 8, 6
    q = ops.parameter([batch, heads, length, e], np.float32, name="q")
    k = ops.parameter([batch, heads, source, e], np.float32, name="k")
    v = ops.parameter([batch, heads, source, ev], np.float32, name="v")
    extra = []
    if mask or scale:
        extra.append(weights(length, source) if mask else np.float32(0))
    if scale:
        extra.append(np.float32(0.5))
    y = ops.scaled_dot_product_attention(q, k, v, *extra, causal=causal)
    model = save_and_read(tmp_path, [y], [q, k, v])
    scores = batch * heads * length * source
    # per score: Q.K^T 2 x E, scale 1 (the default 1/sqrt(E) too), softmax 5, mask 1, P.V 2 x Ev
    per_score = 2 * e + 1 + 5 + (mask or causal) + 2 * ev
    assert count_complexity(model, convention="full").flops == scores * per_score
    # model_analyzer has no SDPA rule, but counted OMZ's unfused attention the same way
    assert count_complexity(model, convention="model-analyzer").flops == scores * per_score
    # the mask and the scale are constant inputs: parameters, as model_analyzer counts them
    count = count_complexity(model)
    assert count.params == sum(np.size(value) for value in extra) and not count.dynamic


def test_unknown_ops_are_reported_not_guessed(tmp_path: Path) -> None:
    x = ops.parameter([1, 2, 4, 4], np.float32, name="x")
    y = ops.transpose(ops.erf(x), np.int64([0, 2, 3, 1]))
    count = count_complexity(save_and_read(tmp_path, [y], [x]))
    assert count.unknown_ops == {"Erf": 1}  # Transpose is known free, so not listed
    assert count.flops == 0


# The onnx package's light models keep the real tensor shapes (weights are ConstantOfShape fills).
# Published: OMZ models/public/<name>/README.md, computed there by model_analyzer.
@pytest.mark.parametrize(
    ("light_model", "gflops", "mparams", "unknown_ops"),
    [
        # Caffe2 ResNet-50, 1x3x224x224; resnet-50-caffe2: 8.216 / 25.53, resnet-50-tf: 8.2164
        ("light_resnet50.onnx", 8.2164, 25.53, {}),
        ("light_vgg19.onnx", 39.3, 143.667, {}),  # vgg19
        # densenet-121; its global pooling is a ReduceMean here, which has no rule
        ("light_densenet121.onnx", 5.724, 7.971, {"ReduceMean": 1}),
    ],
)
def test_onnx_models_match_open_model_zoo(
    light_model: str, gflops: float, mparams: float, unknown_ops: dict[str, int]
) -> None:
    path = Path(onnx.__file__).parent / "backend/test/data/light" / light_model
    count = count_complexity(ov.convert_model(path))
    assert count.gflops == pytest.approx(gflops, rel=0.01)
    assert count.mparams == pytest.approx(mparams, rel=0.01)
    assert count.unknown_ops == unknown_ops and not count.dynamic
