"""Untrusted text (card values, file names, messages) made safe for each output channel.

Terminal and CI log, GitHub workflow command, XML, spreadsheet cell and Markdown: one function each.
"""

from __future__ import annotations

import io
import re
import string
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

# What a terminal, a CI log or an XML parser would act on instead of showing: C0 controls, DEL,
# C1 controls (\x9b is CSI), bidi embeddings, overrides and isolates, line and paragraph
# separators, lone surrogates (not encodable) and the two non-characters XML 1.0 cannot hold.
UNSAFE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
# The runner takes `##[command]` anywhere in a line of a job's log as a workflow command.
_LEGACY_COMMAND = "##["


def printable(text: str, keep: str = "") -> str:
    """`text` with every character in UNSAFE but those in `keep` shown as a Python escape
    (ESC as the four characters \\x1b), and `##[` broken so that a CI log cannot read a command.
    """

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char in keep:
            return char
        code = ord(char)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return UNSAFE.sub(escape, text).replace(_LEGACY_COMMAND, "#\\x23[")


def github_data(text: str) -> str:
    """The message of a GitHub workflow command: one line, as the runner unescapes it."""
    text = printable(text, keep="\r\n")
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A property value (file=, title=) of a GitHub workflow command: `:` and `,` escaped too."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def xml_text(text: str) -> str:
    """Text for an XML 1.0 element or attribute: every character it cannot hold made visible."""
    return printable(text, keep="\n")


# Where a spreadsheet starts a formula (OWASP CSV injection)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def csv_cell(text: str) -> str:
    """A CSV cell a spreadsheet shows as text: `'` before a leading formula character.
    Only for text: figures are written as numbers by the caller, so -1.5 stays a number."""
    text = _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
    return "'" + text if text.startswith(_FORMULA_START) else text


_MARKDOWN_PUNCTUATION = re.compile(f"[{re.escape(string.punctuation)}]")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def markdown_text(text: str) -> str:
    """Text inside a Markdown line or table cell that renders as itself: every ASCII punctuation
    backslash-escaped (CommonMark), `& < >` as entities, one line."""
    return _MARKDOWN_PUNCTUATION.sub(
        lambda match: _HTML.get(match.group(), "\\" + match.group()), printable(text)
    )


class SafeStream(io.TextIOBase):
    """A text stream that shows UNSAFE characters of whatever is written to it (newlines pass),
    and a `:` that starts a line escaped, so that no line can be read as a workflow command."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._line_start = True  # only blanks written since the last newline
        self._tail = ""  # the end of the last write, for a `##[` split over two writes
        self._lock = threading.Lock()  # progress lines come from worker threads

    def write(self, text: str) -> int:
        self._write(printable(text, keep="\n"), guard=True)
        return len(text)

    def write_commands(self, text: str) -> None:
        """Lines that are meant as workflow commands, escaped by their maker."""
        self._write(printable(text, keep="\n"), guard=False)

    def _write(self, text: str, guard: bool) -> None:
        with self._lock:
            if (self._tail + text[:2]).find(_LEGACY_COMMAND) in (0, 1):
                text = f"\\x{ord(text[0]):02x}{text[1:]}"
            lines = text.split("\n")
            for index, line in enumerate(lines):
                if self._line_start:
                    blank = len(line) - len(line.lstrip())
                    if guard and line[blank : blank + 1] == ":":
                        line = line[:blank] + "\\x3a" + line[blank + 1 :]
                    self._line_start = blank == len(line)
                if index < len(lines) - 1:
                    self._line_start = True
                lines[index] = line
            text = "\n".join(lines)
            self._tail = (self._tail + text)[-2:]
            encoding = getattr(self.stream, "encoding", None) or "utf-8"
            self.stream.write(text.encode(encoding, "backslashreplace").decode(encoding))

    def flush(self) -> None:
        if not getattr(self.stream, "closed", False):
            self.stream.flush()

    def close(self) -> None:
        """Leaves the wrapped stream open: it belongs to whoever made it."""

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.stream, "encoding", None) or "utf-8"


def underlying(stream: TextIO) -> TextIO:
    """The stream a SafeStream writes to (for the progress bar, which writes its own escapes)."""
    return stream.stream if isinstance(stream, SafeStream) else stream


@contextmanager
def safe_streams() -> Iterator[None]:
    """sys.stdout and sys.stderr as SafeStreams: the one place all command output passes."""
    saved = sys.stdout, sys.stderr
    if not isinstance(sys.stdout, SafeStream):
        sys.stdout = SafeStream(sys.stdout)  # type: ignore[assignment]
    if not isinstance(sys.stderr, SafeStream):
        sys.stderr = SafeStream(sys.stderr)  # type: ignore[assignment]
    try:
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        sys.stdout, sys.stderr = saved


def write_commands(text: str) -> None:
    """Print workflow command lines (`--format github`) to stdout, past the line-start guard."""
    if isinstance(sys.stdout, SafeStream):
        sys.stdout.write_commands(text + "\n")
    else:
        print(printable(text, keep="\n"))
