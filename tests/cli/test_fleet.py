"""Fleet runs through the whole CLI: many environments of one project, each its own embedded tenant.

The injected failure is real: one environment's `erp_server` variable is an ftp:// URL, which
the demo connector's config test refuses when the connection is saved.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from syncspec.embedded.tenant import InProcessAgent, Tenant
from tests.cli.project_cli import PASSWORD, CliProject, Ran, init_project

GOOD_SERVER = "https://erp.example.com"
REFUSED_SERVER = "ftp://erp.example.com"  # the demo connector accepts only http(s) URLs
HEADING = re.compile(r"^=== (\S+): (.+) \(\d+\.\d\ds\) ===$", re.MULTILINE)


def fleet_project(tmp: Path, names: list[str], *, broken: tuple[str, ...] = ()) -> CliProject:
    """`syncspec init`, then a syncspec.yaml with one local tenant file per environment."""
    project = init_project(tmp)
    lines = ["kind: Project", "config_dir: connections", "state: {backend: local}", "environments:"]
    for name in names:
        server = REFUSED_SERVER if name in broken else GOOD_SERVER
        lines += [
            f"  {name}:",
            f"    target: {{type: local, path: .syncspec/tenants/{name}.db}}",
            f"    vars: {{erp_server: '{server}'}}",
        ]
    (project.root / "syncspec.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return project


def summary(ran: Ran) -> dict[str, tuple[str, str]]:
    """environment -> (changes, result) from the summary table at the end of the text output."""
    table = ran.out[ran.out.rindex("environment  changes") :]
    rows: dict[str, tuple[str, str]] = {}
    for line in table.splitlines()[2:]:
        if not line.strip():
            break
        match = re.match(r"^(\S+)\s+(\S+)\s+(.+?)\s+\d+\.\d\ds$", line)
        assert match, line
        rows[match[1]] = (match[2], match[3])
    return rows


def fleet_json(ran: Ran) -> dict[str, dict[str, object]]:
    document = json.loads(ran.out)
    assert isinstance(document, dict)
    return {env["environment"]: env for env in document["environments"]}


def deactivate(project: CliProject, environment: str, connection: str) -> None:
    """Untick Active in one environment's tenant, the way a user in SuperOffice's GUI would."""
    tenant = Tenant.open(project.root / ".syncspec" / "tenants" / f"{environment}.db")
    try:
        agent = InProcessAgent(tenant)
        (found,) = [c for c in agent.get_all_connections(False) if c.display_name == connection]
        agent.toggle_erp_connection_active(found.erp_connection_id)
    finally:
        tenant.close()


def test_twenty_environments_are_planned_and_applied_and_one_broken_one_leaves_the_others_applied(
    tmp_path: Path,
) -> None:
    names = [f"customer-{n:02}" for n in range(20)]
    project = fleet_project(tmp_path, names, broken=("customer-07",))

    planned = project.run("plan", "--all-environments", "--output", "json", "--parallelism", "8")
    assert planned.code == 0, planned
    runs = fleet_json(planned)
    assert list(runs) == names
    counts = {run["changes"] for run in runs.values()}
    assert len(counts) == 1 and counts.pop() > 0  # one configuration, twenty empty tenants

    applied = project.run("apply", "--all-environments", "--auto-approve", "--parallelism", "8")
    assert applied.code == 1, applied
    rows = summary(applied)
    assert list(rows) == names
    assert rows.pop("customer-07")[1] == "failed"
    assert {result for _, result in rows.values()} == {"applied"}
    assert "apply: 20 environments: 19 applied, 1 failed; exit 1" in applied.out
    assert sorted(m[1] for m in HEADING.finditer(applied.out)) == names
    blocks = HEADING.split(applied.out)[1:]  # (name, result, text) per environment, never interleaved
    for name, result, text in zip(blocks[0::3], blocks[1::3], blocks[2::3], strict=True):
        assert text.count("Applying plan ") == 1, name
        assert ("Apply succeeded" in text) == (result == "applied"), name
    # the connection is tested before it is created: TestConnectionByConfig answers only false
    assert "TestConnectionByConfig answered false for the new connection" in applied.out
    assert PASSWORD not in applied.out and PASSWORD not in applied.err
    for name in names:  # each environment kept its own state, lock released
        state = project.root / ".syncspec" / "state" / name
        assert (state / "journal.jsonl").is_file(), name
        assert not (state / "lock.json").exists(), name

    again = project.run("plan", "-e", "customer-*", "--detailed-exitcode", "--output", "json")
    assert again.code == 2, again
    after = fleet_json(again)
    assert after.pop("customer-07")["changes"] != 0
    assert {run["changes"] for run in after.values()} == {0}
    one = project.run("plan", "-e", "customer-13", "--detailed-exitcode")
    assert one.code == 0, one
    assert "No changes" in one.out


def test_fail_fast_skips_the_environments_not_started(tmp_path: Path) -> None:
    project = fleet_project(tmp_path, ["a", "b", "c", "d"], broken=("b",))
    ran = project.run("apply", "--all-environments", "--auto-approve", "--parallelism", "1", "--fail-fast")
    assert ran.code == 1, ran
    rows = summary(ran)
    assert rows == {
        "a": (rows["a"][0], "applied"),
        "b": (rows["b"][0], "failed"),
        "c": ("-", "skipped"),
        "d": ("-", "skipped"),
    }
    assert "not started: --fail-fast" in ran.out
    assert not (project.root / ".syncspec" / "tenants" / "c.db").exists()  # never opened

    without = project.run("apply", "-e", "[bcd]", "--auto-approve", "--parallelism", "1")
    assert without.code == 1, without
    assert summary(without) == {
        "b": (summary(without)["b"][0], "failed"),
        "c": (summary(without)["c"][0], "applied"),
        "d": (summary(without)["d"][0], "applied"),
    }


def test_globs_select_environments_in_project_order_and_one_match_runs_as_before(tmp_path: Path) -> None:
    project = fleet_project(tmp_path, ["eu-north", "eu-west", "us-east", "staging"])
    ran = project.run("plan", "-e", "staging", "-e", "eu-*")
    assert ran.code == 0, ran
    assert list(summary(ran)) == ["eu-north", "eu-west", "staging"]
    assert "plan on 3 environments, 4 at once" in ran.err

    single = project.run("plan", "-e", "us-east")
    by_glob = project.run("plan", "-e", "us-*")
    assert single.code == by_glob.code == 0
    assert "===" not in single.out and "environment  changes" not in single.out
    assert by_glob.out == single.out

    nothing = project.run("plan", "-e", "ap-*")
    assert nothing.code == 64, nothing
    assert "no environment matches 'ap-*'" in nothing.err
    assert "known: eu-north, eu-west, us-east, staging" in nothing.err
    both = project.run("plan", "-e", "eu-*", "--all-environments")
    assert both.code == 64, both


def test_json_output_is_one_document_with_a_summary_and_each_environment(tmp_path: Path) -> None:
    project = fleet_project(tmp_path, ["one", "two", "three"], broken=("three",))
    ran = project.run("apply", "--all-environments", "--auto-approve", "--output", "json")
    assert ran.code == 1, ran
    document = json.loads(ran.out)
    assert document["fleet_format_version"] == 1
    assert document["command"] == "apply"
    assert document["exit_code"] == 1
    assert document["summary"] == {"applied": 2, "failed": 1}
    envs = {env["environment"]: env for env in document["environments"]}
    assert set(envs) == {"one", "two", "three"}
    assert set(envs["one"]) == {
        "environment",
        "result",
        "exit_code",
        "changes",
        "duration_s",
        "error",
        "notes",
        "document",
    }
    assert envs["one"]["exit_code"] == 0 and envs["three"]["exit_code"] == 1
    events = envs["one"]["document"]["events"]
    assert events[-1]["event"] == "apply_done" and events[-1]["result"] == "succeeded"

    plans = fleet_json(project.run("plan", "-e", "one", "-e", "two", "--output", "json"))
    assert {run["document"]["environment"] for run in plans.values()} == {"one", "two"}
    assert all(run["document"]["changes"] == [] for run in plans.values())


def test_drift_exits_2_when_one_environment_drifted_and_1_when_one_has_no_record(tmp_path: Path) -> None:
    project = fleet_project(tmp_path, ["alpha", "beta", "gamma"])
    applied = project.run("apply", "-e", "alpha", "-e", "beta", "--auto-approve")
    assert applied.code == 0, applied
    assert project.run("drift", "-e", "alpha", "-e", "beta").code == 0

    deactivate(project, "beta", "demo-norway")
    drifted = project.run("drift", "-e", "alpha", "-e", "beta")
    assert drifted.code == 2, drifted
    rows = summary(drifted)
    assert rows["alpha"] == ("0", "no changes")
    assert rows["beta"][1] == "drifted" and rows["beta"][0] != "0"
    assert "connection.demo-norway" in drifted.out

    with_error = project.run("drift", "--all-environments", "--output", "markdown")
    assert with_error.code == 1, with_error  # 1 beats 2
    assert "| gamma | - | failed |" in with_error.out
    assert "no apply is recorded for environment 'gamma'" in with_error.out


def test_apply_to_several_environments_needs_auto_approve_and_no_plan_file(tmp_path: Path) -> None:
    project = fleet_project(tmp_path, ["x", "y"])
    refused = project.run("apply", "--all-environments")
    assert refused.code == 64, refused
    assert "needs --auto-approve" in refused.err
    plan_file = project.run("apply", "plan.json", "-e", "*", "--auto-approve")
    assert plan_file.code == 64, plan_file
    assert not (project.root / ".syncspec" / "tenants").exists()
    out_file = project.run("plan", "-e", "*", "--out", "p.json")
    assert out_file.code == 64, out_file
