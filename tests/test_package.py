"""The wheel is the product: installed into a fresh venv, in a folder with one card and a short
mkdocs.yml, it builds the site (MkDocs), and `zoo render` feeds Zensical and ProperDocs."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser

from conftest import ROOT, write_card
from generator.site.site_files import MARKDOWN_EXTENSIONS
from generator.site.vendor import EXTRA_CSS, EXTRA_JAVASCRIPT
from local_site import serve_site, wait_ready, watched_page

CARD = """\
name: tiny-net
task: classification
description: A small classifier.
framework: onnx
license: {id: MIT}
"""
# all a zoo's mkdocs.yml needs: the plugin adds pages, CSS and JS
MKDOCS_YML = """\
site_name: Tiny Zoo
site_url: https://example.org/zoo/
theme: {name: material, font: false}
plugins: [search, zoo]
"""
OVERRIDE = "# Checksums of the tiny zoo\n\n{{ rows | length }} file(s).\n"


def copy_sources(destination: Path) -> None:
    """The checkout's files as a clone has them (tracked or new, never ignored ones)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_symlink() or not source.is_file():
            continue  # .venv and node_modules are symlinks in a worktree
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """One wheel per test run, built by whichever xdist worker comes first."""
    shared = tmp_path_factory.getbasetemp()
    shared = shared.parent if worker_id != "master" else shared
    dist = shared / "zoo-wheel"
    with (shared / "zoo-wheel.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not list(dist.glob("*.whl")):
            source = shared / "zoo-wheel-source"
            copy_sources(source)
            result = subprocess.run(
                [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, source],
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert result.returncode == 0, result.stderr
    (found,) = dist.glob("zoo_cards-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding the wheel; its dependencies come from this venv's site-packages
    through a .pth line (that folder holds no checkout: an editable install is only a .pth
    there, and a .pth named by a .pth is not read)."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = venv / "bin" / "python"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps"]
        + ["--no-index", wheel],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(purelib) / "zoo-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


def run(venv: Path, cwd: Path, *command: str | Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["PATH"] = f"{venv / 'bin'}:{env['PATH']}"
    return subprocess.run(
        [str(part) for part in command], cwd=cwd, capture_output=True, text=True, env=env
    )


@pytest.fixture(scope="module")
def zoo(venv: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty folder made a zoo: one card, the short mkdocs.yml, one template override."""
    zoo = tmp_path_factory.mktemp("zoo")
    write_card(zoo / "model_cards", "tiny-net", CARD)
    (zoo / "mkdocs.yml").write_text(MKDOCS_YML)
    (zoo / "docs").mkdir()
    (zoo / "docs" / "index.md").write_text("# Tiny zoo\n\nSee the [catalog](catalog.md).\n")
    (zoo / "templates").mkdir()
    (zoo / "templates" / "checksums.md.j2").write_text(OVERRIDE)
    return zoo


def test_the_installed_package_is_the_one_used(venv: Path, zoo: Path) -> None:
    probe = "import generator.site.render as r, generator.site.vendor as v; "
    probe += "print(r.DEFAULT_TEMPLATES, v.STATIC)"
    result = run(venv, zoo, venv / "bin" / "python", "-c", probe)
    assert result.returncode == 0, result.stderr
    templates, static = (Path(part) for part in result.stdout.split())
    assert templates.is_relative_to(venv) and static.is_relative_to(venv)
    assert (templates / "model.md.j2").is_file()
    check = run(venv, zoo, "zoo", "check")
    assert check.returncode == 0, check.stderr
    assert "1 card(s) checked, 0 error(s)" in check.stderr


def test_mkdocs_builds_the_zoo_with_packaged_assets_and_overrides(
    venv: Path, zoo: Path, browser: Browser
) -> None:
    result = run(venv, zoo, venv / "bin" / "python", "-m", "mkdocs", "build", "--strict")
    assert result.returncode == 0, result.stderr
    site = zoo / "site"
    manifest = json.loads((venv_static(venv) / "manifest.json").read_text())
    for entry in manifest["files"]:
        data = (site / entry["uri"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["uri"]
    catalog = (site / "catalog" / "index.html").read_text()
    for uri in (*EXTRA_CSS, *EXTRA_JAVASCRIPT):
        assert f'"../{uri}"' in catalog, uri
    assert "tiny-net" in (site / "models.json").read_text()
    assert "A small classifier." in (site / "models" / "tiny-net" / "index.html").read_text()
    checksums = (site / "checksums" / "index.html").read_text()
    assert "Checksums of the tiny zoo" in checksums and "0 file(s)." in checksums
    assert "Overview" in (site / "overview" / "index.html").read_text()  # a default template
    assert open_catalog(browser, site) == []


def venv_static(venv: Path) -> Path:
    (static,) = venv.glob("lib/python*/site-packages/generator/static")
    return static


def zensical_config(zoo: Path, out: str) -> Path:
    """The zoo's mkdocs.yml for an engine without the plugin: OUT is docs_dir, the packaged
    CSS/JS listed by hand."""
    config = yaml.safe_load((zoo / "mkdocs.yml").read_text())
    config.update(
        docs_dir=out,
        plugins=["search"],
        extra_css=list(EXTRA_CSS),
        extra_javascript=list(EXTRA_JAVASCRIPT),
        markdown_extensions=list(MARKDOWN_EXTENSIONS),
    )
    path = zoo / "engine.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def rendered(venv: Path, zoo: Path) -> Iterator[Path]:
    shutil.copytree(zoo / "docs", zoo / "out")
    result = run(venv, zoo, "zoo", "render", "out")
    assert result.returncode == 0, result.stderr
    yield zoo / "out"


def test_zensical_builds_the_rendered_folder(
    venv: Path, zoo: Path, rendered: Path, browser: Browser
) -> None:
    config = zensical_config(zoo, "out")
    python = venv / "bin" / "python"
    result = run(venv, zoo, python, "-m", "zensical", "build", "--strict", "-f", config)
    assert result.returncode == 0, result.stdout + result.stderr
    site = zoo / "site"  # Zensical's site_dir is fixed by the config: the default
    catalog = (site / "catalog" / "index.html").read_text()
    for uri in EXTRA_JAVASCRIPT:
        assert f'"../{uri}"' in catalog, uri
    assert (site / "models.json").read_bytes() == (rendered / "models.json").read_bytes()
    assert "Checksums of the tiny zoo" in (site / "checksums" / "index.html").read_text()
    search = json.loads((site / "search.json").read_text())
    assert any("tiny-net" in json.dumps(item) for item in search["items"])
    assert not (site / ".zoo-render.json").exists()
    assert open_catalog(browser, site) == []


def open_catalog(
    browser: Browser, site: Path, listed: tuple[str, ...] | None = ("tiny-net",)
) -> list[str]:
    """Console errors, page errors, dialogs and off-site requests of the built catalog page,
    once its table is filled."""
    with serve_site(site) as url:
        page = watched_page(browser)
        page.goto(f"{url}catalog/")
        wait_ready(page)
        names = page.locator(".zoo-catalog__name a").all_inner_texts()
        assert names, "the catalog lists no model"
        assert listed is None or names == list(listed)
        page.context.close()
    return page.problems


def test_properdocs_builds_the_rendered_folder(
    venv: Path, zoo: Path, rendered: Path, browser: Browser
) -> None:
    config = zensical_config(zoo, "out")
    python = venv / "bin" / "python"
    command = [python, "-m", "properdocs", "build", "--strict", "-f", config, "-d", "psite"]
    result = run(venv, zoo, *command)
    assert result.returncode == 0, result.stderr
    page = (zoo / "psite" / "models" / "tiny-net" / "index.html").read_text()
    assert "A small classifier." in page
    assert open_catalog(browser, zoo / "psite") == []
    assert (zoo / "psite" / "assets" / "vendor" / "uplot" / "uPlot.iife.min.js").is_file()


def test_zoo_init_from_the_wheel_builds(venv: Path, tmp_path: Path, browser: Browser) -> None:
    """As a new user: `zoo init`, `zoo check`, `mkdocs build --strict`, the catalog opens."""
    init = run(venv, tmp_path, "zoo", "init", "new-zoo")
    assert init.returncode == 0, init.stderr
    zoo = tmp_path / "new-zoo"
    check = run(venv, zoo, "zoo", "check")
    assert check.returncode == 0, check.stderr
    build = run(venv, zoo, venv / "bin" / "python", "-m", "mkdocs", "build", "--strict")
    assert build.returncode == 0, build.stderr
    assert open_catalog(browser, zoo / "site", listed=None) == []


def test_the_wheel_holds_the_runtime_only(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "generator/cli.py" in names and "generator/site/render.py" in names
    assert "generator/templates/model.md.j2" in names
    assert not [name for name in names if name.startswith("generator/demo/")]
