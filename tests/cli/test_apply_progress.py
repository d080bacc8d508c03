"""`syncspec apply` progress off a terminal (a CI log): one line per step, per-unit counters that
only go up to a fixed total, elapsed time, which field a move moves."""

from __future__ import annotations

import re
from pathlib import Path

from tests.cli.project_cli import init_project

LINE = re.compile(
    r"^  \[(\d+\.\d|\d+|\d+m\d\d)s?\] (\S+) \[(\d+)/(\d+)( discovered fields)?\] (.+) \.\.\. ok$"
)


def test_counters_are_per_unit_monotonic_and_within_their_total(tmp_path: Path) -> None:
    project = init_project(tmp_path)
    done = project.run("apply", "--auto-approve")
    assert done.code == 0, done
    steps = [m for line in done.out.splitlines() if (m := LINE.match(line))]
    assert steps, done
    last: dict[tuple[str, str], tuple[int, int]] = {}
    for match in steps:
        unit, n, total, phase = match[2], int(match[3]), int(match[4]), match[5] or ""
        assert 1 <= n <= total, match[0]
        before = last.get((unit, phase))
        if before is not None:
            assert (n, total) == (before[0] + 1, before[1]), match[0]  # one up, same total
        else:
            assert n == 1, match[0]
        last[(unit, phase)] = (n, total)
    # every phase ran to its total, but for the activation a created connection holds back
    # until its discovered fields are set (it runs, last, in that phase)
    created = {unit for unit, phase in last if phase}
    assert created == {"demo-norway", "demo-sweden"}
    for (unit, phase), (n, total) in last.items():
        assert n == (total - 1 if unit in created and not phase else total), (unit, phase, n, total)
        if unit in created and not phase:
            assert f"{unit}: created after {n} of {total} planned steps; 1 (its activation) waits" in done.out
    moves = [m[6] for m in steps if m[6].startswith("move_field")]
    assert moves and all(
        re.match(r"move_field (Customer|Person|Supplier)\.\w+ (up|down) \(", m) for m in moves
    )
    assert re.search(r"^  \[[^]]+\] demo-norway: applied in ", done.out, re.M)
