"""Make a tenant match a desired state through `Target` writes, without the planner or the applier.

The import round trip must not lean on the code it checks: this seeder reads the desired
models and calls the target's domain writes directly, the way a person would click
through SuperOffice's screens.
"""

from __future__ import annotations

from collections.abc import Mapping

from syncspec.model.culture import wire_form
from syncspec.model.desired import ConnectionDesired, DesiredState, Direction, FieldMappingSpec
from syncspec.model.enums import ErpActorType, FieldMetadataType
from syncspec.model.live import LiveAccess, LiveDefault, LiveField
from syncspec.model.metadata import Metadata
from syncspec.spec.loading.interpolate import resolve
from syncspec.targets.base import FieldMappingValue, ListMappingValue, Target


def text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def seed(
    target: Target, desired: DesiredState, *, env: Mapping[str, str], vars: Mapping[str, object]
) -> None:
    for name in sorted(desired.connectors):
        target.save_connector(name, desired.connectors[name].url)
    for name in sorted(desired.connections):
        _connection(target, desired.connections[name], env, vars)
    if desired.sync_priority is not None:
        live = target.read_live(fresh=True)
        target.save_sync_priority([live.connections[n].id for n in desired.sync_priority.order])
    if desired.sync_engine is not None:
        engine = desired.sync_engine
        target.set_sync_engine(automatic=engine.automatic, interval=engine.interval)


def _connection(
    target: Target, desired: ConnectionDesired, env: Mapping[str, str], vars: Mapping[str, object]
) -> None:
    doc = desired.connection
    live = target.read_live(fresh=True)
    access = (
        LiveAccess()
        if doc.access == "everyone"
        else LiveAccess(everyone=False, groups=doc.access.groups, users=doc.access.users)
    )
    # Seeded the way SuperOffice's GUI stores values: in CultureDataFormatter form ([I:30], [I:1]).
    before = target.read_metadata(fresh=True).connectors[doc.connector].config_fields
    config = {
        k: gui_text(before[k].field_type if k in before else None, resolve(text(v), env=env, vars=vars).value)
        for k, v in doc.config.items()
    }
    saved = target.save_connection(
        name=doc.name,
        connector_id=live.connectors[doc.connector].id,
        description=doc.description,
        access=access,
        config=config,
    )
    cid = saved.erp_connection_id
    metadata = target.read_metadata(fresh=True)
    live_conn = target.read_live(fresh=True).connections[doc.name]
    for actor, live_actor in live_conn.actors.items():
        spec = doc.actors.get(actor)
        docs = desired.actor(actor)
        fields: dict[str, FieldMappingValue] = {}
        if docs.mappings is not None:
            for key in live_actor.fields:
                fields[key] = _mapping_value(docs.mappings.fields.get(key))
        target.save_actor_mapping(cid, actor, sync=spec.sync if spec else False, fields=fields)
        live_actor = target.read_live(fresh=True).connections[doc.name].actors[actor]
        lists = []
        for field_key, list_doc in docs.lists.items():
            crm = live_actor.fields[field_key].crm
            items = {k: _item_id(metadata, crm, ref.name, ref.id) for k, ref in list_doc.items.items()}
            lists.append(ListMappingValue(live_actor.fields[field_key].field_id, actor, items))
        if lists:
            target.save_list_mappings(cid, lists)
        if docs.defaults is not None:
            actor_meta = metadata.connections[doc.name].actors.get(actor)
            field_types = {k: f.field_type for k, f in actor_meta.fields.items()} if actor_meta else {}
            for key, default in docs.defaults.fields.items():
                value = LiveDefault(
                    has_value=default.value is not None,
                    value=gui_text(field_types.get(key), default.value) if default.value is not None else "",
                    prompt=bool(default.prompt),
                    mandatory=bool(default.mandatory),
                )
                target.save_default(cid, live_actor.fields[key].field_id, value)
        if docs.ranking is not None:
            _rank(target, cid, actor, list(live_actor.fields), list(docs.ranking.order), live_actor.fields)
    reasons = target.set_active(cid, doc.active)
    assert not reasons, reasons


def gui_text(field_type: FieldMetadataType | None, value: object) -> str:
    """A value as SuperOffice's GUI stores it: encoded for its type, text as it is."""
    if isinstance(value, str | int | float | bool):
        encoded = wire_form(field_type, value)
        if encoded is not None:
            return encoded
    return text(value)


def _mapping_value(spec: FieldMappingSpec | None) -> FieldMappingValue:
    if spec is None:
        return FieldMappingValue()
    return FieldMappingValue(
        crm=spec.crm or "",
        to_crm=spec.direction in (Direction.TO_CRM, Direction.BOTH),
        to_erp=spec.direction in (Direction.TO_ERP, Direction.BOTH),
        show_in_search=bool(spec.show_in_search),
        show_in_tab=bool(spec.show_in_tab),
    )


def _item_id(metadata: Metadata, crm: str, name: str | None, item_id: int | None) -> int | None:
    if item_id is not None or name is None:
        return item_id
    crm_list = metadata.crm_lists[metadata.crm_fields[crm].list_name]
    (found,) = crm_list.ids_named(name)
    return found


def _rank(
    target: Target,
    cid: int,
    actor: ErpActorType,
    current: list[str],
    order: list[str],
    fields: Mapping[str, LiveField],
) -> None:
    """Bubble each listed field up into place, one `MoveErpFieldItem` step at a time."""
    ids = {k: fields[k].field_id for k in current}
    for position, key in enumerate(order):
        index = current.index(key)
        for _ in range(index - position):
            target.move_field(cid, actor, ids[key], -1)
        current.insert(position, current.pop(index))
