"""Kept for tests written against this module: the reads live in `tests.support.reads`."""

from __future__ import annotations

from tests.support.reads import field_ranks, sync_priorities

__all__ = ["field_ranks", "sync_priorities"]
