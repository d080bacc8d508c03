from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syncspec.plan.ranking import DOWN, UP, Move, apply_moves, count_inversions, plan_moves, target_order


@pytest.mark.parametrize(
    ("current", "wanted", "expected"),
    [
        pytest.param("ABCD", "", "ABCD", id="nothing-listed"),
        pytest.param("ABCD", "DC", "DCAB", id="listed-first-rest-keep-order"),
        pytest.param("ABCD", "ZB", "BACD", id="unknown-keys-ignored"),
        pytest.param("ABCD", "ABCD", "ABCD", id="already-in-order"),
    ],
)
def test_target_order(current: str, wanted: str, expected: str) -> None:
    assert target_order(list(current), list(wanted)) == list(expected)


def test_moves_are_one_step_and_named() -> None:
    assert plan_moves(list("ABC"), list("CAB")) == [Move("C", UP), Move("C", UP)]
    assert apply_moves(list("AB"), [Move("A", DOWN)]) == ["B", "A"]


def test_moving_off_the_end_is_refused() -> None:
    with pytest.raises(ValueError, match="beyond the end"):
        apply_moves(list("AB"), [Move("A", UP)])


def test_exhaustive_small_permutations_meet_the_lower_bound() -> None:
    keys = list("ABCDE")
    for target in itertools.permutations(keys):
        moves = plan_moves(keys, list(target))
        assert len(moves) == count_inversions(keys, list(target))
        assert apply_moves(keys, moves) == list(target)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(st.permutations([f"F{i}" for i in range(30)]), st.permutations([f"F{i}" for i in range(30)]))
def test_fewest_moves_property(current: list[str], target: list[str]) -> None:
    moves = plan_moves(current, target)
    brute = sum(
        1
        for i, j in itertools.combinations(range(len(current)), 2)
        if target.index(current[i]) > target.index(current[j])
    )
    assert len(moves) == brute == count_inversions(current, target)
    assert apply_moves(current, moves) == target
