"""Where a piece of desired state came from: file, document, and the position of any key.

Positions are computed lazily. Valid files are loaded on the fast path, which keeps no
positions; the first time anything asks where a key is (a rule reporting a problem, a
plan citing the line that asks for a change) the file is re-read once by the
position-keeping parser and the answer cached for every document of that file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from syncspec.model.diagnostics import Location

# A JSON path inside one document: mapping keys (str) and sequence indexes (int).
JsonPath = tuple[str | int, ...]
# path -> (line, column), both 1-based, of the key (for mapping entries) or the item.
PositionIndex = Mapping[JsonPath, tuple[int, int]]


def format_json_path(path: JsonPath) -> str:
    """`("fields", "CUSTNO", "crm")` -> `$.fields.CUSTNO.crm`; indexes as `[0]`."""
    out = "$"
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.isidentifier() or part.replace("-", "_").replace(".", "_").isidentifier():
            out += f".{part}"
        else:
            out += "[" + repr(part) + "]"
    return out


@dataclass(eq=False)
class Origin:
    """One YAML document of one file; `locate` turns a JSON path into a Location."""

    file: str
    document: int = 0  # 0-based index of the document within the file
    first_line: int = 1  # line where the document starts (known without positions)
    _positions: Callable[[], PositionIndex] | None = field(default=None, repr=False)
    _cache: PositionIndex | None = field(default=None, repr=False)

    def positions(self) -> PositionIndex:
        if self._cache is None:
            self._cache = self._positions() if self._positions is not None else {}
        return self._cache

    def locate(self, path: JsonPath = ()) -> Location:
        """The location of `path`, or of its nearest ancestor that has one."""
        index = self.positions()
        probe = tuple(path)
        while probe:
            hit = index.get(probe)
            if hit is not None:
                return Location(self.file, hit[0], hit[1], format_json_path(path))
            probe = probe[:-1]
        root = index.get(())
        line, column = root if root is not None else (self.first_line, 1)
        return Location(self.file, line, column, format_json_path(path))
