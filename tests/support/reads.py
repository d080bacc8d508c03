"""Reads tests use often, through the documented sources (ErpField archive, MDO lists)."""

from __future__ import annotations

from syncspec.model.enums import ErpActorType
from syncspec.targets.lists import BY_RANK, ERP_CONNECTIONS_LIST, ErpFieldRow, TenantLists


def field_ranks(agent: TenantLists, connection_id: int, actor: ErpActorType) -> list[ErpFieldRow]:
    """One actor type's ErpField rows, lowest rank first."""
    rows = [r for r in agent.get_erp_field_rows(connection_id) if r.actor_type_erp is actor]
    return sorted(rows, key=lambda r: (r.rank, r.id))


def sync_priorities(agent: TenantLists) -> list[int]:
    return [item.id for item in agent.get_mdo_list(ERP_CONNECTIONS_LIST, BY_RANK)]
