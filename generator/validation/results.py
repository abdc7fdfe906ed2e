"""Validation results: what `zoo validate` measured per model and device, and report files;
also the probe of one IR, kept here so that only the worker process imports OpenVINO.

A report is JSON written by `zoo validate --report FILE`; reports from several machines merge
into one result set that the site reads (latest result per model, precision and device).
A report file is untrusted: read_report refuses one over a limit, dated in the future, or not a
regular file. Results we make are clipped to the same limits, so any report we write reads back.
"""

from __future__ import annotations

import errno
import json
import math
import os
import re
import stat
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
)
from pydantic_core import PydanticCustomError

from generator.atomic_file import write_atomic
from generator.cards.schema import Tensor
from generator.validation.conventions import DEFAULT_CONVENTION, Convention

Status = Literal["passed", "failed", "error", "skipped"]

REPORT_VERSION = 1
MAX_REPORT_BYTES = 64 * 1024 * 1024
MAX_RESULTS = 100_000
CLOCK_SKEW = timedelta(minutes=5)  # a report from a machine whose clock runs a little ahead
UNTRUSTED = "untrusted"  # validation context of a report file: refuse what we would clip


def untrusted(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get(UNTRUSTED))


def too_long(limit: int, unit: str) -> PydanticCustomError:
    context = {"limit": limit, "unit": unit}
    return PydanticCustomError("too_long", "more than {limit} {unit}", context)


def clip_text(limit: int) -> AfterValidator:
    def check(value: str, info: ValidationInfo) -> str:
        if len(value) <= limit:
            return value
        if untrusted(info):
            raise too_long(limit, "characters")
        return value[: limit - 1] + "…"

    return AfterValidator(check)


def clip_items(limit: int) -> WrapValidator:
    def check(value: Any, inner: ValidatorFunctionWrapHandler, info: ValidationInfo) -> Any:
        if untrusted(info) and isinstance(value, list | dict) and len(value) > limit:
            raise too_long(limit, "items")  # before validating a million of them
        value = inner(value)
        if len(value) <= limit:
            return value
        return dict(list(value.items())[:limit]) if isinstance(value, dict) else value[:limit]

    return WrapValidator(check)


def finite(value: float | None, info: ValidationInfo) -> float | None:
    """A measured figure is a finite number; inf or NaN from a broken count is no figure."""
    if value is None or math.isfinite(value):
        return value
    if untrusted(info):
        raise PydanticCustomError("not_finite", "not a finite number")
    return None


def not_future(value: datetime | None, info: ValidationInfo) -> datetime | None:
    """A result dated in the future would hide every later real result of its model."""
    if value is not None and untrusted(info) and value > datetime.now(UTC) + CLOCK_SKEW:
        raise PydanticCustomError("future", "{when} is in the future", {"when": value.isoformat()})
    return value


Name = Annotated[str, clip_text(1_000)]  # names, devices, types, versions, fields
Text = Annotated[str, clip_text(10_000)]  # messages and measured or documented values
Figure = Annotated[float | None, AfterValidator(finite)]
Seconds = Annotated[float, Field(ge=0), AfterValidator(finite)]
When = Annotated[AwareDatetime | None, AfterValidator(not_future)]


class Mismatch(BaseModel):
    """One documented value that the IR contradicts."""

    model_config = ConfigDict(frozen=True)

    field: Name = Field(description="Card field, e.g. complexity.gflops or outputs[1].shape.")
    documented: Text
    measured: Text
    message: Text
    severity: Literal["error", "warning"] = "error"


class TensorInfo(BaseModel):
    name: Name | None = None
    shape: Annotated[list[int | Name], clip_items(1_000)]
    type: Name
    layout: Name | None = None


class Timings(BaseModel):
    """Seconds spent in each stage."""

    read: Seconds = 0.0
    count: Seconds = 0.0
    compile: Seconds = 0.0
    infer: Seconds = 0.0
    benchmark: Seconds = 0.0

    @property
    def total(self) -> float:
        return sum(dict(self).values())


class OpFigures(BaseModel):
    """Where a model's complexity goes: one op type's share."""

    ops: Annotated[int, Field(ge=0)] = 0
    gflops: Figure = None
    mparams: Figure = None
    zero_by_convention: bool = False  # computes, but the convention counts it as 0


class Speed(BaseModel):
    """Latency and throughput measured as OpenVINO's benchmark_app does: compiled with a
    performance hint, one inference per request to warm up, then requests kept busy for a fixed
    time; latency per request, throughput = inferences x batch / time."""

    hint: Name
    streams: Annotated[int, Field(ge=0)] | None = None
    threads: Annotated[int, Field(ge=0)] | None = None
    requests: Annotated[int, Field(ge=1)]
    batch: Annotated[int, Field(ge=1)] = 1
    seconds: Seconds
    inferences: Annotated[int, Field(ge=0)]
    latency_median_ms: Figure = None
    latency_p90_ms: Figure = None
    throughput_fps: Figure = None


SpeedHint = Literal["LATENCY", "THROUGHPUT"]  # OpenVINO's PERFORMANCE_HINT values
DEFAULT_SPEED_HINT: SpeedHint = "THROUGHPUT"  # benchmark_app's default


class ProbeJob(BaseModel):
    """What the worker needs: the IR, the device and the tensors the card documents."""

    xml: str  # absolute path
    device: str
    convention: Convention = DEFAULT_CONVENTION
    benchmark: float | None = None  # seconds of speed measurement after the correctness run
    benchmark_hint: SpeedHint = DEFAULT_SPEED_HINT  # what the benchmark compiles for
    inputs: list[Tensor] = []  # run with these shapes where the IR is dynamic
    outputs: list[Tensor] = []  # names only: an IR tensor is reported by the card's name


class Probe(BaseModel):
    """What the runtime said about one IR; `error` is set when a stage failed (later ones skip)."""

    error: str | None = None
    inputs: list[TensorInfo] = []
    outputs: list[TensorInfo] = []
    input_shapes: list[list[int]] = []  # the concrete shapes used for counting and inference
    gflops: float | None = None
    mparams: float | None = None
    convention: str | None = None  # the counting convention of gflops
    breakdown: dict[str, OpFigures] = {}  # op type -> share, largest GFLOPs first
    unknown_ops: dict[str, int] = {}
    warnings: list[str] = []
    inferred: list[list[int]] | None = None
    non_finite: list[int] | None = None
    timings: Timings = Field(default_factory=Timings)
    speed: Speed | None = None
    device_name: str | None = None
    openvino_version: str = ""
    checked_at: datetime | None = None


class ValidationResult(BaseModel):
    """The outcome of validating one card's IR at one precision on one device."""

    name: Name
    precision: Name | None = None
    device: Name
    status: Status
    message: Text = ""
    mismatches: Annotated[list[Mismatch], clip_items(1_000)] = []
    warnings: Annotated[list[Text], clip_items(1_000)] = []
    documented_gflops: Figure = None
    documented_mparams: Figure = None
    measured_gflops: Figure = None
    measured_mparams: Figure = None
    convention: Name | None = Field(None, description="How the measured GFLOPs were counted.")
    breakdown: Annotated[dict[Name, OpFigures], clip_items(1_000)] = Field(
        {}, description="Op type -> its ops, GFLOPs and MParams."
    )
    inputs: Annotated[list[TensorInfo], clip_items(1_000)] = []
    outputs: Annotated[list[TensorInfo], clip_items(1_000)] = []
    unknown_ops: Annotated[dict[Name, int], clip_items(1_000)] = {}
    timings: Timings = Timings()
    speed: Speed | None = Field(None, description="Measured with zoo validate --benchmark.")
    device_name: Name | None = None
    openvino_version: Name | None = None
    files: Annotated[dict[Name, Name], clip_items(100)] = Field(
        {}, description="IR file name -> sha256."
    )
    checked_at: When = None
    cached: bool = False

    @property
    def key(self) -> tuple[str, str | None, str]:
        return (self.name, self.precision, self.device)

    @property
    def errors(self) -> list[Mismatch]:
        """The mismatches that fail the result (warnings only inform)."""
        return [mismatch for mismatch in self.mismatches if mismatch.severity == "error"]


class Report(BaseModel):
    version: Literal[1] = REPORT_VERSION
    results: Annotated[list[ValidationResult], clip_items(MAX_RESULTS)] = []


class ReportError(Exception):
    """A report file that cannot be read: a usage error naming the file."""


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes. Never follows a final symlink nor
    opens a FIFO or device (so never blocks). OSError: unreadable; ValueError: not such a file."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        handle = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise ValueError("is a symbolic link") from None
        raise
    with os.fdopen(handle, "rb") as stream:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise ValueError("not a regular file")
        data = stream.read(limit + 1)  # st_size lies for /proc files: count what is read
    if len(data) > limit:
        raise ValueError(f"larger than {limit} bytes")
    return data


def shown(path: Path) -> str:
    """A path for a one-line message: control characters escaped."""
    text = str(path)
    return repr(text) if any(ord(char) < 32 or ord(char) == 127 for char in text) else text


def read_report(path: Path) -> Report:
    """A report file, validated as untrusted input; ReportError (one line) when it is not one."""
    try:
        data = read_regular(path, MAX_REPORT_BYTES)
        return Report.model_validate_json(data, context={UNTRUSTED: True})
    except OSError as error:
        raise ReportError(f"{shown(path)}: {error.strerror or error}") from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(
            str(part)
            if isinstance(part, int) or re.fullmatch(r"[\w\[\]]+", part)
            else repr(part[:40])
            for part in first["loc"]
        )
        message = f"{where}: {first['msg']}" if where else first["msg"]
        raise ReportError(f"{shown(path)}: not a validation report ({message})") from None
    except ValueError as error:
        raise ReportError(f"{shown(path)}: {error}") from None


def write_report(path: Path, results: Iterable[ValidationResult]) -> None:
    """Write atomically: a reader never sees half a report."""
    report = Report(results=list(results))
    write_atomic(path, report.model_dump_json(indent=1) + "\n")


def merge_results(results: Iterable[ValidationResult]) -> list[ValidationResult]:
    """Keep the newest result per (model, precision, device)."""

    def when(result: ValidationResult) -> float:
        return result.checked_at.timestamp() if result.checked_at else 0.0

    newest: dict[tuple[str, str | None, str], ValidationResult] = {}
    for result in results:
        kept = newest.get(result.key)
        if kept is None or when(result) >= when(kept):
            newest[result.key] = result
    return sorted(newest.values(), key=lambda r: (r.name, r.precision or "", r.device))


def merge_reports(paths: Iterable[Path]) -> list[ValidationResult]:
    return merge_results(result for path in paths for result in read_report(path).results)


def results_json(results: Iterable[ValidationResult]) -> str:
    return json.dumps([result.model_dump(mode="json") for result in results], indent=1)
