"""`zoo fetch` against a real local HTTP server that truncates, corrupts, stalls and fails."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from conftest import write_card
from generator.catalog import load_catalog
from generator.fetch import FetchOptions, fetch_catalog
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


def fetch(cards: Path, cache: Path, **options: float) -> list:
    catalog = load_catalog(cards)
    return fetch_catalog(catalog.cards, FetchOptions(cache=cache, backoff=0.01, **options))


def test_download_verifies_and_places_file(tmp_path: Path, server: FileServer) -> None:
    cards = card(tmp_path, server, f"{{name: w.bin, size: {len(DATA)}, sha256: '{SHA256}', "
                 f"url: '{server.url('/w.bin')}'}}")  # fmt: skip
    (result,) = fetch(cards, tmp_path / "cache")
    assert (result.status, result.size) == ("downloaded", len(DATA))
    assert (cards / "m" / "w.bin").read_bytes() == DATA
    assert (tmp_path / "cache" / "sha256" / SHA256).read_bytes() == DATA
    # present and verified: no second request
    (again,) = fetch(cards, tmp_path / "cache")
    assert again.status == "present" and server.hits["/w.bin"] == 1


def test_content_addressed_cache_downloads_once(tmp_path: Path, server: FileServer) -> None:
    entry = f"{{name: w.bin, sha256: '{SHA256}', url: '{server.url('/w.bin')}'}}"
    cards = card(tmp_path, server, entry)
    write_card(cards, "n", f"name: n\ntask: classification\ndescription: d\nfiles:\n  - {entry}\n")
    results = fetch(cards, tmp_path / "cache")
    assert sorted(r.status for r in results) in (["cached", "downloaded"], ["downloaded"] * 2)
    (cards / "m" / "w.bin").unlink()
    (result, _) = fetch(cards, tmp_path / "cache")
    assert result.status == "cached"
    assert (cards / "m" / "w.bin").read_bytes() == DATA
    assert server.hits["/w.bin"] <= 2


def test_truncated_response_resumes_with_range(tmp_path: Path, server: FileServer) -> None:
    server.modes["/w.bin"] = "truncate"
    cards = card(
        tmp_path, server, f"{{name: w.bin, sha256: '{SHA256}', url: '{server.url('/w.bin')}'}}"
    )
    (result,) = fetch(cards, tmp_path / "cache")
    assert result.status == "downloaded", result.message
    assert (cards / "m" / "w.bin").read_bytes() == DATA
    assert server.ranges == [f"bytes={len(DATA) // 2}-"]


def test_server_ignoring_range_restarts_cleanly(tmp_path: Path, server: FileServer) -> None:
    server.modes["/w.bin"] = "norange"
    partial = tmp_path / "cache" / "partial" / SHA256
    partial.parent.mkdir(parents=True)
    partial.write_bytes(DATA[:1000])
    cards = card(
        tmp_path, server, f"{{name: w.bin, sha256: '{SHA256}', url: '{server.url('/w.bin')}'}}"
    )
    (result,) = fetch(cards, tmp_path / "cache")
    assert result.status == "downloaded", result.message
    assert (cards / "m" / "w.bin").read_bytes() == DATA


def test_corrupted_download_is_deleted_and_reported(tmp_path: Path, server: FileServer) -> None:
    server.modes["/w.bin"] = "corrupt"
    cards = card(
        tmp_path, server, f"{{name: w.bin, sha256: '{SHA256}', url: '{server.url('/w.bin')}'}}"
    )
    (result,) = fetch(cards, tmp_path / "cache")
    actual = hashlib.sha256(bytes([DATA[0] ^ 0xFF]) + DATA[1:]).hexdigest()
    assert result.status == "failed"
    assert result.message == f"w.bin: sha256 expected {SHA256}, got {actual}"
    assert not (cards / "m" / "w.bin").exists()
    assert not any((tmp_path / "cache").rglob("*")) or not any(
        p.is_file() for p in (tmp_path / "cache").rglob("*")
    )


def test_wrong_size_is_refused(tmp_path: Path, server: FileServer) -> None:
    cards = card(tmp_path, server, f"{{name: w.bin, size: 5, url: '{server.url('/w.bin')}'}}")
    (result,) = fetch(cards, tmp_path / "cache")
    assert result.status == "failed"
    assert result.message == f"w.bin: expected 5 bytes, got {len(DATA)}"
    assert not (cards / "m" / "w.bin").exists()


def test_retries_with_backoff_after_server_errors(tmp_path: Path, server: FileServer) -> None:
    server.modes["/w.bin"] = "fail:2"
    cards = card(
        tmp_path, server, f"{{name: w.bin, sha256: '{SHA256}', url: '{server.url('/w.bin')}'}}"
    )
    (result,) = fetch(cards, tmp_path / "cache")
    assert result.status == "downloaded" and server.hits["/w.bin"] == 3


def test_gives_up_after_retries(tmp_path: Path, server: FileServer) -> None:
    server.modes["/w.bin"] = "fail:100"
    cards = card(
        tmp_path, server, f"{{name: w.bin, sha256: '{SHA256}', url: '{server.url('/w.bin')}'}}"
    )
    (result,) = fetch(cards, tmp_path / "cache", retries=2)
    assert result.status == "failed"
    assert result.message == "w.bin: failed after 3 attempts: HTTP 503"
    assert not (cards / "m" / "w.bin").exists()


def test_missing_file_is_not_retried(tmp_path: Path, server: FileServer) -> None:
    cards = card(
        tmp_path, server, f"{{name: w.bin, sha256: '{SHA256}', url: '{server.url('/nope')}'}}"
    )
    (result,) = fetch(cards, tmp_path / "cache")
    assert result.message == f"w.bin: HTTP 404 from {server.url('/nope')}"
    assert server.hits["/nope"] == 1


def test_stalled_download_times_out_and_resumes(tmp_path: Path, server: FileServer) -> None:
    server.modes["/w.bin"] = "slow"
    cards = card(
        tmp_path, server, f"{{name: w.bin, sha256: '{SHA256}', url: '{server.url('/w.bin')}'}}"
    )
    (result,) = fetch(cards, tmp_path / "cache", timeout=0.5)
    assert result.status == "downloaded", result.message
    assert (cards / "m" / "w.bin").read_bytes() == DATA
    assert server.ranges == ["bytes=100-"]


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
