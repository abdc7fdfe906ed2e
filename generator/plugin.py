"""The MkDocs plugin (`plugins: [zoo]`): thin event glue around generator/site/site_files.py.

on_config loads and checks the cards (before MkDocs cleans the old site, so a broken card leaves
it intact) and adds the packaged CSS/JS to every page; on_files adds every generated file in
memory; on_page_content sanitizes the generated pages; on_serve watches cards and templates.
"""

from __future__ import annotations

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

from generator.authoring.drift_report import DriftEntry, DriftReportError, read_drift_report
from generator.cards.catalog import Catalog
from generator.site.sanitize import sanitize_page
from generator.site.site_files import (
    MARKDOWN_EXTENSIONS,
    SiteError,
    checked_catalog,
    report_paths,
    site_files,
)
from generator.site.vendor import EXTRA_CSS, EXTRA_JAVASCRIPT
from generator.validation.conventions import CONVENTIONS, DEFAULT_CONVENTION
from generator.validation.results import ReportError, ValidationResult, merge_reports, merge_results
from generator.validation.validate import DEFAULT_CACHE, result_findings, validate_catalog

log = logging.getLogger("mkdocs.plugins.zoo")
FAILED = ("failed", "error")
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


class ZooConfig(Config):
    cards = c.Type(str, default="model_cards")
    # the zoo's own templates: each overrides the packaged template of its name
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
    # a drift report (`zoo drift --format json`) inside the project: published as a Drift page
    drift = c.Optional(c.Type(str))


class ZooPlugin(BasePlugin[ZooConfig]):
    catalog: Catalog | None = None
    generated_pages: frozenset[str] = frozenset()
    drift_path: Path | None = None
    results: list[ValidationResult]
    drift: list[DriftEntry] | None = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base = Path(config.config_file_path or ".").resolve().parent
        self.cards_dir = base / self.config.cards
        self.templates_dir = base / self.config.templates
        try:
            catalog, errors = checked_catalog(self.cards_dir)
        except SiteError as error:
            raise PluginError(str(error)) from None
        for finding in errors:
            log.error(finding.text())
        if errors:
            raise PluginError(f"{len(errors)} problem(s) in {self.cards_dir}: see `zoo check`")
        self.catalog = catalog
        self.results = self.collect_results(catalog, base)
        self.drift_path = base / self.config.drift if self.config.drift else None
        if self.config.drift:
            try:
                self.drift = read_drift_report(base, self.config.drift)
            except DriftReportError as error:
                raise PluginError(str(error)) from None
        # the packaged CSS/JS on every page, before the zoo's own (which may override them)
        for option, uris in (("extra_css", EXTRA_CSS), ("extra_javascript", EXTRA_JAVASCRIPT)):
            listed = config[option]
            present = {str(item) for item in listed}
            listed[:0] = [uri for uri in uris if uri not in present]
        config.markdown_extensions += [
            name for name in MARKDOWN_EXTENSIONS if name not in config.markdown_extensions
        ]
        return config

    def collect_results(self, catalog: Catalog, base: Path) -> list[ValidationResult]:
        try:
            paths = sorted(
                path for pattern in self.config.results for path in report_paths(base, pattern)
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
        try:
            wanted = site_files(catalog, self.results, self.templates_dir, self.drift)
        except SiteError as error:
            raise PluginError(str(error)) from None
        generated = [
            File.generated(config, file.uri, abs_src_path=str(file.path))
            if file.path is not None
            else File.generated(config, file.uri, content=file.content or b"")
            for file in wanted
        ]
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

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """Material's search dialog has no name (axe: aria-dialog-name): give it one."""
        return output.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + ' aria-label="Search">', 1)

    def on_serve(
        self, server: LiveReloadServer, config: MkDocsConfig, builder: object
    ) -> LiveReloadServer:
        server.watch(str(self.cards_dir))
        if self.templates_dir.is_dir():
            server.watch(str(self.templates_dir))
        if self.drift_path is not None:
            server.watch(str(self.drift_path))
        return server
