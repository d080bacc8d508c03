"""Which configuration each metadata change touches, what `validate` will say, and the fix.

`compare` takes each change's references (`refs.py`: every place of the desired state that
names what changed, located by file and line) and then runs the real
semantic rules (`check_rules`) against the metadata before and after: the diagnostics
that appear only with the new metadata are what the next `validate` reports, and each is
attached to the change whose configuration it points at. Nothing is guessed: a change
with no new diagnostic says so, and a new diagnostic no change explains is kept apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from syncspec.metadata.changes import MetadataChange
from syncspec.metadata.diff import diff_metadata, summary
from syncspec.metadata.refs import ConfigRef, refs_of
from syncspec.model.address import Address
from syncspec.model.desired import DesiredState
from syncspec.model.diagnostics import Diagnostic
from syncspec.model.live import LiveState
from syncspec.model.metadata import Metadata
from syncspec.rules.context import ValueParser
from syncspec.rules.engine import check_rules

__all__ = ["ChangeImpact", "ConfigRef", "MetadataDiff", "compare", "note_line"]


@dataclass(frozen=True)
class ChangeImpact:
    change: MetadataChange
    refs: tuple[ConfigRef, ...]
    diagnostics: tuple[Diagnostic, ...]  # new with the new metadata, pointing at this change's refs


@dataclass(frozen=True)
class MetadataDiff:
    before: str  # where each side came from: "live" or a snapshot's path
    after: str
    impacts: tuple[ChangeImpact, ...]
    unattributed: tuple[Diagnostic, ...] = ()  # new diagnostics no single change explains
    resolved: tuple[Diagnostic, ...] = ()  # diagnostics the new metadata no longer raises
    checked: bool = False  # whether a configuration was checked at all

    @property
    def changes(self) -> tuple[MetadataChange, ...]:
        return tuple(i.change for i in self.impacts)

    @property
    def affecting(self) -> tuple[ChangeImpact, ...]:
        """The changes that touch the configuration or make validate report something."""
        return tuple(i for i in self.impacts if i.refs or i.diagnostics)


def compare(
    before: Metadata,
    after: Metadata,
    *,
    desired: DesiredState | None,
    before_source: str,
    after_source: str,
    live: LiveState | None = None,
    parse_value: ValueParser | None = None,
) -> MetadataDiff:
    """The changes from `before` to `after`, each with its impact on `desired` (when given)."""
    changes = diff_metadata(before, after)
    if not changes:  # the common case for plan's note: no rules to run twice
        return MetadataDiff(before_source, after_source, (), checked=desired is not None)
    if desired is None:
        impacts = tuple(ChangeImpact(c, (), ()) for c in changes)
        return MetadataDiff(before_source, after_source, impacts)
    # `live` as validate passes it: the mapping of actors without a FieldMappings document
    old = check_rules(desired, before, live=live, parse_value=parse_value)
    new = check_rules(desired, after, live=live, parse_value=parse_value)
    old_keys = {_key(d) for d in old}
    new_keys = {_key(d) for d in new}
    appeared = [d for d in new if _key(d) not in old_keys]
    resolved = tuple(d for d in old if _key(d) not in new_keys)
    impacts = tuple(_impact(c, appeared, refs_of(c, desired, before, after)) for c in changes)
    attributed = {_key(d) for i in impacts for d in i.diagnostics}
    unattributed = tuple(d for d in appeared if _key(d) not in attributed)
    return MetadataDiff(before_source, after_source, impacts, unattributed, resolved, checked=True)


def _impact(change: MetadataChange, appeared: list[Diagnostic], found: list[ConfigRef]) -> ChangeImpact:
    """The change with its references and the new diagnostics that point at them."""
    refs = tuple(dict.fromkeys(found))
    mine = tuple(d for d in appeared if _names_change(d, change) or any(_points_at(d, r) for r in refs))
    return ChangeImpact(change, refs, mine)


def _key(d: Diagnostic) -> tuple[str, str, str]:
    # the message is left out: hints and lists of known names in it move with the metadata
    return d.code, d.address, str(d.location) if d.location is not None else ""


def _points_at(d: Diagnostic, ref: ConfigRef) -> bool:
    if ref.address and (d.address == ref.address or d.address.startswith(ref.address + ".")):
        return True
    loc, at = d.location, ref.location
    return loc is not None and at is not None and at.line > 0 and (loc.file, loc.line) == (at.file, at.line)


def _names_change(d: Diagnostic, change: MetadataChange) -> bool:
    """A field-level diagnostic at the changed field's own address (SS306 for an unmapped field)."""
    if not (change.connection and change.actor and change.subject) or not change.kind.value.startswith(
        "erp-field"
    ):
        return False
    return d.address.startswith(
        str(Address.connection(change.connection).of_actor(change.actor).of_field(change.subject))
    )


def note_line(diff: MetadataDiff) -> str | None:
    """The one line `plan` and `drift` print when metadata changes touch the configuration."""
    affecting = diff.affecting
    if not affecting:
        return None
    new = sum(len(i.diagnostics) for i in affecting)
    return (
        f"tenant metadata changed since {diff.before}: {len(affecting)} of {len(diff.impacts)} changes "
        f"touch this configuration ({summary(i.change for i in affecting)}"
        + (f"; {new} new validate diagnostics" if new else "")
        + "); run 'syncspec metadata diff' for the lines and fixes"
    )
