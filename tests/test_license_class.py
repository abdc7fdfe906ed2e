"""License classes from SPDX expressions: OR takes the most permissive choice, AND the most
restrictive part; LicenseRef-, unlisted and unparsable expressions are unknown."""

from __future__ import annotations

import pytest

from generator.cards.license_class import LICENSE_CLASSES, license_class


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("Apache-2.0", "permissive"),
        ("MIT", "permissive"),
        ("BSD-3-Clause", "permissive"),
        ("CC0-1.0", "permissive"),  # public domain
        ("CC-BY-4.0", "permissive"),
        ("apache-2.0", "permissive"),  # SPDX ids match in any case
        ("GPL-3.0-only", "copyleft"),
        ("GPL-2.0-or-later", "copyleft"),
        ("GPL-2.0+", "copyleft"),
        ("AGPL-3.0-or-later", "copyleft"),
        ("LGPL-2.1-only", "copyleft"),
        ("MPL-2.0", "copyleft"),
        ("CC-BY-SA-4.0", "copyleft"),
        ("GPL-2.0-only WITH Classpath-exception-2.0", "copyleft"),
        ("CC-BY-NC-4.0", "non-commercial"),
        ("CC-BY-NC-SA-4.0", "non-commercial"),
        ("CC-BY-NC-ND-3.0", "non-commercial"),
        ("PolyForm-Noncommercial-1.0.0", "non-commercial"),
        ("CC-BY-ND-4.0", "unknown"),  # no derivatives: neither of the three
        ("LicenseRef-Proprietary", "unknown"),
        ("MIT OR GPL-3.0-only", "permissive"),
        ("CC-BY-NC-4.0 OR GPL-3.0-only", "copyleft"),
        ("LicenseRef-Custom OR MIT", "permissive"),
        ("MIT AND GPL-3.0-only", "copyleft"),
        ("MIT AND CC-BY-NC-4.0", "non-commercial"),
        ("MIT AND LicenseRef-Custom", "unknown"),
        ("(MIT AND CC-BY-NC-4.0) OR GPL-3.0-only", "copyleft"),
        ("Not-A-License-At-All", "unknown"),
        ("MIT AND (", "unknown"),
        ("", "unknown"),
        ("  ", "unknown"),
        (None, "unknown"),
    ],
)
def test_license_class(expression: str | None, expected: str) -> None:
    assert license_class(expression) == expected
    assert expected in LICENSE_CLASSES


def test_every_shipped_license_has_a_known_class() -> None:
    from conftest import ROOT
    from generator.cards.catalog import load_catalog

    catalog = load_catalog(ROOT / "model_cards")
    classes = {
        s.card.license.id: license_class(s.card.license.id) for s in catalog.cards if s.card.license
    }
    assert classes and "unknown" not in classes.values(), classes
