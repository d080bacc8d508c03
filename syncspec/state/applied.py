"""The last-applied store of the local backend: one JSON file, replaced atomically."""

from __future__ import annotations

import json
import threading
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from syncspec.model.applied import JsonValue, LastApplied
from syncspec.model.errors import StateError
from syncspec.state.base import under
from syncspec.state.files import write_private

FILE_VERSION = 1


class LastAppliedFile:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def read(self) -> LastApplied:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return LastApplied.empty()
        except OSError as exc:
            raise StateError(f"cannot read {self.path}: {exc.strerror}") from None
        try:
            data = json.loads(text)
            return _decode(data)
        except (json.JSONDecodeError, TypeError, ValueError, KeyError) as exc:
            raise StateError(
                f"the last-applied record {self.path} is malformed: {exc}",
                hint="delete it: the next plan then attributes every change to the configuration",
            ) from None

    def update(
        self,
        values: Mapping[str, Mapping[str, JsonValue]],
        *,
        drop: Collection[str],
        plan_id: str,
        applied_at: str,
    ) -> None:
        with self._lock:
            current = self.read()
            merged = {
                address: dict(attributes)
                for address, attributes in current.values.items()
                if not any(under(address, prefix) for prefix in drop)
            }
            for address, attributes in values.items():
                merged[address] = dict(attributes)
            document = {
                "format_version": FILE_VERSION,
                "applied_at": applied_at,
                "plan_id": plan_id,
                "values": {a: merged[a] for a in sorted(merged)},
            }
            self._write(json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False) + "\n")

    def _write(self, text: str) -> None:
        try:
            write_private(self.path, text)  # readers see the old file or the new one, never half
        except OSError as exc:
            raise StateError(f"cannot write {self.path}: {exc.strerror}") from None


def _decode(data: Any) -> LastApplied:
    if not isinstance(data, dict) or data.get("format_version") != FILE_VERSION:
        raise ValueError("unknown format_version")
    values = data["values"]
    if not isinstance(values, dict) or not all(isinstance(v, dict) for v in values.values()):
        raise TypeError("values must map addresses to objects")
    return LastApplied(values=values, applied_at=str(data["applied_at"]), plan_id=str(data["plan_id"]))
