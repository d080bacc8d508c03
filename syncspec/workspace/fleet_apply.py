"""The fleet's apply job: plan, show and apply one environment into its own buffers.

The same steps as `syncspec apply --auto-approve` for one environment; only where the
text goes differs (the environment's buffer, printed in one piece when it is done).
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from syncspec.model.exitcodes import ExitCode
from syncspec.workspace.fleet_runner import JobOutput, RunResult

if TYPE_CHECKING:
    from syncspec.workspace.session import PlanRequest

# Each environment applies its connections one at a time: `--parallelism` already bounds
# the environments at once, so the tenant calls in flight stay at most that many.
CONNECTIONS_AT_ONCE = 1


def apply_job(
    output: str, request: PlanRequest, lock_timeout: float
) -> Callable[[str, TextIO, TextIO], JobOutput]:
    from syncspec.apply.applier import apply_plan
    from syncspec.render.apply_json import JsonApplyHooks
    from syncspec.render.apply_text import TextApplyHooks, render_apply_text
    from syncspec.render.plan_text import render_plan_text
    from syncspec.render.style import Style
    from syncspec.workspace.apply_job import follow_up_planner
    from syncspec.workspace.session import Session, secret_resolver

    def job(name: str, out: TextIO, notes: TextIO) -> JobOutput:
        with Session(Path.cwd(), dict(os.environ), name, notes=notes) as session:
            plan = session.make_plan(request)
            count = len(plan.changes)
            if not plan.steps:
                if output == "text":
                    out.write(
                        "No changes. The tenant already matches the configuration; nothing was written.\n"
                    )
                return JobOutput(ExitCode.OK, RunResult.NO_CHANGES, count, {"events": []})
            events = io.StringIO()
            if output == "text":
                render_plan_text(plan, out, Style.plain())
            hooks = JsonApplyHooks(events) if output == "json" else TextApplyHooks(out, terminal=False)
            result = apply_plan(
                plan,
                session.target(),
                secrets=secret_resolver(session, session.desired()),
                state=session.state(),
                hooks=hooks,
                parallelism=CONNECTIONS_AT_ONCE,
                now=session.now,
                lock_timeout=lock_timeout,
                command=f"syncspec apply -e {name} (fleet)",
                fingerprint=session.secret_fingerprint(),
                follow_up=follow_up_planner(session),
            )
        if output == "text":
            render_apply_text(result, out)
        document = {"events": [json.loads(line) for line in events.getvalue().splitlines() if line.strip()]}
        if result.interrupted:
            return JobOutput(ExitCode.INTERRUPTED, RunResult.INTERRUPTED, count, document)
        if result.ok or result.noop:
            return JobOutput(ExitCode.OK, RunResult.APPLIED, count, document)
        return JobOutput(ExitCode.ERROR, RunResult.FAILED, count, document)

    return job
