"""What the site shows of each model, computed once from the typed catalog: figures as written,
the main metric, status glyphs, license class, page URL and measured speed, for both the page
templates and models.json (catalog.js only filters, sorts and lays out)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from generator.cards.catalog import CardSource
from generator.cards.license_class import license_class
from generator.cards.schema import Card, Metric
from generator.cards.vocab import FRAMEWORKS
from generator.validation.results import ValidationResult

STATUS_GLYPHS = {"passed": "✔", "failed": "✘", "error": "!", "skipped": "–"}


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


def main_index(card: Card) -> int | None:
    """Which figure a model is ranked by as "accuracy": its first higher-is-better one.
    An error rate (better: lower) is shown but never ranked, filtered or charted as accuracy."""
    return next((i for i, metric in enumerate(card.accuracy) if metric.better == "higher"), None)


def shown_index(card: Card) -> int | None:
    """The one figure a list row shows: the main metric, else the card's first figure."""
    main = main_index(card)
    return main if main is not None else (0 if card.accuracy else None)


def shown_metric(card: Card) -> Metric | None:
    index = shown_index(card)
    return None if index is None else card.accuracy[index]


def metric_text(metric: Metric) -> str:
    """A metric's figure as every view prints it: as written, with its unit (39.30%)."""
    return str(metric.value) + (metric.unit or "")


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
    """Every display value of one model, computed here only. Compact, as models.json carries it
    beside the card data: a missing value is left out, `main` and `shown` index `accuracy`
    (whose figures as written are `figures`)."""
    card = source.card
    complexity = card.complexity
    view: dict = {
        "gflops": figure_text(complexity.gflops if complexity else None),
        "mparams": figure_text(complexity.mparams if complexity else None),
        "framework": FRAMEWORKS.get(card.framework, card.framework) if card.framework else None,
        "license_class": license_class(card.license.id if card.license else None),
        # `main`: ranked, filtered and charted as accuracy; `shown`: what a list row prints
        "main": main_index(card),
        "shown": shown_index(card),
        "figures": [metric_text(metric) for metric in card.accuracy],
        "speed": speed_view(results),
        "published_speed": [
            f"{speed.value} {speed.unit}" + (f" ({speed.device})" if speed.device else "")
            for speed in card.speed
        ],
    }
    return {key: value for key, value in view.items() if value is not None and value != []}
