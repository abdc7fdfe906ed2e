"""A local HTTP server on 127.0.0.1 that misbehaves on request, for download tests."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# modes, by path:
#   truncate      hang up halfway through the first response
#   corrupt       flip the first byte of every response
#   slow          100 bytes, then a 3 s stall, on the first response
#   fail:N        503 for the first N requests
#   norange       ignore Range (200 and the whole file)
#   endless       200 without Content-Length, the file over and over until the client hangs up
#   trickle       one byte every 0.1 s
#   drip          the file in 20 pieces 0.05 s apart (about 1 s a download)
#   badrange      answer a Range with 206 and the whole file, labelled "bytes 0-..."
#   badtotal      answer a Range with the right bytes but a Content-Range total one too big
#   length:TEXT   send `Content-Length: TEXT` and the whole file
#   redirect:URL  302 to URL
#   reset         half the file, then a TCP reset, every time
TRICKLE = 0.1


class FileServer(ThreadingHTTPServer):
    """Serves `files[path]` in the `modes[path]` above. `hits` counts requests per path,
    `ranges` records Range headers received."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.files: dict[str, bytes] = {}
        self.modes: dict[str, str] = {}
        self.hits: Counter[str] = Counter()
        self.ranges: list[str] = []
        self.stopping = threading.Event()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up on an endless body is the point of some tests


class Handler(BaseHTTPRequestHandler):
    server: FileServer

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        server = self.server
        server.hits[self.path] += 1
        data = server.files.get(self.path)
        mode = server.modes.get(self.path, "")
        if mode.startswith("redirect:"):
            self.send_response(302)
            self.send_header("Location", mode.removeprefix("redirect:"))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if data is None:
            self.send_error(404)
            return
        if mode.startswith("fail:") and server.hits[self.path] <= int(mode[5:]):
            self.send_error(503)
            return
        if mode == "endless":
            self.send_response(200)
            self.end_headers()
            while not server.stopping.is_set():
                self.wfile.write(data)
            return
        start = 0
        header = self.headers.get("Range")
        if header:
            server.ranges.append(header)
        if header and mode != "norange":
            start = int(header.removeprefix("bytes=").split("-")[0])
            self.send_response(206)
            first, total = start, len(data)
            if mode == "badrange":
                first, start = 0, 0
            if mode == "badtotal":
                total += 1
            self.send_header("Content-Range", f"bytes {first}-{len(data) - 1}/{total}")
        else:
            self.send_response(200)
        body = data[start:]
        if mode == "corrupt":
            body = bytes([body[0] ^ 0xFF]) + body[1:]
        length = mode.removeprefix("length:") if mode.startswith("length:") else str(len(body))
        self.send_header("Content-Length", length)
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
        if mode == "reset":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            # SO_LINGER 0: close() sends RST instead of FIN
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            return
        if mode in ("trickle", "drip"):
            step, pause = (1, TRICKLE) if mode == "trickle" else (len(body) // 20 + 1, 0.05)
            for offset in range(0, len(body), step):
                if server.stopping.is_set():
                    return
                self.wfile.write(body[offset : offset + step])
                self.wfile.flush()
                time.sleep(pause)
            return
        self.wfile.write(body)


@contextmanager
def serve() -> Iterator[FileServer]:
    server = FileServer()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
