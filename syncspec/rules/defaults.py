"""Rules on Defaults documents: known fields, values the field's type accepts, and a source for
every default of a field the connector declares mandatory (docs/domain.md, default values).

A list field's default is the ERP item key, not its text. Other values are checked by the
CultureDataFormatter parser the caller passes in; their text never enters a message.
"""

from __future__ import annotations

from syncspec.model.diagnostics import Diagnostic
from syncspec.model.enums import FieldMetadataType as T
from syncspec.model.metadata import ErpFieldMeta
from syncspec.model.text import scalar_text
from syncspec.rules.context import ActorContext, closest, locate, make, unknown_erp_field


def check_defaults(ctx: ActorContext) -> list[Diagnostic]:
    doc = ctx.docs.defaults
    if doc is None:
        return []
    found: list[Diagnostic] = []
    for key, spec in doc.fields.items():
        erp = ctx.meta.fields.get(key)
        if erp is None:
            found.append(unknown_erp_field(ctx, key, locate(doc, "fields", key)))
            continue
        if erp.mandatory and not spec.mandatory and spec.value is None and not spec.prompt:
            # SuperOffice ticks Mandatory for a connector-mandatory field and keeps it ticked, and
            # a mandatory default needs 'Set default value' or 'Ask user' (SS212 when written out).
            found.append(
                make(
                    "SS322",
                    f"{key} is mandatory in the ERP, so its default needs a value or a prompt",
                    locate(doc, "fields", key),
                    f"{ctx.field_address(key)}.default",
                )
            )
        if spec.value is not None:
            if erp.field_type is T.LIST and erp.list_name not in ctx.conn_meta.erp_lists:
                found.append(
                    make(
                        "SS324",
                        f"default of {key}: the items of the ERP list {erp.list_name!r} are not published "
                        "by the tenant (only those of mapped list fields are); the value was not checked",
                        locate(doc, "fields", key, "value"),
                        f"{ctx.field_address(key)}.default",
                    )
                )
            problem = _value_problem(ctx, erp, spec.value)
            if problem is not None:
                message, hint = problem
                found.append(
                    make(
                        "SS312",
                        f"default of {key}: {message}",
                        locate(doc, "fields", key, "value"),
                        f"{ctx.field_address(key)}.default",
                        hint=hint,
                    )
                )
    return found


def _value_problem(ctx: ActorContext, erp: ErpFieldMeta, value: object) -> tuple[str, str] | None:
    kind = erp.field_type
    if kind in (T.LABEL, T.PASSWORD):
        return f"a {kind.value} field cannot have a default value", "remove 'value'"
    if kind in (T.TEXT, T.LIST) and isinstance(value, bool):
        # YAML 1.1 habits: a bare yes/no is a boolean, not the text the ERP expects.
        return f"a {kind.value} field needs a text, not a boolean", "quote the value in YAML"
    text = scalar_text(value)
    if kind is T.LIST:
        return _list_item_problem(ctx, erp, text)
    if erp.max_length and len(text) > erp.max_length:
        # The tenant measures every type's value as sent, not only text.
        return f"the value is longer than the field's {erp.max_length} characters", "shorten the value"
    if kind is T.TEXT or ctx.parse_value is None:
        return None
    try:
        ctx.parse_value(kind, text)
    except ValueError as exc:
        return str(exc), f"give a value of type {kind.value}"
    return None


def _list_item_problem(ctx: ActorContext, erp: ErpFieldMeta, text: str) -> tuple[str, str] | None:
    items = ctx.conn_meta.erp_lists.get(erp.list_name)
    if items is None or text in items:
        return None
    by_text = [k for k, shown in items.items() if shown.casefold() == text.casefold()]
    hint = (
        f"use the item key {by_text[0]!r} ({text!r} is its display text)"
        if by_text
        else closest(text, items, "item keys")
    )
    return f"the ERP list {erp.list_name!r} has no item key {text!r}", hint
