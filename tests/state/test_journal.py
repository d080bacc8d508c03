"""The journal survives a torn last line and garbage: appends start on a fresh line, reads keep
every readable event and count the rest."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from syncspec.state.journal import JournalFile, history, left_switched_off, scan_events, unreadable_note


def _start(apply_id: str) -> dict[str, object]:
    return {
        "event": "apply_start",
        "apply_id": apply_id,
        "plan_id": f"p-{apply_id}",
        "at": "2026-01-01T00:00:00Z",
    }


def test_an_append_after_a_torn_line_starts_on_a_fresh_line(tmp_path: Path) -> None:
    journal = JournalFile(tmp_path / "journal.jsonl")
    journal.append(_start("one"))  # type: ignore[arg-type]
    with journal.path.open("ab") as handle:
        handle.write(b'{"event": "step_end", "apply_id": "one", "res')  # killed mid-write
    journal.append(_start("two"))  # type: ignore[arg-type]
    journal.append({"event": "apply_end", "apply_id": "two", "result": "succeeded"})
    events = journal.read()
    assert [e["apply_id"] for e in events] == ["one", "two", "two"]
    assert journal.unreadable == (2,)
    assert [(r.apply_id, r.result) for r in history(events)] == [("one", "incomplete"), ("two", "succeeded")]


def test_garbage_hides_no_later_apply(tmp_path: Path) -> None:
    journal = JournalFile(tmp_path / "journal.jsonl")
    journal.path.write_bytes(b'\x00\xff garbage {"x\n[[[[' + b"[" * 100_000 + b"\nnot json\n" + b"\x89PNG")
    journal.append(_start("after"))  # type: ignore[arg-type]
    events = journal.read()
    assert [e["apply_id"] for e in events] == ["after"]
    assert journal.unreadable == (1, 2, 3, 4)
    note = unreadable_note(journal.path, journal.unreadable)
    assert "4 unreadable lines (line 1, 2, 3, 4)" in note


def test_an_event_glued_to_a_torn_line_by_an_older_version_is_recovered() -> None:
    glued = b'{"event": "step_end", "apply_id": "one", "res' + json.dumps(_start("two")).encode() + b"\n"
    read = scan_events(glued)
    assert [e["apply_id"] for e in read.events] == ["two"]
    assert read.unreadable == (1,)


def test_the_journal_is_owner_only(tmp_path: Path) -> None:
    journal = JournalFile(tmp_path / "state" / "env" / "journal.jsonl")
    journal.append(_start("one"))  # type: ignore[arg-type]
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(journal.path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "state").stat().st_mode) == 0o700
    journal.path.chmod(0o644)  # left readable by an older version: tightened on the next append
    journal.append(_start("two"))  # type: ignore[arg-type]
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600


def _step(
    event: str, apply_id: str, kind: str, connection: str = "norway", result: str = "ok"
) -> dict[str, object]:
    base: dict[str, object] = {"event": event, "apply_id": apply_id, "connection": connection, "kind": kind}
    return base | ({"result": result} if event == "step_end" else {})


def test_a_deactivation_an_unfinished_apply_never_undid_is_left_switched_off() -> None:
    events = [
        {"event": "apply_start", "apply_id": "a1"},
        _step("step_start", "a1", "deactivate"),  # killed before its step_end: the call may have gone out
        _step("step_start", "a1", "deactivate", connection="sweden"),
        _step("step_end", "a1", "deactivate", connection="sweden"),
        _step("step_start", "a1", "activate", connection="sweden"),
        _step("step_end", "a1", "activate", connection="sweden"),
    ]
    assert left_switched_off(events) == {"norway": "a1"}  # type: ignore[arg-type]


def test_a_finished_apply_a_restore_or_a_later_activation_settles_it() -> None:
    finished = [
        {"event": "apply_start", "apply_id": "a1"},
        _step("step_start", "a1", "deactivate"),
        {"event": "connection_end", "apply_id": "a1", "connection": "norway", "status": "failed"},
        {"event": "apply_end", "apply_id": "a1"},
    ]
    restored = [
        _step("step_start", "a2", "deactivate"),
        {"event": "restore_end", "apply_id": "a2", "connection": "norway", "errors": [], "remaining": []},
    ]
    later = [
        _step("step_start", "a3", "deactivate"),
        _step("step_end", "a4", "activate"),
    ]
    half_restored = [
        _step("step_start", "a5", "deactivate"),
        {"event": "restore_end", "apply_id": "a5", "connection": "norway", "errors": ["x"], "remaining": []},
    ]
    for events in (finished, restored, later):
        assert left_switched_off(events) == {}  # type: ignore[arg-type]
    assert left_switched_off(half_restored) == {"norway": "a5"}  # type: ignore[arg-type]
