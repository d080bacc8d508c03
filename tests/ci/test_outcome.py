"""Exit codes as a CI step reads them (docs/validate.md, README's table): 64 is never success."""

from __future__ import annotations

import pytest

from syncspec.ci.outcome import COMMANDS, outcome


@pytest.mark.parametrize("command", COMMANDS)
def test_zero_passes_without_changes(command: str) -> None:
    result = outcome(command, 0)
    assert result.passed and not result.changes


@pytest.mark.parametrize(
    ("command", "passed"), [("plan", True), ("drift", True), ("validate", False), ("apply", False)]
)
def test_two_is_changes_only_where_documented(command: str, passed: bool) -> None:
    result = outcome(command, 2)
    assert result.passed is passed and result.changes is passed


@pytest.mark.parametrize(
    ("command", "code"),
    [
        (command, code)
        for command in COMMANDS
        for code in (1, 64, 130, 3, 127, -9)
        if (command, code) != ("apply", 3)  # apply's partial result: its own test below
    ],
)
def test_everything_else_fails(command: str, code: int) -> None:
    result = outcome(command, code)
    assert not result.passed and not result.changes
    assert str(code) in result.summary or code == 1


def test_a_usage_error_says_to_check_the_inputs() -> None:
    assert "usage error (exit 64)" in outcome("plan", 64).summary


def test_an_unknown_command_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        outcome("destroy", 0)


def test_a_partial_apply_passes_with_a_warning_and_only_for_apply() -> None:
    # a saved plan that created connections: applied as reviewed, their discovered fields left
    result = outcome("apply", 3)
    assert result.passed and result.changes and result.warning
    assert "partial" in result.summary and "another plan and apply" in result.summary
    assert not outcome("plan", 3).passed
