"""The site documents every counting rule, read from the counter's registry itself."""

from __future__ import annotations

from pathlib import Path

from conftest import table_rows
from generator.validation.complexity import rule_table, rules
from generator.validation.conventions import CONVENTIONS


def test_every_rule_of_the_registry_is_on_the_counting_page(built_site: Path) -> None:
    rows = table_rows(built_site / "counting" / "index.html")
    for kind, row in rule_table():
        assert rows[kind] == [kind, *(row[name] for name in CONVENTIONS)], kind
    assert set(rows) >= {kind for name in CONVENTIONS for kind in rules(name)}
    assert rows["Gelu"][1:] == ["0 (by this convention)", "14 per output value"]
    assert rows["model-analyzer (default)"][0] == "model-analyzer (default)"
