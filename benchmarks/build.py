"""Benchmark the report build on the full matrix of reports.toml, all measured in one run.

Measures, each into a fresh temporary reports folder and with a private copy of the data, every
build with ``--no-pdf`` (PDF printing is measured on its own, step 9):

1. the baseline: a sequential loop of ``papermill`` CLI calls, one per report;
2. ``ukcyber build --force --jobs 1``;
3. ``ukcyber build --force --jobs <cores>``;
4. a no-op rebuild (nothing changed: answered by the build stamp, ``ukcyber.build.stamp``);
5. a rebuild after touching one data file (mtime only: content-addressed, so nothing rebuilds
   and the stamp still answers);
6. a rebuild after editing ``sector_statistics.csv`` (only the reports that read it rebuild);
7. a rebuild after editing ``norms.csv`` (likewise; the figure in the last line);
8. page sizes: the largest HTML page of the site (``max_report_kb``, the site's own pages
   included) and the largest report page, excluding the shared plotly.js asset;
9. PDF printing: a few reports rebuilt with PDFs, minus the same without, per report.

Prints a table and, as its last line, ``speedup=<jobs1/jobsN> vs_cli=<cli loop/jobsN>
noop_ratio=<noop/cold jobsN> max_report_kb=<kb> edit_table_ratio=<norms edit/cold jobsN>
rebuilt_after_edit=<reports rebuilt by the norms edit>/<reports>``.
Run with ``make bench`` (or ``.venv/bin/python benchmarks/build.py [--limit N]``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def timed(command: list[str], env: dict) -> float:
    """Run ``command`` and return its wall time; fail loudly with its output on error."""
    started = time.perf_counter()
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"benchmark step failed: {' '.join(command)}\n{result.stdout}\n{result.stderr}")
    return elapsed


def cli_loop(jobs, out: Path, env: dict) -> float:
    """The baseline: one ``papermill`` process per report, one after the other."""
    started = time.perf_counter()
    for job in jobs:
        command = [str(BIN / "papermill"), f"notebooks/{job.notebook}.ipynb"]
        command += [
            str(out / f"{job.notebook}-{job.slug}.ipynb"),
            "-k",
            "ukcyber",
            "--cwd",
            "notebooks",
        ]
        for name, value in job.params.items():
            command += ["-p", name, str(value)]
        timed(command, env)
    return time.perf_counter() - started


def edit_one_data_file(data: Path, table: str, field: str) -> None:
    """Change one text cell of one table (a real content change that still validates)."""
    path = data / f"{table}.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header, rows = reader.fieldnames, list(reader)
    rows[0][field] = rows[0][field] + " (benchmark edit)"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def rebuilt(reports: Path) -> int:
    """How many reports the last build into ``reports`` ran (status ``ok`` in its manifest)."""
    manifest = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))
    return sum(entry["status"] == "ok" for entry in manifest["reports"].values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--skip-cli", action="store_true", help="skip the slow CLI baseline")
    args = parser.parse_args()

    sys.path.insert(0, str(REPO / "lib"))
    from ukcyber.build import load_matrix

    work = Path(tempfile.mkdtemp(prefix="ukcyber-bench-"))
    data = work / "data"
    shutil.copytree(REPO / "data", data)
    env = dict(os.environ, UKCYBER_DATA=str(data), UKCYBER_CACHE=str(work / "cache"))
    os.environ.update(UKCYBER_DATA=str(data), UKCYBER_CACHE=str(work / "cache"))
    jobs = load_matrix(REPO / "reports.toml")
    ukcyber = [str(BIN / "ukcyber"), "build", "--no-progress", "--no-pdf"]
    rows: list[tuple[str, float, str]] = []

    def build(label: str, reports: Path, *extra: str) -> float:
        seconds = timed([*ukcyber, "--reports", str(reports), *extra], env)
        rows.append((label, seconds, f"{seconds / len(jobs):.2f} s/report"))
        print(f"{label}: {seconds:.1f} s", flush=True)
        return seconds

    timed([str(BIN / "ukcyber"), "validate"], env)
    cli = None
    if not args.skip_cli:
        (work / "cli").mkdir()
        cli = cli_loop(jobs, work / "cli", env)
        rows.append(("papermill CLI loop (baseline)", cli, f"{cli / len(jobs):.2f} s/report"))
        print(f"cli loop: {cli:.1f} s", flush=True)
    one = build("ukcyber build --force --jobs 1", work / "r1", "--force", "--jobs", "1")
    many = build(
        f"ukcyber build --force --jobs {args.jobs}",
        work / "rn",
        "--force",
        "--jobs",
        str(args.jobs),
    )
    noop = build("no-op rebuild", work / "rn", "--jobs", str(args.jobs))
    os.utime(data / "regional.csv")
    touched = build(
        "rebuild after touching regional.csv (mtime)", work / "rn", "--jobs", str(args.jobs)
    )
    edit_one_data_file(data, "sector_statistics", "note")
    edited = build(
        "rebuild after editing sector_statistics.csv", work / "rn", "--jobs", str(args.jobs)
    )
    edited_count = rebuilt(work / "rn")
    edit_one_data_file(data, "norms", "short_name")
    norms = build("rebuild after editing norms.csv", work / "rn", "--jobs", str(args.jobs))
    norms_count = rebuilt(work / "rn")

    pdf_only = "^(norms_implementation|sector_overview|exports_and_market)/"
    pdf_reports = sum(1 for job in jobs if re.match(pdf_only, job.key))
    pdf_args = ["--force", "--only", pdf_only, "--jobs", str(args.jobs), "--reports"]
    without = timed([*ukcyber, *pdf_args, str(work / "rn")], env)
    printing = [a for a in ukcyber if a != "--no-pdf"]
    with_pdf = timed([*printing, *pdf_args, str(work / "rn")], env)
    pdf_each = (with_pdf - without) / pdf_reports

    pages = [p for p in (work / "rn").rglob("*.html") if "assets" not in p.parts]
    largest = max(pages, key=lambda p: p.stat().st_size)
    max_kb = largest.stat().st_size / 1024
    report_pages = [p for p in pages if p.parent != work / "rn"]  # not the site's own pages
    largest_report = max(report_pages, key=lambda p: p.stat().st_size)
    asset_kb = (work / "rn" / "assets" / "plotly.min.js").stat().st_size / 1024

    print()
    print(f"{len(jobs)} reports, {args.jobs} jobs, {os.cpu_count()} cores")
    print(f"{'step':<50} {'seconds':>9}  per report")
    for label, seconds, note in rows:
        print(f"{label:<50} {seconds:>9.1f}  {note}")
    print(f"{'largest page':<50} {max_kb:>8.0f}K  {largest.relative_to(work / 'rn')}")
    print(
        f"{'largest report page':<50} {largest_report.stat().st_size / 1024:>8.0f}K  "
        f"{largest_report.relative_to(work / 'rn')}"
    )
    print(f"{'shared plotly.js asset (once)':<50} {asset_kb:>8.0f}K")
    print(f"touch/noop: {touched:.2f}/{noop:.2f} s; edit/cold: {edited:.1f}/{many:.1f} s")
    print(f"rebuilt after editing sector_statistics.csv: {edited_count}/{len(jobs)} reports")
    print(f"rebuilt after editing norms.csv: {norms_count}/{len(jobs)} reports")
    print(
        f"PDF printing: {pdf_each:.2f} s/report ({pdf_reports} reports rebuilt with PDFs in "
        f"{with_pdf:.1f} s, without in {without:.1f} s, {args.jobs} jobs; not in the ratios)"
    )
    shutil.rmtree(work, ignore_errors=True)
    vs_cli = f"{cli / many:.2f}" if cli is not None else "skipped"
    print(
        f"speedup={one / many:.2f} vs_cli={vs_cli} noop_ratio={noop / many:.3f} "
        f"max_report_kb={max_kb:.0f} edit_table_ratio={norms / many:.3f} "
        f"rebuilt_after_edit={norms_count}/{len(jobs)}"
    )


if __name__ == "__main__":
    main()
