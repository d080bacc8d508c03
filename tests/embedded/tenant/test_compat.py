"""syncspec/model/compat.py lives in model/ but is owned by the tenant work; its tests sit here."""

from __future__ import annotations

import pytest

from syncspec.model.compat import compatibility, mapping_problem
from syncspec.model.enums import FieldMetadataType as T


@pytest.mark.parametrize(
    ("erp", "crm", "to_crm", "to_erp"),
    [
        (T.TEXT, T.TEXT, True, True),
        (T.CHECKBOX, T.CHECKBOX, True, True),
        (T.LIST, T.LIST, True, True),
        (T.INTEGER, T.DOUBLE, True, True),
        (T.DOUBLE, T.INTEGER, True, True),
        (T.INTEGER, T.TEXT, True, False),
        (T.CHECKBOX, T.TEXT, True, False),
        (T.DATETIME, T.TEXT, True, False),
        (T.LIST, T.TEXT, True, False),
        (T.TEXT, T.CHECKBOX, False, False),
        (T.TEXT, T.LIST, False, False),
        (T.DATETIME, T.INTEGER, False, False),
        (T.PASSWORD, T.TEXT, False, False),
        (T.LABEL, T.LABEL, False, False),
    ],
)
def test_matrix(erp: T, crm: T, to_crm: bool, to_erp: bool) -> None:
    allowed = compatibility(erp, crm)
    assert (allowed.to_crm, allowed.to_erp) == (to_crm, to_erp)


def test_problems_name_the_blocked_direction() -> None:
    assert mapping_problem(T.TEXT, T.TEXT, to_crm=True, to_erp=True) is None
    assert mapping_problem(T.TEXT, T.CHECKBOX, to_crm=False, to_erp=False) is None  # no direction, no sync
    both = mapping_problem(T.CHECKBOX, T.TEXT, to_crm=True, to_erp=True)
    assert both is not None and "both ways" in both
    to_erp = mapping_problem(T.INTEGER, T.TEXT, to_crm=False, to_erp=True)
    assert to_erp == "a Text CRM field cannot synchronise into an Integer ERP field"
