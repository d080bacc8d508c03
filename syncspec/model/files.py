"""Replacing a file whole, so a reader sees the old text or the new one and never half of it.

Used by every layer that writes a file syncspec owns (formatted YAML, imported YAML, metadata
snapshots, state and plan files); it lives in `model/` because `targets/` and `state/` need it
and may import nothing above `model/`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str, *, mode: int | None = None) -> None:
    """Replace `path` with `text` (UTF-8), flushed to disk before it takes the name.

    The text goes to a temporary file beside `path` (created owner-only, under a name no other
    writer can take), which is then renamed over `path`. `mode` gives the new file's permission
    bits; without it the replaced file's bits are kept, and a new file stays owner-only (0600).
    `path` is taken as named: a caller that wants a symbolic link followed resolves it first.
    """
    if mode is None and path.exists():
        mode = path.stat().st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
