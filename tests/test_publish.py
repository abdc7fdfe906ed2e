"""The publish workflow works as shipped: its build step, run exactly as written in a clean copy
of the repository, builds the site with the Pages address in the sitemap.

The workflow's validate job (it needs the converted IRs) and deploy job are not run here:
`zoo validate` and `zoo results merge` are tested on their own.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from workflow_step import run_step, sitemap_urls, workflow_step

PUBLISH = ROOT / ".github" / "workflows" / "publish.yml"
# what actions/configure-pages gives as base_url: no trailing slash
PAGES_URL = "https://owner.example/zoo-cards"


def clean_copy(target: Path) -> Path:
    """The files git tracks in this checkout, as they are in the working tree (what
    actions/checkout gives the workflow): no venv, node_modules, IRs or built site."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if listed.returncode:
        pytest.skip("not a git checkout")
    for name in filter(None, listed.stdout.split("\0")):
        source = ROOT / name
        if source.exists() or source.is_symlink():  # a file deleted but not yet committed
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name, follow_symlinks=False)
    return target


def test_publish_build_step_as_written(tmp_path: Path) -> None:
    step = workflow_step(PUBLISH, "build", "mkdocs build")
    repo = clean_copy(tmp_path / "repo")
    values = {"steps.pages.outputs.base_url": PAGES_URL}
    result = run_step(step, repo, values, pythonpath=repo)
    assert result.returncode == 0, result.stderr[-3000:]
    urls = sitemap_urls(repo / "site")
    assert f"{PAGES_URL}/" in urls
    assert f"{PAGES_URL}/catalog/" in urls
    assert all(url.startswith(f"{PAGES_URL}/") for url in urls)
    home = (repo / "site" / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{PAGES_URL}/">' in home
