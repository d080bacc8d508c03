from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from syncspec.model.applied import LastApplied
from syncspec.model.desired import ConnectionDesired
from syncspec.model.errors import PlanError, UsageError
from syncspec.model.live import LiveAccess, LiveDefault
from syncspec.plan.model import SENSITIVE_CHANGED, Action, ReasonKind, StepKind
from syncspec.plan.planfile import read_plan, write_plan
from tests.support.factories import (
    CUSTOMER,
    SECRET,
    Resolved,
    connection_doc,
    defaults,
    desired,
    lists,
    live,
    live_connection,
    make_plan,
    mappings,
    ranking,
)

FIELD = "connection.main.actor.Customer.field.NAME"


def with_docs(*docs: Any, **connection: Any) -> Any:
    aggregate = ConnectionDesired(connection=connection_doc(**connection))
    for doc in docs:
        aggregate = aggregate.with_document(doc)
    return desired(aggregate)


def by_address(plan: Any) -> dict[tuple[str, Action], Any]:
    return {(c.address, c.action): c for c in plan.changes}


def test_matching_configuration_plans_nothing() -> None:
    plan = make_plan(desired(), live())
    assert plan.changes == () and plan.steps == ()


@pytest.mark.parametrize(
    ("spec", "expected_after"),
    [
        pytest.param({"crm": "contact.name"}, {"crm": "contact.name"}, id="crm-only"),
        pytest.param(
            {"crm": "contact.name", "direction": "both"},
            {"crm": "contact.name", "direction": "both"},
            id="crm-and-direction",
        ),
        pytest.param({"show_in_tab": True}, {"show_in_tab": True}, id="flag-only"),
        pytest.param(None, None, id="unlisted-and-unmapped-live-no-change"),
    ],
)
def test_field_mapping_decisions(spec: dict[str, Any] | None, expected_after: dict[str, Any] | None) -> None:
    fields = {"CATEGORY": {"crm": "contact.category", "direction": "to-crm"}}
    if spec is not None:
        fields["NAME"] = spec
    plan = make_plan(with_docs(mappings(fields)), live())
    change = by_address(plan).get((FIELD, Action.UPDATE))
    assert (dict(change.after) if change else None) == expected_after


def test_unlisted_field_is_unmapped_when_a_mappings_doc_exists() -> None:
    plan = make_plan(with_docs(mappings({"NAME": {"crm": "contact.name"}})), live())
    change = by_address(plan)[("connection.main.actor.Customer.field.CATEGORY", Action.UPDATE)]
    assert dict(change.after) == {"crm": "", "direction": "none"}
    assert change.unchanged == 2


def test_without_mappings_doc_fields_are_not_managed() -> None:
    assert make_plan(desired(), live()).changes == ()


@pytest.mark.parametrize(
    ("spec", "live_default", "expected_after"),
    [
        pytest.param({"value": "NOK"}, LiveDefault(), {"value": "NOK"}, id="set-value"),
        pytest.param(
            {"prompt": True},
            LiveDefault(has_value=True, value="x"),
            {"value": None, "prompt": True},
            id="swap",
        ),
        pytest.param(None, LiveDefault(prompt=True), {"prompt": False}, id="unlisted-cleared"),
        pytest.param(
            {"value": 5}, LiveDefault(has_value=True, value="5"), None, id="number-compares-as-text"
        ),
    ],
)
def test_default_decisions(spec: Any, live_default: LiveDefault, expected_after: Any) -> None:
    current = live_connection()
    customer = current.actors[CUSTOMER]
    field = replace(customer.fields["CREDITLIMIT"], default=live_default)
    current = replace(
        current,
        actors={
            **current.actors,
            CUSTOMER: replace(customer, fields={**customer.fields, "CREDITLIMIT": field}),
        },
    )
    fields = {"CREDITLIMIT": spec} if spec else {"NAME": {"prompt": True}}
    plan = make_plan(with_docs(defaults(fields)), live(current))
    change = by_address(plan).get(("connection.main.actor.Customer.field.CREDITLIMIT.default", Action.UPDATE))
    assert (dict(change.after) if change else None) == expected_after


def test_connector_mandatory_field_stays_mandatory_without_a_change() -> None:
    plan = make_plan(with_docs(defaults({"NAME": {"prompt": True}})), live())
    assert ("connection.main.actor.Customer.field.CURRENCY.default", Action.UPDATE) not in by_address(plan)


@pytest.mark.parametrize(
    ("items", "expected_after"),
    [
        pytest.param({"A": "Key account"}, None, id="by-name-same-id"),
        pytest.param({"A": {"id": 2}}, {"item.A": 2}, id="by-id"),
        pytest.param({"B": "Prospect"}, {"item.A": None, "item.B": 3}, id="unlisted-unmapped"),
        pytest.param({"A": "Key account", "Z": None}, None, id="null-is-no-selection"),
    ],
)
def test_list_decisions(items: dict[str, Any], expected_after: Any) -> None:
    plan = make_plan(with_docs(lists(items)), live())
    change = by_address(plan).get(("connection.main.actor.Customer.list.CATEGORY", Action.UPDATE))
    assert (dict(change.after) if change else None) == expected_after


def test_list_item_name_that_does_not_exist_is_a_located_error() -> None:
    with pytest.raises(PlanError, match=r"lists\.yaml:1:1: CRM list 'category' has no item named 'Gold'"):
        make_plan(with_docs(lists({"A": "Gold"})), live())


@pytest.mark.parametrize(
    ("order", "moves"),
    [
        pytest.param(("CUSTNO",), 0, id="already-first"),
        pytest.param(("CREDITLIMIT",), 4, id="last-to-first"),
        pytest.param(("NAME", "CUSTNO"), 1, id="swap-two"),
    ],
)
def test_ranking_decisions(order: tuple[str, ...], moves: int) -> None:
    plan = make_plan(with_docs(ranking(order)), live())
    change = by_address(plan).get(("connection.main.actor.Customer.ranking", Action.REORDER))
    assert (change.moves if change else 0) == moves
    assert len([s for s in plan.steps if s.kind is StepKind.MOVE_FIELD]) == moves


@pytest.mark.parametrize(
    ("connection", "expected_after"),
    [
        pytest.param({"description": "Other"}, {"description": "Other"}, id="description"),
        pytest.param(
            {"access": {"groups": ["Sales"]}}, {"access": {"groups": ["Sales"], "users": []}}, id="access"
        ),
        pytest.param(
            {"config": {"server": "erp.local", "password": "${env:PW}"}},
            {"config.client": ""},
            id="config-key-cleared",
        ),
        pytest.param(
            {"config": {"server": "x", "client": 1001, "password": "p"}}, {"config.server": "x"}, id="number"
        ),
    ],
)
def test_connection_decisions(connection: dict[str, Any], expected_after: Any) -> None:
    plan = make_plan(with_docs(**connection), live())
    change = by_address(plan)[("connection.main", Action.UPDATE)]
    assert dict(change.after) == expected_after


def test_unlisted_actor_is_not_synced() -> None:
    plan = make_plan(with_docs(actors={}), live())
    change = by_address(plan)[("connection.main.actor.Customer", Action.UPDATE)]
    assert dict(change.after) == {"sync": False}


@pytest.mark.parametrize(
    ("recorded", "live_description", "expected"),
    [
        pytest.param(None, "Demo", ReasonKind.CONFIG, id="no-record"),
        pytest.param("Demo", "Demo", ReasonKind.CONFIG, id="config-moved"),
        pytest.param("Wanted", "Demo", ReasonKind.DRIFT, id="live-moved"),
        pytest.param("Third", "Demo", ReasonKind.CONFLICT, id="both-moved"),
    ],
)
def test_reasons(recorded: str | None, live_description: str, expected: ReasonKind) -> None:
    last = LastApplied({"connection.main": {"description": recorded}} if recorded else {})
    current = replace(live_connection(), description=live_description)
    plan = make_plan(with_docs(description="Wanted"), live(current), last=last)
    change = by_address(plan)[("connection.main", Action.UPDATE)]
    assert change.reason.kind is expected
    assert change.reason.location == "connections/main/connection.yaml:1"


def test_reason_points_at_the_line_that_asks() -> None:
    plan = make_plan(with_docs(mappings({"NAME": {"crm": "contact.name"}})), live())
    assert (
        by_address(plan)[(FIELD, Action.UPDATE)].reason.location
        == "connections/main/customer.mappings.yaml:5"
    )


def fingerprint(value: str) -> str:
    return "fp:" + value[::-1]  # a stand-in keyed hash: deterministic, not the value itself


@pytest.mark.parametrize(
    ("recorded", "changed", "note"),
    [
        pytest.param(None, False, True, id="no-record-not-comparable"),
        pytest.param(fingerprint(SECRET), False, False, id="same-secret"),
        pytest.param(fingerprint("old"), True, False, id="rotated-secret"),
    ],
)
def test_secret_decisions(recorded: str | None, changed: bool, note: bool) -> None:
    last = LastApplied({"connection.main": {"config.password": recorded}} if recorded else {})
    plan = make_plan(desired(), live(), last=last, secret_digest=fingerprint)
    change = by_address(plan).get(("connection.main", Action.UPDATE))
    assert (change is not None) == changed
    if change is not None:
        assert change.after == {"config.password": SENSITIVE_CHANGED} and change.risky
    assert any("config.password cannot be verified" in n for n in plan.notes) == note


def test_an_unverifiable_secret_is_listed_for_the_summary_warning() -> None:
    plan = make_plan(desired(), live(), secret_digest=fingerprint)
    assert plan.changes == ()
    assert plan.unverified_secrets == ("connection.main.config.password",)


@pytest.mark.parametrize(
    ("resend", "recorded"),
    [
        pytest.param("connection.main", None, id="connection-no-record"),
        pytest.param("connection.main.config.password", None, id="key-no-record"),
        pytest.param("connection.main", fingerprint(SECRET), id="same-as-recorded"),
    ],
)
def test_resend_secrets_sends_them_whatever_the_record_says(resend: str, recorded: str | None) -> None:
    last = LastApplied({"connection.main": {"config.password": recorded}} if recorded else {})
    plan = make_plan(desired(), live(), last=last, secret_digest=fingerprint, resend_secrets=(resend,))
    change = by_address(plan)[("connection.main", Action.UPDATE)]
    assert change.after == {"config.password": SENSITIVE_CHANGED} and change.risky
    (save,) = [s for s in plan.steps if s.kind is StepKind.SAVE_CONNECTION]
    assert save.data["sensitive_keys"] == ["password"]
    assert SECRET not in write_plan(plan)
    assert plan.unverified_secrets == ()


@pytest.mark.parametrize("resend", ["connection.mian", "connection.main.config.server"])
def test_resend_secrets_of_nothing_sensitive_is_a_usage_error(resend: str) -> None:
    with pytest.raises(UsageError, match=f"--resend-secrets {resend} matches no address"):
        make_plan(desired(), live(), secret_digest=fingerprint, resend_secrets=(resend,))


def test_a_delete_says_what_is_lost() -> None:
    other = live_connection("other", conn_id=20)
    plan = make_plan(desired(), live(live_connection(), other), allow_delete=True)
    change = by_address(plan)[("connection.other", Action.DELETE)]
    assert change.before == {
        "connector": "demo-erp",
        "active": True,
        "synced_actors": ["Customer"],
        "mapped_fields": 1,
        "list_mappings": 1,
        "defaults": 1,
    }
    assert change.risk == (
        "deletes connection other (an active connection): loses 1 mapped field, 1 list mapping, 1 default"
    )


def test_secrets_never_reach_the_plan() -> None:
    last = LastApplied({"connection.main": {"config.password": fingerprint("old")}})
    rotated = make_plan(desired(), live(), last=last, secret_digest=fingerprint)
    created = make_plan(desired(), replace(live(), connections={}))
    for plan in (rotated, created):
        text = write_plan(plan)
        assert SECRET not in text and SECRET[::-1] not in text
        assert plan.changes


@pytest.mark.parametrize("server", ["erp.local", "erp-from-env.local"], ids=["unchanged", "changed"])
def test_an_environment_value_in_a_clear_field_is_a_secret_of_the_plan(server: str) -> None:
    # `server` is a Text field the tenant shows in clear ("erp.local"); taken from the
    # environment, it is named in the save's step data and never carried, changed or not.
    config = {"server": "${env:SRV}", "client": "1002", "password": "${env:PW}"}
    secrets = {
        "main": {"password": Resolved(SECRET, sensitive=True), "server": Resolved(server, sensitive=True)}
    }
    plan = make_plan(with_docs(config=config), live(), secrets=secrets)
    (save,) = [s for s in plan.steps if s.kind is StepKind.SAVE_CONNECTION]
    assert save.data["sensitive_keys"] == ["password", "server"]
    assert save.data["config"] == {"server": None, "client": "1002", "password": None}
    assert plan.env_secrets == ("connection.main.config.server",)
    change = by_address(plan)[("connection.main", Action.UPDATE)]
    assert "erp.local" not in repr(change) and "erp-from-env" not in repr(change)
    text = write_plan(plan)
    assert "erp.local" not in text and "erp-from-env" not in text
    assert read_plan(text).env_secrets == plan.env_secrets


def test_a_plan_without_environment_values_in_clear_fields_lists_none() -> None:
    plan = make_plan(
        with_docs(config={"server": "erp.local", "client": "1002", "password": "${env:PW}"}), live()
    )
    assert plan.env_secrets == ()
    assert "env_secrets" not in write_plan(plan)  # such plans digest as they did before


def test_new_connection_is_created_with_borrowed_fields() -> None:
    state = with_docs(mappings({"NAME": {"crm": "contact.name", "direction": "both"}}), name="second")
    plan = make_plan(state, live())
    changes = by_address(plan)
    create = changes[("connection.second", Action.CREATE)]
    assert create.after["config.password"] == "(sensitive)"
    assert changes[("connection.second", Action.ACTIVATE)]
    assert changes[("connection.second.actor.Customer.field.NAME", Action.UPDATE)].known_after_create
    kinds = [s.kind for s in plan.steps if s.connection == "second"]
    assert kinds == [
        StepKind.SAVE_CONNECTION,
        StepKind.REFRESH_FIELDS,
        StepKind.SAVE_ACTOR_MAPPING,
        StepKind.ACTIVATE,
    ]
    assert [u.address for u in plan.unmanaged] == ["connection.main"]


def test_deletes_only_when_allowed() -> None:
    state = with_docs(name="second")
    plain = make_plan(state, live())
    assert "--allow-delete" in plain.unmanaged[0].hint
    allowed = make_plan(state, live(), allow_delete=True)
    delete = by_address(allowed)[("connection.main", Action.DELETE)]
    assert delete.reason.kind is ReasonKind.MISSING_IN_CONFIG and delete.risky
    assert StepKind.DELETE_CONNECTION in [s.kind for s in allowed.steps]


def test_step_order_for_an_active_connection() -> None:
    state = with_docs(
        mappings({"NAME": {"crm": "contact.name"}, "CATEGORY": {"crm": "contact.category"}}),
        lists({"A": {"id": 2}}),
        defaults({"NAME": {"value": "x"}}),
        ranking(("NAME",)),
        description="Changed",
    )
    kinds = [s.kind for s in make_plan(state, live()).steps]
    assert kinds == [
        StepKind.DEACTIVATE,
        StepKind.SAVE_CONNECTION,
        StepKind.SAVE_ACTOR_MAPPING,
        StepKind.SAVE_LIST_MAPPINGS,
        StepKind.SAVE_DEFAULT,
        StepKind.MOVE_FIELD,
        StepKind.ACTIVATE,
    ]


def test_only_active_changes_is_a_single_toggle() -> None:
    plan = make_plan(with_docs(active=False), live())
    assert [s.kind for s in plan.steps] == [StepKind.DEACTIVATE]
    assert [c.action for c in plan.changes] == [Action.DEACTIVATE]


def test_sync_priority_listed_first_others_keep_order() -> None:
    two = live(live_connection(), live_connection("other", conn_id=11))
    state = desired(
        ConnectionDesired(connection=connection_doc()),
        ConnectionDesired(connection=connection_doc("other")),
        priority=("other",),
    )
    plan = make_plan(state, two)
    change = by_address(plan)[("sync_priority", Action.REORDER)]
    assert change.after == {"order": ["other", "main"]}
    assert plan.steps[-1].kind is StepKind.SAVE_SYNC_PRIORITY


def test_only_filters_changes_and_marks_partial() -> None:
    state = with_docs(mappings({"NAME": {"crm": "contact.name"}}), description="Changed")
    plan = make_plan(state, live(), only=("connection.main.actor",))
    assert plan.partial and plan.only == ("connection.main.actor",)
    assert {c.address for c in plan.changes} == {FIELD, "connection.main.actor.Customer.field.CATEGORY"}
    assert StepKind.SAVE_CONNECTION not in [s.kind for s in plan.steps]


@pytest.mark.parametrize(
    ("only", "closest"),
    [
        pytest.param("connection.mai", "connection.main", id="prefix-typo"),
        pytest.param("connection.nope", "connection.main", id="unknown"),
        pytest.param("connection.main.actor.Custmer", "connection.main.actor.Customer", id="deep-typo"),
    ],
)
def test_only_that_matches_nothing_is_a_usage_error_naming_the_closest(only: str, closest: str) -> None:
    """A typo must not read as "No changes" while a change is pending."""
    state = with_docs(description="Changed")
    with pytest.raises(UsageError, match=f"--only {only} matches no address") as raised:
        make_plan(state, live(), only=(only,))
    assert closest in raised.value.hint


def test_only_matching_an_address_without_changes_is_no_error() -> None:
    plan = make_plan(with_docs(description="Changed"), live(), only=("connection.main.actor.Person",))
    assert plan.changes == ()


def test_same_inputs_give_identical_json() -> None:
    def run() -> str:
        state = with_docs(mappings({"NAME": {"crm": "contact.name"}}), ranking(("CREDITLIMIT",)))
        current = live(replace(live_connection(), access=LiveAccess(False, ("B", "A"), ())))
        return write_plan(make_plan(state, current, environment="prod", target="local:x.db"))

    assert run() == run()


def test_plan_records_fingerprints_and_expiry() -> None:
    plan = make_plan(with_docs(description="Changed"), live())
    assert list(plan.fingerprints) == ["connection.main"]
    assert plan.fingerprints["connection.main"].startswith("sha256:")
    assert (plan.created_at, plan.expires_at) == ("2026-01-02T03:04:05Z", "2026-01-09T03:04:05Z")


@pytest.mark.parametrize("only", ["connection.other", "connection.main.actor.Customer"])
def test_a_narrowed_plan_plans_its_scope_as_the_whole_plan_does(only: str) -> None:
    # the applier's follow-up plan normalizes only what --only keeps: the same changes and steps
    state = desired(
        ConnectionDesired(connection=connection_doc(description="Changed")).with_document(
            mappings({"NAME": {"crm": "contact.name"}})
        ),
        ConnectionDesired(connection=connection_doc("other")),
    )
    current = live(live_connection(), live_connection("stray", conn_id=30))
    whole = make_plan(state, current, only=(only,))
    narrow = make_plan(state, current, only=(only,), narrow_to_only=True)
    assert narrow.changes == whole.changes and narrow.changes
    assert narrow.steps == whole.steps
    # what lies outside the scope is neither listed as unmanaged nor planned for deletion
    assert [u.address for u in whole.unmanaged] == ["connection.stray"]
    assert narrow.unmanaged == ()
    deleting = make_plan(state, current, only=(only,), narrow_to_only=True, allow_delete=True)
    assert deleting.changes == narrow.changes
