"""Every file zoo-cards adds to a site: pages, data files, card assets, packaged browser files.

One function for both outputs: the MkDocs plugin serves them in memory, `zoo render` writes them.
"""

from __future__ import annotations

import glob
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import jinja2

from generator.authoring.drift_report import DriftEntry
from generator.cards.catalog import Catalog, CatalogError, load_catalog
from generator.cards.checks import run_checks
from generator.findings import Finding
from generator.site.export import models_csv, models_json, schema_json
from generator.site.pages import SitePage, site_assets, site_pages
from generator.site.render import render
from generator.site.vendor import static_files
from generator.validation.conventions import DEFAULT_CONVENTION
from generator.validation.results import ReportError, ValidationResult, results_json

# the Markdown extensions the pages need beyond MkDocs' defaults (toc, tables, fenced_code):
# `{ #id }` and `{ .class }` of the templates; Zensical enables them by itself
MARKDOWN_EXTENSIONS = ("attr_list",)


class SiteError(Exception):
    """The site cannot be generated (broken cards, a broken template): one line for the user."""


@dataclass(frozen=True)
class SiteFile:
    """A file of the site at `uri`: its content, or the file to copy."""

    uri: str
    content: bytes | None = None
    path: Path | None = None

    @property
    def is_page(self) -> bool:
        return self.uri.endswith(".md")

    def data(self) -> bytes:
        return self.content if self.content is not None else Path(self.path or "").read_bytes()


def checked_catalog(cards: Path) -> tuple[Catalog, list[Finding]]:
    """The catalog and its errors (a catalog with errors is not published)."""
    try:
        catalog = load_catalog(cards)
    except CatalogError as error:
        raise SiteError(str(error)) from None
    return catalog, [finding for finding in run_checks(catalog) if finding.severity == "error"]


@dataclass(frozen=True)
class PlannedFile:
    """A file of the site before it is made: `make` renders it, or `path` is copied as is."""

    uri: str
    make: Callable[[], bytes] | None = None
    path: Path | None = None

    def made(self) -> SiteFile:
        if self.make is None:
            return SiteFile(self.uri, path=self.path)
        return SiteFile(self.uri, content=self.make())


def site_plan(
    catalog: Catalog,
    results: list[ValidationResult],
    templates: Path | None,
    drift: list[DriftEntry] | None = None,
    convention: str = DEFAULT_CONVENTION,
) -> list[PlannedFile]:
    """Everything the site gets from zoo-cards, in the order MkDocs reads it (pages first), each
    made when asked for; `templates` overrides default templates by name; with a drift report, a
    Drift page; `convention` is how the zoo counts GFLOPs, said next to each documented figure."""
    files = [
        PlannedFile(page.path, make=partial(render_page, templates, page))
        for page in site_pages(catalog, results, drift, convention)
    ]
    for asset in site_assets(catalog):
        if asset.path is not None:
            files.append(PlannedFile(asset.uri, path=asset.path))
        else:
            files.append(PlannedFile(asset.uri, make=partial(str.encode, asset.text or "")))
    data = {
        "models.json": partial(models_json, catalog, results),
        "validation.json": partial(results_json, results),
        "models.csv": partial(models_csv, catalog.cards),
        "schema/model-card.schema.json": schema_json,
    }
    files += [PlannedFile(uri, make=partial(encoded, make)) for uri, make in data.items()]
    files += [PlannedFile(file.uri, path=file.path) for file in static_files()]
    return files


def site_files(
    catalog: Catalog,
    results: list[ValidationResult],
    templates: Path | None,
    drift: list[DriftEntry] | None = None,
    convention: str = DEFAULT_CONVENTION,
) -> list[SiteFile]:
    """The files of `site_plan`, made now."""
    return [file.made() for file in site_plan(catalog, results, templates, drift, convention)]


def render_page(templates: Path | None, page: SitePage) -> bytes:
    try:
        return render(templates, page.template, **page.context).encode()
    except jinja2.TemplateError as error:
        raise SiteError(template_error(error, page.template)) from None


def encoded(make: Callable[[], str]) -> bytes:
    return make().encode()


def template_error(error: jinja2.TemplateError, template: str) -> str:
    """'file:line: message' of a template that does not render (a zoo's override, usually)."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        return f"{error.filename or error.name or template}:{error.lineno}: {error.message}"
    return f"{template}: {error.message or type(error).__name__}"


def first_symlink(start: Path, path: Path) -> Path | None:
    """The first of `path`'s components below `start` that is a symlink, if any."""
    step = start
    for part in path.relative_to(start).parts:
        step = step / part
        if step.is_symlink():
            return step
    return None


def report_paths(base: Path, pattern: str) -> list[Path]:
    """Files a `results:` pattern matches; no folder or file of the pattern below the config
    file may be a symlink (a pull request could add one that points out of the checkout)."""
    full = base / pattern
    parts = full.parts
    fixed = next((i for i, part in enumerate(parts) if glob.has_magic(part)), len(parts) - 1)
    root = Path(*parts[:fixed])
    # the written folders below the config file count too: `results/` itself may be a link
    if root.is_relative_to(base) and (link := first_symlink(base, root)):
        raise ReportError(f"{base / pattern}: the report folder is a symlink ({link})")
    found = []
    for match in glob.glob(str(full)):
        if link := first_symlink(root, Path(match)):
            raise ReportError(f"{match}: a report matched through a symlink ({link})")
        found.append(Path(match))
    return found
