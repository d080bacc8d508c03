"""Every semantic rule: its code, title, usual severity and the generic fix hint.

The titles are the ones `syncspec.model.codes.CODE_TITLES` lists for SARIF and the docs;
a test keeps both in step. Rules may give a more specific hint than the generic one.
"""

from __future__ import annotations

from dataclasses import dataclass

from syncspec.model.diagnostics import Severity


@dataclass(frozen=True)
class RuleInfo:
    """What a rule is called and what it usually asks the user to do."""

    code: str
    title: str
    severity: Severity
    hint: str


_E = Severity.ERROR
_W = Severity.WARNING
_I = Severity.INFO

RULES: dict[str, RuleInfo] = {
    rule.code: rule
    for rule in (
        RuleInfo(
            "SS301", "Actor type not offered by the connector", _E, "use an actor type the connector reports"
        ),
        RuleInfo("SS302", "Unknown ERP field", _E, "use a field key the connector reports for this actor"),
        RuleInfo("SS303", "Unknown CRM field", _E, "use a CRM field of the entity this actor syncs with"),
        RuleInfo(
            "SS304",
            "Incompatible field types",
            _E,
            "choose a CRM field of a fitting type, or a direction the types allow",
        ),
        RuleInfo(
            "SS305",
            "Direction into a read-only ERP field",
            _E,
            "use direction to-crm or none (ID and read-only ERP fields cannot receive values)",
        ),
        RuleInfo(
            "SS306",
            "Mandatory ERP field without direction",
            _E,
            "map the field to a CRM field with a direction, or set the connection inactive",
        ),
        RuleInfo(
            "SS307",
            "CRM field already mapped by another connection",
            _E,
            "use direction both here, or another CRM field, or stop mapping it in the other connection",
        ),
        RuleInfo(
            "SS308",
            "List mappings for a field that is not a list",
            _E,
            "list mappings need a List ERP field mapped to a List CRM field",
        ),
        RuleInfo("SS309", "Unknown ERP list item", _E, "use an item key of the ERP list"),
        RuleInfo(
            "SS310",
            "Unknown or ambiguous CRM list item",
            _E,
            "name an item of the CRM list, or give it as {id: N}",
        ),
        RuleInfo(
            "SS311",
            "CRM list item used twice",
            _E,
            "map each ERP item to its own CRM item (or null for no selection)",
        ),
        RuleInfo(
            "SS312",
            "Invalid default value",
            _E,
            "give a value of the field's type (a list item key for list fields)",
        ),
        RuleInfo("SS313", "Ranking names an unknown field", _E, "rank only field keys the connector reports"),
        RuleInfo(
            "SS314",
            "Synced field also shown on the ERP tab",
            _W,
            "remove show_in_tab: a synced field already shows its value in SuperOffice",
        ),
        RuleInfo(
            "SS315",
            "Mandatory config field missing",
            _E,
            "add the field under config (a ${env:NAME} reference keeps secrets out of the file)",
        ),
        RuleInfo("SS316", "Unknown config field", _E, "use a config field the connector defines"),
        RuleInfo("SS317", "Invalid config value", _E, "give a value of the config field's type"),
        RuleInfo("SS318", "Unknown user or group", _E, "name an existing SuperOffice user or user group"),
        RuleInfo(
            "SS319",
            "Direction into a read-only CRM field",
            _E,
            "use direction to-erp or none, or another CRM field",
        ),
        RuleInfo(
            "SS320",
            "Field rules used another connection's metadata",
            _I,
            "run validate again after the first apply to check against the connection's own fields",
        ),
        RuleInfo(
            "SS321",
            "Rules skipped: no metadata",
            _I,
            "run `syncspec metadata pull` (or validate online) so these rules can run",
        ),
        RuleInfo(
            "SS322",
            "Default of a mandatory ERP field without value or prompt",
            _E,
            "add 'value: ...' and/or 'prompt: true', or remove the field from the Defaults document",
        ),
        RuleInfo(
            "SS323",
            "Existing connection moved to another connector",
            _E,
            "keep the connection's connector, or create a new connection under another name",
        ),
        RuleInfo(
            "SS324",
            "Not checked: the tenant does not publish it",
            _I,
            "check it in SuperOffice's admin client; SuperOffice documents no read for it (docs/targets.md)",
        ),
        RuleInfo(
            "SS325",
            "Password written in the configuration",
            _W,
            "take the value from the environment: ${env:NAME}",
        ),
    )
}


def rule(code: str) -> RuleInfo:
    """The catalogue entry of `code` (a KeyError is a programming error: every code is listed)."""
    return RULES[code]
