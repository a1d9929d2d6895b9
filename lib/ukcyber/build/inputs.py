"""What a build depends on, written down once: the whole build's inputs, and each report's.

:class:`BuildInputs` is read when a build starts, before anything else (standard library only,
so the no-op check can use it before importing anything heavy). Everything else derives from
it:

- the no-op stamp's key (:meth:`BuildInputs.key`): every input of the whole build;
- each report's inputs (:meth:`BuildInputs.report` → :class:`ReportInputs`): its notebook, its
  settings, the tables it read (each table's digest and change date), the other project files
  it read, and what every report shares (library, pinned versions, kernel, ``--show-code``);
- a report's fingerprint (:attr:`ReportInputs.fingerprint`) and the digests recorded in its
  manifest entry (:meth:`ReportInputs.parts`), from which a later build says what changed
  (:func:`changes` for the plan, :func:`reader_reasons` for the page).

Bump :data:`BUILD_EPOCH` to rebuild every report once after a change these inputs cannot see.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import ukcyber
from ukcyber.paths import REPO_ROOT

BUILD_EPOCH = 4
"""Part of every fingerprint and of the stamp; bumping it rebuilds every report once."""
LIBRARY_SUFFIXES = {".py", ".j2", ".css", ".html", ".js"}
MISSING = "<missing>"
"""The digest of a file that is not there (its readers rebuild, and fail if they need it)."""
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


def sha(data: bytes) -> str:
    """Give the SHA-256 of ``data`` in hex."""
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str:
    """Give the SHA-256 of a file's bytes, or :data:`MISSING` when it cannot be read."""
    try:
        return sha(path.read_bytes())
    except OSError:
        return MISSING


def files_under(folder: Path) -> Iterator[Path]:
    """Yield every file under ``folder``, in a stable order (hidden names included)."""
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            yield Path(root, name)


def library_digest() -> str:
    """Give the digest of the library's version, source and templates."""
    digest = hashlib.sha256(ukcyber.__version__.encode())
    package = Path(ukcyber.__file__).parent
    for file in sorted(package.rglob("*")):
        if file.is_file() and file.suffix in LIBRARY_SUFFIXES and "__pycache__" not in file.parts:
            digest.update(file.relative_to(package).as_posix().encode())
            digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def _distributions() -> list[str]:
    """Give the installed distributions with their versions (``name-version.dist-info``)."""
    found: set[str] = set()
    for entry in sys.path:
        if entry.endswith("site-packages") and os.path.isdir(entry):
            found.update(n for n in os.listdir(entry) if n.endswith(".dist-info"))
    return sorted(found)


def kernel_candidates(kernel: str) -> list[str]:
    """Give where Jupyter looks for ``kernel``'s spec, in its search order."""
    from jupyter_core.paths import jupyter_path

    return [os.path.join(folder, kernel, "kernel.json") for folder in jupyter_path("kernels")]


def environment_digest(candidates: Sequence[str]) -> str:
    """Give the digest of the environment reports run in.

    It covers Python, the installed distributions, where Jupyter looks for kernels, and the first
    kernel spec file found (its bytes).
    """
    spec = next((f"{c}\n{file_digest(Path(c))}" for c in candidates if os.path.isfile(c)), "-")
    parts = [
        f"{sys.version}\n{sys.prefix}\n{sys.executable}",
        "\n".join(_distributions()),
        json.dumps({name: os.environ.get(name) for name in KERNEL_ENV}),
        "\n".join(candidates),
        spec,
    ]
    return sha("\0".join(parts).encode("utf-8", "surrogateescape"))


def _tables(data: Path, data_files: Mapping[str, str]) -> dict[str, str]:
    """Give each table's digest: its resource in ``datapackage.json`` and its CSV's bytes."""
    try:
        resources = json.loads((data / "datapackage.json").read_bytes())["resources"]
        named = [(r["name"], r) for r in resources if isinstance(r["name"], str)]
    except (OSError, ValueError, KeyError, TypeError):
        return {}  # the data's validation says what is wrong
    tables = {}
    for name, resource in named:
        described = sha(json.dumps(resource, sort_keys=True, ensure_ascii=False).encode())
        content = data_files.get(str(resource.get("path")), MISSING)
        tables[name] = sha(f"{described}\n{content}".encode())
    return tables


@dataclass(frozen=True)
class Shared:
    """What every report's page depends on beside its own inputs."""

    library: str
    lockfile: str
    kernel: str
    show_code: bool
    epoch: int = BUILD_EPOCH


@dataclass(frozen=True)
class TableInput:
    """One table a report read: its digest, and when that content was first recorded."""

    name: str
    digest: str
    changed_at: str


@dataclass(frozen=True)
class ReportInputs:
    """Everything one report's page is made from (see the module docstring)."""

    notebook: str
    """Digest of the notebook's bytes."""
    settings: str
    """Digest of its parameters, title and description."""
    tables: tuple[TableInput, ...] | None
    """The tables it read (``None``: not known, so the whole package counts)."""
    package: str
    """Digest of the whole data package (what counts when the tables are not known)."""
    files: tuple[tuple[str, str], ...]
    """The other project files it read: (label, digest)."""
    shared: Shared

    def parts(self) -> dict[str, str]:
        """Give each input's digest by name (recorded in the manifest entry)."""
        shared = self.shared
        parts = {
            "notebook": self.notebook,
            "settings": self.settings,
            "kernel": shared.kernel,
            "show_code": str(shared.show_code),
            "library": shared.library,
            "lockfile": shared.lockfile,
            "epoch": str(shared.epoch),
        }
        if self.tables is None:
            parts["package"] = self.package
        for table in self.tables or ():
            parts[f"table:{table.name}"] = f"{table.digest} {table.changed_at}"
        parts |= {f"file:{label}": digest for label, digest in self.files}
        return parts

    @property
    def fingerprint(self) -> str:
        """Give one digest over every input: equal fingerprints make equal pages."""
        return sha(json.dumps(self.parts(), sort_keys=True).encode())


@dataclass(frozen=True)
class BuildInputs:
    """Every input of one build, read when it starts (see the module docstring)."""

    project: str
    data: str
    matrix: str
    """Digest of ``reports.toml``."""
    notebooks: Mapping[str, str]
    """Each notebook of ``notebooks/`` (name without ``.ipynb``) → digest of its bytes."""
    data_files: Mapping[str, str]
    """Each file of the data folder (relative name) → digest."""
    tables: Mapping[str, str]
    """Each table → digest of its resource and CSV (:func:`_tables`)."""
    library: str
    lockfile: str
    environment: str
    """:func:`environment_digest`: only the stamp uses it (reports depend on the lock file)."""
    kernel: str
    kernels: str
    show_code: bool
    pdf: bool
    """Whether PDFs are printed (asked for and Chromium found)."""
    epoch: int = BUILD_EPOCH
    _files: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    """Digests of the other project files reports read, taken on first use."""

    @classmethod
    def collect(
        cls,
        project: Path,
        data: Path,
        *,
        kernel: str,
        kernels: str,
        show_code: bool,
        pdf: bool,
        candidates: Sequence[str],
    ) -> BuildInputs:
        """Read every input; raises :class:`OSError` when the project cannot be read."""
        data_files = {f.relative_to(data).as_posix(): file_digest(f) for f in files_under(data)}
        return cls(
            project=str(project),
            data=str(data.resolve()),
            matrix=sha((project / "reports.toml").read_bytes()),
            notebooks={
                p.stem: file_digest(p) for p in sorted((project / "notebooks").glob("*.ipynb"))
            },
            data_files=data_files,
            tables=_tables(data, data_files),
            library=library_digest(),
            lockfile=file_digest(REPO_ROOT / "requirements.lock"),
            environment=environment_digest(candidates),
            kernel=kernel,
            kernels=kernels,
            show_code=show_code,
            pdf=pdf,
        )

    @property
    def site_fingerprint(self) -> str:
        """Give the digest of what the site's data pages (dictionary, explorer) depend on."""
        return sha(f"{self.package}\n{self.library}\n{self.epoch}".encode())

    @property
    def package(self) -> str:
        """Give the digest of the whole data package (every file of the data folder)."""
        return sha(json.dumps(self.data_files, sort_keys=True).encode())

    def shared(self) -> Shared:
        """Give what every report shares."""
        return Shared(self.library, self.lockfile, self.kernel, self.show_code, self.epoch)

    def file(self, label: str) -> str:
        """Give the digest of a project file a report read (taken once per build)."""
        if label not in self._files:
            self._files[label] = file_digest(label_path(label, Path(self.project), Path(self.data)))
        return self._files[label]

    def report(
        self,
        notebook: str,
        settings: str,
        tables: Sequence[str] | None,
        files: Sequence[str],
        changed_at: Mapping[str, str],
    ) -> ReportInputs:
        """Give the inputs of a report of ``notebook`` that reads ``tables`` and ``files``."""
        read = None
        if tables is not None:
            read = tuple(
                TableInput(name, self.tables.get(name, MISSING), changed_at.get(name, ""))
                for name in sorted(tables)
            )
        return ReportInputs(
            notebook=self.notebooks.get(notebook, MISSING),
            settings=settings,
            tables=read,
            package=self.package,
            files=tuple((label, self.file(label)) for label in sorted(files)),
            shared=self.shared(),
        )

    def key(self, files: Sequence[str]) -> str:
        """Give the no-op stamp's key: every input, and the digests of ``files``.

        ``files`` are the other project files the reports read.
        """
        fields = {name: value for name, value in vars(self).items() if not name.startswith("_")}
        fields["files"] = {label: self.file(label) for label in sorted(files)}
        return sha(json.dumps(fields, sort_keys=True, default=dict).encode())


def settings_digest(params: Mapping[str, object], title: str, description: str) -> str:
    """Give the digest of what a report's entry in ``reports.toml`` sets."""
    return sha(json.dumps([params, title, description], sort_keys=True).encode())


def label_path(label: str, project: Path, data: Path) -> Path:
    """Give the file a read file's label names.

    That is ``data:<name>`` in the data folder, else a path relative to the project.
    """
    if label.startswith("data:"):
        return data / label.removeprefix("data:")
    return project / label


WORDS = {
    "notebook": ("notebook changed", "its notebook changed"),
    "settings": (
        "title, description or settings changed",
        "its title, description or settings changed",
    ),
    "kernel": ("kernel changed", "its title, description or settings changed"),
    "show_code": ("--show-code changed", "its title, description or settings changed"),
    "library": ("ukcyber code or templates changed", "the ukcyber code or page templates changed"),
    "lockfile": ("pinned versions changed", "the pinned package versions changed"),
    "epoch": ("build format changed", "the build format changed"),
    "package": ("the data changed", "the data changed"),
    "table": ("table {} changed", "the data changed"),
    "file": ("file {} changed", "a file its notebook reads changed"),
}
"""Each kind of input: (what the plan prints when it differs, what a reader is told)."""


def _differs(recorded: Mapping[str, str], current: Mapping[str, str]) -> list[str]:
    """Give the names of the inputs whose digests differ, in a stable order."""
    names = sorted(
        set(recorded) | set(current), key=lambda n: (n.partition(":")[0] not in WORDS, n)
    )
    return [name for name in names if recorded.get(name) != current.get(name)]


def changes(recorded: Mapping[str, str], current: Mapping[str, str]) -> list[str]:
    """Say what changed since a report was built, for the plan (``table norms changed``)."""
    if not recorded:
        return ["inputs not recorded"]
    out = []
    for name in _differs(recorded, current):
        kind, _, what = name.partition(":")
        words = WORDS.get(kind, (f"{name} changed", ""))[0].format(what)
        if kind in {"table", "file"} and name not in current:
            words = f"no longer reads {what}"
        elif kind in {"table", "file"} and name not in recorded:
            words = f"now reads {what}"
        out.append(words)
    return out or ["inputs changed"]


def reader_reasons(recorded: Mapping[str, str], current: Mapping[str, str]) -> list[str]:
    """Say why a report is out of date, in a reader's words (``the data changed``)."""
    if not recorded:
        return ["its inputs changed since it was built"]
    out: list[str] = []
    for name in _differs(recorded, current):
        words = WORDS.get(name.partition(":")[0], ("", "the build format changed"))[1]
        if words not in out:
            out.append(words)
    return out or ["the build format changed"]
