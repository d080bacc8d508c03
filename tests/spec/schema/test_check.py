from __future__ import annotations

import pytest

from syncspec.model.diagnostics import Diagnostic
from syncspec.spec.loading.yamlload import load_bytes
from syncspec.spec.schema.check import check_document_precisely, check_documents

CONNECTION = "kind: Connection\nname: norway\nconnector: demo-erp\n"
MAPPINGS = "kind: FieldMappings\nconnection: norway\nactor: Customer\nfields:\n"
RANKING = "kind: Ranking\nconnection: norway\nactor: Customer\n"
LISTS = "kind: ListMappings\nconnection: norway\nactor: Customer\nfield: CATEGORY\nitems:\n"


def check(text: str) -> list[Diagnostic]:
    load = load_bytes(text.encode("utf-8"), "f.yaml")
    assert load.ok, load.diagnostics
    return check_documents(load.documents)


def summary(diagnostics: list[Diagnostic]) -> list[tuple[str, int, int, str]]:
    out = []
    for d in diagnostics:
        assert d.location is not None
        out.append((d.code, d.location.line, d.location.column, d.location.json_path))
    return out


def test_a_valid_document_has_no_diagnostics() -> None:
    assert check(CONNECTION + "active: true\nactors: {Customer: {sync: true}}\n") == []


def test_unknown_keys_are_named_one_by_one_at_their_own_position() -> None:
    found = check(CONNECTION + "actors:\n  Customer: {sync: true, snyc: true, colour: red}\n")
    assert summary(found) == [
        ("SS122", 5, 26, "$.actors.Customer.snyc"),
        ("SS122", 5, 38, "$.actors.Customer.colour"),
    ]
    assert [d.message for d in found] == [
        "unknown key 'snyc' in Connection",
        "unknown key 'colour' in Connection",
    ]
    assert [d.hint for d in found] == ["did you mean 'sync'?", "allowed keys here: sync"]


def test_a_top_level_typo_suggests_the_key() -> None:
    (found,) = check(CONNECTION + "descripton: client 1001\n")
    assert (found.code, found.hint) == ("SS122", "did you mean 'description'?")
    assert found.location is not None and found.location.line == 4


def test_missing_required_keys_each_get_a_diagnostic() -> None:
    found = check("kind: Connection\nname: norway\n")
    assert [(d.code, d.message, d.hint) for d in found] == [
        ("SS123", "missing required key 'connector' in Connection", "add 'connector:'"),
    ]
    found = check("kind: FieldMappings\nactor: Customer\n")
    assert sorted(d.message for d in found) == [
        "missing required key 'connection' in FieldMappings",
        "missing required key 'fields' in FieldMappings",
    ]


def test_wrong_type_says_what_was_found_and_how_to_write_it() -> None:
    (found,) = check(CONNECTION + 'active: "true"\n')
    assert summary([found]) == [("SS121", 4, 1, "$.active")]
    assert found.message == "'active' must be a boolean, not a string ('true')"
    assert found.hint == "write true or false without quotes"


def test_enum_with_a_close_value_suggests_it() -> None:
    text = MAPPINGS + "  NAME: {direction: to_crm}\n"
    (found,) = check(text)
    assert summary([found]) == [("SS124", 5, 10, "$.fields.NAME.direction")]
    assert found.hint == "did you mean 'to-crm'?"


def test_enum_without_a_close_value_lists_the_allowed_ones() -> None:
    text = (
        "kind: FieldMappings\nconnection: norway\nactor: Customer\nfields:\n  NAME: {direction: sideways}\n"
    )
    (found,) = check(text)
    assert found.hint == "use one of: none, to-crm, to-erp, both"


def test_pattern_errors_use_the_schema_title_and_description() -> None:
    (found,) = check("kind: Connector\nname: Demo ERP\nurl: plugin://demo\n")
    assert found.code == "SS125"
    assert found.message == "'Demo ERP' is not a valid Name"
    assert "Lower-case letters" in found.hint


def test_an_unknown_reference_source_gets_the_reference_hint() -> None:
    (found,) = check(CONNECTION + "config:\n  password: ${nope:X}\n")
    assert summary([found]) == [("SS125", 5, 3, "$.config.password")]
    assert "${env:NAME}" in found.hint


def test_anyof_blames_the_alternative_the_value_is_shaped_like() -> None:
    # {id: "7"} is plainly the {id: N} form with a quoted number, not a wrong item name.
    (found,) = check(LISTS + "  A: {id: '7'}\n")
    assert summary([found]) == [("SS121", 6, 7, "$.items.A.id")]
    assert found.message == "'items.A.id' must be an integer, not a string ('7')"


def test_anyof_reports_every_error_of_the_fitting_alternative() -> None:
    found = check(LISTS + "  B: {name: Customer}\n")
    assert sorted(d.code for d in found) == ["SS122", "SS123"]


def test_anyof_with_no_fitting_alternative_lists_the_allowed_forms() -> None:
    (found,) = check(LISTS + "  C: 5\n")
    assert found.code == "SS121"
    assert found.message == "'items.C' must be one of: Item name, Item id, No selection; not a number (5)"
    assert "{id: N}" in found.hint


def test_anyof_descends_into_a_mapping_alternative() -> None:
    (found,) = check(CONNECTION + "access: {groups: Sales}\n")
    assert summary([found]) == [("SS121", 4, 10, "$.access.groups")]
    (typo,) = check(CONNECTION + "access: {user: [ANNA]}\n")
    assert (typo.code, typo.hint) == ("SS122", "did you mean 'users'?")


def test_a_sync_engine_that_sets_nothing_says_what_it_could_set() -> None:
    (found,) = check("kind: SyncEngine\n")
    assert (found.code, found.hint) == ("SS126", "give at least one of: automatic, interval")
    (bad,) = check("kind: SyncEngine\ninterval: 5m\n")
    assert (bad.code, bad.message) == ("SS125", "'5m' is not a valid Interval")


def test_size_limits_do_not_repeat_the_whole_value() -> None:
    (found,) = check(CONNECTION + "description: " + "x" * 300 + "\n")
    assert found.code == "SS126"
    assert found.message == "'description' is 300 characters long; at most 254 are allowed"
    (empty,) = check("kind: Ranking\nconnection: norway\nactor: Customer\norder: []\n")
    assert (empty.code, empty.message) == ("SS126", "'order' must not be empty")


def test_duplicates_in_a_ranking_point_at_the_second_with_the_first_related() -> None:
    (found,) = check(
        "kind: Ranking\nconnection: norway\nactor: Customer\norder:\n  - NAME\n  - CUSTNO\n  - NAME\n"
    )
    assert summary([found]) == [("SS209", 7, 5, "$.order[2]")]
    assert [str(r) for r in found.related] == ["f.yaml:5:5"]
    assert found.hint == "remove this entry; it first appears at line 5"


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        ("name: x\n", "document has no 'kind'", "add 'kind:' with one of: "),
        ("kind: Conection\nname: x\n", "unknown kind 'Conection'", "did you mean 'Connection'?"),
        ("kind: 5\n", "unknown kind 5", "kind must be one of: "),
    ],
)
def test_kind_problems(text: str, message: str, hint: str) -> None:
    (found,) = check(text)
    assert (found.code, found.message) == ("SS120", message)
    assert found.hint.startswith(hint)


# Bad documents of every kind: no jsonschema jargon may reach the user.
UNREADABLE = ("is not valid under any of the given schemas", "Failed validating", "Additional properties")


@pytest.mark.parametrize(
    "text",
    [
        CONNECTION + "access: 7\n",
        CONNECTION + "actors: {Vendor: {sync: true}}\n",
        CONNECTION + "config: {timeout: [1]}\n",
        LISTS + "  A: [Key account]\n",
        "kind: Defaults\nconnection: norway\nactor: Customer\nfields: {}\n",
        "kind: Defaults\nconnection: norway\nactor: Customer\nfields:\n  X: {value: [1]}\n",
        "kind: SyncPriority\norder: norway\n",
        "kind: Project\nstate: {backend: local, project: shared}\n",
        "kind: Project\nenvironments:\n  prod:\n    target: {type: superoffice}\n",
    ],
)
def test_messages_are_readable(text: str) -> None:
    found = check(text)
    assert found
    for diagnostic in found:
        assert diagnostic.code.startswith("SS1") or diagnostic.code == "SS209"
        assert not any(jargon in diagnostic.message for jargon in UNREADABLE), diagnostic.message
        assert diagnostic.location is not None and diagnostic.location.line >= 1


def test_fast_and_precise_checks_agree_on_validity() -> None:
    good = load_bytes((CONNECTION + "active: false\n").encode(), "g.yaml").documents[0]
    bad = load_bytes((CONNECTION + "active: no\n").encode(), "b.yaml").documents[0]
    assert check_documents([good]) == check_document_precisely(good) == []
    assert check_documents([bad]) == check_document_precisely(bad) != []
