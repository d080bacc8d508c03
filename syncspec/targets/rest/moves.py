"""What a `MoveErpFieldItem` over REST compares against when its answer is lost.

The move is not safe to repeat (a second call moves a second step), so after an ambiguous
failure the client reads the ranks back and decides. That needs the ranks from before the
call. Reading them before every move doubled a ranking change's requests; instead the ranks
a move should leave are predicted (SuperOffice's rank dialog swaps the field with its
neighbour one rank away) and stand in for the next move's "before", until any other call
on the connection may have changed them.

A prediction is only ever used to decide after a lost answer, and then three ways: the
ranks read back equal the predicted after (done), equal the before (not done, retry), or
neither (cannot tell: an error, and the unit restores). A wrong prediction therefore fails
safe; it never repeats a move that landed.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

from syncspec.model.enums import ErpActorType

# (ERP field id, rank), ordered by field id: one actor type's ranks in one connection
Ranks = tuple[tuple[int, int], ...]


def after_move(before: Ranks, field_id: int, direction: int) -> Ranks | None:
    """The ranks one step of `field_id` leaves (None: the field is not there or cannot move)."""
    rank_of = dict(before)
    if field_id not in rank_of:
        return None
    target = rank_of[field_id] + (1 if direction > 0 else -1)
    neighbours = [fid for fid, rank in before if rank == target]
    if len(neighbours) != 1:
        return None
    rank_of[neighbours[0]], rank_of[field_id] = rank_of[field_id], target
    return tuple(sorted(rank_of.items()))


def connection_named(args: Mapping[str, object]) -> int | None:
    """The connection a call's arguments are about: an `erp_connection_id`, or the one its
    carrier names (a mapping, a default, a list-mapping container); None when it names none."""
    for key, value in args.items():
        if key == "erp_connection_id" and isinstance(value, int):
            return value
        carried = getattr(value, "erp_connection_id", None)
        if isinstance(carried, int) and carried > 0:
            return carried
    return None


class RankMemo:
    """Predicted ranks per (connection, actor type), dropped by any other call on the connection."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ranks: dict[tuple[int, ErpActorType], Ranks] = {}

    def take(self, connection_id: int, actor: ErpActorType) -> Ranks | None:
        with self._lock:
            return self._ranks.pop((connection_id, actor), None)

    def keep(self, connection_id: int, actor: ErpActorType, ranks: Ranks) -> None:
        with self._lock:
            self._ranks[(connection_id, actor)] = ranks

    def drop(self, connection_id: int | None) -> None:
        """Forget one connection's predictions (None: every connection's)."""
        with self._lock:
            if connection_id is None:
                self._ranks.clear()
            else:
                for key in [k for k in self._ranks if k[0] == connection_id]:
                    del self._ranks[key]
