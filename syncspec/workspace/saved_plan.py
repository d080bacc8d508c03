"""Saved plan files: read for `syncspec show` (any readable plan) and for `syncspec apply PLANFILE`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from syncspec.plan.model import Plan


# A plan file is JSON of a few hundred KiB at most; more is not a plan file.
_MAX_PLAN_BYTES = 64 * 1024 * 1024


def plan_text(path: Path) -> str:
    """The plan file's text; a PlanError naming the file when it is not readable UTF-8."""
    from syncspec.model.errors import PlanError
    from syncspec.spec.loading.yamlload import Unread, read_regular

    data = read_regular(path, _MAX_PLAN_BYTES)  # a FIFO or device is refused, never read
    if isinstance(data, Unread):
        detail = data.reason if data.regular else f"{data.reason}, not a regular file"
        raise PlanError(f"cannot read the plan file {path}: {detail}")
    if len(data) > _MAX_PLAN_BYTES:
        raise PlanError(
            f"the plan file {path} is over {_MAX_PLAN_BYTES // (1024 * 1024)} MiB: not a plan file"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PlanError(
            f"the plan file {path} is not UTF-8 text (byte 0x{data[exc.start]:02X} at offset {exc.start})",
            hint="plan files are JSON written by `syncspec plan --out`; make the plan again",
        ) from None


def read_plan_to_show(path: Path, env: Mapping[str, str]) -> tuple[Plan, bool]:
    """The plan file `syncspec show` renders, and whether it is signed but no key checks it."""
    from syncspec.plan.planfile import read_plan
    from syncspec.plan.signing import plan_key

    text = plan_text(path)
    key = plan_key(env)
    saved = read_plan(text, key, unverified_ok=True)
    return saved, key is None and '"signature"' in text


def read_saved_plan(path: Path, env: Mapping[str, str]) -> Plan:
    """The plan file `apply PLANFILE` applies, checked against its id (and signature when keyed)."""
    from syncspec.model.errors import UsageError
    from syncspec.plan.planfile import read_plan
    from syncspec.plan.signing import plan_key

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the plan file {path}: {exc}") from None
    return read_plan(text, plan_key(env))
