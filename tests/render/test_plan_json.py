from __future__ import annotations

import io

from syncspec.model.desired import ConnectionDesired
from syncspec.plan.planfile import write_plan
from syncspec.render.plan_json import render_plan_json
from tests.support.factories import connection_doc, desired, live, make_plan


def test_json_output_is_the_plan_file() -> None:
    plan = make_plan(desired(ConnectionDesired(connection=connection_doc(description="x"))), live())
    out = io.StringIO()
    render_plan_json(plan, out)
    assert out.getvalue() == write_plan(plan)
    assert '"description": "x"' in out.getvalue()
