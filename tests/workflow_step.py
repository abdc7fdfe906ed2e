"""Run one step of a GitHub workflow as written: its `run:` script with bash, its `env:`, in a
folder, with GitHub's `${{ ... }}` expressions replaced by test values."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import yaml

from conftest import BIN

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def workflow_steps(workflow: Path, job: str) -> list[dict]:
    """The steps of `job` that run a script (the others use actions)."""
    steps = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"][job]["steps"]
    return [step for step in steps if "run" in step]


def workflow_step(workflow: Path, job: str, run_prefix: str) -> dict:
    """The one step of `job` whose `run:` starts with `run_prefix`."""
    (step,) = [s for s in workflow_steps(workflow, job) if s["run"].startswith(run_prefix)]
    return step


def expand(text: str, values: dict[str, str]) -> str:
    """`text` with each `${{ expression }}` replaced by its test value (a missing one fails)."""
    return EXPRESSION.sub(lambda match: values[match.group(1)], text)


def run_step(
    step: dict, cwd: Path, values: dict[str, str], pythonpath: Path, home: Path | None = None
) -> subprocess.CompletedProcess:
    """Run `step` as GitHub's runner would (`bash -e` on the script), with the step's env.

    `pythonpath` stands for the earlier `pip install` step: that checkout's zoo-cards is used.
    """
    env = {
        "PATH": f"{BIN}{os.pathsep}/usr/bin{os.pathsep}/bin",
        "HOME": str(home or os.environ["HOME"]),
        "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"],
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(cwd),
        "PYTHONPATH": str(pythonpath),
        **{key: expand(str(value), values) for key, value in step.get("env", {}).items()},
    }
    script = cwd.parent / f"{cwd.name}-step.sh"
    script.write_text(expand(step["run"], values), encoding="utf-8")
    return subprocess.run(
        ["bash", "-e", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def sitemap_urls(site: Path) -> list[str]:
    """The page addresses listed in a built site's sitemap.xml."""
    root = ElementTree.parse(site / "sitemap.xml").getroot()
    return [loc.text or "" for loc in root.iter(f"{SITEMAP}loc")]
