from __future__ import annotations

from pathlib import Path

from syncspec.spec.projects import owning_projects


def _project(root: Path, config_dir: str = "connections") -> Path:
    (root / config_dir).mkdir(parents=True)
    (root / config_dir / "a.yaml").write_text("kind: Connector\nname: x\nurl: plugin://demo\n")
    project = root / "syncspec.yaml"
    project.write_text(
        f"kind: Project\nconfig_dir: {config_dir}\nenvironments: {{local: {{target: {{type: local}}}}}}\n"
    )
    return project


def test_files_choose_their_nearest_project_and_other_yaml_none(tmp_path: Path) -> None:
    top = _project(tmp_path)
    crm = _project(tmp_path / "infra" / "crm", "config")
    (tmp_path / ".github").mkdir()
    workflow = tmp_path / ".github" / "ci.yml"
    workflow.write_text("on: push\n")
    stray = tmp_path / "infra" / "crm" / "notes.yaml"  # in the crm project, outside its config_dir
    stray.write_text("x: 1\n")
    assert owning_projects([workflow, stray, tmp_path / ".pre-commit-config.yaml"]) == []
    assert owning_projects([tmp_path / "connections" / "a.yaml"]) == [top.resolve()]
    assert owning_projects([crm, tmp_path / "infra" / "crm" / "config" / "a.yaml", top]) == sorted(
        [top.resolve(), crm.resolve()]
    )


def test_files_outside_every_project_choose_none(tmp_path: Path) -> None:
    loose = tmp_path / "loose.yaml"
    loose.write_text("kind: Connector\n")
    assert owning_projects([loose]) == []
