"""Count the GFLOPs and MParams of an OpenVINO model under a named convention (conventions.py).

The shared per-op rules follow openvinotoolkit/model_analyzer (`model_analyzer/layer_provider.py`,
"MA" below): FLOPs = 2 x MACs for products, unit costs per output element else; the model is
constant-folded on a copy first, as MA's figures are. Rules that differ register per convention.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.validation.conventions import CONVENTIONS, DEFAULT_CONVENTION

# OpenVINO is imported where a model is counted: the registry alone (the site's counting rules
# page) must not load the runtime into every site build
if TYPE_CHECKING:
    import openvino
    from openvino import Input, Node, Output

# Every MA primitive (add, mul, cmp, max, exp, sqrt, ...) costs 1, so these are sums of primitives.
# Cost per element of output 0; the comment is MA's formula (its class name when it differs).
PER_ELEMENT: dict[str, int] = {
    "Add": 1,  # add
    "Subtract": 1,  # sub (MA writes self.div, also 1)
    "Multiply": 1,  # mul
    "Divide": 1,  # div
    "Maximum": 1,  # max (MA has no rule: 0 there)
    "Minimum": 1,  # min (MA has no rule: 0 there)
    "Less": 1,  # cmp
    "LessEqual": 1,  # cmp
    "Greater": 1,  # cmp (MA registers 'Greater ' with a space, so never matches: 0 there)
    "GreaterEqual": 1,  # cmp
    "Exp": 1,  # exp
    "Log": 1,  # log
    "Round": 1,  # round
    "Relu": 2,  # cmp + mul
    "Clamp": 2,  # min + max
    "PRelu": 2,  # Prelu: 2
    "Elu": 3,  # 3
    "Sigmoid": 3,  # 3
    "SoftPlus": 3,  # ln(e^x + 1): log + exp + sum
    "GRN": 3,  # Grn: 3
    "HSwish": 4,  # x * min(max(x + 3, 0), 6) / 6: div + min + max + sum
    "HardSigmoid": 4,  # max(0, min(1, a * x + b)): max + min + mul + sum
    "NormalizeL2": 4,  # Normalize: cmp + mul + sum + sqrt
    "ReduceL1": 4,  # ReduceL: as Normalize
    "ReduceL2": 4,  # ReduceL: as Normalize
    "Swish": 5,  # x / (1 + 1 / e^(b * x)): div + sum + div + exp + mul
    "Acosh": 5,  # ln(x + sqrt(x * x - 1)): log + sum + sub + sqrt + mul
    "Asinh": 5,  # ln(x + sqrt(x * x + 1)): log + 2 sum + sqrt + mul
    "Atanh": 5,  # 0.5 * ln((1 + x) / (1 - x)): mul + log + sum + sub + div
    "Softmax": 5,  # SoftMax: max + sub + exp + sum + div
    "LogSoftmax": 6,  # LogSoftMax: softmax + log
    "Tanh": 6,  # sigmoid (3) + 2 mul + sum
    "Mish": 10,  # x * tanh(ln(1 + e^x)): mul + tanh (6) + log + sum + exp
    # MA's BatchNormalization, a ScaleShift: 2 (mul + add); OpenVINO's op has another name, so
    # MA counts it 0
    "BatchNormInference": 2,
}

# Known to cost nothing: data movement, shape arithmetic, and what MA counts as NonMathLayer (0).
FREE: frozenset[str] = frozenset(
    {
        "Parameter",
        "Result",
        "Constant",
        "Convert",
        "ConvertLike",
        "Reshape",
        "Transpose",
        "Squeeze",
        "Unsqueeze",
        "Concat",
        "Split",
        "VariadicSplit",
        "StridedSlice",
        "Slice",
        "Gather",
        "GatherND",
        "GatherElements",
        "GatherTree",
        "ShapeOf",
        "Broadcast",
        "Tile",
        "Pad",
        "Range",
        "Select",
        "ScatterUpdate",
        "ScatterNDUpdate",
        "ScatterElementsUpdate",
        "ReverseSequence",
        "DepthToSpace",
        "SpaceToDepth",
        "ShuffleChannels",
        "BatchToSpace",
        "SpaceToBatch",
        "Identity",
        "ReadValue",
        "Assign",
        "ReduceMax",
        "ReduceMin",
        "NonMaxSuppression",
        "PriorBox",
        "PriorBoxClustered",
        "Proposal",
        "OneHot",
        # Quantization emulation: MA gives it no cost (uncounted_layers.FakeQuantize).
        "FakeQuantize",
    }
)

# A weight keeps its identity through these ops: its value is input 0, other inputs are layout,
# zero points (Subtract), scales (Multiply) or quantization limits (FakeQuantize).
_WEIGHT_CARRIERS = frozenset(
    {
        "Convert",
        "ConvertLike",
        "Reshape",
        "Squeeze",
        "Unsqueeze",
        "Transpose",
        "Broadcast",
        "Tile",
        "FakeQuantize",
        "Subtract",
        "Multiply",
    }
)

# Float inputs of these ops are settings (limits, pad value), not weights.
_NO_WEIGHT_INPUTS = frozenset({"FakeQuantize", "Pad"})

# Ops with bodies: their cost is the cost of the ops inside.
_SUBGRAPH_OPS = frozenset({"If", "Loop", "TensorIterator"})

# (W input, R input) of recurrent ops; X is [N, I] for cells, [N, T, I] for sequences.
_RECURRENT_WEIGHTS: dict[str, tuple[int, int]] = {
    "RNNCell": (2, 3),
    "GRUCell": (2, 3),
    "LSTMCell": (3, 4),
    "RNNSequence": (3, 4),
    "GRUSequence": (3, 4),
    "LSTMSequence": (4, 5),
}

# The tanh form 0.5x(1 + tanh(c(x + 0.044715x^3))) in MA primitives, both modes: x^3 (2 mul) +
# 0.044715* (mul) + x+ (sum) + c* (mul) + tanh (6) + 1+ (sum) + 0.5x* (2 mul). MA has no rule: 0.
GELU = 14

# Rules of MA that never apply to an OpenVINO op: under other names ('BatchNormalization',
# 'Greater ' with a space), missing (Maximum, Minimum), or whose test always fails (Power compares
# a method to 1). MA counts these ops 0, so `model-analyzer` does; `full` counts them.
MODEL_ANALYZER_ZERO = ("BatchNormInference", "Greater", "Maximum", "Minimum", "Power")

# Per hidden value, step and direction of a recurrent op under `full`, besides the gate products:
# the sum of the two products and the bias (2 per gate value), sigmoid 3, tanh 6, and the update.
RECURRENT_GATES: dict[str, int] = {
    # 1 gate: 2 + tanh
    "RNN": 2 + 6,
    # 3 gates: 3 x 2 + z, r sigmoids (2 x 3) + tanh + r*(.) (1) + (1 - z)h~ + zh (4)
    "GRU": 6 + 6 + 6 + 1 + 4,
    # 4 gates: 4 x 2 + i, f, o sigmoids (3 x 3) + g tanh + c = fc + ig (3) + tanh(c) + o*(.) (1)
    "LSTM": 8 + 9 + 6 + 3 + 6 + 1,
}

Cost = Callable[["Node"], float | None]  # None: the rule does not apply, the op is reported unknown
COSTS: dict[str, Cost] = {}  # rules of every convention
CONVENTION_COSTS: dict[str, dict[str, Cost]] = {name: {} for name in CONVENTIONS}


class DynamicDimension(Exception):
    """A dimension a cost needs is not static."""


@dataclass(frozen=True)
class ComplexityCount:
    """Complexity of one model at its input shapes, in the units Open Model Zoo publishes."""

    flops: int
    params: int
    flops_by_type: dict[str, int]  # op type -> FLOPs, every type with a rule (0 included)
    unknown_ops: dict[str, int]  # op type -> count, no rule: contributes 0
    dynamic_ops: dict[str, int]  # op type -> count, needs a dynamic dimension: contributes 0
    dynamic_inputs: dict[str, str] = field(default_factory=dict)  # input -> shape, "[?,3,8,8]"
    params_by_type: dict[str, int] = field(default_factory=dict)  # by the op type using them
    ops_by_type: dict[str, int] = field(default_factory=dict)  # op type -> ops computed at run time
    convention: str = DEFAULT_CONVENTION
    zero_by_convention: frozenset[str] = frozenset()  # op types the convention counts as 0

    @property
    def gflops(self) -> float:
        return self.flops / 1e9

    @property
    def mparams(self) -> float:
        return self.params / 1e6

    @property
    def dynamic(self) -> bool:
        return bool(self.dynamic_ops or self.dynamic_inputs)


def count_complexity(
    model: openvino.Model,
    shapes: Mapping[str, Sequence[int]] | None = None,
    convention: str = DEFAULT_CONVENTION,
    *,
    fold: bool = True,
) -> ComplexityCount:
    """Count FLOPs and parameters; `shapes` (input name -> dims) overrides the input shapes.

    Counts a constant-folded copy (`fold`): subgraphs computed from shapes and constants become
    the constants the runtime computes once. The caller's model is never changed.
    """
    if convention not in CONVENTIONS:
        raise ValueError(f"unknown convention '{convention}' (known: {', '.join(CONVENTIONS)})")
    import openvino
    from openvino.passes import ConstantFolding, Manager

    if shapes:
        model = model.clone()  # reshape works in place; the caller's model stays as it was
        model.reshape({name: openvino.PartialShape(list(dims)) for name, dims in shapes.items()})
    ops = model.get_ordered_ops()
    constant = _constant_ops(ops)
    if fold and _foldable(ops, constant):
        model = model if shapes else model.clone()  # folding works in place too
        manager = Manager()
        manager.register_pass(ConstantFolding())
        manager.run_passes(model)
        ops = model.get_ordered_ops()
        constant = _constant_ops(ops)
    weights = _Weights()
    tally = _count_ops(model, weights, rules(convention), (ops, constant))
    flops_by_type = {kind: round(flops) for kind, flops in sorted(tally.flops.items())}
    return ComplexityCount(
        flops=sum(flops_by_type.values()),
        params=weights.params,
        flops_by_type=flops_by_type,
        unknown_ops=dict(sorted(tally.unknown.items())),
        dynamic_ops=dict(sorted(tally.dynamic.items())),
        dynamic_inputs={
            _port_name(port): str(port.get_partial_shape())
            for port in model.inputs
            if port.get_partial_shape().is_dynamic
        },
        params_by_type=dict(sorted(weights.by_type.items())),
        ops_by_type=dict(sorted(tally.ops.items())),
        convention=convention,
        zero_by_convention=frozenset(
            kind for kind in flops_by_type if rules(convention)[kind] is _free
        ),
    )


def rules(convention: str) -> dict[str, Cost]:
    """The cost rules of a convention: the shared ones and its own."""
    return {**COSTS, **CONVENTION_COSTS[convention]}


def rule_table() -> list[tuple[str, dict[str, str]]]:
    """(op type, {convention: its rule in one line}) for every op with a rule, read from the
    registry itself: the first line of each cost function's docstring."""
    table = []
    for kind in sorted({kind for convention in CONVENTIONS for kind in rules(convention)}):
        row = {}
        for convention in CONVENTIONS:
            function = rules(convention).get(kind)
            row[convention] = (
                "no rule"
                if function is None
                else "0 (by this convention)"
                if function is _free
                else (function.__doc__ or "").strip().splitlines()[0]
            )
        table.append((kind, row))
    return table


def cost(*kinds: str, convention: str | None = None) -> Callable[[Cost], Cost]:
    """Register a cost function for op types, for every convention or for one."""

    def register(function: Cost) -> Cost:
        (COSTS if convention is None else CONVENTION_COSTS[convention]).update(
            dict.fromkeys(kinds, function)
        )
        return function

    return register


def _per_element(ops_per_element: int) -> Cost:
    def per_element(node: Node) -> float:
        return ops_per_element * _size(_out(node))

    per_element.__doc__ = f"{ops_per_element} per output value"  # the rule, as the site lists it
    return per_element


def _free(node: Node) -> float:
    """Counted, at 0: the convention gives the op no cost (unlike an op without a rule)."""
    return 0


COSTS.update({kind: _per_element(ops) for kind, ops in PER_ELEMENT.items()})
CONVENTION_COSTS["model-analyzer"].update(dict.fromkeys(("Gelu", *MODEL_ANALYZER_ZERO), _free))
CONVENTION_COSTS["full"]["Gelu"] = _per_element(GELU)


@cost("Convolution", "DeformableConvolution")
def _convolution(node: Node) -> float:
    """2 x out x C_in/group x k; MA Convolution: (mul + add) x (C_in / group) x kernel per output.

    Filter [C_out, C_in/group, k...] (Deformable: input 2), so C_in/group x k = filter[1:].
    """
    filter_input = 2 if node.get_type_name() == "DeformableConvolution" else 1
    return 2 * _size(_out(node)) * _size(_in(node, filter_input)[1:])


@cost("GroupConvolution")
def _group_convolution(node: Node) -> float:
    """2 x out x C_in/G x k; MA GroupConvolution, filter [G, C_out/G, C_in/G, k...].

    Depthwise is G = C_in: 2 x out x k.
    """
    return 2 * _size(_out(node)) * _size(_in(node, 1)[2:])


@cost("ConvolutionBackpropData")
def _deconvolution(node: Node) -> float:
    """2 x in x C_out x k, filter [C_in, C_out, k...]: each input scatters to C_out x k outputs.

    MA Deconvolution writes it per output as (mul + add) x C_in x k / stride: equal when
    out = in x stride (the usual deconvolution); this form needs no rounding.
    """
    return 2 * _size(_in(node, 0)) * _size(_in(node, 1)[1:])


@cost("GroupConvolutionBackpropData")
def _group_deconvolution(node: Node) -> float:
    """2 x in x C_out/G x k, filter [G, C_in/G, C_out/G, k...]; MA Deconvolution with group G."""
    return 2 * _size(_in(node, 0)) * _size(_in(node, 1)[2:])


@cost("MatMul", "FullyConnected")
def _matmul(node: Node) -> float:
    """2 x out x K; MA Gemm: 2 x A[-1] per output. K is A[-2] when transpose_a (MA ignores it)."""
    a = _in(node, 0)
    transposed = node.get_attributes().get("transpose_a", False) and len(a) > 1
    return 2 * _size(_out(node)) * (a[-2] if transposed else a[-1])


cost(*_RECURRENT_WEIGHTS, convention="model-analyzer")(_free)


@cost(*_RECURRENT_WEIGHTS, convention="full")
def _recurrent(node: Node) -> float:
    """2 x N x T x (|W| + |R|) + N x T x dirs x H x gates: every step and direction.

    The gate products X.W^T and H.R^T at MA's 2 x MAC (W is [gates x H, I], [dirs, gates x H, I]
    for sequences), then RECURRENT_GATES per hidden value with the default activations.
    """
    kind = node.get_type_name()
    w, r = _RECURRENT_WEIGHTS[kind]
    x = _in(node, 0)
    steps = x[1] if len(x) == 3 else 1
    attributes = node.get_attributes()
    directions = 2 if attributes.get("direction") == "bidirectional" else 1
    gates = RECURRENT_GATES[kind.removesuffix("Cell").removesuffix("Sequence")]
    products = 2 * (_size(_in(node, w)) + _size(_in(node, r)))
    return x[0] * steps * (products + directions * attributes["hidden_size"] * gates)


# Both conventions: MA predates this op and counts it 0, but the IRs behind OMZ's figures had
# attention as MatMul, Multiply, Add and Softmax, which MA counts so (Swin-T: 9.0288 GFLOPs with
# this rule, 8.8732 without, OMZ publishes 9.0280; bench/model_analyzer_compare.py).
@cost("ScaledDotProductAttention")
def _attention(node: Node) -> float:
    """Q [..., L, E], K [..., S, E], V [..., S, Ev] -> [..., L, Ev]; per score (batch x L x S):
    Q.K^T (2 x E), the scale (1: the op always scales, by 1/sqrt(E) when not given), softmax
    (5, as Softmax), a mask (1, when given or causal) and P.V (2 x Ev): as MA counts the
    unfused attention."""
    out, e, s = _out(node), _in(node, 0)[-1], _in(node, 1)[-2]
    scores = _size(out) // out[-1] * s
    masked = node.get_input_size() > 3 or node.get_attributes().get("causal", False)
    return scores * (2 * e + 1 + PER_ELEMENT["Softmax"] + masked + 2 * out[-1])


@cost("MaxPool", "AvgPool")
def _pooling(node: Node) -> float:
    """out x kernel; MA Pooling: (max or add) x ROI size per output (MaxPool-8 indices are free)."""
    return _size(_out(node)) * _size(node.get_attributes()["kernel"])


@cost("ROIPooling", "PSROIPooling")
def _roi_pooling(node: Node) -> float:
    """out x prod(in_spatial // out_spatial); MA PsRoiPooling: 1 x kernel, kernel approximated."""
    spatial = zip(_in(node, 0)[2:], _out(node)[2:], strict=True)
    return _size(_out(node)) * math.prod(i // o for i, o in spatial)


@cost("MVN", convention="full")
def _mvn(node: Node) -> float:
    """out x (5 if normalize_variance else 2): mean (2), subtract, and variance scaling (2)."""
    return (5 if node.get_attributes()["normalize_variance"] else 2) * _size(_out(node))


@cost("MVN", convention="model-analyzer")
def _mvn_as_model_analyzer(node: Node) -> float:
    """out x 2: MA Mvn compares the attribute to '1', but OpenVINO gives it as a bool."""
    return 2 * _size(_out(node))


@cost("Power", convention="full")
def _power(node: Node) -> float | None:
    """out x (p + 1) for a scalar constant exponent p; MA Power: mul + add + (p - 1) x mul.

    MA compares a bound method to 1 there and so never counts Power: `full` applies its formula.
    """
    exponent = node.input_value(1).get_node()
    while exponent.get_type_name() in {"Convert", "Reshape", "Squeeze", "Unsqueeze"}:
        exponent = exponent.input_value(0).get_node()
    if exponent.get_type_name() != "Constant" or _size(exponent.get_output_shape(0)) != 1:
        return None
    return (float(exponent.get_data().item()) + 1) * _size(_out(node))


@dataclass
class _Tally:
    flops: Counter[str] = field(default_factory=Counter)
    unknown: Counter[str] = field(default_factory=Counter)
    dynamic: Counter[str] = field(default_factory=Counter)
    ops: Counter[str] = field(default_factory=Counter)

    def add(self, other: _Tally, times: int = 1) -> None:
        self.flops.update({kind: flops * times for kind, flops in other.flops.items()})
        self.unknown.update(other.unknown)
        self.dynamic.update(other.dynamic)
        self.ops.update(other.ops)


@dataclass
class _Weights:
    """Elements of the constants that feed the model's ops, each constant counted once."""

    params: int = 0
    seen: set[int] = field(default_factory=set)
    by_type: Counter[str] = field(default_factory=Counter)

    def visit(self, node: Node, constant: set[int]) -> None:
        """MA counts every constant input of an op; we skip shapes, axes, indices (not float)."""
        if node.get_type_name() in _NO_WEIGHT_INPUTS:
            return
        for port in node.inputs():
            source = port.get_source_output()
            if not port.get_element_type().is_real():
                continue
            if source.get_node().get_instance_id() in constant:
                for root in _constant_roots(source):
                    if root.get_instance_id() not in self.seen:
                        self.seen.add(root.get_instance_id())
                        size = _size(root.get_output_shape(0))
                        self.params += size
                        self.by_type[node.get_type_name()] += size


def _count_ops(
    model: openvino.Model,
    weights: _Weights,
    costs: Mapping[str, Cost],
    ordered: tuple[Sequence[Node], set[int]] | None = None,
) -> _Tally:
    """Cost of every op of one (sub)model; constant subgraphs are folded at compile time: free.

    `ordered`: the model's ordered ops and their constant ones, when already known."""
    tally = _Tally()
    ops, constant = ordered or (model.get_ordered_ops(), None)
    constant = _constant_ops(ops) if constant is None else constant
    for node in ops:
        kind = node.get_type_name()
        if node.get_instance_id() in constant:
            continue
        weights.visit(node, constant)
        tally.ops[kind] += 1
        if kind in _SUBGRAPH_OPS:
            tally.add(_count_bodies(node, weights, costs))
        elif kind in FREE:
            continue
        elif kind not in costs:
            tally.unknown[kind] += 1
        else:
            try:
                flops = costs[kind](node)
            except DynamicDimension:
                tally.dynamic[kind] += 1
                continue
            if flops is None:
                tally.unknown[kind] += 1
            else:
                tally.flops[kind] += flops
    return tally


def _count_bodies(node: Node, weights: _Weights, costs: Mapping[str, Cost]) -> _Tally:
    """If: the costlier branch (one runs); Loop, TensorIterator: body x iterations.

    The weights of every body count. An unknown trip count counts the body once, reported dynamic.
    """
    kind = node.get_type_name()
    tally = _Tally()
    if kind == "If":
        branches = [_count_ops(node.get_function(i), weights, costs) for i in (0, 1)]
        costlier = max(branches, key=lambda branch: sum(branch.flops.values()))
        tally.flops.update(costlier.flops)
        for branch in branches:
            tally.unknown.update(branch.unknown)
            tally.dynamic.update(branch.dynamic)
            tally.ops.update(branch.ops)
        return tally
    iterations = node.get_num_iterations()
    if iterations < 1:
        tally.dynamic[kind] += 1
    tally.add(_count_ops(node.get_function(), weights, costs), times=max(iterations, 1))
    return tally


# Folding constants through these gives a constant of the same elements, so the same count;
# folding FP16 weights' Converts would only copy them to FP32, at twice the time of counting.
_SAME_WHEN_FOLDED = _WEIGHT_CARRIERS - {"Broadcast", "Tile"}


def _foldable(ops: Sequence[Node], constant: set[int]) -> bool:
    """Would folding change the count: constants computed into other constants (a mask from a
    Range), or a subgraph of static shapes that computes or makes a float tensor?"""
    from_shapes: set[int] = set()
    for node in ops:
        kind, identity = node.get_type_name(), node.get_instance_id()
        if identity in constant:
            if kind != "Constant" and kind not in _SAME_WHEN_FOLDED:
                return True
            continue
        if kind == "ShapeOf":
            if node.get_input_partial_shape(0).is_static:
                from_shapes.add(identity)
            continue
        sources = [port.get_source_output().get_node().get_instance_id() for port in node.inputs()]
        if sources and all(source in from_shapes or source in constant for source in sources):
            from_shapes.add(identity)
            if kind not in FREE or node.get_output_element_type(0).is_real():
                return True
    return False


def _constant_ops(ops: Sequence[Node]) -> set[int]:
    """Instance ids of the ops (in topological order) computed from constants only."""
    constant: set[int] = set()
    for node in ops:
        sources = [port.get_source_output().get_node() for port in node.inputs()]
        if node.get_type_name() == "Constant" or (
            sources and all(source.get_instance_id() in constant for source in sources)
        ):
            constant.add(node.get_instance_id())
    return constant


def _constant_roots(output: Output) -> list[Node]:
    """The Constants whose values a constant-derived tensor carries (see _WEIGHT_CARRIERS).

    Call it on constant-derived tensors only: elsewhere it would walk the whole model.
    """
    node = output.get_node()
    if node.get_type_name() == "Constant":
        return [node]
    if node.get_type_name() in _WEIGHT_CARRIERS:
        return _constant_roots(node.input_value(0))
    return [
        root
        for port in node.inputs()
        if port.get_element_type().is_real()
        for root in _constant_roots(port.get_source_output())
    ]


def _shape(port: Input | Output) -> list[int]:
    partial = port.get_partial_shape()
    if partial.is_dynamic:
        raise DynamicDimension(str(partial))
    shape = partial.to_shape()
    return [shape[i] for i in range(len(shape))]  # indexing: list(shape) is 25x slower


def _out(node: Node) -> list[int]:
    return _shape(node.output(0))


def _in(node: Node, index: int) -> list[int]:
    return _shape(node.input(index))


def _size(shape: Sequence[int]) -> int:
    return math.prod(shape[i] for i in range(len(shape)))  # openvino.Shape iterates slowly


def _port_name(port: Output) -> str:
    names = port.get_names()
    return min(names) if names else port.get_node().get_friendly_name()
