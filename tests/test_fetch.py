"""`zoo fetch` against a real local HTTP server that truncates, corrupts, stalls, fails, lies
about lengths and ranges, sends without end, trickles and redirects to other schemes."""

from __future__ import annotations

import fcntl
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, write_card
from generator.cards.catalog import load_catalog
from generator.cards.schema import FileEntry
from generator.cli import main
from generator.fetch.download import (
    FetchOptions,
    FetchResult,
    fetch_catalog,
    fetch_file,
    parse_size,
)
from http_server import FileServer, serve

DATA = os.urandom(300_000)
SHA256 = hashlib.sha256(DATA).hexdigest()


@pytest.fixture
def server() -> FileServer:
    with serve() as running:
        running.files["/w.bin"] = DATA
        yield running


def card(tmp_path: Path, server: FileServer, entry: str) -> Path:
    cards = tmp_path / "cards"
    write_card(cards, "m", f"name: m\ntask: classification\ndescription: d\nfiles:\n  - {entry}\n")
    return cards


def good_card(tmp_path: Path, server: FileServer, path: str = "/w.bin", size: bool = True) -> Path:
    sized = f"size: {len(DATA)}, " if size else ""
    return card(tmp_path, server, f"{{name: w.bin, {sized}sha256: '{SHA256}', "
                f"url: '{server.url(path)}'}}")  # fmt: skip


def fetch(cards: Path, cache: Path, **options: float) -> list[FetchResult]:
    catalog = load_catalog(cards)
    return fetch_catalog(catalog.cards, FetchOptions(cache=cache, backoff=0.01, **options))


def fetch_one(tmp_path: Path, **fields: object) -> FetchResult:
    """One entry as a card that got past `zoo check` might hold it (the fetcher's own guard)."""
    folder = tmp_path / "cards" / "m"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.yml").write_text("card\n")
    entry = FileEntry.model_construct(**fields)
    return fetch_file("m", folder, entry, FetchOptions(cache=tmp_path / "cache", backoff=0.01))


def leftovers(tmp_path: Path) -> list[str]:
    """Temporary and partial files anywhere under tmp_path (lock files are kept on purpose)."""
    return sorted(
        str(path.relative_to(tmp_path))
        for path in tmp_path.rglob("*")
        if path.name.endswith(".zoo-tmp") or (path.parent.name == "partial" and path.is_file())
    )


def assert_failed_cleanly(result: FetchResult, tmp_path: Path, message: str) -> None:
    assert result.status == "failed"
    assert result.message == message
    assert "\n" not in result.message and "\r" not in result.message
    assert not (tmp_path / "cards" / "m" / "w.bin").exists()
    assert leftovers(tmp_path) == []


def test_download_verifies_and_places_file(tmp_path: Path, server: FileServer) -> None:
    cards = good_card(tmp_path, server)
    (result,) = fetch(cards, tmp_path / "cache")
    assert (result.status, result.size) == ("downloaded", len(DATA))
    assert (cards / "m" / "w.bin").read_bytes() == DATA
    assert (tmp_path / "cache" / "sha256" / SHA256).read_bytes() == DATA
    assert leftovers(tmp_path) == []
    # present and verified: no second request
    (again,) = fetch(cards, tmp_path / "cache")
    assert again.status == "present" and server.hits["/w.bin"] == 1


def test_content_addressed_cache_downloads_once(tmp_path: Path, server: FileServer) -> None:
    server.modes["/w.bin"] = "drip"  # slow enough that both threads want it at once
    entry = f"{{name: w.bin, sha256: '{SHA256}', url: '{server.url('/w.bin')}'}}"
    cards = card(tmp_path, server, entry)
    write_card(cards, "n", f"name: n\ntask: classification\ndescription: d\nfiles:\n  - {entry}\n")
    results = fetch(cards, tmp_path / "cache")
    assert sorted(r.status for r in results) == ["cached", "downloaded"]
    assert server.hits["/w.bin"] == 1  # the second waited for the first, under the lock
    (cards / "m" / "w.bin").unlink()
    (result, _) = fetch(cards, tmp_path / "cache")
    assert result.status == "cached"
    assert (cards / "m" / "w.bin").read_bytes() == DATA
    assert server.hits["/w.bin"] == 1


def test_truncated_response_resumes_with_range(tmp_path: Path, server: FileServer) -> None:
    server.modes["/w.bin"] = "truncate"
    cards = good_card(tmp_path, server, size=False)
    (result,) = fetch(cards, tmp_path / "cache")
    assert result.status == "downloaded", result.message
    assert (cards / "m" / "w.bin").read_bytes() == DATA
    assert server.ranges == [f"bytes={len(DATA) // 2}-"]


def partial_file(tmp_path: Path, data: bytes) -> None:
    """What an interrupted earlier run left in the cache."""
    partial = tmp_path / "cache" / "partial" / SHA256
    partial.parent.mkdir(parents=True)
    partial.write_bytes(data)


def test_server_ignoring_range_restarts_cleanly(tmp_path: Path, server: FileServer) -> None:
    server.modes["/w.bin"] = "norange"
    partial_file(tmp_path, DATA[:1000])
    cards = good_card(tmp_path, server)
    (result,) = fetch(cards, tmp_path / "cache")
    assert result.status == "downloaded", result.message
    assert (cards / "m" / "w.bin").read_bytes() == DATA


@pytest.mark.parametrize("mode", ["badrange", "badtotal"])
def test_wrong_content_range_restarts_from_zero(
    tmp_path: Path, server: FileServer, mode: str
) -> None:
    server.modes["/w.bin"] = mode
    partial_file(tmp_path, DATA[:1000])
    cards = good_card(tmp_path, server, size=mode == "badrange")
    (result,) = fetch(cards, tmp_path / "cache")
    assert result.status == "downloaded", result.message
    assert (cards / "m" / "w.bin").read_bytes() == DATA
    # asked once from byte 1000, refused the answer, then took the whole file without Range
    assert server.ranges == ["bytes=1000-"] and server.hits["/w.bin"] == 2


def test_forged_partial_file_is_discarded_not_trusted(tmp_path: Path, server: FileServer) -> None:
    partial_file(tmp_path, b"forged prefix")
    cards = good_card(tmp_path, server)
    (result,) = fetch(cards, tmp_path / "cache")
    assert result.status == "downloaded", result.message
    assert (cards / "m" / "w.bin").read_bytes() == DATA
    assert server.hits["/w.bin"] == 2  # the resumed file failed its checksum: once from zero


def test_partial_file_that_is_a_symlink_is_not_written_through(
    tmp_path: Path, server: FileServer
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (tmp_path / "cache" / "partial").mkdir(parents=True)
    (tmp_path / "cache" / "partial" / SHA256).symlink_to(victim)
    cards = good_card(tmp_path, server)
    (result,) = fetch(cards, tmp_path / "cache")
    assert result.status == "downloaded", result.message
    assert victim.read_text() == "keep me"


def test_corrupted_download_is_deleted_and_reported(tmp_path: Path, server: FileServer) -> None:
    server.modes["/w.bin"] = "corrupt"
    cards = good_card(tmp_path, server)
    (result,) = fetch(cards, tmp_path / "cache")
    actual = hashlib.sha256(bytes([DATA[0] ^ 0xFF]) + DATA[1:]).hexdigest()
    assert_failed_cleanly(result, tmp_path, f"w.bin: sha256 expected {SHA256}, got {actual}")
    assert not list((tmp_path / "cache").glob("sha256/*"))


def test_content_length_other_than_the_card_size_fails_before_the_body(
    tmp_path: Path, server: FileServer
) -> None:
    cards = card(tmp_path, server, f"{{name: w.bin, size: 5, url: '{server.url('/w.bin')}'}}")
    (result,) = fetch(cards, tmp_path / "cache")
    message = f"w.bin: the server sends {len(DATA)} bytes, the card's size is 5"
    assert_failed_cleanly(result, tmp_path, message)


def test_endless_body_stops_at_the_card_size(tmp_path: Path, server: FileServer) -> None:
    server.modes["/w.bin"] = "endless"
    cards = good_card(tmp_path, server)
    started = time.monotonic()
    (result,) = fetch(cards, tmp_path / "cache")
    assert_failed_cleanly(result, tmp_path, f"w.bin: the server sends more than {len(DATA)} bytes")
    assert time.monotonic() - started < 5


def test_endless_body_without_a_card_size_stops_at_max_size(
    tmp_path: Path, server: FileServer
) -> None:
    server.modes["/w.bin"] = "endless"
    cards = good_card(tmp_path, server, size=False)
    (result,) = fetch(cards, tmp_path / "cache", max_size=1 << 20)
    assert_failed_cleanly(result, tmp_path, "w.bin: the server sends more than 1048576 bytes")


def test_announced_length_over_max_size_fails_before_the_body(
    tmp_path: Path, server: FileServer
) -> None:
    server.modes["/w.bin"] = "length:99999999999"
    cards = good_card(tmp_path, server, size=False)
    (result,) = fetch(cards, tmp_path / "cache", max_size=1 << 20)
    message = "w.bin: the server sends 99999999999 bytes, over the 1048576 byte limit"
    assert_failed_cleanly(result, tmp_path, message)


@pytest.mark.parametrize("length", ["abc", "-5", "1e3", "12 34"])
def test_bad_content_length_is_a_one_line_error(
    tmp_path: Path, server: FileServer, length: str
) -> None:
    server.modes["/w.bin"] = f"length:{length}"
    cards = good_card(tmp_path, server)
    (result,) = fetch(cards, tmp_path / "cache")
    assert_failed_cleanly(result, tmp_path, f"w.bin: bad Content-Length '{length}'")


def test_trickle_hits_the_deadline(tmp_path: Path, server: FileServer) -> None:
    server.modes["/w.bin"] = "trickle"  # a byte every 0.1 s: never a stall
    cards = good_card(tmp_path, server)
    started = time.monotonic()
    (result,) = fetch(cards, tmp_path / "cache", deadline=0.5, stall=5)
    assert result.status == "failed"
    assert result.message.startswith("w.bin: no complete file within the 0.5 s deadline (")
    assert time.monotonic() - started < 2
    assert leftovers(tmp_path) == []


def test_deadline_covers_retries(tmp_path: Path, server: FileServer) -> None:
    server.modes["/w.bin"] = "fail:100"
    cards = good_card(tmp_path, server)
    started = time.monotonic()
    results = fetch_catalog(
        load_catalog(cards).cards,
        FetchOptions(cache=tmp_path / "cache", backoff=0.2, retries=50, deadline=0.5),
    )
    assert results[0].message == "w.bin: no complete file within the 0.5 s deadline"
    assert time.monotonic() - started < 2


def test_waiting_for_another_runs_lock_is_bounded_by_the_deadline(
    tmp_path: Path, server: FileServer
) -> None:
    cards = good_card(tmp_path, server)
    (tmp_path / "cache" / "locks").mkdir(parents=True)
    with (tmp_path / "cache" / "locks" / f"{SHA256}.lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a stopped `zoo fetch` would hold it
        (result,) = fetch(cards, tmp_path / "cache", deadline=0.3)
    message = "w.bin: another download of this file held its lock for the whole 0.3 s deadline"
    assert_failed_cleanly(result, tmp_path, message)
    assert server.hits["/w.bin"] == 0


def test_stalled_download_times_out_and_resumes(tmp_path: Path, server: FileServer) -> None:
    server.modes["/w.bin"] = "slow"
    cards = good_card(tmp_path, server)
    (result,) = fetch(cards, tmp_path / "cache", stall=0.5)
    assert result.status == "downloaded", result.message
    assert (cards / "m" / "w.bin").read_bytes() == DATA
    assert server.ranges == ["bytes=100-"]


def test_connection_reset_is_retried_then_reported(tmp_path: Path, server: FileServer) -> None:
    server.modes["/w.bin"] = "reset"
    cards = good_card(tmp_path, server)
    (result,) = fetch(cards, tmp_path / "cache", retries=1)
    assert result.status == "failed"
    assert result.message.startswith("w.bin: failed after 2 attempts: "), result.message
    assert_failed_cleanly(result, tmp_path, result.message)


def test_retries_with_backoff_after_server_errors(tmp_path: Path, server: FileServer) -> None:
    server.modes["/w.bin"] = "fail:2"
    cards = good_card(tmp_path, server)
    (result,) = fetch(cards, tmp_path / "cache")
    assert result.status == "downloaded" and server.hits["/w.bin"] == 3


def test_gives_up_after_retries(tmp_path: Path, server: FileServer) -> None:
    server.modes["/w.bin"] = "fail:100"
    cards = good_card(tmp_path, server)
    (result,) = fetch(cards, tmp_path / "cache", retries=2)
    assert_failed_cleanly(result, tmp_path, "w.bin: failed after 3 attempts: HTTP 503")


def test_missing_file_is_not_retried(tmp_path: Path, server: FileServer) -> None:
    cards = good_card(tmp_path, server, path="/nope")
    (result,) = fetch(cards, tmp_path / "cache")
    assert_failed_cleanly(result, tmp_path, f"w.bin: HTTP 404 from {server.url('/nope')}")
    assert server.hits["/nope"] == 1


@pytest.mark.parametrize(
    "url",
    [
        "file:///proc/self/environ",
        "FILE:///etc/passwd",
        "data:,hello",
        "ftp://127.0.0.1/w.bin",
        "javascript:alert(1)",
        "w.bin",
        "localhost:8000/w.bin",
        "//127.0.0.1/w.bin",
        "http:///w.bin",
        "http://127.0.0.1:abc/w.bin",
        "http://[::1/w.bin",
        "http://127.0.0.1/w bin",
        "http://127.0.0.1/w.bin\r\nX-Injected: 1",
        "http://127.0.0.1/wé.bin",
    ],
)
def test_only_http_urls_are_opened(tmp_path: Path, url: str) -> None:
    result = fetch_one(tmp_path, name="w.bin", url=url, sha256=SHA256)
    assert result.status == "failed" and result.message.startswith("w.bin: url ")
    assert "\n" not in result.message and "\r" not in result.message
    assert not (tmp_path / "cache").exists()  # refused before anything was opened or made
    assert sorted(p.name for p in (tmp_path / "cards" / "m").iterdir()) == ["model.yml"]


@pytest.mark.parametrize(
    "location", ["file:///etc/passwd", "ftp://127.0.0.1/w.bin", "data:,hello", "gopher://x/"]
)
def test_redirect_to_another_scheme_is_refused(
    tmp_path: Path, server: FileServer, location: str
) -> None:
    server.modes["/go"] = f"redirect:{location}"
    cards = good_card(tmp_path, server, path="/go")
    (result,) = fetch(cards, tmp_path / "cache")
    assert_failed_cleanly(result, tmp_path, f"w.bin: refused a redirect to '{location}': "
                          "not http(s)")  # fmt: skip


def test_malformed_redirect_is_refused(tmp_path: Path, server: FileServer) -> None:
    server.modes["/go"] = "redirect:http://[bad"
    cards = good_card(tmp_path, server, path="/go")
    (result,) = fetch(cards, tmp_path / "cache")
    assert_failed_cleanly(result, tmp_path, "w.bin: refused a redirect to 'http://[bad': malformed")


def test_redirect_to_http_is_followed(tmp_path: Path, server: FileServer) -> None:
    server.modes["/go"] = "redirect:/w.bin"
    cards = good_card(tmp_path, server, path="/go")
    (result,) = fetch(cards, tmp_path / "cache")
    assert result.status == "downloaded", result.message
    assert (cards / "m" / "w.bin").read_bytes() == DATA


@pytest.mark.parametrize(
    "name", ["", ".", "..", "model.yml", "README.md", ".hidden", "a/w.bin", "../w.bin",
             "/tmp/w.bin", "w.bin\n", " w.bin"],
)  # fmt: skip
def test_file_names_must_be_plain(tmp_path: Path, server: FileServer, name: str) -> None:
    result = fetch_one(tmp_path, name=name, url=server.url("/w.bin"))
    assert result.status == "failed" and result.message.startswith("file name ")
    assert "\n" not in result.message
    assert server.hits["/w.bin"] == 0
    assert sorted(p.name for p in (tmp_path / "cards" / "m").iterdir()) == ["model.yml"]
    assert (tmp_path / "cards" / "m" / "model.yml").read_text() == "card\n"
    assert not (tmp_path / "cache").exists()


def test_symlink_in_the_card_folder_cannot_redirect_the_write(
    tmp_path: Path, server: FileServer
) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    cards = good_card(tmp_path, server)
    (cards / "m" / "w.bin").symlink_to(victim)
    (result,) = fetch(cards, tmp_path / "cache")
    assert result.status == "failed"
    assert result.message == "path 'w.bin' goes through a symlink"
    assert victim.read_text() == "keep me" and server.hits["/w.bin"] == 0


def test_existing_good_file_survives_a_failed_fetch(tmp_path: Path, server: FileServer) -> None:
    other = os.urandom(1000)
    server.files["/x.bin"] = other
    server.modes["/x.bin"] = "corrupt"
    digest = hashlib.sha256(other).hexdigest()
    cards = card(
        tmp_path, server, f"{{name: x.bin, sha256: '{digest}', url: '{server.url('/x.bin')}'}}"
    )
    (cards / "m" / "x.bin").write_bytes(b"old but not matching")
    (result,) = fetch(cards, tmp_path / "cache")
    assert result.status == "failed"
    assert (cards / "m" / "x.bin").read_bytes() == b"old but not matching"


def zoo_process(tmp_path: Path, cards: Path, *args: str) -> subprocess.Popen:
    """`zoo fetch` in its own process, running this tree's code."""
    return subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "fetch", "--cards", str(cards), *args],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_on_one_cache_both_succeed(tmp_path: Path, server: FileServer) -> None:
    server.modes["/w.bin"] = "drip"  # about 1 s per download
    entry = f"{{name: w.bin, sha256: '{SHA256}', url: '{server.url('/w.bin')}'}}"
    for folder in ("one", "two"):
        write_card(tmp_path / folder, "m", f"name: m\ntask: classification\ndescription: d\n"
                   f"files:\n  - {entry}\n")  # fmt: skip
    cache = ("--cache", str(tmp_path / "cache"))
    first = zoo_process(tmp_path, tmp_path / "one", *cache)
    while not server.hits["/w.bin"] and first.poll() is None:
        time.sleep(0.01)
    second = zoo_process(tmp_path, tmp_path / "two", *cache)  # starts while the first downloads
    outputs = [process.communicate(timeout=60) for process in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    assert "1 downloaded" in outputs[0][1] and "1 cached" in outputs[1][1]
    assert "Traceback" not in outputs[0][1] + outputs[1][1]
    assert server.hits["/w.bin"] == 1
    for folder in ("one", "two"):
        assert (tmp_path / folder / "m" / "w.bin").read_bytes() == DATA
    assert leftovers(tmp_path) == []


def test_command_reports_each_bad_response_on_one_line(tmp_path: Path, server: FileServer) -> None:
    server.modes["/abc"] = "length:abc"
    server.files["/abc"] = DATA
    server.modes["/go"] = "redirect:file:///proc/self/environ"
    cards = tmp_path / "cards"
    # a and b list other checksums than c: c's download must not answer them from the cache
    for name, path, digest in (
        ("a", "/abc", "a" * 64),
        ("b", "/go", "b" * 64),
        ("c", "/w.bin", SHA256),
    ):
        entry = f"{{name: w.bin, sha256: '{digest}', url: '{server.url(path)}'}}"
        write_card(cards, name, f"name: {name}\ntask: classification\ndescription: d\nfiles:\n"
                   f"  - {entry}\n")  # fmt: skip
    done = zoo_process(tmp_path, cards, "--cache", str(tmp_path / "cache"))
    _, err = done.communicate(timeout=60)
    assert done.returncode == 1, err
    assert [line for line in err.splitlines() if not line.startswith("zoo: [")] == [
        "zoo: error: a: w.bin: bad Content-Length 'abc'",
        "zoo: error: b: w.bin: refused a redirect to 'file:///proc/self/environ': not http(s)",
        "zoo: 1 downloaded, 0 cached, 0 present, 0 skipped, 2 failed file(s)",
    ]
    assert (cards / "c" / "w.bin").read_bytes() == DATA
    assert not (cards / "a" / "w.bin").exists() and not (cards / "b" / "w.bin").exists()
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--deadline", "0"], "--deadline 0: must be positive seconds"),
        (["--stall-timeout", "-1"], "--stall-timeout -1: must be positive seconds"),
        (["--deadline", "nan"], "--deadline nan: must be positive seconds"),
        (["--max-size", "lots"], "--max-size 'lots' is not a size such as 16G, 500M or 1048576"),
    ],
)
def test_bad_fetch_options_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    (tmp_path / "cards").mkdir()
    assert main(["fetch", "--cards", str(tmp_path / "cards"), *args]) == 2
    assert capsys.readouterr().err == f"zoo: error: {message}\n"


def test_parse_size() -> None:
    assert parse_size("16G") == 16 << 30
    assert parse_size("500MiB") == 500 << 20
    assert parse_size("64k") == 64 << 10
    assert parse_size("1048576") == 1 << 20


def test_ctrl_c_stops_downloads_and_keeps_the_partial_file(
    tmp_path: Path, server: FileServer
) -> None:
    server.modes["/w.bin"] = "trickle"
    cards = good_card(tmp_path, server)
    running = zoo_process(tmp_path, cards, "--cache", str(tmp_path / "cache"))
    while server.hits["/w.bin"] == 0 and running.poll() is None:
        time.sleep(0.01)
    time.sleep(0.3)  # a few bytes in
    running.send_signal(signal.SIGINT)
    started = time.monotonic()
    _, err = running.communicate(timeout=10)
    assert time.monotonic() - started < 2
    assert running.returncode == 130 and err.splitlines()[-1] == "zoo: interrupted", err
    assert "Traceback" not in err
    partial = tmp_path / "cache" / "partial" / SHA256
    kept = partial.stat().st_size
    assert kept > 0 and not (cards / "m" / "w.bin").exists()
    # the next run resumes where the interrupted one stopped
    server.modes["/w.bin"] = ""
    (result,) = fetch(cards, tmp_path / "cache")
    assert result.status == "downloaded", result.message
    assert server.ranges == [f"bytes={kept}-"]
    assert (cards / "m" / "w.bin").read_bytes() == DATA


def test_a_card_that_cannot_be_read_fails_the_fetch(
    tmp_path: Path, server: FileServer, capsys: pytest.CaptureFixture[str]
) -> None:
    cards = good_card(tmp_path, server)
    write_card(cards, "broken", "name: broken\ntask: [\n")
    assert main(["fetch", "--cards", str(cards), "--cache", str(tmp_path / "cache")]) == 1
    out, err = capsys.readouterr()
    assert "broken/model.yml:3:1: yaml invalid YAML" in out and "1 downloaded" in err
    assert (cards / "m" / "w.bin").read_bytes() == DATA  # the good card is still fetched
