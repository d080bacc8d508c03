from __future__ import annotations

import json
from typing import Any

import pytest

from syncspec.model.desired import ConnectionDesired
from syncspec.model.errors import PlanError
from syncspec.plan.planfile import read_plan, sha256_of, write_plan
from syncspec.plan.signing import KEY_VARIABLE, plan_key
from tests.support.factories import connection_doc, desired, live, make_plan, mappings, ranking

KEY = b"a-plan-signing-key-for-tests"


def sample_text(key: bytes | None = None) -> str:
    aggregate = ConnectionDesired(connection=connection_doc(description="New")).with_document(
        mappings({"NAME": {"crm": "contact.name"}})
    )
    return write_plan(make_plan(desired(aggregate.with_document(ranking(("NAME",)))), live()), key)


def reseal(document: dict[str, Any]) -> str:
    """The document with the plan id recomputed: what someone who knows the format can do."""
    content = {k: v for k, v in document.items() if k not in ("plan_id", "signature")}
    return json.dumps({**document, "plan_id": sha256_of(content)})


def test_canonical_form_round_trips() -> None:
    text = sample_text()
    assert text.endswith("}\n") and text.startswith('{\n  "changes"')
    assert write_plan(read_plan(text)) == text


def test_a_signed_plan_round_trips_with_its_key() -> None:
    text = sample_text(KEY)
    assert '"signature": "hmac-sha256:' in text
    assert write_plan(read_plan(text, KEY), KEY) == text


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        pytest.param(lambda d: d.update(format_version=4), "unsupported plan format_version 4", id="version"),
        pytest.param(lambda d: d.pop("steps"), "missing field 'steps'", id="missing"),
        pytest.param(lambda d: d.update(changes={}), "expected a list", id="wrong-type"),
        pytest.param(
            lambda d: d["changes"][0].update(action="explode"), "'explode' is not a valid Action", id="enum"
        ),
    ],
)
def test_bad_plan_files_are_refused_clearly(mutate: Any, message: str) -> None:
    document = json.loads(sample_text())
    mutate(document)
    with pytest.raises(PlanError, match=message):
        read_plan(reseal(document))


def _add_field_to_a_step(d: dict[str, Any]) -> None:
    step = next(s for s in d["steps"] if s["kind"] == "save_actor_mapping")
    step["data"]["fields"]["EMAIL"] = {"crm": "contact.email", "direction": "both"}


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda d: d.update(expires_at="2999-01-01T00:00:00Z"), id="expiry"),
        pytest.param(_add_field_to_a_step, id="step-data"),
        pytest.param(lambda d: d["fingerprints"].clear(), id="fingerprints"),
        pytest.param(lambda d: d.update(environment="prod"), id="environment"),
        pytest.param(lambda d: d.update(extra="anything"), id="unknown-field"),
    ],
)
def test_a_hand_edited_plan_is_refused(mutate: Any) -> None:
    document = json.loads(sample_text())
    mutate(document)
    with pytest.raises(PlanError, match="changed after it was made: its content does not match its plan_id"):
        read_plan(json.dumps(document))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(
            {"fields": "NAME"}, r"step save_actor_mapping \(.*\): data.fields has the wrong type", id="fields"
        ),
        pytest.param({"sync": "yes"}, r"data.sync has the wrong type or value \('yes'\)", id="sync"),
        pytest.param({"actor": None}, r"data.actor has the wrong type", id="actor"),
    ],
)
def test_a_mistyped_step_is_refused_naming_the_step_and_field(data: dict[str, Any], message: str) -> None:
    document = json.loads(sample_text())
    step = next(s for s in document["steps"] if s["kind"] == "save_actor_mapping")
    step["data"].update(data)
    with pytest.raises(PlanError, match=message):
        read_plan(reseal(document))


def test_a_step_without_its_data_field_is_refused() -> None:
    document = json.loads(sample_text())
    step = next(s for s in document["steps"] if s["kind"] == "save_connection")
    del step["data"]["config"]
    with pytest.raises(PlanError, match=r"step save_connection \(connection.main\): data.config is missing"):
        read_plan(reseal(document))


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda d: d.update(partial=True), id="partial-without-only"),
        pytest.param(lambda d: d["summary"].update(delete=0, update=9), id="summary"),
        pytest.param(lambda d: d.update(extra="anything"), id="unknown-field"),
    ],
)
def test_a_re_digested_plan_that_syncspec_would_not_write_is_refused(mutate: Any) -> None:
    document = json.loads(sample_text())
    mutate(document)
    with pytest.raises(PlanError, match="not what syncspec writes for its content"):
        read_plan(reseal(document))


def test_a_format_1_plan_is_still_read() -> None:
    document = json.loads(sample_text())
    del document["unverified_secrets"]
    document["format_version"] = 1
    plan = read_plan(reseal(document))
    assert plan.format_version == 1 and plan.steps
    assert json.loads(write_plan(plan)) == json.loads(reseal(document))  # the same id and content


def test_an_unsigned_plan_is_refused_when_a_key_is_set() -> None:
    with pytest.raises(PlanError, match=f"not signed, but {KEY_VARIABLE} is set"):
        read_plan(sample_text(), KEY)


def test_a_plan_signed_with_another_key_is_refused() -> None:
    with pytest.raises(PlanError, match="signature does not match"):
        read_plan(sample_text(b"another-key-of-another-ci"), KEY)


def test_a_resealed_signed_plan_is_refused() -> None:
    """Recomputing the public id is not enough: the signature covers the id."""
    document = json.loads(sample_text(KEY))
    document["expires_at"] = "2999-01-01T00:00:00Z"
    with pytest.raises(PlanError, match="signature does not match"):
        read_plan(reseal(document), KEY)


def test_a_signed_plan_needs_the_key_except_to_be_shown() -> None:
    text = sample_text(KEY)
    with pytest.raises(PlanError, match=f"signed, but {KEY_VARIABLE} is not set"):
        read_plan(text)
    assert read_plan(text, unverified_ok=True).steps


@pytest.mark.parametrize("value", ["", "short"])
def test_an_empty_or_short_key_is_an_error_not_unsigned_plans(value: str) -> None:
    with pytest.raises(PlanError, match=f"{KEY_VARIABLE} is set but"):
        plan_key({KEY_VARIABLE: value})
    assert plan_key({}) is None


def test_not_json_is_located() -> None:
    with pytest.raises(PlanError, match=r"not valid JSON \(line 1, column 2\)"):
        read_plan("{oops")
