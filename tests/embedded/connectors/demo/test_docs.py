"""docs/demo-erp.md is what the example configuration is written against: keep it in step."""

from __future__ import annotations

import re
from pathlib import Path

from syncspec.embedded.connectors.base import FieldMetadataInfo
from syncspec.embedded.connectors.demo.catalogue import load_catalogue
from syncspec.model.enums import AGENT_FIELD_TYPE

DOC = Path(__file__).resolve().parents[4] / "docs" / "demo-erp.md"
CATALOGUE = load_catalogue()


def _sections() -> dict[str, list[list[str]]]:
    """Table rows (cells, backticks removed) under each heading."""
    sections: dict[str, list[list[str]]] = {}
    current = ""
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            current = line.lstrip("#").strip()
            sections[current] = []
        elif line.startswith("|") and not re.fullmatch(r"\|(-+\|)+", line):
            cells = [cell.strip().strip("`") for cell in line.strip("|").split("|")]
            sections[current].append(cells)
    return {name: rows[1:] for name, rows in sections.items() if rows}


# The catalogue and its docs use the connector side's type names (Datetime, not Date).
CONNECTOR_TYPE_NAME = {agent: info for info, agent in AGENT_FIELD_TYPE.items()}


def _field_rows(fields: tuple[FieldMetadataInfo, ...]) -> list[list[str]]:
    return [
        [
            str(f.rank),
            f.field_key,
            f.display_name,
            CONNECTOR_TYPE_NAME[f.field_type].value,
            f.access.value,
            f.list_name,
            f.default_value,
            str(f.max_length or ""),
        ]
        for f in fields
    ]


def test_config_fields_table_matches() -> None:
    rows = _sections()["Config fields (`get_config_data`)"]
    assert [row[:8] for row in rows] == _field_rows(CATALOGUE.config_fields)


def test_actor_type_tables_match() -> None:
    sections = _sections()
    for name, actor in CATALOGUE.actor_types.items():
        rows = sections[name]
        assert [row[:8] for row in rows] == _field_rows(actor.fields), name
        assert [row[1] for row in rows if row[8] == "yes"] == [
            f.field_key for f in actor.fields if f.field_key in actor.searchable
        ]


def test_list_tables_match() -> None:
    sections = _sections()
    for name, items in CATALOGUE.lists.items():
        assert dict((key, text) for key, text in sections[name]) == dict(items), name


def test_clients_table_matches() -> None:
    rows = _sections()["Clients and users"]
    assert {int(number): company for number, company in rows} == dict(CATALOGUE.clients)
