"""Owner-only files and folders for what syncspec keeps on disk.

State, journals, plan files and snapshots name people, hosts and tenants, and the embedded
tenant file holds the ERP password (as SuperOffice's own database does), so nothing syncspec
writes there is for other users of the machine: files are created 0600 and the folders
syncspec creates for them 0700. Folders that already exist are left as they are; a file
syncspec appends to again (the journal) is tightened when an older version left it readable
by others, and files replaced whole are new files, created 0600.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from syncspec.model.files import write_atomic

OWNER_ONLY = 0o600
OWNER_ONLY_DIR = 0o700


def private_dir(path: Path) -> None:
    """Create `path` and any missing parents as owner-only folders (existing ones untouched)."""
    missing: list[Path] = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made by a concurrent run: fine
            folder.mkdir(mode=OWNER_ONLY_DIR)


def tighten(fd: int) -> None:
    """Drop group and other permissions from an open file of ours that has any."""
    mode = os.fstat(fd).st_mode
    if stat.S_IMODE(mode) & 0o077:
        os.fchmod(fd, stat.S_IMODE(mode) & 0o700)


def write_private(path: Path, text: str) -> None:
    """Replace `path` with `text`, atomically (a reader sees the old file or the new), 0600."""
    private_dir(path.parent)
    write_atomic(path, text, mode=OWNER_ONLY)
