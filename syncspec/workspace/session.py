"""One command's run against one environment: project, desired state, target, live state, plan.

The commands are thin; this is where the stages are wired together, each read done
once and cached for the run. Nothing here prints except the one-line notes it is
handed a stream for; problems are raised as SyncspecErrors carrying diagnostics.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from syncspec.model.address import Address
from syncspec.model.diagnostics import Diagnostic, has_errors, sorted_diagnostics
from syncspec.model.errors import ConfigError
from syncspec.model.text import scalar_text

if TYPE_CHECKING:
    from syncspec.model.applied import LastApplied
    from syncspec.model.desired import DesiredState
    from syncspec.model.live import LiveState
    from syncspec.model.metadata import Metadata
    from syncspec.plan.model import Plan
    from syncspec.spec.loading.interpolate import Resolved
    from syncspec.spec.project import Environment, ProjectConfig
    from syncspec.spec.validate import ValidationRun
    from syncspec.state.base import StateBackend
    from syncspec.targets.base import Target


@dataclass(frozen=True)
class PlanRequest:
    allow_delete: bool = False
    only: tuple[str, ...] = ()
    ttl: dt.timedelta = dt.timedelta(days=7)
    # lift the delete limit (every connection, or more than max_delete_percent); implies allow_delete
    allow_delete_all: bool = False
    max_delete_percent: int | None = None  # None: the project's setting
    resend_secrets: tuple[str, ...] = ()
    # plan only what `only` keeps (PlanOptions.narrow_to_only): the applier's follow-up plans
    narrow_to_only: bool = False


@dataclass
class Session:
    cwd: Path
    env: Mapping[str, str]
    environment_name: str | None = None
    notes: TextIO | None = None  # where one-line notices go (stderr)
    now: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC))
    _validation: ValidationRun | None = None
    _target: Target | None = None
    _state: StateBackend | None = None
    _secret_digest: Callable[[str], str] | None = None
    _left_switched_off: tuple[tuple[str, str], ...] | None = None

    # --- desired state -----------------------------------------------------------------
    def validation(self) -> ValidationRun:
        if self._validation is None:
            from syncspec.spec.validate import validate

            self._validation = validate(
                [], cwd=self.cwd, environment=self.environment_name, env=self.env, missing_env_is_error=True
            )
        return self._validation

    @property
    def project(self) -> ProjectConfig:
        return self.validation().project

    @property
    def environment(self) -> Environment:
        return self.validation().environment

    def desired(self) -> DesiredState:
        """The desired state; raises ConfigError with every diagnostic when it is not usable."""
        run = self.validation()
        report = run.report
        if report.errors or run.desired is None:
            raise ConfigError(
                "the configuration is not valid",
                report.diagnostics,
                hint="run 'syncspec validate' for details",
            )
        return run.desired

    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.validation().report.diagnostics if not d.is_error)

    # --- the tenant -------------------------------------------------------------------
    def target(self) -> Target:
        if self._target is None:
            from syncspec.workspace.tenant_open import open_environment_target

            self._target = open_environment_target(
                self.environment, root=self.project.root, env=self.env, note=self._note
            )
        return self._target

    def live(self) -> LiveState:
        return self.target().read_live()

    def metadata(self) -> Metadata:
        return self.target().read_metadata()

    def check_rules(self, desired: DesiredState) -> list[Diagnostic]:
        """Semantic rules against live metadata; raises ConfigError when any is an error."""
        from syncspec.embedded.connectors.encoding import parse_value
        from syncspec.rules.engine import check_rules

        found = check_rules(desired, self.metadata(), live=self.live(), parse_value=parse_value)
        if has_errors(found):
            raise ConfigError(
                "the configuration breaks rules the tenant enforces",
                sorted_diagnostics(found),
                hint="fix the errors above; 'syncspec validate' shows them too",
            )
        return found

    def resolved_config(
        self, desired: DesiredState, names: Collection[str] | None = None
    ) -> dict[str, dict[str, Resolved]]:
        """Each connection's config, interpolated; `names`: only these connections."""
        from syncspec.spec.loading.interpolate import resolve

        variables = dict(self.environment.vars)
        out: dict[str, dict[str, Resolved]] = {}
        for name, connection in desired.connections.items():
            if names is not None and name not in names:
                continue
            out[name] = {
                key: resolve(scalar_text(value), env=self.env, vars=variables)
                for key, value in connection.connection.config.items()
            }
        return out

    def state(self) -> StateBackend:
        """The environment's state backend: lock, journal and last-applied records."""
        if self._state is None:
            from syncspec.workspace.state_open import open_environment_state

            self._state = open_environment_state(self.project, self.environment, self.env)
        return self._state

    def left_switched_off(self) -> tuple[tuple[str, str], ...]:
        """Connections an interrupted apply switched off and left so, per the journal.

        Read once per session, at its first plan. What an apply then writes to the journal
        cannot change the answer in a way that matters: the apply holds the state lock, so no
        other apply writes meanwhile, and its own events are of an apply that has not ended:
        a re-read would count the connections it switches off while it changes them as "left
        off by an interrupted apply" (they are not), and the follow-up plans it makes are of
        connections it has just created, which no earlier apply can have left off. Re-reading
        the whole journal for every follow-up made an apply from empty quadratic in its
        connections.
        """
        if self._left_switched_off is None:
            from syncspec.state.journal import left_switched_off

            found = left_switched_off(self.state().read_journal())
            self._left_switched_off = tuple(sorted(found.items()))
        return self._left_switched_off

    def last_applied(self) -> LastApplied:
        return self.state().read_last_applied()

    def secret_digest(self) -> Callable[[str], str]:
        """The keyed hash that tells whether a masked secret changed (key kept outside the repo)."""
        if self._secret_digest is None:
            from syncspec.state.secrets import SecretDigester, load_secret_digest_key

            self._secret_digest = SecretDigester(load_secret_digest_key(self.env))
        return self._secret_digest

    def make_plan(
        self, request: PlanRequest, *, live: LiveState | None = None, metadata: Metadata | None = None
    ) -> Plan:
        """The plan for this environment; `live`/`metadata` replace the run's own reads when given
        (the applier re-plans a connection it just created from fresh reads)."""
        from syncspec.plan.planner import PlanOptions, plan
        from syncspec.targets.snapshot import metadata_digest

        desired = self.desired()
        if not desired.connections and not desired.connectors and not request.allow_delete_all:
            raise ConfigError(
                "the configuration defines no connector and no connection",
                hint="check config_dir in syncspec.yaml; to plan deleting everything, "
                "pass --allow-delete-all",
            )
        if live is None:
            self.check_rules(desired)
        target = self.target()
        metadata = metadata if metadata is not None else self.metadata()
        options = PlanOptions(
            environment=self.environment.name,
            target=target.identity(),
            ttl=request.ttl,
            allow_delete=request.allow_delete or request.allow_delete_all,
            only=request.only,
            resend_secrets=request.resend_secrets,
            secret_digest=self.secret_digest(),
            metadata_digest=metadata_digest(metadata),
            left_switched_off=self.left_switched_off(),
            narrow_to_only=request.narrow_to_only,
        )
        current = live if live is not None else self.live()
        made = plan(
            desired,
            current,
            metadata,
            resolved_config=self.resolved_config(desired, _only_connections(request, desired)),
            last_applied=self.last_applied(),
            now=self.now(),
            options=options,
        )
        self._check_delete_limit(made, current, request)
        if live is None:  # not for the applier's re-plan of a connection it just created
            from syncspec.workspace.connector_test import with_connector_answers

            made = with_connector_answers(
                made, current, self.target(), secret_resolver(self, desired), self._note
            )
        return made

    def _check_delete_limit(self, made: Plan, live: LiveState, request: PlanRequest) -> None:
        from syncspec.model.errors import PlanError
        from syncspec.plan.risk import DeleteLimit, delete_limit_problem

        percent = request.max_delete_percent
        limit = DeleteLimit(
            max_percent=self.project.max_delete_percent if percent is None else percent,
            allow_all=request.allow_delete_all,
        )
        problem = delete_limit_problem(made, live, limit)
        if problem:
            raise PlanError(
                f"refusing to plan: {problem}",
                hint="check config_dir and the configuration files; if this is really wanted, "
                "pass --allow-delete-all",
            )

    def close(self) -> None:
        if self._target is not None:
            self._target.close()
            self._target = None
        if self._state is not None:
            self._state.close()
            self._state = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _note(self, text: str) -> None:
        if self.notes is not None:
            self.notes.write(f"note: {text}\n")


def _only_connections(request: PlanRequest, desired: DesiredState) -> set[str] | None:
    """The connections a narrowed plan keeps (named by `only`, or below it), else None: all."""
    if not request.narrow_to_only or not all(p.startswith("connection.") for p in request.only):
        return None
    from syncspec.model.address import Address
    from syncspec.plan.filters import matches

    def kept(name: str) -> bool:
        address = str(Address.connection(name))
        return matches(address, request.only) or any(p.startswith(address + ".") for p in request.only)

    return {name for name in desired.connections if kept(name)}


def secret_resolver(session: Session, desired: DesiredState) -> Callable[[str, str], str]:
    """(connection, key) -> the value the configuration gives, as SuperOffice stores it for the
    field's type (`[I:30]` for an Integer field), resolved when asked."""
    from syncspec.model.errors import ApplyError
    from syncspec.plan.normalize import value_text

    resolved: Mapping[str, Mapping[str, Any]] = session.resolved_config(desired)
    # Read now, while the session is open (the plan usually read it already). A connector
    # this apply creates has no types yet: its values go as resolved, which text fields take.
    connectors = session.metadata().connectors

    def field_type(connection: str, key: str) -> Any:
        wanted = desired.connections.get(connection)
        connector = connectors.get(wanted.connection.connector) if wanted else None
        field = connector.config_fields.get(key) if connector else None
        return field.field_type if field else None

    def secret(connection: str, key: str) -> str:
        value = resolved.get(connection, {}).get(key)
        if value is None or getattr(value, "missing", False):
            raise ApplyError(
                f"no value for the sensitive config key {key!r} of connection {connection!r}",
                hint="set the environment variable the configuration names",
            )
        # an `${env:...}` value may sit in any field, not only a Password one: encode it as
        # the planner did, or the tenant keeps "30" where the plan compares "[I:30]"
        return value_text(field_type(connection, key), value.value)

    return secret


def follow_up_planner(session: Session) -> Callable[[str, Any], Any]:
    """Steps that finish a connection this apply created: planned again from fresh reads, once the
    tenant has discovered its fields (the approved configuration asked for them)."""

    def steps_for(name: str, fresh: Any) -> Any:
        metadata = session.target().read_metadata(connections=[name])
        only = (str(Address.connection(name)),)
        again = session.make_plan(PlanRequest(only=only, narrow_to_only=True), live=fresh, metadata=metadata)
        return [step for step in again.steps if step.connection == name]

    return steps_for
