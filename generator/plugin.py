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

from generator.catalog import Catalog, CatalogError, load_catalog
from generator.checks import run_checks
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
from generator.validate import result_findings, validate_catalog
from generator.vendor import DEFAULT_NODE_MODULES, VendorError, vendor_files

log = logging.getLogger("mkdocs.plugins.zoo")
FAILED = ("failed", "error")


class ZooConfig(Config):
    cards = c.Type(str, default="model_cards")
    templates = c.Type(str, default="templates")
    # validate every card with a local IR on each build (cached); a mismatch stops the build
    validation = c.Type(bool, default=False)
    device = c.Type(str, default="CPU")
    cache = c.Type(str, default=".zoo-cache/validation")
    # report files (glob patterns) of `zoo validate --report`, e.g. from other machines
    results = c.ListOfItems(c.Type(str), default=[])
    # where `npm ci` put the browser libraries; default: the zoo-cards checkout's node_modules
    node_modules = c.Optional(c.Type(str))


class ZooPlugin(BasePlugin[ZooConfig]):
    catalog: Catalog | None = None
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
        patterns = (str(base / pattern) for pattern in self.config.results)
        paths = sorted(Path(path) for pattern in patterns for path in glob.glob(pattern))
        try:
            reported = merge_reports(paths)
        except ReportError as error:
            raise PluginError(str(error)) from None
        if not self.config.validation:
            return reported
        measured = validate_catalog(
            catalog, device=self.config.device, cache_dir=base / self.config.cache
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
        for page in site_pages(catalog, self.results):
            content = render(self.templates_dir, page.template, **page.context)
            files.append(File.generated(config, page.path, content=content))
        for uri, path in [*site_assets(catalog), *self.vendor]:
            files.append(File.generated(config, uri, abs_src_path=str(path)))
        files.append(
            File.generated(config, "models.json", content=models_json(catalog, self.results))
        )
        files.append(File.generated(config, "validation.json", content=results_json(self.results)))
        files.append(File.generated(config, "models.csv", content=models_csv(catalog.cards)))
        files.append(File.generated(config, "schema/model-card.schema.json", content=schema_json()))
        return files

    def on_serve(
        self, server: LiveReloadServer, config: MkDocsConfig, builder: object
    ) -> LiveReloadServer:
        server.watch(str(self.cards_dir))
        server.watch(str(self.templates_dir))
        return server
