"""Limits that keep hostile or broken files from exhausting memory, stack or time."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LoadLimits:
    """Bounds applied to every file; each has its own diagnostic code."""

    max_bytes: int = 10 * 1024 * 1024  # SS106; a large real config is well under 1 MiB
    max_depth: int = 64  # SS107; real files nest about 5 levels
    max_alias_nodes: int = 100_000  # SS108; nodes added by alias expansion, per file
    # yaml-rs (the fast parser) recurses per nesting level; block nesting is bounded by
    # line length, so longer lines go to the event-based precise path, which cannot overflow.
    fast_max_line: int = 1000


DEFAULT_LIMITS = LoadLimits()
