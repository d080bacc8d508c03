"""superoffice targets from environment settings: references, errors, and open_target over the emulator."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from syncspec.embedded.tenant import InProcessAgent
from syncspec.model.errors import TargetError
from syncspec.targets.factory import open_target
from syncspec.targets.rest.settings import open_rest_agent, resolve_setting
from tests.differential.helpers import TOKEN, served
from tests.differential.scenarios import seed_script


@dataclass
class Env:
    target: Mapping[str, Any]
    name: str = "prod"
    vars: Mapping[str, object] = field(default_factory=dict)


def no_local(path: Path) -> Any:
    raise AssertionError("a superoffice target must not open a local tenant")


def test_references_resolve_and_missing_ones_are_named_without_values() -> None:
    env = {"SO_TOKEN": "tok-secret"}
    assert resolve_setting("token", "${env:SO_TOKEN}", environment="prod", env=env, vars={}) == "tok-secret"
    assert resolve_setting("url", "https://${var:host}/x", environment="p", env={}, vars={"host": "h"}) == (
        "https://h/x"
    )
    assert resolve_setting("url", "a$${b", environment="p", env={}, vars={}) == "a${b"
    with pytest.raises(TargetError, match="needs the environment variable SO_TOKEN") as info:
        resolve_setting("token", "${env:SO_TOKEN}", environment="prod", env={}, vars={})
    assert "export SO_TOKEN" in info.value.hint
    with pytest.raises(TargetError, match=r"uses \$\{var:host\}, which is not defined"):
        resolve_setting("url", "${var:host}", environment="prod", env={}, vars={})
    with pytest.raises(TargetError, match="must be a string"):
        resolve_setting("token", 5, environment="prod", env={}, vars={})


@pytest.mark.parametrize(
    ("settings", "needle"),
    [
        ({"type": "superoffice"}, "needs a url"),
        ({"type": "superoffice", "url": "https://h", "password": "x"}, "unknown superoffice target settings"),
        ({"type": "superoffice", "url": "mailto:x"}, "must be an http(s) URL"),
        ({"type": "superoffice", "url": "https://h", "ca_bundle": "missing.pem"}, "cannot use the CA bundle"),
    ],
)
def test_bad_settings_are_clear_errors(tmp_path: Path, settings: dict[str, Any], needle: str) -> None:
    with pytest.raises(TargetError) as info:
        open_rest_agent(settings, environment="prod", env={}, root=tmp_path)
    assert needle in info.value.message


def test_open_target_reads_the_tenant_over_http(tmp_path: Path) -> None:
    with served(tmp_path) as (tenant, url):
        seed_script(InProcessAgent(tenant))
        environment = Env(
            {"type": "superoffice", "url": "${var:base}", "token": "${env:SO_TOKEN}"}, vars={"base": url}
        )
        with open_target(
            environment, root=tmp_path, env={"SO_TOKEN": TOKEN}, open_local=no_local, parallelism=4
        ) as target:
            assert target.identity() == f"superoffice:{url}"
            assert TOKEN not in target.identity()
            live = target.read_live()
            assert set(live.connections) == {"visma-norway", "visma-sweden"}
            assert live.connections["visma-norway"].config["password"] == "********"
        wrong = Env({"type": "superoffice", "url": url, "token": "nope"})
        with (
            open_target(wrong, root=tmp_path, env={}, open_local=no_local) as target,
            pytest.raises(TargetError, match="token rejected"),
        ):
            target.read_live()
