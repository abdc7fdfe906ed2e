"""Which cards changed in git since a revision, for `zoo validate --changed-since REF`.

A card changed when a file in its folder, or one of its IR files, differs from REF in the
working tree (`git diff --name-only REF`) or is new and not ignored (untracked).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from generator.cards.catalog import Catalog


class GitError(Exception):
    """git is missing, the folder is not in a repository, or the revision is unknown."""


def changed_cards(catalog: Catalog, changed: set[Path]) -> list[str]:
    """Names of the cards that `changed` paths touch, in catalog order."""
    names = []
    for source in catalog.cards:
        irs = {(source.folder / xml).resolve() for xml in source.card.ir.values()}
        irs |= {xml.with_suffix(".bin") for xml in irs}
        if touches(changed, source.folder) or irs & changed:
            names.append(source.name)
    return names


def touches(changed: set[Path], folder: Path) -> bool:
    folder = folder.resolve()
    return any(path.is_relative_to(folder) for path in changed)


def changed_paths(inside: Path, ref: str) -> set[Path]:
    """Absolute paths that differ from `ref` in the working tree, plus untracked files."""
    try:
        top = Path(git(inside, "rev-parse", "--show-toplevel").strip())
    except GitError:
        raise GitError(f"--changed-since: {inside} is not in a git repository") from None
    if ref.startswith("-"):
        raise GitError(f"--changed-since {ref}: not a git revision")
    try:
        git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except GitError:
        raise GitError(f"--changed-since {ref}: not a git revision") from None
    diff = git(top, "-c", "core.quotePath=false", "diff", "--name-only", "-z", "--no-renames",
               "--no-relative", ref, "--")  # fmt: skip
    untracked = git(top, "ls-files", "--others", "--exclude-standard", "-z")
    return {(top / name).resolve() for name in (diff + untracked).split("\0") if name}


def git(cwd: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8", check=False
        )
    except FileNotFoundError:
        raise GitError("git not found: --changed-since needs git") from None
    except NotADirectoryError:
        raise GitError(f"{cwd}: not a folder") from None
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()
        raise GitError(f"{cwd}: {message[-1] if message else 'git ' + args[0] + ' failed'}")
    return done.stdout
