"""plan, drift and apply for one environment, each written once.

A job gets an open Session and a Display (where its text goes, in which style, and
whether it runs in a fleet) and returns a JobOutput. `syncspec plan -e prod` runs the
job on the terminal's streams; `syncspec plan -e 'customer-*'` runs the same job once
per environment into buffers (workspace/fleet.py). What differs between the two is
only what the Display says: in a fleet, JSON becomes part of one combined document
instead of being written, and nothing is asked.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from syncspec.model.exitcodes import ExitCode
from syncspec.model.fleet import JobOutput, RunResult
from syncspec.render.messages import NOTHING_APPLIED
from syncspec.workspace.session import PlanRequest, Session, follow_up_planner, secret_resolver

if TYPE_CHECKING:
    from syncspec.apply.hooks import ApplyHooks
    from syncspec.plan.model import Plan
    from syncspec.render.machine import EventStream
    from syncspec.render.style import Style

PARTIAL_PLAN = "warning: --only makes this a partial plan; other changes are not shown."
PARTIAL_PLANS = "warning: --only makes these partial plans; other changes are not shown."
CREATED_ON_APPLY = (
    "note: this plan created connections whose fields were discovered on create; "
    "run 'syncspec plan' and apply again for their field-level changes (exit 3: partial)."
)
# In a fleet each environment applies its connections one at a time: `--parallelism`
# already bounds the environments at once, so the tenant calls in flight stay that many.
FLEET_CONNECTIONS_AT_ONCE = 1


@dataclass(frozen=True)
class Display:
    out: TextIO
    output: str  # "text", "json", "jsonl" or "markdown"
    style: Style
    in_fleet: bool = False  # JSON is returned as the JobOutput's document, not written
    events: EventStream | None = None  # `--output jsonl` (plan) / `json` (apply): versioned JSON lines
    no_color: bool = False


# A job for one environment: what `syncspec plan/drift/apply` does once the session is open.
EnvironmentJob = Callable[[Session, Display], JobOutput]


@dataclass(frozen=True)
class PlanJob:
    request: PlanRequest
    detailed_exitcode: bool = False
    save_to: Path | None = None  # `--out`: also write the plan file here
    plan_key: bytes | None = None  # signs the saved plan file

    def __call__(self, session: Session, display: Display) -> JobOutput:
        _metadata_changes_note(session)  # first: the plan may fail on what changed
        made = session.make_plan(self.request)
        if not display.in_fleet and self.request.only:
            _tell(session, PARTIAL_PLAN)
        if self.save_to is not None:
            _save_plan(session, made, self.save_to, self.plan_key)
        document = _show_plan(made, display)
        count = len(made.changes)
        code = ExitCode.CHANGES if self.detailed_exitcode and count else ExitCode.OK
        return JobOutput(code, RunResult.CHANGES if count else RunResult.NO_CHANGES, count, document)


@dataclass(frozen=True)
class DriftJob:
    def __call__(self, session: Session, display: Display) -> JobOutput:
        from syncspec.model.errors import StateError
        from syncspec.plan.drift import drift_report

        last_applied = session.last_applied()
        if not last_applied.values:
            raise StateError(
                f"no apply is recorded for environment {session.environment.name!r}, so drift cannot be "
                "told apart from configuration changes",
                hint="run 'syncspec apply' once; drift compares the tenant with what it applied",
            )
        _metadata_changes_note(session)  # first: the plan may fail on what changed
        report = drift_report(session.make_plan(PlanRequest()), last_applied)
        document = _show_plan(report, display, drift=True)
        count = len(report.changes)
        code = ExitCode.CHANGES if count else ExitCode.OK
        return JobOutput(code, RunResult.DRIFTED if count else RunResult.NO_CHANGES, count, document)


@dataclass(frozen=True)
class ApplyJob:
    request: PlanRequest
    lock_timeout: float
    command: str = ""  # recorded in the journal and the lock; "": the fleet's, per environment
    parallelism: int = FLEET_CONNECTIONS_AT_ONCE  # connections at once
    saved: Plan | None = None  # a saved plan file, applied exactly as it is
    # asks before writing, telling a refusal on the notes stream it is given; None: --auto-approve
    approve: Callable[[TextIO | None], bool] | None = None

    def __call__(self, session: Session, display: Display) -> JobOutput:
        made = self.saved if self.saved is not None else session.make_plan(self.request)
        count = len(made.changes)
        # JSON output of one environment stays one object per line: a plan without steps
        # goes through the applier too, which writes nothing and reports `apply_done` (noop).
        if not made.steps and (display.output == "text" or display.in_fleet):
            if display.output == "text":
                display.out.write(NOTHING_APPLIED + "\n")
                display.out.flush()
            return JobOutput(ExitCode.OK, RunResult.NO_CHANGES, count, {"events": []})
        if self.saved is None and made.steps:
            if display.output == "text":
                _render_plan_text(made, display)
            if self.approve is not None and not self.approve(session.notes):
                return JobOutput(ExitCode.ERROR, RunResult.FAILED, count, None)
        done = self._apply(session, made, display)
        if done.code == ExitCode.PARTIAL:
            _tell(session, CREATED_ON_APPLY)
        return done

    def _apply(self, session: Session, made: Plan, display: Display) -> JobOutput:
        from syncspec.apply.applier import apply_plan
        from syncspec.model.exitcodes import apply_exit_code
        from syncspec.render.apply_text import render_apply_text

        events: TextIO = io.StringIO() if display.in_fleet else display.out
        hooks = _apply_hooks(display, events)
        result = apply_plan(
            made,
            session.target(),
            secrets=secret_resolver(session, session.desired()),
            state=session.state(),
            hooks=hooks,
            parallelism=self.parallelism,
            now=session.now,
            lock_timeout=self.lock_timeout,
            command=self.command or f"syncspec apply -e {session.environment.name} (fleet)",
            secret_digest=session.secret_digest(),
            follow_up=follow_up_planner(session) if self.saved is None else None,
        )
        if display.output == "text":
            render_apply_text(result, display.out)
        document = None
        if isinstance(events, io.StringIO):
            lines = events.getvalue().splitlines()
            document = {"events": [json.loads(line) for line in lines if line.strip()]}
        count = len(made.changes)
        code = apply_exit_code(result.result)
        if code == ExitCode.INTERRUPTED:
            return JobOutput(code, RunResult.INTERRUPTED, count, document)
        if code in (ExitCode.OK, ExitCode.PARTIAL):  # partial: applied, field work left for a plan
            return JobOutput(code, RunResult.APPLIED, count, document)
        return JobOutput(ExitCode.ERROR, RunResult.FAILED, count, document)


def _apply_hooks(display: Display, events: TextIO) -> ApplyHooks:
    """JSON lines for `--output json`; in a fleet, log lines into its buffer; else the progress
    display (live on a terminal, one line per step in a log)."""
    from syncspec.render.apply_json import JsonApplyHooks
    from syncspec.render.apply_live import progress_hooks
    from syncspec.render.apply_text import TextApplyHooks

    if display.output == "json":
        return JsonApplyHooks(display.events if display.events is not None else events)
    if display.in_fleet:
        return TextApplyHooks(display.out)
    live_or_lines: ApplyHooks = progress_hooks(display.out, no_color=display.no_color)
    return live_or_lines


def _show_plan(made: Plan, display: Display, *, drift: bool = False) -> object:
    """Text and markdown go to the display; in a fleet, JSON becomes part of the combined document."""
    from syncspec.plan.planfile import write_plan

    if display.output == "json" and display.in_fleet:
        return json.loads(write_plan(made))
    if display.output == "jsonl" and display.events is not None:
        from syncspec.render.plan_stream import render_plan_events

        render_plan_events(made, display.events)
        return None
    if drift:
        from syncspec.render.drift_output import render_drift

        render_drift(made, display.output, display.out, display.style)
    else:
        from syncspec.render.plan_output import render_plan

        render_plan(made, display.output, display.out, display.style)
    return None


def _render_plan_text(made: Plan, display: Display) -> None:
    from syncspec.render.plan_text import render_plan_text

    render_plan_text(made, display.out, display.style)
    display.out.flush()


def _save_plan(session: Session, made: Plan, path: Path, key: bytes | None) -> None:
    from syncspec.plan.planfile import write_plan
    from syncspec.state.files import write_private

    write_private(path, write_plan(made, key))  # owner-only (0600; new folders 0700), atomic
    signed = " (signed with SYNCSPEC_PLAN_KEY)" if key is not None else ""
    _tell(session, f"note: plan saved to {path}{signed}")


def _metadata_changes_note(session: Session) -> None:
    """One `note:` line when the tenant's metadata changed since its snapshot in ways the
    configuration feels (workspace/metadata_diff.py)."""
    from syncspec.workspace.metadata_diff import write_changes_note

    if session.notes is not None:
        write_changes_note(session, session.notes)


def _tell(session: Session, line: str) -> None:
    if session.notes is not None:
        session.notes.write(line + "\n")
        session.notes.flush()
