"""`zoo new`: scaffold a card, filling inputs, outputs and complexity from the model's IR.

The IR is copied beside the new card, validated like any card, and `--update` writes what it
measured; the folder appears only when all of that worked, so a failure leaves nothing behind.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

from generator.cards.catalog import Catalog, load_card
from generator.cards.schema import NAME_PATTERN, suggest
from generator.cards.vocab import PRECISIONS, TASKS

DESCRIPTION = "TODO: what the model does, what it was trained on, and where it fits."


class ScaffoldError(Exception):
    """The card cannot be created; nothing was written."""


def new_card(
    cards: Path, name: str, task: str, ir: Path | None, precision: str = "FP32"
) -> tuple[Path, list[str]]:
    """Create `<cards>/<name>/model.yml`; return its path and what was measured."""
    if not re.fullmatch(NAME_PATTERN, name):
        raise ScaffoldError(f"name '{name}': use lower-case letters, digits, '.', '_' and '-'")
    if task not in TASKS:
        raise ScaffoldError(f"unknown task '{task}'{suggest(task, tuple(TASKS))}")
    if precision not in PRECISIONS:
        raise ScaffoldError(f"unknown precision '{precision}'{suggest(precision, PRECISIONS)}")
    if not cards.is_dir():
        raise ScaffoldError(f"{cards}: cards folder not found")
    target = cards / name
    if target.exists():
        raise ScaffoldError(f"{target} already exists")
    if ir is not None and not (ir.is_file() and ir.with_suffix(".bin").is_file()):
        raise ScaffoldError(f"{ir}: an IR needs the .xml and its .bin beside it")
    # build in a hidden sibling folder (skipped by the catalog loader), then rename
    staging = Path(tempfile.mkdtemp(prefix=f".new-{name}-", dir=cards))
    try:
        folder = staging / name
        folder.mkdir()
        lines = [f"name: {name}", f"task: {task}", f"description: {json.dumps(DESCRIPTION)}"]
        if ir is not None:
            (folder / precision).mkdir()
            shutil.copyfile(ir, folder / precision / f"{name}.xml")
            shutil.copyfile(ir.with_suffix(".bin"), folder / precision / f"{name}.bin")
            lines.append(f"ir: {{{precision}: {precision}/{name}.xml}}")
        schema_hint = "# yaml-language-server: $schema=../model-card.schema.json"
        (folder / "model.yml").write_text("\n".join([schema_hint, *lines]) + "\n", "utf-8")
        measured = _fill_from_ir(folder) if ir is not None else []
        folder.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target / "model.yml", measured


def _fill_from_ir(folder: Path) -> list[str]:
    from generator.cards.card_update import update_cards
    from generator.validation.validate import validate_catalog

    source = load_card(folder)
    if isinstance(source, list):  # our own scaffold must load; anything else is a bug
        raise ScaffoldError("; ".join(finding.text() for finding in source))
    catalog = Catalog(folder.parent, [source])
    (result,) = validate_catalog(catalog, cache_dir=None)
    if result.status == "error":
        raise ScaffoldError(f"cannot use the IR: {result.message}")
    return update_cards(catalog, [result]).get(source.name, [])
