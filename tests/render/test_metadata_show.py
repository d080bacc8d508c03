"""`syncspec metadata show`: the names a ListMappings or FieldMappings must spell, from the tenant
or from the saved snapshot, as text and JSON; unknown names are errors with a did-you-mean."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.project_cli import CliProject, converged_project


@pytest.fixture(scope="module")
def converged_template(tmp_path_factory: pytest.TempPathFactory) -> CliProject:
    return converged_project(tmp_path_factory.mktemp("metadata-show"))


@pytest.fixture
def converged(converged_template: CliProject, tmp_path: Path) -> CliProject:
    return converged_template.copy_to(tmp_path / "project")


def test_crm_list_items_are_listed_with_ids_and_names(converged: CliProject) -> None:
    done = converged.run("metadata", "show", "crm-lists", "category")
    assert done.code == 0, done
    assert done.out.splitlines()[0] == "CRM list category (6 items)"
    assert "  3  Prospect" in done.out.splitlines()
    assert "# from live" in done.err


def test_json_names_the_source_and_every_item(converged: CliProject) -> None:
    done = converged.run("metadata", "show", "crm-lists", "category", "--output", "json")
    assert done.code == 0, done
    document = json.loads(done.out)
    assert document["source"] == "live"
    (category,) = document["crm_lists"]
    assert {"id": 3, "name": "Prospect"} in category["items"]


def test_the_saved_snapshot_answers_with_snapshot(converged: CliProject) -> None:
    missing = converged.run("metadata", "show", "crm-lists", "--snapshot")
    assert missing.code != 0 and "metadata pull" in missing.err
    assert converged.run("metadata", "pull").code == 0
    done = converged.run("metadata", "show", "crm-lists", "--snapshot", "--output", "json")
    assert done.code == 0, done
    assert json.loads(done.out)["source"] == ".syncspec/metadata/local.json"


def test_erp_fields_and_lists_of_a_connection(converged: CliProject) -> None:
    fields = converged.run("metadata", "show", "erp-fields", "demo-norway", "Customer", "--output", "json")
    assert fields.code == 0, fields
    (actor,) = json.loads(fields.out)["actors"]
    assert actor["actor"] == "Customer" and "CUSTNO" in {f["key"] for f in actor["fields"]}
    lists = converged.run("metadata", "show", "erp-lists", "demo-norway", "country")
    assert lists.code == 0, lists
    assert "  NO  Norway" in lists.out.splitlines()


def test_an_unknown_name_is_an_error_with_a_close_suggestion(converged: CliProject) -> None:
    done = converged.run("metadata", "show", "erp-fields", "demo-norway", "Custmer")
    assert done.code != 0
    assert "connection 'demo-norway' has no actor type 'Custmer'" in done.err
    assert "did you mean 'Customer'?" in done.err
    assert "Traceback" not in done.err
    missing = converged.run("metadata", "show", "erp-lists")
    assert missing.code != 0 and "needs a CONNECTION" in missing.err
