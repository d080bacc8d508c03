from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syncspec.model.errors import UsageError
from syncspec.model.shard import Shard, environments_of_shard, parse_shard

NAMES = st.lists(st.text("abcdefgh-0123", min_size=1, max_size=6), unique=True, max_size=40)


@given(NAMES, st.integers(1, 12))
def test_every_environment_is_in_exactly_one_shard_and_sizes_differ_by_at_most_one(
    names: list[str], total: int
) -> None:
    shards = [environments_of_shard(names, Shard(k, total)) for k in range(1, total + 1)]
    flat = [name for shard in shards for name in shard]
    assert sorted(flat) == sorted(names)
    sizes = [len(shard) for shard in shards]
    assert max(sizes) - min(sizes) <= 1


@given(NAMES, st.integers(1, 6), st.randoms())
def test_the_split_ignores_the_order_of_the_names(names: list[str], total: int, rnd: object) -> None:
    shuffled = list(names)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    for k in range(1, total + 1):
        assert set(environments_of_shard(names, Shard(k, total))) == set(
            environments_of_shard(shuffled, Shard(k, total))
        )


def test_a_shard_keeps_the_given_order() -> None:
    names = ["cust-10", "cust-02", "cust-01", "cust-03"]
    assert environments_of_shard(names, Shard(1, 2)) == ["cust-01", "cust-03"]
    assert environments_of_shard(names, Shard(2, 2)) == ["cust-10", "cust-02"]
    assert environments_of_shard(names, Shard(3, 3)) == ["cust-03"]
    assert environments_of_shard(["a"], Shard(2, 2)) == []


@pytest.mark.parametrize("text", ["", "1", "0/3", "4/3", "a/b", "1/0", "-1/2", "1/2/3", "1/2000"])
def test_bad_shards_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError):
        parse_shard(text)


def test_a_shard_reads_as_written() -> None:
    assert parse_shard(" 2/8 ") == Shard(2, 8)
    assert str(Shard(2, 8)) == "2/8"
