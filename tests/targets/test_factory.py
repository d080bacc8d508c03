from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from syncspec.model.errors import TargetError
from syncspec.targets.factory import local_tenant_path, open_target, tenant_identity
from syncspec.workspace.tenant_open import open_local_tenant


@dataclass(frozen=True)
class Env:
    name: str = "test"
    target: Mapping[str, Any] = field(default_factory=dict)


def test_local_target_is_created_and_seeded_with_a_note(tmp_path: Path) -> None:
    notes: list[str] = []
    target = open_target(Env(), root=tmp_path, env={}, open_local=open_local_tenant, note=notes.append)
    try:
        path = (tmp_path / ".syncspec" / "tenant.db").resolve()
        assert path.is_file()
        assert target.identity() == f"local:{path}"
        assert notes == [f"created a new local tenant at {path} (seeded with the standard CRM catalogue)"]
        metadata = target.read_metadata()
        assert "contact.name" in metadata.crm_fields and "ANNA" in metadata.users
        assert metadata.connections == {}
    finally:
        target.close()
    # opening it again: the same identity, no note
    notes.clear()
    again = open_target(Env(), root=tmp_path, env={}, open_local=open_local_tenant, note=notes.append)
    again.close()
    assert again.identity() == target.identity() and notes == []


def test_relative_path_is_under_the_root_and_absolute_is_kept(tmp_path: Path) -> None:
    assert local_tenant_path({"path": "x/t.db"}, root=tmp_path) == (tmp_path / "x" / "t.db").resolve()
    assert local_tenant_path({"path": str(tmp_path / "abs.db")}, root=Path("/nowhere")) == tmp_path / "abs.db"
    assert local_tenant_path({}, root=tmp_path) == (tmp_path / ".syncspec" / "tenant.db").resolve()


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        pytest.param(
            {"type": "superoffice", "url": "https://127.0.0.1/x", "token": "${env:SO_TOKEN}"},
            "needs the environment variable SO_TOKEN",
            id="superoffice-token-unset",
        ),
        pytest.param({"type": "ftp"}, "unknown target type 'ftp'", id="unknown-type"),
        pytest.param({"type": "local", "path": ""}, "non-empty string", id="empty-path"),
        pytest.param({"type": "local", "path": 5}, "non-empty string", id="path-not-string"),
        pytest.param({"type": "local", "path": "."}, "is a directory", id="directory"),
    ],
)
def test_factory_errors(tmp_path: Path, settings: Mapping[str, Any], message: str) -> None:
    with pytest.raises(TargetError) as err:
        open_target(Env(target=settings), root=tmp_path, env={}, open_local=open_local_tenant)
    assert message in err.value.message
    assert err.value.hint


def test_a_file_that_is_not_a_tenant_is_a_target_error(tmp_path: Path) -> None:
    (tmp_path / "junk.db").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(TargetError, match="not a tenant file"):
        open_target(Env(target={"path": "junk.db"}), root=tmp_path, env={}, open_local=open_local_tenant)


def test_unwritable_folder_is_a_target_error(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file where a folder should be", encoding="utf-8")
    with pytest.raises(TargetError, match="cannot open the local tenant"):
        open_target(Env(target={"path": "blocker/t.db"}), root=tmp_path, env={}, open_local=open_local_tenant)


def test_tenant_identity_names_the_tenant_file_without_creating_it(tmp_path: Path) -> None:
    relative = tenant_identity(Env(target={"type": "local", "path": "t/../tenant.db"}), root=tmp_path, env={})
    absolute = tenant_identity(
        Env(target={"path": str(tmp_path / "tenant.db")}), root=tmp_path / "elsewhere", env={}
    )
    assert relative == absolute == f"local:{(tmp_path / 'tenant.db').resolve()}"
    assert not (tmp_path / "tenant.db").exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://online.example.test/Cust123",
        "HTTPS://Online.Example.Test:443/cust123/",
        "https://user@online.example.test/Cust123?x=1#top",
    ],
)
def test_tenant_identity_folds_spellings_of_one_rest_tenant(url: str) -> None:
    settings = {"type": "superoffice", "url": "${env:TENANT_URL}", "token": "${env:NOT_NEEDED}"}
    identity = tenant_identity(Env(target=settings), root=Path("/"), env={"TENANT_URL": url})
    assert identity == "superoffice:https://online.example.test/cust123"


def test_tenant_identity_keeps_distinct_rest_tenants_apart() -> None:
    def identity(url: str) -> str:
        return tenant_identity(Env(target={"type": "superoffice", "url": url}), root=Path("/"), env={})

    assert identity("http://127.0.0.1:8080/Cust1") != identity("http://127.0.0.1:8081/Cust1")
    assert identity("https://127.0.0.1/Cust1") != identity("https://127.0.0.1/Cust2")


def test_tenant_identity_reports_a_missing_url_variable() -> None:
    settings = {"type": "superoffice", "url": "${env:TENANT_URL}"}
    with pytest.raises(TargetError, match="TENANT_URL"):
        tenant_identity(Env(target=settings), root=Path("/"), env={})
