"""`syncspec plan` through `main([...])` against a real local tenant seeded by `apply`.

The saved-plan round trip (`--out`, then `show`) is in test_show_cmd.py; the golden cases of
what a plan says are in test_plan_golden.py.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from tests.cli.plan_cases import (
    BASE_CONFIG,
    CASES,
    apply_config,
    new_project,
    run,
    use_config,
    write_branch_connections,
)

MAPPINGS = Path("connections/main/customer.mappings.yaml")
RANKING = Path("connections/main/customer.ranking.yaml")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    """A project whose tenant has the base configuration applied; cwd is the project."""
    root = new_project(tmp_path, monkeypatch)
    apply_config(root, BASE_CONFIG, capsys)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _change_phone_direction(project: Path) -> None:
    _edit(project / MAPPINGS, "PHONE: {crm: contact.phone, direction: both}", "PHONE: {crm: contact.phone}")


# --- exit codes -------------------------------------------------------------------------------


def test_detailed_exitcode_is_0_without_changes(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run(["plan", "--detailed-exitcode"], capsys)
    assert result.code == 0
    assert "No changes." in result.out


def test_detailed_exitcode_is_2_with_changes(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _change_phone_direction(project)
    result = run(["plan", "--detailed-exitcode"], capsys)
    assert result.code == 2
    assert "connection.main.actor.Customer.field.PHONE" in result.out


def test_changes_without_detailed_exitcode_exit_0(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _change_phone_direction(project)
    result = run(["plan"], capsys)
    assert result.code == 0
    assert "Plan: 0 to create, 1 to update" in result.out


def test_plan_writes_nothing_to_the_tenant(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _change_phone_direction(project)
    assert run(["plan", "--detailed-exitcode"], capsys).code == 2
    assert run(["plan", "--detailed-exitcode"], capsys).code == 2, "planning twice plans the same change"


# --- errors -----------------------------------------------------------------------------------

_LOCATED = re.compile(r"^(connections/\S+\.yaml):(\d+):(\d+): error (SS\d{3}) ", re.MULTILINE)


def test_invalid_config_exits_1_with_located_diagnostics(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(
        project / MAPPINGS,
        "direction: both, show_in_search: true",
        "direction: sideways, show_in_search: true",
    )
    result = run(["plan", "--detailed-exitcode"], capsys)
    assert result.code == 1
    assert "Traceback" not in result.out + result.err
    assert result.out == ""
    found = _LOCATED.findall(result.err)
    assert found, result.err
    assert {(file, line) for file, line, _, _ in found} == {(MAPPINGS.as_posix(), "6")}
    assert all(code.startswith("SS1") for *_, code in found)
    assert "Error: the configuration is not valid" in result.err


def test_rule_violation_exits_1_with_a_located_ss3xx(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # CUSTNO is the ERP's read-only id: nothing may sync into it.
    _edit(
        project / MAPPINGS,
        "CUSTNO: {crm: contact.number2, direction: to-crm",
        "CUSTNO: {crm: contact.number2, direction: both",
    )
    result = run(["plan", "--detailed-exitcode"], capsys)
    assert result.code == 1
    assert "Traceback" not in result.out + result.err
    assert result.out == ""
    found = _LOCATED.findall(result.err)
    assert (MAPPINGS.as_posix(), "5", "SS305") in {(file, line, code) for file, line, _, code in found}, (
        result.err
    )
    assert "Error: the configuration breaks rules the tenant enforces" in result.err


def test_unknown_environment_is_an_error_not_a_traceback(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(["plan", "-e", "nowhere"], capsys)
    assert result.code in (1, 64)
    assert "nowhere" in result.err
    assert "Traceback" not in result.out + result.err


# --- --only -----------------------------------------------------------------------------------


def test_only_warns_that_the_plan_is_partial_and_keeps_only_that_address(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _change_phone_direction(project)
    _edit(project / RANKING, "order: [NAME, CUSTNO]", "order: [CUSTNO, NAME]")
    full = json.loads(run(["plan", "--output", "json"], capsys).out)
    assert len(full["changes"]) == 2

    address = "connection.main.actor.Customer.field.PHONE"
    result = run(["plan", "--detailed-exitcode", "--only", address], capsys)
    assert result.code == 2
    assert "warning: --only makes this a partial plan" in result.err
    assert result.out.startswith(f"Partial plan: only {address}\n")
    assert "ranking" not in result.out

    document = json.loads(run(["plan", "--output", "json", "--only", address], capsys).out)
    assert document["partial"] is True
    assert document["only"] == [address]
    assert [c["address"] for c in document["changes"]] == [address]
    assert "Partial plan, only: `" in run(["plan", "--output", "markdown", "--only", address], capsys).out


@pytest.mark.parametrize("address", ["connection.mai", "connection.nope"])
def test_only_matching_nothing_is_an_error_naming_the_closest(
    address: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Whole segments: `connection.mai` is not `connection.main`; a typo is not "No changes"."""
    _change_phone_direction(project)
    result = run(["plan", "--detailed-exitcode", "--only", address], capsys)
    assert result.code == 64, result
    assert f"Error: --only {address} matches no address in the configuration or the tenant" in result.err
    assert "hint: did you mean connection.main" in result.err
    assert "No changes" not in result.out


def test_without_only_there_is_no_partial_warning(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _change_phone_direction(project)
    result = run(["plan"], capsys)
    assert "partial" not in result.err.lower()
    assert "Partial" not in result.out


# --- large plans --------------------------------------------------------------------------------


def test_markdown_of_a_30_connection_plan_fits_a_comment(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_branch_connections(project / "connections", 30)
    text = run(["plan", "--detailed-exitcode"], capsys)
    assert text.code == 2
    assert "Plan: 30 to create" in text.out
    assert len(text.out) > 60_000, "the plan is large enough that markdown has to cut it"

    markdown = run(["plan", "--output", "markdown"], capsys).out
    assert len(markdown) <= 60_000
    assert markdown.startswith("## syncspec plan: `local`\n\nPlan: 30 to create")
    cut = re.search(r"\*\*Cut to fit a comment:\*\* (\d+) sections not shown \(([^)]*)\)", markdown)
    assert cut is not None
    hidden = cut.group(2).split(", ")
    assert len(hidden) == int(cut.group(1)) > 0
    shown = re.findall(r"<summary><b>connection (\S+)</b>", markdown)
    assert sorted(shown + hidden) == [f"erp-{n:02d}" for n in range(1, 31)]


# --- colour -------------------------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _plan_on(stream: io.StringIO, args: list[str], monkeypatch: pytest.MonkeyPatch) -> str:
    from syncspec.cli.main import main

    with monkeypatch.context() as patch:
        patch.setattr(sys, "stdout", stream)
        main(["plan", *args])
    return stream.getvalue()


def test_colour_only_on_a_terminal(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _change_phone_direction(project)
    coloured = _plan_on(_Terminal(), [], monkeypatch)
    assert "\x1b[" in coloured
    assert "connection.main.actor.Customer.field.PHONE" in coloured
    assert "\x1b[" not in _plan_on(io.StringIO(), [], monkeypatch)


def test_no_color_variable_and_option_turn_colour_off(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _change_phone_direction(project)
    plain = _plan_on(io.StringIO(), [], monkeypatch)
    assert "\x1b[" not in _plan_on(_Terminal(), ["--no-color"], monkeypatch)
    monkeypatch.setenv("NO_COLOR", "1")
    on_terminal = _plan_on(_Terminal(), [], monkeypatch)
    assert "\x1b[" not in on_terminal
    assert on_terminal == plain


def test_json_and_markdown_are_never_coloured(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _change_phone_direction(project)
    for output in ("json", "markdown"):
        assert "\x1b[" not in _plan_on(_Terminal(), ["--output", output], monkeypatch)


# --- guards against an empty or misdirected configuration ------------------------------------


def _project_setting(project: Path, old: str, new: str) -> None:
    _edit(project / "syncspec.yaml", old, new)


def _live_connections(project: Path) -> list[str]:
    from syncspec.embedded.tenant.agent import InProcessAgent
    from syncspec.embedded.tenant.engine import Tenant

    tenant = Tenant.open_or_create(project / ".syncspec" / "tenant.db")
    try:
        return sorted(c.display_name for c in InProcessAgent(tenant).get_all_connections(False))
    finally:
        tenant.close()


@pytest.mark.parametrize(
    ("config_dir", "message"),
    [
        pytest.param("empty", "no configuration files: no YAML file in", id="empty"),
        pytest.param("../../../../etc", "config_dir '../../../../etc' is outside the project", id="outside"),
    ],
)
def test_an_empty_or_misdirected_config_dir_is_refused_and_deletes_nothing(
    config_dir: str, message: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "empty").mkdir()
    before = _live_connections(project)
    _project_setting(project, "config_dir: connections", f"config_dir: {config_dir}")
    validated = run(["validate"], capsys)
    assert validated.code == 1, validated
    assert message in validated.out + validated.err
    applied = run(["apply", "--allow-delete", "--auto-approve"], capsys)
    assert applied.code == 1, applied
    assert message in applied.out + applied.err
    assert _live_connections(project) == before == ["main"]


def test_a_project_file_of_another_kind_is_refused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _project_setting(project, "kind: Project", "kind: Defaults")
    result = run(["validate"], capsys)
    assert result.code == 1, result
    assert "syncspec.yaml must be the project file (kind: Project), not kind 'Defaults'" in result.err


def test_a_configuration_defining_nothing_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.rmtree(project / "connections")
    (project / "connections").mkdir()
    (project / "connections" / "sync-priority.yaml").write_text("kind: SyncPriority\norder: []\n", "utf-8")
    result = run(["plan", "--allow-delete"], capsys)
    assert result.code == 1, result
    assert "the configuration defines no connector and no connection" in result.err


def _rename_main(project: Path) -> None:
    """The configuration names another connection (inactive, its mappings left out: the rules
    would refuse two connections feeding the same CRM fields), so the plan deletes `main`, the
    only one."""
    connection = project / "connections" / "main" / "connection.yaml"
    _edit(connection, "name: main", "name: renamed")
    _edit(connection, "active: true", "active: false")
    for path in (project / "connections" / "main").glob("customer.*.yaml"):
        path.unlink()


def test_deleting_every_connection_needs_allow_delete_all(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _rename_main(project)
    refused = run(["apply", "--allow-delete", "--auto-approve"], capsys)
    assert refused.code == 1, refused
    assert "refusing to plan: the plan deletes every connection of the tenant (1)" in refused.err
    assert "--allow-delete-all" in refused.err
    assert _live_connections(project) == ["main"]
    planned = run(["plan", "--allow-delete-all", "--detailed-exitcode"], capsys)
    assert planned.code == 2, planned
    assert "- connection.main" in planned.out
    assert "deletes connection main (an active connection): loses" in planned.out


def test_max_delete_percent_from_syncspec_yaml_and_the_flag(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    apply_config(project, CASES / "delete-without-allow" / "seed", capsys)  # main and second
    use_config(project, BASE_CONFIG)  # main only: plans deleting second, 1 of 2
    assert run(["plan", "--allow-delete", "--detailed-exitcode"], capsys).code == 2  # 50% is allowed
    _project_setting(project, "config_dir: connections", "config_dir: connections\nmax_delete_percent: 40")
    refused = run(["plan", "--allow-delete"], capsys)
    assert refused.code == 1, refused
    assert "deletes 1 of the tenant's 2 connections, more than max_delete_percent (40%)" in refused.err
    assert run(["plan", "--allow-delete", "--max-delete-percent", "50"], capsys).code == 0


# --- secrets no record vouches for ------------------------------------------------------------


def test_a_secret_without_record_is_a_warning_and_can_be_resent(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    records = project / ".syncspec" / "state" / "local" / "last-applied.json"
    assert records.is_file()
    records.unlink()  # lost (a new runner, a restore from backup, kill -9 before recording)
    # the demo ERP accepts only its one password, so the secret stays; the plan cannot tell
    quiet = run(["plan", "--detailed-exitcode"], capsys)
    assert quiet.code == 0, quiet
    lines = quiet.out.splitlines()
    assert lines[-1] == "No changes. The tenant matches the configuration."
    assert lines[-3] == (
        "Warning: 1 secret cannot be verified and will not be sent: connection.main.config.password"
    )
    assert "--resend-secrets connection.main" in lines[-2]
    markdown = run(["plan", "--output", "markdown"], capsys).out
    assert "> [!WARNING]" in markdown and "connection.main.config.password" in markdown
    document = json.loads(run(["plan", "--output", "json"], capsys).out)
    assert document["unverified_secrets"] == ["connection.main.config.password"]

    resend = run(["plan", "--detailed-exitcode", "--resend-secrets", "connection.main"], capsys)
    assert resend.code == 2, resend
    assert "config.password: (sensitive, changed)" in resend.out
    assert "Warning:" not in resend.out
    applied = run(["apply", "--auto-approve", "--resend-secrets", "connection.main.config.password"], capsys)
    assert applied.code == 0, applied
    after = run(["plan", "--detailed-exitcode"], capsys)
    assert after.code == 0 and "Warning:" not in after.out, after


def test_resend_secrets_of_an_unknown_connection_is_an_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(["plan", "--resend-secrets", "connection.mian"], capsys)
    assert result.code == 64, result
    assert "--resend-secrets connection.mian matches no address" in result.err
    assert "connection.main" in result.err


def test_plan_files_state_files_and_the_tenant_file_are_owner_only(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import stat

    _change_phone_direction(project)
    assert run(["plan", "--out", "plans/next.json"], capsys).code == 0
    assert stat.S_IMODE((project / "plans" / "next.json").stat().st_mode) == 0o600
    assert stat.S_IMODE((project / "plans").stat().st_mode) == 0o700  # made by plan --out
    files = [p for p in (project / ".syncspec").rglob("*") if p.is_file()]
    assert any(p.name == "journal.jsonl" for p in files) and any(p.suffix == ".db" for p in files)
    assert {p.relative_to(project).as_posix(): oct(stat.S_IMODE(p.stat().st_mode)) for p in files} == {
        p.relative_to(project).as_posix(): "0o600" for p in files
    }
    state_dirs = [p for p in (project / ".syncspec" / "state").rglob("*") if p.is_dir()]
    assert state_dirs and all(stat.S_IMODE(p.stat().st_mode) == 0o700 for p in state_dirs)
    assert stat.S_IMODE((project / ".syncspec" / "state").stat().st_mode) == 0o700


def test_a_corrupt_tenant_file_is_a_clear_error_in_every_command(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    tenant = project / ".syncspec" / "tenant.db"
    with sqlite3.connect(tenant) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file
    data = bytearray(tenant.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    data[page:] = b"\xa5" * (len(data) - page)  # every page after the first is damaged
    tenant.write_bytes(bytes(data))
    for command in (["plan"], ["apply", "--auto-approve"], ["metadata", "pull"]):
        result = run(command, capsys)
        assert result.code == 1, (command, result)
        assert "Unexpected error" not in result.err
        assert (
            f"{tenant.resolve()} is not a valid tenant database (corrupt?): restore it from a backup"
            in result.err
        )
