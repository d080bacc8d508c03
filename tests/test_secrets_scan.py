"""A whole CLI session with the demo ERP's password set: no output, error, state file, journal,
metadata snapshot, plan file or imported YAML contains it (docs/planning.md, "Secrets"), in clear or
base64-encoded (alone, or as the `user:password` of a Basic Authorization header).

demo-norway's `server` comes from the environment too: a Text field the tenant shows in
clear, yet a secret to syncspec because the configuration takes it from the environment.
The tenant database is not scanned: like SuperOffice itself, it keeps the connection's config.
For the same reason `import` may write that server (it copies what the tenant holds), so the
imported YAML is scanned for the password only.
"""

from __future__ import annotations

import base64
from pathlib import Path

from tests.cli.project_cli import PASSWORD, CliProject, Ran, deactivate_outside_syncspec, environment

WRONG_PASSWORD = "Wr0ng-pass-9zX4"  # a second secret, refused by the ERP: it must not be echoed either
INIT_HINT = f"export DEMO_ERP_PASSWORD={PASSWORD}"  # init's "Next:" hint names the demo's public password
TENANT_FILES = ("tenant.db", "tenant.db-wal", "tenant.db-shm", "tenant.db-journal")
# a value from the environment in a field that is not Password-typed (loopback: never reached)
SERVER = "https://127.0.0.1:9/erp-Kx7q-from-env"
DEMO_USER = "sync"  # demo-norway's user: with the password, the Basic credentials


def _encoded(secret: str) -> tuple[str, ...]:
    raw = secret.encode()
    forms = (base64.b64encode(raw).decode(), base64.urlsafe_b64encode(raw).decode())
    return (secret, *forms, *(f.rstrip("=") for f in forms))


def _forms(*secrets: str) -> tuple[str, ...]:
    return tuple(form for secret in secrets for form in _encoded(secret))


def _leaks(text: str, secrets: tuple[str, ...]) -> list[str]:
    return [line for line in text.splitlines() if any(s in line for s in secrets)]


def _session(tmp_path: Path) -> tuple[CliProject, list[tuple[str, Ran]], list[Path]]:
    ran: list[tuple[str, Ran]] = []
    bootstrap = CliProject(tmp_path, environment(tmp_path))
    init = bootstrap.run("init", "project")
    assert init.code == 0, init
    project = CliProject(tmp_path / "project", {**bootstrap.env, "ERP_SERVER": SERVER})
    connection = project.root / "connections" / "demo-norway" / "connection.yaml"
    text = connection.read_text(encoding="utf-8")
    assert "  server: ${var:erp_server}\n" in text
    connection.write_text(text.replace("${var:erp_server}", "${env:ERP_SERVER}"), encoding="utf-8")
    init_out = "\n".join(line for line in init.out.splitlines() if INIT_HINT not in line)
    ran.append(("init", Ran(init.code, init_out, init.err)))

    def run(*args: str, codes: tuple[int, ...] = (0,)) -> Ran:
        done = project.run(*args)
        assert done.code in codes, (args, str(done))
        ran.append((" ".join(args), done))
        return done

    for output in ("text", "json", "github", "sarif", "codequality"):
        run("validate", "--format", output)
    run("metadata", "pull")
    run("validate", "--offline", "--format", "json")
    for output in ("text", "json", "markdown"):
        run("plan", "--output", output, "--detailed-exitcode", codes=(2,))
    run("plan", "--out", "plan.json")
    for output in ("text", "json", "markdown"):
        run("show", "plan.json", "--output", output)
    run("apply", "--auto-approve")
    run("drift")
    # a second apply that saves the connection without changing the server: its step data
    # must name the server, not carry the tenant's clear copy of it
    connection.write_text(
        connection.read_text(encoding="utf-8").replace("timeout: 30", "timeout: 45"), encoding="utf-8"
    )
    run("plan", "--output", "json", "--detailed-exitcode", codes=(2,))
    run("plan", "--out", "plan-2.json")
    run("apply", "plan-2.json", "--auto-approve")
    deactivate_outside_syncspec(project, "demo-norway")
    for output in ("text", "json", "markdown"):
        run("drift", "--output", output, codes=(2,))
    run("apply", "--auto-approve", "--output", "json")
    run("history")
    run("history", "--output", "json")
    run("import", "--out", "../imported")

    # a wrong password: refused by the ERP, in the plan and the failed apply's errors
    wrong = CliProject(project.root, {**project.env, "DEMO_ERP_PASSWORD": WRONG_PASSWORD})
    for args in (("plan",), ("apply", "--auto-approve"), ("apply", "--auto-approve", "--output", "json")):
        done = wrong.run(*args)
        ran.append((" ".join(args) + " (wrong password)", done))
    wrong_apply = ran[-2][1]
    assert wrong_apply.code == 1, wrong_apply  # it did reach the ERP and was refused

    files = [
        path
        for path in sorted((project.root / ".syncspec").rglob("*"))
        if path.is_file() and path.name not in TENANT_FILES
    ]
    files += [project.root / "plan.json", project.root / "plan-2.json"]
    files += [p for p in sorted((tmp_path / "xdg").rglob("*")) if p.is_file()]
    return project, ran, files


def _imported(tmp_path: Path) -> list[Path]:
    return [p for p in sorted((tmp_path / "imported").rglob("*")) if p.is_file()]


def test_no_output_or_artifact_of_a_whole_session_holds_a_secret(tmp_path: Path) -> None:
    project, ran, files = _session(tmp_path)
    passwords = _forms(PASSWORD, WRONG_PASSWORD, f"{DEMO_USER}:{PASSWORD}", f"{DEMO_USER}:{WRONG_PASSWORD}")
    secrets = (*passwords, *_forms(SERVER))
    leaks = {
        f"$ syncspec {command}": found
        for command, done in ran
        if (found := _leaks(done.out + "\n" + done.err, secrets))
    }
    leaks.update(
        {str(path): found for path in files if (found := _leaks(path.read_text(errors="replace"), secrets))}
    )
    leaks.update(
        {
            str(path): found
            for path in _imported(tmp_path)
            if (found := _leaks(path.read_text(errors="replace"), passwords))
        }
    )
    assert not leaks, leaks

    # the scan saw what it claims to: the state, journal, snapshot, plan and imported YAML exist
    names = {path.name for path in [*files, *_imported(tmp_path)]}
    assert {"journal.jsonl", "last-applied.json", "local.json", "plan.json", "connection.yaml"} <= names
    # ...the second plan saved the connection and named the server a secret
    plan_2 = (project.root / "plan-2.json").read_text(encoding="utf-8")
    assert '"connection.demo-norway.config.server"' in plan_2 and '"timeout": "[I:45]"' in plan_2
    assert len(ran) > 20
    # ...and the secret did reach the tenant (it keeps the config), so there was something to leak
    agent, tenant = project.agent()
    try:
        ids = [c.erp_connection_id for c in agent.get_all_connections(False)]
        tested = [agent.test_connection_by_id(i) for i in ids]
    finally:
        tenant.close()
    assert ids and all(tested)
    imported = (tmp_path / "imported" / "demo-norway" / "connection.yaml").read_text(encoding="utf-8")
    assert "${env:" in imported
    assert SERVER in imported  # the tenant holds the server in clear: import copies what it holds
