"""The machine-readable catalog published with the site: models.json and models.csv."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from generator.cards.catalog import CardSource, Catalog
from generator.cards.license_class import license_class
from generator.cards.schema import card_json_schema
from generator.cards.vocab import task_title
from generator.safe_text import csv_cell
from generator.site.view_model import (
    model_view,
    page_url,
    shown_metric,
    validation_view,
)
from generator.validation.results import ValidationResult

CSV_COLUMNS = (
    "name", "task", "task_title", "tags", "framework", "license", "license_class", "gflops",
    "mparams", "metric", "metric_value", "metric_unit", "metric_dataset", "metric_better",
    "precisions", "year", "part_of", "files", "page",
)  # fmt: skip


def catalog_records(catalog: Catalog, results: Sequence[ValidationResult] = ()) -> list[dict]:
    """Every card as JSON data, plus its page URL (relative to the site root), validation and
    the display values of the view model (`view`), which the catalog page shows as they are."""
    by_model: dict[str, list[ValidationResult]] = {}
    for result in results:
        by_model.setdefault(result.name, []).append(result)
    records = []
    for source in catalog.cards:
        own = by_model.get(source.name, [])
        record = card_record(source, validation_view(own))
        record["view"] = model_view(source, own)
        records.append(record)
    return records


def card_record(source: CardSource, validation: list[dict] | None = None) -> dict:
    record = source.card.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    record["task_title"] = task_title(source.card.task)
    record["page"] = page_url(source.name)
    record["validation"] = validation or []
    return record


def info_json(sources: Sequence[CardSource]) -> str:
    """`zoo info --format json`: the cards as the catalog reads them."""
    return json.dumps([card_record(source) for source in sources], indent=2) + "\n"


def models_json(catalog: Catalog, results: Sequence[ValidationResult] = ()) -> str:
    """Compact (no indentation, no spaces): the catalog page downloads it on every visit."""
    records = catalog_records(catalog, results)
    data = {"count": len(catalog.cards), "models": records}
    return json.dumps(data, separators=(",", ":"))


def models_csv(sources: Sequence[CardSource]) -> str:
    """models.csv and `zoo info --format csv`: one row per card with the figures a spreadsheet
    wants; the metric is the one the catalog's row shows (view_model.shown_metric). A text
    cell that would start a formula gets a leading `'` (see csv_cell)."""
    out = io.StringIO()
    # text quoted (a \r inside would otherwise end the row), figures bare: numbers to a spreadsheet
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writeheader()
    for source in sources:
        card = source.card
        complexity = card.complexity
        first = shown_metric(card)  # the figure the catalog's row shows
        text = {
            "name": card.name,
            "task": card.task,
            "task_title": task_title(card.task),
            "tags": ";".join(card.tags),
            "framework": card.framework or "",
            "license": card.license.id if card.license else "",
            "license_class": license_class(card.license.id if card.license else None),
            "metric": first.metric if first else "",
            "metric_unit": (first.unit or "") if first else "",
            "metric_dataset": (first.dataset or "") if first else "",
            "metric_better": first.better if first else "",
            "precisions": ";".join(card.precisions),
            "part_of": card.part_of or "",
            "files": ";".join(entry.name for entry in card.files),
            "page": page_url(card.name),
        }
        figures = {
            "gflops": complexity.gflops if complexity else None,
            "mparams": complexity.mparams if complexity else None,
            "metric_value": first.value if first else None,
            "year": card.year,
        }
        # card text may start with `=`: neutralised; our own numbers stay numbers (-0.5 too)
        writer.writerow({**{key: csv_cell(value) for key, value in text.items()}, **figures})
    return out.getvalue()


def schema_json() -> str:
    return json.dumps(card_json_schema(), indent=2) + "\n"
