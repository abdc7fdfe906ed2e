"""`mkdocs build` makes and sanitizes the generated files in forked children: the same site as
a build that does it all itself, the same one-line errors, and a child that dies stops the build."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import pytest

from conftest import mkdocs_build, shadow_modules, site_config, write_card
from generator.site.build_workers import FileMaker, Sanitizer, WorkerError, can_fork
from generator.site.site_files import PlannedFile, SiteError

CARD = "name: {name}\ntask: classification\ndescription: Model **{name}**.\n"
HOSTILE = (
    "name: {name}\ntask: classification\n"
    'description: "<script>alert(1)</script><img src=x onerror=alert(2)>"\n'
)


def zoo(tmp_path: Path, *cards: tuple[str, str]) -> Path:
    for name, text in cards:
        write_card(tmp_path / "cards", name, text.format(name=name))
    return tmp_path / "cards"


def site_texts(site: Path) -> dict[str, bytes]:
    # the sitemap's compressed copy carries the time it was written
    return {
        path.relative_to(site).as_posix(): path.read_bytes()
        for path in sorted(site.rglob("*"))
        if path.is_file() and path.suffix != ".gz"
    }


def test_forked_build_makes_the_same_site(tmp_path: Path) -> None:
    cards = zoo(tmp_path, ("alpha", CARD), ("beta", CARD), ("gamma", HOSTILE))
    sites = {}
    for parallel in (True, False):
        config = site_config(tmp_path / str(parallel), cards, parallel=parallel)
        result = mkdocs_build(config, tmp_path / f"site-{parallel}")
        assert result.returncode == 0, result.stderr
        sites[parallel] = site_texts(tmp_path / f"site-{parallel}")
    assert sites[True].keys() == sites[False].keys()
    for uri, content in sites[True].items():
        assert content == sites[False][uri], uri
    page = sites[True]["models/alpha/index.html"].decode()
    assert "Model <strong>alpha</strong>." in page


def test_sanitizer_cleans_what_a_template_marks_safe(tmp_path: Path) -> None:
    """A zoo's template that lets card text through unescaped: the forked sanitizer removes the
    script, as the in-process one does."""
    cards = zoo(tmp_path, ("gamma", HOSTILE))
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "model.md.j2").write_text("# {{ card.name }}\n\n{{ card.description | safe }}\n")
    for parallel in (True, False):
        config = site_config(
            tmp_path / str(parallel), cards, parallel=parallel, templates=str(templates)
        )
        site = tmp_path / f"site-{parallel}"
        result = mkdocs_build(config, site)
        assert result.returncode == 0, result.stderr
        article = (site / "models" / "gamma" / "index.html").read_text()
        article = article[article.index("<article") : article.index("</article>")]
        assert "<script" not in article and "onerror" not in article
        assert "alert(1)" not in article


def test_template_error_in_the_child_is_one_line(tmp_path: Path) -> None:
    cards = zoo(tmp_path, ("alpha", CARD))
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "model.md.j2").write_text("# {{ card.name }}\n\n{{ no_such_value }}\n")
    config = site_config(tmp_path, cards, templates=str(templates))
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 1
    assert "model.md.j2: 'no_such_value' is undefined" in result.stderr
    assert "Traceback" not in result.stderr


def made(index: int) -> bytes:
    return f"file {index}".encode()


def plan(count: int, fail_at: int | None = None, exit_at: int | None = None) -> list[PlannedFile]:
    def make(index: int) -> bytes:
        if index == fail_at:
            raise SiteError(f"templates/model.md.j2: broken at {index}")
        if index == exit_at:
            os._exit(3)  # the child dies (killed, out of memory) without a word
        return made(index)

    files = [PlannedFile(f"f{i}.md", make=lambda i=i: make(i)) for i in range(count)]
    return [*files, PlannedFile("copied.png", path=Path("/nowhere/copied.png"))]


def test_file_maker_delivers_in_any_order() -> None:
    maker = FileMaker(lambda: plan(50))
    files = maker.files()
    assert [file.uri for file in files] == [*(f"f{i}.md" for i in range(50)), "copied.png"]
    assert files[-1].path == Path("/nowhere/copied.png") and files[0].make is None
    assert maker.take(40) == made(40)  # the ones before wait in the parent
    assert [maker.take(i) for i in range(40)] == [made(i) for i in range(40)]
    assert [maker.take(i) for i in range(41, 50)] == [made(i) for i in range(41, 50)]
    assert maker.close() == 0
    # a build that fails early leaves files unmade: the child ends as well
    maker = FileMaker(lambda: plan(5000))
    maker.files()
    assert maker.close() == 0


def test_file_maker_reports_a_site_error_and_a_dead_child() -> None:
    maker = FileMaker(lambda: plan(5, fail_at=3))
    maker.files()
    assert maker.take(2) == made(2)
    with pytest.raises(SiteError, match="broken at 3"):
        maker.take(3)
    maker = FileMaker(lambda: plan(5, exit_at=1))
    maker.files()
    with pytest.raises(WorkerError, match=r"ended early \(exit code 3\)"):
        maker.take(4)
    maker = FileMaker(lambda: [][0])  # a bug: the child's traceback is the message
    with pytest.raises(WorkerError, match="IndexError"):
        maker.files()


def test_sanitizer_returns_every_page_cleaned_or_fails() -> None:
    sanitizer = Sanitizer()
    pages = [f"<p>page {i}</p><script>alert({i})</script>" * 400 for i in range(200)]
    for page in pages:  # more than a pipe holds
        sanitizer.submit(page)
    assert list(sanitizer.results()) == [f"<p>page {i}</p>" * 400 for i in range(200)]

    sanitizer = Sanitizer()
    sanitizer.submit("<p>x</p>")
    os.kill(sanitizer.pid, signal.SIGKILL)  # killed: out of memory, say
    with pytest.raises(WorkerError, match=r"ended early \(exit code -9\)"):
        list(sanitizer.results())


def test_no_fork_while_threads_run() -> None:
    assert can_fork() == (threading.active_count() == 1)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not can_fork()  # `mkdocs serve`: the build makes its files itself
    finally:
        stop.set()
        thread.join()


def test_sanitizer_imports_nothing_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pull request's `nh3.py` or `generator/` in the zoo checkout stays a file."""
    marker = shadow_modules(
        tmp_path, "generator/__init__.py", "generator/site/__init__.py", "nh3.py"
    )
    monkeypatch.chdir(tmp_path)
    sanitizer = Sanitizer()
    sanitizer.submit("<p>ok</p><script>x</script>")
    assert list(sanitizer.results()) == ["<p>ok</p>"]
    assert not marker.exists()
