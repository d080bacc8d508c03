"""The report's view: what the HTML shows, built from desired state, metadata, a plan and diagnostics.

Pure and typed, so the template only loops and prints. Every planned change and every
diagnostic is placed on the element its address names (a field row, a list item, a default,
a ranking, a connection); whatever names nothing shown lands in the connection's or the
report's "other" list, so nothing is ever dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from syncspec.model.address import CONNECTION, Address, Part
from syncspec.model.applied import JsonValue
from syncspec.model.desired import (
    ActorDesired,
    ConnectionDesired,
    CrmItemRef,
    DefaultSpec,
    DesiredState,
    Direction,
    FieldMappingSpec,
)
from syncspec.model.diagnostics import Diagnostic
from syncspec.model.enums import CRM_ACTOR_FOR_ERP, ErpActorType
from syncspec.model.metadata import ActorMeta, ErpFieldMeta, Metadata
from syncspec.model.text import scalar_text
from syncspec.plan.model import Action, Change, Plan, ReasonKind
from syncspec.plan.risk import CONFLICT_TEXT, PAUSE_TEXT, conflicting_changes, paused_connections

NO_SELECTION = "(No selection)"

# Arrow glyph and words per direction: the words are there so the diagram reads without colour.
ARROWS: dict[str, tuple[str, str]] = {
    Direction.TO_CRM.value: ("→", "to CRM"),
    Direction.TO_ERP.value: ("←", "to ERP"),
    Direction.BOTH.value: ("↔", "both ways"),
    Direction.NONE.value: ("·", "not synced"),
}

_STATUS_WORD = {
    Action.CREATE: "added",
    Action.DELETE: "removed",
    Action.UPDATE: "changed",
    Action.REORDER: "reordered",
    Action.ACTIVATE: "activated",
    Action.DEACTIVATE: "deactivated",
}


@dataclass(frozen=True)
class AttributeChange:
    name: str
    before: str
    after: str


@dataclass(frozen=True)
class ChangeMark:
    """One planned change as the report shows it where it lands."""

    address: str
    action: str  # the Action value
    status: str  # added / removed / changed / reordered / activated / deactivated
    attributes: tuple[AttributeChange, ...] = ()
    reason: str = ""  # config / drift / conflict / missing_in_config
    location: str = ""
    risk: str = ""
    conflict: bool = False

    @property
    def css(self) -> str:
        return f"chg-{self.status}"


@dataclass(frozen=True)
class Problem:
    """A diagnostic on the element it is about."""

    severity: str
    code: str
    message: str
    location: str
    hint: str


@dataclass(frozen=True)
class Marks:
    """Changes and diagnostics of one element."""

    changes: tuple[ChangeMark, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.changes and not self.problems

    @property
    def status(self) -> str:
        """The element's overall status for styling: the first change's, else 'error'/'warning'/''."""
        if self.changes:
            return self.changes[0].status
        if any(p.severity == "error" for p in self.problems):
            return "error"
        return "warning" if self.problems else ""


@dataclass(frozen=True)
class FieldRow:
    erp_key: str
    erp_name: str
    crm_key: str  # empty: not mapped
    crm_name: str
    direction: str  # a Direction value
    arrow: str
    arrow_text: str
    show_in_search: bool
    show_in_tab: bool
    is_id: bool
    read_only: bool
    mandatory: bool
    configured: bool  # named in the FieldMappings document (else from metadata only)
    marks: Marks = Marks()

    @property
    def greyed(self) -> bool:
        return self.direction == Direction.NONE.value


@dataclass(frozen=True)
class TabField:
    rank: int
    erp_key: str
    erp_name: str
    shown: bool
    ranked: bool  # listed in the Ranking document


@dataclass(frozen=True)
class ListRow:
    erp_item: str
    erp_name: str
    crm_item: str  # NO_SELECTION when unset
    unset: bool
    duplicate: bool
    marks: Marks = Marks()


@dataclass(frozen=True)
class ListTable:
    field: str
    address: str
    rows: tuple[ListRow, ...]
    marks: Marks = Marks()

    @property
    def duplicates(self) -> int:
        return sum(1 for r in self.rows if r.duplicate)


@dataclass(frozen=True)
class DefaultRow:
    erp_key: str
    erp_name: str
    value: str  # empty: no value
    has_value: bool
    prompt: bool
    mandatory: bool
    marks: Marks = Marks()


@dataclass(frozen=True)
class ActorView:
    connection: str
    actor: str
    crm_entity: str
    sync: bool
    anchor: str
    fields: tuple[FieldRow, ...]
    tab: tuple[TabField, ...]
    lists: tuple[ListTable, ...]
    defaults: tuple[DefaultRow, ...]
    marks: Marks = Marks()  # actor-level and ranking changes, leftovers under the actor
    ranking_marks: Marks = Marks()

    @property
    def mapped(self) -> int:
        return sum(1 for f in self.fields if f.crm_key)


@dataclass(frozen=True)
class ConnectionView:
    name: str
    connector: str
    description: str
    active: bool
    scope: str
    actors_synced: tuple[str, ...]
    priority: int  # 1-based; 0 when not in the sync priority order
    anchor: str
    actors: tuple[ActorView, ...]
    config: tuple[tuple[str, str], ...]
    marks: Marks = Marks()
    removed: bool = False  # only in the plan: the connection is deleted


@dataclass(frozen=True)
class ConnectorView:
    name: str
    url: str
    marks: Marks = Marks()


@dataclass(frozen=True)
class PlanHeader:
    plan_id: str
    environment: str
    target: str
    created_at: str
    commit: str
    summary: tuple[tuple[str, int], ...]
    partial: tuple[str, ...]
    total: int


@dataclass(frozen=True)
class Attention:
    """A risky change, conflict or pause listed first in the report."""

    kind: str  # risk / conflict / pause
    address: str
    text: str
    anchor: str


@dataclass(frozen=True)
class ReportView:
    title: str
    environment: str
    connectors: tuple[ConnectorView, ...]
    connections: tuple[ConnectionView, ...]
    priority: tuple[str, ...]
    plan: PlanHeader | None
    attention: tuple[Attention, ...]
    other: Marks  # changes and problems that name no element shown
    problems_total: int
    errors_total: int
    has_metadata: bool
    unmanaged: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def actor_types(self) -> list[str]:
        return sorted({a.actor for c in self.connections for a in c.actors})


@dataclass(frozen=True)
class ReportInput:
    """Everything a report may show; only `desired` or `plan` is needed."""

    desired: DesiredState | None = None
    metadata: Metadata | None = None
    plan: Plan | None = None
    diagnostics: Sequence[Diagnostic] = ()
    environment: str = ""
    commit: str = ""
    title: str = "syncspec report"


def anchor_of(*parts: str) -> str:
    """An HTML id from address parts: letters, digits and dashes only."""
    text = "-".join(parts)
    return "".join(ch if ch.isalnum() else "-" for ch in text).strip("-").lower()


def value_shown(value: JsonValue | object) -> str:
    """A value as the report prints it: a scalar as the tenant's text, `null`, lists and
    mappings joined with commas."""
    if value is None:
        return "null"
    if isinstance(value, list | tuple):
        return ", ".join(value_shown(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {value_shown(v)}" for k, v in value.items())
    return scalar_text(value)


class _Placer:
    """Hands out the changes and diagnostics by address; what nobody took is left over."""

    def __init__(self, changes: Iterable[ChangeMark], problems: Iterable[tuple[str, Problem]]) -> None:
        self._changes: dict[str, list[ChangeMark]] = {}
        for mark in changes:
            self._changes.setdefault(mark.address, []).append(mark)
        self._problems: dict[str, list[Problem]] = {}
        for address, problem in problems:
            self._problems.setdefault(address, []).append(problem)

    def take(self, address: str) -> Marks:
        return Marks(tuple(self._changes.pop(address, ())), tuple(self._problems.pop(address, ())))

    def take_under(self, prefix: str) -> Marks:
        """Every mark at `prefix` or below it that nothing more specific took."""
        changes = [m for a in sorted(self._changes) if _under(a, prefix) for m in self._changes.pop(a)]
        problems = [p for a in sorted(self._problems) if _under(a, prefix) for p in self._problems.pop(a)]
        return Marks(tuple(changes), tuple(problems))

    def addresses(self, prefix: str) -> list[str]:
        return sorted({a for a in [*self._changes, *self._problems] if _under(a, prefix)})

    def rest(self) -> Marks:
        return self.take_under("")


def _under(address: str, prefix: str) -> bool:
    return not prefix or address == prefix or address.startswith(prefix + ".")


def _mark(change: Change, conflicts: set[str]) -> ChangeMark:
    names = sorted(set(change.before) | set(change.after))
    attributes = tuple(_attribute(name, change) for name in names)
    return ChangeMark(
        address=change.address,
        action=change.action.value,
        status=_STATUS_WORD[change.action],
        attributes=attributes,
        reason=change.reason.kind.value,
        location=change.reason.location,
        risk=change.risk,
        conflict=change.address in conflicts or change.reason.kind is ReasonKind.CONFLICT,
    )


def _attribute(name: str, change: Change) -> AttributeChange:
    before, after = change.before.get(name), change.after.get(name)
    if (
        isinstance(before, list)
        and isinstance(after, list)
        and sorted(map(str, before)) == sorted(map(str, after))
    ):
        # A reorder of a long list: name the items that moved instead of printing both lists.
        old = [str(v) for v in before]
        moved = [f"{v} #{old.index(str(v)) + 1}" for i, v in enumerate(after) if old.index(str(v)) != i]
        new = [f"#{i + 1}" for i, v in enumerate(after) if old.index(str(v)) != i]
        return AttributeChange(f"{name} (moved)", ", ".join(moved), ", ".join(new))
    return AttributeChange(
        name,
        _labelled(before, change.labels) if name in change.before else "",
        _labelled(after, change.labels) if name in change.after else "",
    )


def _labelled(value: JsonValue, labels: Mapping[str, str]) -> str:
    if value is None:  # no value (an unmapped list item, an unset attribute): shown as "(none)"
        return ""
    text = value_shown(value)
    label = labels.get(text) if labels else None
    return f"{label} ({text})" if label else text


def _problem(diagnostic: Diagnostic) -> Problem:
    return Problem(
        severity=diagnostic.severity.value,
        code=diagnostic.code,
        message=diagnostic.message,
        location=str(diagnostic.location) if diagnostic.location else "",
        hint=diagnostic.hint,
    )


def build_view(given: ReportInput) -> ReportView:
    """The report's view of `given`."""
    plan = given.plan
    conflicts = {c.address for c in conflicting_changes(plan)} if plan is not None and plan.steps else set()
    placer = _placer(plan, conflicts, given.diagnostics)
    desired = given.desired or DesiredState()
    metadata = given.metadata
    priority = _priority(desired, plan)

    connectors = _connectors(desired, placer)  # the configured ones take their marks first
    connections = _connections(desired, metadata, placer, priority)
    errors = sum(1 for d in given.diagnostics if d.is_error)
    return ReportView(
        title=given.title,
        environment=given.environment or (plan.environment if plan else ""),
        connectors=connectors,
        connections=connections,
        priority=priority,
        plan=_header(plan, given.commit) if plan is not None else None,
        attention=_attention(plan, conflicts) if plan is not None else (),
        other=placer.rest(),
        problems_total=len(given.diagnostics),
        errors_total=errors,
        has_metadata=metadata is not None,
        unmanaged=tuple((u.address, u.hint) for u in plan.unmanaged) if plan is not None else (),
        notes=plan.notes if plan is not None else (),
    )


def _placer(plan: Plan | None, conflicts: set[str], diagnostics: Iterable[Diagnostic]) -> _Placer:
    """Every change and problem, to be placed where the report shows its address."""
    marks = [_mark(c, conflicts) for c in plan.changes] if plan is not None else []
    return _Placer(marks, ((d.address, _problem(d)) for d in diagnostics))


def _connectors(desired: DesiredState, placer: _Placer) -> tuple[ConnectorView, ...]:
    configured = tuple(
        ConnectorView(name, str(doc.url), placer.take(str(Address.connector(name))))
        for name, doc in sorted(desired.connectors.items())
    )
    only_planned = tuple(
        ConnectorView(a.removeprefix("connector."), "", placer.take_under(a))
        for a in placer.addresses("connector")
        if a.count(".") == 1
    )
    return configured + only_planned


def _connections(
    desired: DesiredState, metadata: Metadata | None, placer: _Placer, priority: tuple[str, ...]
) -> tuple[ConnectionView, ...]:
    connections = [
        _connection(desired.connections[name], metadata, placer, priority)
        for name in sorted(desired.connections)
    ]
    # Connections only the plan knows (deleted ones): shown with their changes, marked removed.
    for name in sorted({_connection_of(a) for a in placer.addresses("connection")} - {""}):
        connections.append(_plan_only_connection(name, placer, priority))
    return tuple(connections)


def _connection_of(address: str) -> str:
    """The connection `address` lies in, "" for none. A config value's mark
    (`connection.X.config.KEY`) names an attribute of the connection, not an address below it."""
    parsed = _parsed(address.partition(".config.")[0])
    return parsed.name if parsed is not None and parsed.root == CONNECTION else ""


def _parsed(address: str) -> Address | None:
    try:
        return Address.parse(address)
    except ValueError:  # a diagnostic may name a place that is not an address
        return None


def _priority(desired: DesiredState, plan: Plan | None) -> tuple[str, ...]:
    if desired.sync_priority is not None:
        return tuple(desired.sync_priority.order)
    if plan is not None:
        for change in plan.changes:
            if change.kind == "sync_priority":
                order = change.after.get("order")
                if isinstance(order, list):
                    return tuple(str(o) for o in order)
    return ()


def _header(plan: Plan, commit: str) -> PlanHeader:
    return PlanHeader(
        plan_id=plan.plan_id,
        environment=plan.environment,
        target=plan.target,
        created_at=plan.created_at,
        commit=commit,
        summary=tuple((a.value, plan.summary.count(a)) for a in Action),
        partial=plan.only,
        total=plan.summary.total,
    )


def _attention(plan: Plan, conflicts: set[str]) -> tuple[Attention, ...]:
    items = [Attention("risk", c.address, c.risk, anchor_of(c.address)) for c in plan.changes if c.risky]
    items += [Attention("conflict", a, CONFLICT_TEXT, anchor_of(a)) for a in sorted(conflicts)]
    items += [
        Attention("pause", address, PAUSE_TEXT, anchor_of(address))
        for address in (str(Address.connection(n)) for n in paused_connections(plan))
    ]
    return tuple(items)


def _scope(desired: ConnectionDesired) -> str:
    access = desired.connection.access
    if access == "everyone" or isinstance(access, str):
        return "Everyone"
    parts = [*(f"group {g}" for g in access.groups), *(f"user {u}" for u in access.users)]
    return "Specific users and groups: " + ", ".join(parts)


def _connection(
    desired: ConnectionDesired, metadata: Metadata | None, placer: _Placer, priority: tuple[str, ...]
) -> ConnectionView:
    doc = desired.connection
    address = str(Address.connection(doc.name))
    meta = metadata.connections.get(doc.name) if metadata is not None else None
    actor_types = sorted({*doc.actors, *desired.actors}, key=lambda a: list(ErpActorType).index(a))
    actors = tuple(
        _actor(
            doc.name,
            actor,
            doc.actors[actor].sync if actor in doc.actors else False,
            desired.actor(actor),
            meta.actors.get(actor) if meta is not None else None,
            placer,
        )
        for actor in actor_types
    )
    config = tuple((key, value_shown(value)) for key, value in sorted(doc.config.items()))
    own = placer.take(address)
    config_marks = placer.take_under(address + ".config")
    rest = placer.take_under(address)
    return ConnectionView(
        name=doc.name,
        connector=doc.connector,
        description=doc.description,
        active=doc.active,
        scope=_scope(desired),
        actors_synced=tuple(a.value for a in doc.actors if doc.actors[a].sync),
        priority=priority.index(doc.name) + 1 if doc.name in priority else 0,
        anchor=anchor_of(address),
        actors=actors,
        config=config,
        marks=_join(own, config_marks, rest),
    )


def _plan_only_connection(name: str, placer: _Placer, priority: tuple[str, ...]) -> ConnectionView:
    address = str(Address.connection(name))
    marks = placer.take_under(address)
    removed = any(m.action == Action.DELETE.value and m.address == address for m in marks.changes)
    return ConnectionView(
        name=name,
        connector="",
        description="not in the configuration",
        active=False,
        scope="",
        actors_synced=(),
        priority=priority.index(name) + 1 if name in priority else 0,
        anchor=anchor_of(address),
        actors=(),
        config=(),
        marks=marks,
        removed=removed,
    )


def _join(*marks: Marks) -> Marks:
    return Marks(
        tuple(c for m in marks for c in m.changes),
        tuple(p for m in marks for p in m.problems),
    )


def _actor(
    connection: str,
    actor: ErpActorType,
    sync: bool,
    desired: ActorDesired,
    meta: ActorMeta | None,
    placer: _Placer,
) -> ActorView:
    where = Address.connection(connection).of_actor(actor.value)
    base = str(where)
    fields = _field_rows(where, desired, meta, placer)
    names = {row.erp_key: row.erp_name for row in fields}
    lists = tuple(
        _list_table(str(where.of_list(key)), key, desired.lists[key].items, placer)
        for key in sorted(desired.lists)
    )
    defaults = tuple(
        _default_row(str(where.of_default(key)), key, names.get(key, key), spec, placer)
        for key, spec in (desired.defaults.fields.items() if desired.defaults else ())
    )
    ranking_marks = placer.take(str(where.of_ranking()))
    own = placer.take(base)
    crm = CRM_ACTOR_FOR_ERP.get(actor)
    return ActorView(
        connection=connection,
        actor=actor.value,
        crm_entity=crm.value if crm is not None else "",
        sync=sync,
        anchor=anchor_of(base),
        fields=fields,
        tab=_tab(desired, fields),
        lists=lists,
        defaults=defaults,
        marks=_join(own, placer.take_under(base)),
        ranking_marks=ranking_marks,
    )


def _field_rows(
    actor: Address, desired: ActorDesired, meta: ActorMeta | None, placer: _Placer
) -> tuple[FieldRow, ...]:
    specs = desired.mappings.fields if desired.mappings is not None else {}
    meta_fields = meta.fields if meta is not None else {}
    keys = list(meta_fields) + [k for k in specs if k not in meta_fields]
    # The connector's key field: the first field, when it is read-only (the demo's CUSTNO, PERSONNO).
    first = next(iter(meta_fields.values()), None)
    id_key = first.key if first is not None and first.read_only else ""
    # Fields only the plan names (removed from the configuration) still get a row.
    keys += [k for k in _planned_fields(actor, placer) if k not in keys]
    return tuple(
        _field_row(
            key,
            specs.get(key),
            meta_fields.get(key),
            key == id_key,
            placer.take(str(actor.of_field(key))),
        )
        for key in keys
    )


def _field_row(
    key: str, spec: FieldMappingSpec | None, field_meta: ErpFieldMeta | None, is_id: bool, marks: Marks
) -> FieldRow:
    direction = (spec.direction if spec is not None and spec.direction else Direction.NONE).value
    if spec is not None and spec.crm and spec.direction is None:
        direction = Direction.NONE.value
    arrow, arrow_text = ARROWS[direction]
    crm_key = spec.crm if spec is not None and spec.crm else ""
    return FieldRow(
        erp_key=key,
        erp_name=field_meta.display_name if field_meta is not None else key,
        crm_key=crm_key,
        crm_name=crm_key,
        direction=direction,
        arrow=arrow,
        arrow_text=arrow_text,
        show_in_search=bool(spec and spec.show_in_search),
        show_in_tab=bool(spec and spec.show_in_tab),
        is_id=is_id,
        read_only=bool(field_meta and field_meta.read_only),
        mandatory=bool(field_meta and field_meta.mandatory),
        configured=spec is not None,
        marks=marks,
    )


def _tab(desired: ActorDesired, fields: Sequence[FieldRow]) -> tuple[TabField, ...]:
    """The Rank fields dialog's order: ranked fields first, the rest in the connector's order."""
    ranked = list(desired.ranking.order) if desired.ranking is not None else []
    by_key = {f.erp_key: f for f in fields}
    order = ranked + [f.erp_key for f in fields if f.erp_key not in ranked]
    return tuple(
        TabField(
            rank=index + 1,
            erp_key=key,
            erp_name=by_key[key].erp_name if key in by_key else key,
            shown=bool(by_key.get(key) and by_key[key].show_in_tab),
            ranked=key in ranked,
        )
        for index, key in enumerate(order)
    )


def _planned_fields(actor: Address, placer: _Placer) -> list[str]:
    """The ERP fields of `actor` the plan or a diagnostic names (defaults aside)."""
    below = (_parsed(a) for a in placer.addresses(f"{actor}.field"))
    return [a.key for a in below if a is not None and a.part is Part.FIELD]


def _list_table(address: str, key: str, items: Mapping[str, CrmItemRef], placer: _Placer) -> ListTable:
    targets = {erp_item: _item_text(ref) for erp_item, ref in items.items()}
    counts: dict[str, int] = {}
    for erp_item, ref in items.items():
        if not ref.is_unset:
            counts[targets[erp_item]] = counts.get(targets[erp_item], 0) + 1
    table_marks = placer.take(address)
    # A list change carries one attribute per item (`item.<ERP item>`): show each on its row.
    per_item = _item_changes(table_marks.changes)
    keys = list(items) + sorted(k for k in per_item if k not in items)
    rows = tuple(
        ListRow(
            erp_item=erp_item,
            erp_name=erp_item,
            crm_item=targets.get(erp_item, NO_SELECTION),
            unset=erp_item not in items or items[erp_item].is_unset,
            duplicate=erp_item in items
            and not items[erp_item].is_unset
            and counts.get(targets[erp_item], 0) > 1,
            marks=_join(placer.take(f"{address}.item.{erp_item}"), Marks(tuple(per_item.get(erp_item, ())))),
        )
        for erp_item in keys
    )
    return ListTable(field=key, address=address, rows=rows, marks=table_marks)


def _item_changes(changes: Iterable[ChangeMark]) -> dict[str, list[ChangeMark]]:
    out: dict[str, list[ChangeMark]] = {}
    for change in changes:
        for attribute in change.attributes:
            if not attribute.name.startswith("item."):
                continue
            item = attribute.name.removeprefix("item.")
            status = "changed"
            if not attribute.before and change.action != Action.DELETE.value:
                status = "added"
            elif not attribute.after:
                status = "removed"
            out.setdefault(item, []).append(
                ChangeMark(
                    address=f"{change.address}.item.{item}",
                    action=change.action,
                    status=status,
                    attributes=(AttributeChange("CRM item", attribute.before, attribute.after),),
                    reason=change.reason,
                    location=change.location,
                    conflict=change.conflict,
                )
            )
    return out


def _item_text(ref: CrmItemRef) -> str:
    if ref.is_unset:
        return NO_SELECTION
    return ref.name if ref.name is not None else f"id {ref.id}"


def _default_row(address: str, key: str, name: str, spec: DefaultSpec, placer: _Placer) -> DefaultRow:
    return DefaultRow(
        erp_key=key,
        erp_name=name,
        value=value_shown(spec.value) if spec.value is not None else "",
        has_value=spec.value is not None,
        prompt=bool(spec.prompt),
        mandatory=bool(spec.mandatory),
        marks=placer.take(address),
    )


__all__ = [
    "NO_SELECTION",
    "ActorView",
    "ConnectionView",
    "FieldRow",
    "ReportInput",
    "ReportView",
    "build_view",
]
