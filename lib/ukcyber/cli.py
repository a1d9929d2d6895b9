"""Command line: ``ukcyber build``, ``ukcyber validate``, ``ukcyber catalog``, ``ukcyber new``.

Exit codes a scheduler can act on: 0 all good, 1 some reports failed (named; last good versions
kept), 2 nothing built (a mistake in the data, matrix, options, kernel or output folder, or
another build running), 130 interrupted (Ctrl-C or SIGTERM; finished reports recorded).
Every message that carries user or data text is printed literally (no markup, no emoji codes).
"""

from __future__ import annotations

import argparse
import math
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ukcyber.build.options import BuildOptions
    from ukcyber.build.plan import Plan

EXIT_OK, EXIT_FAILURES, EXIT_UNUSABLE, EXIT_INTERRUPTED = 0, 1, 2, 130

BUILD_HELP = """\
Build every report of reports.toml into reports/. Checks the matrix, each notebook's declared
parameters, the kernel, the data and the output folder before writing anything; then, holding
reports/.build.lock, runs changed reports in parallel. Exit codes: 0 all built or unchanged,
1 some reports failed (named; last good versions kept), 2 nothing built (the message says why),
130 interrupted by Ctrl-C or SIGTERM (finished reports are recorded, the rest keep their last
good build)."""


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _seconds(minimum_exclusive: bool):  # noqa: ANN202  (argparse type factory)
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected seconds, got {text!r}") from None
        if not math.isfinite(value) or value < 0 or (minimum_exclusive and value == 0):
            bound = "more than 0" if minimum_exclusive else "0 or more"
            raise argparse.ArgumentTypeError(f"must be {bound} seconds, got {text!r}")
        return value

    return parse


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ukcyber", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser(
        "build",
        help="build every report of reports.toml into reports/",
        description=BUILD_HELP,
    )
    _add_build_selection(b)
    _add_build_running(b)
    sub.add_parser("validate", help="validate data/ against datapackage.json and the checks")
    sub.add_parser("catalog", help="list the tables with their row counts")
    _add_new(sub)
    return parser


def _add_build_selection(b: argparse.ArgumentParser) -> None:
    """``build``'s options for what to build and where: jobs, force, the reports chosen, folders."""
    b.add_argument(
        "--jobs",
        "-j",
        type=_positive_int,
        default=os.cpu_count() or 1,
        help="parallel notebook runs (default: number of cores)",
    )
    b.add_argument("--force", action="store_true", help="rebuild even unchanged reports")
    b.add_argument(
        "--only",
        metavar="PATTERN",
        help="build only reports whose key (notebook/slug) matches this regex; the others keep "
        "their entries in the index",
    )
    b.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="with --only NOTEBOOK: build one report of that notebook for these parameters "
        "(an ad-hoc cut, listed on the front page and kept by later builds); repeat for "
        "several, e.g. --only recommendations -p actor='UK government'",
    )
    b.add_argument("--project", type=Path, default=None, help="project folder with reports.toml")
    b.add_argument("--reports", type=Path, default=None, help="output folder (default reports/)")
    b.add_argument("--kernel", default="ukcyber", help="Jupyter kernel name (default ukcyber)")
    b.add_argument(
        "--show-code", action="store_true", help="include input code in the HTML (rebuilds)"
    )


def _add_build_running(b: argparse.ArgumentParser) -> None:
    """``build``'s options for how the reports run: limits, waiting, output, kernels, Dask."""
    b.add_argument(
        "--timeout",
        type=_seconds(True),
        default=600,
        metavar="SECONDS",
        help="wall-clock limit for one whole notebook, and so for each of its cells "
        "(default 600; must be more than 0)",
    )
    b.add_argument(
        "--wait",
        type=_seconds(False),
        default=0,
        metavar="SECONDS",
        help="if another build is writing the same reports folder, wait this long for it, "
        "then exit 2 naming its pid (default 0: do not wait)",
    )
    b.add_argument("--no-progress", action="store_true", help="no progress bar (for logs)")
    b.add_argument(
        "--no-pdf",
        action="store_true",
        help="skip printing rebuilt reports to PDF (about 3 s each)",
    )
    b.add_argument(
        "--kernels",
        choices=["forked", "fresh"],
        default="forked",
        help="how each report's kernel starts: forked from a template process that imported "
        "pandas, plotly and the library once (default), or fresh, as plain papermill does",
    )
    b.add_argument(
        "--dry-run",
        action="store_true",
        help="print each report that would run and why, and write nothing",
    )
    b.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="run the reports on this Dask scheduler's workers instead of local processes "
        "(needs ukcyber[distributed]; see docs/guides/building.md)",
    )


def _add_new(sub: Any) -> None:
    """The ``new`` command: scaffold a report notebook and its ``reports.toml`` entry."""
    n = sub.add_parser(
        "new",
        help="scaffold a report notebook and its reports.toml entry",
        description="Write notebooks/NAME.ipynb (kernel, parameters, validation, main points, a "
        "first chart and table from the query API, description) and add it to reports.toml; "
        "`ukcyber build --only NAME` then publishes its page.",
    )
    n.add_argument("name", help="notebook name (letters, digits, _ and -), without .ipynb")
    n.add_argument("--title", default="", help="title in the index (default: from the name)")
    n.add_argument("--description", default="", help="one sentence shown under the title")
    n.add_argument("--metric", default="employment", help="starting metric (default employment)")
    n.add_argument("--place", default="UK", help="starting place (default UK)")
    n.add_argument("--project", type=Path, default=None, help="project folder with reports.toml")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``ukcyber`` console script; returns the exit code.

    SIGTERM is handled like Ctrl-C (a scheduler stopping the build gets exit 130, not a kill).
    """
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed usage and the problem
        return exc.code if isinstance(exc.code, int) else EXIT_UNUSABLE
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if in_main else None
    try:
        return _run(args)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from ukcyber.build.slowimports import skip
    from ukcyber.errors import DataError, UkcyberError

    skip()
    console = Console(stderr=True, markup=False, emoji=False, highlight=False, soft_wrap=True)
    try:
        if args.command == "validate":
            return _validate(console)
        if args.command == "new":
            return _new(args, console)
        if args.command == "catalog":
            from ukcyber.data import catalog

            print(catalog().drop(columns=["description"]).to_string(index=False))
            return EXIT_OK
        return _build(args, console)
    except DataError as exc:
        console.print("error:", style="red", end=" ")
        console.print("invalid data, nothing built")
        console.print(str(exc))
        return EXIT_UNUSABLE
    except UkcyberError as exc:
        console.print("error:", style="red", end=" ")
        console.print(str(exc))
        return EXIT_UNUSABLE
    except KeyboardInterrupt as exc:
        detail = f" ({exc})" if str(exc) else ""
        console.print("interrupted:", style="red", end=" ")
        console.print(f"stopped{detail}; reports not rebuilt keep their last good version")
        return EXIT_INTERRUPTED


def _validate(console) -> int:  # noqa: ANN001
    """Validate the data, then check provenance when the source texts are beside the project."""
    from ukcyber.data import check_provenance, validate
    from ukcyber.paths import shared_dir

    digest = validate(use_cache=False)
    console.print(f"data package valid (fingerprint {digest[:12]})")
    checked = check_provenance()
    if checked is None:
        console.print(f"provenance not checked: no source texts at {shared_dir()}")
    else:
        console.print(f"provenance checked: {checked} rows' printed words found where cited")
    return EXIT_OK


def _new(args: argparse.Namespace, console) -> int:  # noqa: ANN001
    from ukcyber.paths import REPO_ROOT
    from ukcyber.scaffold import new

    project = args.project or REPO_ROOT
    kwargs = dict(title=args.title, description=args.description)
    notebook, matrix = new(project, args.name, metric=args.metric, place=args.place, **kwargs)
    console.print(f"wrote {notebook} and its entry in {matrix}")
    console.print(f"next: ukcyber build --only {args.name}   (or open it in JupyterLab: make lab)")
    return EXIT_OK


def _options(args: argparse.Namespace) -> BuildOptions:
    """Give the build's options from the command line's."""
    from ukcyber.build.adhoc import parse_assignments
    from ukcyber.build.options import BuildOptions
    from ukcyber.paths import REPO_ROOT

    return BuildOptions(
        project=(args.project or REPO_ROOT).resolve(),
        reports=args.reports.resolve() if args.reports else None,
        jobs=args.jobs,
        force=args.force,
        only=args.only,
        params=parse_assignments(args.param) if args.param else {},
        kernel=args.kernel,
        kernels=args.kernels,
        show_code=args.show_code,
        progress=not args.no_progress and sys.stderr.isatty(),
        timeout=args.timeout,
        wait=args.wait,
        pdf=not args.no_pdf,
        scheduler=args.scheduler,
        dry_run=args.dry_run,
    )


def _build(args: argparse.Namespace, console) -> int:  # noqa: ANN001
    options = _options(args)
    if options.dry_run:
        from ukcyber.build.run import dry_run

        return _print_plan(dry_run(options))
    results: Sequence[Any] | None = None
    if not (options.force or options.only or options.params or options.scheduler):
        from ukcyber.build.stamp import unchanged

        results = unchanged(options)  # the no-op shortcut: nothing heavy imported
    if results is None:
        from ukcyber.build.run import run

        results = run(options, warn=lambda message: console.print(message, style="yellow"))
    return _summary(results, options, console)


def _print_plan(plan: Plan) -> int:
    """Print what a build would do, report by report, and why (``--dry-run``); exit 0."""
    todo, steps = plan.todo, list(plan.steps.values())
    if not todo and not plan.removed:
        print(f"dry run: nothing to do; all {len(steps)} reports are up to date (nothing written)")
        return EXIT_OK
    print(f"dry run: {len(todo)} of {len(steps)} reports would run (nothing written)")
    width = max((len(step.job.key) for step in todo), default=0)
    for step in todo:
        print(f"  {step.job.key:<{width}}  {'; '.join(step.reasons)}")
    for entry in plan.removed:
        print(f"  would remove {entry.key}: no longer in reports.toml")
    unchanged = sum(1 for step in steps if not step.runs)
    print(f"{unchanged} would stay as they are")
    return EXIT_OK


def _summary(results: Sequence[Any], options: BuildOptions, console) -> int:  # noqa: ANN001
    """Print the build's table and one-line summary; the exit code (1 if a report failed)."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title="ukcyber build")
    for column in ("report", "status", "seconds"):
        table.add_column(column, justify="right" if column == "seconds" else "left")
    styles = {"ok": "green", "failed": "bold red", "skipped": "dim"}
    for r in results:
        name = f"{r.key} (ad hoc)" if r.ad_hoc else r.key
        table.add_row(Text(name), Text(r.status, style=styles[r.status]), f"{r.seconds:.1f}")
    console.print(table)
    failed = [r for r in results if r.status == "failed"]
    counts = {s: sum(r.status == s for r in results) for s in ("ok", "skipped", "failed")}
    pdfs = sum(bool(r.pdf) for r in results if r.status == "ok")
    console.print(
        f"{counts['ok']} built, {counts['skipped']} unchanged, {counts['failed']} failed; "
        f"{f'{pdfs} PDFs printed' if options.pdf else 'PDFs skipped (--no-pdf)'}; "
        f"index: {options.reports_dir / 'index.html'}"
    )
    for r in failed:
        console.print("FAILED", style="red", end=" ")
        console.print(f"{r.key}: {r.error}")
    return EXIT_FAILURES if failed else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
