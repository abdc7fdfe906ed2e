"""A local HTTP server on 127.0.0.1 that misbehaves on request, for download tests."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FileServer(ThreadingHTTPServer):
    """Serves `files[path]`; `modes[path]` picks a failure: truncate, corrupt, slow, fail:N,
    norange. `hits` counts requests per path, `ranges` records Range headers received."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.files: dict[str, bytes] = {}
        self.modes: dict[str, str] = {}
        self.hits: Counter[str] = Counter()
        self.ranges: list[str] = []

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class Handler(BaseHTTPRequestHandler):
    server: FileServer

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        server = self.server
        server.hits[self.path] += 1
        data = server.files.get(self.path)
        mode = server.modes.get(self.path, "")
        if data is None:
            self.send_error(404)
            return
        if mode.startswith("fail:") and server.hits[self.path] <= int(mode[5:]):
            self.send_error(503)
            return
        start = 0
        header = self.headers.get("Range")
        if header:
            server.ranges.append(header)
        if header and mode != "norange":
            start = int(header.removeprefix("bytes=").split("-")[0])
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        body = data[start:]
        if mode == "corrupt":
            body = bytes([body[0] ^ 0xFF]) + body[1:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if mode == "truncate" and server.hits[self.path] == 1:
            self.wfile.write(body[: len(body) // 2])  # then hang up mid-file
            self.wfile.flush()
            self.close_connection = True
            return
        if mode == "slow" and server.hits[self.path] == 1:
            self.wfile.write(body[:100])
            self.wfile.flush()
            time.sleep(3)  # longer than the client's timeout
            return
        self.wfile.write(body)


@contextmanager
def serve() -> Iterator[FileServer]:
    server = FileServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
