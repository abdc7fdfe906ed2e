"""The site documents every counting rule, read from the counter's registry itself."""

from __future__ import annotations

import subprocess
import sys
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


def test_the_rules_page_does_not_load_the_runtime() -> None:
    probe = "import sys; from generator.site.pages import counting_rules; counting_rules(); "
    probe += "print('openvino' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
