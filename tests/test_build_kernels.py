"""Kernels started ahead: one report never sees another's state, and a crash fails it alone.

Every test builds with one worker, so all reports run one after the other in the same worker
process (each notebook prints its kernel's parent process, and the test checks they match).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_build import notebook
from ukcyber.build import build

pytestmark = pytest.mark.kernel

WHO = "import os\nprint('worker', os.getppid())\n"

POLLUTE = WHO + (
    "import pandas as pd\n"
    "import plotly.io as pio\n"
    "from ukcyber import charts, data  # charts registers the ukcyber template\n"
    "leaked = 'from the first report'\n"
    "pd.set_option('display.max_rows', 3)\n"
    "pio.templates.default = 'plotly_dark'\n"
    "pio.templates['ukcyber'].layout.font.size = 99\n"
    "data.load = None\n"
    "os.environ['UKCYBER_LEAK'] = '1'\n"
)
CHECK = WHO + (
    "import pandas as pd\n"
    "import plotly.io as pio\n"
    "from ukcyber import charts, data  # charts registers the ukcyber template\n"
    "assert 'leaked' not in globals(), 'a variable leaked'\n"
    "assert pd.get_option('display.max_rows') == 60, pd.get_option('display.max_rows')\n"
    "assert pio.templates.default != 'plotly_dark', pio.templates.default\n"
    "assert pio.templates['ukcyber'].layout.font.size != 99, 'a template change leaked'\n"
    "assert callable(data.load), 'a monkeypatch leaked'\n"
    "assert 'UKCYBER_LEAK' not in os.environ\n"
    "print('clean')\n"
)


def project(folder: Path, reports: list[tuple[str, str]]) -> Path:
    toml = ""
    for name, code in reports:
        notebook(folder / "notebooks" / f"{name}.ipynb", code)
        toml += f'[[report]]\nnotebook = "{name}"\n\n'
    (folder / "reports.toml").write_text(toml)
    return folder


def outputs(folder: Path, name: str) -> str:
    cells = json.loads((folder / "reports" / name / "default.ipynb").read_text())["cells"]
    return "".join("".join(o.get("text", "")) for c in cells for o in c.get("outputs", []))


def worker_of(folder: Path, name: str) -> str:
    return outputs(folder, name).split("worker ")[1].split()[0]


def test_no_state_of_one_report_reaches_the_next(tmp_path):
    folder = project(tmp_path, [("first", POLLUTE), ("second", CHECK)])
    results = {r.key: r for r in build(folder, jobs=1, progress=False)}
    assert {k: r.status for k, r in results.items()} == {
        "first/default": "ok",
        "second/default": "ok",
    }, results["second/default"].error
    assert "clean" in outputs(folder, "second")
    assert worker_of(folder, "first") == worker_of(folder, "second")


def test_a_report_that_kills_its_kernel_fails_alone(tmp_path):
    crash = WHO + "os._exit(1)"
    reports = [("first", WHO), ("crash", crash), ("after", CHECK), ("last", WHO)]
    folder = project(tmp_path, reports)
    results = {r.key: r for r in build(folder, jobs=1, progress=False)}
    assert {k: r.status for k, r in results.items()} == {
        "first/default": "ok",
        "crash/default": "failed",
        "after/default": "ok",
        "last/default": "ok",
    }
    assert "dead" in results["crash/default"].error.lower()
    assert worker_of(folder, "first") == worker_of(folder, "after") == worker_of(folder, "last")
