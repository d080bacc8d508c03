"""The one spelling of a YAML scalar as the tenant's text, and sync directions as flags."""

from __future__ import annotations

import pytest

from syncspec.model.enums import Direction
from syncspec.model.text import scalar_text


@pytest.mark.parametrize(
    ("value", "text"), [(True, "true"), (False, "false"), (30, "30"), (1.5, "1.5"), ("NO", "NO"), ("", "")]
)
def test_scalar_text(value: object, text: str) -> None:
    assert scalar_text(value) == text


@pytest.mark.parametrize("direction", list(Direction))
def test_a_direction_survives_its_flags(direction: Direction) -> None:
    assert Direction.from_flags(*direction.flags) is direction


def test_the_flags_are_superoffice_s_pair() -> None:
    assert Direction.TO_CRM.flags == (True, False)
    assert Direction.TO_ERP.flags == (False, True)
    assert Direction.BOTH.flags == (True, True)
    assert Direction.NONE.flags == (False, False)
