"""`zoo validate`: check what each card documents against its IR, with the OpenVINO runtime.

Pipeline: plan one task per card and precision (no local IR: skipped) -> probe each IR in a
worker process, or reuse its cached probe -> judge card against probe -> ValidationResults.
`result_findings` turns results into located findings for the CLI and the site build.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from generator.cards.card_paths import OutsideCard, card_path
from generator.cards.catalog import CardSource, Catalog
from generator.cards.schema import suggest
from generator.findings import Finding
from generator.model_files import ir_files
from generator.progress import progress_lines
from generator.validation.conventions import DEFAULT_CONVENTION, Convention
from generator.validation.ir_compare import compare_complexity, compare_tensors
from generator.validation.results import (
    DEFAULT_SPEED_HINT,
    Probe,
    ProbeJob,
    SpeedHint,
    ValidationResult,
)
from generator.validation.validate_worker import WorkerFailure, WorkerPool
from generator.validation.validation_cache import (
    DEFAULT_CACHE,
    ValidationCache,
    openvino_version,
    probe_key,
)


class UnknownModelError(Exception):
    """A requested model name is not in the catalog."""


@dataclass(frozen=True)
class Task:
    """One IR to validate: a card at one precision."""

    source: CardSource
    precision: str
    xml: Path

    @property
    def ir_path(self) -> str:
        return self.source.card.ir[self.precision]


def validate_catalog(
    catalog: Catalog,
    names: Sequence[str] | None = None,
    *,
    device: str = "CPU",
    precision: str | None = None,
    jobs: int = 1,
    tolerance: float = 0.01,
    timeout: float = 300.0,
    cache_dir: Path | None = DEFAULT_CACHE,
    progress: bool = False,
    convention: Convention = DEFAULT_CONVENTION,
    benchmark: float | None = None,
    benchmark_hint: SpeedHint = DEFAULT_SPEED_HINT,
) -> list[ValidationResult]:
    """Validate the named cards (all when None) on `device`; one result per card and precision;
    GFLOPs are counted under `convention` (conventions.py); `benchmark` seconds of
    speed measurement, compiled for `benchmark_hint`, follow each correctness run.

    A card without a local IR is skipped; a broken, crashing or hanging IR is an `error` result
    of that card only. Probes are cached in `cache_dir` (None: no cache).
    """
    sources = select(catalog, names)
    tasks, skipped = plan(sources, precision, device)
    cache = ValidationCache(cache_dir)
    with reporter(progress, len(tasks)) as report:
        measured = run_tasks(
            tasks,
            device,
            jobs,
            timeout,
            tolerance,
            cache,
            report,
            convention,
            benchmark,
            benchmark_hint,
        )
    cache.save()
    order = {source.name: index for index, source in enumerate(catalog.cards)}

    def position(result: ValidationResult) -> tuple[int, int]:
        precisions = list(catalog.by_name[result.name].card.ir)
        rank = precisions.index(result.precision) if result.precision in precisions else -1
        return order[result.name], rank

    return sorted([*skipped, *measured], key=position)


def select(catalog: Catalog, names: Sequence[str] | None) -> list[CardSource]:
    """The named cards; a name of a card that did not load selects nothing (its findings say
    why), a name that is nowhere is an UnknownModelError."""
    if names is None:
        return list(catalog.cards)
    unloadable = {Path(finding.path).parent.name for finding in catalog.findings}
    for name in names:
        if name not in catalog.by_name and name not in unloadable:
            hint = suggest(name, sorted(catalog.by_name))
            raise UnknownModelError(f"unknown model '{name}'{hint}")
    wanted = set(names)
    return [source for source in catalog.cards if source.name in wanted]


def plan(
    sources: Sequence[CardSource], precision: str | None, device: str
) -> tuple[list[Task], list[ValidationResult]]:
    """The IRs to probe, a skipped result for each card or precision without one, and an error
    result for an IR path that leaves the card folder or is not a regular file."""
    tasks, skipped = [], []

    def skip(source: CardSource, at: str | None, why: str, status: str = "skipped") -> None:
        skipped.append(
            ValidationResult(name=source.name, precision=at, device=device, status=status,
                             message=why)
        )  # fmt: skip

    for source in sources:
        irs = source.card.ir
        if precision is not None:
            irs = {precision: irs[precision]} if precision in irs else {}
        if not irs:
            skip(source, precision, f"no {precision + ' ' if precision else ''}IR in the card")
        for at, path in irs.items():
            try:
                xml = card_path(source.folder, path)
                weights = card_path(source.folder, str(Path(path).with_suffix(".bin")))
            except (OutsideCard, ValueError) as error:
                skip(source, at, f"{path}: {error}", "error")
                continue
            if not xml.exists():
                skip(source, at, f"{path} not found beside the card")
            elif not xml.is_file() or (weights.exists() and not weights.is_file()):
                skip(source, at, f"{path}: the IR files must be regular files", "error")
            else:
                tasks.append(Task(source, at, xml))
    return tasks, skipped


def run_tasks(
    tasks: Sequence[Task],
    device: str,
    jobs: int,
    timeout: float,
    tolerance: float,
    cache: ValidationCache,
    report: Callable[[ValidationResult], None],
    convention: Convention = DEFAULT_CONVENTION,
    benchmark: float | None = None,
    benchmark_hint: SpeedHint = DEFAULT_SPEED_HINT,
) -> list[ValidationResult]:
    if not tasks:
        return []
    jobs = max(1, min(jobs, len(tasks)))
    pool, threads = WorkerPool(jobs), ThreadPoolExecutor(jobs)

    def run(task: Task) -> ValidationResult:
        probe, files, cached = measure(
            task, device, timeout, cache, pool, convention, benchmark, benchmark_hint
        )
        return judge(task, probe, files, tolerance, device, cached)

    results = []
    try:
        futures = [threads.submit(run, task) for task in tasks]
        for future in as_completed(futures):
            results.append(future.result())
            report(results[-1])
    except BaseException:  # Ctrl-C: stop now, not after the running models' timeout
        pool.kill()  # running jobs fail at once, and no worker starts again
        threads.shutdown(wait=False, cancel_futures=True)
        raise
    threads.shutdown()
    pool.close()
    return results


def measure(
    task: Task,
    device: str,
    timeout: float,
    cache: ValidationCache,
    pool: WorkerPool,
    convention: Convention = DEFAULT_CONVENTION,
    benchmark: float | None = None,
    benchmark_hint: SpeedHint = DEFAULT_SPEED_HINT,
) -> tuple[Probe, dict[str, str], bool]:
    """The task's probe, cached or fresh; worker failures (crash, timeout) are not cached."""
    card = task.source.card
    job = ProbeJob(
        xml=str(task.xml.resolve()),
        device=device,
        convention=convention,
        benchmark=benchmark,
        benchmark_hint=benchmark_hint,
        inputs=card.inputs,
        outputs=card.outputs,
    )
    try:
        files = {path.name: cache.sha256(path) for path in ir_files(task.xml)}
    except OSError as error:
        return failed_probe(f"cannot read: {error.strerror or error}"), {}, False
    key = probe_key(job, files)
    if (probe := cache.load(key)) is not None:
        return probe, files, True
    try:
        probe = pool.run(job, timeout + (benchmark or 0))  # the benchmark's time is on top
    except WorkerFailure as failure:
        return failed_probe(str(failure)), files, False
    if probe.error is None:
        cache.store(key, probe)
    return probe, files, False


def failed_probe(error: str) -> Probe:
    return Probe(error=error, openvino_version=openvino_version(), checked_at=datetime.now(UTC))


def judge(
    task: Task,
    probe: Probe,
    files: dict[str, str],
    tolerance: float,
    device: str,
    cached: bool,
) -> ValidationResult:
    """The card against the probe: every mismatch, and the status they make."""
    card = task.source.card
    mismatches = []
    if probe.outputs:  # the IR was read
        mismatches += compare_tensors("inputs", card.inputs, probe, task.ir_path)
        mismatches += compare_tensors("outputs", card.outputs, probe, task.ir_path)
    mismatches += compare_complexity(card.complexity, probe, task.ir_path, tolerance)
    if probe.error:
        status = "error"
    elif any(mismatch.severity == "error" for mismatch in mismatches):
        status = "failed"
    else:
        status = "passed"
    complexity = card.complexity
    return ValidationResult(
        name=card.name,
        precision=task.precision,
        device=device,
        status=status,
        message=f"{task.ir_path}: {probe.error}" if probe.error else "",
        mismatches=mismatches,
        warnings=probe.warnings,
        documented_gflops=complexity.gflops if complexity else None,
        documented_mparams=complexity.mparams if complexity else None,
        measured_gflops=probe.gflops,
        measured_mparams=probe.mparams,
        convention=probe.convention,
        breakdown=probe.breakdown,
        inputs=probe.inputs,
        outputs=probe.outputs,
        unknown_ops=probe.unknown_ops,
        timings=probe.timings,
        speed=probe.speed,
        device_name=probe.device_name,
        openvino_version=probe.openvino_version,
        files=files,
        checked_at=probe.checked_at,
        cached=cached,
    )


CODES = {
    "gflops": "ir-complexity",
    "mparams": "ir-complexity",
    "shape": "ir-shape",
    "type": "ir-type",
    "layout": "ir-layout",
    "values": "ir-values",
}


def result_findings(catalog: Catalog, results: Sequence[ValidationResult]) -> list[Finding]:
    """Errors and warnings of the results, each at the card field it is about."""
    findings = []
    for result in results:
        source = catalog.by_name.get(result.name)
        if source is None:
            continue
        ir_entry = ("ir", result.precision) if result.precision else ("ir",)
        if result.status == "error":
            findings.append(source.finding(ir_entry, "ir-error", result.message))
        for mismatch in result.mismatches:
            loc = field_loc(mismatch.field)
            code = CODES.get(str(loc[-1]), "ir-tensor")
            message = f"{mismatch.field}: {mismatch.message}"
            findings.append(source.finding(loc, code, message, mismatch.severity))
        for warning in result.warnings:
            message = f"{result.precision}: {warning}"
            findings.append(source.finding(ir_entry, "ir-warning", message, "warning"))
    return sorted(set(findings))


def field_loc(field: str) -> tuple[str | int, ...]:
    """('outputs', 1, 'shape') for 'outputs[1].shape'."""
    return tuple(
        int(index) if index else key for key, index in re.findall(r"(\w+)|\[(\d+)\]", field)
    )


def summary(results: Sequence[ValidationResult]) -> str:
    """'7 IR(s) validated: 6 passed, 1 failed, 0 error (5 cached); 119 skipped'."""
    counts = dict.fromkeys(("passed", "failed", "error", "skipped"), 0)
    for result in results:
        counts[result.status] += 1
    validated = len(results) - counts["skipped"]
    cached = sum(result.cached for result in results)
    return (
        f"{validated} IR(s) validated: {counts['passed']} passed, {counts['failed']} failed, "
        f"{counts['error']} error ({cached} cached); {counts['skipped']} skipped"
    )


@contextmanager
def reporter(enabled: bool, total: int) -> Iterator[Callable[[ValidationResult], None]]:
    """Progress on stderr, one step per validated IR."""
    with progress_lines("validating", total, enabled) as step:

        def report(result: ValidationResult) -> None:
            took = result.timings.total
            note = " (cached)" if result.cached else f" in {took:.2f} s"
            step(f"{result.name} {result.precision}: {result.status}{note}")

        yield report
