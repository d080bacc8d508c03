"""What the tenant's data shows: field types, value encodings, and the open questions.

Values are classified by their form only (`[I:…]`, "plain integer", "text"...) and counted;
no value is ever kept or shown, because config values include passwords. Password-typed
values are not even classified, except for the masking question (empty, asterisks, or a
value), which says nothing about the value either.

CultureDataFormatter forms (E11): `[I:12345]` for integers and checkboxes (`[I:1]`/`[I:0]`),
`[F:12345.6789]` for decimals, `[DT:12/31/2013 23:59:59.0000000]` for dates; strings and list
item ids are sent as they are.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from syncspec.doctor.report import Answered, Check, Group, Question, Status, Tally
from syncspec.doctor.shapes import AGENT_FIELD_TYPES, CONNECTOR_ONLY_FIELD_TYPES

_TAGGED = re.compile(r"\A\[(I|F|D|DT):.*\]\Z", re.DOTALL)
_PLAIN_INT = re.compile(r"\A[+-]?[0-9]+\Z")
_PLAIN_DECIMAL = re.compile(r"\A[+-]?[0-9]*[.,][0-9]+\Z")
_PLAIN_DATE = re.compile(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}")
_TEXT_TYPES = frozenset({"Text", "List", "Label"})


def value_form(text: Any) -> str:
    """The form of one value, never the value: "[I:…]", "plain integer", "text", "empty"..."""
    if text is None:
        return "null"
    if not isinstance(text, str):
        return "not a string"
    if text == "":
        return "empty"
    tagged = _TAGGED.match(text)
    if tagged:
        return f"[{tagged.group(1)}:…]"
    if text.lower() in ("true", "false"):
        return "plain true/false"
    if _PLAIN_INT.match(text):
        return "plain integer"
    if _PLAIN_DECIMAL.match(text):
        return "plain decimal"
    if _PLAIN_DATE.match(text):
        return "plain date"
    return "text"


def masking_form(text: Any) -> str:
    if text is None or text == "":
        return "empty"
    if isinstance(text, str) and set(text) == {"*"}:
        return "asterisks"
    return "a value (not shown)"


@dataclass
class Evidence:
    """Counters filled while probing; everything the report's observations are made of."""

    field_types: Counter[tuple[str, str]] = field(default_factory=Counter)  # (where, type)
    value_forms: Counter[tuple[str, str]] = field(default_factory=Counter)  # (where, form)
    list_config_fields: Counter[str] = field(default_factory=Counter)  # GetAllConnections: null/empty/filled
    password_masking: Counter[str] = field(default_factory=Counter)
    no_selection: Counter[str] = field(default_factory=Counter)  # how unmapped ERP items travel

    def field_type(self, where: str, value: Any) -> None:
        self.field_types[(where, value if isinstance(value, str) else f"({value!s:.20})")] += 1

    def value(self, where: str, field_type: str | None, text: Any) -> None:
        """One value of a field of `field_type` (None: not known). Password values are skipped."""
        if field_type == "Password":
            return
        form = value_form(text)
        if form in ("empty", "null") or (form == "text" and field_type in _TEXT_TYPES):
            return  # nothing to learn about encodings from these
        label = f"{where} ({field_type})" if field_type else where
        self.value_forms[(label, form)] += 1

    def config_fields_in_list(self, value: Any) -> None:
        if value is None:
            self.list_config_fields["null"] += 1
        elif isinstance(value, dict):
            self.list_config_fields["{}" if not value else "filled"] += 1
        else:
            self.list_config_fields["other"] += 1

    def config_values(self, config: Mapping[str, Any] | None, types: Mapping[str, str]) -> None:
        """A connection's config values, typed by its connector's configuration fields."""
        for key, text in (config or {}).items():
            kind = types.get(key)
            if kind == "Password":
                self.password_masking[masking_form(text)] += 1
            self.value("config", kind, text)

    def list_item(self, crm_item: Any) -> None:
        if crm_item is None:
            self.no_selection["CrmListItem null"] += 1
        elif isinstance(crm_item, dict) and crm_item.get("Id") == 0:
            self.no_selection["CrmListItem with Id 0"] += 1


def tallies(counter: Counter[tuple[str, str]]) -> tuple[Tally, ...]:
    return tuple(Tally(where, what, n) for (where, what), n in sorted(counter.items()))


def field_type_check(evidence: Evidence) -> Check:
    """A warning when a field type outside the agent's documented enum is seen."""
    seen = Counter[str]()
    for (_, kind), n in evidence.field_types.items():
        seen[kind] += n
    if not seen:
        return Check("field-types", Group.DATA, Status.SKIP, "no field was read")
    listed = ", ".join(f"{kind} {n}" for kind, n in sorted(seen.items()))
    odd = sorted(k for k in seen if k not in AGENT_FIELD_TYPES)
    if odd:
        notes = [
            f"{k} (the connector-side name; the agent documents Date)"
            if k in CONNECTOR_ONLY_FIELD_TYPES
            else k
            for k in odd
        ]
        detail = f"seen {listed}; not in the agent's documented FieldMetadataType: {', '.join(notes)}"
        return Check("field-types", Group.DATA, Status.WARN, detail)
    return Check("field-types", Group.DATA, Status.OK, f"seen {listed}")


def value_form_check(evidence: Evidence) -> Check:
    """A warning when a typed value is in a plain form where CultureDataFormatter is expected."""
    if not evidence.value_forms:
        return Check("value-encodings", Group.DATA, Status.SKIP, "no typed value was read")
    tagged = sum(n for (_, form), n in evidence.value_forms.items() if form.startswith("["))
    plain = [
        (where, form, n)
        for (where, form), n in sorted(evidence.value_forms.items())
        if form.startswith("plain")
    ]
    detail = f"{tagged} value(s) in CultureDataFormatter form"
    if plain:
        listed = "; ".join(f"{where}: {n} {form}" for where, form, n in plain)
        return Check("value-encodings", Group.DATA, Status.WARN, f"{detail}, and plain forms: {listed}")
    return Check("value-encodings", Group.DATA, Status.OK, detail)


def _described(counter: Counter[str]) -> str:
    return ", ".join(f"{what} in {n}" for what, n in sorted(counter.items()))


def questions(evidence: Evidence) -> tuple[Question, ...]:
    """The questions the docs leave open, with what the tenant showed where a read can tell."""
    found: list[Question] = []

    def seen(qid: str, text: str, counter: Counter[str], nothing: str) -> None:
        if counter:
            found.append(Question(qid, text, Answered.SEEN, _described(counter)))
        else:
            found.append(Question(qid, text, Answered.NOT_SEEN, nothing))

    seen(
        "config-fields-in-list",
        "Does GetAllConnections send ConfigFields: null or {} ('without config field data')?",
        evidence.list_config_fields,
        "the tenant has no connection to show it",
    )
    seen(
        "password-masking",
        "How does GetConnection show Password config values (masked, empty, or the value)?",
        evidence.password_masking,
        "no connection with a Password config field was read",
    )
    seen(
        "no-selection",
        "How does an unmapped ERP list item, '(No selection)', travel in GetConnectionListMappings?",
        evidence.no_selection,
        "no unmapped ERP list item was read",
    )
    for qid, text in _WRITE_ONLY:
        found.append(Question(qid, text, Answered.NEEDS_WRITE, "doctor never writes, so it cannot tell"))
    return tuple(found)


_WRITE_ONLY: tuple[tuple[str, str], ...] = (
    (
        "move-direction",
        "MoveErpFieldItem: does a positive Direction move a field up or down the ERP tab, "
        "and does |Direction| > 1 move it several steps?",
    ),
    (
        "test-connection-id",
        "TestConnectionByConfig: is its ErpConnectionId the connector's id or the connection's "
        "(can a connection be tested before it exists)?",
    ),
    (
        "sync-priority-rank",
        "Is the 'useRank' order of the erpconnections list the order SaveErpConnectionSyncPriorities "
        "saves, and may a partial list be saved?",
    ),
    (
        "ignored-on-save",
        "Which carrier properties does NetServer ignore on SaveConnection, SaveActorTypeMapping and "
        "SaveDefaultValueInfo?",
    ),
)


def observed_list_names(references: Iterable[Any]) -> list[str]:
    """CRM list names from ListReference values `table=<name>[&...]` (E8); the list name being
    the table name is inferred."""
    names: list[str] = []
    for reference in references:
        if not isinstance(reference, str) or not reference.startswith("table="):
            continue
        name = reference[len("table=") :].split("&", 1)[0]
        if name and name not in names:
            names.append(name)
    return names
