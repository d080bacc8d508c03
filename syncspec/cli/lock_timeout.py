"""`--lock-timeout SECONDS`: a finite, non-negative wait, checked when the options are parsed.

click's FloatRange(0) lets `nan` through (every comparison with nan is false) and `inf`,
and either makes the lock wait forever; a negative value is refused as well.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    _Base = click.ParamType[float]
else:  # ParamType is generic only in newer click releases; the lowest supported one is plain
    _Base = click.ParamType

# A day: longer than any apply, short enough that a typo cannot park a CI job for good.
MAX_LOCK_TIMEOUT = 24 * 60 * 60.0


class LockTimeout(_Base):
    name = "seconds"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> float:
        if isinstance(value, float) and math.isfinite(value) and 0 <= value <= MAX_LOCK_TIMEOUT:
            return value
        try:
            seconds = float(str(value).strip())
        except ValueError:
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not math.isfinite(seconds) or not 0 <= seconds <= MAX_LOCK_TIMEOUT:
            self.fail(f"{value!r} is not a number of seconds from 0 to {MAX_LOCK_TIMEOUT:g}", param, ctx)
        return seconds


LOCK_TIMEOUT = LockTimeout()
