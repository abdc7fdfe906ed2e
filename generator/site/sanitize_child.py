"""The page sanitizer's own process (`python -m generator.site.sanitize_child`), started by a
build: HTML pages in on stdin (length-prefixed), each cleaned and pickled to stdout in order."""

from __future__ import annotations

import pickle
import signal
import sys
from multiprocessing.connection import Connection

from generator.site.sanitize import sanitize_page


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the build, whose end ends this
    reader = Connection(sys.stdin.fileno(), writable=False)
    with open(sys.stdout.fileno(), "wb", closefd=False) as output:
        while True:
            try:
                text = reader.recv_bytes().decode()
            except EOFError:
                return
            pickle.dump(sanitize_page(text), output, protocol=pickle.HIGHEST_PROTOCOL)


if __name__ == "__main__":
    main()
