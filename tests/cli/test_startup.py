"""Start-up stays cheap: what `--help` and a pre-commit `validate` import (bench/README.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from syncspec.targets import factory
from syncspec.workspace import metadata_source as semantic

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("httpx", "jsonschema", "pydantic", "ruamel.yaml", "sqlite3", "starlette", "uvicorn")

PROBE = """
import json, sys
from syncspec.cli.main import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(m for m in sys.modules if "." not in m)}))
"""


def _imported(args: list[str], cwd: Path) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )
    last = done.stdout.strip().splitlines()[-1]
    result = json.loads(last)
    return result["code"], set(result["modules"])


def test_help_imports_nothing_heavy(tmp_path: Path) -> None:
    code, modules = _imported(["--help"], tmp_path)
    assert code == 0
    assert not modules & {h.split(".")[0] for h in HEAVY}


def test_validate_of_a_lone_file_builds_no_models(tmp_path: Path) -> None:
    (tmp_path / "connectors.yaml").write_text("kind: Connector\nname: demo-erp\nurl: plugin://demo\n")
    code, modules = _imported(["validate", "connectors.yaml"], tmp_path)
    assert code == 0
    assert not modules & {h.split(".")[0] for h in HEAVY}


def test_validate_with_a_schema_error_loads_the_precise_validator(tmp_path: Path) -> None:
    (tmp_path / "connectors.yaml").write_text("kind: Connector\nname: demo-erp\nurl: 42\n")
    code, modules = _imported(["validate", "connectors.yaml"], tmp_path)
    assert code == 1
    assert "jsonschema" in modules  # only failing documents pay for the readable error path


def test_semantic_check_knows_the_factory_default_tenant_path() -> None:
    assert semantic.DEFAULT_LOCAL_PATH == factory.DEFAULT_LOCAL_PATH
