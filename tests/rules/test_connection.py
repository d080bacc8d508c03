from __future__ import annotations

from dataclasses import replace

from syncspec.model.diagnostics import Severity
from tests.rules.helpers import check, demo_metadata, found
from tests.rules.texts import connection, per_actor

E = Severity.ERROR
W = Severity.WARNING


def test_ss301_actor_type_the_connector_does_not_offer() -> None:
    text = connection().replace("  Person: {sync: true}\n", "  Partner: {sync: true}\n")
    diags = check(text)
    assert found(diags) == [("SS301", E, "f1.yaml", 12)]
    assert diags[0].address == "connection.main.actor.Partner"
    assert "Customer, Supplier, Person, Project" in diags[0].hint


def test_ss301_per_actor_document_for_an_actor_type_not_offered() -> None:
    diags = check(connection(), per_actor("Ranking", "order: [NAME]\n", actor="Partner"))
    assert found(diags) == [("SS301", E, "f2.yaml", 3)]


def test_ss315_missing_mandatory_config_field_labels_never_count() -> None:
    text = connection().replace("  user: sync\n", "")
    diags = check(text)
    assert found(diags) == [("SS315", E, "f1.yaml", 5)]
    assert "'user'" in diags[0].message
    assert all("intro" not in d.message for d in diags)  # the Label field is not mandatory


def test_ss315_empty_value_counts_as_missing() -> None:
    diags = check(connection().replace("user: sync", 'user: ""'))
    assert found(diags) == [("SS315", E, "f1.yaml", 5)]


def test_ss316_unknown_config_key_hints_the_closest() -> None:
    diags = check(connection().replace("  user: sync\n", "  user: sync\n  timout: 30\n"))
    assert found(diags) == [("SS316", E, "f1.yaml", 9)]
    assert diags[0].hint == "did you mean 'timeout'?"


def test_ss317_invalid_integer_and_unknown_list_key() -> None:
    text = (
        connection()
        .replace("client: 1001", "client: one")
        .replace("  user: sync\n", "  user: sync\n  language: xx\n")
    )
    diags = check(text)
    assert found(diags) == [("SS317", E, "f1.yaml", 7), ("SS317", E, "f1.yaml", 9)]
    assert "Integer" in diags[0].message
    assert "'languages' has no item 'xx'" in diags[1].message


def test_ss317_references_are_left_for_plan_time() -> None:
    text = connection().replace("client: 1001", "client: ${var:client}")
    assert check(text) == []


def test_ss317_never_shows_a_password() -> None:
    secret = "s3cr3t-" * 20  # longer than the password field's 100 characters
    diags = check(connection().replace("${env:DEMO_ERP_PASSWORD}", secret))
    assert found(diags) == [("SS317", E, "f1.yaml", 9), ("SS325", W, "f1.yaml", 9)]
    assert all(secret not in f"{d.message} {d.hint}" for d in diags)


def test_ss325_a_password_written_in_the_file_is_a_warning_naming_the_env_reference() -> None:
    diags = check(connection().replace("${env:DEMO_ERP_PASSWORD}", "hunter2"))
    assert found(diags) == [("SS325", W, "f1.yaml", 9)]
    assert diags[0].hint == (
        "write 'password: ${env:MAIN_PASSWORD}' and export MAIN_PASSWORD where syncspec runs"
    )
    assert all("hunter2" not in f"{d.message} {d.hint}" for d in diags)


def test_ss325_a_var_reference_is_written_in_syncspec_yaml_so_it_warns_too() -> None:
    diags = check(connection().replace("${env:DEMO_ERP_PASSWORD}", "${var:erp_password}"))
    assert found(diags) == [("SS325", W, "f1.yaml", 9)]


def test_ss325_not_for_the_environment_nor_an_empty_value_nor_a_text_field() -> None:
    assert check(connection().replace("${env:DEMO_ERP_PASSWORD}", "pre-${env:PW}")) == []
    empty = check(connection().replace("${env:DEMO_ERP_PASSWORD}", '""'))
    assert [d.code for d in empty] == ["SS315"]  # mandatory and missing, but no password to leak
    assert check(connection().replace("user: sync", "user: literal-user")) == []


def test_ss317_label_takes_no_value() -> None:
    diags = check(connection().replace("  user: sync\n", "  user: sync\n  intro: hello\n"))
    assert found(diags) == [("SS317", E, "f1.yaml", 9)]


def test_ss318_unknown_group_and_user() -> None:
    text = connection().replace(
        "active: false\n", "active: false\naccess:\n  groups: [Sales, Sails]\n  users: [ANNA, ANA]\n"
    )
    diags = check(text)
    assert found(diags) == [("SS318", E, "f1.yaml", 6), ("SS318", E, "f1.yaml", 7)]
    assert "'Sails'" in diags[0].message and diags[0].hint == "did you mean 'Sales'?"
    assert "'ANA'" in diags[1].message and "ANNA" in diags[1].hint


def test_ss323_an_existing_connection_cannot_move_to_another_connector() -> None:
    # The help lets an existing connection change its name, scope and configuration only (R-C4),
    # and the tenant refuses a new connector: validate says so before apply.
    meta = demo_metadata("main")
    moved = replace(meta, connections={"main": replace(meta.connections["main"], connector="old-erp")})
    diags = check(connection(), metadata=moved)
    assert ("SS323", E, "f1.yaml", 3) in found(diags)
    ss323 = next(d for d in diags if d.code == "SS323")
    assert "'old-erp'" in ss323.message and ss323.address == "connection.main"
    assert check(connection(), metadata=meta) == []
    # A connection that does not exist yet may use any connector.
    assert [d.code for d in check(connection("new"), metadata=meta) if d.code == "SS323"] == []
