"""Random sequences of agent calls keep the tenant's invariants; every refusal changes nothing."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from syncspec.embedded.tenant import InProcessAgent, Tenant, dump
from syncspec.embedded.tenant.activation import activation_problems
from syncspec.model.enums import ErpActorType
from syncspec.model.errors import AgentError
from syncspec.targets.carriers import (
    ErpConnection,
    ErpSyncActorTypeMapping,
    ErpSyncConnectorEntity,
    ErpSyncDefaultValue,
    ErpSyncFieldMapping,
)
from tests.embedded.tenant.mini_connector import SECRET, MiniConnector
from tests.support.reads import sync_priorities

# (ERP field, CRM field, to_crm, to_erp): some valid, some refused by one rule or another.
MAPPINGS = [
    ("NAME", "contact.name", True, True),
    ("NAME", "", False, False),
    ("email", "contact.email", True, False),
    ("email", "contact.email", False, False),
    ("CUSTID", "contact.udef.discount", False, True),
    ("BLOCKED", "contact.udef.erp_note", True, True),
    ("LIMIT", "", True, False),
    ("GRADE", "contact.category", True, True),
    ("NOTE", "contact.id", True, False),
]
KEYS = ["CUSTID", "NAME", "email", "GRADE", "BLOCKED", "LIMIT", "SINCE", "NOTE"]


class TenantMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.mkdtemp(prefix="tenant-stateful-")
        self.tenant = Tenant.create(Path(self.folder) / "t.db", connectors={"plugin://mini": MiniConnector()})
        self.agent = InProcessAgent(self.tenant)
        entity = self.agent.save_erp_sync_connector_entity(
            ErpSyncConnectorEntity(display_name="m", URL="plugin://mini")
        )
        self.connector_id = entity.erp_connector_id
        self.refusals = 0

    def teardown(self) -> None:
        self.tenant.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _try(self, call: Callable[[], Any]) -> None:
        before = dump(self.tenant)
        try:
            call()
        except AgentError:
            self.refusals += 1
            assert dump(self.tenant) == before

    def _ids(self) -> list[int]:
        return [c.erp_connection_id for c in self.agent.get_all_connections(include_deleted=True)] or [1]

    def _field(self, conn_id: int, key: str) -> int:
        rows = (
            self.tenant.raw()
            .execute(
                "SELECT f.erpfield_id FROM ErpField f JOIN ErpConnectionActorType a "
                "ON a.erpconnectionactortype_id = f.ErpConnectionActorTypeId "
                "WHERE a.ErpConnectionId = ? AND a.ActorTypeErp = 'Customer' AND f.ErpFieldKey = ?",
                (conn_id, key),
            )
            .fetchone()
        )
        return int(rows[0]) if rows else 9999

    @initialize()
    def first_connection(self) -> None:
        self.create("first", good=True)

    @rule(name=st.sampled_from(["a", "b", "c"]), good=st.booleans())
    def create(self, name: str, good: bool) -> None:
        token = SECRET if good else "bad-token"
        self._try(
            lambda: self.agent.save_connection(
                ErpConnection(
                    erp_connector_id=self.connector_id,
                    display_name=name,
                    config_fields={"host": "h", "token": token},
                )
            )
        )

    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        conn_id = data.draw(st.sampled_from(self._ids()))
        self._try(lambda: self.agent.delete_connection(conn_id))

    @rule(data=st.data(), choice=st.sampled_from(MAPPINGS), active=st.booleans())
    def map_field(self, data: st.DataObject, choice: tuple[str, str, bool, bool], active: bool) -> None:
        conn_id = data.draw(st.sampled_from(self._ids()))
        key, crm, to_crm, to_erp = choice
        self._try(
            lambda: self.agent.save_actor_type_mapping(
                ErpSyncActorTypeMapping(
                    erp_connection_id=conn_id,
                    actor_type_erp=ErpActorType.CUSTOMER,
                    is_active=active,
                    field_mappings=[
                        ErpSyncFieldMapping(
                            erp_field_key=key, crm_field_key=crm, sync_to_crm=to_crm, sync_to_erp=to_erp
                        )
                    ],
                )
            )
        )

    @rule(data=st.data())
    def make_activatable(self, data: st.DataObject) -> None:
        # Random single-field edits rarely add up to a valid mapping; this rule gets there in one step.
        conn_id = data.draw(st.sampled_from(self._ids()))
        self._try(
            lambda: self.agent.save_actor_type_mapping(
                ErpSyncActorTypeMapping(
                    erp_connection_id=conn_id,
                    actor_type_erp=ErpActorType.CUSTOMER,
                    is_active=True,
                    field_mappings=[
                        ErpSyncFieldMapping(
                            erp_field_key="NAME",
                            crm_field_key="contact.name",
                            sync_to_crm=True,
                            sync_to_erp=True,
                        )
                    ],
                )
            )
        )
        self._try(lambda: self.agent.toggle_erp_connection_active(conn_id))

    @rule(data=st.data())
    def toggle(self, data: st.DataObject) -> None:
        conn_id = data.draw(st.sampled_from(self._ids()))
        self._try(lambda: self.agent.toggle_erp_connection_active(conn_id))

    @rule(data=st.data(), key=st.sampled_from(KEYS), direction=st.sampled_from([-2, -1, 1, 3]))
    def move(self, data: st.DataObject, key: str, direction: int) -> None:
        conn_id = data.draw(st.sampled_from(self._ids()))
        fid = self._field(conn_id, key)
        self._try(lambda: self.agent.move_erp_field_item(fid, direction, conn_id, ErpActorType.CUSTOMER))

    @rule(data=st.data())
    def prioritise(self, data: st.DataObject) -> None:
        ids = data.draw(st.lists(st.sampled_from([*self._ids(), 77]), max_size=4))
        self._try(lambda: self.agent.save_erp_connection_sync_priorities(ids))

    @rule(
        data=st.data(),
        key=st.sampled_from(KEYS),
        mandatory=st.booleans(),
        prompt=st.booleans(),
        value=st.sampled_from(["", "A", "12", "x"]),
    )
    def default(self, data: st.DataObject, key: str, mandatory: bool, prompt: bool, value: str) -> None:
        fid = self._field(data.draw(st.sampled_from(self._ids())), key)
        self._try(
            lambda: self.agent.save_default_value_info(
                ErpSyncDefaultValue(
                    erp_field_id=fid,
                    has_first_sync_default_value=bool(value),
                    first_sync_default_value=value,
                    prompt_user=prompt,
                    mandatory=mandatory,
                )
            )
        )

    @invariant()
    def ranks_are_permutations(self) -> None:
        rows = self.tenant.raw().execute("SELECT ErpConnectionActorTypeId, Rank FROM ErpField").fetchall()
        by_actor: dict[int, list[int]] = {}
        for actor_id, rank in rows:
            by_actor.setdefault(actor_id, []).append(rank)
        for ranks in by_actor.values():
            assert sorted(ranks) == list(range(1, len(ranks) + 1))

    @invariant()
    def keys_are_unique(self) -> None:
        state = dump(self.tenant)
        guids = [c["ConnectionId"] for c in state["ErpConnection"]]
        assert len(guids) == len(set(guids))
        priorities = sync_priorities(self.agent)
        live = [c["erpconnection_id"] for c in state["ErpConnection"] if not c["Deleted"]]
        assert sorted(priorities) == sorted(live)

    @invariant()
    def active_connections_obey_the_activation_rules(self) -> None:
        for conn in self.agent.get_all_connections(include_deleted=False):
            if conn.active:
                assert activation_problems(self.tenant.raw(), conn.erp_connection_id) == []

    @invariant()
    def mandatory_fields_with_defaults_have_a_source(self) -> None:
        rows = (
            self.tenant.raw()
            .execute(
                "SELECT COUNT(*) FROM ErpField WHERE Mandatory = 1 AND Access <> 'Mandatory' "
                "AND HasFirstSyncDefaultValue = 0 AND PromptUser = 0"
            )
            .fetchone()
        )
        assert rows[0] == 0


TestTenantMachine = pytest.mark.slow(TenantMachine.TestCase)
TenantMachine.TestCase.settings = settings(
    max_examples=30, stateful_step_count=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
