"""Kernel side of the build's record: every table and project file a report reads.

A report depends on more than its notebook: the data tables it loads, and any other file of the
project it opens or imports (a CSV read with pandas, a helper module beside the notebook). The
build loads this module into each report's kernel as an IPython extension
(:data:`KERNEL_ARGUMENT`), before the first cell runs. It installs an audit hook
(:func:`sys.addaudithook`) that sees

- every ``open`` of a file for reading under the project or the data folder (imports included:
  a module's source, or its ``__pycache__`` file, which stands for the source), and
- every ``ukcyber.data.read`` event (the loader's record of a table read by name).

Opens made by the data loader itself (``ukcyber.data`` reading and fingerprinting the package)
are left to its own table events, so a report that loads one table depends on that table only.
Each new name is appended at once, one JSON object a line, to the file the build named in
``$UKCYBER_RECORD`` (so a kernel killed at a timeout still leaves what it read), and the worker
reads it back as a typed :class:`Record`. Only the standard library is used here: this runs in
every kernel.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

ENV = "UKCYBER_RECORD"
"""Environment variable holding the :class:`RecordSpec` of a kernel, as JSON."""
KERNEL_ARGUMENT = f"--IPKernelApp.extensions={__name__}"
"""The kernel command-line argument that loads this module into a kernel."""
TABLE_EVENT = "ukcyber.data.read"
"""The audit event :mod:`ukcyber.data` raises with the names of the tables a notebook reads."""
LOADERS = frozenset({"ukcyber.data", "ukcyber.datapackage", "ukcyber.csv_problems"})
"""Modules whose reads of the data folder are recorded as tables by :data:`TABLE_EVENT`."""
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


@dataclass(frozen=True)
class RecordSpec:
    """Where a kernel writes its record and which folders count as the project's."""

    path: str
    """The record file (JSON lines, appended)."""
    project: str
    """The project folder (``reports.toml``, ``notebooks/``)."""
    data: str
    """The data folder (it may lie outside the project)."""
    ignore: tuple[str, ...] = ()
    """Folders under those two whose files are not inputs (the reports folder, the cache)."""

    def to_env(self) -> str:
        """Give the spec as the value of :data:`ENV`."""
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls, text: str) -> RecordSpec:
        """Read a spec from the value of :data:`ENV`."""
        raw = json.loads(text)
        return cls(raw["path"], raw["project"], raw["data"], tuple(raw.get("ignore", ())))


@dataclass(frozen=True)
class Record:
    """What one report's kernel read: table names, and absolute paths of other files."""

    started: bool = False
    """Whether the recorder ran in the kernel at all (else nothing below can be trusted)."""
    tables: tuple[str, ...] = ()
    files: tuple[str, ...] = field(default=())


def read_record(path: str) -> Record:
    """Read the record a kernel wrote to ``path`` (an empty, not started record if none)."""
    tables: set[str] = set()
    files: set[str] = set()
    started = False
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return Record()
    for line in lines:
        try:
            item = json.loads(line)
        except ValueError:
            continue  # a line cut short by a killed kernel
        started = started or bool(item.get("started"))
        if isinstance(item.get("table"), str):
            tables.add(item["table"])
        if isinstance(item.get("file"), str):
            files.add(item["file"])
    return Record(started, tuple(sorted(tables)), tuple(sorted(files)))


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class Recorder:
    """The audit hook: decides what counts and appends each new name to the record file."""

    def __init__(self, spec: RecordSpec) -> None:
        self.spec = spec
        self.roots = [os.path.realpath(spec.project), os.path.realpath(spec.data)]
        library = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
        ignored = [*spec.ignore, library, sys.prefix, sys.base_prefix, os.path.dirname(spec.path)]
        self.ignored = [os.path.realpath(p) for p in ignored]
        self.seen: set[tuple[str, str]] = set()
        self.busy = threading.local()
        self._write({"started": True})

    def _write(self, item: dict[str, str | bool]) -> None:
        with open(self.spec.path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(item) + "\n")

    def _note(self, kind: str, name: str) -> None:
        if (kind, name) not in self.seen:
            self.seen.add((kind, name))
            self._write({kind: name})

    def _counts(self, path: str) -> str | None:
        """Give the source path ``path`` stands for, if it is a project input, else ``None``."""
        full = os.path.realpath(path)
        if "__pycache__" in full:
            try:
                full = importlib.util.source_from_cache(full)
            except ValueError:
                return None
        if not any(_under(full, root) for root in self.roots):
            return None
        if any(_under(full, folder) for folder in self.ignored):
            return None
        if _under(full, self.roots[1]) and _loader_is_reading():
            return None
        return full

    def __call__(self, event: str, args: tuple[Any, ...]) -> None:
        """Record a data table read, or a project file opened (the audit hook's entry point)."""
        if event == TABLE_EVENT:
            for name in args:
                self._note("table", str(name))
            return
        if event != "open" or getattr(self.busy, "on", False):
            return
        path, mode, flags = args
        if isinstance(path, int) or _writes(mode, flags):
            return
        self.busy.on = True
        try:
            found = self._counts(os.fsdecode(path))
            if found is not None:
                self._note("file", found)
        finally:
            self.busy.on = False


def _writes(mode: str | None, flags: int) -> bool:
    if mode is not None:
        return any(c in mode for c in "wax+")
    return bool(flags & WRITE_FLAGS)


def _loader_is_reading() -> bool:
    """Whether the data loader is on the stack (its reads are recorded as tables)."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_globals.get("__name__") in LOADERS:
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


def load_ipython_extension(ipython: object) -> None:
    """Install the recorder in this kernel (IPython calls this when it loads the extension)."""
    text = os.environ.get(ENV)
    if text:
        sys.addaudithook(Recorder(RecordSpec.from_env(text)))
