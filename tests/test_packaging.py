"""pyproject.toml, environment.yml and requirements.lock agree; notebooks are set up for CI."""

from __future__ import annotations

import json
import re
import tomllib

from helpers import REPO


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[;]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def pyproject_names() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + [
        d for group in project["optional-dependencies"].values() for d in group
    ]
    return {_name(s) for s in specs}


def test_environment_yml_lists_the_same_dependencies():
    lines = (REPO / "environment.yml").read_text().splitlines()
    start = lines.index("dependencies:")
    names = {
        _name(line.strip()[2:])
        for line in lines[start + 1 :]
        if line.startswith("  - ") and not line.strip().startswith(("- python", "- pip"))
    }
    assert names == pyproject_names()


def test_lock_pins_every_dependency_exactly():
    pins = {}
    for line in (REPO / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"requirements.lock: {line!r} is not pinned with =="
            pins[_name(name)] = version
    missing = pyproject_names() - set(pins)
    assert not missing, f"not pinned in requirements.lock: {sorted(missing)}"


def test_notebooks_name_the_project_kernel_and_have_parameters_and_outputs():
    notebooks = sorted((REPO / "notebooks").glob("*.ipynb"))
    assert notebooks
    for path in notebooks:
        nb = json.loads(path.read_text())
        assert nb["metadata"]["kernelspec"]["name"] == "ukcyber", path.name
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert any("parameters" in c["metadata"].get("tags", []) for c in code), path.name
        assert any(c.get("outputs") for c in code), f"{path.name} has no stored outputs"


def test_ci_runs_make_test_only():
    script = (REPO / ".ci" / "run").read_text()
    commands = [
        line for line in script.splitlines() if line and not line.startswith(("#", "set ", "cd "))
    ]
    assert commands == ["make test"]
