"""Load one YAML file into plain documents, with positions on demand and located diagnostics.

Two paths give the same data (a property test holds them to it):

* fast: yaml-rs, for files where it is known to agree with YAML 1.2 core (see `fast.py`);
  it keeps no positions, so each document's Origin re-parses the file precisely the
  first time anything asks where a key is (one parse per file, shared by its documents);
* precise: libyaml events built into values with a position for every key and item
  (see `precise.py`); used for every file the fast path declines, which includes every
  file with a problem, so all diagnostics come from one place.

Checks on raw bytes (size, NUL bytes, UTF-8, control characters) run before either.
Nothing here raises on bad input.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from syncspec.model.diagnostics import Diagnostic, Location, Severity
from syncspec.model.source import Origin, PositionIndex
from syncspec.spec.loading.documents import FileLoad, LoadedDocument
from syncspec.spec.loading.fast import load_fast
from syncspec.spec.loading.limits import DEFAULT_LIMITS, LoadLimits

if TYPE_CHECKING:
    from syncspec.spec.loading.precise import PreciseResult

# Characters YAML does not allow in a stream: the complement of c-printable (YAML 1.2 section
# 5.1: tab, LF, CR, 0x20-0x7E, 0x85, 0xA0-0xD7FF, 0xE000-0xFFFD, 0x10000-0x10FFFF), spelled as the
# few ranges it leaves out. The same set as the negated class `[^...c-printable...]`, but that one
# takes about 10 ms to compile (its ranges span most of Unicode), on every validate's start-up.
_NOT_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Unread:
    """Why a file's bytes were not read."""

    reason: str  # "cannot read the file: Permission denied", "a FIFO (named pipe)"
    regular: bool  # False: not a regular file, so it was skipped without being opened for reading


def read_regular(path: Path, max_bytes: int) -> bytes | Unread:
    """At most `max_bytes + 1` bytes of `path` when it is a regular file (symbolic links followed).

    A FIFO, device or socket is never read: a FIFO blocks its reader until someone writes,
    and a device such as /dev/zero never ends. The type is checked before opening (so a FIFO
    is never opened) and again on the open descriptor, in case the file was swapped between.
    """
    try:
        kind = _not_regular(os.stat(path).st_mode)
        if kind:
            return Unread(kind, regular=False)
        # O_NONBLOCK: should a FIFO take the file's place after the check, opening it cannot block
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except OSError as exc:
        return Unread(f"cannot read the file: {exc.strerror or type(exc).__name__}", regular=True)
    try:
        kind = _not_regular(os.fstat(fd).st_mode)
        if kind:
            return Unread(kind, regular=False)
        chunks: list[bytes] = []
        wanted = max_bytes + 1  # never more than one byte past the limit
        while wanted > 0:
            chunk = os.read(fd, min(wanted, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            wanted -= len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        return Unread(f"cannot read the file: {exc.strerror or type(exc).__name__}", regular=True)
    finally:
        os.close(fd)


def _not_regular(mode: int) -> str:
    """What a non-regular file is ("" for a regular one)."""
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device file"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "not a regular file"


def skipped_note(display: str, unread: Unread) -> Diagnostic:
    """The located note for a non-regular file that was left unread."""
    return Diagnostic(
        Severity.INFO,
        "SS100",
        f"skipped: {unread.reason}, not a regular file",
        Location(display, 1, 1),
        "only regular YAML files are read; remove it or rename it",
    )


def load_file(path: Path, display: str | None = None, *, limits: LoadLimits = DEFAULT_LIMITS) -> FileLoad:
    """Load `path`; `display` is how diagnostics name it (default: the path as given).

    A FIFO, device or socket is skipped with a note (see `read_regular`).
    """
    shown = display if display is not None else str(path)
    data = read_regular(path, limits.max_bytes)
    if isinstance(data, Unread):
        if not data.regular:
            return FileLoad(shown, (), (skipped_note(shown, data),))
        return _failed(shown, "SS100", data.reason, "check that it exists and is readable")
    if len(data) > limits.max_bytes:
        return _too_large(shown, limits)

    def reread() -> bytes:
        again = read_regular(path, limits.max_bytes)
        if isinstance(again, Unread):
            raise OSError(again.reason)
        return again

    return _load(data, shown, limits, reread)


def load_bytes(data: bytes, display: str, *, limits: LoadLimits = DEFAULT_LIMITS) -> FileLoad:
    """Load YAML from memory; `display` names it in diagnostics."""
    if len(data) > limits.max_bytes:
        return _too_large(display, limits)
    return _load(data, display, limits, lambda: data)


def decode(data: bytes, display: str) -> tuple[str, Diagnostic | None]:
    """UTF-8 text with line breaks normalised to \\n, or the SS102 diagnostic saying why not."""
    nul = data.find(b"\x00")
    if nul >= 0:
        return "", _bad_bytes(
            data,
            nul,
            display,
            "the file contains NUL bytes: it is binary, or not UTF-8 (UTF-16?)",
            "save it as UTF-8 text",
        )
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        message = f"byte 0x{data[exc.start]:02x} is not valid UTF-8"
        return "", _bad_bytes(data, exc.start, display, message, "save the file as UTF-8 text")
    bad = _NOT_PRINTABLE.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        return "", _error(
            "SS102",
            f"control character U+{ord(bad.group()):04X} is not allowed in YAML",
            Location(display, line, column),
            'remove it, or write it as an escape inside double quotes (e.g. "\\t")',
        )
    if "\r" in text:
        # A line break either way to YAML; one spelling keeps both parsers and columns in step.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, None


def _load(data: bytes, display: str, limits: LoadLimits, reread: Callable[[], bytes]) -> FileLoad:
    text, problem = decode(data, display)
    if problem is not None:
        return FileLoad(display, (), (problem,))
    fast = load_fast(text, limits)
    if fast is not None:
        source = _PreciseOnDemand(display, limits, reread, zlib.crc32(data))
        documents = tuple(
            LoadedDocument(doc, Origin(display, ordinal, first_line, _positions_of(source, ordinal)))
            for ordinal, (doc, first_line) in enumerate(fast)
        )
        return FileLoad(display, documents, ())
    from syncspec.spec.loading.precise import parse_precise  # PyYAML: only for files the fast path declines

    return from_precise(parse_precise(text, display, limits), display)


def from_precise(result: PreciseResult, display: str) -> FileLoad:
    """The FileLoad for a precise parse (documents with errors are left out)."""
    documents = tuple(
        LoadedDocument(doc.data, Origin(display, doc.ordinal, doc.first_line, _fixed(doc.positions)))
        for doc in result.documents
        if doc.ok
    )
    diagnostics = list(result.diagnostics)
    if not result.documents and not diagnostics:
        diagnostics.append(
            _error(
                "SS104",
                "empty file: it holds no YAML document",
                Location(display, 1, 1),
                "add the configuration (starting with 'kind:') or delete the file",
            )
        )
    broken = tuple(
        LoadedDocument(names, Origin(display, doc.ordinal, doc.first_line, _fixed(doc.positions)))
        for doc in result.documents
        if not doc.ok and (names := _identity(doc.readable))
    )
    return FileLoad(display, documents, tuple(diagnostics), broken)


def _identity(readable: object) -> dict[str, str]:
    """The `kind` and `name` of a broken document, when both could be read as text."""
    if not isinstance(readable, dict):
        return {}
    kind, name = readable.get("kind"), readable.get("name")
    return {"kind": kind, "name": name} if isinstance(kind, str) and isinstance(name, str) else {}


class _PreciseOnDemand:
    """Re-parses a fast-loaded file precisely, once, when a position is first needed."""

    def __init__(self, display: str, limits: LoadLimits, reread: Callable[[], bytes], crc: int) -> None:
        self._display = display
        self._limits = limits
        self._reread: Callable[[], bytes] | None = reread
        self._crc = crc
        self._indexes: dict[int, PositionIndex] | None = None

    def index(self, ordinal: int) -> PositionIndex:
        if self._indexes is None:
            self._indexes = self._parse()
            self._reread = None
        return self._indexes.get(ordinal, {})

    def _parse(self) -> dict[int, PositionIndex]:
        assert self._reread is not None
        try:
            data = self._reread()
        except OSError:
            return {}  # the file went away; locations fall back to document start lines
        if zlib.crc32(data) != self._crc:
            return {}  # changed since it was loaded: its positions would point at the wrong lines
        text, problem = decode(data, self._display)
        if problem is not None:
            return {}
        from syncspec.spec.loading.precise import parse_precise

        result = parse_precise(text, self._display, self._limits)
        return {doc.ordinal: doc.positions for doc in result.documents}


def _positions_of(source: _PreciseOnDemand, ordinal: int) -> Callable[[], PositionIndex]:
    return lambda: source.index(ordinal)


def _fixed(index: PositionIndex) -> Callable[[], PositionIndex]:
    return lambda: index


def _bad_bytes(data: bytes, offset: int, display: str, message: str, hint: str) -> Diagnostic:
    line = data.count(b"\n", 0, offset) + 1
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    return _error("SS102", f"{message} (byte offset {offset})", Location(display, line, column), hint)


def _too_large(display: str, limits: LoadLimits) -> FileLoad:
    return FileLoad(display, (), (too_large(display, limits),))


def too_large(display: str, limits: LoadLimits) -> Diagnostic:
    """SS106 for a file over `limits.max_bytes` (fmt refuses such files the same way)."""
    mib = limits.max_bytes / (1024 * 1024)
    return _error(
        "SS106",
        f"file is larger than the {mib:g} MiB limit; it was not read",
        Location(display, 1, 1),
        "split the configuration into several files",
    )


def _failed(display: str, code: str, message: str, hint: str) -> FileLoad:
    return FileLoad(display, (), (_error(code, message, Location(display, 1, 1), hint),))


def _error(code: str, message: str, location: Location, hint: str) -> Diagnostic:
    return Diagnostic(Severity.ERROR, code, message, location, hint)
