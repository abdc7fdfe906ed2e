"""What the site shows of each model, computed once from the typed catalog: figures as written,
the main metric, status glyphs, license class, page URL and measured speed, for both the page
templates and models.json (catalog.js only filters, sorts and lays out)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from generator.cards.catalog import CardSource
from generator.cards.schema import Card, Metric
from generator.cards.vocab import FRAMEWORKS, task_title
from generator.validation.results import ValidationResult

STATUS_GLYPHS = {"passed": "✔", "failed": "✘", "error": "!", "skipped": "–"}
NOT_MEASURED = "not measured"
NO_ACCURACY = "no accuracy published"


def status_glyph(status: str) -> str:
    """The glyph beside a validation status; an unknown status reads as an error."""
    return STATUS_GLYPHS.get(status, STATUS_GLYPHS["error"])


def model_page(name: str, up: int = 0) -> str:
    """The Markdown link to a model page from a page `up` folders below the docs root."""
    return "../" * up + f"models/{name}/index.md"


def page_url(name: str) -> str:
    """A model page's URL relative to the site root (what models.json carries)."""
    return f"models/{name}/"


def figure_text(value: float | None) -> str | None:
    """A card figure as its card wrote it (2.300 stays 2.300); None when missing."""
    return None if value is None else str(value)


def main_metric(card: Card) -> Metric | None:
    """The figure a model is ranked by as "accuracy": its first higher-is-better one.
    An error rate (better: lower) is shown but never ranked, filtered or charted as accuracy."""
    return next((metric for metric in card.accuracy if metric.better == "higher"), None)


def shown_metric(card: Card) -> Metric | None:
    """The one figure a list row shows: the main metric, else the card's first figure."""
    return main_metric(card) or (card.accuracy[0] if card.accuracy else None)


def metric_view(metric: Metric) -> dict:
    """A metric as every view prints it: the figure as written, its unit, dataset, direction."""
    return {
        "metric": metric.metric,
        "dataset": metric.dataset,
        "unit": metric.unit or "",
        "value": float(metric.value),
        "text": str(metric.value) + (metric.unit or ""),
        "better": metric.better,
    }


def license_class_of(expression: str | None) -> str:
    """permissive, copyleft, non-commercial or unknown (generator/cards/license_class.py)."""
    try:
        from generator.cards.license_class import license_class
    except ImportError:  # until that module lands: no class is known
        return "unknown"
    return license_class(expression)


def speed_view(results: Iterable[ValidationResult]) -> dict | None:
    """The fastest measured run (lowest median latency) of a model, with where it ran;
    None when no run was measured."""
    runs = [
        result
        for result in results
        if result.speed is not None and result.speed.latency_median_ms is not None
    ]
    if not runs:
        return None
    best = min(runs, key=lambda result: (result.speed.latency_median_ms, result.device))
    speed = best.speed
    where = " ".join(part for part in (best.device, best.precision) if part)
    latency = f"{speed.latency_median_ms:.2f}"
    throughput = None if speed.throughput_fps is None else f"{speed.throughput_fps:.1f}"
    return {
        "latency_ms": speed.latency_median_ms,
        "latency_text": latency,
        "throughput_fps": speed.throughput_fps,
        "throughput_text": throughput,
        "device": best.device,
        "precision": best.precision,
        "text": f"{latency} ms" + (f", {throughput} FPS" if throughput else "") + f" ({where})",
    }


def validation_view(results: Sequence[ValidationResult]) -> list[dict]:
    return [
        {
            "device": result.device,
            "precision": result.precision or "",
            "status": result.status,
            "glyph": status_glyph(result.status),
            "checked_at": result.checked_at.isoformat() if result.checked_at else "",
        }
        for result in results
    ]


def model_view(source: CardSource, results: Sequence[ValidationResult] = ()) -> dict:
    """Every display value of one model, computed here only."""
    card = source.card
    complexity = card.complexity
    main = main_metric(card)
    shown = shown_metric(card)
    license_id = card.license.id if card.license else ""
    return {
        "task_title": task_title(card.task),
        "framework_title": FRAMEWORKS.get(card.framework, card.framework or ""),
        "page": page_url(card.name),
        "gflops_text": figure_text(complexity.gflops if complexity else None),
        "mparams_text": figure_text(complexity.mparams if complexity else None),
        # the figure ranked, filtered and charted as accuracy; `shown` is what the row prints
        "main": metric_view(main) if main else None,
        "shown": metric_view(shown) if shown else None,
        "metrics": [metric_view(metric) for metric in card.accuracy],
        "license_class": license_class_of(license_id or None),
        "status": validation_view(results),
        "speed": speed_view(results),
        "published_speed": [
            f"{speed.value} {speed.unit}" + (f" ({speed.device})" if speed.device else "")
            for speed in card.speed
        ],
    }
