"""`zoo init`: a new zoo that checks clean and builds with its own publish step; a folder that is
not empty refused; --force adding the missing files and keeping every existing one."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from html import unescape
from pathlib import Path

import markdown
import pytest
import yaml
from mkdocs.utils.yaml import yaml_load

from conftest import BIN, ROOT
from generator.cli import build_parser, main
from workflow_step import run_step, sitemap_urls, workflow_step, workflow_steps

SCAFFOLD = [
    ".github/workflows/pr-checks.yml",
    ".github/workflows/publish.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    "docs/index.md",
    "mkdocs.yml",
    "model_cards/model-card.schema.json",
    "model_cards/squeezenet1.1/model.yml",
]
WORKFLOWS = SCAFFOLD[:2]
PAGES_URL = "https://owner.example/my-zoo"


def init(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], list[str]]:
    """`zoo init ARGS` in this process: exit code, stdout lines, stderr lines."""
    code = main(["init", *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def new_zoo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    zoo = tmp_path_factory.mktemp("zoos") / "my-zoo"
    assert main(["init", str(zoo)]) == 0
    return zoo


def test_new_zoo_checks_clean_and_runs_its_workflow_steps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    zoo = tmp_path / "my-zoo"
    code, out, err = init(capsys, str(zoo))
    assert code == 0, err
    assert sorted(out) == SCAFFOLD == sorted(files(zoo))
    assert err == [
        f"zoo: 8 file(s) written in {zoo}: set site_url in mkdocs.yml, "
        "then run `zoo check` and `mkdocs serve` there"
    ]
    assert main(["check", "--cards", str(zoo / "model_cards")]) == 0
    assert "1 card(s) checked, 0 error(s), 0 warning(s)" in capsys.readouterr().err

    # every script step of the zoo's pull-request check job (zoo check, site build) and of its
    # publish workflow (validation shards: no IR, all skipped; the merge of their reports; the
    # site build with the Pages address), as written; this checkout stands for `pip install`
    publish = zoo / ".github/workflows/publish.yml"
    assert workflow_step(publish, "build", "mkdocs build")["run"].strip() == "mkdocs build --strict"
    runs = [(step, {}) for step in steps(zoo / ".github/workflows/pr-checks.yml", "check")]
    for shard in ("1", "2"):
        runs += [(step, {"matrix.shard": shard}) for step in steps(publish, "validate")]
    pages = {"steps.pages.outputs.base_url": PAGES_URL}
    runs += [(step, pages) for step in steps(publish, "build")]
    for step, values in runs:
        result = run_step(step, zoo, values, pythonpath=ROOT, home=tmp_path / "home")
        assert result.returncode == 0, step["run"] + result.stderr[-3000:]
    assert (zoo / "results/validation.json").is_file()
    urls = sitemap_urls(zoo / "site")
    assert f"{PAGES_URL}/models/squeezenet1.1/" in urls
    assert all(url.startswith(f"{PAGES_URL}/") for url in urls)
    home = (zoo / "site" / "index.html").read_text(encoding="utf-8")
    assert "<title>my-zoo</title>" in home


def steps(workflow: Path, job: str) -> list[dict]:
    """The script steps of `job` after its `pip install`."""
    return [s for s in workflow_steps(workflow, job) if not s["run"].startswith("pip install")]


def test_workflows_install_the_released_package(new_zoo: Path) -> None:
    from generator.authoring.init_zoo import requirement

    assert requirement().startswith("zoo-cards==")
    for name in WORKFLOWS:
        text = (new_zoo / name).read_text(encoding="utf-8")
        assert "pip install -e" not in text and "@ZOO" not in text
        installs = re.findall(r"pip install (.*)", text)
        assert installs and set(installs) == {f'"{requirement()}"'}


def test_workflows_match_the_github_schema(new_zoo: Path) -> None:
    result = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows"]
        + [new_zoo / name for name in WORKFLOWS],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_zoo_commands_are_valid(new_zoo: Path) -> None:
    commands = [
        line.strip()
        for name in WORKFLOWS
        for job in yaml.safe_load((new_zoo / name).read_text())["jobs"].values()
        for step in job["steps"]
        for line in step.get("run", "").splitlines()
        if line.strip().startswith("zoo ")
    ]
    assert len(commands) == 6
    for command in commands:
        command = re.sub(r"\$\{\{[^}]*\}\}", "1", command).replace("~", "/tmp")
        build_parser().parse_args([arg.replace("*", "1") for arg in shlex.split(command)[1:]])


def test_publish_build_job_is_the_repositorys(new_zoo: Path) -> None:
    """The same build as this repository's publish.yml, whose build step test_publish runs."""

    def build_job(workflow: Path) -> dict:
        job = yaml.safe_load(workflow.read_text())["jobs"]["build"]
        job["steps"] = [s for s in job["steps"] if "pip install" not in s.get("run", "")]
        return job

    ours = build_job(ROOT / ".github/workflows/publish.yml")
    assert build_job(new_zoo / ".github/workflows/publish.yml") == ours


def test_pre_commit_hook_runs_zoo_check(new_zoo: Path, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit"),
    }
    config = new_zoo / ".pre-commit-config.yaml"
    validate = [BIN / "pre-commit", "validate-config", config]
    result = subprocess.run(validate, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    repo = tmp_path / "repo"
    subprocess.run(["cp", "-r", new_zoo, repo], check=True)
    (repo / "model_cards/squeezenet1.1/model.yml").write_text("name: squeezenet1.1\ntask: nope\n")
    for git in (["init", "-q"], ["add", "."]):
        subprocess.run(["git", *git], cwd=repo, check=True, env=env)
    hook = [BIN / "pre-commit", "run", "--all-files"]
    result = subprocess.run(hook, cwd=repo, capture_output=True, text=True, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "unknown-task unknown task 'nope'" in result.stdout


def test_site_name_from_the_folder_by_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    zoo = tmp_path / "Vision Models"
    zoo.mkdir()
    monkeypatch.chdir(zoo)
    assert init(capsys)[0] == 0
    assert yaml_load((zoo / "mkdocs.yml").read_text())["site_name"] == "Vision Models"


def test_a_name_stays_text_in_yaml_and_markdown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = 'Zoo: "A" & <b>B</b> #1 [x](y) *z* é'
    assert init(capsys, str(tmp_path / "zoo"), "--name", name)[0] == 0
    assert yaml_load((tmp_path / "zoo/mkdocs.yml").read_text())["site_name"] == name
    html = markdown.markdown((tmp_path / "zoo/docs/index.md").read_text())
    heading = re.search(r"<h1>(.*?)</h1>", html)
    assert heading and "<" not in heading.group(1) and unescape(heading.group(1)) == name


@pytest.mark.parametrize("name", ["", " zoo", "zoo\x1b[2J", "zoo\u202e", "x" * 101, "a\nb"])
def test_a_bad_name_is_one_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, out, err = init(capsys, str(tmp_path / "zoo"), "--name", name)
    assert (code, out, len(err)) == (2, [], 1)
    assert err[0].startswith("zoo: error: zoo name ")
    assert not (tmp_path / "zoo").exists()


def test_a_folder_that_is_not_empty_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    code, out, err = init(capsys, str(tmp_path))
    assert (code, out) == (2, [])
    assert err == [
        f"zoo: error: {tmp_path} is not empty: "
        "use --force to add the missing files and keep the existing ones"
    ]
    assert files(tmp_path) == {"notes.txt": b"mine"}


def test_a_file_is_not_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "zoo").write_text("mine")
    assert init(capsys, str(tmp_path / "zoo"))[:2] == (2, [])
    assert (tmp_path / "zoo").read_text() == "mine"


def test_a_git_repository_with_nothing_else_is_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    subprocess.run(["git", "init", "-q", tmp_path], check=True)
    code, out, _ = init(capsys, str(tmp_path))
    assert code == 0 and sorted(out) == SCAFFOLD


def test_force_adds_the_missing_files_and_keeps_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = {
        "README.md": b"# my zoo\n",
        "mkdocs.yml": b"site_name: mine\n",
        ".gitignore": b"*.bin\n",
        "model_cards/detector/model.yml": b"name: detector\n",
    }
    for name, data in mine.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    code, out, err = init(capsys, str(tmp_path), "--force")
    assert code == 0
    assert sorted(out) == [
        ".github/workflows/pr-checks.yml",
        ".github/workflows/publish.yml",
        ".pre-commit-config.yaml",
        "docs/index.md",
        "model_cards/model-card.schema.json",
    ]
    assert err[:3] == [
        "zoo: kept .gitignore: already there",
        "zoo: kept mkdocs.yml: already there",
        "zoo: kept model_cards/squeezenet1.1/model.yml: model_cards/ already has cards: "
        "no example card",
    ]
    after = files(tmp_path)
    assert {name: after[name] for name in mine} == mine
    assert sorted(after) == sorted([*mine, *out])
    # a second run writes nothing and changes nothing
    assert init(capsys, str(tmp_path), "--force")[:2] == (0, [])
    assert files(tmp_path) == after


def test_force_never_writes_through_a_symlink(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    zoo = tmp_path / "zoo"
    zoo.mkdir()
    (zoo / "docs").symlink_to(elsewhere)
    (zoo / ".gitignore").symlink_to(tmp_path / "missing")
    code, out, err = init(capsys, str(zoo), "--force")
    assert code == 0 and "docs/index.md" not in out and ".gitignore" not in out
    assert "zoo: kept docs/index.md: a symlink on its path: not written through" in err
    assert "zoo: kept .gitignore: a symlink on its path: not written through" in err
    assert list(elsewhere.iterdir()) == [] and not (tmp_path / "missing").exists()


def test_a_failed_write_leaves_nothing_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.authoring.init_zoo as init_zoo

    # a full disk on the fourth file (we run as root: permissions would not stop a write)
    real_write, written = init_zoo.write_atomic, []

    def write_atomic(path: Path, text: str) -> None:
        if len(written) == 3:
            raise OSError(28, "No space left on device", str(path))
        real_write(path, text)
        written.append(path)

    monkeypatch.setattr(init_zoo, "write_atomic", write_atomic)
    (tmp_path / "README.md").write_text("mine")
    code, out, err = init(capsys, str(tmp_path), "--force")
    assert (code, out, len(err)) == (2, [], 1)
    assert err[0].endswith(": No space left on device; nothing was written")
    assert files(tmp_path) == {"README.md": b"mine"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md"]
