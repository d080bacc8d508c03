"""`syncspec schema --env`: the JSON Schemas specialised to an environment's metadata, and their files."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from syncspec.spec.schema.packaged import schema_filename

if TYPE_CHECKING:
    from syncspec.model.metadata import Metadata


def specialised_texts(kinds: tuple[str | None, ...], metadata: Metadata, label: str) -> dict[str | None, str]:
    """Each kind's schema specialised to `metadata`, as the JSON text written to disk."""
    from syncspec.spec.schema.packaged import load_schema
    from syncspec.spec.schema.specialize import specialize

    return {
        kind: json.dumps(
            specialize(kind, load_schema(kind), metadata, label=label), indent=2, ensure_ascii=False
        )
        + "\n"
        for kind in kinds
    }


def write_texts(out_dir: Path, texts: Mapping[str | None, str]) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, text in texts.items():
        path = out_dir / schema_filename(kind)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written
