"""The no-op shortcut: nothing changed, so nothing is done, decided before anything heavy.

Finding out that nothing changed used to cost a build 0.6 s, most of it importing pandas,
pydantic, Jinja and jupyter_client. So a build that leaves every report current (none failed,
none out of date, and a plan made now would run none) writes ``reports/.build-stamp.json``:

- ``inputs``: :meth:`~ukcyber.build.inputs.BuildInputs.key` of the inputs as that build read
  them when it *started* (so an edit made while it ran is never mistaken for built), the other
  project files its reports read included (``files``);
- ``outputs``: the path, size and modification time of every file in ``reports/``;
- ``reports``: what the build's summary lists (every report, unchanged).

``ukcyber build`` without ``--force``, ``--only``, ``-p``, ``--scheduler`` or ``--dry-run``
first takes the build lock and recomputes both (standard library only). When both match it
prints the summary and exits 0, writing nothing: the site stays exactly as the last build left
it. Anything else takes the full path, which checks and decides as it always did. Every full
build deletes the stamp as soon as it holds the lock, so a build that fails or stops half way
leaves none.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from ukcyber.atomic import atomic_write
from ukcyber.build.inputs import BuildInputs, files_under, kernel_candidates
from ukcyber.build.lock import LOCK_NAME, PID_NAME, build_lock
from ukcyber.build.options import BuildOptions
from ukcyber.paths import data_dir

STAMP = ".build-stamp.json"
STAMP_VERSION = 2


@dataclass(frozen=True)
class Unchanged:
    """One report of a build that found nothing to do (what the summary table prints)."""

    key: str
    ad_hoc: bool = False
    status: str = "skipped"
    seconds: float = 0.0
    pdf: str = ""
    error: str = ""


def pdf_wanted(options: BuildOptions) -> bool:
    """Whether PDFs will be printed: asked for, and Chromium installed."""
    return options.pdf and bool(shutil.which("chromium") or shutil.which("chromium-browser"))


def build_inputs(options: BuildOptions, candidates: list[str]) -> BuildInputs:
    """Read the inputs of a build with these options (raises OSError if unreadable)."""
    return BuildInputs.collect(
        Path(options.project),
        data_dir(),
        kernel=options.kernel,
        kernels=options.kernels,
        show_code=options.show_code,
        pdf=pdf_wanted(options),
        candidates=candidates,
    )


def outputs_key(reports: Path) -> str:
    """Give a hash of the path, size and modification time of every file in ``reports/``.

    The lock, its pid file and the stamp are left out.
    """
    digest = hashlib.sha256()
    for file in files_under(reports):
        name = file.relative_to(reports).as_posix()
        if name in {STAMP, LOCK_NAME, PID_NAME}:
            continue
        info = file.stat()
        digest.update(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def remove(reports: Path) -> None:
    """Delete the stamp (first thing a full build does under the lock)."""
    (reports / STAMP).unlink(missing_ok=True)


def write(
    reports: Path,
    inputs: BuildInputs,
    candidates: list[str],
    files: list[str],
    unchanged: list[Unchanged],
) -> None:
    """Record that ``reports/`` is current for ``inputs`` (last thing a full build does)."""
    stamp = {
        "version": STAMP_VERSION,
        "inputs": inputs.key(files),
        "kernel_candidates": candidates,
        "files": files,
        "reports": [[row.key, row.ad_hoc] for row in unchanged],
    }
    stamp["outputs"] = outputs_key(reports)  # after every other write of the build
    atomic_write(reports / STAMP, json.dumps(stamp, indent=1) + "\n")


def unchanged(options: BuildOptions) -> list[Unchanged] | None:
    """Give the reports, all unchanged, when the stamp proves nothing changed; else ``None``.

    Holds the build lock while it looks (another build running is the same
    :class:`~ukcyber.errors.BuildError` as on the full path).
    """
    reports = options.reports_dir
    if not (reports / STAMP).is_file():
        return None
    with build_lock(reports, options.wait):
        try:
            stamp = json.loads((reports / STAMP).read_text(encoding="utf-8"))
            if stamp.get("version") != STAMP_VERSION:
                return None
            candidates = [str(c) for c in stamp["kernel_candidates"]]
            inputs = build_inputs(options, candidates)
            if inputs.key([str(f) for f in stamp["files"]]) != stamp["inputs"]:
                return None
            if outputs_key(reports) != stamp["outputs"]:
                return None
            return [Unchanged(str(key), bool(ad_hoc)) for key, ad_hoc in stamp["reports"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None  # unreadable stamp or project: the full path looks and says why


__all__ = ["STAMP", "Unchanged", "kernel_candidates", "outputs_key", "remove", "unchanged", "write"]
