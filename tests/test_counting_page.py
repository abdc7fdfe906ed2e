"""The site documents every counting rule, read from the counter's registry itself, and says
under which convention a documented GFLOPs figure is and what it counts as 0."""

from __future__ import annotations

import html
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, table_rows
from generator.cards.catalog import load_catalog
from generator.site.pages import site_pages
from generator.site.render import render
from generator.validation.complexity import rule_table, rules
from generator.validation.conventions import CONVENTIONS
from generator.validation.results import OpFigures, ValidationResult


def test_every_rule_of_the_registry_is_on_the_counting_page(built_site: Path) -> None:
    rows = table_rows(built_site / "counting" / "index.html")
    for kind, row in rule_table():
        assert rows[kind] == [kind, *(row[name] for name in CONVENTIONS)], kind
    assert set(rows) >= {kind for name in CONVENTIONS for kind in rules(name)}
    assert rows["Gelu"][1:] == ["0 (by this convention)", "14 per output value"]
    assert rows["model-analyzer (default)"][0] == "model-analyzer (default)"


def test_the_rules_page_does_not_load_the_runtime() -> None:
    probe = "import sys; from generator.site.pages import counting_rules; counting_rules(); "
    probe += "print('openvino' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def counting_rows(page_markdown: str) -> list[str]:
    """The Specification's rows on how GFLOPs are counted, as the reader sees them: the template
    writes card and report text as entities, so Markdown cannot read it."""
    rows = page_markdown.splitlines()
    return [html.unescape(row) for row in rows if row.startswith(("| GFLOPs counted", "| Counted"))]


def model_page(results: list[ValidationResult], convention: str) -> str:
    catalog = load_catalog(ROOT / "model_cards")
    [page] = [
        page
        for page in site_pages(catalog, results, convention=convention)
        if page.path == "models/pp-ocrv4-rec/index.md"
    ]
    return render(None, page.template, **page.context)


def test_a_documented_gflops_says_its_convention_and_what_it_counts_as_0() -> None:
    """A documented figure leaves out what its convention counts as 0: the page says so."""
    measured = ValidationResult(
        name="pp-ocrv4-rec",
        precision="FP32",
        device="CPU",
        status="passed",
        convention="model-analyzer",
        breakdown={
            "Convolution": OpFigures(ops=40, gflops=1.2, mparams=1.0),
            "ScaledDotProductAttention": OpFigures(ops=2, gflops=0.0017),
            "Gelu": OpFigures(ops=4, gflops=0, zero_by_convention=True),
        },
        unknown_ops={"ReduceMean": 2},
    )
    assert counting_rows(model_page([measured], "model-analyzer")) == [
        "| GFLOPs counted by | [model-analyzer convention](../../counting.md) |",
        "| Counted as 0 | Gelu (x4), ReduceMean (x2) |",
    ]
    # a zoo counting in full: its figure is said to be so; another convention's result says
    # nothing of what this one leaves out
    rows = counting_rows(model_page([measured], "full"))
    assert rows == ["| GFLOPs counted by | [full convention](../../counting.md) |"]
    rows = counting_rows(model_page([], "model-analyzer"))
    assert rows == ["| GFLOPs counted by | [model-analyzer convention](../../counting.md) |"]
