"""Validation results: what `zoo validate` measured per model and device, and report files;
also the probe of one IR, kept here so that only the worker process imports OpenVINO.

A report is JSON written by `zoo validate --report FILE`; reports from several machines merge
into one result set that the site reads (latest result per model, precision and device).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from generator.atomic_file import write_atomic
from generator.schema import Tensor

Status = Literal["passed", "failed", "error", "skipped"]

REPORT_VERSION = 1


class Mismatch(BaseModel):
    """One documented value that the IR contradicts."""

    model_config = ConfigDict(frozen=True)

    field: str = Field(description="Card field, e.g. complexity.gflops or outputs[1].shape.")
    documented: str
    measured: str
    message: str
    severity: Literal["error", "warning"] = "error"


class TensorInfo(BaseModel):
    name: str | None = None
    shape: list[int | str]
    type: str
    layout: str | None = None


class Timings(BaseModel):
    """Seconds spent in each stage."""

    read: float = 0.0
    count: float = 0.0
    compile: float = 0.0
    infer: float = 0.0

    @property
    def total(self) -> float:
        return sum(dict(self).values())


# Bump when a measurement changes meaning: cached probes of older versions are not reused.
PROBE_VERSION = 1


class ProbeJob(BaseModel):
    """What the worker needs: the IR, the device and the tensors the card documents."""

    xml: str  # absolute path
    device: str
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
    unknown_ops: dict[str, int] = {}
    warnings: list[str] = []
    inferred: list[list[int]] | None = None
    non_finite: list[int] | None = None
    timings: Timings = Field(default_factory=Timings)
    device_name: str | None = None
    openvino_version: str = ""
    checked_at: datetime | None = None


class ValidationResult(BaseModel):
    """The outcome of validating one card's IR at one precision on one device."""

    name: str
    precision: str | None = None
    device: str
    status: Status
    message: str = ""
    mismatches: list[Mismatch] = []
    warnings: list[str] = []
    documented_gflops: float | None = None
    documented_mparams: float | None = None
    measured_gflops: float | None = None
    measured_mparams: float | None = None
    inputs: list[TensorInfo] = []
    outputs: list[TensorInfo] = []
    unknown_ops: dict[str, int] = {}
    timings: Timings = Timings()
    device_name: str | None = None
    openvino_version: str | None = None
    files: dict[str, str] = Field({}, description="IR file name -> sha256.")
    checked_at: datetime | None = None
    cached: bool = False

    @property
    def key(self) -> tuple[str, str | None, str]:
        return (self.name, self.precision, self.device)

    @property
    def errors(self) -> list[Mismatch]:
        """The mismatches that fail the result (warnings only inform)."""
        return [mismatch for mismatch in self.mismatches if mismatch.severity == "error"]


class Report(BaseModel):
    version: int = REPORT_VERSION
    results: list[ValidationResult] = []


class ReportError(Exception):
    """A report file that cannot be read: a usage error naming the file."""


def read_report(path: Path) -> Report:
    try:
        return Report.model_validate_json(path.read_bytes())
    except OSError as error:
        raise ReportError(f"{path}: {error.strerror or error}") from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ReportError(f"{path}: not a validation report ({where}: {first['msg']})") from None


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
