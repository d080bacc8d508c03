"""The journal: append-only JSON lines, one event each, and the history built from them.

Every line is written with a single `write` on an O_APPEND descriptor and fsynced, so a
crash leaves at most one cut-short last line, which `read_events` skips. The applier
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

INCOMPLETE = "incomplete"  # an apply_start with no apply_end: killed, or still running


class JournalFile:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def append(self, event: Mapping[str, JsonValue]) -> None:
        line = (json.dumps(dict(event), sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
        with self._lock:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
                try:
                    os.write(fd, line)
                    os.fsync(fd)
                finally:
                    os.close(fd)
            except OSError as exc:
                raise StateError(f"cannot write the journal {self.path}: {exc.strerror}") from None

    def read(self) -> list[dict[str, JsonValue]]:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise StateError(f"cannot read the journal {self.path}: {exc.strerror}") from None
        return read_events(data)


def read_events(data: bytes) -> list[dict[str, JsonValue]]:
    events: list[dict[str, JsonValue]] = []
    for raw in data.split(b"\n"):
        if not raw.strip():
            continue
        try:
            event = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue  # a line cut short by a crash
        if isinstance(event, dict):
            events.append(event)
    return events


@dataclass(frozen=True)
class ApplyRecord:
    """One apply as the journal tells it (history's row)."""

    apply_id: str
    plan_id: str
    who: str
    host: str
    started_at: str
    finished_at: str
    result: str  # succeeded | failed | not_converged | interrupted | incomplete | refused
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
