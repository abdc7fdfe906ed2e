"""The catalog page's pure logic (filter, facet counts, URL state, chart data) under `node --test`.

The tests are tests/js/*.test.mjs; Node comes from Debian (`make browser` installs it)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_catalog_modules_pass_their_node_tests(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node not found: `make browser` installs Debian's nodejs")
    # the modules are .js ES modules (as the browser loads them): copied beside a package.json
    # that says so, which every Node version reads (no flags, no warning)
    modules = Path("generator", "static", "javascripts", "catalog")
    shutil.copytree(ROOT / modules, tmp_path / modules)
    shutil.copytree(ROOT / "tests" / "js", tmp_path / "tests" / "js")
    (tmp_path / "package.json").write_text('{"type": "module"}\n')
    tests = sorted(str(path) for path in (tmp_path / "tests" / "js").glob("*.test.mjs"))
    assert tests, "no tests/js/*.test.mjs"
    command = [node, "--test", *tests]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
