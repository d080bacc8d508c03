"""Applying one environment's plan: the secrets it sends and the follow-up planner."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from syncspec.workspace.session import Session


def follow_up_planner(session: Session) -> Callable[[str, Any], Any]:
    """Steps that finish a connection this apply created: planned again from fresh reads, once the
    tenant has discovered its fields (the approved configuration asked for them)."""
    from syncspec.workspace.session import PlanRequest

    def steps_for(name: str, fresh: Any) -> Any:
        metadata = session.target().read_metadata(fresh=True)
        again = session.make_plan(PlanRequest(only=(f"connection.{name}",)), live=fresh, metadata=metadata)
        return [step for step in again.steps if step.connection == name]

    return steps_for
