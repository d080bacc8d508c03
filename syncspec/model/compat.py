"""Which ERP field types may sync with which CRM field types, and in which direction.

SuperOffice does not document its matrix (the admin client only offers CRM fields of a
fitting type). The principle applied here: a value may flow only where it arrives
without losing information or failing to parse. Anything renders as text, so every
typed ERP value may flow *to* a Text CRM field, but text cannot flow back into a typed
ERP field. Numbers interchange both ways. Label and Password fields never sync.
Pure: the tenant engine refuses with these messages, the rules layer reports them.
"""

from __future__ import annotations

from dataclasses import dataclass

from syncspec.model.enums import FieldMetadataType as T


@dataclass(frozen=True)
class Compat:
    """The directions one (ERP type, CRM type) pair allows."""

    to_crm: bool
    to_erp: bool

    @property
    def any(self) -> bool:
        return self.to_crm or self.to_erp


_NEVER = Compat(to_crm=False, to_erp=False)
_BOTH = Compat(to_crm=True, to_erp=True)
_TO_CRM = Compat(to_crm=True, to_erp=False)

_NUMERIC = frozenset({T.INTEGER, T.DOUBLE})
# ERP types whose values read naturally as text in the CRM (but cannot be parsed back safely).
_TEXT_RENDERABLE = frozenset({T.INTEGER, T.DOUBLE, T.DATETIME, T.CHECKBOX, T.LIST})
_UNSYNCABLE = frozenset({T.LABEL, T.PASSWORD})


def compatibility(erp_type: T, crm_type: T) -> Compat:
    """The directions allowed between an ERP field of `erp_type` and a CRM field of `crm_type`."""
    if erp_type in _UNSYNCABLE or crm_type in _UNSYNCABLE:
        return _NEVER
    if erp_type == crm_type:
        return _BOTH
    if erp_type in _NUMERIC and crm_type in _NUMERIC:
        return _BOTH
    if crm_type is T.TEXT and erp_type in _TEXT_RENDERABLE:
        return _TO_CRM
    return _NEVER


def _a(kind: T) -> str:
    return f"an {kind}" if kind.value[0] in "AEIOU" else f"a {kind}"


def mapping_problem(erp_type: T, crm_type: T, *, to_crm: bool, to_erp: bool) -> str | None:
    """Why the directions asked for are not allowed between the two types, or None when they are.

    The message names only types, never values, so it is safe to show anywhere.
    """
    allowed = compatibility(erp_type, crm_type)
    if not allowed.any and (to_crm or to_erp):
        return f"{_a(erp_type)} ERP field cannot synchronise with {_a(crm_type)} CRM field"
    if to_crm and to_erp and not (allowed.to_crm and allowed.to_erp):
        side = "SuperOffice to the ERP" if allowed.to_crm else "the ERP to SuperOffice"
        return (
            f"{_a(erp_type)} ERP field and {_a(crm_type)} CRM field cannot synchronise both ways "
            f"(values from {side} would lose information)"
        )
    if to_crm and not allowed.to_crm:
        return f"{_a(erp_type)} ERP field cannot synchronise into {_a(crm_type)} CRM field"
    if to_erp and not allowed.to_erp:
        return f"{_a(crm_type)} CRM field cannot synchronise into {_a(erp_type)} ERP field"
    return None
