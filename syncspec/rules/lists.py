"""Rules on ListMappings documents: a List field mapped to a CRM list, items on both sides exist,
and no CRM item serves two ERP items (the admin help: mapping is one-to-one, "you cannot map
to the same CRM item twice", duplicates shown in red; see docs/domain.md, list mappings).
"""

from __future__ import annotations

from syncspec.model.desired import CrmItemRef, ListMappingsDoc
from syncspec.model.diagnostics import Diagnostic, Severity
from syncspec.model.enums import FieldMetadataType
from syncspec.model.metadata import CrmListMeta
from syncspec.rules.context import ActorContext, closest, locate, make, unknown_erp_field


def check_lists(ctx: ActorContext) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for field_key in sorted(ctx.docs.lists):
        found.extend(_check_list(ctx, ctx.docs.lists[field_key]))
    return found


def _check_list(ctx: ActorContext, doc: ListMappingsDoc) -> list[Diagnostic]:
    address = f"{ctx.address}.list.{doc.field}"
    erp = ctx.meta.fields.get(doc.field)
    if erp is None:
        return [unknown_erp_field(ctx, doc.field, locate(doc, "field"))]
    if erp.field_type is not FieldMetadataType.LIST:
        return [
            make(
                "SS308",
                f"{doc.field} is a {erp.field_type.value} ERP field, not a list; it has no items to map",
                locate(doc, "field"),
                address,
            )
        ]
    found = _check_erp_items(ctx, doc, erp.list_name, address)
    crm_list = _crm_list(ctx, doc, address, found)
    if crm_list is not None:
        found.extend(_check_crm_items(ctx, doc, crm_list, address))
    return found


def _check_erp_items(
    ctx: ActorContext, doc: ListMappingsDoc, list_name: str, address: str
) -> list[Diagnostic]:
    items = ctx.conn_meta.erp_lists.get(list_name)
    if items is None:
        # unknown, not empty: SuperOffice publishes an ERP list's items only for a field
        # already mapped to a CRM list (GetConnectionListMappings)
        return [
            make(
                "SS324",
                f"the items of the ERP list {list_name!r} of {doc.field} are not known to the tenant's "
                "reads yet (only those of mapped list fields are); its item keys were not checked",
                locate(doc, "field"),
                address,
                hint="apply the field mapping first, then validate again",
            )
        ]
    return [
        make(
            "SS309",
            f"the ERP list {list_name!r} of {doc.field} has no item {key!r}",
            locate(doc, "items", key),
            f"{address}.item.{key}",
            hint=closest(key, items, "item keys"),
        )
        for key in doc.items
        if key not in items
    ]


def _crm_list(
    ctx: ActorContext, doc: ListMappingsDoc, address: str, found: list[Diagnostic]
) -> CrmListMeta | None:
    """The CRM list the field's items map into, or None (reporting why, unless another rule does)."""
    crm_key = ctx.mapped(doc.field).crm
    if not crm_key:
        return None  # SS217 (build) reports a list for an unmapped field; live state may map it later
    crm = ctx.metadata.crm_fields.get(crm_key)
    if crm is None or crm.crm_actor not in (ctx.crm_actor, None):
        return None  # SS303 reports the mapping
    if not crm.list_name and crm.field_type is None:
        found.append(
            make(
                "SS324",
                f"the CRM items of {doc.field} were not checked: the tenant does not say which list "
                f"{crm_key!r} uses (only a mapping's ListReference names it)",
                locate(doc, "field"),
                address,
                hint="apply the field mapping first; the next plan reads the list it names",
            )
        )
        return None
    if (crm.field_type is not None and crm.field_type is not FieldMetadataType.LIST) or not crm.list_name:
        kind = crm.field_type.value if crm.field_type is not None else "non-list"
        found.append(
            make(
                "SS308",
                f"{doc.field} maps to CRM field {crm_key!r}, a {kind} field, not a list",
                locate(doc, "field"),
                address,
                hint=f"map {doc.field} to a List CRM field first",
            )
        )
        return None
    crm_list = ctx.metadata.crm_lists.get(crm.list_name)
    if crm_list is None:
        found.append(
            make(
                "SS310",
                f"the CRM list {crm.list_name!r} of {crm_key!r} is not in the metadata; "
                "its items cannot be checked",
                locate(doc, "field"),
                address,
                severity=Severity.WARNING,
                hint="pull the metadata again (`syncspec metadata pull`)",
            )
        )
    return crm_list


def _check_crm_items(
    ctx: ActorContext, doc: ListMappingsDoc, crm_list: CrmListMeta, address: str
) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    first_use: dict[int, str] = {}
    for key, ref in doc.items.items():
        item_address = f"{address}.item.{key}"
        item_id = _resolve(ref, crm_list, doc, key, item_address, found)
        if item_id is None:
            continue
        if item_id in first_use:
            first_key = first_use[item_id]
            label = crm_list.items[item_id]
            found.append(
                make(
                    "SS311",
                    f"CRM item {label!r} of list {crm_list.name!r} is used for "
                    f"ERP items {first_key!r} and {key!r}",
                    locate(doc, "items", key),
                    item_address,
                    hint=(
                        "SuperOffice maps list items one to one and refuses a CRM item used twice; "
                        "map each ERP item to its own CRM item, or to null (no selection)"
                    ),
                    related=(locate(doc, "items", first_key),),
                )
            )
        else:
            first_use[item_id] = key
    return found


def _resolve(
    ref: CrmItemRef,
    crm_list: CrmListMeta,
    doc: ListMappingsDoc,
    key: str,
    address: str,
    found: list[Diagnostic],
) -> int | None:
    if ref.id is not None:
        if ref.id in crm_list.items:
            return ref.id
        found.append(
            make(
                "SS310",
                f"the CRM list {crm_list.name!r} has no item with id {ref.id}",
                locate(doc, "items", key),
                address,
            )
        )
        return None
    if ref.name is None:
        return None  # (No selection)
    ids = crm_list.ids_named(ref.name)
    if len(ids) == 1:
        return ids[0]
    if not ids:
        found.append(
            make(
                "SS310",
                f"the CRM list {crm_list.name!r} has no item named {ref.name!r} "
                f"(for {doc.field} item {key!r})",
                locate(doc, "items", key),
                address,
                hint=closest(ref.name, crm_list.items.values(), "items"),
            )
        )
    else:
        found.append(
            make(
                "SS310",
                f"the CRM list {crm_list.name!r} has {len(ids)} items named {ref.name!r}",
                locate(doc, "items", key),
                address,
                hint="say which one with {id: N}: ids " + ", ".join(str(i) for i in sorted(ids)),
            )
        )
    return None
