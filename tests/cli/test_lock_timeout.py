"""`--lock-timeout` refuses values that would make a lock wait forever, at option parsing."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncspec.cli.main import main
from syncspec.model.exitcodes import ExitCode


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "1e400", "-1", "-0.5", "90000", "soon"])
def test_a_timeout_that_is_not_a_finite_wait_is_a_usage_error(
    value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no project: parsing must refuse before anything is read
    assert main(["apply", "--auto-approve", f"--lock-timeout={value}"]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "Invalid value for '--lock-timeout'" in err
    assert "is not a number of seconds" in err


@pytest.mark.parametrize(("value", "seconds"), [("0", 0.0), ("2.5", 2.5), (" 30 ", 30.0), ("86400", 86400.0)])
def test_finite_timeouts_are_accepted(value: str, seconds: float) -> None:
    from syncspec.cli.lock_timeout import LOCK_TIMEOUT

    assert LOCK_TIMEOUT.convert(value, None, None) == seconds
