"""The `zoo` command: one entry point, a subcommand per job.

Exit codes: 0 ok, 1 findings, 2 usage or input error. Never a traceback for bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from generator.cards.vocab import PRECISIONS
from generator.safe_text import printable, safe_streams, write_commands
from generator.user_cache import DEFAULT_VALIDATION_CACHE as DEFAULT_CACHE
from generator.validation.conventions import CONVENTIONS, DEFAULT_CONVENTION

if TYPE_CHECKING:
    from generator.cards.catalog import Catalog
    from generator.findings import Finding
    from generator.validation.results import ValidationResult

# Each command imports what it needs when it runs: `zoo --help` loads none of the stages.

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
BENCHMARK_SECONDS, MAX_BENCHMARK = 10.0, 3600.0


class UsageError(Exception):
    """Bad arguments or unreadable input: reported on one line, exit 2."""


def cmd_check(args: argparse.Namespace) -> int:
    from generator.cards.catalog import load_catalog
    from generator.cards.checks import run_checks

    catalog = load_catalog(args.cards)
    findings = run_checks(catalog)
    if findings or args.format == "json":
        print_findings(findings, args.format)
    errors = sum(finding.severity == "error" for finding in findings)
    cards = len(catalog.cards) + len({f.path for f in catalog.findings})
    say(f"{cards} card(s) checked, {errors} error(s), {len(findings) - errors} warning(s)")
    return EXIT_FINDINGS if errors else EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from generator.site.export import schema_json

    sys.stdout.write(schema_json())
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    # imported here: `zoo check` and `zoo schema` should not pay for OpenVINO
    from generator.cards.card_update import UpdateError, update_cards
    from generator.cards.catalog import load_catalog
    from generator.git_changes import GitError
    from generator.validation.validate import (
        UnknownModelError,
        result_findings,
        summary,
        validate_catalog,
    )

    tolerance = parse_tolerance(args.tolerance)
    if args.jobs < 1:
        raise UsageError(f"--jobs {args.jobs}: must be at least 1")
    if args.timeout <= 0:
        raise UsageError(f"--timeout {args.timeout:g}: must be positive seconds")
    if args.benchmark is not None and not 0 < args.benchmark <= MAX_BENCHMARK:
        raise UsageError(
            f"--benchmark {args.benchmark:g}: must be more than 0 and at most "
            f"{MAX_BENCHMARK:g} seconds"
        )
    if args.benchmark_hint and args.benchmark is None:
        raise UsageError(f"--benchmark-hint {args.benchmark_hint}: needs --benchmark")
    catalog = load_catalog(args.cards)
    try:
        names, unloadable = select_cards(args, catalog)

        def run() -> list[ValidationResult]:
            return validate_catalog(
                catalog,
                names,
                device=args.device,
                precision=args.precision,
                jobs=args.jobs,
                tolerance=tolerance,
                timeout=args.timeout,
                cache_dir=args.cache,
                progress=True,
                convention=args.convention,
                benchmark=args.benchmark,
                benchmark_hint=(args.benchmark_hint or "throughput").upper(),
            )

        results = run()
        if args.update:
            for name, changes in update_cards(catalog, results).items():
                where = catalog.by_name[name].yml
                say(f"updated {where}: {'; '.join(changes)}")
            catalog = load_catalog(args.cards)
            results = run()  # the probes are cached: this only judges the updated cards
    except (GitError, UnknownModelError, UpdateError) as error:
        raise UsageError(str(error)) from None
    findings = [*unloadable, *result_findings(catalog, results)]
    if findings or args.format == "json":
        print_findings(findings, args.format)
    write_validation_files(args, results)
    say(summary(results))
    failed = unloadable or any(result.status in ("failed", "error") for result in results)
    return EXIT_FINDINGS if failed else EXIT_OK


def select_cards(args: argparse.Namespace, catalog: Catalog) -> tuple[list[str] | None, list]:
    """Names to validate (None: all) after NAMES, --changed-since and --shard; and the load
    findings of selected cards that could not be read (they cannot be validated: say so)."""
    from generator.git_changes import changed_cards, changed_paths, touches
    from generator.validation.sharding import shard
    from generator.validation.validate import select

    names: list[str] | None = args.names or None
    select(catalog, names)  # unknown names are usage errors, whatever else filters
    unloadable = [f for f in catalog.findings if not names or Path(f.path).parent.name in names]
    if args.changed_since is not None:
        changed = changed_paths(catalog.root, args.changed_since)
        names = [name for name in changed_cards(catalog, changed) if name in (names or [name])]
        unloadable = [f for f in unloadable if touches(changed, Path(f.path).parent)]
    if args.shard is not None:
        index, count = parse_shard(args.shard)
        chosen = [s for s in catalog.cards if names is None or s.name in names]
        names = shard(chosen, index, count)
        unloadable = unloadable if index == 1 else []  # reported once, by the first shard
    return names, unloadable


def cmd_fetch(args: argparse.Namespace) -> int:
    from generator.cards.catalog import load_catalog
    from generator.fetch.download import FetchOptions, fetch_catalog, parse_size
    from generator.git_changes import GitError
    from generator.progress import progress_lines
    from generator.validation.validate import UnknownModelError

    if args.jobs < 1:
        raise UsageError(f"--jobs {args.jobs}: must be at least 1")
    for flag, seconds in (("--stall-timeout", args.stall_timeout), ("--deadline", args.deadline)):
        if not 0 < seconds < float("inf"):
            raise UsageError(f"{flag} {seconds:g}: must be positive seconds")
    try:
        max_size = parse_size(args.max_size)
    except ValueError as error:
        raise UsageError(f"--max-size {error}") from None
    catalog = load_catalog(args.cards)
    try:
        names, unloadable = select_cards(args, catalog)
    except (GitError, UnknownModelError) as error:
        raise UsageError(str(error)) from None
    sources = [s for s in catalog.cards if names is None or s.name in names]
    total = sum(len(source.card.files) for source in sources)
    options = FetchOptions(
        cache=args.cache, stall=args.stall_timeout, deadline=args.deadline, max_size=max_size
    )
    with progress_lines("fetching", total) as step:
        results = fetch_catalog(sources, options, jobs=args.jobs, done=step)
    failed = [result for result in results if result.status == "failed"]
    for result in failed:
        say(f"error: {result.card}: {result.message}")
    # a card that cannot be read names no files: its downloads are unknown, not done
    print_findings(unloadable, "text")
    counts = {status: sum(r.status == status for r in results) for status in FETCH_STATUSES}
    say(", ".join(f"{count} {status}" for status, count in counts.items()) + " file(s)")
    return EXIT_FINDINGS if failed or unloadable else EXIT_OK


FETCH_STATUSES = ("downloaded", "cached", "present", "skipped", "failed")


def cmd_new(args: argparse.Namespace) -> int:
    from generator.authoring.scaffold import ScaffoldError, new_card

    try:
        path, measured = new_card(args.cards, args.name, args.task, args.ir, args.precision)
    except ScaffoldError as error:
        raise UsageError(str(error)) from None
    print(printable(str(path)))
    for change in measured:
        say(f"from the IR: {change}")
    say(f"now describe the model in {path}, then run `zoo check`")
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    from generator.authoring.init_zoo import InitError, init_zoo

    try:
        report = init_zoo(args.dir, args.name, args.force)
    except InitError as error:
        raise UsageError(str(error)) from None
    for path in report.written:
        print(printable(path))
    for path, why in report.kept:
        say(f"kept {path}: {why}")
    say(
        f"{len(report.written)} file(s) written in {args.dir}: set site_url in mkdocs.yml, "
        "then run `zoo check` and `mkdocs serve` there"
    )
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    from generator.cards.catalog import load_catalog
    from generator.cards.schema import suggest
    from generator.site.export import info_json, models_csv

    if args.names and (sources := named_cards(args.cards, args.names)) is not None:
        sys.stdout.write(info_json(sources) if args.format == "json" else models_csv(sources))
        return EXIT_OK
    catalog = load_catalog(args.cards)
    unknown = [name for name in args.names if name not in catalog.by_name]
    if unknown:
        names = [source.name for source in catalog.cards]
        raise UsageError(f"unknown model '{unknown[0]}'{suggest(unknown[0], names)}")
    sources = [catalog.by_name[name] for name in args.names] or catalog.cards
    sys.stdout.write(info_json(sources) if args.format == "json" else models_csv(sources))
    return EXIT_OK


def named_cards(cards: Path, names: Sequence[str]) -> list | None:
    """The cards of `names` read from their own folders only (not the whole catalog), or None
    when one of them is not a valid card of that name (the caller then reports it)."""
    from generator.cards.catalog import CardSource, load_card

    sources = []
    for name in names:
        folder = cards / name
        if "/" in name or name in (".", "..") or not folder.is_dir() or folder.is_symlink():
            return None
        loaded = load_card(folder)
        if not isinstance(loaded, CardSource) or loaded.name != name:
            return None
        sources.append(loaded)
    return sources


def cmd_render(args: argparse.Namespace) -> int:
    from generator.authoring.drift_report import DriftReportError, read_drift_report
    from generator.site.render import environment
    from generator.site.site_files import SiteError, checked_catalog, report_paths, site_files
    from generator.site.site_folder import RenderError, render_folder, watch
    from generator.validation.results import ReportError, merge_reports

    def once() -> int:
        try:
            catalog, errors = checked_catalog(args.cards)
            if errors:
                print_findings(errors, "text")
                say(f"{len(errors)} error(s) in {args.cards}: nothing written, see `zoo check`")
                return EXIT_FINDINGS
            found = (path for pattern in args.results for path in report_paths(Path(), pattern))
            results = merge_reports(sorted(found))
            drift = read_drift_report(Path(), args.drift) if args.drift else None
            files = site_files(catalog, results, args.templates, drift)
            summary = render_folder(files, args.out, args.cards)
        except (SiteError, RenderError, ReportError, DriftReportError) as error:
            raise UsageError(str(error)) from None
        except OSError as error:
            raise UsageError(f"{error.filename}: {error.strerror or error}") from None
        say(f"{args.out}: {summary}")
        return EXIT_OK

    if not args.watch:
        return once()

    def again() -> None:
        environment.cache_clear()  # a template added to the zoo's folder overrides from now on
        try:
            once()
        except UsageError as error:
            say(f"error: {error}")  # shown, and the next change tries again

    say(f"watching {args.cards} and {args.templates}; Ctrl-C ends")
    try:
        watch([args.cards, args.templates], again)
    except KeyboardInterrupt:
        say("stopped watching")
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from generator.authoring.omz_import import STATE_DIR, OmzImportError, import_omz

    try:
        result, unknown = import_omz(args.path, args.into, args.only)
    except OmzImportError as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        raise UsageError(f"{error.filename or args.into}: {error.strerror or error}") from None
    report = result.report
    for name in unknown:
        say(f"error: --only {name}: no such model in {args.path}")
    counts = ", ".join(f"{count} {kind}" for kind, count in report.counts().items()) or "none"
    say(
        f"{result.models} model(s) read, {len(report.written)} card(s) written, "
        f"{len(report.unchanged)} unchanged; report entries: {counts} "
        f"-> {args.into / STATE_DIR / 'report.md'}"
    )
    errors = any(entry.kind == "error" for entry in report.entries)
    return EXIT_USAGE if unknown else EXIT_FINDINGS if errors else EXIT_OK


def cmd_drift(args: argparse.Namespace) -> int:
    from generator.authoring.drift import drift_json, drift_report
    from generator.authoring.omz_import import OmzImportError
    from generator.cards.catalog import load_catalog
    from generator.site.site_files import report_paths
    from generator.validation.results import ReportError

    if args.against is None and not args.results:
        raise UsageError("nothing to compare: give --against PATH, --results PATTERN or both")
    if args.results and not args.cards.is_dir():
        raise UsageError(f"--results compares cards: {args.cards} is not a folder (--cards)")
    catalog = load_catalog(args.cards) if args.cards.is_dir() else None
    try:
        found = (path for pattern in args.results for path in report_paths(Path(), pattern))
        drifts, stats = drift_report(args.against, catalog, sorted(set(found)))
    except (OmzImportError, ReportError) as error:
        raise UsageError(str(error)) from None
    if args.format == "json":
        print(json.dumps(drift_json(drifts), indent=1))
    elif drifts:
        print_findings([drift.finding() for drift in drifts], args.format)
    kinds: dict[str, int] = {}
    for drift in drifts:
        kind = f"{drift.left}-{drift.right}/{drift.kind}"
        kinds[kind] = kinds.get(kind, 0) + 1
    summary = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items())) or "none"
    sources = [f"{stats['index models']} model(s) indexed"] if args.against else []
    if args.results:
        sources.append(f"{stats['measured models']} model(s) measured")
    say(f"{len(drifts)} disagreement(s) ({summary}); {', '.join(sources)}")
    return EXIT_FINDINGS if drifts else EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from generator.exchange.common import ExportError, chosen
    from generator.site.site_files import SiteError, checked_catalog

    try:
        catalog, errors = checked_catalog(args.cards)
    except SiteError as error:
        raise UsageError(str(error)) from None
    if errors:
        print_findings(errors, "text")
        say(f"{len(errors)} error(s) in {args.cards}: nothing exported, see `zoo check`")
        return EXIT_FINDINGS
    try:
        sources = chosen(catalog, args.names)
        if args.kind == "hf":
            from generator.exchange.hf_card import export_hf

            written = export_hf(sources, args.out)
            say(f"{len(written)} Hugging Face model card(s) -> {args.out}/NAME/README.md")
        else:
            from generator.exchange.pwc_index import export_pwc

            export_pwc(sources, args.out)
            say(f"{len(sources)} model(s) -> {args.out}")
    except ExportError as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        raise UsageError(f"{error.filename or args.out}: {error.strerror or error}") from None
    return EXIT_OK


def cmd_results_merge(args: argparse.Namespace) -> int:
    from generator.validation.results import ReportError, merge_reports, write_report

    try:
        merged = merge_reports(args.reports)
        write_report(args.output, merged)
    except ReportError as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        raise UsageError(f"{error.filename}: {error.strerror or error}") from None
    say(f"{len(merged)} result(s) from {len(args.reports)} report(s) -> {args.output}")
    return EXIT_OK


def write_validation_files(args: argparse.Namespace, results: list[ValidationResult]) -> None:
    from generator.validation.results import write_report
    from generator.validation.validation_output import junit_xml, summary_markdown

    try:
        if args.junit:
            args.junit.write_text(junit_xml(results, args.device), encoding="utf-8")
        if args.summary:  # appended: GitHub's step summary file collects every step
            with args.summary.open("a", encoding="utf-8") as file:
                file.write(summary_markdown(results, args.device))
        if args.report:
            write_report(args.report, results)
    except OSError as error:
        raise UsageError(f"{error.filename}: {error.strerror or error}") from None


def parse_tolerance(text: str) -> float:
    """'1%' or '0.01' -> 0.01."""
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < 1:
        raise UsageError(
            f"--tolerance {text}: use a percentage such as 1% or a fraction such as 0.01"
        )
    return value


def parse_shard(text: str) -> tuple[int, int]:
    """'2/3' -> (2, 3): the second of three shards of the cards."""
    index, _, count = text.partition("/")
    if not (index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count)):
        raise UsageError(f"--shard {text}: use K/N with 1 <= K <= N, e.g. 1/2")
    return int(index), int(count)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zoo", description="Model zoo cards: check them, validate them, publish them."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--cards",
        type=Path,
        default=Path("model_cards"),
        metavar="DIR",
        help="folder of model cards (default: model_cards)",
    )

    selection = argparse.ArgumentParser(add_help=False)
    selection.add_argument("names", nargs="*", metavar="NAME", help="models (default: all)")
    selection.add_argument(
        "--changed-since", metavar="GITREF", help="only cards changed in git since GITREF"
    )
    selection.add_argument(
        "--shard", metavar="K/N", help="only the K-th of N shards, balanced by IR size (CI)"
    )

    check = sub.add_parser(
        "check", parents=[common], help="fast static checks of every card (for pull requests)"
    )
    check.add_argument("--format", choices=("text", "github", "json"), default="text")
    check.set_defaults(run=cmd_check)

    schema = sub.add_parser("schema", parents=[common], help="print the card JSON Schema")
    schema.set_defaults(run=cmd_schema)

    validate = sub.add_parser(
        "validate",
        parents=[common, selection],
        help="check cards against their IRs with the OpenVINO runtime",
        description="Read, count, compile and run each card's IR and compare it with the card.",
    )
    validate.add_argument("--device", default="CPU", help="OpenVINO device (default: CPU)")
    validate.add_argument("--precision", choices=PRECISIONS, help="only this IR precision")
    validate.add_argument(
        "--convention",
        choices=list(CONVENTIONS),
        default=DEFAULT_CONVENTION,
        help=f"how GFLOPs are counted (default: {DEFAULT_CONVENTION}; see README)",
    )
    validate.add_argument(
        "--benchmark",
        type=float,
        nargs="?",
        const=BENCHMARK_SECONDS,
        metavar="SECONDS",
        help=f"then measure latency and throughput (default: {BENCHMARK_SECONDS:g} s per IR)",
    )
    validate.add_argument(
        "--benchmark-hint",
        choices=("latency", "throughput"),
        help="OpenVINO performance hint the benchmark compiles with (default: throughput)",
    )
    validate.add_argument("--jobs", type=int, default=1, metavar="N", help="models in parallel")
    validate.add_argument(
        "--tolerance", default="1%", help="allowed GFLOPs/MParams difference (default: 1%%)"
    )
    validate.add_argument(
        "--timeout", type=float, default=300.0, metavar="SECONDS", help="per model (default: 300)"
    )
    validate.add_argument("--format", choices=("text", "github", "json"), default="text")
    validate.add_argument("--junit", type=Path, metavar="FILE", help="write JUnit XML")
    validate.add_argument("--report", type=Path, metavar="FILE", help="write a results report")
    validate.add_argument(
        "--summary", type=Path, metavar="FILE", help="append a Markdown summary (CI step summary)"
    )
    validate.add_argument(
        "--update", action="store_true", help="write measured figures and tensors into the cards"
    )
    validate.add_argument(
        "--cache",
        type=Path,
        default=DEFAULT_CACHE,
        metavar="DIR",
        help=f"cache of measurements (default: {DEFAULT_CACHE})",
    )
    validate.set_defaults(run=cmd_validate)

    fetch = sub.add_parser(
        "fetch",
        parents=[common, selection],
        help="download the cards' files and verify their checksums",
        description="Download each card's files from their url into the card folder, verified.",
    )
    fetch.add_argument("--jobs", type=int, default=4, metavar="N", help="parallel downloads")
    fetch.add_argument(
        "--cache",
        type=Path,
        default=Path(".zoo-cache/files"),
        metavar="DIR",
        help="content-addressed download cache (default: .zoo-cache/files)",
    )
    fetch.add_argument(
        "--stall-timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="give up an attempt after this long without a byte (default: 30)",
    )
    fetch.add_argument(
        "--deadline",
        type=float,
        default=3600.0,
        metavar="SECONDS",
        help="per file, every retry included (default: 3600)",
    )
    fetch.add_argument(
        "--max-size",
        default="16G",
        metavar="SIZE",
        help="largest file accepted when its card gives no size (default: 16G)",
    )
    fetch.set_defaults(run=cmd_fetch)

    new = sub.add_parser(
        "new",
        parents=[common],
        help="scaffold a card; with --ir, fill inputs, outputs and complexity from the model",
    )
    new.add_argument("name", help="model name, also the folder name")
    new.add_argument("--task", required=True, help="task, e.g. detection or classification")
    new.add_argument("--ir", type=Path, metavar="XML", help="the model's OpenVINO IR (.xml)")
    new.add_argument("--precision", default="FP32", help="precision of the IR (default: FP32)")
    new.set_defaults(run=cmd_new)

    init = sub.add_parser(
        "init",
        help="scaffold a new zoo repository: site config, an example card, CI workflows",
        description="Write the files of a new model zoo into DIR. Existing files are never "
        "overwritten or deleted.",
    )
    init.add_argument(
        "dir", nargs="?", type=Path, default=Path("."), metavar="DIR", help="default: ."
    )
    init.add_argument("--name", help="the site's name (default: the folder's name)")
    init.add_argument(
        "--force",
        action="store_true",
        help="also in a folder that is not empty: add the missing files, keep the others",
    )
    init.set_defaults(run=cmd_init)

    info = sub.add_parser(
        "info", parents=[common], help="print what the catalog knows about models"
    )
    info.add_argument("names", nargs="*", metavar="NAME", help="models (default: all)")
    info.add_argument("--format", choices=("json", "csv"), default="json")
    info.set_defaults(run=cmd_info)

    render = sub.add_parser(
        "render",
        parents=[common],
        help="write the generated pages, data and assets into a folder for any site engine",
        description=(
            "Write every file zoo-cards adds to the site into OUT (e.g. the docs folder that "
            "MkDocs, ProperDocs or Zensical builds): only changed files are rewritten, files an "
            "earlier run wrote that are gone are removed, other files are never touched."
        ),
    )
    render.add_argument("out", type=Path, metavar="OUT", help="folder to write into")
    render.add_argument(
        "--templates",
        type=Path,
        default=Path("templates"),
        metavar="DIR",
        help="templates that override the packaged ones by name (default: templates)",
    )
    render.add_argument(
        "--results",
        action="append",
        default=[],
        metavar="PATTERN",
        help="validation reports to show (glob, repeatable), e.g. 'results/*.json'",
    )
    render.add_argument(
        "--drift",
        metavar="FILE",
        help="a drift report (zoo drift --format json) inside this folder: adds a Drift page",
    )
    render.add_argument(
        "--watch", action="store_true", help="render again on each change of cards or templates"
    )
    render.set_defaults(run=cmd_render)

    imports = sub.add_parser(
        "import",
        help="turn another zoo's metadata into cards (omz: an Open Model Zoo checkout)",
        description="Import an Open Model Zoo checkout (or its models/ folder) into cards; "
        "the report of every guess and conflict goes to DIR/.omz-import/report.md and .json.",
    )
    imports.add_argument("zoo", choices=("omz",), help="the kind of zoo")
    imports.add_argument("path", type=Path, metavar="PATH", help="the checkout or its models/")
    imports.add_argument(
        "--into",
        type=Path,
        default=Path("model_cards"),
        metavar="DIR",
        help="cards folder to write (default: model_cards)",
    )
    imports.add_argument("--only", nargs="+", metavar="NAME", help="only these models")
    imports.set_defaults(run=cmd_import)

    drift = sub.add_parser(
        "drift",
        parents=[common],
        help="figures a zoo states twice that disagree: index tables, model pages, cards, "
        "measured results",
        description="Compare an Open Model Zoo checkout's index tables with its model pages, "
        "the cards (--cards, when the folder exists) with those pages, and the cards with the "
        "figures validation reports measured (--results): both values, the ratio and a "
        "diagnosis for each disagreement.",
    )
    drift.add_argument("--against", type=Path, metavar="PATH", help="the OMZ checkout")
    drift.add_argument(
        "--results",
        action="append",
        default=[],
        metavar="PATTERN",
        help="validation reports to compare the cards with (glob, repeatable)",
    )
    drift.add_argument("--format", choices=("text", "github", "json"), default="text")
    drift.set_defaults(run=cmd_drift)

    export = sub.add_parser(
        "export", help="write the cards in other zoos' formats: Hugging Face, Papers with Code"
    )
    export_sub = export.add_subparsers(dest="kind", required=True, metavar="FORMAT")
    hf = export_sub.add_parser(
        "hf",
        parents=[common],
        help="one Hugging Face model card per model: DIR/NAME/README.md",
        description="Write a Hugging Face model card (README.md: YAML metadata with license, "
        "tags, pipeline_tag, library_name, datasets and a model-index of every published "
        "figure; the card as plain text below) per model into DIR/NAME/.",
    )
    pwc = export_sub.add_parser(
        "pwc",
        parents=[common],
        help="a Papers-with-Code-style model-index YAML of the models",
        description="Write one model-index YAML file: per model FLOPs and Parameters as "
        "Metadata, and Results with Task, Dataset and Metrics.",
    )
    for kind, target, metavar in ((hf, "folder", "DIR"), (pwc, "file", "FILE")):
        kind.add_argument("names", nargs="*", metavar="NAME", help="models (default: all)")
        kind.add_argument(
            "--out", type=Path, required=True, metavar=metavar, help=f"{target} to write"
        )
        kind.set_defaults(run=cmd_export)

    results = sub.add_parser("results", help="work with validation reports")
    results_sub = results.add_subparsers(dest="action", required=True, metavar="ACTION")
    merge = results_sub.add_parser(
        "merge", help="merge reports of several shards or machines into one result set"
    )
    merge.add_argument("reports", nargs="+", type=Path, metavar="REPORT")
    merge.add_argument("--output", type=Path, required=True, metavar="FILE")
    merge.set_defaults(run=cmd_results_merge)
    return parser


def say(message: str) -> None:
    """One line to stderr for the user: card text in it is shown, never obeyed."""
    print(f"zoo: {printable(message)}", file=sys.stderr)


def print_findings(findings: Sequence[Finding], fmt: str) -> None:
    from generator.findings import format_findings

    text = format_findings(findings, fmt)
    if fmt == "github":
        write_commands(text)  # escaped by Finding.github; they must start their lines
    else:
        print(text)


def main(argv: Sequence[str] | None = None) -> int:
    # every byte the command prints passes safe_streams: card text can't drive the terminal
    with safe_streams():
        return run_command(argv)


def run_command(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    from generator.cards.catalog import CatalogError  # after parsing: `--help` needs no stage

    try:
        return run(args)
    except (CatalogError, UsageError) as error:
        say(f"error: {error}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        say("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
