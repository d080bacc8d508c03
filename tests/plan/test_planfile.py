from __future__ import annotations

import json

import pytest

from syncspec.model.desired import ConnectionDesired
from syncspec.model.errors import PlanError
from syncspec.plan.planfile import read_plan, write_plan
from tests.plan.factories import connection_doc, desired, live, make_plan, mappings, ranking


def sample_text() -> str:
    aggregate = ConnectionDesired(connection=connection_doc(description="New")).with_document(
        mappings({"NAME": {"crm": "contact.name"}})
    )
    return write_plan(make_plan(desired(aggregate.with_document(ranking(("NAME",)))), live()))


def test_canonical_form_round_trips() -> None:
    text = sample_text()
    assert text.endswith("}\n") and text.startswith('{\n  "changes"')
    assert write_plan(read_plan(text)) == text


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        pytest.param(lambda d: d.update(format_version=2), "unsupported plan format_version 2", id="version"),
        pytest.param(lambda d: d.pop("steps"), "missing field 'steps'", id="missing"),
        pytest.param(lambda d: d.update(changes={}), "expected a list", id="wrong-type"),
        pytest.param(
            lambda d: d["changes"][0].update(action="explode"), "'explode' is not a valid Action", id="enum"
        ),
    ],
)
def test_bad_plan_files_are_refused_clearly(mutate: object, message: str) -> None:
    document = json.loads(sample_text())
    mutate(document)  # type: ignore[operator]
    with pytest.raises(PlanError, match=message):
        read_plan(json.dumps(document))


def test_not_json_is_located() -> None:
    with pytest.raises(PlanError, match=r"not valid JSON \(line 1, column 2\)"):
        read_plan("{oops")
