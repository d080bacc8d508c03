"""What loading a YAML file produces: plain-data documents with their origins, and diagnostics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from syncspec.model.diagnostics import Diagnostic, has_errors
from syncspec.model.source import Origin


@dataclass(frozen=True, eq=False)
class LoadedDocument:
    """One YAML document as plain dict/list/str/int/float/bool/None data, and where it came from."""

    data: Any
    origin: Origin


@dataclass(frozen=True, eq=False)
class FileLoad:
    """Every usable document of one file, plus the located problems found while reading it.

    Documents with errors are left out; the other documents of the file are still usable.
    `broken` holds, for each document with errors whose `kind` and `name` could still be read,
    just those two keys: what it defines still counts for the cross-document checks.
    """

    display: str
    documents: tuple[LoadedDocument, ...]
    diagnostics: tuple[Diagnostic, ...]
    broken: tuple[LoadedDocument, ...] = ()

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)
