"""`--shard K/N` through the whole CLI, and `syncspec fleet merge` joining the shards' JSON."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_fleet import fleet_json, fleet_project

NAMES = ["cust-a", "cust-b", "cust-c", "cust-d", "cust-e"]


def test_shards_split_the_fleet_and_merge_into_the_whole_run(tmp_path: Path) -> None:
    project = fleet_project(tmp_path, NAMES, broken=("cust-d",))
    parts = []
    for k in (1, 2, 3):
        ran = project.run(
            "plan", "-e", "cust-*", "--shard", f"{k}/3", "--output", "json", "--detailed-exitcode"
        )
        assert ran.code == 2, ran  # every tenant is empty: changes everywhere
        parts.append(fleet_json(ran))
        (project.root / f"shard-{k}.json").write_text(ran.out, encoding="utf-8")
    assert [sorted(p) for p in parts] == [["cust-a", "cust-d"], ["cust-b", "cust-e"], ["cust-c"]]

    whole = project.run("plan", "--all-environments", "--output", "json", "--detailed-exitcode")
    merged = project.run("fleet", "merge", *(f"shard-{k}.json" for k in (1, 2, 3)), "--output", "json")
    assert merged.code == whole.code == 2, merged
    kept = ("result", "exit_code", "changes", "error")  # not durations, nor one-time notes
    as_run = {n: [e[k] for k in kept] for n, e in fleet_json(whole).items()}
    as_merged = {n: [e[k] for k in kept] for n, e in fleet_json(merged).items()}
    assert as_merged == as_run
    assert json.loads(merged.out)["summary"] == json.loads(whole.out)["summary"]

    table = project.run("fleet", "merge", "shard-1.json", "shard-2.json", "shard-3.json")
    assert "plan: 5 environments: 5 changes; exit 2" in table.out, table
    comment = project.run(
        "fleet", "merge", "shard-3.json", "shard-1.json", "shard-2.json", "--output", "markdown"
    )
    assert comment.out.startswith("# syncspec plan: 5 environments\n"), comment
    assert comment.out.index("| cust-a |") < comment.out.index("| cust-e |")
    assert "## cust-c: changes" in comment.out and "<details>" in comment.out  # each plan as markdown


def test_an_empty_shard_is_an_empty_success(tmp_path: Path) -> None:
    project = fleet_project(tmp_path, ["only"])
    ran = project.run("plan", "--shard", "2/2", "--output", "json")
    assert ran.code == 0, ran
    assert json.loads(ran.out)["environments"] == []
    text = project.run("drift", "--shard", "2/2")
    assert text.code == 0, text


def test_merge_refuses_overlapping_or_foreign_documents(tmp_path: Path) -> None:
    project = fleet_project(tmp_path, ["a", "b"])
    ran = project.run("plan", "--shard", "1/1", "--output", "json")
    (project.root / "one.json").write_text(ran.out, encoding="utf-8")
    (project.root / "plan.json").write_text('{"format_version": 1}', encoding="utf-8")
    twice = project.run("fleet", "merge", "one.json", "one.json")
    assert twice.code == 64 and "is in both" in twice.err, twice
    foreign = project.run("fleet", "merge", "plan.json")
    assert foreign.code == 64 and "not a fleet result" in foreign.err, foreign


def test_a_bad_shard_is_a_usage_error(tmp_path: Path) -> None:
    project = fleet_project(tmp_path, ["a", "b"])
    ran = project.run("plan", "--shard", "3/2")
    assert ran.code == 64 and "K must be between 1 and 2" in ran.err, ran


def test_apply_of_one_shard_changes_only_its_tenants(tmp_path: Path) -> None:
    project = fleet_project(tmp_path, ["t1", "t2", "t3"])
    applied = project.run("apply", "--shard", "2/2", "--auto-approve")
    assert applied.code == 0, applied
    after = fleet_json(project.run("plan", "--all-environments", "--output", "json"))
    assert {name: run["result"] for name, run in after.items()} == {
        "t1": "changes",
        "t2": "no changes",  # sorted names dealt out in turn: t1, t3 in 1/2; t2 in 2/2
        "t3": "changes",
    }
