"""Versioned machine output: JSON lines, each with a level, a message, a time and a type.

The stream's first line is a `version` event (syncspec's version and `FORMAT_VERSION`);
every line carries `@level`, `@message`, `@timestamp` and `type`, as `terraform apply -json`
does, so a CI log reader can filter by level and show messages without knowing each type.
Errors and notes are events too. docs/machine-output.md describes the types; the JSON
Schema is schemas/machine-output.schema.json.

`FORMAT_VERSION` is `MAJOR.MINOR`: a new type or key raises MINOR, removing or changing the
meaning of one raises MAJOR.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TextIO

from syncspec import __version__
from syncspec.model.diagnostics import Diagnostic
from syncspec.model.errors import ConfigError, SyncspecError
from syncspec.render.diagnostics import diagnostic_to_json

FORMAT_VERSION = "1.0"
LEVELS = ("trace", "debug", "info", "warn", "error")


def timestamp(moment: datetime) -> str:
    """RFC 3339 in UTC with microseconds, as Terraform's `@timestamp` (but always `Z`)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


class EventStream:
    """Writes one JSON object per line to `stream`, flushed at once (a CI log shows it live)."""

    def __init__(self, stream: TextIO, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.stream = stream
        self.clock = clock

    def emit(self, type_: str, message: str, *, level: str = "info", **fields: object) -> None:
        assert level in LEVELS, level
        header = {"@level": level, "@message": message, "@timestamp": timestamp(self.clock()), "type": type_}
        self.stream.write(json.dumps({**header, **fields}, sort_keys=True, ensure_ascii=False) + "\n")
        self.stream.flush()

    def version(self, command: str) -> None:
        """The first line: who wrote the stream and in which format."""
        self.emit(
            "version",
            f"syncspec {__version__}",
            syncspec=__version__,
            format_version=FORMAT_VERSION,
            command=command,
        )

    def note(self, text: str, *, level: str = "info") -> None:
        self.emit("note", text, level=level)

    def error(self, exc: SyncspecError) -> None:
        """A refusal or error: each located diagnostic of a ConfigError, then the error itself."""
        if isinstance(exc, ConfigError):
            for diagnostic in exc.diagnostics:
                self.emit(
                    "diagnostic",
                    diagnostic.message,
                    level=_DIAGNOSTIC_LEVEL.get(diagnostic.severity.value, "info"),
                    diagnostic=diagnostic_object(diagnostic),
                )
        self.emit("error", exc.message, level="error", error=error_object(exc))

    @contextmanager
    def errors_reported(self) -> Iterator[None]:
        """Report a SyncspecError as events, then let it go on to the CLI's error boundary
        (which prints it as text on stderr and picks the exit code)."""
        try:
            yield
        except SyncspecError as exc:
            self.error(exc)
            raise


class NoteLines:
    """A text stream for one-line notes (`note: ...`): copied to `text` as they are and written
    to `events` as note events, so a reader of either sees them."""

    def __init__(self, events: EventStream, text: TextIO | None) -> None:
        self.events = events
        self.text = text
        self._pending = ""

    def write(self, data: str) -> int:
        if self.text is not None:
            self.text.write(data)
        self._pending += data
        *lines, self._pending = self._pending.split("\n")
        for line in lines:
            if line.strip():
                self.events.note(line.removeprefix("note: "), level=_note_level(line))
        return len(data)

    def flush(self) -> None:
        if self.text is not None:
            self.text.flush()

    def isatty(self) -> bool:
        return False


def _note_level(line: str) -> str:
    if line.startswith("Error:"):
        return "error"
    return "warn" if line.startswith("warning:") else "info"


_DIAGNOSTIC_LEVEL = {"error": "error", "warning": "warn", "info": "info"}


def diagnostic_object(diagnostic: Diagnostic) -> dict[str, object]:
    """A diagnostic as `validate --format json` shows it."""
    return dict(diagnostic_to_json(diagnostic))


def error_object(exc: SyncspecError) -> dict[str, object]:
    return {"kind": type(exc).__name__, "message": exc.message, "hint": exc.hint or ""}


def error_document(exc: SyncspecError) -> Mapping[str, object]:
    """What `plan --output json` prints instead of a plan when it fails: still one document."""
    diagnostics = [diagnostic_object(d) for d in exc.diagnostics] if isinstance(exc, ConfigError) else []
    return {
        "format_version": FORMAT_VERSION,
        "syncspec_version": __version__,
        "result": "error",
        "error": error_object(exc),
        "diagnostics": diagnostics,
    }


def write_error_document(exc: SyncspecError, stream: TextIO) -> None:
    stream.write(json.dumps(error_document(exc), indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    stream.flush()


@contextmanager
def error_document_on_failure(stream: TextIO) -> Iterator[None]:
    """`--output json` promises one JSON document: on a SyncspecError it is the error document,
    then the error goes on to the CLI's boundary (text on stderr, the exit code)."""
    try:
        yield
    except SyncspecError as exc:
        write_error_document(exc, stream)
        raise
