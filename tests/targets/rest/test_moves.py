"""A ranking move over REST costs one request: the ranks a lost answer is decided against are
read once per run of moves and predicted after each, and a wrong prediction fails safe."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from syncspec.model.enums import ErpActorType
from syncspec.model.errors import TargetError
from syncspec.targets.rest.agent import RestAgent
from syncspec.targets.rest.moves import after_move
from tests.differential.helpers import fast_policy

CUSTOMER = ErpActorType.CUSTOMER


def test_a_step_swaps_the_field_with_its_neighbour() -> None:
    before = ((1, 1), (2, 2), (3, 3))
    assert after_move(before, 3, -1) == ((1, 1), (2, 3), (3, 2))
    assert after_move(before, 1, 1) == ((1, 2), (2, 1), (3, 3))
    assert after_move(before, 3, 1) is None  # already last: no prediction
    assert after_move(before, 9, 1) is None  # not a field of this actor


class FakeTenant:
    """Just enough of the REST surface: the ErpField archive and moves that swap ranks."""

    def __init__(self, ranks: dict[int, int], *, lose: set[int] | None = None) -> None:
        self.ranks = ranks
        self.seen: list[str] = []
        self.lose = lose or set()  # numbers of Move requests whose answer is lost after the move
        self.moves = 0

    def handle(self, request: httpx.Request) -> httpx.Response:
        name = request.url.path.rsplit("/", 1)[-1]
        self.seen.append(name)
        if request.method == "GET":
            rows = [
                {
                    "Id": fid,
                    "ConnectionId": 2,
                    "ActorTypeErp": "Customer",
                    "ErpFieldKey": f"F{fid}",
                    "Rank": r,
                }
                for fid, r in sorted(self.ranks.items())
            ]
            return httpx.Response(200, json={"odata.metadata": "", "odata.nextLink": "", "value": rows})
        if name == "MoveErpFieldItem":
            self.moves += 1
            self._move(json.loads(request.content))
            if self.moves in self.lose:
                return httpx.Response(502, text="bad gateway")
            return httpx.Response(204)
        return httpx.Response(200, json=True)  # SaveErpConnectionSyncPriorities

    def _move(self, args: dict[str, Any]) -> None:
        field, direction = args["ErpFieldId"], args["Direction"]
        target = self.ranks[field] + (1 if direction > 0 else -1)
        other = next(f for f, r in self.ranks.items() if r == target)
        self.ranks[other], self.ranks[field] = self.ranks[field], target


def agent(tenant: FakeTenant) -> RestAgent:
    return RestAgent(
        "http://127.0.0.1:9", transport=httpx.MockTransport(tenant.handle), retries=fast_policy(attempts=2)
    )


def test_consecutive_moves_read_the_ranks_once() -> None:
    tenant = FakeTenant({1: 1, 2: 2, 3: 3})
    with agent(tenant) as rest:
        rest.move_erp_field_item(3, -1, 2, CUSTOMER)
        rest.move_erp_field_item(3, -1, 2, CUSTOMER)
    assert tenant.seen == ["ErpField", "MoveErpFieldItem", "MoveErpFieldItem"]
    assert tenant.ranks == {3: 1, 1: 2, 2: 3}


def test_another_write_to_the_connection_makes_the_next_move_read_again() -> None:
    tenant = FakeTenant({1: 1, 2: 2, 3: 3})
    with agent(tenant) as rest:
        rest.move_erp_field_item(3, -1, 2, CUSTOMER)
        assert rest.save_erp_connection_sync_priorities([2]) is True
        rest.move_erp_field_item(3, -1, 2, CUSTOMER)
    assert tenant.seen == [
        "ErpField",
        "MoveErpFieldItem",
        "SaveErpConnectionSyncPriorities",
        "ErpField",
        "MoveErpFieldItem",
    ]


def test_a_lost_answer_after_a_predicted_before_is_decided_by_the_prediction() -> None:
    tenant = FakeTenant({1: 1, 2: 2, 3: 3}, lose={2})
    with agent(tenant) as rest:
        rest.move_erp_field_item(3, -1, 2, CUSTOMER)
        rest.move_erp_field_item(3, -1, 2, CUSTOMER)  # landed, answer lost: read back, not repeated
    assert tenant.seen == ["ErpField", "MoveErpFieldItem", "MoveErpFieldItem", "ErpField"]
    assert tenant.ranks == {3: 1, 1: 2, 2: 3}


def test_ranks_that_match_neither_side_are_an_error_not_a_guess() -> None:
    tenant = FakeTenant({1: 1, 2: 2, 3: 3}, lose={2})
    with agent(tenant) as rest:
        rest.move_erp_field_item(3, -1, 2, CUSTOMER)
        tenant.ranks.update({1: 2, 2: 1, 3: 3})  # someone else reordered behind our back
        with pytest.raises(TargetError, match="cannot tell whether it moved"):
            rest.move_erp_field_item(1, 1, 2, CUSTOMER)


def test_the_connection_a_call_is_about_comes_from_its_id_or_its_carrier() -> None:
    from syncspec.targets.carriers import ErpSyncActorTypeMapping
    from syncspec.targets.rest.moves import connection_named

    assert connection_named({"erp_connection_id": 5}) == 5
    mapping = ErpSyncActorTypeMapping(erp_connection_id=7, actor_type_erp=CUSTOMER)
    assert connection_named({"mapping": mapping}) == 7
    assert connection_named({"erp_connection_ids": [1, 2]}) is None  # names none: every prediction goes
