"""The browser files the site serves itself (no CDN): packaged in generator/static/ with a manifest.

At run time only the packaged copies are read. `python -m generator.site.vendor` (`make vendor`, for
maintainers) refreshes the third-party ones from node_modules (`npm ci`) and rewrites the manifest;
it also copies the test-only files (axe-core) into tests/vendor/, which the wheel does not ship.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

# the folder mirrors the site: static/<uri> is served at <uri>
STATIC = Path(__file__).resolve().parents[1] / "static"
MANIFEST = STATIC / "manifest.json"
# site uri -> file inside node_modules (the versions are pinned in package-lock.json)
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
# test-only files (npm devDependencies): tests/vendor/<path> <- node_modules/<file>; the tests read
# these committed copies, never node_modules, and check them against tests/vendor/manifest.json
TEST_VENDOR_FILES: dict[str, str] = {
    "axe-core/axe.min.js": "axe-core/axe.min.js",
    "axe-core/LICENSE": "axe-core/LICENSE",
    "axe-core/LICENSE-3RD-PARTY.txt": "axe-core/LICENSE-3RD-PARTY.txt",
}
# what every page loads, in this order (libraries before the scripts that use them); the plugin
# adds these to extra_css/extra_javascript, an engine without the plugin lists them itself
EXTRA_CSS = (
    "stylesheets/extra.css",
    "assets/vendor/uplot/uPlot.min.css",
    "stylesheets/catalog.css",
)
EXTRA_JAVASCRIPT = (
    "assets/vendor/tablesort/tablesort.min.js",
    "assets/vendor/tablesort/tablesort.number.min.js",
    "assets/vendor/uplot/uPlot.iife.min.js",
    "javascripts/tablesort.js",
    "javascripts/catalog.js",
)
OWN = {"name": "zoo-cards", "license": "Apache-2.0"}


@dataclass(frozen=True)
class StaticFile:
    uri: str
    name: str
    version: str
    license: str
    sha256: str

    @property
    def path(self) -> Path:
        return STATIC / self.uri


def static_files() -> list[StaticFile]:
    """Every packaged browser file, as the manifest lists it."""
    entries = json.loads(MANIFEST.read_text(encoding="utf-8"))["files"]
    return [StaticFile(**entry) for entry in entries]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refresh(root: Path, node_modules: Path) -> list[StaticFile]:
    """Copy the vendored files from node_modules, then list every static file in the manifest."""
    libraries: dict[str, dict[str, str]] = {}
    for uri, relative in VENDOR_FILES.items():
        source = node_modules / relative
        if not source.is_file():
            raise FileNotFoundError(f"{source} not found: run `npm ci` in the repository root")
        libraries[uri] = package_meta(node_modules, relative.split("/", 1)[0])
        (STATIC / uri).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, STATIC / uri)
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    own = {**OWN, "version": project["version"]}
    files = [
        StaticFile(uri=uri, **libraries.get(uri, own), sha256=sha256(STATIC / uri))
        for uri in static_uris()
    ]
    text = json.dumps({"files": [vars(file) for file in files]}, indent=2) + "\n"
    MANIFEST.write_text(text, encoding="utf-8")
    if (root / "tests").is_dir():  # a source checkout, not an installed wheel
        refresh_test_files(root / "tests" / "vendor", node_modules)
    return files


def package_meta(node_modules: Path, package: str) -> dict[str, str]:
    meta = json.loads((node_modules / package / "package.json").read_text(encoding="utf-8"))
    return {"name": package, "version": meta["version"], "license": meta["license"]}


def refresh_test_files(folder: Path, node_modules: Path) -> None:
    """Copy the test-only files into `folder` and list them in its manifest.json."""
    entries = []
    for relative, source_relative in TEST_VENDOR_FILES.items():
        source = node_modules / source_relative
        if not source.is_file():
            raise FileNotFoundError(f"{source} not found: run `npm ci` in the repository root")
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        meta = package_meta(node_modules, source_relative.split("/", 1)[0])
        entries.append({"path": relative, **meta, "sha256": sha256(target)})
    text = json.dumps({"files": entries}, indent=2) + "\n"
    (folder / "manifest.json").write_text(text, encoding="utf-8")


def static_uris() -> list[str]:
    """The files under static/ (the manifest aside), as site uris."""
    return sorted(
        path.relative_to(STATIC).as_posix()
        for path in STATIC.rglob("*")
        if path.is_file() and path != MANIFEST
    )


def main(argv: list[str] | None = None) -> int:
    root = Path(__file__).resolve().parents[2]
    parser = argparse.ArgumentParser(
        prog="python -m generator.site.vendor",
        description="Refresh the packaged browser libraries from node_modules and the manifest.",
    )
    parser.add_argument("--node-modules", type=Path, default=root / "node_modules")
    args = parser.parse_args(argv)
    try:
        files = refresh(root, args.node_modules)
    except (OSError, KeyError, ValueError) as error:
        print(f"vendor: {error}", file=sys.stderr)
        return 2
    for file in files:
        print(f"{file.uri}  {file.name} {file.version} ({file.license})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
