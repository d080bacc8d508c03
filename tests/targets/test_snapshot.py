from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from syncspec.model.enums import CrmActorType, ErpActorType, FieldAccess, FieldMetadataType
from syncspec.model.errors import TargetError
from syncspec.model.metadata import (
    ActorMeta,
    ConfigFieldMeta,
    ConnectionMeta,
    ConnectorMeta,
    CrmFieldMeta,
    CrmListMeta,
    ErpFieldMeta,
    Metadata,
)
from syncspec.targets.snapshot import (
    FORMAT_VERSION,
    dump_snapshot,
    load_snapshot,
    metadata_digest,
    read_snapshot,
    write_snapshot,
)


def sample_metadata(taken_at: str = "2026-01-02T03:04:05+00:00") -> Metadata:
    # field order deliberately not alphabetical: the connector's order must survive
    fields = {
        "NAME": ErpFieldMeta("NAME", "Name", FieldMetadataType.TEXT, FieldAccess.MANDATORY, max_length=80),
        "CUSTNO": ErpFieldMeta("CUSTNO", "Customer no.", FieldMetadataType.TEXT, FieldAccess.READ_ONLY),
        "CATEGORY": ErpFieldMeta("CATEGORY", "Category", FieldMetadataType.LIST, list_name="category"),
        "OLD": ErpFieldMeta("OLD", "Old", FieldMetadataType.INTEGER, missing_in_erp=True),
    }
    return Metadata(
        connectors={
            "demo-erp": ConnectorMeta(
                name="demo-erp",
                url="plugin://demo",
                config_fields={
                    "server": ConfigFieldMeta(
                        "server", "Server", FieldMetadataType.TEXT, FieldAccess.MANDATORY
                    ),
                    "password": ConfigFieldMeta("password", "Password", FieldMetadataType.PASSWORD),
                    "language": ConfigFieldMeta(
                        "language",
                        "Language",
                        FieldMetadataType.LIST,
                        list_name="languages",
                        default_value="en",
                    ),
                },
                config_lists={"languages": {"en": "English", "no": "Norsk"}},
            )
        },
        connections={
            "visma-norway": ConnectionMeta(
                name="visma-norway",
                connector="demo-erp",
                actors={
                    ErpActorType.CUSTOMER: ActorMeta(ErpActorType.CUSTOMER, CrmActorType.CONTACT, fields)
                },
                erp_lists={"category": {"B": "Customer", "A": "Key account", "NO": "Norway"}},
            )
        },
        crm_fields={
            "contact.name": CrmFieldMeta(
                "contact.name", "Name", CrmActorType.CONTACT, FieldMetadataType.TEXT
            ),
            "contact.category": CrmFieldMeta(
                "contact.category",
                "Category",
                CrmActorType.CONTACT,
                FieldMetadataType.LIST,
                list_name="category",
            ),
            "contact.id": CrmFieldMeta(
                "contact.id", "ID", CrmActorType.CONTACT, FieldMetadataType.INTEGER, read_only=True
            ),
        },
        crm_lists={"category": CrmListMeta("category", {2: "Customer", 1: "Key account", 10: "Prospect"})},
        users=frozenset({"ANNA", "BOB"}),
        groups=frozenset({"Sales"}),
        taken_at=taken_at,
        source="live",
    )


def test_round_trip_is_identical(tmp_path: Path) -> None:
    metadata = sample_metadata()
    path = tmp_path / "meta" / "test.json"
    digest = write_snapshot(metadata, path, target="local:/x/tenant.db")
    snapshot = load_snapshot(path)
    assert snapshot.metadata == replace(metadata, source=str(path))
    assert snapshot.target == "local:/x/tenant.db"
    assert snapshot.digest == digest == metadata_digest(metadata)
    # written again, byte for byte the same file
    assert dump_snapshot(snapshot.metadata, target=snapshot.target) == path.read_text(encoding="utf-8")


def test_order_of_fields_survives(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    write_snapshot(sample_metadata(), path)
    meta = read_snapshot(path)
    assert list(meta.connections["visma-norway"].actors[ErpActorType.CUSTOMER].fields) == [
        "NAME",
        "CUSTNO",
        "CATEGORY",
        "OLD",
    ]
    assert list(meta.connectors["demo-erp"].config_fields) == ["server", "password", "language"]


def test_digest_ignores_time_and_source_but_not_content() -> None:
    a = sample_metadata("2026-01-01T00:00:00+00:00")
    b = replace(sample_metadata("2027-05-05T00:00:00+00:00"), source="somewhere.json")
    assert metadata_digest(a) == metadata_digest(b)
    assert metadata_digest(a).startswith("sha256:") and len(metadata_digest(a)) == 7 + 64
    c = replace(a, users=frozenset({"ANNA"}))
    assert metadata_digest(c) != metadata_digest(a)


def test_file_is_sorted_indented_and_versioned(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    write_snapshot(sample_metadata(), path, target="t")
    text = path.read_text(encoding="utf-8")
    doc = json.loads(text)
    assert doc["format_version"] == FORMAT_VERSION
    assert doc["taken_at"] == "2026-01-02T03:04:05+00:00"
    assert list(doc) == sorted(doc)
    assert text.endswith("}\n") and '\n  "connections": {' in text
    assert [i["id"] for i in doc["crm_lists"]["category"]] == [1, 2, 10]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        pytest.param(lambda d: "not json", "not valid JSON", id="syntax"),
        pytest.param(lambda d: "[]", "not a JSON object", id="not-object"),
        pytest.param(lambda d: _dump({**d, "format_version": 99}), "format_version 99", id="future"),
        pytest.param(
            lambda d: _dump({k: v for k, v in d.items() if k != "format_version"}),
            "no format_version",
            id="no-version",
        ),
        pytest.param(
            lambda d: _dump({**d, "users": ["ANNA", "EVE"]}), "does not match its digest", id="edited"
        ),
        pytest.param(
            lambda d: _dump({**d, "crm_lists": {"category": [{"id": "x", "name": "y"}]}}),
            "$.crm_lists.category[0].id: expected an integer",
            id="wrong-type",
        ),
        pytest.param(lambda d: _dump(_without(d, "connections")), "missing 'connections'", id="missing-key"),
        pytest.param(lambda d: _dump(_actor_renamed(d)), "unknown value 'Robot'", id="bad-enum"),
    ],
)
def test_corrupt_files_give_a_target_error_with_a_hint(
    tmp_path: Path, mutate: Callable[[dict[str, Any]], str], expected: str
) -> None:
    path = tmp_path / "m.json"
    write_snapshot(sample_metadata(), path)
    path.write_text(mutate(json.loads(path.read_text(encoding="utf-8"))), encoding="utf-8")
    with pytest.raises(TargetError) as err:
        read_snapshot(path)
    assert expected in err.value.message
    assert "syncspec" in err.value.hint


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TargetError, match="no metadata snapshot"):
        read_snapshot(tmp_path / "nope.json")


def _dump(doc: object) -> str:
    return json.dumps(doc)


def _without(doc: dict[str, object], key: str) -> dict[str, object]:
    return {k: v for k, v in doc.items() if k != key}


def _actor_renamed(doc: dict[str, Any]) -> dict[str, Any]:
    doc = json.loads(json.dumps(doc))
    actors = doc["connections"]["visma-norway"]["actors"]
    actors["Robot"] = actors.pop("Customer")
    return doc


def test_unknown_crm_facts_travel_as_null(tmp_path: Path) -> None:
    # what a real tenant's `crmfields` list gives: the key and nothing about entity, type or access
    unknown = CrmFieldMeta("NUMBER1", "NUMBER1")
    listed = CrmFieldMeta("CATEGORY", "CATEGORY", list_name="udlist&udlistdefinition_id=1")
    metadata = replace(sample_metadata(), crm_fields={"NUMBER1": unknown, "CATEGORY": listed})
    path = tmp_path / "unknown.json"
    write_snapshot(metadata, path, target="superoffice:https://tenant.example")
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["crm_fields"]["NUMBER1"] == {
        "display_name": "NUMBER1",
        "crm_actor": None,
        "field_type": None,
        "read_only": None,
        "list_name": "",
    }
    assert load_snapshot(path).metadata.crm_fields == metadata.crm_fields
