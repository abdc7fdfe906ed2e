"""`zoo export pwc`: the cards as one Papers-with-Code-style `model-index` YAML file.

Each model: FLOPs and Parameters (absolute counts) in Metadata, one result per dataset with
its task and metrics, the first citation as Paper, the homepage as README.
"""

from __future__ import annotations

from pathlib import Path

from generator.atomic_file import write_atomic
from generator.cards.catalog import CardSource
from generator.cards.schema import Card, Metric
from generator.exchange.common import ExportError, yaml_text
from generator.exchange.hf_card import UNNAMED_DATASET, metric_name, task_title


def model_entry(card: Card) -> dict:
    entry: dict = {"Name": card.name}
    meta: dict = {}
    if card.complexity is not None:
        if card.complexity.gflops is not None:
            meta["FLOPs"] = round(float(card.complexity.gflops) * 1e9)
        if card.complexity.mparams is not None:
            meta["Parameters"] = round(float(card.complexity.mparams) * 1e6)
    if card.framework:
        meta["Framework"] = card.framework
    if card.license:
        meta["License"] = card.license.id
    if meta:
        entry["Metadata"] = meta
    by_dataset: dict[str, list[Metric]] = {}
    for metric in card.accuracy:
        by_dataset.setdefault(metric.dataset or UNNAMED_DATASET, []).append(metric)
    if by_dataset:
        entry["Results"] = [
            {
                "Task": task_title(card),
                "Dataset": dataset,
                "Metrics": {metric_name(metric): float(metric.value) for metric in metrics},
            }
            for dataset, metrics in by_dataset.items()
        ]
    if card.citations:
        paper = card.citations[0]
        entry["Paper"] = {"Title": paper.title, **({"URL": paper.url} if paper.url else {})}
    if card.homepage:
        entry["README"] = card.homepage
    return entry


def pwc_index(sources: list[CardSource]) -> str:
    return yaml_text({"Models": [model_entry(source.card) for source in sources]})


def export_pwc(sources: list[CardSource], out: Path) -> None:
    """Write the index to `out` atomically (never through a symlink, never over a folder)."""
    if out.is_symlink() or (out.exists() and not out.is_file()):
        raise ExportError(f"{out}: not a regular file (a symlink or a folder)")
    write_atomic(out, pwc_index(sources))
