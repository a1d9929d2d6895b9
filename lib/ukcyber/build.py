"""Build every report of the matrix in ``reports.toml``: parallel, incremental, atomic.

Each report is a notebook run by papermill with one parameter set, then rendered to offline HTML.
Workers are processes (papermill changes the working directory, so threads are unsafe); each
imports papermill and nbconvert once and runs many notebooks. A report whose inputs (notebook,
parameters, data files, library source) are unchanged since its last good build is skipped.
A failing report never replaces its last good version: the failed notebook goes to ``_failed/``.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import hashlib
import itertools
import json
import os
import re
import sys
import time
import tomllib
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ukcyber import __version__, options
from ukcyber.citations import data_as_of
from ukcyber.data import descriptor, load, validate
from ukcyber.errors import BuildError
from ukcyber.paths import REPO_ROOT, cache_dir

KERNEL = "ukcyber"
MANIFEST = "manifest.json"
FAILED_DIR = "_failed"


@dataclass(frozen=True)
class Job:
    """One report: a notebook and one parameter set."""

    notebook: str
    params: dict
    title: str
    slug: str

    @property
    def key(self) -> str:
        return f"{self.notebook}/{self.slug}"


@dataclass
class Result:
    """What happened to one job."""

    key: str
    notebook: str
    slug: str
    title: str
    params: dict
    status: str
    seconds: float = 0.0
    fingerprint: str = ""
    built_at: str = ""
    html: str = ""
    ipynb: str = ""
    pdf: str = ""
    charts: int = 0
    error: str = ""
    extra: dict = field(default_factory=dict)


RESULT_FIELDS = set(Result.__dataclass_fields__)


def slugify(params: dict) -> str:
    """File-name slug of a parameter set: ``{}`` → ``default``, region London → ``region-london``."""
    if not params:
        return "default"
    parts = []
    for name, value in sorted(params.items()):
        text = re.sub(r"[^a-z0-9]+", "-", f"{name}-{value}".lower()).strip("-")
        parts.append(text)
    return "__".join(parts)


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename (never half-written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if isinstance(data, bytes):
            tmp.write_bytes(data)
        else:
            tmp.write_text(data, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _grid_values(spec: object, project: Path) -> list:
    """Values of one grid axis: a list, or ``"data:<name>"`` resolved from the data."""
    if isinstance(spec, list):
        return spec
    if isinstance(spec, str) and spec.startswith("data:"):
        name = spec.removeprefix("data:")
        if name not in options.OPTIONS:
            valid = ", ".join(f"data:{k}" for k in sorted(options.OPTIONS))
            raise BuildError(f"reports.toml: unknown grid source {spec!r}; valid: {valid}")
        return options.OPTIONS[name]()
    raise BuildError(f"reports.toml: a grid axis must be a list or 'data:<name>', got {spec!r}")


def load_matrix(path: Path) -> list[Job]:
    """Read the build matrix: each ``[[report]]`` has a notebook and optional params/grid.

    Raises
    ------
    BuildError
        If the file is missing or malformed, or names a notebook that does not exist.
    """
    if not path.is_file():
        raise BuildError(f"build matrix {path} not found")
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise BuildError(f"{path}: invalid TOML ({exc})") from None
    project = path.parent
    notebooks_dir = project / config.get("notebooks", "notebooks")
    jobs: list[Job] = []
    for number, entry in enumerate(config.get("report", []), start=1):
        where = f"{path.name}: [[report]] #{number}"
        if "notebook" not in entry:
            raise BuildError(f"{where} has no 'notebook' key")
        name = entry["notebook"]
        if not (notebooks_dir / f"{name}.ipynb").is_file():
            raise BuildError(f"{where}: notebook {notebooks_dir / (name + '.ipynb')} not found")
        unknown = set(entry) - {"notebook", "title", "params", "grid"}
        if unknown:
            raise BuildError(f"{where}: unknown keys {sorted(unknown)}")
        sets = [dict(p) for p in entry.get("params", [])] or [{}]
        grid = entry.get("grid", {})
        if grid:
            axes = {k: _grid_values(v, project) for k, v in grid.items()}
            combos = [
                dict(zip(axes, values, strict=True)) for values in itertools.product(*axes.values())
            ]
            sets = [{**base, **combo} for base in sets for combo in combos]
        title = entry.get("title", name.replace("_", " ").capitalize())
        for params in sets:
            label = ", ".join(str(v).replace("_", " ") for v in params.values())
            jobs.append(Job(name, params, f"{title}: {label}" if label else title, slugify(params)))
    keys = [j.key for j in jobs]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise BuildError(f"{path.name}: reports listed twice: {', '.join(duplicates)}")
    return jobs


def library_digest() -> str:
    """Hash of the library's source and templates, so a code change rebuilds reports."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).parent
    for file in sorted(package.rglob("*")):
        if file.is_file() and file.suffix in {".py", ".j2", ".css", ".js"}:
            digest.update(file.relative_to(package).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def job_fingerprint(job: Job, notebook_bytes: bytes, data_digest: str, lib_digest: str) -> str:
    """Fingerprint of every input of one report."""
    digest = hashlib.sha256()
    for part in (
        notebook_bytes,
        json.dumps(job.params, sort_keys=True).encode(),
        data_digest.encode(),
        lib_digest.encode(),
    ):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def read_manifest(reports: Path) -> dict:
    """The previous build's manifest, or an empty one (a corrupt manifest is rebuilt)."""
    try:
        return json.loads((reports / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
        return {"reports": {}}


# --- worker side -------------------------------------------------------------------------


def _worker_init(log_dir: str | None = None) -> None:
    """Import the heavy modules once; send kernels' start-up chatter to a log file."""
    import logging

    import nbconvert  # noqa: F401  (import once per worker, not once per report)
    import papermill  # noqa: F401

    logging.getLogger("papermill").setLevel(logging.WARNING)
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    if log_dir:
        Path(log_dir).mkdir(parents=True, exist_ok=True)
        log = os.open(Path(log_dir) / "kernels.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
        os.dup2(log, 2)


def run_job(
    job: Job,
    project: str,
    reports: str,
    kernel: str,
    fingerprint: str,
    show_code: bool,
    timeout: int = 600,
    pdf: bool = False,
) -> Result:
    """Execute one notebook and render it; on failure keep the last good report untouched."""
    import nbformat
    import papermill as pm

    from ukcyber.render import report_files

    project_dir, reports_dir = Path(project), Path(reports)
    started = time.perf_counter()
    source = project_dir / "notebooks" / f"{job.notebook}.ipynb"
    out_dir = reports_dir / job.notebook
    out_dir.mkdir(parents=True, exist_ok=True)
    scratch = out_dir / f".{job.slug}.{os.getpid()}.run.ipynb"
    result = Result(
        key=job.key,
        notebook=job.notebook,
        slug=job.slug,
        title=job.title,
        params=job.params,
        status="ok",
        fingerprint=fingerprint,
    )
    try:
        pm.execute_notebook(
            str(source),
            str(scratch),
            parameters=job.params,
            kernel_name=kernel,
            progress_bar=False,
            log_output=False,
            cwd=str(source.parent),
            execution_timeout=timeout,
            store_widget_state=False,
        )
        nb = nbformat.read(scratch, as_version=4)
        built_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        meta = {"Data as of": data_as_of(load("sources")), "Built": built_at}
        files, charts = report_files(
            nb,
            slug=job.slug,
            title=job.title,
            params=job.params,
            show_code=show_code,
            meta=meta,
            pdf=pdf,
        )
        atomic_write(out_dir / f"{job.slug}.ipynb", scratch.read_bytes())
        for name, content in files.items():
            atomic_write(out_dir / name, content)
        stale = out_dir / f"{job.slug}.pdf"
        if stale.exists():  # the page changed: an old PDF would no longer match it
            stale.unlink()
        result.built_at, result.charts = built_at, charts
        result.html = f"{job.notebook}/{job.slug}.html"
        result.ipynb = f"{job.notebook}/{job.slug}.ipynb"
    except Exception as exc:  # noqa: BLE001  (any failure of one report is recorded, not raised)
        result.status = "failed"
        result.error = _short_error(exc)
        failed_dir = reports_dir / FAILED_DIR / job.notebook
        failed_dir.mkdir(parents=True, exist_ok=True)
        if scratch.exists():
            atomic_write(failed_dir / f"{job.slug}.ipynb", scratch.read_bytes())
        atomic_write(
            failed_dir / f"{job.slug}.error.txt",
            f"{job.key}\n{result.error}\n\n{traceback.format_exc()}",
        )
    finally:
        if scratch.exists():
            scratch.unlink()
    result.seconds = round(time.perf_counter() - started, 2)
    return result


def _short_error(exc: BaseException) -> str:
    name = getattr(exc, "ename", type(exc).__name__)
    value = getattr(exc, "evalue", str(exc))
    text = f"{name}: {value}".strip()
    return text.splitlines()[0][:500] if text else name


# --- parent side -------------------------------------------------------------------------


def check_kernel(kernel: str) -> None:
    """Fail early, with the fix, when the named Jupyter kernel is not installed."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(kernel)
    except NoSuchKernel:
        raise BuildError(
            f"Jupyter kernel {kernel!r} is not installed; run `make venv` (it registers it) or "
            f"`python -m ipykernel install --sys-prefix --name {kernel}`"
        ) from None


def build(
    project: Path = REPO_ROOT,
    *,
    reports: Path | None = None,
    jobs: int | None = None,
    force: bool = False,
    only: str | None = None,
    kernel: str = KERNEL,
    show_code: bool = False,
    progress: bool = True,
    timeout: int = 600,
    pdf: bool = False,
) -> list[Result]:
    """Build the matrix of ``project/reports.toml`` into ``reports`` and return the results.

    With ``pdf``, each rebuilt report is also printed to ``<slug>.pdf`` by headless Chromium,
    while the other reports build; without Chromium the build says so in one line and goes on.

    Raises
    ------
    BuildError
        If the matrix, the kernel or the reports folder is unusable.
    DataError
        If the data package does not validate (nothing is built).
    """
    from ukcyber.pdf import Printer, find_chromium
    from ukcyber.render import install_assets

    project = Path(project).resolve()
    reports = Path(reports or project / "reports").resolve()
    full_matrix = matrix = load_matrix(project / "reports.toml")
    if only:
        try:
            pattern = re.compile(only)
        except re.error as exc:
            raise BuildError(f"--only {only!r} is not a valid regular expression ({exc})") from None
        matrix = [j for j in matrix if pattern.search(j.key)]
        if not matrix:
            raise BuildError(f"--only {only!r} matches no report")
    check_kernel(kernel)
    try:
        reports.mkdir(parents=True, exist_ok=True)
        probe = reports / f".write-test.{os.getpid()}"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise BuildError(f"reports folder {reports} is not writable ({exc.strerror})") from None
    data_digest = validate()
    install_assets(reports)
    lib_digest = library_digest()
    manifest = read_manifest(reports)
    previous = manifest.get("reports", {})
    site_digest = hashlib.sha256(f"{data_digest}{lib_digest}".encode()).hexdigest()
    if force or manifest.get("site_fingerprint") != site_digest:
        write_dictionary(reports)

    todo, results = [], {}
    for job in matrix:
        notebook_bytes = (project / "notebooks" / f"{job.notebook}.ipynb").read_bytes()
        fingerprint = job_fingerprint(job, notebook_bytes, data_digest, lib_digest)
        last = previous.get(job.key)
        html_ok = last and (reports / last.get("html", "")).is_file() if last else False
        if not force and last and last.get("fingerprint") == fingerprint and html_ok:
            kept = {k: v for k, v in last.items() if k in RESULT_FIELDS}
            results[job.key] = Result(**{**kept, "status": "skipped", "seconds": 0.0})
        else:
            todo.append((job, fingerprint))

    chromium = find_chromium() if pdf and todo else None
    if pdf and todo and chromium is None:
        print("PDFs skipped: Chromium not found (install Debian's chromium)", file=sys.stderr)
    printer = None  # started after the worker processes are forked, never before
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    options = (str(project), str(reports), kernel, show_code, timeout, chromium is not None)
    for result in _execute(todo, options, workers, progress):
        results[result.key] = result
        if chromium and result.status == "ok":
            printer = printer or Printer(chromium)
            printer.submit(reports / result.html, reports / result.html.replace(".html", ".pdf"))
    if printer:
        errors = printer.close()
        for result in results.values():
            target = reports / result.html.replace(".html", ".pdf") if result.html else None
            if result.status == "ok" and target and target.exists() and target not in errors:
                result.pdf = result.html.replace(".html", ".pdf")
        for target, error in errors.items():
            print(f"PDF not printed: {target.relative_to(reports)}: {error}", file=sys.stderr)

    ordered = [results[j.key] for j in matrix]
    _record(reports, full_matrix, results, previous, data_digest, site_digest)
    return ordered


def write_dictionary(reports: Path) -> None:
    """Write ``reports/data_dictionary.html`` from ``datapackage.json`` and the tables."""
    from ukcyber.pages import dictionary_html

    meta = descriptor()
    tables = {r["name"]: load(r["name"]) for r in meta["resources"]}
    atomic_write(reports / "data_dictionary.html", dictionary_html(meta, tables))


def _execute(todo, options, workers, progress):
    """Run the jobs in a process pool, yielding results as they finish, with a progress bar."""
    if not todo:
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = [
        TextColumn("[bold]building reports"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} failed"),
        TimeElapsedColumn(),
        TextColumn("{task.fields[last]}"),
    ]
    with Progress(*columns, disable=not progress, transient=False) as bar:
        task = bar.add_task("build", total=len(todo), failed=0, last="")
        failed = 0
        log_dir = cache_dir() / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        (log_dir / "kernels.log").write_text("")
        with cf.ProcessPoolExecutor(
            max_workers=workers, initializer=_worker_init, initargs=(str(log_dir),)
        ) as pool:
            futures = {
                pool.submit(run_job, job, options[0], options[1], options[2], fp, *options[3:]): job
                for job, fp in todo
            }
            for future in cf.as_completed(futures):
                job = futures[future]
                try:
                    result = future.result()
                except Exception as exc:  # noqa: BLE001  (a crashed worker fails one report)
                    result = Result(
                        key=job.key,
                        notebook=job.notebook,
                        slug=job.slug,
                        title=job.title,
                        params=job.params,
                        status="failed",
                        error=f"worker crashed: {_short_error(exc)}",
                    )
                failed += result.status == "failed"
                bar.update(task, advance=1, failed=failed, last=f"{result.status} {job.key}")
                yield result


def _record(
    reports: Path,
    matrix: list[Job],
    results: dict[str, Result],
    previous: dict,
    data_digest: str,
    site_digest: str,
) -> None:
    """Write manifest.json and index.html for the whole matrix.

    Reports not selected this time (``--only``) keep their previous entry; a failed report
    keeps its last good HTML.
    """
    from ukcyber.pages import index_html

    entries = {}
    for job in matrix:
        if job.key not in results:
            if job.key in previous:
                entries[job.key] = previous[job.key]
            continue
        result = results[job.key]
        entry = asdict(result)
        last = previous.get(result.key)
        if result.status == "failed" and last and last.get("html"):
            entry.update(
                {k: last[k] for k in ("html", "ipynb", "pdf", "built_at", "charts") if k in last}
            )
            entry["fingerprint"] = last.get("fingerprint", "")
            entry["last_good"] = True
        entries[result.key] = entry
    manifest = {
        "generated_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "ukcyber_version": __version__,
        "data_fingerprint": data_digest,
        "site_fingerprint": site_digest,
        "python": sys.version.split()[0],
        "reports": entries,
    }
    atomic_write(reports / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
    atomic_write(reports / "index.html", index_html(manifest))
