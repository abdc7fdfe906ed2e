"""Browser libraries come from node_modules into the site; no page loads anything from elsewhere."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import mkdocs_build, site_config, write_card
from generator.vendor import DEFAULT_NODE_MODULES, VENDOR_FILES

REMOTE = re.compile(r"""<(?:script|link|img)\b[^>]*\b(?:src|href)=["']?(?:https?:)?//""")
CARD = "name: tiny\ntask: detection\ndescription: A model.\n"


def test_site_serves_the_pinned_libraries_itself(built_site: Path) -> None:
    for uri, relative in VENDOR_FILES.items():
        assert (built_site / uri).read_bytes() == (DEFAULT_NODE_MODULES / relative).read_bytes()
    for page in ("index.html", "catalog/index.html", "overview/index.html"):
        html = (built_site / page).read_text()
        # the canonical address (site_url) names the page, it loads nothing
        html = re.sub(r'<link rel="canonical" href="[^"]*">', "", html)
        assert not REMOTE.findall(html), page
        assert "assets/vendor/uplot/uPlot.iife.min.js" in html
        assert "assets/vendor/tablesort/tablesort.number.min.js" in html


def test_missing_node_modules_is_a_one_line_error(tmp_path: Path) -> None:
    write_card(tmp_path / "cards", "tiny", CARD)
    config = site_config(tmp_path, tmp_path / "cards", node_modules=str(tmp_path / "nothing"))
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 1
    wanted = f"{tmp_path / 'nothing' / 'tablesort'}/dist/tablesort.min.js not found: run `npm ci`"
    assert wanted in result.stderr
    assert "Traceback" not in result.stderr
