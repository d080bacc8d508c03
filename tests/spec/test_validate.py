"""The validate pipeline: which files are read, which are reported, which project applies."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncspec.model.errors import UsageError
from syncspec.model.paths import display_path
from syncspec.spec.validate import validate

PROJECT = (
    "kind: Project\nconfig_dir: connections\ndefault_environment: test\nenvironments:\n"
    "  test:\n    target: {type: local}\n    vars: {erp_server: https://erp-test}\n"
    "  prod:\n    target: {type: local}\n"
)
CONNECTOR = "kind: Connector\nname: demo-erp\nurl: plugin://demo\n"
CONNECTION = (
    "kind: Connection\nname: norway\nconnector: demo-erp\n"
    "config:\n  server: ${var:erp_server}\n  password: ${env:VALIDATE_TEST_PASSWORD}\n"
    "actors:\n  Customer: {sync: true}\n"
)
MAPPINGS = (
    "kind: FieldMappings\nconnection: norway\nactor: Customer\nfields:\n"
    "  COUNTRY: {crm: contact.country, direction: both}\n"
)
COUNTRIES = "kind: ListMappings\nconnection: norway\nactor: Customer\nfield: COUNTRY\nitems:\n  NO: Norway\n"
ENV = {"VALIDATE_TEST_PASSWORD": "pw"}


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(
        tmp_path,
        {
            "syncspec.yaml": PROJECT,
            "connections/connectors.yaml": CONNECTOR,
            "connections/norway/connection.yaml": CONNECTION,
            "connections/norway/mappings.yaml": MAPPINGS,
            "connections/norway/countries.yaml": COUNTRIES,
        },
    )
    return tmp_path


def codes(run_report: object) -> list[str]:
    return [d.code for d in getattr(run_report, "diagnostics")]  # noqa: B009


def test_a_clean_project_gives_the_desired_state(project: Path) -> None:
    run = validate([], cwd=project, environment=None, env=ENV)
    assert run.report.diagnostics == ()
    assert run.report.files_checked == 4
    assert run.environment.name == "test"
    assert run.desired is not None
    # YAML 1.2: the Norwegian country code stays the text 'NO', not false.
    lists = run.desired.connections["norway"].actors
    (actor,) = lists.values()
    assert list(actor.lists["COUNTRY"].items) == ["NO"]


def test_one_named_file_is_checked_against_the_whole_config_directory(project: Path) -> None:
    # pre-commit passes only the changed file; its connection lives in another file.
    run = validate([project / "connections/norway/mappings.yaml"], cwd=project, environment=None, env=ENV)
    assert run.report.diagnostics == ()
    assert run.report.files_checked == 1
    assert run.reported_files == {"connections/norway/mappings.yaml", "syncspec.yaml"}


def test_problems_in_files_not_named_are_not_reported(project: Path) -> None:
    write(
        project,
        {"connections/broken.yaml": "kind: Ranking\nconnection: nowhere\nactor: Customer\norder: [A]\n"},
    )
    named = validate([project / "connections/norway/mappings.yaml"], cwd=project, environment=None, env=ENV)
    assert named.report.diagnostics == ()
    everything = validate([], cwd=project, environment=None, env=ENV)
    assert codes(everything.report) == ["SS207"]


def test_a_file_outside_the_config_directory_is_read_alone(project: Path) -> None:
    write(project, {"elsewhere/mappings.yaml": MAPPINGS})
    run = validate([project / "elsewhere/mappings.yaml"], cwd=project, environment=None, env=ENV)
    assert codes(run.report) == ["SS207"]


def test_the_project_is_found_from_the_file_when_cwd_has_none(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside")
    run = validate([project / "connections"], cwd=outside, environment=None, env=ENV)
    # ${var:erp_server} resolves only with that project's syncspec.yaml.
    assert run.report.diagnostics == ()
    assert run.project.root == project.resolve()


def test_without_any_project_variables_are_undefined(tmp_path: Path) -> None:
    write(tmp_path, {"connections/connectors.yaml": CONNECTOR, "connections/c.yaml": CONNECTION})
    run = validate([], cwd=tmp_path, environment=None, env=ENV)
    assert codes(run.report) == ["SS213"]
    assert run.environment.name == "default"


def test_the_environment_chooses_the_variables(project: Path) -> None:
    run = validate([], cwd=project, environment="prod", env=ENV)
    assert codes(run.report) == ["SS213"]
    assert "environments.prod.vars" in run.report.diagnostics[0].hint
    chosen_by_variable = validate([], cwd=project, environment=None, env={**ENV, "SYNCSPEC_ENV": "prod"})
    assert codes(chosen_by_variable.report) == ["SS213"]


def test_unset_environment_variables_warn_unless_strict(project: Path) -> None:
    lenient = validate([], cwd=project, environment=None, env={})
    assert [(d.code, d.is_error) for d in lenient.report.diagnostics] == [("SS214", False)]
    assert lenient.desired is not None
    strict = validate([], cwd=project, environment=None, env={}, missing_env_is_error=True)
    assert [(d.code, d.is_error) for d in strict.report.diagnostics] == [("SS214", True)]


def test_schema_errors_leave_no_desired_state_and_no_cascade(project: Path) -> None:
    write(project, {"connections/norway/connection.yaml": CONNECTION.replace("connector:", "conector:")})
    run = validate([], cwd=project, environment=None, env=ENV)
    assert run.desired is None
    assert sorted(codes(run.report)) == ["SS122", "SS123"]


def test_diagnostics_are_sorted_by_file_then_line(project: Path) -> None:
    write(
        project,
        {
            "connections/a.yaml": "kind: Ranking\nconnection: norway\nactor: Customer\norder: [X, X]\n",
            "connections/norway/mappings.yaml": MAPPINGS
            + "  NAME: {direction: both}\n  CITY: {direction: both}\n",
        },
    )
    run = validate([], cwd=project, environment=None, env=ENV)
    places = [(d.location.file, d.location.line) for d in run.report.diagnostics if d.location]
    assert places == sorted(places)
    assert [d.code for d in run.report.diagnostics] == ["SS209", "SS211", "SS211"]


def test_project_file_schema_errors_are_reported_in_syncspec_yaml(project: Path) -> None:
    write(project, {"syncspec.yaml": PROJECT + "state: {backend: sqlite}\n"})
    run = validate([], cwd=project, environment=None, env=ENV)
    (problem,) = run.report.diagnostics
    assert problem.code == "SS124"
    assert problem.location is not None and problem.location.file == "syncspec.yaml"


def test_a_project_file_without_kind_is_accepted(project: Path) -> None:
    write(project, {"syncspec.yaml": PROJECT.replace("kind: Project\n", "")})
    assert validate([], cwd=project, environment=None, env=ENV).report.diagnostics == ()


def test_a_path_that_does_not_exist_is_a_usage_error(project: Path) -> None:
    with pytest.raises(UsageError):
        validate([project / "missing.yaml"], cwd=project, environment=None, env=ENV)


def test_display_paths_are_relative_never_absolute(tmp_path: Path) -> None:
    assert display_path(tmp_path / "a" / "b.yaml", tmp_path) == "a/b.yaml"
    # outside the base too (#14: one report must not mix absolute and relative paths)
    elsewhere = display_path(Path("/elsewhere/b.yaml"), tmp_path)
    assert elsewhere.startswith("../") and elsewhere.endswith("/elsewhere/b.yaml")
    assert (tmp_path / elsewhere).resolve() == Path("/elsewhere/b.yaml").resolve()
