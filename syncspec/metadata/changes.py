"""The values a metadata diff is made of: one `MetadataChange` per thing that changed."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class ChangeKind(enum.StrEnum):
    """What happened to one thing the tenant's metadata describes."""

    CONNECTOR_ADDED = "connector-added"
    CONNECTOR_REMOVED = "connector-removed"
    CONNECTOR_URL_CHANGED = "connector-url-changed"
    CONNECTION_ADDED = "connection-added"
    CONNECTION_REMOVED = "connection-removed"
    CONNECTION_CONNECTOR_CHANGED = "connection-connector-changed"
    ACTOR_OFFERED = "actor-offered"
    ACTOR_WITHDRAWN = "actor-withdrawn"
    ERP_FIELD_ADDED = "erp-field-added"
    ERP_FIELD_REMOVED = "erp-field-removed"
    ERP_FIELD_RETYPED = "erp-field-retyped"
    ERP_FIELD_MADE_MANDATORY = "erp-field-made-mandatory"
    ERP_FIELD_MADE_READ_ONLY = "erp-field-made-read-only"
    ERP_FIELD_ACCESS_CHANGED = "erp-field-access-changed"
    ERP_FIELD_LIST_CHANGED = "erp-field-list-changed"
    ERP_FIELD_CHANGED = "erp-field-changed"  # display name or maximum length
    ERP_LIST_ADDED = "erp-list-added"
    ERP_LIST_REMOVED = "erp-list-removed"
    ERP_LIST_ITEM_ADDED = "erp-list-item-added"
    ERP_LIST_ITEM_REMOVED = "erp-list-item-removed"
    ERP_LIST_ITEM_RENAMED = "erp-list-item-renamed"
    CONFIG_FIELD_ADDED = "config-field-added"
    CONFIG_FIELD_REMOVED = "config-field-removed"
    CONFIG_FIELD_CHANGED = "config-field-changed"
    CONFIG_LIST_ITEM_ADDED = "config-list-item-added"
    CONFIG_LIST_ITEM_REMOVED = "config-list-item-removed"
    CRM_FIELD_ADDED = "crm-field-added"
    CRM_FIELD_REMOVED = "crm-field-removed"
    CRM_FIELD_CHANGED = "crm-field-changed"
    CRM_LIST_ADDED = "crm-list-added"
    CRM_LIST_REMOVED = "crm-list-removed"
    CRM_LIST_ITEM_ADDED = "crm-list-item-added"
    CRM_LIST_ITEM_REMOVED = "crm-list-item-removed"
    CRM_LIST_ITEM_RENAMED = "crm-list-item-renamed"
    USER_ADDED = "user-added"
    USER_REMOVED = "user-removed"
    GROUP_ADDED = "group-added"
    GROUP_REMOVED = "group-removed"


@dataclass(frozen=True, order=True)
class MetadataChange:
    """One change. Empty strings for what does not apply (no actor for a config field, ...).

    `subject` is the key that changed (field key, item key, user name); `owner` the list or
    connector that holds it. `before`/`after` are short texts ("Text", "Mandatory", an item's
    display text), empty when the thing did not exist on that side.
    """

    kind: ChangeKind
    connection: str = ""
    actor: str = ""
    owner: str = ""  # connector (config fields), ERP/CRM/config list name
    subject: str = ""
    before: str = ""
    after: str = ""

    @property
    def scope(self) -> str:
        """Where the change is, as readers name it: `connection demo-norway, Customer` and so on."""
        parts: list[str] = []
        if self.connection:
            parts.append(f"connection {self.connection}")
        if self.actor:
            parts.append(self.actor)
        return ", ".join(parts)

    def describe(self) -> str:
        """One line saying what changed, without the scope."""
        return _DESCRIBE[self.kind](self)


def _arrow(c: MetadataChange) -> str:
    return f"{c.before or '(none)'} -> {c.after or '(none)'}"


_DESCRIBE = {
    ChangeKind.CONNECTOR_ADDED: lambda c: f"connector {c.subject} added",
    ChangeKind.CONNECTOR_REMOVED: lambda c: f"connector {c.subject} removed",
    ChangeKind.CONNECTOR_URL_CHANGED: lambda c: f"connector {c.subject} URL changed",
    ChangeKind.CONNECTION_ADDED: lambda c: f"connection {c.subject} added (connector {c.after})",
    ChangeKind.CONNECTION_REMOVED: lambda c: f"connection {c.subject} removed",
    ChangeKind.CONNECTION_CONNECTOR_CHANGED: lambda c: f"connection {c.subject} connector {_arrow(c)}",
    ChangeKind.ACTOR_OFFERED: lambda c: f"actor type {c.subject} offered",
    ChangeKind.ACTOR_WITHDRAWN: lambda c: f"actor type {c.subject} withdrawn",
    ChangeKind.ERP_FIELD_ADDED: lambda c: f"ERP field {c.subject} added ({c.after})",
    ChangeKind.ERP_FIELD_REMOVED: lambda c: (
        f"ERP field {c.subject} removed" + (f" ({c.after})" if c.after else "")
    ),
    ChangeKind.ERP_FIELD_RETYPED: lambda c: f"ERP field {c.subject} retyped {_arrow(c)}",
    ChangeKind.ERP_FIELD_MADE_MANDATORY: lambda c: f"ERP field {c.subject} made mandatory ({_arrow(c)})",
    ChangeKind.ERP_FIELD_MADE_READ_ONLY: lambda c: f"ERP field {c.subject} made read-only ({_arrow(c)})",
    ChangeKind.ERP_FIELD_ACCESS_CHANGED: lambda c: f"ERP field {c.subject} access {_arrow(c)}",
    ChangeKind.ERP_FIELD_LIST_CHANGED: lambda c: f"ERP field {c.subject} list {_arrow(c)}",
    ChangeKind.ERP_FIELD_CHANGED: lambda c: f"ERP field {c.subject} changed: {_arrow(c)}",
    ChangeKind.ERP_LIST_ADDED: lambda c: f"ERP list {c.owner} now published",
    ChangeKind.ERP_LIST_REMOVED: lambda c: f"ERP list {c.owner} no longer published (its items are unknown)",
    ChangeKind.ERP_LIST_ITEM_ADDED: lambda c: f"ERP list {c.owner}: item {c.subject} added ({c.after})",
    ChangeKind.ERP_LIST_ITEM_REMOVED: lambda c: f"ERP list {c.owner}: item {c.subject} removed ({c.before})",
    ChangeKind.ERP_LIST_ITEM_RENAMED: lambda c: f"ERP list {c.owner}: item {c.subject} renamed {_arrow(c)}",
    ChangeKind.CONFIG_FIELD_ADDED: lambda c: (
        f"connector {c.owner}: config field {c.subject} added ({c.after})"
    ),
    ChangeKind.CONFIG_FIELD_REMOVED: lambda c: f"connector {c.owner}: config field {c.subject} removed",
    ChangeKind.CONFIG_FIELD_CHANGED: lambda c: f"connector {c.owner}: config field {c.subject} {_arrow(c)}",
    ChangeKind.CONFIG_LIST_ITEM_ADDED: lambda c: f"config list {c.owner}: item {c.subject} added",
    ChangeKind.CONFIG_LIST_ITEM_REMOVED: lambda c: f"config list {c.owner}: item {c.subject} removed",
    ChangeKind.CRM_FIELD_ADDED: lambda c: f"CRM field {c.subject} added",
    ChangeKind.CRM_FIELD_REMOVED: lambda c: f"CRM field {c.subject} removed",
    ChangeKind.CRM_FIELD_CHANGED: lambda c: f"CRM field {c.subject} {_arrow(c)}",
    ChangeKind.CRM_LIST_ADDED: lambda c: f"CRM list {c.owner} added",
    ChangeKind.CRM_LIST_REMOVED: lambda c: f"CRM list {c.owner} removed",
    ChangeKind.CRM_LIST_ITEM_ADDED: lambda c: f"CRM list {c.owner}: item {c.after} (id {c.subject}) added",
    ChangeKind.CRM_LIST_ITEM_REMOVED: lambda c: (
        f"CRM list {c.owner}: item {c.before} (id {c.subject}) removed"
    ),
    ChangeKind.CRM_LIST_ITEM_RENAMED: lambda c: (
        f"CRM list {c.owner}: item id {c.subject} renamed {_arrow(c)}"
    ),
    ChangeKind.USER_ADDED: lambda c: f"user {c.subject} added",
    ChangeKind.USER_REMOVED: lambda c: f"user {c.subject} removed",
    ChangeKind.GROUP_ADDED: lambda c: f"group {c.subject} added",
    ChangeKind.GROUP_REMOVED: lambda c: f"group {c.subject} removed",
}
