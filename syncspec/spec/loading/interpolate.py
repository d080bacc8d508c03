"""`${env:NAME}` and `${var:NAME}` references inside string values.

`${env:...}` reads the process environment and marks the result sensitive: it is never
printed, stored or put into a message. `${var:...}` reads the environment's variables
from syncspec.yaml. `$${` is a literal `${`. Anything else containing `${` is left as
it is (the schema decides whether such text is allowed).

Only a Connection's config values (and syncspec.yaml's target and state settings) are
resolved; `spec.crossdoc` refuses a reference anywhere else (SS222) rather than let it be
sent as written. Every `${env:...}` is a secret whatever field it is in; `${var:...}` is not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from syncspec.model.redact import MASK
from syncspec.model.text import scalar_text

Source = Literal["env", "var"]

# `$${` first, so that an escaped opener is consumed before it can start a reference.
_TOKEN = re.compile(r"\$\$\{|\$\{(env|var):([A-Za-z_][A-Za-z0-9_.-]*)\}")


@dataclass(frozen=True)
class Reference:
    """One `${source:name}` in a string; `start`/`end` are offsets into that string."""

    source: Source
    name: str
    start: int
    end: int

    def __str__(self) -> str:
        return f"${{{self.source}:{self.name}}}"


@dataclass(frozen=True)
class Resolved:
    """A string with its references replaced; `sensitive` if any came from the environment."""

    value: str
    sensitive: bool
    missing: tuple[Reference, ...] = ()

    def __repr__(self) -> str:
        shown = repr(MASK if self.sensitive else self.value)
        return f"Resolved(value={shown}, sensitive={self.sensitive}, missing={self.missing!r})"

    __str__ = __repr__


def find_references(value: str) -> list[Reference]:
    """Every `${env:...}` / `${var:...}` in `value`, in order; escaped `$${` is skipped."""
    found: list[Reference] = []
    for match in _TOKEN.finditer(value):
        source = match.group(1)
        if source is not None:
            found.append(
                Reference("env" if source == "env" else "var", match.group(2), match.start(), match.end())
            )
    return found


def env_name_for(connection: str, key: str) -> str:
    """`demo-norway`, `password` -> `DEMO_NORWAY_PASSWORD`: a valid `${env:...}` name for a
    connection's config key (the one `import` writes, see `spec.writer.env_var_name`)."""
    name = re.sub(r"[^A-Z0-9_]+", "_", f"{connection}_{key}".upper()).strip("_")
    return f"_{name}" if name[:1].isdigit() else name


def resolve(value: str, *, env: Mapping[str, str], vars: Mapping[str, object]) -> Resolved:
    """Replace references; unknown ones stay as written and are listed in `missing`.

    A `${var:...}` whose value is not a string is written in its YAML-ish text form
    (`true`, `12`); a value that is exactly one reference keeps the text form as well,
    since every connector config field is text.
    """
    parts: list[str] = []
    missing: list[Reference] = []
    sensitive = False
    last = 0
    for match in _TOKEN.finditer(value):
        parts.append(value[last : match.start()])
        last = match.end()
        source, name = match.group(1), match.group(2)
        if source is None:
            parts.append("${")
            continue
        if source == "env":
            sensitive = True
            if name in env:
                parts.append(env[name])
                continue
        elif name in vars:
            parts.append(_text(vars[name]))
            continue
        missing.append(Reference("env" if source == "env" else "var", name, match.start(), match.end()))
        parts.append(match.group(0))
    parts.append(value[last:])
    return Resolved("".join(parts), sensitive, tuple(missing))


def _text(value: object) -> str:
    return "" if value is None else scalar_text(value)
