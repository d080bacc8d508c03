"""The contract cases cover what syncspec calls, and the divergence table names only real cases."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from syncspec.targets.rest import wire as rest_wire
from tests.contract.contract_cases import load_cases
from tests.contract.known_divergences import INVENTED_WIRE_METHODS, KNOWN_DIVERGENCES, marks

CASES = load_cases()
PACKAGE = Path(__file__).resolve().parents[2] / "syncspec"
API_PATH = re.compile(r"/api/v1/[A-Za-z0-9_/.$-]*")

# The SuperOffice ErpSync methods syncspec calls, or is to call in their place (issue "Real
# SuperOffice tenants"); each has its method page in SuperOfficeDocs/superoffice-docs.
DOCUMENTED_METHODS = (
    "GetAllConnectors",
    "GetErpSyncConnectorEntity",
    "SaveErpSyncConnectorEntity",
    "CreateDefaultErpSyncConnectorEntity",
    "CanDeleteErpSyncConnectorEntity",
    "DeleteErpSyncConnectorEntity",
    "TestConnectorUrl",
    "GetConfigurationFields",
    "GetAllConnections",
    "GetConnection",
    "SaveConnection",
    "DeleteConnection",
    "TestConnectionByConfig",
    "TestConnectionById",
    "ToggleErpConnectionActive",
    "UpdateConnectionFields",
    "GetErpSyncConnectionSummary",
    "GetCrmActorType",
    "GetActorTypeMapping",
    "SaveActorTypeMapping",
    "GetConnectionListMappings",
    "SaveConnectionListMappings",
    "GetDefaultValueInfo",
    "SaveDefaultValueInfo",
    "MoveErpFieldItem",
    "SaveErpConnectionSyncPriorities",
    "GetEngineStatus",
    "ChangeEngineStatus",
    "ChangeEngineInterval",
)


def _success_cases_by_wire_method() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for case in CASES:
        if case.wire_method and not case.is_error:
            found.setdefault(case.wire_method, []).append(case.id)
    return found


def test_every_documented_method_has_a_case() -> None:
    covered = _success_cases_by_wire_method()
    assert [m for m in DOCUMENTED_METHODS if m not in covered] == []


def test_every_wire_method_has_a_case_unless_invented() -> None:
    covered = _success_cases_by_wire_method()
    missing = [
        m.name for m in rest_wire.METHODS if m.name not in covered and m.name not in INVENTED_WIRE_METHODS
    ]
    assert missing == [], "rest_wire methods with no contract case (write one from the method page)"


# Reads syncspec once invented and SuperOffice does not have: a real tenant answers them 404.
# Their documented replacements are the ErpField archive and the MDO lists (docs/rest.md).
REMOVED_INVENTIONS = (
    "GetAssociates",
    "GetCrmFields",
    "GetCrmLists",
    "GetErpConnectionSyncPriorities",
    "GetErpFieldRanks",
    "GetErpListItems",
    "GetUserGroups",
)


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, id=n, marks=marks("wire", n))
        for n in sorted({*INVENTED_WIRE_METHODS, *REMOVED_INVENTIONS})
    ],
)
def test_invented_method_is_gone_from_the_wire_table(name: str) -> None:
    assert name not in rest_wire.BY_NAME


def _api_paths_in_source() -> list[tuple[str, str]]:
    """Every REST path named in a string of the client layer (syncspec/targets), with its file.

    Docstrings are skipped: they describe paths, they do not call them.
    """
    found = []
    for path in sorted((PACKAGE / "targets").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                for literal in API_PATH.findall(node.value):
                    found.append((str(path.relative_to(PACKAGE.parent)), literal))
    return found


def test_every_endpoint_named_in_the_source_has_a_case() -> None:
    # Paths in URLs are compared case-insensitively (IIS does); the request tests compare exactly.
    case_paths = [case.request["path"].lower() for case in CASES]
    uncovered = [
        (where, literal)
        for where, literal in _api_paths_in_source()
        if not any(p.startswith(literal.lower()) or literal.lower().startswith(p) for p in case_paths)
    ]
    assert uncovered == [], "REST paths syncspec calls with no contract case"


def test_agent_cases_post_to_their_method() -> None:
    wrong = [
        c.id
        for c in CASES
        if c.wire_method and c.endpoint != ("POST", f"{rest_wire.AGENT_PATH}{c.wire_method}")
    ]
    assert wrong == []


def test_cases_name_their_source_and_what_they_reshaped() -> None:
    for case in CASES:
        assert case.source.startswith(("docs/", "https://docs.superoffice.com/")), case.id
        assert isinstance(case.data.get("reshaped"), list), case.id
        assert {"method", "path", "query", "body"} <= set(case.request), case.id
        assert {"status", "body"} <= set(case.response), case.id
        assert {"method", "args"} <= set(case.call), case.id


def test_every_divergence_entry_names_a_case_or_an_invented_method() -> None:
    ids = {c.id for c in CASES}
    stale = [
        key
        for key in KNOWN_DIVERGENCES
        if not (key[0] in ("client", "emulator") and key[1] in ids)
        and not (key[0] == "wire" and key[1] in INVENTED_WIRE_METHODS)
    ]
    assert stale == []
