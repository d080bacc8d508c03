"""The ErpSync agent is described once, in the wire table (`targets/rest_wire.METHODS`):
the typed protocol, the REST client and the embedded tenant's dispatch all follow it."""

from __future__ import annotations

import inspect

import pytest

from syncspec.embedded.tenant.agent import OPERATIONS, InProcessAgent
from syncspec.targets.agent import ErpSyncAgent
from syncspec.targets.rest.agent import RestAgent
from syncspec.targets.rest.wire import BY_ATTRIBUTE, METHODS, WRITE_ATTRIBUTES, WireMethod, bind_arguments

PROTOCOL_METHODS = {
    name for name, member in vars(ErpSyncAgent).items() if callable(member) and not name.startswith("_")
}


def test_the_protocol_has_exactly_the_table_s_methods() -> None:
    assert set(BY_ATTRIBUTE) == PROTOCOL_METHODS
    assert len(BY_ATTRIBUTE) == len(METHODS)  # no attribute twice


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.name)
def test_the_protocol_takes_the_table_s_parameters_in_its_order(method: WireMethod) -> None:
    signature = inspect.signature(getattr(ErpSyncAgent, method.attribute))
    assert [name for name in signature.parameters if name != "self"] == [p.python for p in method.params]


def test_the_embedded_tenant_carries_out_every_method_of_the_table() -> None:
    assert set(OPERATIONS) == set(BY_ATTRIBUTE)


def test_an_agent_answers_only_the_table_s_methods() -> None:
    agent = InProcessAgent.__new__(InProcessAgent)  # no tenant: only attribute lookup is tried
    assert callable(agent.get_connection)
    with pytest.raises(AttributeError):
        agent.no_such_method  # noqa: B018
    rest = RestAgent("http://127.0.0.1:9/Cust1", token="t")
    try:
        assert all(callable(getattr(rest, name)) for name in BY_ATTRIBUTE)
        with pytest.raises(AttributeError):
            rest.no_such_method  # noqa: B018
    finally:
        rest.close()


def test_writes_are_the_table_s_writes() -> None:
    assert "save_connection" in WRITE_ATTRIBUTES
    assert "delete_connection" in WRITE_ATTRIBUTES
    assert "get_connection" not in WRITE_ATTRIBUTES


def test_arguments_bind_positionally_or_by_name_and_a_wrong_call_is_refused() -> None:
    move = BY_ATTRIBUTE["move_erp_field_item"]
    by_position = bind_arguments(move, (7, 1, 3, "Customer"), {})
    by_name = bind_arguments(
        move, (), {"erp_actor_type": "Customer", "erp_connection_id": 3, "direction": 1, "erp_field_id": 7}
    )
    assert (
        by_position
        == by_name
        == {
            "erp_field_id": 7,
            "direction": 1,
            "erp_connection_id": 3,
            "erp_actor_type": "Customer",
        }
    )
    with pytest.raises(TypeError, match="missing"):
        bind_arguments(move, (7,), {})
    with pytest.raises(TypeError, match="unexpected or repeated"):
        bind_arguments(move, (7,), {"erp_field_id": 7, "direction": 1, "erp_connection_id": 3})
    with pytest.raises(TypeError, match="takes 4 arguments"):
        bind_arguments(move, (1, 2, 3, 4, 5), {})
