"""A plan file saved in format 2 (before typed operations) is still read, verified and applied.

`fixtures/plan-format-2.json` was written, signed with `KEY`, by the syncspec of format 2 for
the example project converged and then changed by `change_everything`.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from syncspec.plan.model import Plan
from syncspec.plan.ops import SaveConnection, Step
from syncspec.plan.planfile import plan_to_dict, read_plan, sha256_of, write_plan
from tests.apply.format2_scenario import KEY, change_everything
from tests.apply.helpers import Project

FIXTURE = Path(__file__).parent / "fixtures" / "plan-format-2.json"


def test_a_signed_format_2_plan_verifies_and_is_written_back_byte_for_byte() -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    plan = read_plan(text, KEY)
    assert plan.format_version == 2
    assert all(type(step) is not Step for step in plan.steps)  # each step its operation's type
    assert any(isinstance(step, SaveConnection) and step.sensitive_keys for step in plan.steps)
    assert write_plan(plan, KEY) == text  # same digest, same signature


def test_a_format_2_plan_runs_the_operations_a_new_plan_runs(project: Project) -> None:
    change_everything(project)
    made = project.plan()
    assert made.format_version == 3
    old = read_plan(FIXTURE.read_text(encoding="utf-8"), KEY)
    assert old.steps == made.steps and old.changes == made.changes
    # The same plan as format 2, for this tenant and this moment (what the fixture cannot know).
    plan = _as_format_2(old, made)
    assert plan.format_version == 2 and plan.steps == made.steps
    result, _ = project.apply(plan)
    assert result.ok, result
    assert not project.plan().steps


def _as_format_2(old: Plan, made: Plan) -> Plan:
    envelope = ("target", "created_at", "expires_at", "fingerprints", "syncspec_version")
    document: dict[str, Any] = plan_to_dict(old)
    fresh = plan_to_dict(made)
    document.update({key: fresh[key] for key in envelope})
    content = {k: v for k, v in document.items() if k != "plan_id"}
    document["plan_id"] = sha256_of(content)
    plan = read_plan(json.dumps(document))
    assert replace(plan, format_version=3, plan_id="") == replace(made, plan_id="")
    return plan
