"""The `zoo` command: one entry point, a subcommand per job.

Exit codes: 0 ok, 1 findings, 2 usage or input error. Never a traceback for bad input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from generator.catalog import CatalogError, load_catalog
from generator.checks import run_checks
from generator.export import schema_json
from generator.findings import format_findings

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or unreadable input: reported on one line, exit 2."""


def cmd_check(args: argparse.Namespace) -> int:
    catalog = load_catalog(args.cards)
    findings = run_checks(catalog)
    if findings or args.format == "json":
        print(format_findings(findings, args.format))
    errors = sum(finding.severity == "error" for finding in findings)
    cards = len(catalog.cards) + len({f.path for f in catalog.findings})
    print(
        f"{cards} card(s) checked, {errors} error(s), {len(findings) - errors} warning(s)",
        file=sys.stderr,
    )
    return EXIT_FINDINGS if errors else EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    sys.stdout.write(schema_json())
    return EXIT_OK


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

    check = sub.add_parser(
        "check", parents=[common], help="fast static checks of every card (for pull requests)"
    )
    check.add_argument("--format", choices=("text", "github", "json"), default="text")
    check.set_defaults(run=cmd_check)

    schema = sub.add_parser("schema", parents=[common], help="print the card JSON Schema")
    schema.set_defaults(run=cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except (CatalogError, UsageError) as error:
        print(f"zoo: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("zoo: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
