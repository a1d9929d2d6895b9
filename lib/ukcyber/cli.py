"""Command line: ``ukcyber build``, ``ukcyber validate``, ``ukcyber catalog``.

Exit codes a scheduler can act on: 0 all good, 1 some reports failed (last good versions kept),
2 nothing built (invalid data, matrix, kernel or output folder).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_FAILURES, EXIT_UNUSABLE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ukcyber", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build every report of reports.toml into reports/")
    b.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=os.cpu_count() or 1,
        help="parallel notebook runs (default: number of cores)",
    )
    b.add_argument("--force", action="store_true", help="rebuild even unchanged reports")
    b.add_argument(
        "--only",
        metavar="PATTERN",
        help="build only reports whose key (notebook/slug) matches this regex",
    )
    b.add_argument("--project", type=Path, default=None, help="project folder with reports.toml")
    b.add_argument("--reports", type=Path, default=None, help="output folder (default reports/)")
    b.add_argument("--kernel", default="ukcyber", help="Jupyter kernel name (default ukcyber)")
    b.add_argument("--show-code", action="store_true", help="include input code in the HTML")
    b.add_argument(
        "--timeout",
        type=int,
        default=600,
        help="seconds one notebook may run before it fails (default 600)",
    )
    b.add_argument("--no-progress", action="store_true", help="no progress bar (for logs)")
    b.add_argument(
        "--no-pdf",
        action="store_true",
        help="skip printing rebuilt reports to PDF (about 3 s each)",
    )
    sub.add_parser("validate", help="validate data/ against datapackage.json and the checks")
    sub.add_parser("catalog", help="list the tables with their row counts")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``ukcyber`` console script; returns the exit code."""
    args = _parser().parse_args(argv)
    from rich.console import Console

    from ukcyber.errors import DataError, UkcyberError

    console = Console(stderr=True)
    try:
        if args.command == "validate":
            from ukcyber.data import validate

            digest = validate(use_cache=False)
            console.print(f"data package valid (fingerprint {digest[:12]})")
            return EXIT_OK
        if args.command == "catalog":
            from ukcyber.data import catalog

            print(catalog().drop(columns=["description"]).to_string(index=False))
            return EXIT_OK
        return _build(args, console)
    except DataError as exc:
        console.print("[red]error:[/red] invalid data, nothing built", highlight=False)
        console.print(str(exc), markup=False, highlight=False, emoji=False)
        return EXIT_UNUSABLE
    except UkcyberError as exc:
        console.print("[red]error:[/red] ", end="", highlight=False)
        console.print(str(exc), markup=False, highlight=False, emoji=False)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        console.print("[red]interrupted[/red]: reports already written are complete; others kept")
        return EXIT_UNUSABLE


def _build(args, console) -> int:
    from rich.table import Table

    from ukcyber.build import build
    from ukcyber.paths import REPO_ROOT

    if args.jobs < 1:
        console.print(f"[red]error:[/red] --jobs must be at least 1, got {args.jobs}")
        return EXIT_UNUSABLE
    results = build(
        args.project or REPO_ROOT,
        reports=args.reports,
        jobs=args.jobs,
        force=args.force,
        only=args.only,
        kernel=args.kernel,
        show_code=args.show_code,
        timeout=args.timeout,
        progress=not args.no_progress and sys.stderr.isatty(),
        pdf=not args.no_pdf,
    )
    table = Table(title="ukcyber build")
    for column in ("report", "status", "seconds"):
        table.add_column(column, justify="right" if column == "seconds" else "left")
    for r in results:
        style = {"ok": "green", "failed": "bold red", "skipped": "dim"}[r.status]
        table.add_row(r.key, f"[{style}]{r.status}[/{style}]", f"{r.seconds:.1f}")
    console.print(table)
    failed = [r for r in results if r.status == "failed"]
    counts = {s: sum(r.status == s for r in results) for s in ("ok", "skipped", "failed")}
    pdfs = sum(bool(r.pdf) for r in results if r.status == "ok")
    console.print(
        f"{counts['ok']} built, {counts['skipped']} unchanged, {counts['failed']} failed; "
        f"{'PDFs skipped (--no-pdf)' if args.no_pdf else f'{pdfs} PDFs printed'}; "
        f"index: {(args.reports or (args.project or REPO_ROOT) / 'reports') / 'index.html'}"
    )
    for r in failed:
        console.print(f"[red]FAILED[/red] {r.key}: {r.error}", highlight=False)
    return EXIT_FAILURES if failed else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
