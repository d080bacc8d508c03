"""`syncspec report` through the real CLI: the page, its exit codes, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.project_cli import PASSWORD, CliProject, converged_project, init_project


def test_report_to_stdout_and_to_a_file(tmp_path: Path) -> None:
    project = init_project(tmp_path)  # nothing applied: no tenant metadata yet is fine
    done = project.run("report")
    assert done.code == 0, done
    assert done.out.startswith("<!doctype html>") and done.out.rstrip().endswith("</html>")
    assert 'data-connection="demo-norway"' in done.out
    out = tmp_path / "r.html"
    written = project.run("report", "--out", str(out))
    assert written.code == 0 and written.out == ""
    assert out.read_text(encoding="utf-8") == done.out
    assert PASSWORD not in done.out + done.err


def test_a_saved_plan_is_overlaid_and_show_renders_it_alone(tmp_path: Path) -> None:
    project = converged_project(tmp_path)
    mappings = project.root / "connections" / "demo-norway" / "customer.mappings.yaml"
    text = mappings.read_text(encoding="utf-8")
    mappings.write_text(
        text.replace(
            "BLOCKED: {crm: contact.udef.blocked, direction: to-crm}",
            "BLOCKED: {crm: contact.udef.blocked, direction: both}",
        ),
        encoding="utf-8",
    )
    plan_file = tmp_path / "plan.json"
    assert project.run("plan", "--out", str(plan_file)).code == 0
    address = "connection.demo-norway.actor.Customer.field.BLOCKED"
    plan_id = json.loads(plan_file.read_text(encoding="utf-8"))["plan_id"]
    done = project.run("report", "--plan", str(plan_file), "--commit", "cafe123")
    assert done.code == 0, done
    assert f'data-address="{address}"' in done.out and plan_id in done.out and "cafe123" in done.out
    alone = project.run("show", str(plan_file), "--output", "html")
    assert alone.code == 0, alone
    assert f'data-address="{address}"' in alone.out and plan_id in alone.out
    assert PASSWORD not in done.out + alone.out


def test_a_changed_plan_file_is_refused(tmp_path: Path) -> None:
    project = converged_project(tmp_path)
    plan_file = tmp_path / "plan.json"
    assert project.run("plan", "--out", str(plan_file)).code == 0
    document = json.loads(plan_file.read_text(encoding="utf-8"))
    document["environment"] = "production"
    plan_file.write_text(json.dumps(document), encoding="utf-8")
    done = project.run("report", "--plan", str(plan_file))
    assert done.code == 1 and "Traceback" not in done.err
    assert "Error:" in done.err and done.out == ""


def test_errors_in_the_configuration_are_on_the_page_and_exit_1(tmp_path: Path) -> None:
    project = init_project(tmp_path)
    broken = project.root / "connections" / "demo-norway" / "customer.ranking.yaml"
    broken.write_text(broken.read_text(encoding="utf-8") + "  bad: [\n", encoding="utf-8")
    done = project.run("report")
    assert done.code == 1, done
    assert "Traceback" not in done.err
    assert "[error SS101]" in done.out and "customer.ranking.yaml" in done.out
    assert "1 errors, shown on the page" in done.err


def test_outside_a_project_the_error_is_clear(tmp_path: Path) -> None:
    lonely = CliProject(tmp_path, {"XDG_CONFIG_HOME": str(tmp_path / "xdg")})
    done = lonely.run("report")
    assert done.code != 0 and "Traceback" not in done.err
    assert "Error" in done.err
