"""The distribution is ours on the registry: its own name, a licence, and a README that renders there."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DISTRIBUTION = "superoffice-syncspec"


def _pyproject() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_distribution_name_is_not_the_unrelated_syncspec_on_pypi() -> None:
    project = _pyproject()["project"]
    assert isinstance(project, dict)
    assert project["name"] == DISTRIBUTION
    # the command stays `syncspec`; `syncspec-validate` is the lean pre-commit entry (no click)
    assert project["scripts"] == {
        "syncspec": "syncspec.cli.main:entry_point",
        "syncspec-validate": "syncspec.cli.validate_hook:entry_point",
    }


def test_every_install_instruction_names_our_distribution() -> None:
    """`pip install syncspec` would fetch another project that also installs a `syncspec` script."""
    texts = [ROOT / "README.md", *(ROOT / "docs").rglob("*.md"), *(ROOT / "docs").rglob("*.yml")]
    texts += [p for p in (ROOT / "action.yml", ROOT / ".pre-commit-hooks.yaml") if p.exists()]
    wrong = re.compile(r"pip install(?: -[-\w]+)* ['\"]?syncspec\b(?!-)")
    offenders = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in texts for m in wrong.finditer(p.read_text())]
    assert offenders == []


def test_installed_metadata_has_what_a_registry_page_needs() -> None:
    meta = metadata.metadata(DISTRIBUTION)
    assert meta["License-Expression"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    urls = dict(url.split(", ", 1) for url in meta.get_all("Project-URL") or [])
    assert {"Homepage", "Documentation", "Source", "Issues"} <= set(urls)
    classifiers = meta.get_all("Classifier") or []
    assert "Typing :: Typed" in classifiers
    assert any(c.startswith("Programming Language :: Python :: 3.11") for c in classifiers)
    assert "superoffice" in (meta["Keywords"] or "")


def test_built_wheel_and_sdist_pass_twine_check(tmp_path: Path) -> None:
    """The real build and `twine check --strict`: the README renders on the registry, with its
    relative links rewritten to the repository (a registry page has no docs/ beside it)."""
    built = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=540,
        check=False,
    )
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    wheel_path, sdist_path = sorted(tmp_path.iterdir(), key=lambda p: p.suffix != ".whl")
    assert wheel_path.suffix == ".whl" and sdist_path.name.endswith(".tar.gz")
    artifacts = [wheel_path, sdist_path]
    checked = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, artifacts)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("PASSED") == 2
    with zipfile.ZipFile(wheel_path) as wheel:
        names = wheel.namelist()
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        description = wheel.read(meta_name).decode()
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert any(n.startswith("syncspec/_schemas/") for n in names)
    assert "](docs/" not in description
    assert "](https://github.com/syncspec/syncspec/blob/main/docs/fleet.md)" in description
