"""`compare`: each change linked to the lines that name it, with what the real rules then report."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from syncspec.embedded.connectors.encoding import parse_value
from syncspec.metadata.changes import ChangeKind as K
from syncspec.metadata.impact import MetadataDiff, compare, note_line
from syncspec.model.desired import DesiredState
from syncspec.model.enums import FieldAccess
from syncspec.model.metadata import Metadata
from syncspec.spec.validate import validate
from tests.metadata.test_diff import (
    CUSTOMER,
    PERSON,
    _actors,
    _config_fields,
    _crm,
    _drop_field,
    _erp_items,
    _set_field,
    base,
)

CONFIG = {
    "syncspec.yaml": "kind: Project\nconfig_dir: connections\n",
    "connections/erp.yaml": """\
kind: Connection
name: erp
connector: demo-erp
active: true
access: {users: [sync]}
config:
  server: https://erp.example.com
  language: nb
actors:
  Customer: {sync: true}
""",
    "connections/customer.yaml": """\
kind: FieldMappings
connection: erp
actor: Customer
fields:
  NAME: {crm: contact.name, direction: both}
  PHONE: {crm: contact.phone, direction: both}
  PAYTERMS: {crm: contact.category, direction: to-crm}
---
kind: ListMappings
connection: erp
actor: Customer
field: PAYTERMS
items:
  CASH: Customer
---
kind: Defaults
connection: erp
actor: Customer
fields:
  PHONE: {value: "+47"}
---
kind: Ranking
connection: erp
actor: Customer
order: [NAME, PHONE]
""",
}


@pytest.fixture
def desired(tmp_path: Path) -> DesiredState:
    for name, text in CONFIG.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    run = validate([], cwd=tmp_path, environment=None, env={})
    assert run.desired is not None, run.report.diagnostics
    return run.desired


def _meta() -> Metadata:
    meta = base()
    category = replace(
        meta.crm_fields["contact.name"], key="contact.category", list_name="Category", read_only=False
    )
    from syncspec.model.enums import FieldMetadataType

    category = replace(category, field_type=FieldMetadataType.LIST)
    return replace(meta, crm_fields={**meta.crm_fields, "contact.category": category})


def _compare(desired: DesiredState, after: Metadata) -> MetadataDiff:
    return compare(
        _meta(), after, desired=desired, before_source="a", after_source="b", parse_value=parse_value
    )


def _refs(diff: MetadataDiff) -> list[tuple[str, str, int]]:
    return [
        (i.change.kind.value, r.what, r.location.line if r.location else 0)
        for i in diff.impacts
        for r in i.refs
    ]


def _codes(diff: MetadataDiff) -> list[tuple[str, str]]:
    return [(i.change.kind.value, d.code) for i in diff.impacts for d in i.diagnostics]


def test_the_base_configuration_is_clean_against_the_base_metadata(desired: DesiredState) -> None:
    diff = _compare(desired, _meta())
    assert diff.impacts == () and diff.unattributed == () and note_line(diff) is None


def test_a_removed_field_points_at_its_mapping_default_and_ranking(desired: DesiredState) -> None:
    diff = _compare(desired, _drop_field("PHONE")(_meta()))
    assert _refs(diff) == [
        ("erp-field-removed", "field mapping", 6),
        ("erp-field-removed", "default", 20),
        ("erp-field-removed", "ranking", 25),
    ]
    # the rules refuse a mapping, a default and a ranking entry of a field that does not exist
    assert sorted(_codes(diff)) == [
        ("erp-field-removed", "SS302"),
        ("erp-field-removed", "SS302"),
        ("erp-field-removed", "SS313"),
    ]
    assert diff.unattributed == ()
    note = note_line(diff)
    assert note is not None and "1 of 1 changes touch this configuration" in note


def test_read_only_and_retyped_fields(desired: DesiredState) -> None:
    diff = _compare(desired, _set_field("PHONE", access=FieldAccess.READ_ONLY)(_meta()))
    assert _refs(diff) == [("erp-field-made-read-only", "field mapping", 6)]
    assert _codes(diff) == [("erp-field-made-read-only", "SS305")]
    ref = diff.impacts[0].refs[0]
    assert ref.fix.startswith("set direction to-crm")


def test_a_new_mandatory_field_wants_a_direction(desired: DesiredState) -> None:
    from syncspec.model.enums import FieldMetadataType
    from syncspec.model.metadata import ErpFieldMeta
    from tests.metadata.test_diff import _add_field

    diff = _compare(
        desired,
        _add_field(ErpFieldMeta("EMAIL", "E-mail", FieldMetadataType.TEXT, FieldAccess.MANDATORY))(_meta()),
    )
    assert _refs(diff) == [("erp-field-added", "field mappings", 4), ("erp-field-added", "defaults", 19)]
    assert _codes(diff) == [("erp-field-added", "SS306")]


def test_list_items_removed_and_added(desired: DesiredState) -> None:
    removed = _compare(desired, _erp_items({"30D": "Net 30 days"})(_meta()))
    assert _refs(removed) == [("erp-list-item-removed", "list item mapping", 14)]
    assert _codes(removed) == [("erp-list-item-removed", "SS309")]
    added = _compare(desired, _erp_items({"CASH": "Cash", "30D": "Net 30 days", "60D": "Net 60"})(_meta()))
    assert [(i.change.subject, [r.fix for r in i.refs]) for i in added.impacts] == [
        ("60D", ["add a list item mapping for 60D (Net 60) under items, or leave it unmapped"])
    ]
    assert _codes(added) == []  # an unmapped ERP item is allowed
    meta = _meta()
    unpublished = replace(meta, connections={"erp": replace(meta.connections["erp"], erp_lists={})})
    gone = _compare(desired, unpublished)
    assert _refs(gone) == [("erp-list-removed", "list mappings", 12)]
    assert _codes(gone) == [("erp-list-removed", "SS324")]  # items not checked, and validate says so


def test_config_crm_access_and_actor_changes(desired: DesiredState) -> None:
    config = _compare(desired, _config_fields(lambda f: f.pop("language"))(_meta()))
    assert _refs(config) == [("config-field-removed", "config value", 8)]
    assert _codes(config) == [("config-field-removed", "SS316")]

    crm = _compare(
        desired,
        _crm(crm_fields={k: v for k, v in _meta().crm_fields.items() if k != "contact.phone"})(_meta()),
    )
    assert _refs(crm) == [("crm-field-removed", "field mapping", 6)]
    assert _codes(crm) == [("crm-field-removed", "SS303")]

    access = _compare(desired, _crm(users=frozenset())(_meta()))
    assert _refs(access) == [("user-removed", "access", 5)]
    assert _codes(access) == [("user-removed", "SS318")]

    withdrawn = _compare(desired, _actors({})(_meta()))
    kinds = [r[1] for r in _refs(withdrawn)]
    assert kinds == ["actor", "FieldMappings", "Defaults", "Ranking", "ListMappings"]
    assert {c for _, c in _codes(withdrawn)} == {"SS301"}

    offered = _compare(
        desired,
        _actors({CUSTOMER: _meta().connections["erp"].actors[CUSTOMER], PERSON.actor: PERSON})(_meta()),
    )
    assert [i.change.kind for i in offered.impacts] == [K.ACTOR_OFFERED] and offered.affecting == ()


def test_without_a_configuration_only_the_changes_are_listed() -> None:
    diff = compare(_meta(), _drop_field("PHONE")(_meta()), desired=None, before_source="a", after_source="b")
    assert not diff.checked and [i.refs for i in diff.impacts] == [()]
