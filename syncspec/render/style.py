"""Terminal styling: colour only on a terminal, never when NO_COLOR is set or --no-color given."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TextIO

from syncspec.model.diagnostics import Severity

_RESET = "\x1b[0m"
_CODES = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "blue": "34", "cyan": "36"}
_SEVERITY_COLOUR = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


@dataclass(frozen=True)
class Style:
    colour: bool = False

    @classmethod
    def plain(cls) -> Style:
        return cls(colour=False)

    @classmethod
    def for_stream(cls, stream: TextIO, *, no_color: bool = False) -> Style:
        if no_color or os.environ.get("NO_COLOR"):
            return cls(colour=False)
        isatty = getattr(stream, "isatty", None)
        return cls(colour=bool(isatty and isatty()))

    def paint(self, text: str, *names: str) -> str:
        if not self.colour or not names:
            return text
        codes = ";".join(_CODES[n] for n in names)
        return f"\x1b[{codes}m{text}{_RESET}"

    def bold(self, text: str) -> str:
        return self.paint(text, "bold")

    def dim(self, text: str) -> str:
        return self.paint(text, "dim")

    def severity(self, severity: Severity) -> str:
        return self.paint(severity.value, _SEVERITY_COLOUR[severity], "bold")
