"""Third-party browser libraries the site serves itself (no CDN), taken from node_modules.

The versions are pinned in package.json/package-lock.json at the repository root (`npm ci`).
"""

from __future__ import annotations

from pathlib import Path

# site uri -> file inside node_modules; mkdocs.yml's extra_javascript/extra_css name the uris
VENDOR_FILES: dict[str, str] = {
    "assets/vendor/tablesort/tablesort.min.js": "tablesort/dist/tablesort.min.js",
    "assets/vendor/tablesort/tablesort.number.min.js": (
        "tablesort/dist/sorts/tablesort.number.min.js"
    ),
    "assets/vendor/uplot/uPlot.iife.min.js": "uplot/dist/uPlot.iife.min.js",
    "assets/vendor/uplot/uPlot.min.css": "uplot/dist/uPlot.min.css",
    "assets/vendor/tablesort/LICENSE": "tablesort/LICENCE",
    "assets/vendor/uplot/LICENSE": "uplot/LICENSE",
}
# the project's own node_modules, next to its package.json
DEFAULT_NODE_MODULES = Path(__file__).resolve().parents[1] / "node_modules"


class VendorError(Exception):
    """A vendored file is missing: the JS packages were not installed."""


def vendor_files(node_modules: Path = DEFAULT_NODE_MODULES) -> list[tuple[str, Path]]:
    """(site uri, file) of every vendored file; VendorError names the first missing one."""
    files = []
    for uri, relative in VENDOR_FILES.items():
        path = node_modules / relative
        if not path.is_file():
            raise VendorError(f"{path} not found: run `npm ci` in the repository root")
        files.append((uri, path))
    return files
