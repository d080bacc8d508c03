from __future__ import annotations

from syncspec.model.diagnostics import Severity
from tests.rules.helpers import check, found
from tests.rules.texts import connection, per_actor


def test_ss313_ranking_names_an_unknown_field() -> None:
    diags = check(connection(), per_actor("Ranking", "order:\n  - BALANCE\n  - BALANSE\n  - NAME\n"))
    assert found(diags) == [("SS313", Severity.ERROR, "f2.yaml", 6)]
    assert diags[0].address == "connection.main.actor.Customer.ranking"
    assert diags[0].hint == "did you mean 'BALANCE'?"
