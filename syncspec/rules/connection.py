"""Rules on a Connection document: actor types, config fields and values, access.

Config values are never quoted in messages except list item keys: a value may be a
password, and `${env:...}` values are checked only after interpolation, at plan time.
"""

from __future__ import annotations

import re

from syncspec.model.address import Address
from syncspec.model.desired import ConnectionDoc
from syncspec.model.desired_fields import REFERENCE
from syncspec.model.diagnostics import Diagnostic, Location
from syncspec.model.enums import ErpActorType, FieldAccess, FieldMetadataType
from syncspec.model.metadata import ConfigFieldMeta, ConnectionMeta, ConnectorMeta, Metadata
from syncspec.model.text import scalar_text
from syncspec.rules.context import ValueParser, closest, make
from syncspec.spec.loading.interpolate import env_name_for, find_references

_REFERENCE = re.compile(REFERENCE)
# SuperOffice's ConnectionConfigField.FieldValue column holds 1023 characters.
_CONFIG_VALUE_MAX = 1023


def _at(doc: ConnectionDoc, *path: str | int) -> Location | None:
    return doc.origin.locate(tuple(path)) if doc.origin is not None else None


def _address(doc: ConnectionDoc) -> str:
    return str(Address.connection(doc.name))


def check_actors(doc: ConnectionDoc, conn_meta: ConnectionMeta) -> list[Diagnostic]:
    """SS301 for each actor type under `actors` that the connector does not offer."""
    # SuperOffice's own order of actor types, whatever order the metadata came in
    offered = [a.value for a in ErpActorType if a in conn_meta.actors]
    return [
        make(
            "SS301",
            f"connector {doc.connector!r} offers no actor type {actor.value} for connection {doc.name!r}",
            _at(doc, "actors", actor.value),
            str(Address.connection(doc.name).of_actor(actor.value)),
            hint=f"actor types it offers: {', '.join(offered) or 'none'}",
        )
        for actor in doc.actors
        if actor not in conn_meta.actors
    ]


def check_connector_unchanged(doc: ConnectionDoc, live_connector: str | None) -> list[Diagnostic]:
    """SS323 when an existing connection is given another connector.

    The help lists what an existing connection lets you change: its name, scope and
    configuration values (R-C4); the tenant refuses a new connector, so say it before apply.
    """
    if live_connector is None or live_connector == doc.connector:
        return []
    return [
        make(
            "SS323",
            f"connection {doc.name!r} exists on connector {live_connector!r}; "
            f"it cannot be moved to {doc.connector!r}",
            _at(doc, "connector"),
            _address(doc),
        )
    ]


def check_config(
    doc: ConnectionDoc, connector: ConnectorMeta, parse_value: ValueParser | None
) -> list[Diagnostic]:
    """SS315 (mandatory missing), SS316 (unknown key), SS317 (invalid value), SS325 (password in the file)."""
    found: list[Diagnostic] = []
    address = _address(doc)
    fields = connector.config_fields
    for key, meta in fields.items():
        if meta.access is not FieldAccess.MANDATORY or meta.field_type is FieldMetadataType.LABEL:
            continue
        given = doc.config.get(key)
        if given is None or scalar_text(given) == "":
            found.append(
                make(
                    "SS315",
                    f"connection {doc.name!r} lacks the mandatory config field {key!r} ({meta.display_name})",
                    _at(doc, "config") if doc.config else _at(doc),
                    address,
                    hint=f"add '{key}: ...' under config (connector {connector.name!r} requires it)",
                )
            )
    for key, value in doc.config.items():
        given_meta = fields.get(key)
        if given_meta is None:
            found.append(
                make(
                    "SS316",
                    f"connector {connector.name!r} defines no config field {key!r}",
                    _at(doc, "config", key),
                    address,
                    hint=closest(key, fields, "config fields"),
                )
            )
            continue
        text = scalar_text(value)
        if given_meta.field_type is FieldMetadataType.PASSWORD:
            found.extend(_written_password(doc, key, text))
        if _REFERENCE.search(text):
            continue  # checked once the reference is resolved, at plan time
        if (
            given_meta.field_type is FieldMetadataType.LIST
            and given_meta.list_name not in connector.config_lists
        ):
            found.append(
                make(
                    "SS324",
                    f"config field {key!r}: the items of the connector's list {given_meta.list_name!r} are "
                    "not published by the tenant; the value was not checked",
                    _at(doc, "config", key),
                    address,
                )
            )
        problem = _value_problem(given_meta, text, connector, parse_value)
        if problem is not None:
            message, hint = problem
            found.append(make("SS317", message, _at(doc, "config", key), address, hint=hint))
    return found


def _written_password(doc: ConnectionDoc, key: str, text: str) -> list[Diagnostic]:
    """SS325 when a Password-typed value is not taken from the environment.

    Configuration files are meant to be committed: a password written in one (or in
    syncspec.yaml, through `${var:...}`) is in the repository's history for good.
    The value itself is never quoted.
    """
    if text == "" or any(ref.source == "env" for ref in find_references(text)):
        return []
    name = env_name_for(doc.name, key)
    return [
        make(
            "SS325",
            f"config field {key!r} of connection {doc.name!r} is a password written in the configuration",
            _at(doc, "config", key),
            _address(doc),
            hint=f"write '{key}: ${{env:{name}}}' and export {name} where syncspec runs",
        )
    ]


def _value_problem(
    meta: ConfigFieldMeta, text: str, connector: ConnectorMeta, parse_value: ValueParser | None
) -> tuple[str, str] | None:
    key = meta.key
    if meta.field_type is FieldMetadataType.LABEL:
        return f"config field {key!r} is a label and takes no value", f"remove {key!r} from config"
    if meta.field_type is FieldMetadataType.LIST:
        items = connector.config_lists.get(meta.list_name)
        if items is not None and text not in items:
            return (
                f"config field {key!r}: the list {meta.list_name!r} has no item {text!r}",
                closest(text, items, "item keys"),
            )
        return None
    limit = meta.max_length or _CONFIG_VALUE_MAX
    if meta.field_type in (FieldMetadataType.TEXT, FieldMetadataType.PASSWORD) and len(text) > limit:
        return (
            f"config field {key!r} is longer than its {limit} characters",
            f"shorten the value of {key!r}",
        )
    if parse_value is None:
        return None
    try:
        parse_value(meta.field_type, text)
    except ValueError as exc:
        return f"config field {key!r}: {exc}", f"give {key!r} a value of type {meta.field_type.value}"
    return None


def check_access(doc: ConnectionDoc, metadata: Metadata) -> list[Diagnostic]:
    """SS318 for users and groups the tenant does not have."""
    if doc.access == "everyone":
        return []
    found: list[Diagnostic] = []
    for part, names, known, what in (
        ("groups", doc.access.groups, metadata.groups, "user group"),
        ("users", doc.access.users, metadata.users, "user"),
    ):
        for index, name in enumerate(names):
            if name not in known:
                found.append(
                    make(
                        "SS318",
                        f"connection {doc.name!r} gives access to {what} {name!r}, which the tenant lacks",
                        _at(doc, "access", part, index),
                        _address(doc),
                        hint=closest(name, known, f"{what}s"),
                    )
                )
    return found
