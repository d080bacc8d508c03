from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syncspec.model.interval import (
    INTERVAL_PATTERN,
    canonical_interval,
    comparable_interval,
    interval_seconds,
    is_interval,
)


@pytest.mark.parametrize("text", ["00:00:01", "00:05:00", "23:59:59", "1.00:00:00", "365.12:00:00"])
def test_canonical_positive_intervals_are_accepted(text: str) -> None:
    assert is_interval(text)
    assert canonical_interval(interval_seconds(text) or 0) == text


@pytest.mark.parametrize(
    "text", ["00:00:00", "0:05:00", "24:00:00", "00:60:00", "0.00:05:00", "PT5M", "5", "", "00:05:00\n"]
)
def test_other_forms_are_not_canonical(text: str) -> None:
    assert not is_interval(text)


@pytest.mark.parametrize(
    ("tenant", "comparable"),
    [
        ("0:05:00", "00:05:00"),
        ("00:05:00.0000000", "00:05:00"),
        ("01.00:00:00", "1.00:00:00"),
        ("00:05:00.5", "00:05:00.5"),  # a fraction of a second: kept as text, compared exactly
        ("necessitatibus", "necessitatibus"),
        ("PT5M", "PT5M"),
    ],
)
def test_a_tenants_value_is_compared_as_a_duration_when_it_reads_as_one(tenant: str, comparable: str) -> None:
    assert comparable_interval(tenant) == comparable


@given(st.integers(min_value=1, max_value=999_999 * 86400))
def test_every_whole_number_of_seconds_round_trips_through_the_canonical_form(seconds: int) -> None:
    text = canonical_interval(seconds)
    assert re.match(INTERVAL_PATTERN, text) and interval_seconds(text) == seconds
