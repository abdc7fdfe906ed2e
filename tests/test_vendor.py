"""The browser files ship in the package, listed with name, version, license and sha256 in a
manifest that matches them; the site serves them itself, no page loads anything from elsewhere."""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from pathlib import Path

from conftest import ROOT
from generator.site.vendor import (
    EXTRA_CSS,
    EXTRA_JAVASCRIPT,
    MANIFEST,
    STATIC,
    VENDOR_FILES,
    static_files,
    static_uris,
)

REMOTE = re.compile(r"""<(?:script|link|img)\b[^>]*\b(?:src|href)=["']?(?:https?:)?//""")


def test_manifest_matches_the_packaged_files() -> None:
    files = static_files()
    assert sorted(file.uri for file in files) == static_uris()  # every file listed, no other
    for file in files:
        assert hashlib.sha256(file.path.read_bytes()).hexdigest() == file.sha256, (
            f"{file.uri} changed: run `make vendor` to refresh {MANIFEST.relative_to(ROOT)}"
        )
    # third-party files carry the version package.json pins; ours the project's version
    pins = json.loads((ROOT / "package.json").read_text())["dependencies"]
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    for file in files:
        if file.uri in VENDOR_FILES:
            assert (file.version, file.license) == (pins[file.name], "MIT"), file.uri
        else:
            assert (file.name, file.version, file.license) == ("zoo-cards", version, "Apache-2.0")
    assert {*EXTRA_CSS, *EXTRA_JAVASCRIPT} <= {file.uri for file in files}
    for name in ("tablesort", "uplot"):
        assert (STATIC / "assets" / "vendor" / name / "LICENSE").is_file()
        assert name.lower() in (ROOT / "NOTICE").read_text().lower()


def test_site_serves_the_packaged_files_itself(built_site: Path) -> None:
    for file in static_files():
        assert (built_site / file.uri).read_bytes() == file.path.read_bytes()
    for page in ("index.html", "catalog/index.html", "overview/index.html"):
        html = (built_site / page).read_text()
        # the canonical address (site_url) names the page, it loads nothing
        html = re.sub(r'<link rel="canonical" href="[^"]*">', "", html)
        assert not REMOTE.findall(html), page
        # the plugin lists them (the project's mkdocs.yml does not), libraries before scripts
        scripts = re.findall(r'<script src="(?:\.\./)*([^"]+)"', html)
        assert [s for s in scripts if s in EXTRA_JAVASCRIPT] == list(EXTRA_JAVASCRIPT), page
