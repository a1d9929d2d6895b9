"""The documentation: the guides' examples run, and the site builds offline without warnings.

The cookbook and quickstart are executed as doctests (every ``>>>`` line, its printed answer
compared), so an answer that the data or the library no longer give fails here. The Sphinx
build runs on a copy of ``docs/`` (autosummary writes its stubs beside the sources) with
``-W --keep-going``, then the reference is checked to hold every public module and function.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import ukcyber
from helpers import REPO

DOCS = REPO / "docs"
EXAMPLES = ["guides/cookbook.md", "guides/quickstart.md"]
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@pytest.mark.parametrize("page", EXAMPLES)
def test_guide_examples_run_and_give_the_answers_shown(page):
    result = doctest.testfile(str(DOCS / page), module_relative=False, optionflags=FLAGS)
    assert result.attempted >= 5, f"{page} has too few examples to be a guide"
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples of {page} failed"


def public_modules() -> list[str]:
    names = ["ukcyber"]
    for info in pkgutil.walk_packages(ukcyber.__path__, "ukcyber."):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.append(info.name)
    return sorted(names)


def public_functions(module_name: str) -> list[str]:
    module = importlib.import_module(module_name)
    return [
        f"{module_name}.{name}"
        for name, obj in vars(module).items()
        if not name.startswith("_") and inspect.isfunction(obj) and obj.__module__ == module_name
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("docs")
    source = root / "docs"
    shutil.copytree(DOCS, source, ignore=shutil.ignore_patterns("_build", "generated"))
    out = root / "html"
    run = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html"]
        + [str(source), str(out)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    assert run.stderr.strip() == "", run.stderr[-4000:]
    return out


def inventory(out: Path) -> set[str]:
    from sphinx.util.inventory import InventoryFile

    with open(out / "objects.inv", "rb") as fh:
        data = InventoryFile.load(fh, "", lambda base, uri: uri)
    return (
        {name for kind in data.values() for name in kind}
        if isinstance(data, dict)
        else {
            item.name
            for item in data  # type: ignore[attr-defined]
        }
    )


@pytest.mark.docs
def test_docs_build_offline_without_warnings_and_reference_everything(built):
    names = inventory(built)
    modules = public_modules()
    assert {"ukcyber.evidence", "ukcyber.findings.sector", "ukcyber.build.run"} <= set(modules)
    missing = [m for m in modules if m not in names]
    assert not missing, f"modules missing from the reference: {missing}"
    functions = [f for m in modules for f in public_functions(m)]
    assert "ukcyber.evidence.series" in functions
    missing = [f for f in functions if f not in names]
    assert not missing, f"functions missing from the reference: {missing[:20]}"


@pytest.mark.docs
def test_docs_pages_load_nothing_from_outside(built):
    for page in built.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for attr in ('src="http', 'href="http'):
            for chunk in text.split(attr)[1:]:
                url = "http" + chunk.split('"', 1)[0]
                assert not url.endswith((".js", ".css")), f"{page.name} loads {url}"


@pytest.mark.docs
def test_guides_are_in_the_navigation(built):
    index = (built / "index.html").read_text(encoding="utf-8")
    guides = sorted(p.stem for p in (DOCS / "guides").glob("*.md"))
    assert {"quickstart", "cookbook", "notebooks", "figures", "building", "bad-inputs"} <= set(
        guides
    )
    for guide in guides:
        assert f'href="guides/{guide}.html"' in index, f"{guide} is not in the navigation"
