"""The last-applied record: what the applier last wrote, per address, for 3-way drift attribution.

The planner compares desired, live and this record to say *why* a change is planned:
the configuration asked for it, someone changed the tenant outside syncspec (drift),
or both moved (conflict). Sensitive values are stored only as keyed fingerprints.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeAlias

# Plain JSON values: what plan attributes, step data and last-applied values are made of.
JsonValue: TypeAlias = "bool | int | float | str | list[JsonValue] | dict[str, JsonValue] | None"


@dataclass(frozen=True)
class LastApplied:
    """Attribute values per address as the applier recorded them, and when and by which plan.

    `values[address][attribute]` uses the planner's attribute names (e.g. ``crm``,
    ``direction``, ``config.server``); Password-typed and `${env:...}` config values are
    recorded as the output of the keyed fingerprint function, never in clear.
    """

    values: Mapping[str, Mapping[str, JsonValue]] = field(default_factory=dict)
    applied_at: str = ""  # ISO 8601 UTC
    plan_id: str = ""

    @classmethod
    def empty(cls) -> LastApplied:
        return cls()

    def lookup(self, address: str, attribute: str) -> tuple[bool, JsonValue]:
        """(recorded?, value): a value of None is a real record, hence the flag."""
        attributes = self.values.get(address)
        if attributes is None or attribute not in attributes:
            return False, None
        return True, attributes[attribute]
