"""Random YAML and random card text through the loader and `zoo check`: a finding or a card,
never an exception, and every finding one line at a position inside the file.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cards.catalog import CardSource, Catalog, load_card
from generator.cards.checks import run_checks
from generator.cards.yaml_source import YamlError, parse_yaml

# YAML's own punctuation, so random text often is YAML, plus controls and odd characters
YAMLISH = st.text(
    alphabet=st.sampled_from(
        list("[]{}:,-?&*!|>'\"#%@`\n\t abc019.e+~")
        + ["\x00", "\x1b", "\u202e", "\ufeff", "\x85", "é"]
    ),
    max_size=200,
)
SCALARS = st.one_of(
    st.text(max_size=30), st.integers(), st.floats(allow_nan=True), st.booleans(), st.none()
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
CARD_KEYS = ("name", "task", "description", "homepage", "inputs", "files", "license", "complexity",
             "accuracy", "ir", "parts", "citations", "demos", "year")  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(YAMLISH)
def test_random_yaml_is_data_or_one_error(text: str) -> None:
    try:
        doc = parse_yaml(text)
    except YamlError as error:
        assert error.line >= 1 and error.col >= 1 and "\n" not in error.message
        return
    for position in [*doc.positions.values(), *doc.keys.values()]:
        assert 1 <= position.line <= len(text.splitlines()) + 2  # YAML breaks lines at NEL too


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.dictionaries(st.sampled_from(CARD_KEYS), VALUES, max_size=8))
def test_random_cards_give_findings_not_exceptions(tmp_path: Path, data: dict) -> None:
    folder = tmp_path / "m"
    folder.mkdir(exist_ok=True)
    try:
        text = yaml.safe_dump({"name": "m", "task": "detection", "description": "d", **data})
    except yaml.YAMLError:
        return
    (folder / "model.yml").write_text(text, encoding="utf-8")
    loaded = load_card(folder)
    catalog = Catalog(tmp_path, [loaded]) if isinstance(loaded, CardSource) else None
    findings = run_checks(catalog) if catalog else loaded
    lines = text.count("\n") + 1
    for finding in findings:
        assert 1 <= finding.line <= lines and finding.code and "Traceback" not in finding.message
