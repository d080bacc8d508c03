"""Fewest-move reordering for SuperOffice's one-step `MoveErpFieldItem`.

An adjacent swap removes at most one inversion, so the inversion count between the
current and the target order is a lower bound on the number of moves. Placing the
target order left to right, each element moved left only passes elements that belong
after it, so every move removes exactly one inversion and the bound is met.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

UP = -1  # towards the top: a lower rank number
DOWN = 1


@dataclass(frozen=True)
class Move:
    key: str
    direction: int  # UP (-1) or DOWN (+1), as MoveErpFieldItem's direction


def target_order(current: Sequence[str], wanted: Sequence[str]) -> list[str]:
    """`wanted` (known keys only, first occurrence) first, then the rest in their current order."""
    known = set(current)
    head = list(dict.fromkeys(key for key in wanted if key in known))
    listed = set(head)
    return head + [key for key in current if key not in listed]


def count_inversions(current: Sequence[str], target: Sequence[str]) -> int:
    """Pairs whose relative order differs; merge-sort based so long lists stay cheap."""
    position = {key: index for index, key in enumerate(target)}
    return _sort_count([position[key] for key in current])[1]


def _sort_count(values: list[int]) -> tuple[list[int], int]:
    if len(values) < 2:
        return values, 0
    middle = len(values) // 2
    left, left_count = _sort_count(values[:middle])
    right, right_count = _sort_count(values[middle:])
    merged: list[int] = []
    count = left_count + right_count
    i = j = 0
    while i < len(left) and j < len(right):
        if left[i] <= right[j]:
            merged.append(left[i])
            i += 1
        else:
            merged.append(right[j])
            count += len(left) - i  # right[j] jumps over every remaining left element
            j += 1
    merged.extend(left[i:])
    merged.extend(right[j:])
    return merged, count


def plan_moves(current: Sequence[str], target: Sequence[str]) -> list[Move]:
    """One-step moves turning `current` into `target` (same keys); len == count_inversions."""
    if sorted(current) != sorted(target):
        raise ValueError("current and target must hold the same keys")
    work = list(current)
    moves: list[Move] = []
    for place, key in enumerate(target):
        index = work.index(key, place)
        while index > place:
            work[index - 1], work[index] = work[index], work[index - 1]
            moves.append(Move(key, UP))
            index -= 1
    return moves


def apply_moves(order: Sequence[str], moves: Sequence[Move]) -> list[str]:
    """What the tenant does with the moves: each swaps a key with its neighbour."""
    work = list(order)
    for move in moves:
        index = work.index(move.key)
        other = index + move.direction
        if not 0 <= other < len(work):
            raise ValueError(f"cannot move {move.key} beyond the end of the list")
        work[index], work[other] = work[other], work[index]
    return work
