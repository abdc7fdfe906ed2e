"""Measure one IR with the OpenVINO runtime: its inputs and outputs, complexity, one inference.

Runs inside a worker process (validate_worker.py), so a runtime crash or hang costs
that process only. It measures and does not judge: ir_compare.py holds the rules.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import numpy as np
import openvino

from generator.cards.schema import Tensor
from generator.validation.complexity import ComplexityCount, count_complexity
from generator.validation.ir_compare import concrete_shape, dim_text, match_tensors
from generator.validation.results import (
    DEFAULT_SPEED_HINT,
    OpFigures,
    Probe,
    ProbeJob,
    Speed,
    SpeedHint,
    TensorInfo,
    Timings,
)


class StageError(Exception):
    """A runtime stage failed; the message is one line."""


def probe_ir(job: ProbeJob, core: openvino.Core) -> Probe:
    probe = Probe(openvino_version=openvino.get_version(), checked_at=datetime.now(UTC))
    try:
        run_stages(job, core, probe)
    except StageError as error:
        probe.error = str(error)
    return probe


def run_stages(job: ProbeJob, core: openvino.Core, probe: Probe) -> None:
    """read -> describe I/O -> reshape to the documented inputs -> count -> compile -> infer."""
    timings = probe.timings
    with stage("cannot read the IR", timings, "read"):
        model = core.read_model(job.xml)
    probe.inputs = [tensor_info(port, job.inputs) for port in model.inputs]
    probe.outputs = [tensor_info(port, job.outputs) for port in model.outputs]
    matched = match_tensors(job.inputs, probe.inputs)
    documented = {j: job.inputs[i] for i, j in enumerate(matched) if j is not None}
    probe.input_shapes = [
        concrete_shape(documented.get(j), info.shape) for j, info in enumerate(probe.inputs)
    ]
    if model.is_dynamic():
        shapes = probe.input_shapes
        with stage(f"cannot reshape to the documented inputs {shapes}", timings, "count"):
            ports = zip(model.inputs, shapes, strict=True)
            model.reshape({port: openvino.PartialShape(shape) for port, shape in ports})
    with stage("complexity count failed", timings, "count"):
        count = count_complexity(model, convention=job.convention)  # folds a copy: compiles model
    probe.gflops, probe.mparams, probe.unknown_ops = count.gflops, count.mparams, count.unknown_ops
    probe.convention, probe.breakdown = count.convention, breakdown(count)
    if count.unknown_ops:
        probe.warnings.append(
            "complexity: no cost rule for "
            + ", ".join(f"{kind} (x{n})" for kind, n in count.unknown_ops.items())
            + ", counted as 0"
        )
    if count.dynamic_ops:
        probe.warnings.append(
            "complexity: shapes known only at run time for "
            + ", ".join(f"{kind} (x{n})" for kind, n in count.dynamic_ops.items())
            + ", counted as 0"
        )
    try:
        probe.device_name = str(core.get_property(job.device, "FULL_DEVICE_NAME"))
    except Exception:  # virtual devices (AUTO, MULTI) have no single name; compile says more
        probe.device_name = None
    with stage(f"compile_model on {job.device} failed", timings, "compile"):
        compiled = core.compile_model(model, job.device)
    with stage("inference failed", timings, "infer"):
        request = compiled.create_infer_request()
        ports = zip(compiled.inputs, probe.input_shapes, strict=True)
        request.infer([random_input(port, shape) for port, shape in ports])
        results = [request.get_output_tensor(index).data for index in range(len(compiled.outputs))]
    probe.inferred = [list(result.shape) for result in results]
    probe.non_finite = [
        int(result.size - np.count_nonzero(np.isfinite(result)))
        if port.get_element_type() in RANDOM_TYPES  # bf16 has no numpy view: not checked
        else 0
        for port, result in zip(compiled.outputs, results, strict=True)
    ]
    if job.benchmark:
        with stage("benchmark failed", timings, "benchmark"):
            probe.speed = measure_speed(
                core, model, job.device, probe.input_shapes, job.benchmark, job.benchmark_hint
            )


def breakdown(count: ComplexityCount) -> dict[str, OpFigures]:
    """GFLOPs and MParams per op type that has a cost rule or holds weights, largest first."""
    kinds = {*count.flops_by_type, *count.params_by_type}
    figures = {
        kind: OpFigures(
            ops=count.ops_by_type.get(kind, 0),
            gflops=count.flops_by_type.get(kind, 0) / 1e9,
            mparams=count.params_by_type.get(kind, 0) / 1e6,
            zero_by_convention=kind in count.zero_by_convention,
        )
        for kind in kinds
    }
    return dict(sorted(figures.items(), key=lambda item: (-item[1].gflops, -item[1].mparams)))


def measure_speed(
    core: openvino.Core,
    model: openvino.Model,
    device: str,
    shapes: list[list[int]],
    seconds: float,
    hint: SpeedHint = DEFAULT_SPEED_HINT,
) -> Speed:
    """benchmark_app's way: compile with the hint, as many requests as the device asks for, one
    inference each to warm up, then keep them all busy for `seconds`. THROUGHPUT: several
    streams and requests in flight; LATENCY: one stream, so one request at a time on CPU."""
    compiled = core.compile_model(model, device, {"PERFORMANCE_HINT": hint})
    requests = max(1, int(compiled.get_property("OPTIMAL_NUMBER_OF_INFER_REQUESTS")))
    inputs = [
        random_input(port, shape) for port, shape in zip(compiled.inputs, shapes, strict=True)
    ]
    queue = openvino.AsyncInferQueue(compiled, requests)
    latencies: list[float] = []
    queue.set_callback(lambda request, _: latencies.append(request.latency))
    for _ in range(requests):
        queue.start_async(inputs)
    queue.wait_all()
    latencies.clear()
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        queue.start_async(inputs)  # waits for an idle request
    queue.wait_all()
    elapsed = time.perf_counter() - start
    batch = shapes[0][0] if shapes and shapes[0] and shapes[0][0] > 0 else 1
    return Speed(
        hint=hint,
        streams=int_property(compiled, "NUM_STREAMS"),
        threads=int_property(compiled, "INFERENCE_NUM_THREADS"),
        requests=requests,
        batch=batch,
        seconds=round(elapsed, 3),
        inferences=len(latencies),
        latency_median_ms=float(np.median(latencies)) if latencies else None,
        latency_p90_ms=float(np.percentile(latencies, 90)) if latencies else None,
        throughput_fps=len(latencies) * batch / elapsed if elapsed > 0 else None,
    )


def int_property(compiled: openvino.CompiledModel, name: str) -> int | None:
    """A device property that is a count, or None where the device has no such property."""
    try:
        return int(compiled.get_property(name))
    except Exception:  # not supported by this device (virtual devices, GPU threads)
        return None


@contextmanager
def stage(what: str, timings: Timings, field: str) -> Iterator[None]:
    """Time a stage into `timings`; turn its exception into a one-line StageError."""
    start = time.perf_counter()
    try:
        yield
    except Exception as error:
        raise StageError(f"{what}: {last_line(error)}") from error
    finally:
        spent = getattr(timings, field) + time.perf_counter() - start
        setattr(timings, field, round(spent, 6))


def last_line(error: BaseException) -> str:
    """OpenVINO errors are a stack of 'Exception from file:line' lines; the last says what."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[-1] if lines else type(error).__name__


def tensor_info(port: openvino.Output, documented: list[Tensor]) -> TensorInfo:
    """An IR tensor in card terms; named as the card names it when that is one of its names."""
    names = port.get_names()
    name = next((t.name for t in documented if t.name in names), min(names) if names else None)
    shape = [
        dim_text(dim.get_min_length(), None if dim.get_max_length() < 0 else dim.get_max_length())
        for dim in port.get_partial_shape()
    ]
    return TensorInfo(
        name=name, shape=shape, type=port.get_element_type().get_type_name(), layout=layout(port)
    )


def layout(port: openvino.Output) -> str | None:
    """'NCHW' from the IR's '[N,C,H,W]'; None when the IR carries no layout."""
    found = openvino.layout_helpers.get_layout(port)
    if found.empty:
        return None
    letters = found.to_string().strip("[]").split(",")
    return "".join(letters) if all(len(letter) == 1 for letter in letters) else found.to_string()


RANDOM = np.random.default_rng(0)
# bf16 and packed types have no numpy view of their own: those are zero-filled
RANDOM_TYPES = (openvino.Type.f16, openvino.Type.f32, openvino.Type.f64)


def random_input(port: openvino.Output, shape: list[int]) -> openvino.Tensor:
    """Uniform [0, 1) for floats; zeros else (integer indices and ids stay in range)."""
    element = port.get_element_type()
    if element == openvino.Type.string:
        return openvino.Tensor(np.full(shape, "", dtype=str))
    tensor = openvino.Tensor(element, shape)
    data = tensor.data
    if element in RANDOM_TYPES:
        data[...] = RANDOM.random(shape, dtype=np.float32)
    else:
        data[...] = 0
    return tensor
