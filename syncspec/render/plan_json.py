"""Plan as JSON: exactly the plan file document."""

from __future__ import annotations

from typing import TextIO

from syncspec.plan.model import Plan
from syncspec.plan.planfile import write_plan


def render_plan_json(plan: Plan, stream: TextIO) -> None:
    stream.write(write_plan(plan))
