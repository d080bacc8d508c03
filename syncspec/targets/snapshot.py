"""Metadata snapshots: `.syncspec/metadata/<env>.json`, for offline validation and editor schemas.

The file is canonical JSON (sorted keys, 2-space indent, trailing newline) so a new
pull diffs cleanly in git. Ordered things (a connector's config fields, an actor's
fields) are lists; everything else is an object with sorted keys. Metadata carries
no config values, so neither does a snapshot. `digest` is the sha256 of the content
alone (not the time, target or digest), so two pulls of an unchanged tenant agree
and plan files can record which metadata they were made against.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syncspec.model.errors import TargetError
from syncspec.model.files import write_atomic
from syncspec.model.metadata import (
    ActorMeta,
    ConnectionMeta,
    ConnectorMeta,
    CrmFieldMeta,
    Metadata,
)
from syncspec.targets.snapshot_decode import decode_content

FORMAT_VERSION = 1
PULL_HINT = "run `syncspec metadata pull` to take a new snapshot"


@dataclass(frozen=True)
class Snapshot:
    metadata: Metadata
    target: str
    digest: str
    format_version: int = FORMAT_VERSION


def metadata_digest(metadata: Metadata) -> str:
    """`sha256:<hex>` of the canonical content; independent of when and from where it was read."""
    return _digest_of(metadata_content(metadata))


def metadata_content(metadata: Metadata) -> dict[str, Any]:
    """The JSON content of a snapshot, without the envelope (version, time, target, digest)."""
    return {
        "connectors": {name: _connector(c) for name, c in metadata.connectors.items()},
        "connections": {name: _connection(c) for name, c in metadata.connections.items()},
        "crm_fields": {key: _crm_field(f) for key, f in metadata.crm_fields.items()},
        "crm_lists": {
            name: [{"id": item_id, "name": text} for item_id, text in sorted(lst.items.items())]
            for name, lst in metadata.crm_lists.items()
        },
        "users": sorted(metadata.users),
        "groups": sorted(metadata.groups),
    }


# A snapshot is meant to be committed and shared with the team, so it is readable by others,
# as a file created under the usual umask is.
SNAPSHOT_MODE = 0o644


def dump_snapshot(metadata: Metadata, *, target: str = "") -> str:
    content = metadata_content(metadata)
    document = {
        "format_version": FORMAT_VERSION,
        "taken_at": metadata.taken_at,
        "target": target,
        "digest": _digest_of(content),
        **content,
    }
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def write_snapshot(metadata: Metadata, path: Path, *, target: str = "") -> str:
    """Write the snapshot atomically (a reader never sees half a file); returns its digest."""
    text = dump_snapshot(metadata, target=target)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text, mode=SNAPSHOT_MODE)
    return metadata_digest(metadata)


def read_snapshot(path: Path) -> Metadata:
    return load_snapshot(path).metadata


def load_snapshot(path: Path) -> Snapshot:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TargetError(f"no metadata snapshot at {path}", hint=PULL_HINT) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TargetError(f"cannot read metadata snapshot {path}: {exc}", hint=PULL_HINT) from None
    return parse_snapshot(text, source=str(path))


def parse_snapshot(text: str, *, source: str) -> Snapshot:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TargetError(
            f"metadata snapshot {source} is not valid JSON (line {exc.lineno}, column {exc.colno})",
            hint=PULL_HINT,
        ) from None
    if not isinstance(document, dict):
        raise TargetError(f"metadata snapshot {source} is not a JSON object", hint=PULL_HINT)
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise TargetError(f"metadata snapshot {source} has no format_version", hint=PULL_HINT)
    if version > FORMAT_VERSION:
        raise TargetError(
            f"metadata snapshot {source} has format_version {version}; this syncspec reads up to "
            f"{FORMAT_VERSION}",
            hint="upgrade syncspec, or " + PULL_HINT,
        )
    if version < 1:
        raise TargetError(
            f"metadata snapshot {source} has an invalid format_version {version}", hint=PULL_HINT
        )
    envelope = {"format_version", "taken_at", "target", "digest"}
    content = {key: value for key, value in document.items() if key not in envelope}
    taken_at, target, digest = (document.get(key) for key in ("taken_at", "target", "digest"))
    if not all(isinstance(v, str) for v in (taken_at, target, digest)):
        raise TargetError(
            f"metadata snapshot {source}: taken_at, target and digest must be strings", hint=PULL_HINT
        )
    assert isinstance(taken_at, str) and isinstance(target, str) and isinstance(digest, str)
    metadata = decode_content(content, source=source, taken_at=taken_at)
    actual = metadata_digest(metadata)
    if actual != digest:
        raise TargetError(
            f"metadata snapshot {source} does not match its digest (edited by hand or damaged)",
            hint=PULL_HINT,
        )
    return Snapshot(metadata=metadata, target=target, digest=digest, format_version=version)


def _digest_of(content: Mapping[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- encoding ---------------------------------------------------------------------------------


def _connector(c: ConnectorMeta) -> dict[str, Any]:
    return {
        "url": c.url,
        "config_fields": [
            {
                "key": f.key,
                "display_name": f.display_name,
                "field_type": str(f.field_type),
                "access": str(f.access),
                "list_name": f.list_name,
                "default_value": f.default_value,
                "max_length": f.max_length,
            }
            for f in c.config_fields.values()
        ],
        "config_lists": {name: dict(items) for name, items in c.config_lists.items()},
    }


def _connection(c: ConnectionMeta) -> dict[str, Any]:
    return {
        "connector": c.connector,
        "borrowed_from": c.borrowed_from,
        "actors": {str(actor): _actor(a) for actor, a in c.actors.items()},
        "erp_lists": {name: dict(items) for name, items in c.erp_lists.items()},
    }


def _actor(a: ActorMeta) -> dict[str, Any]:
    return {
        "crm_actor": str(a.crm_actor),
        "fields": [
            {
                "key": f.key,
                "display_name": f.display_name,
                "field_type": str(f.field_type),
                "access": str(f.access),
                "list_name": f.list_name,
                "max_length": f.max_length,
                "missing_in_erp": f.missing_in_erp,
            }
            for f in a.fields.values()
        ],
    }


def _crm_field(f: CrmFieldMeta) -> dict[str, Any]:
    return {
        "display_name": f.display_name,
        # null: the tenant does not tell (the REST path knows only keys and names)
        "crm_actor": None if f.crm_actor is None else str(f.crm_actor),
        "field_type": None if f.field_type is None else str(f.field_type),
        "read_only": f.read_only,
        "list_name": f.list_name,
    }
