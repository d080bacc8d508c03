"""Rules on a FieldMappings document: fields and CRM fields exist, types and access allow the direction.

SuperOffice's admin client only offers fitting CRM fields and disables the arrows of
ID/read-only fields; syncspec reports the same before apply (R-F1..R-F6 in docs/domain.md).
"""

from __future__ import annotations

from syncspec.model.compat import mapping_problem
from syncspec.model.desired import Direction, FieldMappingsDoc, FieldMappingSpec
from syncspec.model.diagnostics import Diagnostic
from syncspec.model.metadata import CrmFieldMeta, ErpFieldMeta
from syncspec.rules.context import ActorContext, closest, locate, make, unknown_erp_field


def check_mappings(ctx: ActorContext) -> list[Diagnostic]:
    doc = ctx.docs.mappings
    if doc is None:
        return []
    found: list[Diagnostic] = []
    unchecked: list[str] = []  # mapped fields whose CRM side the tenant does not describe
    for key, spec in doc.fields.items():
        erp = ctx.meta.fields.get(key)
        if erp is None:
            found.append(unknown_erp_field(ctx, key, locate(doc, "fields", key)))
            continue
        found.extend(_check_field(ctx, doc, key, spec, erp, unchecked))
    if unchecked:
        found.append(_not_checked(ctx, doc, unchecked))
    return found


def _not_checked(ctx: ActorContext, doc: FieldMappingsDoc, keys: list[str]) -> Diagnostic:
    shown = ", ".join(keys[:5]) + (f" and {len(keys) - 5} more" if len(keys) > 5 else "")
    return make(
        "SS324",
        f"{ctx.actor.value}: the CRM side of {len(keys)} mapping(s) ({shown}) was not checked: the tenant "
        "publishes CRM field keys only, not their entity, type or read-only flag",
        locate(doc, "fields"),
        ctx.address,
    )


def _check_field(
    ctx: ActorContext,
    doc: FieldMappingsDoc,
    key: str,
    spec: FieldMappingSpec,
    erp: ErpFieldMeta,
    unchecked: list[str],
) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    address = ctx.field_address(key)
    direction = spec.direction or Direction.NONE
    syncs = direction is not Direction.NONE
    if syncs and erp.missing_in_erp:
        found.append(
            make(
                "SS302",
                f"{key} of {ctx.actor.value} no longer exists in the ERP system and cannot synchronise",
                locate(doc, "fields", key, "direction"),
                address,
                hint="remove the mapping (the connector stopped reporting this field)",
            )
        )
    if direction.sync_to_erp and erp.read_only:
        found.append(
            make(
                "SS305",
                f"{key} is read-only in the ERP system; direction {direction.value!r} would write to it",
                locate(doc, "fields", key, "direction"),
                address,
            )
        )
    if spec.show_in_tab and syncs:
        found.append(
            make(
                "SS314",
                f"{key} syncs ({direction.value}) and is also shown on the ERP tab",
                locate(doc, "fields", key, "show_in_tab"),
                address,
            )
        )
    if spec.crm:
        crm = _crm_field(ctx, doc, key, spec.crm, found)
        if crm is not None and (crm.crm_actor is None or (syncs and _undescribed(crm))):
            unchecked.append(key)
        if crm is not None and syncs:
            found.extend(_check_types(ctx, doc, key, direction, erp, crm))
    return found


def _undescribed(crm: CrmFieldMeta) -> bool:
    return crm.field_type is None or crm.read_only is None


def _crm_field(
    ctx: ActorContext, doc: FieldMappingsDoc, key: str, crm_key: str, found: list[Diagnostic]
) -> CrmFieldMeta | None:
    """The CRM field of the mapping, or None after reporting SS303 when it does not fit."""
    crm = ctx.metadata.crm_fields.get(crm_key)
    entity = ctx.crm_actor
    # a field of unknown entity may be one of this entity's: the tenant's list is the vocabulary
    same_entity = [k for k, f in ctx.metadata.crm_fields.items() if f.crm_actor in (entity, None)]
    if crm is not None and crm.crm_actor in (entity, None):
        return crm
    if crm is None or crm.crm_actor is None:
        message = f"{key} maps to CRM field {crm_key!r}, which does not exist"
        hint = closest(crm_key, same_entity, f"{entity.value} fields")
    else:
        message = (
            f"{key} maps to {crm_key!r}, a {crm.crm_actor.value} field; "
            f"{ctx.actor.value} syncs with {entity.value}"
        )
        suffix = crm_key.split(".", 1)[1] if "." in crm_key else crm_key
        twins = [k for k in same_entity if k.split(".", 1)[-1] == suffix]
        hint = (
            f"did you mean {twins[0]!r}?"
            if twins
            else closest(crm_key, same_entity, f"{entity.value} fields")
        )
    found.append(make("SS303", message, locate(doc, "fields", key, "crm"), ctx.field_address(key), hint=hint))
    return None


def _check_types(
    ctx: ActorContext,
    doc: FieldMappingsDoc,
    key: str,
    direction: Direction,
    erp: ErpFieldMeta,
    crm: CrmFieldMeta,
) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    address = ctx.field_address(key)
    if direction.sync_to_crm and crm.read_only is True:
        found.append(
            make(
                "SS319",
                f"{key}: CRM field {crm.key!r} is read-only; direction {direction.value!r} would write to it",
                locate(doc, "fields", key, "direction"),
                address,
            )
        )
    if crm.field_type is None:
        return found  # the type is unknown (SS324 says so)
    problem = mapping_problem(
        erp.field_type, crm.field_type, to_crm=direction.sync_to_crm, to_erp=direction.sync_to_erp
    )
    if problem is not None:
        found.append(
            make("SS304", f"{key} -> {crm.key}: {problem}", locate(doc, "fields", key, "direction"), address)
        )
    return found
