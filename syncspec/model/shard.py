"""`--shard K/N`: one runner's part of a fleet, so a CI matrix can spread hundreds of tenants.

The split is a pure function of the selected environment names and N: the names are sorted and
dealt out in turn (the i-th name goes to shard i mod N + 1). Every environment is in exactly one
shard, shards differ in size by at most one, and the order in which `-e` patterns or the project
list the names does not matter, so a plan job and an apply job that select the same environments
with the same N give every environment to the same shard.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from syncspec.model.errors import UsageError

_SHAPE = re.compile(r"(\d+)/(\d+)")
MAX_SHARDS = 1024


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based, as CI matrices count
    total: int

    def __str__(self) -> str:
        return f"{self.index}/{self.total}"


def parse_shard(text: str) -> Shard:
    match = _SHAPE.fullmatch(text.strip())
    if match is None:
        raise UsageError(
            f"--shard {text!r} is not K/N", hint="for example --shard 2/8: the second of 8 shards"
        )
    index, total = int(match.group(1)), int(match.group(2))
    if not 1 <= total <= MAX_SHARDS:
        raise UsageError(f"--shard {text}: N must be between 1 and {MAX_SHARDS}")
    if not 1 <= index <= total:
        raise UsageError(f"--shard {text}: K must be between 1 and {total}")
    return Shard(index, total)


def environments_of_shard(names: Sequence[str], shard: Shard) -> list[str]:
    """This shard's environments, in the order given (the project's order, for the output)."""
    mine = set(sorted(set(names))[shard.index - 1 :: shard.total])
    return [name for name in dict.fromkeys(names) if name in mine]
