"""Helpers for the plan golden cases under tests/cases/plan/ and the plan CLI tests.

A case directory holds:

- `seed/` (optional): a configuration directory applied first through the real CLI
  (`syncspec apply --auto-approve`); absent means "plan against an empty tenant".
- `desired/`: the configuration that is planned.
- `outside.json` (optional): edits made to the tenant *outside* syncspec after the seed apply,
  a JSON list of operations run through `InProcessAgent` on the tenant file, like a person
  clicking through SuperOffice's screens (an active connection is deactivated around an edit
  and re-activated after, since the tenant refuses edits to an active connection):

      {"op": "set_field", "connection": C, "actor": A, "field": F,
       "crm": "contact.name", "direction": "to-crm", "show_in_search": true, "show_in_tab": false}
      {"op": "set_active", "connection": C, "active": false}
      {"op": "set_description", "connection": C, "description": "text"}
      {"op": "move_field", "connection": C, "actor": A, "field": F, "direction": -1}
      {"op": "set_default", "connection": C, "actor": A, "field": F,
       "value": "NOK" or null, "prompt": false, "mandatory": false}

  `set_field` and `set_default` change only the attributes given.
- `case.env` (optional): NAME=value lines, set for the plan run (after the seed apply).
- `args` (optional): extra plan arguments, e.g. `--allow-delete`.
- `plan.txt`, `plan.json`, `plan.md`: expected output of `plan --detailed-exitcode --output ...`.
- `exit`: the expected exit code.

Volatile values are normalised before comparing (`normalise`): `created_at` and `expires_at`
become `<time>`, `plan_id` becomes `sha256:<plan-id>`, a connection's fingerprint becomes
`sha256:<fingerprint>` (it covers the GUID the tenant mints at random when the seed creates the
connection), and the temporary project directory (it appears in the target identity,
`local:<dir>/.syncspec/tenant.db`) becomes `<project>`. Everything else (metadata digest,
connector and sync priority fingerprints, steps) is deterministic and compared as is.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from syncspec.cli.main import main
from syncspec.embedded.tenant.agent import InProcessAgent
from syncspec.embedded.tenant.engine import Tenant
from syncspec.model.enums import ErpActorType

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "tests" / "cases" / "plan"
PASSWORD = "demo-password"
FINGERPRINT_KEY = "plan-golden-key"
TENANT = Path(".syncspec") / "tenant.db"

PROJECT_YAML = """\
kind: Project
config_dir: connections
default_environment: local
state: {backend: local}
environments:
  local:
    target: {type: local, path: .syncspec/tenant.db}
    vars:
      erp_server: https://erp.example.com
"""

# Variables that change what plan does; a developer's shell must not leak into a run.
AMBIENT = (
    "SYNCSPEC_ENV",
    "SYNCSPEC_TRACEBACK",
    "NO_COLOR",
    "DEMO_ERP_PASSWORD",
    "SYNCSPEC_FINGERPRINT_KEY",
    "SYNCSPEC_PLAN_KEY",
)

_TIME = re.compile(r'("(?:created_at|expires_at)": )"[^"]*"')
_CONNECTION_FINGERPRINT = re.compile(r'("connection\.[^"]+": )"sha256:[0-9a-f]{64}"')


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if p.is_dir()) if CASES.is_dir() else []


def fixed_environment(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The variables every run gets: the demo password, a fixed fingerprint key, a private XDG dir."""
    for name in AMBIENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DEMO_ERP_PASSWORD", PASSWORD)
    monkeypatch.setenv("SYNCSPEC_FINGERPRINT_KEY", FINGERPRINT_KEY)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(workdir / "xdg"))


def new_project(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project (syncspec.yaml only) in `workdir`, which becomes the working directory."""
    project = workdir / "project"
    project.mkdir()
    (project / "syncspec.yaml").write_text(PROJECT_YAML, encoding="utf-8")
    fixed_environment(workdir, monkeypatch)
    monkeypatch.chdir(project)
    return project


def use_config(project: Path, config: Path) -> None:
    """Make `config` (a directory of YAML files) the project's `connections/`."""
    target = project / "connections"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(config, target)


def run(args: Sequence[str], capsys: pytest.CaptureFixture[str]) -> Run:
    """`syncspec ARGS` in this process; stdout and stderr captured separately."""
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return Run(code, captured.out, captured.err)


def apply_config(project: Path, config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    use_config(project, config)
    # one connection at a time, so the tenant mints the same ids in every run (goldens show them)
    result = run(["apply", "--auto-approve", "--parallelism", "1"], capsys)
    assert result.code == 0, result.out + result.err


def prepare_case(
    case: Path, workdir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    """Seed, outside edits, desired config and variables of `case`; returns the project directory."""
    project = new_project(workdir, monkeypatch)
    if (case / "seed").is_dir():
        apply_config(project, case / "seed", capsys)
    outside = case / "outside.json"
    if outside.exists():
        edit_outside(project / TENANT, json.loads(outside.read_text(encoding="utf-8")))
    use_config(project, case / "desired")
    for name, value in read_env_file(case / "case.env").items():
        monkeypatch.setenv(name, value)
    return project


def case_args(case: Path) -> list[str]:
    args_file = case / "args"
    return args_file.read_text(encoding="utf-8").split() if args_file.exists() else []


def read_env_file(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    pairs: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            pairs[name.strip()] = value
    return pairs


def normalise(text: str, project: Path) -> str:
    """Replace the values that differ between runs (see the module docstring)."""
    text = _TIME.sub(r'\1"<time>"', text)
    text = re.sub(r'("plan_id": )"sha256:[0-9a-f]{64}"', r'\1"sha256:<plan-id>"', text)
    text = _CONNECTION_FINGERPRINT.sub(r'\1"sha256:<fingerprint>"', text)
    for spelling in {str(project.resolve()), str(project)}:
        text = text.replace(spelling, "<project>")
    return text


# --- edits outside syncspec ---------------------------------------------------------------


_DIRECTIONS = {"none": (False, False), "to-crm": (True, False), "to-erp": (False, True), "both": (True, True)}


def edit_outside(tenant_path: Path, edits: Sequence[Mapping[str, Any]]) -> None:
    """Run the declarative `edits` against the tenant file through the agent (see module docstring)."""
    tenant = Tenant.open(tenant_path)
    try:
        agent = InProcessAgent(tenant)
        for edit in edits:
            _edit(agent, edit)
    finally:
        tenant.close()


def _connection_id(agent: InProcessAgent, name: str) -> int:
    for connection in agent.get_all_connections(include_deleted=False):
        if connection.display_name == name:
            return connection.erp_connection_id
    raise AssertionError(f"outside.json: no connection named {name!r}")


def _edit(agent: InProcessAgent, edit: Mapping[str, Any]) -> None:
    op = edit["op"]
    cid = _connection_id(agent, edit["connection"])
    if op == "set_active":
        if agent.get_connection(cid).active != edit["active"]:
            assert agent.toggle_erp_connection_active(cid) == []
        return
    was_active = agent.get_connection(cid).active
    if was_active:
        assert agent.toggle_erp_connection_active(cid) == []
    if op == "set_description":
        connection = agent.get_connection(cid)
        agent.save_connection(connection.model_copy(update={"display_description": edit["description"]}))
    elif op == "set_field":
        _set_field(agent, cid, edit)
    elif op == "move_field":
        actor = ErpActorType(edit["actor"])
        agent.move_erp_field_item(_field_id(agent, cid, actor, edit["field"]), edit["direction"], cid, actor)
    elif op == "set_default":
        field_id = _field_id(agent, cid, ErpActorType(edit["actor"]), edit["field"])
        current = agent.get_default_value_info(field_id)
        update: dict[str, Any] = {}
        if "value" in edit:
            update["has_first_sync_default_value"] = edit["value"] is not None
            update["first_sync_default_value"] = edit["value"] or ""
        if "prompt" in edit:
            update["prompt_user"] = edit["prompt"]
        if "mandatory" in edit:
            update["mandatory"] = edit["mandatory"]
        agent.save_default_value_info(current.model_copy(update=update))
    else:
        raise AssertionError(f"outside.json: unknown op {op!r}")
    if was_active:
        assert agent.toggle_erp_connection_active(cid) == []


def _field_id(agent: InProcessAgent, cid: int, actor: ErpActorType, key: str) -> int:
    mapping = agent.get_actor_type_mapping(cid, actor)
    for field in mapping.field_mappings:
        if field.erp_field_key == key:
            return field.erp_field_id
    raise AssertionError(f"outside.json: {actor.value} has no field {key!r}")


def _set_field(agent: InProcessAgent, cid: int, edit: Mapping[str, Any]) -> None:
    actor = ErpActorType(edit["actor"])
    mapping = agent.get_actor_type_mapping(cid, actor)
    fields = []
    for field in mapping.field_mappings:
        if field.erp_field_key == edit["field"]:
            update: dict[str, Any] = {}
            if "crm" in edit:
                update["crm_field_key"] = edit["crm"]
            if "direction" in edit:
                update["sync_to_crm"], update["sync_to_erp"] = _DIRECTIONS[edit["direction"]]
            if "show_in_search" in edit:
                update["show_in_search"] = edit["show_in_search"]
            if "show_in_tab" in edit:
                update["show_in_gui"] = edit["show_in_tab"]
            field = field.model_copy(update=update)
        fields.append(field)
    agent.save_actor_type_mapping(mapping.model_copy(update={"field_mappings": fields}))


# --- generated configurations ---------------------------------------------------------------

# The seed most cases share: one active connection `main`, Customer mapped, a list, a default,
# a ranking. The CLI tests start from it too.
BASE_CONFIG = CASES / "no-change" / "seed"


def write_branch_connections(config_dir: Path, count: int) -> None:
    """`count` more active connections (`erp-01`...) with Customer mappings, list, defaults, ranking.

    They map only two-way fields, and no CRM field the base project maps one way, so no rule
    forbids many connections mapping the same CRM field (SS307, `AlreadyMapped`).
    """
    for number in range(1, count + 1):
        name = f"erp-{number:02d}"
        folder = config_dir / name
        folder.mkdir(parents=True)
        head = f"connection: {name}\nactor: Customer\n"
        (folder / "connection.yaml").write_text(
            f"kind: Connection\nname: {name}\nconnector: demo-erp\n"
            f"description: DemoERP client 1001, branch {number}\nactive: true\naccess: everyone\n"
            "config:\n  server: ${var:erp_server}\n  client: 1001\n  user: sync\n"
            "  password: ${env:DEMO_ERP_PASSWORD}\nactors:\n  Customer: {sync: true}\n",
            encoding="utf-8",
        )
        (folder / "customer.mappings.yaml").write_text(
            f"kind: FieldMappings\n{head}fields:\n"
            "  CUSTNO: {show_in_tab: true}\n"
            "  NAME: {crm: contact.name, direction: both, show_in_search: true}\n"
            "  PHONE: {crm: contact.phone, direction: both}\n"
            "  EMAIL: {crm: contact.email, direction: both}\n"
            "  URL: {crm: contact.url, direction: both}\n"
            "  CURRENCY: {crm: contact.business, direction: both}\n"  # mandatory: needs a direction
            "  COUNTRY: {crm: contact.country, direction: both}\n"
            "  BALANCE: {show_in_tab: true}\n",
            encoding="utf-8",
        )
        (folder / "customer.lists.yaml").write_text(
            f"kind: ListMappings\n{head}field: COUNTRY\nitems:\n  'NO': Norway\n  SE: Sweden\n  GB: null\n",
            encoding="utf-8",
        )
        (folder / "customer.defaults.yaml").write_text(
            f"kind: Defaults\n{head}fields:\n"
            "  CURRENCY: {value: NOK}\n  PAYTERMS: {value: 30D, prompt: true}\n",
            encoding="utf-8",
        )
        (folder / "customer.ranking.yaml").write_text(
            f"kind: Ranking\n{head}order: [BALANCE, NAME, CUSTNO]\n", encoding="utf-8"
        )
