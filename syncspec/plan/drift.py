"""Drift: the part of a plan that undoes changes made in the tenant outside syncspec.

A change is drift when live moved away from the last-applied record while the
configuration did not, and a conflict when both moved. Changes the configuration
asks for on its own (not yet applied) are not drift.
"""

from __future__ import annotations

from dataclasses import replace

from syncspec.plan.model import Plan, ReasonKind
from syncspec.plan.planner import summarize

DRIFT_REASONS = (ReasonKind.DRIFT, ReasonKind.CONFLICT)


def drift_only(plan: Plan) -> Plan:
    """The plan reduced to drift and conflict changes; it has no steps: drift is reported, not applied."""
    changes = tuple(c for c in plan.changes if c.reason.kind in DRIFT_REASONS)
    return replace(plan, changes=changes, steps=(), summary=summarize(changes), unmanaged=())
