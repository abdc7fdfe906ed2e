"""The MkDocs plugin (`plugins: [zoo]`): thin event glue around generator/site/site_files.py.

on_config loads and checks the cards (before MkDocs cleans the old site, so a broken card leaves
it intact) and adds the packaged CSS/JS to every page; on_files adds every generated file in
memory; on_page_content sanitizes the generated pages; on_serve watches cards and templates.
"""

from __future__ import annotations

import html
import logging
import re
import sys
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from generator.authoring.drift_report import DriftEntry, DriftReportError, read_drift_report
from generator.cards.catalog import Catalog
from generator.site.build_workers import FileMaker, Sanitizer, WorkerError, can_fork
from generator.site.sanitize import sanitize_page
from generator.site.site_files import (
    MARKDOWN_EXTENSIONS,
    PlannedFile,
    SiteError,
    SiteFile,
    checked_catalog,
    report_paths,
    site_plan,
)
from generator.site.vendor import EXTRA_CSS, EXTRA_JAVASCRIPT
from generator.validation.conventions import CONVENTIONS, DEFAULT_CONVENTION
from generator.validation.results import ReportError, ValidationResult, merge_reports, merge_results
from generator.validation.validate import DEFAULT_CACHE, result_findings, validate_catalog

log = logging.getLogger("mkdocs.plugins.zoo")
FAILED = ("failed", "error")
BODY = re.compile(r"<body\b[^>]*>")
SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


class BuildStop(Exception):
    """What stops the site's build: the one-line findings (file:line) and a summary."""

    def __init__(self, lines: list[str], summary: str) -> None:
        super().__init__(summary)
        self.lines = lines
        self.summary = summary


def serve_error_banner(lines: tuple[str, ...]) -> str:
    """An alert fixed at the bottom of a served page, in view wherever the reload scrolls to
    (inline style: it needs none of the site's CSS)."""
    items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in lines)
    return (
        '<div class="zoo-serve-error" role="alert" style="position:fixed;left:0;right:0;bottom:0;'
        "z-index:10;max-height:40vh;overflow:auto;background:#b71c1c;color:#fff;"
        'padding:0.8em 1.2em;font:14px/1.5 sans-serif;box-shadow:0 -2px 8px #0006">'
        "<strong>The site cannot be built: it shows the last good build.</strong> "
        "This page reloads when the problem is fixed."
        f'<ul style="margin:0.4em 0 0;padding-left:1.2em">{items}</ul></div>'
    )


def add_site_settings(config: MutableMapping[str, Any]) -> None:
    """What the generated pages need in a MkDocs config (a loaded one, or a mkdocs.yml read as
    a dict): the packaged CSS/JS, the Markdown extensions, Material's code-copy button."""
    # the packaged CSS/JS on every page, before the zoo's own (which may override them)
    for option, uris in (("extra_css", EXTRA_CSS), ("extra_javascript", EXTRA_JAVASCRIPT)):
        listed = config.setdefault(option, [])
        present = {str(item) for item in listed}
        listed[:0] = [uri for uri in uris if uri not in present]
    extensions = config.setdefault("markdown_extensions", [])
    extensions += [name for name in MARKDOWN_EXTENSIONS if name not in extensions]
    # Material's copy button on every code block: model pages' commands, checksums, BibTeX
    theme = config["theme"]
    if "features" in theme and "content.code.copy" not in theme["features"]:
        theme["features"] = [*theme["features"], "content.code.copy"]


class MadeFile(File):
    """A generated file whose content the FileMaker child delivers when MkDocs first reads it."""

    maker: FileMaker | None = None
    index = 0
    _made: str | bytes | None = None

    @property  # type: ignore[override]
    def _content(self) -> str | bytes | None:
        if self.maker is not None:
            try:
                self._made = self.maker.take(self.index)
            except (SiteError, WorkerError) as error:
                raise PluginError(str(error)) from None
            self.maker = None
        return self._made

    @_content.setter
    def _content(self, value: str | bytes | None) -> None:
        self._made, self.maker = value, None


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
    # `mkdocs build` renders and sanitizes the generated pages in forked processes beside
    # MkDocs (a second core); off, or under `mkdocs serve`, the build does it all itself
    parallel = c.Type(bool, default=True)


class ZooPlugin(BasePlugin[ZooConfig]):
    catalog: Catalog | None = None
    generated_pages: frozenset[str] = frozenset()
    drift_path: Path | None = None
    results: list[ValidationResult]
    drift: list[DriftEntry] | None = None

    serving = False
    # what stops the build, shown on every page while `mkdocs serve` serves the last good build
    serve_errors: tuple[str, ...] = ()
    last_files: list[SiteFile] = []  # noqa: RUF012 (replaced, never changed in place)
    # the build's helpers on the second core (`mkdocs build` only), and the pages waiting for
    # their sanitized HTML
    maker: FileMaker | None = None
    sanitizer: Sanitizer | None = None
    unclean: list[Page]

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # having on_startup also keeps this instance (and its last good catalog) across rebuilds
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base = Path(config.config_file_path or ".").resolve().parent
        self.cards_dir = base / self.config.cards
        self.templates_dir = base / self.config.templates
        try:
            self.catalog, self.results = self.checked(base)
            self.drift_path = base / self.config.drift if self.config.drift else None
            if self.config.drift:
                try:
                    self.drift = read_drift_report(base, self.config.drift)
                except DriftReportError as error:
                    raise BuildStop([], str(error)) from None
            self.serve_errors = ()
            if self.config.parallel and not self.serving and can_fork():
                # starts now: the child plans the files while MkDocs lists docs/ and the theme
                self.maker = FileMaker(self.plan)
                self.catalog = None  # the child has it; the build needs its memory back
        except BuildStop as stop:
            if not self.serving or self.catalog is None:
                for line in stop.lines:
                    log.error(line)
                raise PluginError(stop.summary) from None
            # not logged as errors: strict mode would stop this build and hang the browser
            self.serve_errors = (*stop.lines, stop.summary)
            for line in self.serve_errors:
                print(f"ERROR   -  {line}", file=sys.stderr)
        add_site_settings(config)
        return config

    def checked(self, base: Path) -> tuple[Catalog, list[ValidationResult]]:
        """The checked catalog and its results, or BuildStop saying why the site can't build."""
        try:
            catalog, errors = checked_catalog(self.cards_dir)
        except SiteError as error:
            raise BuildStop([], str(error)) from None
        if errors:
            raise BuildStop(
                [finding.text() for finding in errors],
                f"{len(errors)} problem(s) in {self.cards_dir}: see `zoo check`",
            )
        return catalog, self.collect_results(catalog, base)

    def collect_results(self, catalog: Catalog, base: Path) -> list[ValidationResult]:
        try:
            paths = sorted(
                path for pattern in self.config.results for path in report_paths(base, pattern)
            )
            reported = merge_reports(paths)
        except ReportError as error:
            raise BuildStop([], str(error)) from None
        if not self.config.validation:
            return reported
        measured = validate_catalog(
            catalog,
            device=self.config.device,
            cache_dir=base / self.config.cache,
            convention=self.config.convention,
        )
        failures = result_findings(catalog, [r for r in measured if r.status in FAILED])
        if failures:
            raise BuildStop(
                [finding.text() for finding in failures],
                f"{len(failures)} card value(s) contradict their IR: see `zoo validate`",
            )
        # a card without a local IR says nothing about the device: keep reported results
        return merge_results([*reported, *(r for r in measured if r.status != "skipped")])

    def plan(self) -> list[PlannedFile]:
        assert self.catalog is not None, "on_config runs first"
        return site_plan(
            self.catalog, self.results, self.templates_dir, self.drift, self.config.convention
        )

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        generated = self.made_files(config) if self.maker else self.files_made_here(config)
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

    def made_files(self, config: MkDocsConfig) -> list[File]:
        """The generated files, each made by the FileMaker child by the time MkDocs reads it."""
        assert self.maker is not None
        try:
            planned = self.maker.files()
        except (SiteError, WorkerError) as error:
            raise PluginError(str(error)) from None
        generated: list[File] = []
        for index, file in enumerate(planned):
            if file.path is not None:
                generated.append(File.generated(config, file.uri, abs_src_path=str(file.path)))
                continue
            made = MadeFile.generated(config, file.uri, content=b"")
            made.maker, made.index = self.maker, index
            generated.append(made)
        return generated

    def files_made_here(self, config: MkDocsConfig) -> list[File]:
        """The generated files, made now (under `mkdocs serve`: the last good ones if a
        template broke)."""
        try:
            wanted = self.last_files = [file.made() for file in self.plan()]
        except SiteError as error:
            if not self.serving or not self.last_files:
                raise PluginError(str(error)) from None
            print(f"ERROR   -  {error}", file=sys.stderr)  # a broken template: as in on_config
            self.serve_errors = (*self.serve_errors, str(error))
            wanted = self.last_files
        return [
            File.generated(config, file.uri, abs_src_path=str(file.path))
            if file.path is not None
            else File.generated(config, file.uri, content=file.content or b"")
            for file in wanted
        ]

    @event_priority(-100)  # last: what other plugins add to a generated page is cleaned too
    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Generated pages hold card text: whatever a template does, only allowed markup stays."""
        if page.file.src_uri not in self.generated_pages:
            return html
        if self.maker is None:
            return sanitize_page(html)
        # cleaned beside the build; nothing reads a page's HTML before on_env puts it back
        if self.sanitizer is None:
            self.sanitizer, self.unclean = Sanitizer(), []
        try:
            self.sanitizer.submit(html)
        except WorkerError as error:
            raise PluginError(str(error)) from None
        self.unclean.append(page)
        return html

    @event_priority(100)  # first: every other plugin sees the sanitized pages
    def on_env(self, env: Any, config: MkDocsConfig, files: Files) -> Any:
        if self.sanitizer is not None:
            try:
                for page, html in zip(self.unclean, self.sanitizer.results(), strict=False):
                    page.content = html
            except WorkerError as error:
                raise PluginError(str(error)) from None
            self.sanitizer, self.unclean = None, []
        return env

    def on_post_build(self, config: MkDocsConfig) -> None:
        self.end_workers()

    def on_build_error(self, error: Exception) -> None:
        self.end_workers()

    def end_workers(self) -> None:
        if self.maker is not None:
            self.maker.close()
            self.maker = None
        if self.sanitizer is not None:
            self.sanitizer.close()
            self.sanitizer, self.unclean = None, []

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        """Material's search dialog has no name (axe: aria-dialog-name): give it one. While
        `mkdocs serve` shows the last good build, every page starts with what stops the build."""
        output = output.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + ' aria-label="Search">', 1)
        if self.serve_errors:
            banner = serve_error_banner(self.serve_errors)
            output = BODY.sub(lambda body: body[0] + banner, output, count=1)
        return output

    def on_serve(
        self, server: LiveReloadServer, config: MkDocsConfig, builder: object
    ) -> LiveReloadServer:
        server.watch(str(self.cards_dir))
        if self.templates_dir.is_dir():
            server.watch(str(self.templates_dir))
        if self.drift_path is not None:
            server.watch(str(self.drift_path))
        return server
