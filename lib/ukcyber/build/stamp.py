"""The no-op shortcut: one hash over every input of the whole build, checked before anything heavy.

Finding out that nothing changed used to cost a build 0.6 s, most of it importing pandas,
pydantic, Jinja and jupyter_client. So a build that leaves every report current (none failed,
none out of date, and a plan made now would skip them all) writes ``reports/.build-stamp.json``:

- ``inputs``: a hash of every input the full check reads, taken when that build *started* (so an
  edit made while it ran is never mistaken for built): ``reports.toml``, every notebook, every
  file of the data folder, the library source, the lock file, the installed distributions, the
  Python version, the kernel's spec file, the options that change pages (kernel, show-code,
  PDFs) and :data:`~ukcyber.build.fingerprint.BUILD_EPOCH`;
- ``outputs``: the path, size and modification time of every file in ``reports/``;
- ``reports``: what the build's summary lists (every report, unchanged).

``ukcyber build`` without ``--force``, ``--only``, ``-p`` or ``--scheduler`` first takes the build
lock and recomputes both (standard library only). When both match it prints the summary and
exits 0, writing nothing: the site stays exactly as the last build left it. Anything else (a
changed byte, a file touched, added or removed in ``reports/``, no stamp) takes the full path,
which checks and decides as it always did. Every full build deletes the stamp as soon as it
holds the lock, so a build that fails or stops half way leaves none.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ukcyber import __version__
from ukcyber.atomic import atomic_write
from ukcyber.build.fingerprint import BUILD_EPOCH, library_digest, lockfile_digest
from ukcyber.build.lock import LOCK_NAME, PID_NAME, build_lock

STAMP = ".build-stamp.json"
STAMP_VERSION = 1
KERNEL_ENV = (
    "JUPYTER_PATH",
    "JUPYTER_DATA_DIR",
    "JUPYTER_CONFIG_DIR",
    "JUPYTER_PREFER_ENV_PATH",
    "JUPYTER_PLATFORM_DIRS",
    "JUPYTER_NO_CONFIG",
    "XDG_DATA_HOME",
    "HOME",
)
"""Environment variables that change where Jupyter finds a kernel spec."""


@dataclass(frozen=True)
class Unchanged:
    """One report of a build that found nothing to do (what the summary table prints)."""

    key: str
    ad_hoc: bool = False
    status: str = "skipped"
    seconds: float = 0.0
    pdf: str = ""
    error: str = ""


def _files(folder: Path) -> Iterator[Path]:
    """Every file under ``folder``, in a stable order (hidden names included)."""
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            yield Path(root, name)


def _distributions() -> list[str]:
    """The installed distributions with their versions (``name-version.dist-info``)."""
    found: set[str] = set()
    for entry in sys.path:
        if entry.endswith("site-packages") and os.path.isdir(entry):
            found.update(n for n in os.listdir(entry) if n.endswith(".dist-info"))
    return sorted(found)


def _kernel_spec(candidates: list[str]) -> str:
    """The first kernel spec file that exists (Jupyter's own search order), with its bytes."""
    for candidate in candidates:
        try:
            return f"{candidate}\n{hashlib.sha256(Path(candidate).read_bytes()).hexdigest()}"
        except OSError:
            continue
    return "<no kernel spec file>"


def kernel_candidates(kernel: str) -> list[str]:
    """Where Jupyter looks for ``kernel``'s spec, in order (needs jupyter_core: full path only)."""
    from jupyter_core.paths import jupyter_path

    return [os.path.join(folder, kernel, "kernel.json") for folder in jupyter_path("kernels")]


def inputs_key(
    project: Path,
    data: Path,
    *,
    kernel: str,
    show_code: bool,
    pdf: bool,
    candidates: list[str],
) -> str:
    """A hash of every input of the build (see the module docstring); raises OSError if the
    project cannot be read (the full path then reports the problem in its own words)."""
    digest = hashlib.sha256()

    def add(label: str, value: str | bytes) -> None:
        raw = value.encode("utf-8", "surrogateescape") if isinstance(value, str) else value
        digest.update(f"{label}\0{len(raw)}\0".encode())
        digest.update(raw)

    add("epoch", str(BUILD_EPOCH))
    add("version", __version__)
    add("python", f"{sys.version}\n{sys.prefix}\n{sys.executable}")
    add("project", str(project))
    add("reports.toml", (project / "reports.toml").read_bytes())
    for notebook in sorted((project / "notebooks").glob("*.ipynb")):
        add(f"notebook:{notebook.name}", notebook.read_bytes())
    add("data", str(data.resolve()))
    for file in _files(data):
        add(f"data:{file.relative_to(data).as_posix()}", file.read_bytes())
    add("library", library_digest())
    add("lockfile", lockfile_digest())
    add("distributions", "\n".join(_distributions()))
    add("options", json.dumps({"kernel": kernel, "show_code": show_code, "pdf": pdf}))
    add("kernel-env", json.dumps({name: os.environ.get(name) for name in KERNEL_ENV}))
    add("kernel-candidates", "\n".join(candidates))
    add("kernel-spec", _kernel_spec(candidates))
    return digest.hexdigest()


def outputs_key(reports: Path) -> str:
    """A hash of the path, size and modification time of every file in ``reports/`` (but the
    lock, its pid file and the stamp)."""
    digest = hashlib.sha256()
    for file in _files(reports):
        name = file.relative_to(reports).as_posix()
        if name in {STAMP, LOCK_NAME, PID_NAME}:
            continue
        info = file.stat()
        digest.update(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def remove(reports: Path) -> None:
    """Delete the stamp (first thing a full build does under the lock)."""
    (reports / STAMP).unlink(missing_ok=True)


def write(reports: Path, inputs: str, candidates: list[str], unchanged: list[Unchanged]) -> None:
    """Record that ``reports/`` is current for ``inputs`` (last thing a full build does)."""
    stamp = {
        "version": STAMP_VERSION,
        "inputs": inputs,
        "kernel_candidates": candidates,
        "reports": [[row.key, row.ad_hoc] for row in unchanged],
    }
    stamp["outputs"] = outputs_key(reports)  # after every other write of the build
    atomic_write(reports / STAMP, json.dumps(stamp, indent=1) + "\n")


def unchanged(
    project: Path,
    reports: Path,
    data: Path,
    *,
    kernel: str,
    show_code: bool,
    pdf: bool,
    wait: float,
) -> list[Unchanged] | None:
    """The reports, all unchanged, when the stamp proves nothing changed; else ``None``.

    Holds the build lock while it looks (another build running is the same
    :class:`~ukcyber.errors.BuildError` as on the full path).
    """
    if not (reports / STAMP).is_file():
        return None
    with build_lock(reports, wait):
        try:
            stamp = json.loads((reports / STAMP).read_text(encoding="utf-8"))
            if stamp.get("version") != STAMP_VERSION:
                return None
            candidates = [str(c) for c in stamp["kernel_candidates"]]
            inputs = inputs_key(
                project, data, kernel=kernel, show_code=show_code, pdf=pdf, candidates=candidates
            )
            if inputs != stamp["inputs"] or outputs_key(reports) != stamp["outputs"]:
                return None
            return [Unchanged(str(key), bool(ad_hoc)) for key, ad_hoc in stamp["reports"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None  # unreadable stamp or project: the full path looks and says why
