"""Compare what a card documents with what the runtime measured on its IR: pure rules, no runtime.

The probe (ir_probe.py) measures; these functions turn card + measurement into the
Mismatches of a ValidationResult, so a cached measurement can be judged against an edited card.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from generator.cards.schema import Complexity, Tensor
from generator.validation.results import Mismatch, Probe, TensorInfo

Dim = int | str  # a number, or a symbol: '?', 'N', a range '1..8'
RANGE = re.compile(r"^(\d+)\.\.(\d+)$")
NEAR_TWO = (1.9, 2.1)  # a card/IR ratio in here (or its inverse) smells of MACs vs FLOPs


def dim_text(lo: int, hi: int | None) -> Dim:
    """How a card writes an IR dimension: a number, a range 'lo..hi', or '?'."""
    if hi is not None and lo == hi:
        return lo
    return f"{lo}..{hi}" if hi is not None else "?"


def bounds(dim: Dim) -> tuple[int, int | None]:
    """(lowest, highest or None) values a dimension allows."""
    if isinstance(dim, int):
        return dim, dim
    if found := RANGE.match(dim):
        return int(found[1]), int(found[2])
    return 0, None


def shape_text(shape: Sequence[Dim]) -> str:
    return "[" + ", ".join(str(dim) for dim in shape) + "]"


def dim_problem(documented: Dim, ir: Dim) -> str | None:
    """Why a documented dim contradicts the IR's, or None. A number on a dynamic dim is fine."""
    lo, hi = bounds(ir)
    card_lo, card_hi = bounds(documented)
    if isinstance(documented, str) and not RANGE.match(documented):
        card_lo, card_hi = lo, hi  # a plain symbol stands for whatever the IR allows
    if card_lo >= lo and (hi is None or (card_hi is not None and card_hi <= hi)):
        return None
    return f"is {ir}, not {documented}" if isinstance(ir, int) else f"allows {ir}, not {documented}"


def symbol_on_static(documented: Dim, ir: Dim) -> bool:
    """The card marks a dim dynamic that the IR fixes: users cannot change it."""
    return isinstance(documented, str) and isinstance(ir, int)


def concrete_dim(documented: Dim | None, ir: Dim) -> int:
    """The value to run with: the IR's if static, else the card's number, else the lowest >= 1."""
    if isinstance(ir, int):
        return ir
    if isinstance(documented, int):
        return documented
    lo = max(bounds(ir)[0], bounds(documented)[0] if documented is not None else 0)
    return max(lo, 1)


def concrete_shape(documented: Tensor | None, ir: Sequence[Dim]) -> list[int]:
    dims: Sequence[Dim | None] = documented.shape if documented else []
    if len(dims) != len(ir):
        dims = [None] * len(ir)
    return [concrete_dim(card, dim) for card, dim in zip(dims, ir, strict=True)]


def match_tensors(documented: Sequence[Tensor], ir: Sequence[TensorInfo]) -> list[int | None]:
    """For each card tensor, the index of its IR tensor: by name, by position when unnamed."""
    matched: list[int | None] = []
    for index, tensor in enumerate(documented):
        found = next(
            (j for j, info in enumerate(ir) if tensor.name and info.name == tensor.name), None
        )
        positional = index < len(ir) and (tensor.name is None or ir[index].name is None)
        if found is None and positional and index not in matched:
            found = index
        matched.append(found)
    return matched


def round_figure(value: float) -> float:
    """3 decimals as Open Model Zoo publishes, but at least 4 significant digits."""
    if value <= 0:
        return value
    return round(value, max(3, 3 - math.floor(math.log10(value))))


def compare_tensors(
    kind: str, documented: Sequence[Tensor], probe: Probe, where: str
) -> list[Mismatch]:
    """Names, shapes, types and layouts of the card's inputs or outputs against the IR's;
    `where` is the IR as the card writes it, for messages."""
    ir: list[TensorInfo] = getattr(probe, kind)
    mismatches: list[Mismatch] = []
    matched = match_tensors(documented, ir)
    for index, (tensor, j) in enumerate(zip(documented, matched, strict=True)):
        field = f"{kind}[{index}]"
        if j is None:
            names = ", ".join(info.name or f"#{k}" for k, info in enumerate(ir)) or "none"
            if tensor.name:
                mismatches.append(
                    Mismatch(
                        field=f"{field}.name",
                        documented=tensor.name,
                        measured=names,
                        message=f"card says '{tensor.name}', {where} has no {kind[:-1]} of that "
                        f"name ({kind}: {names})",
                    )
                )
            else:
                mismatches.append(
                    Mismatch(
                        field=field,
                        documented=shape_text(tensor.shape),
                        measured="-",
                        message=f"{where} has only {len(ir)} {kind}",
                    )
                )
            continue
        mismatches += compare_tensor(field, tensor, ir[j], where)
        if kind == "outputs" and probe.inferred is not None:
            mismatches += compare_inferred(field, tensor, ir[j], probe.inferred[j], where)
        if kind == "outputs" and probe.non_finite and probe.non_finite[j]:
            mismatches.append(non_finite(field, probe.non_finite[j], probe.inferred, j))
    if documented:
        for j, info in enumerate(ir):
            if j not in matched:
                label = f"'{info.name}'" if info.name else f"#{j}"
                mismatches.append(
                    Mismatch(
                        field=kind,
                        documented="-",
                        measured=f"{label} {shape_text(info.shape)} {info.type}",
                        message=f"{where} has {kind[:-1]} {label} {shape_text(info.shape)} "
                        f"{info.type} that the card does not document",
                    )
                )
    return mismatches


def compare_tensor(field: str, tensor: Tensor, info: TensorInfo, where: str) -> list[Mismatch]:
    mismatches = []
    card, ir = shape_text(tensor.shape), shape_text(info.shape)
    problems = (
        [f"rank {len(tensor.shape)} vs {len(info.shape)}"]
        if len(tensor.shape) != len(info.shape)
        else [
            f"dim {k} {problem}"
            for k, (dim, ir_dim) in enumerate(zip(tensor.shape, info.shape, strict=True))
            if (problem := dim_problem(dim, ir_dim))
        ]
    )
    if problems:
        mismatches.append(
            Mismatch(
                field=f"{field}.shape",
                documented=card,
                measured=ir,
                message=f"card says {card}, {where} has {ir} ({'; '.join(problems)})",
            )
        )
    else:
        fixed = [
            f"dim {k} ({dim})"
            for k, (dim, ir_dim) in enumerate(zip(tensor.shape, info.shape, strict=True))
            if symbol_on_static(dim, ir_dim)
        ]
        if fixed:
            mismatches.append(
                Mismatch(
                    field=f"{field}.shape",
                    documented=card,
                    measured=ir,
                    message=f"card marks {', '.join(fixed)} dynamic, {where} fixes it: {ir}",
                    severity="warning",
                )
            )
    if tensor.type != info.type:
        mismatches.append(
            Mismatch(
                field=f"{field}.type",
                documented=tensor.type,
                measured=info.type,
                message=f"card says {tensor.type}, {where} has {info.type}",
            )
        )
    if tensor.layout and info.layout and tensor.layout != info.layout:
        mismatches.append(
            Mismatch(
                field=f"{field}.layout",
                documented=tensor.layout,
                measured=info.layout,
                message=f"card says {tensor.layout}, {where} has {info.layout}",
            )
        )
    return mismatches


def compare_inferred(
    field: str, tensor: Tensor, info: TensorInfo, inferred: list[int], where: str
) -> list[Mismatch]:
    """Dims the IR leaves dynamic but the card gives as numbers: check what inference produced."""
    if len(tensor.shape) != len(inferred) or len(info.shape) != len(inferred):
        return []
    wrong = [
        k
        for k, (dim, ir_dim, got) in enumerate(zip(tensor.shape, info.shape, inferred, strict=True))
        if isinstance(dim, int) and not isinstance(ir_dim, int) and dim != got
    ]
    if not wrong:
        return []
    return [
        Mismatch(
            field=f"{field}.shape",
            documented=shape_text(tensor.shape),
            measured=shape_text(inferred),
            message=f"card says {shape_text(tensor.shape)}, inference of {where} with the "
            f"documented inputs gives {shape_text(inferred)}",
        )
    ]


def non_finite(field: str, count: int, inferred: list[list[int]] | None, j: int) -> Mismatch:
    total = math.prod(inferred[j]) if inferred else count
    return Mismatch(
        field=f"{field}.values",
        documented="finite values",
        measured=f"{count} of {total} NaN or inf",
        message=f"inference on random inputs gave {count} of {total} values NaN or inf",
        severity="warning",
    )


def compare_complexity(
    complexity: Complexity | None, probe: Probe, where: str, tolerance: float
) -> list[Mismatch]:
    mismatches = []
    if complexity is None:
        return mismatches
    for key in ("gflops", "mparams"):
        card: float | None = getattr(complexity, key)
        ir: float | None = getattr(probe, key)
        if card is None or ir is None or abs(card - ir) <= tolerance * ir:
            continue
        ratio = card / ir if ir else math.inf
        hint = f"ratio {ratio_text(ratio)}"
        if NEAR_TWO[0] <= ratio <= NEAR_TWO[1] or NEAR_TWO[0] <= 1 / ratio <= NEAR_TWO[1]:
            hint += ": MACs vs FLOPs?"
        if key == "gflops" and ratio > 1:  # ops counted as 0 can only make the IR's figure lower
            hint += uncounted_hint(probe)
        verb = "computes" if key == "gflops" else "holds"
        mismatches.append(
            Mismatch(
                field=f"complexity.{key}",
                documented=str(card),
                measured=f"{round_figure(ir)}",
                message=f"card says {card}, IR {where} {verb} {round_figure(ir)} ({hint})",
            )
        )
    return mismatches


def ratio_text(ratio: float) -> str:
    """3 decimals, so that a 1% miss shows (0.986); more when those round a miss to 1.000."""
    if not math.isfinite(ratio):
        return str(ratio)
    digits = 3
    while digits < 6 and round(ratio, digits) == 1 and ratio != 1:
        digits += 1
    return f"{ratio:.{digits}f}"


def uncounted_hint(probe: Probe) -> str:
    """Ops the count gave 0 although they compute: no cost rule, or none in the convention."""
    hint = ""
    if probe.unknown_ops:
        hint += f"; no cost rule for {', '.join(sorted(probe.unknown_ops))}, counted as 0"
    free = sorted(kind for kind, share in probe.breakdown.items() if share.zero_by_convention)
    if free and probe.convention:
        hint += f"; {', '.join(free)} counted as 0 by the {probe.convention} convention"
    return hint
