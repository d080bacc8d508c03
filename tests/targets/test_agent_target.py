from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from syncspec.embedded.connectors.demo.catalogue import load_catalogue
from syncspec.model.enums import CrmActorType, ErpActorType, FieldAccess, FieldMetadataType
from syncspec.model.errors import TargetError
from syncspec.model.live import LiveAccess, LiveConnector, LiveDefault
from syncspec.targets.agent_target import AgentTarget
from syncspec.targets.base import FieldMappingValue, ListMappingValue
from syncspec.targets.carriers import MASKED_VALUE
from syncspec.targets.snapshot import metadata_digest, read_snapshot, write_snapshot
from tests.support.example import DEMO_PASSWORD
from tests.support.tenants import DEMO_CONFIG
from tests.targets.conftest import CUSTOMER, Seeded

READS = {
    "get_all_connectors",
    "get_erp_sync_connector_entity",
    "get_configuration_fields",
    "get_all_connections",
    "get_connection",
    "get_erp_sync_connection_summary",
    "get_actor_type_mapping",
    "get_crm_actor_type",
    "get_erp_field_rows",
    "get_connection_list_mappings",
    "get_mdo_list",
    "get_engine_status",
}


def make_target(seeded: Seeded, parallelism: int = 8) -> AgentTarget:
    return AgentTarget(seeded.agent, "local:test", parallelism=parallelism)


def test_read_live_returns_what_was_written(seeded: Seeded) -> None:
    live = make_target(seeded).read_live()
    assert live.connectors == {"demo-erp": LiveConnector(seeded.connector_id, "demo-erp", "plugin://demo")}
    assert set(live.connections) == {"visma-norway", "visma-sweden"}
    assert live.sync_priority == ("visma-sweden", "visma-norway")

    norway = live.connections["visma-norway"]
    assert (norway.id, norway.connector, norway.description, norway.active) == (
        seeded.norway,
        "demo-erp",
        "Demo Norge AS",
        False,
    )
    assert norway.guid
    assert norway.access == LiveAccess(everyone=False, groups=("Sales",), users=("ANNA",))
    assert live.connections["visma-sweden"].access == LiveAccess(everyone=True)
    assert norway.config_sensitive == frozenset({"password"})
    assert norway.config["password"] == MASKED_VALUE
    assert {k: v for k, v in norway.config.items() if k != "password"} == {
        k: v for k, v in DEMO_CONFIG.items() if k != "password"
    }

    customer = norway.actors[CUSTOMER]
    assert customer.sync is True
    assert {a: norway.actors[a].sync for a in norway.actors} == {
        ErpActorType.CUSTOMER: True,
        ErpActorType.SUPPLIER: False,
        ErpActorType.PERSON: False,
        ErpActorType.PROJECT: False,
    }
    name, custno, limit = customer.fields["NAME"], customer.fields["CUSTNO"], customer.fields["CREDITLIMIT"]
    assert (name.crm, name.to_crm, name.to_erp, name.show_in_tab, name.show_in_search) == (
        "contact.name",
        True,
        True,
        False,
        True,
    )
    assert (custno.crm, custno.to_crm, custno.to_erp, custno.show_in_tab) == (
        "contact.number2",
        True,
        False,
        True,
    )
    assert (limit.crm, limit.to_crm, limit.show_in_tab) == ("", False, True)
    mapped = {key for key, f in customer.fields.items() if f.crm}
    assert mapped == {"NAME", "CUSTNO", "CATEGORY", "CURRENCY"}

    assert customer.fields["PAYTERMS"].default == LiveDefault(has_value=True, value="30D")
    assert customer.fields["DISCOUNT"].default == LiveDefault(prompt=True, mandatory=True)
    assert not customer.fields["EMAIL"].default.is_set

    category = customer.lists["CATEGORY"]
    assert category["A"] == seeded.category_ids["Key account"]
    assert category["B"] == seeded.category_ids["Customer"]
    assert category.get("X") is None

    # fields iterate in rank order: the connector's order with BALANCE moved up two places
    order = [f.field_key for f in load_catalogue().actor_types["Customer"].fields]
    i = order.index("BALANCE")
    order.insert(i - 2, order.pop(i))
    assert list(customer.fields) == order
    assert [f.rank for f in customer.fields.values()] == list(range(1, len(order) + 1))


def test_read_live_agrees_with_the_agent_field_by_field(seeded: Seeded) -> None:
    live = make_target(seeded).read_live()
    for conn in live.connections.values():
        for actor, live_actor in conn.actors.items():
            raw = seeded.agent.get_actor_type_mapping(conn.id, actor)
            assert {f.erp_field_key for f in raw.field_mappings} == set(live_actor.fields)
            for fm in raw.field_mappings:
                lf = live_actor.fields[fm.erp_field_key]
                assert (lf.field_id, lf.crm, lf.to_crm, lf.to_erp, lf.show_in_tab, lf.show_in_search) == (
                    fm.erp_field_id,
                    fm.crm_field_key,
                    fm.sync_to_crm,
                    fm.sync_to_erp,
                    fm.show_in_gui,
                    fm.show_in_search,
                )


def test_connections_filter_limits_the_deep_read(seeded: Seeded) -> None:
    target = make_target(seeded)
    live = target.read_live(connections=["visma-sweden"])
    assert set(live.connections) == {"visma-sweden"}
    assert live.sync_priority == ("visma-sweden", "visma-norway")
    assert target.call_counts["get_connection"] == 1


def test_sequential_and_parallel_reads_agree(seeded: Seeded) -> None:
    assert make_target(seeded, parallelism=1).read_live() == make_target(seeded, parallelism=8).read_live()


def test_nothing_is_read_twice(seeded: Seeded) -> None:
    target = make_target(seeded)
    live = target.read_live()
    metadata = target.read_metadata()
    first = Counter(target.call_counts)
    assert set(first) <= READS
    actors = sum(len(c.actors) for c in live.connections.values())
    assert first["get_actor_type_mapping"] == actors  # only the actor types the summary lists
    assert "get_crm_actor_type" not in first  # the mappings name their CRM side
    # one MDO list each: erpconnections (priority), associate, usergroup, and every CRM list;
    # crmfields is not read here: the embedded tenant's catalogue says more (EmbeddedFacts)
    assert first["get_mdo_list"] == 3 + len(metadata.crm_lists)
    for once in (
        "get_all_connectors",
        "get_all_connections",
        "get_configuration_fields",
        "get_engine_status",
    ):
        assert first[once] == 1, once
    for per_connection in (
        "get_connection",
        "get_connection_list_mappings",
        "get_erp_sync_connection_summary",
        "get_erp_field_rows",  # ranks, defaults and list names in one archive query
    ):
        assert first[per_connection] == 2, per_connection
    # the same target again: no agent call at all
    assert target.read_live() == live
    assert target.read_metadata() == metadata
    assert target.call_counts == first


def test_read_metadata_matches_the_demo_catalogue(seeded: Seeded) -> None:
    catalogue = load_catalogue()
    metadata = make_target(seeded).read_metadata()
    assert metadata.source == "live" and metadata.taken_at.endswith("+00:00")

    connector = metadata.connectors["demo-erp"]
    assert connector.url == "plugin://demo"
    assert list(connector.config_fields) == [f.field_key for f in catalogue.config_fields]
    assert {k for k, f in connector.config_fields.items() if f.sensitive} == {"password"}
    assert connector.config_fields["server"].access is FieldAccess.MANDATORY
    assert connector.config_lists == {"languages": dict(catalogue.lists["languages"])}

    norway = metadata.connections["visma-norway"]
    assert norway.connector == "demo-erp" and not norway.borrowed_from
    assert {str(a) for a in norway.actors} == set(catalogue.actor_types)
    assert norway.actors[CUSTOMER].crm_actor is CrmActorType.CONTACT
    used_lists: set[str] = set()
    for actor_name, expected in catalogue.actor_types.items():
        actor = norway.actors[ErpActorType(actor_name)]
        assert list(actor.fields) == [f.field_key for f in expected.fields]
        for info in expected.fields:
            meta = actor.fields[info.field_key]
            assert (meta.field_type, meta.access, meta.list_name, meta.display_name) == (
                info.field_type,
                info.access,
                info.list_name,
                info.display_name,
            ), f"{actor_name}.{info.field_key}"
            used_lists.add(info.list_name) if info.list_name else None
    assert norway.erp_lists == {name: dict(catalogue.lists[name]) for name in used_lists}
    assert norway.actors[CUSTOMER].fields["CATEGORY"].field_type is FieldMetadataType.LIST

    assert metadata.crm_fields["contact.category"].list_name == "category"
    assert metadata.crm_fields["contact.id"].read_only
    assert metadata.crm_lists["category"].ids_named("Key account") == [seeded.category_ids["Key account"]]
    assert {"ANNA", "BOB", "CARL"} <= metadata.users
    assert {"Sales", "Support", "Finance"} <= metadata.groups


def test_snapshot_of_a_live_tenant(seeded: Seeded, tmp_path: Path) -> None:
    clock = iter([datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC)])
    target = AgentTarget(seeded.agent, "local:test", clock=lambda: next(clock))
    first = target.read_metadata()
    second = target.read_metadata(fresh=True)
    assert first.taken_at != second.taken_at
    assert metadata_digest(first) == metadata_digest(second)
    path = tmp_path / "snap.json"
    write_snapshot(first, path, target=target.identity())
    text = path.read_text(encoding="utf-8")
    assert DEMO_PASSWORD not in text and "erp.example.com" not in text  # no config value, not even non-secret
    assert read_snapshot(path) == replace(first, source=str(path))


def test_set_active_reads_first_and_never_double_flips(seeded: Seeded) -> None:
    target = make_target(seeded)
    assert target.read_live().connections["visma-norway"].active is False
    assert target.set_active(seeded.norway, False) == []
    assert target.call_counts["toggle_erp_connection_active"] == 0

    assert target.set_active(seeded.norway, True) == []
    assert target.call_counts["toggle_erp_connection_active"] == 1
    assert target.read_live().connections["visma-norway"].active is True  # the write dropped the cache
    assert target.set_active(seeded.norway, True) == []
    assert target.call_counts["toggle_erp_connection_active"] == 1

    # someone else deactivates it; the cached read says active, set_active must not trust it
    seeded.agent.toggle_erp_connection_active(seeded.norway)
    assert target.read_live().connections["visma-norway"].active is True  # cached, on purpose
    assert target.set_active(seeded.norway, False) == []
    assert target.call_counts["toggle_erp_connection_active"] == 1
    assert seeded.agent.get_connection(seeded.norway).active is False
    assert target.read_live(fresh=True).connections["visma-norway"].active is False


def test_set_active_returns_the_refusal_reasons(seeded: Seeded) -> None:
    target = make_target(seeded)
    # Sweden syncs Customer without giving its mandatory fields a direction: activation is refused
    # with reasons, nothing flips
    mapping = seeded.agent.get_actor_type_mapping(seeded.sweden, CUSTOMER)
    mapping.is_active = True
    seeded.agent.save_actor_type_mapping(mapping)
    reasons = target.set_active(seeded.sweden, True)
    assert reasons and all("is mandatory" in r for r in reasons)
    assert seeded.agent.get_connection(seeded.sweden).active is False


def test_writes_then_undo_with_before_values(seeded: Seeded) -> None:
    target = make_target(seeded)
    before = target.read_live()
    norway = before.connections["visma-norway"]
    customer = norway.actors[CUSTOMER]
    ids = {k: f.field_id for k, f in customer.fields.items()}

    # do: one write of each kind
    fields = {k: FieldMappingValue.of(f) for k, f in customer.fields.items()}
    fields["EMAIL"] = FieldMappingValue(crm="contact.email", to_crm=True, to_erp=True, show_in_search=True)
    target.save_actor_mapping(seeded.norway, CUSTOMER, sync=True, fields=fields)
    target.save_list_mappings(
        seeded.norway,
        [ListMappingValue(ids["CATEGORY"], CUSTOMER, {"A": seeded.category_ids["Partner"], "B": None})],
    )
    target.save_default(seeded.norway, ids["EMAIL"], LiveDefault(prompt=True))
    target.move_field(seeded.norway, CUSTOMER, ids["NAME"], +1)
    target.save_sync_priority([seeded.norway, seeded.sweden])
    target.save_connection(
        name="visma-norway",
        connector_id=seeded.connector_id,
        description="changed",
        access=LiveAccess(everyone=False, groups=("Support",), users=()),
        config={**norway.config, "client": "1002"},
        existing_id=seeded.norway,
    )
    target.save_connector("demo-erp", "plugin://demo", existing_id=seeded.connector_id)

    during = target.read_live()
    changed = during.connections["visma-norway"]
    c2 = changed.actors[CUSTOMER]
    assert (c2.fields["EMAIL"].crm, c2.fields["EMAIL"].to_erp) == ("contact.email", True)
    assert c2.lists["CATEGORY"]["A"] == seeded.category_ids["Partner"]
    assert c2.lists["CATEGORY"].get("B") is None
    assert c2.fields["EMAIL"].default == LiveDefault(prompt=True)
    assert c2.fields["NAME"].rank == customer.fields["NAME"].rank + 1
    assert during.sync_priority == ("visma-norway", "visma-sweden")
    assert (changed.description, changed.access.groups, changed.config["client"]) == (
        "changed",
        ("Support",),
        "1002",
    )
    assert changed.config["password"] == MASKED_VALUE

    # undo: the same operations with the before values
    target.save_connection(
        name=norway.name,
        connector_id=seeded.connector_id,
        description=norway.description,
        access=norway.access,
        config=norway.config,
        existing_id=norway.id,
    )
    target.save_actor_mapping(
        seeded.norway,
        CUSTOMER,
        sync=customer.sync,
        fields={k: FieldMappingValue.of(f) for k, f in customer.fields.items()},
    )
    target.save_list_mappings(
        seeded.norway, [ListMappingValue(ids["CATEGORY"], CUSTOMER, customer.lists["CATEGORY"])]
    )
    target.save_default(seeded.norway, ids["EMAIL"], customer.fields["EMAIL"].default)
    target.move_field(seeded.norway, CUSTOMER, ids["NAME"], -1)
    target.save_sync_priority([before.connections[n].id for n in before.sync_priority])
    assert target.read_live() == before
    assert target.read_live(fresh=True) == before
    # the secret survived the round trips through MASKED_VALUE
    assert seeded.agent.test_connection_by_id(seeded.norway) is True


def test_unknown_access_names_are_refused_before_any_write(seeded: Seeded) -> None:
    target = make_target(seeded)
    with pytest.raises(TargetError, match="unknown user group") as err:
        target.save_connection(
            name="x",
            connector_id=seeded.connector_id,
            description="",
            access=LiveAccess(everyone=False, groups=("Nobody",)),
            config=DEMO_CONFIG,
        )
    assert "Sales" in err.value.hint
    assert target.call_counts["save_connection"] == 0


def test_move_field_refuses_more_than_one_step(seeded: Seeded) -> None:
    with pytest.raises(ValueError, match="one step"):
        make_target(seeded).move_field(seeded.norway, CUSTOMER, 1, 2)


def test_new_connection_and_delete_are_seen_after_the_write(seeded: Seeded) -> None:
    target = make_target(seeded)
    assert "visma-nl" not in target.read_live().connections
    created = target.save_connection(
        name="visma-nl",
        connector_id=seeded.connector_id,
        description="",
        access=LiveAccess(),
        config={**DEMO_CONFIG, "client": "2001"},
    )
    live = target.read_live()
    assert live.connections["visma-nl"].id == created.erp_connection_id
    assert live.sync_priority[-1] == "visma-nl"
    target.delete_connection(created.erp_connection_id)
    assert "visma-nl" not in target.read_live().connections


def test_close_runs_the_closer_once(seeded: Seeded) -> None:
    closed: list[int] = []
    with AgentTarget(seeded.agent, "local:x", on_close=lambda: closed.append(1)) as target:
        assert target.identity() == "local:x"
    target.close()
    assert closed == [1]
