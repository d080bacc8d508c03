"""`plan` runs the connector's own test on every configuration it would save.

TestConnectionByConfig saves nothing, so a value the connector refuses is shown by the plan, with
the connector's words, among the risky changes a reviewer reads first; the tenant is unchanged.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from syncspec.embedded.tenant.agent import InProcessAgent
from syncspec.embedded.tenant.engine import Tenant
from tests.cli.plan_cases import BASE_CONFIG, PASSWORD, apply_config, new_project, run

CONNECTION = Path("connections/main/connection.yaml")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    root = new_project(tmp_path, monkeypatch)
    apply_config(root, BASE_CONFIG, capsys)
    return root


def _edit(project: Path, old: str, new: str) -> None:
    path = project / CONNECTION
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _stored_config(project: Path) -> dict[str, str]:
    with Tenant.open(project / ".syncspec" / "tenant.db") as tenant:
        agent = InProcessAgent(tenant)
        conn = next(c for c in agent.get_all_connections(False) if c.display_name == "main")
        return dict(agent.get_connection(conn.erp_connection_id).config_fields)


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("client: 1001", "client: 9999", "Unknown client 9999: the ERP has clients 1001, 1002, 2001"),
        (
            "user: sync",
            "user: sync\n  timeout: 9999",
            "Timeout (seconds) (timeout) must be a whole number from 1 to 600",
        ),
    ],
    ids=["unknown-client", "timeout-out-of-range"],
)
def test_a_configuration_the_connector_refuses_is_a_risky_change_with_its_reason(
    project: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, reason: str
) -> None:
    before = _stored_config(project)
    _edit(project, old, new)
    validated = run(["validate"], capsys)
    assert validated.code == 0, validated  # the schema and the metadata allow the value
    planned = run(["plan"], capsys)
    assert planned.code == 0, planned
    risky = planned.out.split("\n\n")[0]
    assert risky.startswith("Risky changes:"), planned.out
    assert (
        f"~ connection.main: the connector refuses this configuration (Test ERP connection failed: {reason})"
        in risky
    )
    assert PASSWORD not in planned.out + planned.err
    assert _stored_config(project) == before  # the test saved nothing
    applied = run(["apply", "--auto-approve"], capsys)
    assert applied.code == 1, applied
    assert _stored_config(project) == before  # and apply did not save it either


def test_a_configuration_the_connector_accepts_plans_as_before(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(project, "client: 1001", "client: 1002")
    planned = run(["plan", "--detailed-exitcode"], capsys)
    assert planned.code == 2, planned
    assert "client" in planned.out and "refuses" not in planned.out
