"""Each plan operation writes the plan file's step data and reads it back to an equal value."""

from __future__ import annotations

import pytest

from syncspec.model.enums import ErpActorType
from syncspec.model.live import LiveAccess
from syncspec.plan.ops import (
    OPERATIONS,
    Activate,
    FieldTarget,
    MoveField,
    SaveActorMapping,
    SaveConnection,
    SaveConnector,
    SaveDefault,
    SaveListMappings,
    SaveSyncEngine,
    SaveSyncPriority,
    Step,
    StepKind,
    access_data,
    access_of,
    step_of,
)
from syncspec.plan.step_data import step_data_problem

CUSTOMER = ErpActorType.CUSTOMER
ADDRESSES = ("connection.main",)

SAMPLES: list[Step] = [
    SaveConnector(addresses=("connector.erp",), name="erp", id=None, url="https://127.0.0.1/erp"),
    SaveConnection(
        connection="main",
        addresses=ADDRESSES,
        id=7,
        name="main",
        create=False,
        connector="erp",
        description=None,
        access=LiveAccess(False, ("Sales",), ()),
        config={"client": "1001", "password": None},
        sensitive_keys=("password",),
    ),
    Activate(connection="main", addresses=ADDRESSES, id=None),
    SaveActorMapping(
        connection="main",
        addresses=ADDRESSES,
        connection_id=7,
        actor=CUSTOMER,
        sync=True,
        fields={
            "NAME": FieldTarget(
                3, crm="contact.name", direction="both", show_in_search=True, show_in_tab=False
            ),
            "NEW": FieldTarget(None, crm="contact.phone"),  # only what it asks for
        },
    ),
    SaveListMappings(
        connection="main",
        addresses=ADDRESSES,
        connection_id=7,
        lists={CUSTOMER: {"CUR": {"NOK": 2, "PLN": None}}},
    ),
    SaveDefault(
        connection="main",
        addresses=ADDRESSES,
        connection_id=None,
        actor=CUSTOMER,
        field="PAYTERMS",
        field_id=None,
        value=None,
        prompt=True,
        mandatory=False,
    ),
    MoveField(
        connection="main",
        addresses=ADDRESSES,
        connection_id=7,
        actor=CUSTOMER,
        field="NAME",
        field_id=3,
        direction=-1,
    ),
    SaveSyncPriority(addresses=("sync_priority",), order=("main", "other")),
    SaveSyncEngine(addresses=("sync_engine",), automatic=None, interval="00:05:00"),
]


@pytest.mark.parametrize("step", SAMPLES, ids=lambda s: s.kind.value)
def test_an_operation_round_trips_through_its_step_data(step: Step) -> None:
    data = step.data
    assert step_data_problem(step.kind, data, exact=True) == ""
    assert step_of(step.kind, step.connection, step.addresses, data) == step


@pytest.mark.parametrize("access", [None, "everyone", {"groups": ["Sales"], "users": ["ann"]}])
def test_access_reads_back_to_its_plan_file_form(access: object) -> None:
    assert access_data(access_of(access)) == access


def test_a_field_given_only_some_attributes_writes_only_those() -> None:
    assert FieldTarget(None, crm="contact.phone").data == {"field_id": None, "crm": "contact.phone"}


def test_every_step_kind_has_one_operation_type() -> None:
    assert set(OPERATIONS) == set(StepKind)
    assert all(OPERATIONS[kind].kind is kind for kind in StepKind)


def test_from_format_3_a_field_no_operation_has_is_refused() -> None:
    data = {**SAMPLES[0].data, "extra": 1}
    assert step_data_problem(StepKind.SAVE_CONNECTOR, data) == ""  # format 2: carried, unused
    assert step_data_problem(StepKind.SAVE_CONNECTOR, data, exact=True) == (
        "data.extra is not a field of a save_connector step"
    )
