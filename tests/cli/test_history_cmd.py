"""`syncspec history` through the whole CLI: an empty journal, applies in text and JSON, a refusal."""

from __future__ import annotations

from pathlib import Path

from tests.cli.project_cli import converged_project, init_project


def test_an_empty_journal_lists_nothing(tmp_path: Path) -> None:
    project = init_project(tmp_path)
    for output in ("text", "json"):
        done = project.run("history", "--output", output)
        assert done.code == 0, done
        assert "succeeded" not in done.out


def test_applies_are_listed_oldest_first_in_text_and_json(tmp_path: Path) -> None:
    project = converged_project(tmp_path)
    path = project.root / "connections" / "demo-sweden" / "connection.yaml"
    source = path.read_text(encoding="utf-8")
    (line,) = [line for line in source.splitlines() if line.startswith("description: ")]
    path.write_text(source.replace(line, "description: second apply"), encoding="utf-8")
    assert project.run("apply", "--auto-approve").code == 0
    plan_ids = [e["plan_id"] for e in project.journal() if e["event"] == "apply_start"]
    assert len(plan_ids) == 2

    as_json = project.run("history", "--output", "json")
    assert as_json.code == 0, as_json
    rows = as_json.json_lines()
    assert [r["plan_id"] for r in rows] == plan_ids
    assert [r["result"] for r in rows] == ["succeeded", "succeeded"]
    assert rows[1]["connections"] == {"demo-sweden": "applied"}
    assert all(r["steps_done"] == r["steps_total"] for r in rows)
    assert rows[0]["started_at"] < rows[1]["started_at"]

    text = project.run("history")
    assert text.code == 0, text
    lines = text.out.splitlines()
    assert len(lines) == 2
    assert all("succeeded" in line for line in lines)
    assert str(plan_ids[0])[:19] in lines[0]
    assert "demo-sweden=applied" in lines[1]


def test_an_apply_killed_before_its_end_shows_as_incomplete(tmp_path: Path) -> None:
    project = converged_project(tmp_path)
    journal = project.state_dir / "journal.jsonl"
    lines = journal.read_text(encoding="utf-8").splitlines()
    # the journal as a kill -9 after a few steps leaves it: no apply_end, a last line cut short
    journal.write_text("\n".join(lines[:6]) + "\n" + lines[6][:17], encoding="utf-8")
    rows = project.run("history", "--output", "json").json_lines()
    assert [r["result"] for r in rows] == ["incomplete"]
    assert "incomplete" in project.run("history").out


def test_a_torn_last_line_hides_no_later_apply_and_is_reported_once(tmp_path: Path) -> None:
    project = converged_project(tmp_path)
    journal = project.state_dir / "journal.jsonl"
    with journal.open("ab") as handle:
        handle.write(b'{"apply_id": "killed", "event": "step_e')  # a crash mid-write
    path = project.root / "connections" / "demo-sweden" / "connection.yaml"
    source = path.read_text(encoding="utf-8")
    (line,) = [line for line in source.splitlines() if line.startswith("description: ")]
    path.write_text(source.replace(line, "description: after the crash"), encoding="utf-8")
    assert project.run("apply", "--auto-approve").code == 0

    done = project.run("history", "--output", "json")
    assert done.code == 0, done
    assert [r["result"] for r in done.json_lines()] == ["succeeded", "succeeded"]
    assert done.err.count("warning: the journal ") == 1
    assert "1 unreadable line (line " in done.err
