"""A license expression's class for readers: permissive, copyleft, non-commercial or unknown.

Categories come from the ScanCode LicenseDB index that `license_expression` ships; OR takes the
most permissive choice, AND (and WITH) the most restrictive part.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files

from license_expression import AND, OR, LicenseSymbol, LicenseWithExceptionSymbol

from generator.cards.schema import spdx_licensing

LICENSE_CLASSES = ("permissive", "copyleft", "non-commercial", "unknown")  # least restrictive first
CATEGORY_CLASS = {
    "Permissive": "permissive",
    "Public Domain": "permissive",
    "Copyleft": "copyleft",
    "Copyleft Limited": "copyleft",
}
# ScanCode files these under "Source-available" together with no-derivatives licenses; the
# SPDX id itself says non-commercial (CC-BY-NC-*, PolyForm-Noncommercial)
NON_COMMERCIAL_ID = re.compile(r"(^|-)NC(-|$)|noncommercial", re.IGNORECASE)


@cache
def spdx_categories() -> dict[str, str]:
    """ScanCode category per SPDX id (lower case), the ids of other spellings included."""
    index = files("license_expression") / "data" / "scancode-licensedb-index.json"
    categories = {}
    for entry in json.loads(index.read_text(encoding="utf-8")):
        category = entry.get("category")
        for key in [entry.get("spdx_license_key"), *entry.get("other_spdx_license_keys", [])]:
            if key and category:
                categories.setdefault(key.lower(), category)
    return categories


def symbol_class(key: str) -> str:
    if key.startswith("LicenseRef-"):
        return "unknown"
    if NON_COMMERCIAL_ID.search(key):
        return "non-commercial"
    category = spdx_categories().get(key.lower()) or spdx_categories().get(
        key.lower().removesuffix("+")
    )
    return CATEGORY_CLASS.get(category or "", "unknown")


def expression_class(node: object) -> str:
    if isinstance(node, LicenseWithExceptionSymbol):
        return expression_class(node.license_symbol)  # an exception only grants more
    if isinstance(node, LicenseSymbol):
        return symbol_class(node.key)
    if isinstance(node, OR | AND):
        classes = [expression_class(arg) for arg in node.args]
        pick = min if isinstance(node, OR) else max
        return pick(classes, key=LICENSE_CLASSES.index)
    return "unknown"


@cache
def license_class(expression: str | None) -> str:
    """The class of an SPDX expression (or LicenseRef-...); 'unknown' for none or unparsable."""
    if not expression or not expression.strip():
        return "unknown"
    try:
        parsed = spdx_licensing().parse(expression, validate=False)
    except Exception:  # license_expression raises several exception types on bad input
        return "unknown"
    return expression_class(parsed) if parsed is not None else "unknown"
