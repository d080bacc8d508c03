"""The `Target` protocol: how syncspec reads and changes one tenant.

A target reads the live state and the metadata, and offers the domain write
operations the applier runs, each one ErpSync save after a fresh read of what it
saves (read-modify-write, so what the configuration does not own is sent back as the
tenant has it; `set_active` reads `Active` first, so it never toggles blindly).
Every write takes plain values the applier already holds, either the desired ones
or the `before` values of a `LiveState`, so a step can be undone by running the same
operation with the `before` values.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from syncspec.model.enums import ErpActorType
from syncspec.model.live import LiveAccess, LiveDefault, LiveField, LiveState, LiveSyncEngine
from syncspec.model.metadata import Metadata
from syncspec.targets.carriers import (
    ErpConnection,
    ErpConnectionListMappingContainer,
    ErpSyncActorTypeMapping,
    ErpSyncConnectorEntity,
    ErpSyncDefaultValue,
)


@dataclass(frozen=True)
class FieldMappingValue:
    """The writable part of one ERP field's mapping (SuperOffice saves it with its actor type)."""

    crm: str = ""
    to_crm: bool = False
    to_erp: bool = False
    show_in_search: bool = False
    show_in_tab: bool = False

    @classmethod
    def of(cls, live: LiveField) -> FieldMappingValue:
        return cls(
            crm=live.crm,
            to_crm=live.to_crm,
            to_erp=live.to_erp,
            show_in_search=live.show_in_search,
            show_in_tab=live.show_in_tab,
        )


@dataclass(frozen=True)
class ListMappingValue:
    """All item mappings of one mapped ERP list field (None = "(No selection)")."""

    field_id: int
    actor: ErpActorType
    items: Mapping[str, int | None] = field(default_factory=dict)


class Target(Protocol):
    """One tenant, as syncspec reads and changes it.

    Reads are cached for the target's lifetime (nothing is read twice); a write drops
    what it may have changed, and `fresh=True` drops the cache before reading, which is
    what an applier's stale check needs: all of it, or with `connections` given only those
    connections' answers and the tenant-wide lists a live state carries (connection list,
    sync priority, engine status). `call_counts` counts agent calls per method.
    Writes return what the tenant returned; refusals raise `AgentError`.
    """

    @property
    def call_counts(self) -> Counter[str]:
        """Agent calls made so far, per agent method name."""
        ...

    @property
    def parallelism(self) -> int:
        """Calls the tenant can usefully serve at once (1: it serialises them anyway)."""
        ...

    def identity(self) -> str:
        """A stable name of the tenant (`local:/abs/tenant.db`, `superoffice:https://...`)."""
        ...

    def read_live(self, *, connections: Collection[str] | None = None, fresh: bool = False) -> LiveState:
        """The live state; `connections` limits the connections read in depth (by name)."""
        ...

    def read_metadata(self, *, connections: Collection[str] | None = None, fresh: bool = False) -> Metadata:
        """The metadata; `connections` limits the connections described (by name)."""
        ...

    # --- connectors -----------------------------------------------------------------
    def save_connector(self, name: str, url: str, existing_id: int = 0) -> ErpSyncConnectorEntity:
        """Create (existing_id 0) or update a sync connector."""
        ...

    def delete_connector(self, connector_id: int) -> None: ...

    # --- connections ------------------------------------------------------------------
    def test_config(self, connection_id: int, config: Mapping[str, str]) -> bool:
        """The GUI's "Test ERP connection" on unsaved values.

        `connection_id` is the connection's id, or for a connection not created yet its
        connector's id ("the connector we try to connect to"; see docs/rest.md).
        """
        ...

    def config_refusal_reason(self, connection_id: int, config: Mapping[str, str]) -> str | None:
        """Why `test_config` answered false, in the connector's words, when the tenant can say.

        None when it cannot: SuperOffice's TestConnectionByConfig answers a bare bool and no
        documented method gives the reason (only the GUI's "Test ERP connection" shows it).
        The embedded tenant tells it. Secrets are scrubbed from it.
        """
        ...

    def save_connection(
        self,
        *,
        name: str,
        connector_id: int,
        description: str,
        access: LiveAccess,
        config: Mapping[str, str],
        existing_id: int = 0,
    ) -> ErpConnection:
        """Create or update; never changes Active. Pass `MASKED_VALUE` to keep a stored secret."""
        ...

    def refresh_fields(self, connection_id: int) -> bool:
        """Re-discover actor types and fields from the connector."""
        ...

    def set_active(self, connection_id: int, active: bool) -> list[str]:
        """Make Active equal `active`: reads it first, toggles only when it differs.

        Returns the tenant's reasons for refusing (empty: done or already so).
        """
        ...

    def delete_connection(self, connection_id: int) -> None: ...

    # --- mappings ---------------------------------------------------------------------
    def save_actor_mapping(
        self,
        connection_id: int,
        actor: ErpActorType,
        *,
        sync: bool,
        fields: Mapping[str, FieldMappingValue],
    ) -> ErpSyncActorTypeMapping:
        """Save one actor type (its sync flag and the given fields' mappings) in one call."""
        ...

    def save_list_mappings(
        self, connection_id: int, lists: Sequence[ListMappingValue]
    ) -> ErpConnectionListMappingContainer:
        """Save the connection's list mappings; each given field's items are replaced as a whole."""
        ...

    def save_default(
        self, connection_id: int, field_id: int, default: LiveDefault
    ) -> ErpSyncDefaultValue: ...

    def move_field(self, connection_id: int, actor: ErpActorType, field_id: int, direction: int) -> None:
        """Move a field one step on the ERP tab: +1 raises its rank number, -1 lowers it."""
        ...

    def save_sync_priority(self, connection_ids: Sequence[int]) -> bool: ...

    # --- the sync engine ----------------------------------------------------------------
    def set_sync_engine(self, *, automatic: bool | None, interval: str | None) -> LiveSyncEngine:
        """Automatic sync on/off and the interval (None leaves one as it is); reads first and
        changes only what differs. Returns the engine as the tenant then reports it."""
        ...

    def close(self) -> None: ...
