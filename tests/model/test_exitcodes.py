"""The exit code of an apply follows its result word, and `partial` has its own."""

from __future__ import annotations

import pytest

from syncspec.model.exitcodes import ExitCode, apply_exit_code


@pytest.mark.parametrize(
    ("result", "code"),
    [
        ("succeeded", ExitCode.OK),
        ("noop", ExitCode.OK),
        ("partial", ExitCode.PARTIAL),
        ("not_converged", ExitCode.ERROR),
        ("failed", ExitCode.ERROR),
        ("interrupted", ExitCode.INTERRUPTED),
    ],
)
def test_apply_exit_code(result: str, code: ExitCode) -> None:
    assert apply_exit_code(result) == code


def test_partial_is_distinct_from_every_other_code() -> None:
    others = {c for c in ExitCode if c is not ExitCode.PARTIAL}
    assert ExitCode.PARTIAL.value not in {c.value for c in others}
