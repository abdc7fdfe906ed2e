"""`zoo render OUT`: the site files written into a folder that any engine builds as its docs.

Only files zoo-cards wrote are ever replaced or removed: OUT keeps a manifest of them
(.zoo-render.json); an unchanged file is not rewritten, so its mtime stays.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.atomic_file import write_atomic
from generator.site.site_files import SiteFile

MANIFEST_NAME = ".zoo-render.json"
MAX_MANIFEST_BYTES = 64 << 20


class RenderError(Exception):
    """OUT cannot be written as asked: one line naming the file."""


@dataclass(frozen=True)
class RenderSummary:
    written: int
    unchanged: int
    removed: int

    def __str__(self) -> str:
        return f"{self.written} written, {self.unchanged} unchanged, {self.removed} removed"


def inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def render_folder(files: list[SiteFile], out: Path, cards: Path) -> RenderSummary:
    """Make OUT hold `files`, changing only what differs, and remove what an earlier run wrote
    that is gone. Refuses an OUT inside the cards folder and any file it did not write."""
    root, cards_root = out.resolve(), cards.resolve()
    if inside(root, cards_root):
        raise RenderError(f"{out}: is inside the cards folder {cards}; render somewhere else")
    if out.exists() and not out.is_dir():
        raise RenderError(f"{out}: not a folder")
    manifest = out / MANIFEST_NAME
    previous = read_manifest(manifest)
    wanted = {file.uri: file for file in files}
    for uri in wanted:
        target = out / uri
        if inside(target.parent.resolve(), cards_root):
            raise RenderError(f"{target}: would be written inside the cards folder {cards}")
        if uri not in previous and (target.exists() or target.is_symlink()):
            raise RenderError(
                f"{target}: not written by zoo render but has the path of a file zoo-cards "
                f"generates ({uri}); rename or remove it"
            )
    # listed before they are written: a run cut short leaves no file the next run disowns
    write_manifest(manifest, previous | wanted.keys())
    written = unchanged = 0
    for uri, file in wanted.items():
        target = out / uri
        data = file.data()
        if not inside(target.parent.resolve(), root) and target.parent.exists():
            raise RenderError(f"{target}: its folder leads out of {out}")
        if target.is_file() and not target.is_symlink() and target.read_bytes() == data:
            unchanged += 1
            continue
        if target.is_symlink():
            target.unlink()
        write_atomic(target, data)
        written += 1
    removed = 0
    for uri in sorted(previous - wanted.keys()):
        target = out / uri
        if inside(target.parent.resolve(), root) and (target.is_file() or target.is_symlink()):
            target.unlink()
            removed += 1
            prune_empty(target.parent, out)
    write_manifest(manifest, wanted.keys())
    return RenderSummary(written, unchanged, removed)


def read_manifest(path: Path) -> set[str]:
    """The uris an earlier run wrote; only plain relative paths are believed."""
    if not path.exists():
        return set()
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_MANIFEST_BYTES:
            raise ValueError("not a regular file of at most 64 MiB")
        uris = json.loads(path.read_text(encoding="utf-8"))["files"]
        if not isinstance(uris, list) or not all(plain_uri(uri) for uri in uris):
            raise ValueError("'files' is not a list of relative paths")
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise RenderError(f"{path}: not a manifest of zoo render ({error})") from None
    return set(uris)


def plain_uri(uri: object) -> bool:
    if not isinstance(uri, str) or not uri or "\\" in uri:
        return False
    path = PurePosixPath(uri)
    return not path.is_absolute() and all(part not in ("", ".", "..") for part in uri.split("/"))


def write_manifest(path: Path, uris: Iterable[str]) -> None:
    text = json.dumps({"files": sorted(uris)}, indent=1) + "\n"
    write_atomic(path, text)


def prune_empty(folder: Path, out: Path) -> None:
    """Remove the folders a removed file leaves empty, up to OUT (never OUT itself)."""
    while folder != out and inside(folder.resolve(), out.resolve()):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def watch(folders: list[Path], rebuild: Callable[[], None], settle: float = 0.2) -> None:
    """Call `rebuild` now and after each change under `folders`, until Ctrl-C
    (KeyboardInterrupt). Watching starts first, so no change is missed."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    changed = threading.Event()

    class Changed(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.event_type not in ("opened", "closed_no_write"):
                changed.set()

    observer = Observer()
    for folder in folders:
        if folder.is_dir():
            observer.schedule(Changed(), str(folder), recursive=True)
    observer.start()
    try:
        rebuild()
        while True:
            # a timeout, so Ctrl-C is seen at once
            if not changed.wait(timeout=0.5):
                continue
            time.sleep(settle)  # an editor's save is several events
            changed.clear()
            rebuild()
    finally:
        observer.stop()
        observer.join()
