"""The ready-made CI files: linted against their schemas, and every `zoo` command in them is
one our CLI accepts (the same commands the other tests run end to end)."""

from __future__ import annotations

import re
import shlex
import subprocess

import pytest
import yaml

from conftest import BIN, ROOT
from generator.cli import build_parser

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_workflows_match_the_github_schema() -> None:
    assert WORKFLOWS
    result = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", *WORKFLOWS],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_manifest_is_valid() -> None:
    result = subprocess.run(
        [BIN / "pre-commit", "validate-manifest", ROOT / ".pre-commit-hooks.yaml"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    build_parser().parse_args(shlex.split(hook["entry"])[1:])


def zoo_commands() -> list[str]:
    commands = []
    for workflow in WORKFLOWS:
        for job in yaml.safe_load(workflow.read_text())["jobs"].values():
            for step in job.get("steps", []):
                for line in step.get("run", "").splitlines():
                    if line.strip().startswith("zoo "):
                        commands.append(line.strip())
    return commands


@pytest.mark.parametrize("command", zoo_commands())
def test_workflow_commands_are_valid_zoo_calls(command: str) -> None:
    # GitHub expressions and shell variables become plausible values
    command = re.sub(r"\$\{\{\s*matrix\.shard\s*\}\}", "1", command)
    command = re.sub(r"\$\{\{[^}]*\}\}", "main", command)
    command = command.replace("$GITHUB_STEP_SUMMARY", "summary.md").replace("~", "/tmp")
    args = shlex.split(command)[1:]
    args = [arg.replace("*", "1") for arg in args]  # a glob the shell would expand
    build_parser().parse_args(args)
