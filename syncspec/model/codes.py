"""Every diagnostic code syncspec reports, with a short title (SARIF rule names, docs).

Ranges: SS1xx reading files (SS10x YAML, SS12x schema), SS2xx cross-document checks,
SS3xx semantic rules against tenant metadata, SS4xx planning. A code, once released,
keeps its meaning; `docs/diagnostics.md` explains each one and a test keeps both in step.
"""

from __future__ import annotations

CODE_TITLES: dict[str, str] = {
    # reading YAML
    "SS101": "YAML syntax error",
    "SS102": "File is not UTF-8 text",
    "SS103": "Duplicate mapping key",
    "SS104": "Empty file",
    "SS105": "Document is not a mapping",
    "SS106": "File too large",
    "SS107": "Nesting too deep",
    "SS108": "Alias expansion too large",
    "SS109": "Mapping key is not a string",
    # JSON Schema
    "SS120": "Unknown or missing kind",
    "SS121": "Wrong value type",
    "SS122": "Unknown key",
    "SS123": "Missing required key",
    "SS124": "Value not allowed",
    "SS125": "Value does not match the expected form",
    "SS126": "Value out of range",
    # cross-document
    "SS201": "Connection defined twice",
    "SS202": "Connector defined twice",
    "SS203": "Field mappings defined twice for one actor",
    "SS204": "Defaults defined twice for one actor",
    "SS205": "Ranking defined twice for one actor",
    "SS206": "List mappings defined twice for one field",
    "SS207": "Unknown connection",
    "SS208": "Unknown connector",
    "SS209": "Named twice",
    "SS210": "Sync priority names an unknown connection",
    "SS211": "Direction without a CRM field",
    "SS212": "Mandatory default without value or prompt",
    "SS213": "Undefined variable",
    "SS214": "Environment variable not set",
    "SS215": "Actor not enabled on the connection",
    "SS216": "Sync priority defined twice",
    "SS217": "List mapping for a field that is not mapped",
    "SS218": "Project file problem",
}
