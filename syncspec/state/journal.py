"""The journal: append-only JSON lines, one event each, and the history built from them.

Every line is written with a single `write` on an O_APPEND descriptor and fsynced, so a
crash leaves at most one cut-short last line. The next append starts on a fresh line (it
writes a newline first when the file does not end with one), so the torn line never
swallows the event after it. Reading keeps every line that parses as an event and skips
the others (a torn line, damage, garbage), counting them so that `history` can say so
once; an event glued to the end of a torn line by an older syncspec is recovered. The
file is created owner-only (0600; folder 0700): it names people, hosts and plans. The applier
writes events of these types (all with `apply_id` and `at`): `apply_start`,
`connection_start`, `step_start`, `step_end`, `restore_start`, `restore_end`,
`connection_end`, `apply_end`. None carries a secret value; fingerprints only.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from syncspec.model.applied import JsonValue
from syncspec.model.errors import StateError
from syncspec.state.files import OWNER_ONLY, private_dir, tighten

INCOMPLETE = "incomplete"  # an apply_start with no apply_end: killed, or still running
# How many `{"` in one unreadable line are tried as the start of a glued event: bounds the work
# a line of garbage can cost.
_GLUE_CANDIDATES = 64


class JournalFile:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self.unreadable: tuple[int, ...] = ()  # line numbers (1-based) the last `read` skipped

    def append(self, event: Mapping[str, JsonValue]) -> None:
        line = (json.dumps(dict(event), sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock:
            try:
                private_dir(self.path.parent)
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, OWNER_ONLY)
                try:
                    tighten(fd)
                    os.write(fd, _fresh_line(fd) + line)  # one write: lines never interleave
                    os.fsync(fd)
                finally:
                    os.close(fd)
            except OSError as exc:
                raise StateError(f"cannot write the journal {self.path}: {exc.strerror}") from None

    def read(self) -> list[dict[str, JsonValue]]:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            self.unreadable = ()
            return []
        except OSError as exc:
            raise StateError(f"cannot read the journal {self.path}: {exc.strerror}") from None
        read = scan_events(data)
        self.unreadable = read.unreadable
        return read.events


def _fresh_line(fd: int) -> bytes:
    """A newline if the file's last byte is not one (a line torn by a crash), else nothing."""
    size = os.fstat(fd).st_size
    if size == 0:
        return b""
    return b"" if os.pread(fd, 1, size - 1) == b"\n" else b"\n"


@dataclass(frozen=True)
class JournalRead:
    events: list[dict[str, JsonValue]]
    unreadable: tuple[int, ...]  # 1-based numbers of the lines that were skipped


def read_events(data: bytes) -> list[dict[str, JsonValue]]:
    return scan_events(data).events


def scan_events(data: bytes) -> JournalRead:
    """Every event the journal's lines hold, and which lines held none."""
    events: list[dict[str, JsonValue]] = []
    unreadable: list[int] = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        event = _event(raw)
        if event is None:
            unreadable.append(number)
            event = _glued_event(raw)
        if event is not None:
            events.append(event)
    return JournalRead(events, tuple(unreadable))


def _event(raw: bytes) -> dict[str, JsonValue] | None:
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: `[[[[...` garbage
        return None
    return value if isinstance(value, dict) else None


def _glued_event(raw: bytes) -> dict[str, JsonValue] | None:
    """An event appended after a torn line without a newline between (older syncspec did)."""
    start = raw.find(b'{"', 1)
    for _ in range(_GLUE_CANDIDATES):
        if start < 0:
            return None
        event = _event(raw[start:])
        if event is not None and "event" in event:
            return event
        start = raw.find(b'{"', start + 1)
    return None


def unreadable_note(path: object, lines: Sequence[int]) -> str:
    """One line saying which journal lines were skipped (for `history`)."""
    shown = ", ".join(str(n) for n in lines[:5]) + (", ..." if len(lines) > 5 else "")
    plural = "line" if len(lines) == 1 else "lines"
    return (
        f"warning: the journal {path} has {len(lines)} unreadable {plural} (line {shown}), skipped: "
        "a write cut short by a crash, or damage; every readable event is shown"
    )


@dataclass(frozen=True)
class ApplyRecord:
    """One apply as the journal tells it (history's row)."""

    apply_id: str
    plan_id: str
    who: str
    host: str
    started_at: str
    finished_at: str
    result: str  # succeeded | partial | failed | not_converged | interrupted | incomplete | refused
    changes: int
    steps_total: int
    steps_done: int
    connections: Mapping[str, str]  # name -> status

    def to_dict(self) -> dict[str, JsonValue]:
        return {
            "apply_id": self.apply_id,
            "plan_id": self.plan_id,
            "who": self.who,
            "host": self.host,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "result": self.result,
            "changes": self.changes,
            "steps_total": self.steps_total,
            "steps_done": self.steps_done,
            "connections": dict(self.connections),
        }


def history(events: Sequence[Mapping[str, JsonValue]]) -> list[ApplyRecord]:
    """Applies in the order they started; one without `apply_end` is `incomplete`."""
    starts: dict[str, Mapping[str, JsonValue]] = {}
    ends: dict[str, Mapping[str, JsonValue]] = {}
    done: dict[str, int] = {}
    connections: dict[str, dict[str, str]] = {}
    for event in events:
        apply_id = str(event.get("apply_id", ""))
        kind = event.get("event")
        if kind == "apply_start":
            starts[apply_id] = event
        elif kind == "apply_end":
            ends[apply_id] = event
        elif kind == "step_end" and event.get("result") == "ok":
            done[apply_id] = done.get(apply_id, 0) + 1
        elif kind == "connection_end":
            per_apply = connections.setdefault(apply_id, {})
            per_apply[str(event.get("connection", ""))] = str(event.get("status", ""))
    records = []
    for apply_id, start in starts.items():
        end = ends.get(apply_id, {})
        records.append(
            ApplyRecord(
                apply_id=apply_id,
                plan_id=str(start.get("plan_id", "")),
                who=str(start.get("who", "")),
                host=str(start.get("host", "")),
                started_at=str(start.get("at", "")),
                finished_at=str(end.get("at", "")),
                result=str(end.get("result", INCOMPLETE)),
                changes=_int(start.get("changes")),
                # the end's count includes steps planned during the apply; a killed apply has none
                steps_total=_int(end.get("steps_total")) or _int(start.get("steps")),
                steps_done=done.get(apply_id, 0),
                connections=connections.get(apply_id, {}),
            )
        )
    return records


def _int(value: JsonValue) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def left_switched_off(events: Sequence[Mapping[str, JsonValue]]) -> dict[str, str]:
    """Connections an apply switched off and, cut short (no `apply_end`), never switched on again.

    name -> the id of that apply. An apply deactivates a connection to change it and activates
    it at the end of its unit; kill -9 between the two leaves it off. A deactivation counts
    from its `step_start` (the call may have gone through before the process died). A later
    successful `activate` step, a clean `restore_end`, or a finished later apply's
    `connection_end` for the connection clears it. Callers compare with the live state: only
    a connection still inactive is left off.
    """
    ended = {event.get("apply_id") for event in events if event.get("event") == "apply_end"}
    off: dict[str, str] = {}
    for event in events:
        name, kind, apply_id = event.get("connection"), event.get("event"), event.get("apply_id")
        if not isinstance(name, str) or not name:
            continue
        if kind == "step_start" and event.get("kind") == "deactivate" and apply_id not in ended:
            off[name] = str(apply_id)
        elif _settles(event, ended):
            off.pop(name, None)
    return off


def _settles(event: Mapping[str, JsonValue], ended: set[JsonValue]) -> bool:
    """The event shows its connection switched on again, restored, or finished by a complete apply."""
    kind = event.get("event")
    if kind == "step_end":
        return event.get("kind") == "activate" and event.get("result") == "ok"
    if kind == "restore_end":
        return not event.get("errors") and not event.get("remaining")
    return kind == "connection_end" and event.get("apply_id") in ended
