"""The sync engine in a plan: one address, `sync_engine`, with `automatic` and `interval`.

Only what the SyncEngine document sets is compared, so a document giving just the
interval never touches the automatic sync switch. Switching automatic sync off or on
is marked risky: it stops or starts ERP sync of every active connection at once.
The step runs last (see `engine_steps`), after connections and sync priority.
"""

from __future__ import annotations

from collections.abc import Sequence

from syncspec.model.address import Address
from syncspec.model.applied import JsonValue
from syncspec.model.desired import SyncEngineDoc
from syncspec.model.source import JsonPath, Origin
from syncspec.plan.diff import DiffContext, diff_object
from syncspec.plan.model import Change, ChangeKind
from syncspec.plan.ops import SaveSyncEngine, Step
from syncspec.plan.view import Obj, View

ENGINE_ADDRESS = str(Address.sync_engine())
ENGINE_KIND = ChangeKind.SYNC_ENGINE

SWITCHED_OFF = "switches automatic sync off: no connection syncs until it is switched on again"
SWITCHED_ON = "switches automatic sync on: the engine starts syncing every active connection"


def desired_engine(doc: SyncEngineDoc) -> Obj:
    """The view object of a SyncEngine document: only the settings it gives."""
    attrs: dict[str, JsonValue] = {}
    paths: list[tuple[str, JsonPath]] = [("", ())]
    if doc.automatic is not None:
        attrs["automatic"] = doc.automatic
        paths.append(("automatic", ("automatic",)))
    if doc.interval is not None:
        attrs["interval"] = doc.interval
        paths.append(("interval", ("interval",)))
    origin: Origin | None = doc.origin
    locations = {} if origin is None else {attr: (origin, path) for attr, path in paths}
    return Obj(ENGINE_KIND, attrs=attrs, locations=locations)


def engine_changes(desired: Obj, live_objects: View, ctx: DiffContext) -> list[Change]:
    """The change (none or one) that brings the tenant's engine to what `desired` gives."""
    current = live_objects.get(ENGINE_ADDRESS)
    if current is None:
        ctx.notes.append(f"{ENGINE_ADDRESS}: the tenant's engine status was not read; what is set is planned")
        current = Obj(ENGINE_KIND, attrs={"automatic": None, "interval": None})
    return [_with_risk(change) for change in diff_object(ENGINE_ADDRESS, desired, current, ctx)]


def _with_risk(change: Change) -> Change:
    if "automatic" not in change.after:
        return change
    risk = SWITCHED_ON if change.after["automatic"] is True else SWITCHED_OFF
    return Change(**{**change.__dict__, "risk": risk})


def engine_steps(changes: Sequence[Change]) -> list[Step]:
    """One step per engine change; None in its data means "leave that setting as it is"."""
    return [_engine_step(change) for change in changes if change.kind == ENGINE_KIND]


def _engine_step(change: Change) -> SaveSyncEngine:
    automatic, interval = change.after.get("automatic"), change.after.get("interval")
    return SaveSyncEngine(
        addresses=(change.address,),
        automatic=automatic if isinstance(automatic, bool) else None,
        interval=None if interval is None else str(interval),
    )
