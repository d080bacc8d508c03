"""Tenant metadata: what exists to be configured (connector fields, ERP lists, CRM fields and lists).

Rules validate desired state against it; `metadata pull` saves it for offline use.
ERP fields are known per connection because SuperOffice discovers them when a
connection is saved; a connection that does not exist yet borrows the metadata of
another connection on the same connector (`borrowed_from`), since no API describes a
connector's fields before a connection exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from syncspec.model.enums import CrmActorType, ErpActorType, FieldAccess, FieldMetadataType


@dataclass(frozen=True)
class ErpFieldMeta:
    key: str
    display_name: str
    field_type: FieldMetadataType
    access: FieldAccess = FieldAccess.NORMAL
    list_name: str = ""
    max_length: int = 0
    missing_in_erp: bool = False

    @property
    def read_only(self) -> bool:
        return self.access is FieldAccess.READ_ONLY

    @property
    def mandatory(self) -> bool:
        return self.access is FieldAccess.MANDATORY


@dataclass(frozen=True)
class ActorMeta:
    actor: ErpActorType
    crm_actor: CrmActorType
    fields: Mapping[str, ErpFieldMeta]  # in the connector's order


@dataclass(frozen=True)
class ConnectionMeta:
    """What one connection's connector reports: actor types, their fields, and the ERP lists they use."""

    name: str
    connector: str
    actors: Mapping[ErpActorType, ActorMeta]
    # list name -> item key -> display text; only the lists the tenant reports (those of
    # mapped list fields over REST): a list missing here is unknown, not empty
    erp_lists: Mapping[str, Mapping[str, str]]
    borrowed_from: str = ""  # set when this describes a connection not yet created


@dataclass(frozen=True)
class ConfigFieldMeta:
    key: str
    display_name: str
    field_type: FieldMetadataType
    access: FieldAccess = FieldAccess.NORMAL
    list_name: str = ""
    default_value: str = ""
    max_length: int = 0

    @property
    def sensitive(self) -> bool:
        return self.field_type is FieldMetadataType.PASSWORD


@dataclass(frozen=True)
class ConnectorMeta:
    name: str
    url: str
    config_fields: Mapping[str, ConfigFieldMeta]
    config_lists: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # missing = unknown


@dataclass(frozen=True)
class CrmFieldMeta:
    """One CRM field. None means the tenant does not tell (see docs/targets.md, "What is unknown").

    The key is the tenant's CrmFieldKey, opaque: nothing may read an entity or a type from
    its spelling. Over REST only the key and its name are known (the `crmfields` MDO list),
    plus the list of fields a mapping's ListReference names; the embedded tenant knows all.
    """

    key: str
    display_name: str
    crm_actor: CrmActorType | None = None
    field_type: FieldMetadataType | None = None
    read_only: bool | None = None
    list_name: str = ""  # the CRM list (MDO list name) of a list field, when known


@dataclass(frozen=True)
class CrmListMeta:
    name: str
    items: Mapping[int, str]  # id -> name

    def ids_named(self, name: str) -> list[int]:
        return [item_id for item_id, item_name in self.items.items() if item_name == name]


@dataclass(frozen=True)
class Metadata:
    """Everything rules need to know about one tenant."""

    connectors: Mapping[str, ConnectorMeta]
    connections: Mapping[str, ConnectionMeta]
    crm_fields: Mapping[str, CrmFieldMeta]
    crm_lists: Mapping[str, CrmListMeta]
    users: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    taken_at: str = ""  # ISO 8601 UTC, when it was read
    source: str = ""  # "live" or the snapshot file it came from

    def for_connection(self, name: str, connector: str) -> ConnectionMeta | None:
        """The connection's own metadata, or a sibling's on the same connector for a new connection."""
        own = self.connections.get(name)
        if own is not None:
            return own
        for other in sorted(self.connections.values(), key=lambda c: c.name):
            if other.connector == connector:
                return ConnectionMeta(
                    name=name,
                    connector=connector,
                    actors=other.actors,
                    erp_lists=other.erp_lists,
                    borrowed_from=other.name,
                )
        return None
