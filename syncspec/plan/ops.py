"""Plan operations: one frozen type per step kind, the contract between the planner and the applier.

The planner builds them (`plan/steps.py`), the plan file writes and reads them
(`plan/planfile.py`), the applier and the restore dispatch on their type (`apply/steps.py`,
`apply/rollback.py`). Each knows its plan-file form: `data` is the step's `data` object in
the file, and `from_data` reads it back once `step_data` has checked its shape, so nothing
downstream converts untyped JSON again. An operation carries live ids and desired values,
never a secret value: sensitive config keys are named and the applier resolves them itself.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

from syncspec.model.applied import JsonValue
from syncspec.model.enums import ErpActorType
from syncspec.model.live import LiveAccess


class StepKind(enum.StrEnum):
    SAVE_CONNECTOR = "save_connector"
    SAVE_CONNECTION = "save_connection"
    REFRESH_FIELDS = "refresh_fields"
    DEACTIVATE = "deactivate"
    SAVE_ACTOR_MAPPING = "save_actor_mapping"
    SAVE_LIST_MAPPINGS = "save_list_mappings"
    SAVE_DEFAULT = "save_default"
    MOVE_FIELD = "move_field"
    ACTIVATE = "activate"
    DELETE_CONNECTION = "delete_connection"
    DELETE_CONNECTOR = "delete_connector"
    SAVE_SYNC_PRIORITY = "save_sync_priority"
    SAVE_SYNC_ENGINE = "save_sync_engine"


@dataclass(frozen=True, kw_only=True)
class Step:
    """What every operation has: its kind, its connection ("" for tenant-wide ones), and the
    plan addresses it realises. Concrete operations are the subclasses below."""

    kind: ClassVar[StepKind]
    connection: str = ""
    addresses: tuple[str, ...] = ()

    @property
    def data(self) -> dict[str, JsonValue]:
        """The step's `data` object in the plan file."""
        raise NotImplementedError

    @classmethod
    def from_data(cls, connection: str, addresses: tuple[str, ...], data: Mapping[str, Any]) -> Self:
        """The operation of a plan file's step whose data has this kind's shape (`step_data`)."""
        raise NotImplementedError


def access_of(value: Any) -> LiveAccess | None:
    """The access of a connection save from its plan-file form."""
    if value is None:
        return None
    if isinstance(value, Mapping):
        groups, users = value.get("groups") or (), value.get("users") or ()
        return LiveAccess(False, tuple(str(g) for g in groups), tuple(str(u) for u in users))
    return LiveAccess()


def access_data(access: LiveAccess | None) -> JsonValue:
    if access is None:
        return None
    if access.everyone:
        return "everyone"
    return {"groups": list[JsonValue](access.groups), "users": list[JsonValue](access.users)}


def _live_id(value: Any) -> int | None:
    return None if value is None else int(value)


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


@dataclass(frozen=True, kw_only=True)
class SaveConnector(Step):
    kind = StepKind.SAVE_CONNECTOR
    name: str
    id: int | None  # None: the connector is created
    url: str | None

    @property
    def data(self) -> dict[str, JsonValue]:
        return {"name": self.name, "id": self.id, "url": self.url}

    @classmethod
    def from_data(cls, connection: str, addresses: tuple[str, ...], data: Mapping[str, Any]) -> Self:
        return cls(
            connection=connection,
            addresses=addresses,
            name=data["name"],
            id=_live_id(data["id"]),
            url=data["url"],
        )


@dataclass(frozen=True, kw_only=True)
class DeleteConnector(Step):
    kind = StepKind.DELETE_CONNECTOR
    name: str
    id: int

    @property
    def data(self) -> dict[str, JsonValue]:
        return {"name": self.name, "id": self.id}

    @classmethod
    def from_data(cls, connection: str, addresses: tuple[str, ...], data: Mapping[str, Any]) -> Self:
        return cls(connection=connection, addresses=addresses, name=data["name"], id=data["id"])


@dataclass(frozen=True, kw_only=True)
class SaveConnection(Step):
    """Save a connection's own fields; `config` holds None for each of `sensitive_keys`."""

    kind = StepKind.SAVE_CONNECTION
    id: int | None
    name: str
    create: bool
    connector: str | None
    description: str | None
    access: LiveAccess | None  # in the file: "everyone", {"groups": [...], "users": [...]}, or null
    config: Mapping[str, str | None] = field(default_factory=dict)
    # the applier resolves these itself; a plan never carries a secret
    sensitive_keys: tuple[str, ...] = ()

    @property
    def data(self) -> dict[str, JsonValue]:
        return {
            "id": self.id,
            "name": self.name,
            "create": self.create,
            "connector": self.connector,
            "description": self.description,
            "access": access_data(self.access),
            "config": dict[str, JsonValue](self.config),
            "sensitive_keys": list[JsonValue](self.sensitive_keys),
        }

    @classmethod
    def from_data(cls, connection: str, addresses: tuple[str, ...], data: Mapping[str, Any]) -> Self:
        return cls(
            connection=connection,
            addresses=addresses,
            id=_live_id(data["id"]),
            name=data["name"],
            create=data["create"],
            connector=data["connector"],
            description=data["description"],
            access=access_of(data["access"]),
            config=dict(data["config"]),
            sensitive_keys=tuple(data["sensitive_keys"]),
        )


@dataclass(frozen=True, kw_only=True)
class ConnectionCall(Step):
    """A call on the connection as a whole, by its id (None: created by this apply)."""

    id: int | None

    @property
    def data(self) -> dict[str, JsonValue]:
        return {"id": self.id}

    @classmethod
    def from_data(cls, connection: str, addresses: tuple[str, ...], data: Mapping[str, Any]) -> Self:
        return cls(connection=connection, addresses=addresses, id=_live_id(data["id"]))


@dataclass(frozen=True, kw_only=True)
class RefreshFields(ConnectionCall):
    """Ask the connector for the connection's actor types and fields again."""

    kind = StepKind.REFRESH_FIELDS


@dataclass(frozen=True, kw_only=True)
class Deactivate(ConnectionCall):
    kind = StepKind.DEACTIVATE


@dataclass(frozen=True, kw_only=True)
class Activate(ConnectionCall):
    kind = StepKind.ACTIVATE


@dataclass(frozen=True, kw_only=True)
class DeleteConnection(ConnectionCall):
    kind = StepKind.DELETE_CONNECTION


@dataclass(frozen=True)
class FieldTarget:
    """One ERP field of an actor mapping save. An attribute that is None is not given: a field
    first seen on a new connection carries only the attributes it asks for."""

    field_id: int | None
    crm: str | None = None
    direction: str | None = None
    show_in_search: bool | None = None
    show_in_tab: bool | None = None

    @property
    def data(self) -> dict[str, JsonValue]:
        given: dict[str, JsonValue] = {
            "crm": self.crm,
            "direction": self.direction,
            "show_in_search": self.show_in_search,
            "show_in_tab": self.show_in_tab,
        }
        return {"field_id": self.field_id, **{k: v for k, v in given.items() if v is not None}}

    @classmethod
    def of(cls, attrs: Mapping[str, Any]) -> FieldTarget:
        show_in_search, show_in_tab = attrs.get("show_in_search"), attrs.get("show_in_tab")
        return cls(
            field_id=_live_id(attrs.get("field_id")),
            crm=_text_or_none(attrs.get("crm")),
            direction=_text_or_none(attrs.get("direction")),
            show_in_search=None if show_in_search is None else bool(show_in_search),
            show_in_tab=None if show_in_tab is None else bool(show_in_tab),
        )


@dataclass(frozen=True, kw_only=True)
class SaveActorMapping(Step):
    """Save one actor type's whole mapping: its sync flag and every field."""

    kind = StepKind.SAVE_ACTOR_MAPPING
    connection_id: int | None
    actor: ErpActorType
    sync: bool
    fields: Mapping[str, FieldTarget] = field(default_factory=dict)

    @property
    def data(self) -> dict[str, JsonValue]:
        return {
            "connection_id": self.connection_id,
            "actor": self.actor.value,
            "sync": self.sync,
            "fields": {key: f.data for key, f in self.fields.items()},
        }

    @classmethod
    def from_data(cls, connection: str, addresses: tuple[str, ...], data: Mapping[str, Any]) -> Self:
        return cls(
            connection=connection,
            addresses=addresses,
            connection_id=_live_id(data["connection_id"]),
            actor=ErpActorType(data["actor"]),
            sync=data["sync"],
            fields={key: FieldTarget.of(attrs) for key, attrs in data["fields"].items()},
        )


# actor -> ERP list field -> ERP item -> CRM item id (None: "(No selection)")
ListTargets = Mapping[ErpActorType, Mapping[str, Mapping[str, int | None]]]


@dataclass(frozen=True, kw_only=True)
class SaveListMappings(Step):
    """Save the connection's whole list container: every list field mapped to a CRM list."""

    kind = StepKind.SAVE_LIST_MAPPINGS
    connection_id: int | None
    lists: ListTargets = field(default_factory=dict)

    @property
    def data(self) -> dict[str, JsonValue]:
        lists: dict[str, JsonValue] = {
            actor.value: {list_field: dict[str, JsonValue](items) for list_field, items in per_field.items()}
            for actor, per_field in self.lists.items()
        }
        return {"connection_id": self.connection_id, "lists": lists}

    @classmethod
    def from_data(cls, connection: str, addresses: tuple[str, ...], data: Mapping[str, Any]) -> Self:
        lists = {
            ErpActorType(actor): {list_field: dict(items) for list_field, items in per_field.items()}
            for actor, per_field in data["lists"].items()
        }
        return cls(
            connection=connection,
            addresses=addresses,
            connection_id=_live_id(data["connection_id"]),
            lists=lists,
        )


@dataclass(frozen=True, kw_only=True)
class FieldStep(Step):
    """A step on one ERP field of one actor (its id None: discovered during this apply)."""

    connection_id: int | None
    actor: ErpActorType
    field: str
    field_id: int | None

    def _field_data(self) -> dict[str, JsonValue]:
        return {
            "connection_id": self.connection_id,
            "actor": self.actor.value,
            "field": self.field,
            "field_id": self.field_id,
        }


@dataclass(frozen=True, kw_only=True)
class SaveDefault(FieldStep):
    kind = StepKind.SAVE_DEFAULT
    value: str | None  # None: no default value
    prompt: bool
    mandatory: bool

    @property
    def data(self) -> dict[str, JsonValue]:
        return {**self._field_data(), "value": self.value, "prompt": self.prompt, "mandatory": self.mandatory}

    @classmethod
    def from_data(cls, connection: str, addresses: tuple[str, ...], data: Mapping[str, Any]) -> Self:
        return cls(
            connection=connection,
            addresses=addresses,
            connection_id=_live_id(data["connection_id"]),
            actor=ErpActorType(data["actor"]),
            field=data["field"],
            field_id=_live_id(data["field_id"]),
            value=data["value"],
            prompt=data["prompt"],
            mandatory=data["mandatory"],
        )


@dataclass(frozen=True, kw_only=True)
class MoveField(FieldStep):
    """One rank move of a field: -1 up, 1 down (SuperOffice moves one place per call)."""

    kind = StepKind.MOVE_FIELD
    direction: int

    @property
    def data(self) -> dict[str, JsonValue]:
        return {**self._field_data(), "direction": self.direction}

    @classmethod
    def from_data(cls, connection: str, addresses: tuple[str, ...], data: Mapping[str, Any]) -> Self:
        return cls(
            connection=connection,
            addresses=addresses,
            connection_id=_live_id(data["connection_id"]),
            actor=ErpActorType(data["actor"]),
            field=data["field"],
            field_id=_live_id(data["field_id"]),
            direction=data["direction"],
        )


@dataclass(frozen=True, kw_only=True)
class SaveSyncPriority(Step):
    """The tenant's connection order, by name (ids are looked up when it runs)."""

    kind = StepKind.SAVE_SYNC_PRIORITY
    order: tuple[str, ...]

    @property
    def data(self) -> dict[str, JsonValue]:
        return {"order": list[JsonValue](self.order)}

    @classmethod
    def from_data(cls, connection: str, addresses: tuple[str, ...], data: Mapping[str, Any]) -> Self:
        return cls(connection=connection, addresses=addresses, order=tuple(data["order"]))


@dataclass(frozen=True, kw_only=True)
class SaveSyncEngine(Step):
    """The Sync tab's settings; None leaves a setting as it is."""

    kind = StepKind.SAVE_SYNC_ENGINE
    automatic: bool | None
    interval: str | None

    @property
    def data(self) -> dict[str, JsonValue]:
        return {"automatic": self.automatic, "interval": self.interval}

    @classmethod
    def from_data(cls, connection: str, addresses: tuple[str, ...], data: Mapping[str, Any]) -> Self:
        return cls(
            connection=connection, addresses=addresses, automatic=data["automatic"], interval=data["interval"]
        )


OPERATIONS: dict[StepKind, type[Step]] = {
    op.kind: op
    for op in (
        SaveConnector,
        DeleteConnector,
        SaveConnection,
        RefreshFields,
        Deactivate,
        Activate,
        DeleteConnection,
        SaveActorMapping,
        SaveListMappings,
        SaveDefault,
        MoveField,
        SaveSyncPriority,
        SaveSyncEngine,
    )
}


def step_of(kind: StepKind, connection: str, addresses: tuple[str, ...], data: Mapping[str, Any]) -> Step:
    """The operation of kind `kind` from its plan-file data (already checked by `step_data`)."""
    return OPERATIONS[kind].from_data(connection, addresses, data)
