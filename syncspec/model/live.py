"""The live state of a tenant, as a target reads it: plain frozen values keyed by natural keys.

Numeric ids (connector, connection, ERP field) are kept so the applier can address
objects, but the planner compares by name and key only: ids differ between tenants.
Password-typed config values arrive masked; `config_sensitive` names those keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from syncspec.model.enums import ErpActorType


@dataclass(frozen=True)
class LiveConnector:
    id: int
    name: str
    url: str


@dataclass(frozen=True)
class LiveDefault:
    """The user-set sync default of one ERP field (SuperOffice keeps it on the ErpField row)."""

    has_value: bool = False
    value: str = ""
    prompt: bool = False
    mandatory: bool = False

    @property
    def is_set(self) -> bool:
        return self.has_value or self.prompt or self.mandatory


@dataclass(frozen=True)
class LiveField:
    field_id: int
    key: str
    crm: str = ""
    to_crm: bool = False
    to_erp: bool = False
    show_in_search: bool = False
    show_in_tab: bool = False
    rank: int = 0
    default: LiveDefault = field(default_factory=LiveDefault)
    missing_in_erp: bool = False


@dataclass(frozen=True)
class LiveActor:
    actor: ErpActorType
    sync: bool  # IsActive of the actor-type mapping
    fields: Mapping[str, LiveField]  # ERP field key -> field; iteration order is rank order
    lists: Mapping[str, Mapping[str, int | None]] = field(default_factory=dict)  # field -> item -> CRM id


@dataclass(frozen=True)
class LiveAccess:
    everyone: bool = True
    groups: tuple[str, ...] = ()
    users: tuple[str, ...] = ()


@dataclass(frozen=True)
class LiveConnection:
    id: int
    guid: str
    name: str
    connector: str  # the connector's name
    description: str = ""
    active: bool = False
    access: LiveAccess = field(default_factory=LiveAccess)
    config: Mapping[str, str] = field(default_factory=dict)
    config_sensitive: frozenset[str] = frozenset()
    actors: Mapping[ErpActorType, LiveActor] = field(default_factory=dict)


@dataclass(frozen=True)
class LiveSyncEngine:
    """The sync engine as GetEngineStatus reports it (`interval` as the tenant sends it)."""

    automatic: bool  # IsRunning: the Sync tab's automatic sync switch
    interval: str
    status: str = ""  # the engine's status message: shown, never compared


@dataclass(frozen=True)
class LiveState:
    connectors: Mapping[str, LiveConnector] = field(default_factory=dict)
    connections: Mapping[str, LiveConnection] = field(default_factory=dict)
    sync_priority: tuple[str, ...] = ()  # connection names, highest priority first
    sync_engine: LiveSyncEngine | None = None  # None: not read (e.g. a snapshot without it)
