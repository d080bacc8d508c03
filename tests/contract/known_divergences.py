"""The one table of known divergences from SuperOffice's documented contract.

Key: (side, case id). side is "client" (syncspec.targets.rest.agent.RestAgent), "emulator"
(syncspec.embedded.emulator.server) or "wire" (a method in syncspec.targets.rest.wire that SuperOffice
does not have). Each entry turns its test into `xfail(strict=True)`: when a fix makes the test
pass, it XPASS-fails, and whoever merges the fix deletes the entry. Never add an entry to make
a new failure go away without saying in its reason what the code does differently.
"""

from __future__ import annotations

import pytest

# Empty: every divergence the cases found has been fixed. A new one is added here, keyed
# ("client" | "emulator" | "wire", case id), only with a reason saying what the code does.
KNOWN_DIVERGENCES: dict[tuple[str, str], str] = {}

# rest_wire methods that SuperOffice's ErpSync agent does not have (it documents 49 methods): a
# ("wire", name) entry above; they need no case, and test_coverage keeps the removed ones gone.
INVENTED_WIRE_METHODS: dict[str, str] = {
    name: reason for (side, name), reason in KNOWN_DIVERGENCES.items() if side == "wire"
}


def marks(side: str, case_id: str) -> list[pytest.MarkDecorator]:
    reason = KNOWN_DIVERGENCES.get((side, case_id))
    return [] if reason is None else [pytest.mark.xfail(strict=True, reason=reason)]
