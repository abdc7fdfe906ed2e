"""Facts of the seed documents, parsed independently of the cards, so tests compare site and source.

They live in tests/data/seed_facts.json, written from the seeds by tests/data/extract_seed_facts.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

FACTS = Path(__file__).resolve().parent / "data" / "seed_facts.json"


@dataclass
class OverviewRow:
    name: str
    section: str
    gflops: str
    mparams: str
    marks: dict[str, bool] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)


def _facts() -> dict:
    # read per call (a small file): callers get their own objects to change
    return json.loads(FACTS.read_text(encoding="utf-8"))


def overview_rows() -> list[OverviewRow]:
    """Every model row of the OMZ overview, figures as written ('-' or '' when unknown)."""
    return [OverviewRow(**row) for row in _facts()["overview"]]


def matconvnet_md5() -> dict[str, str]:
    """File name -> md5 of the MatConvNet checksum table."""
    return _facts()["matconvnet_md5"]


def matconvnet_ilsvrc() -> dict[str, list[str]]:
    """model -> [introduced, top-1 err., top-5 err., images/s] of the ILSVRC summary table."""
    return _facts()["matconvnet_ilsvrc"]
