"""The MkDocs plugin (`plugins: [zoo]`): thin event glue around the catalog pipeline.

on_config loads and checks the cards and finds the vendored JS (before MkDocs cleans the old
site, so a broken card leaves it intact); on_files adds every generated page, data file and
vendored file in memory; on_serve watches the cards and templates so `mkdocs serve` reloads.
"""

from __future__ import annotations

import glob
import logging
from pathlib import Path

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from generator.catalog import Catalog, CatalogError, load_catalog
from generator.checks import run_checks
from generator.conventions import CONVENTIONS, DEFAULT_CONVENTION
from generator.export import models_csv, models_json, schema_json
from generator.pages import site_assets, site_pages
from generator.render import render
from generator.results import (
    ReportError,
    ValidationResult,
    merge_reports,
    merge_results,
    results_json,
)
from generator.sanitize import sanitize_page
from generator.validate import DEFAULT_CACHE, result_findings, validate_catalog
from generator.vendor import DEFAULT_NODE_MODULES, VendorError, vendor_files

log = logging.getLogger("mkdocs.plugins.zoo")
FAILED = ("failed", "error")


def matches(base: Path, pattern: str) -> list[Path]:
    """Files a `results:` pattern matches; what the wildcards matched may not be a symlink
    (a pull request could add one that points out of the checkout)."""
    full = base / pattern
    parts = full.parts
    fixed = next((i for i, part in enumerate(parts) if glob.has_magic(part)), len(parts) - 1)
    root = Path(*parts[:fixed])
    found = []
    for match in glob.glob(str(full)):
        path = root
        for part in Path(match).relative_to(root).parts:
            path = path / part
            if path.is_symlink():
                raise ReportError(f"{match}: a report matched through a symlink ({path})")
        found.append(Path(match))
    return found


class ZooConfig(Config):
    cards = c.Type(str, default="model_cards")
    templates = c.Type(str, default="templates")
    # validate every card with a local IR on each build (cached); a mismatch stops the build
    validation = c.Type(bool, default=False)
    device = c.Type(str, default="CPU")
    # how `validation` counts GFLOPs: the same default as `zoo validate --convention`
    convention = c.Choice(tuple(CONVENTIONS), default=DEFAULT_CONVENTION)
    # measurements of the validation: outside the checkout by default (the user's cache folder)
    cache = c.Type(str, default=str(DEFAULT_CACHE))
    # report files (glob patterns) of `zoo validate --report`, e.g. from other machines
    results = c.ListOfItems(c.Type(str), default=[])
    # where `npm ci` put the browser libraries; default: the zoo-cards checkout's node_modules
    node_modules = c.Optional(c.Type(str))


class ZooPlugin(BasePlugin[ZooConfig]):
    catalog: Catalog | None = None
    generated_pages: frozenset[str] = frozenset()
    results: list[ValidationResult]

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base = Path(config.config_file_path or ".").resolve().parent
        self.cards_dir = base / self.config.cards
        self.templates_dir = base / self.config.templates
        node_modules = base / self.config.node_modules if self.config.node_modules else None
        try:
            self.vendor = vendor_files(node_modules or DEFAULT_NODE_MODULES)
        except VendorError as error:
            raise PluginError(str(error)) from None
        try:
            catalog = load_catalog(self.cards_dir)
        except CatalogError as error:
            raise PluginError(str(error)) from None
        errors = [finding for finding in run_checks(catalog) if finding.severity == "error"]
        for finding in errors:
            log.error(finding.text())
        if errors:
            raise PluginError(f"{len(errors)} problem(s) in {self.cards_dir}: see `zoo check`")
        self.catalog = catalog
        self.results = self.collect_results(catalog, base)
        return config

    def collect_results(self, catalog: Catalog, base: Path) -> list[ValidationResult]:
        try:
            paths = sorted(
                path for pattern in self.config.results for path in matches(base, pattern)
            )
            reported = merge_reports(paths)
        except ReportError as error:
            raise PluginError(str(error)) from None
        if not self.config.validation:
            return reported
        measured = validate_catalog(
            catalog,
            device=self.config.device,
            cache_dir=base / self.config.cache,
            convention=self.config.convention,
        )
        failures = result_findings(catalog, [r for r in measured if r.status in FAILED])
        for finding in failures:
            log.error(finding.text())
        if failures:
            raise PluginError(
                f"{len(failures)} card value(s) contradict their IR: see `zoo validate`"
            )
        # a card without a local IR says nothing about the device: keep reported results
        return merge_results([*reported, *(r for r in measured if r.status != "skipped")])

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        catalog = self.catalog
        assert catalog is not None, "on_config runs first"
        generated: list[File] = []
        for page in site_pages(catalog, self.results):
            content = render(self.templates_dir, page.template, **page.context)
            generated.append(File.generated(config, page.path, content=content))
        for asset in site_assets(catalog):
            if asset.path is not None:
                generated.append(File.generated(config, asset.uri, abs_src_path=str(asset.path)))
            else:
                generated.append(File.generated(config, asset.uri, content=asset.text or ""))
        for uri, path in self.vendor:
            generated.append(File.generated(config, uri, abs_src_path=str(path)))
        data = {
            "models.json": models_json(catalog, self.results),
            "validation.json": results_json(self.results),
            "models.csv": models_csv(catalog.cards),
            "schema/model-card.schema.json": schema_json(),
        }
        generated += [File.generated(config, uri, content=text) for uri, text in data.items()]
        for file in generated:
            # nothing in docs/ (or anywhere else) may stand in for a generated file
            if (existing := files.get_file_from_path(file.src_uri)) is not None:
                raise PluginError(
                    f"{existing.abs_src_path or existing.src_uri}: has the path of a page "
                    f"zoo-cards generates ({file.src_uri}); rename or remove it"
                )
            files.append(file)
        self.generated_pages = frozenset(f.src_uri for f in generated if f.is_documentation_page())
        return files

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Generated pages hold card text: whatever a template does, only allowed markup stays."""
        if page.file.src_uri not in self.generated_pages:
            return html
        return sanitize_page(html)

    def on_serve(
        self, server: LiveReloadServer, config: MkDocsConfig, builder: object
    ) -> LiveReloadServer:
        server.watch(str(self.cards_dir))
        server.watch(str(self.templates_dir))
        return server
