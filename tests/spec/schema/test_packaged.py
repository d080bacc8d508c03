from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syncspec.model import desired_fields
from syncspec.model.enums import Direction
from syncspec.spec.schema import packaged as schemas
from syncspec.spec.schema.packaged import KINDS, load_schema, schema_path_hint, schema_text, write_schemas
from tests.spec.schema.schema_cases import CASES, KIND_OF_CASE, Case

REPO_SCHEMAS = Path(__file__).resolve().parents[3] / "schemas"
ALL: list[str | None] = [None, *KINDS]


def _ids(kind: str | None) -> str:
    return kind or "umbrella"


def test_kinds_are_in_the_documented_order() -> None:
    assert KINDS == (
        "Project",
        "Connector",
        "Connection",
        "FieldMappings",
        "ListMappings",
        "Defaults",
        "Ranking",
        "SyncPriority",
        "SyncEngine",
    )


def test_the_schema_directory_holds_exactly_one_file_per_kind_and_the_umbrella() -> None:
    names = sorted(p.name for p in REPO_SCHEMAS.glob("*.json"))
    assert names == sorted(schemas.schema_filename(k) for k in ALL)


@pytest.mark.parametrize("kind", ALL, ids=_ids)
def test_every_schema_is_a_valid_draft7_schema(kind: str | None) -> None:
    schema = load_schema(kind)
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema_rs.Draft7Validator(schema)  # compiles: every pattern is one Rust accepts too
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["$id"] == f"https://syncspec.dev/schemas/{schemas.schema_filename(kind)}"
    assert schema["title"] and schema["description"]


def _walk(node: Any, path: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}/{index}")


@pytest.mark.parametrize("kind", ALL, ids=_ids)
def test_every_property_has_a_title_and_a_description(kind: str | None) -> None:
    missing = [
        f"{path}/properties/{name}"
        for path, node in _walk(load_schema(kind))
        if isinstance(node.get("properties"), dict) and "/if" not in path and "/then" not in path
        for name, sub in node["properties"].items()
        if not (isinstance(sub, dict) and sub.get("title") and sub.get("description"))
    ]
    assert missing == []


@pytest.mark.parametrize("kind", ALL, ids=_ids)
def test_every_object_with_properties_is_closed(kind: str | None) -> None:
    # The umbrella's root only dispatches; each kind's schema closes the document.
    # if/then parts are conditions and refinements of an object closed elsewhere.
    open_objects = [
        path
        for path, node in _walk(load_schema(kind))
        if "properties" in node
        and not (kind is None and path == "#")
        and "/if" not in path
        and "/then" not in path
        and node.get("additionalProperties") is not False
    ]
    assert open_objects == []


def test_the_umbrella_embeds_each_kind_schema_unchanged() -> None:
    umbrella = load_schema(None)
    for kind in KINDS:
        own = load_schema(kind)
        body = {k: v for k, v in own.items() if k not in ("$schema", "$id", "definitions")}
        assert umbrella["definitions"][kind] == body, kind
        for name, definition in own.get("definitions", {}).items():
            assert umbrella["definitions"][name] == definition, (kind, name)
    dispatch = [entry["if"]["properties"]["kind"]["const"] for entry in umbrella["allOf"]]
    assert dispatch == list(KINDS)
    assert umbrella["properties"]["kind"]["enum"] == list(KINDS)
    assert "oneOf" not in umbrella and "anyOf" not in umbrella


def test_the_schemas_use_the_models_patterns() -> None:
    defs = load_schema(None)["definitions"]
    assert defs["name"]["pattern"] == desired_fields.NAME_PATTERN
    assert defs["erpFieldKey"]["pattern"] == desired_fields.ERP_FIELD_KEY_PATTERN
    assert defs["textWithReferences"]["pattern"] == desired_fields.TEXT_WITH_REFERENCES_PATTERN
    assert defs["scalarWithReferences"]["pattern"] == desired_fields.TEXT_WITH_REFERENCES_PATTERN
    assert defs["actorType"]["enum"] == [a.value for a in desired_fields.SUPPORTED_ACTOR_TYPES]
    assert defs["direction"]["enum"] == [d.value for d in Direction]
    crm = defs["FieldMappings"]["properties"]["fields"]["additionalProperties"]["properties"]["crm"]
    assert crm["pattern"] == desired_fields.CRM_FIELD_KEY_PATTERN
    assert load_schema("Connector")["properties"]["url"]["pattern"] == desired_fields.CONNECTOR_URL_PATTERN


def _verdicts(schema: dict[str, Any], doc: Any) -> tuple[bool, bool]:
    return jsonschema.Draft7Validator(schema).is_valid(doc), jsonschema_rs.Draft7Validator(schema).is_valid(
        doc
    )


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_umbrella_and_kind_schema_give_the_expected_verdict_in_both_validators(case: Case) -> None:
    assert _verdicts(load_schema(None), case.doc) == (case.valid, case.valid)
    kind = KIND_OF_CASE[case.id]
    if kind in KINDS:
        assert _verdicts(load_schema(kind), case.doc) == (case.valid, case.valid)


def _messages(schema: dict[str, Any], doc: Any) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
    py = {tuple(map(str, e.absolute_path)) for e in jsonschema.Draft7Validator(schema).iter_errors(doc)}
    rs = {tuple(map(str, e.instance_path)) for e in jsonschema_rs.Draft7Validator(schema).iter_errors(doc)}
    return py, rs


INVALID_OF_A_KIND = [c for c in CASES if not c.valid and KIND_OF_CASE[c.id] in KINDS]


@pytest.mark.parametrize("case", INVALID_OF_A_KIND, ids=[c.id for c in INVALID_OF_A_KIND])
def test_the_umbrella_reports_only_the_matching_kinds_errors(case: Case) -> None:
    kind = KIND_OF_CASE[case.id]
    umbrella_py = list(jsonschema.Draft7Validator(load_schema(None)).iter_errors(case.doc))
    own_py = list(jsonschema.Draft7Validator(load_schema(kind)).iter_errors(case.doc))
    assert sorted(e.message for e in umbrella_py) == sorted(e.message for e in own_py)
    assert _messages(load_schema(None), case.doc) == _messages(load_schema(kind), case.doc)


@pytest.mark.parametrize("doc", [{"kind": "Connections", "name": "x"}, {"kind": "connection", "zzz": 1}])
def test_an_unknown_kind_fails_only_on_the_kind_enum(doc: dict[str, Any]) -> None:
    errors = list(jsonschema.Draft7Validator(load_schema(None)).iter_errors(doc))
    assert [(list(e.absolute_path), e.validator) for e in errors] == [(["kind"], "enum")]
    rs_errors = list(jsonschema_rs.Draft7Validator(load_schema(None)).iter_errors(doc))
    assert [list(e.instance_path) for e in rs_errors] == [["kind"]]


def test_a_document_that_is_not_a_mapping_gets_one_type_error() -> None:
    errors = list(jsonschema.Draft7Validator(load_schema(None)).iter_errors(["kind", "Connector"]))
    assert [e.validator for e in errors] == ["type"]


# Text around the reference syntax's edges: '$', '{', '}', sources, names, newlines.
_ref_text = st.lists(
    st.sampled_from(
        ["$", "{", "}", "${", "env:", "var:", "file:", "A", "_1", "x", " ", "\n", "ø", "${env:A}"]
    ),
    max_size=8,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_ref_text)
def test_both_validators_agree_on_text_with_references(text: str) -> None:
    schema = {"$ref": "#/definitions/textWithReferences", "definitions": load_schema(None)["definitions"]}
    py, rs = _verdicts(schema, text)
    assert py == rs


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="aZ09_-.\n $", max_size=6))
def test_both_validators_agree_on_names_and_field_keys(text: str) -> None:
    definitions = load_schema(None)["definitions"]
    for name in ("name", "erpFieldKey"):
        py, rs = _verdicts({"$ref": f"#/definitions/{name}", "definitions": definitions}, text)
        assert py == rs, name


def test_schema_text_is_the_packaged_file_and_load_schema_is_cached() -> None:
    assert schema_text("Ranking") == (REPO_SCHEMAS / "Ranking.schema.json").read_text(encoding="utf-8")
    assert json.loads(schema_text(None)) == load_schema(None)
    assert load_schema("Connection") is load_schema("Connection")


def test_an_unknown_kind_is_refused_with_the_list_of_kinds() -> None:
    with pytest.raises(ValueError, match="known kinds: Project, Connector"):
        schema_text("Connections")


def test_modeline_hints() -> None:
    assert schema_path_hint("Connection") == "https://syncspec.dev/schemas/Connection.schema.json"
    assert schema_path_hint(None, "../schemas/") == "../schemas/syncspec.schema.json"
    assert schemas.modeline("Ranking", ".syncspec/schemas") == (
        "# yaml-language-server: $schema=.syncspec/schemas/Ranking.schema.json"
    )


def test_write_schemas_copies_the_files_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "nested" / "schemas"
    written = write_schemas(out)
    assert [p.name for p in written] == [schemas.schema_filename(k) for k in ALL]
    for path in written:
        assert path.read_bytes() == (REPO_SCHEMAS / path.name).read_bytes()


def test_importing_the_module_loads_neither_jsonschema_nor_pydantic() -> None:
    code = (
        "import sys, syncspec.spec.schema.packaged as s; s.load_schema(None); "
        "print(sorted(m for m in ('jsonschema', 'jsonschema_rs', 'pydantic') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
