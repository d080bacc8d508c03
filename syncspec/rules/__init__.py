"""Semantic validation of the desired state against tenant metadata (codes SS301-SS324)."""

from __future__ import annotations

from syncspec.rules.engine import check_rules

__all__ = ["check_rules"]
