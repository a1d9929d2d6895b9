"""Benchmark the report build on the full matrix of reports.toml, all measured in one run.

Measures, each into a fresh temporary reports folder and with a private copy of the data, every
build with ``--no-pdf`` (PDF printing is measured on its own, step 9):

1. the baseline: a sequential loop of ``papermill`` CLI calls, one per report (``--skip-cli``
   leaves it out);
2. ``ukcyber build --force --jobs 1``;
3. ``ukcyber build --force --jobs <jobs>`` (``--jobs``, default the number of cores), with
   ``cores_busy``: the busy CPU seconds of the whole machine during the build (the aggregate
   ``cpu`` line of ``/proc/stat``, user+nice+system+irq+softirq+steal, sampled just before and
   after) over ``jobs`` x its wall seconds; on a shared machine others' work counts too;
4. a no-op rebuild (nothing changed: answered by the build stamp, ``ukcyber.build.stamp``);
5. a rebuild after touching one data file (mtime only: content-addressed, so nothing rebuilds
   and the stamp still answers);
6. a rebuild after editing ``sector_statistics.csv`` (only the reports that read it rebuild);
7. a rebuild after editing ``norms.csv`` (likewise; ``edit_table_ratio``);
8. page sizes: the largest HTML page of the site (``max_report_kb``, the site's own pages
   included) and the largest report page, excluding the shared plotly.js asset;
9. PDF printing: a few reports rebuilt with PDFs, minus the same without, per report;
10. the scale run: a temporary project with one small notebook (a ``parameters`` cell
    ``n: int = 0`` and a cell that loads ``norms`` with ``ukcyber.data.load`` and shows three
    rows as a :class:`ukcyber.tables.Table`, so each report is a real page) and a generated
    ``reports.toml`` whose grid over ``n`` makes ``--scale`` reports (default 1000), built cold
    with ``--force --no-pdf --jobs <jobs>``: ``scale_ratio`` is its seconds per report over
    those of step 3. The scale notebook is cheaper than the real ones, so that ratio is not
    like for like (the table says how much cheaper); the same notebook is also built cold as
    a project of as many reports as reports.toml has, and the table shows the per-report
    ratio of the two (growth with the number of reports alone);
11. a no-op rebuild of the scale project (``scale_noop_s``);
12. front-page search at scale: the scale run's ``index.html`` opened offline (file://) in
    headless Chromium through Playwright; for each of five queries that match a subset, an
    ``input`` event is dispatched on ``#report-search`` inside the page and timed with
    ``performance.now()`` until the (synchronous) handler returns; ``search_ms`` is the
    median (the table also shows the time including the forced style and layout).

Prints a table and, as its last line, ``vs_cli=<cli loop/jobsN> noop_ratio=<noop/cold jobsN>
edit_table_ratio=<norms edit/cold jobsN> cores_busy=<step 3> scale_ratio=<s per report at
scale/s per report of step 3> scale_noop_s=<s> search_ms=<ms>``. The targets: vs_cli >= 8,
noop_ratio <= 0.02, edit_table_ratio <= 0.15, cores_busy >= 0.9, scale_ratio <= 1.15,
scale_noop_s <= 0.5, search_ms < 100. Run with ``make bench`` (or ``.venv/bin/python
benchmarks/build.py [--jobs N] [--scale N] [--skip-cli]``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
SCALE_CODE = (
    "from ukcyber.data import load\n"
    "from ukcyber.tables import Table\n\n"
    'rows = load("norms").head(3)\n'
    'Table(rows, {"norm_id": "Norm", "short_name": "Name"}, caption=f"Copy {n}: three norms")'
)


def searches(count: int) -> list[str]:
    """Five front-page queries for a scale run of ``count`` reports, each matching a subset."""
    return ["1", "2", str(count // 3), str(count // 2), f"report {count - 1}"]


SEARCH_JS = """(query) => {
  const input = document.getElementById("report-search");
  input.value = query;
  const started = performance.now();
  input.dispatchEvent(new Event("input", {bubbles: true}));
  const handler = performance.now() - started;
  void document.body.offsetHeight;  // style and layout of the entries shown and hidden
  const layout = performance.now() - started;
  const shown = document.querySelectorAll(".ukc-entry:not([hidden])").length;
  return {handler, layout, shown, count: document.getElementById("report-count").textContent};
}"""


def timed(command: list[str], env: dict) -> float:
    """Run ``command`` and return its wall time; fail loudly with its output on error."""
    started = time.perf_counter()
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"benchmark step failed: {' '.join(command)}\n{result.stdout}\n{result.stderr}")
    return elapsed


def cpu_seconds() -> float:
    """Busy CPU seconds of all cores since boot (the aggregate ``cpu`` line of /proc/stat)."""
    with open("/proc/stat", encoding="ascii") as fh:
        name, *values = fh.readline().split()
    assert name == "cpu", f"unexpected first line of /proc/stat: {name}"
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in values[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


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


def scale_project(folder: Path, count: int) -> Path:
    """A project of one small notebook (``scale``) and a ``reports.toml`` of ``count`` reports."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "ukcyber",
        "display_name": "Python (ukcyber)",
        "language": "python",
    }
    nb.metadata["ukcyber"] = {"description": "Three norms, once per copy (a benchmark)."}
    parameters = nbformat.v4.new_code_cell("n: int = 0  # which copy (int)")
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Scale report\n\nOne of many copies of a small report."),
        parameters,
        nbformat.v4.new_code_cell(SCALE_CODE),
    ]
    (folder / "notebooks").mkdir(parents=True)
    nbformat.write(nb, folder / "notebooks" / "scale.ipynb")
    values = ", ".join(str(n) for n in range(count))
    (folder / "reports.toml").write_text(
        '[[report]]\nnotebook = "scale"\ntitle = "Scale report"\n'
        'description = "Three norms, once per copy."\n'
        f"grid = {{ n = [{values}] }}\n",
        encoding="utf-8",
    )
    return folder


def search_times(index: Path, expected: int) -> dict[str, float]:
    """Median in-page times (ms) of front-page searches on ``index``, and its load time."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.route(  # offline: the page and its assets only
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith("file:") else route.abort()
            ),
        )
        started = time.perf_counter()
        page.goto(index.as_uri(), wait_until="load")
        load_ms = (time.perf_counter() - started) * 1000
        entries = page.locator(".ukc-entry").count()
        assert entries >= expected, f"{index}: {entries} entries, expected {expected}"
        handler, layout = [], []
        for query in searches(expected):
            page.evaluate(SEARCH_JS, "")
            result = page.evaluate(SEARCH_JS, query)
            assert 0 < result["shown"] < entries, f"{query!r}: {result}"
            handler.append(result["handler"])
            layout.append(result["layout"])
        browser.close()
    return {
        "handler": statistics.median(handler),
        "layout": statistics.median(layout),
        "load": load_ms,
        "entries": entries,
    }


@dataclass
class Bench:
    """The run's settings, environment and table rows, and how it times one build."""

    env: dict
    jobs: int
    reports: int
    rows: list[tuple[str, float, str]] = field(default_factory=list)

    def build(self, label: str, reports: Path, *extra: str, count: int | None = None) -> float:
        """Time one ``ukcyber build --no-pdf`` into ``reports``; add it to the table."""
        command = [str(BIN / "ukcyber"), "build", "--no-progress", "--no-pdf"]
        seconds = timed([*command, "--reports", str(reports), *extra], self.env)
        count = count or self.reports
        self.rows.append((label, seconds, f"{seconds / count:.3f} s/report ({count})"))
        print(f"{label}: {seconds:.1f} s", flush=True)
        return seconds

    def note(self, label: str, value: float, text: str = "") -> None:
        """A table row that is not a build's seconds (a ratio, a size, a time in ms)."""
        self.rows.append((label, value, text))


def pdf_printing(bench: Bench, jobs, reports: Path) -> tuple[float, float, float, int]:
    """Seconds per report of PDF printing: a few reports rebuilt with PDFs, minus without."""
    pdf_only = "^(norms_implementation|sector_overview|exports_and_market)/"
    count = sum(1 for job in jobs if re.match(pdf_only, job.key))
    ukcyber = [str(BIN / "ukcyber"), "build", "--no-progress"]
    pdf_args = ["--force", "--only", pdf_only, "--jobs", str(bench.jobs), "--reports"]
    without = timed([*ukcyber, "--no-pdf", *pdf_args, str(reports)], bench.env)
    with_pdf = timed([*ukcyber, *pdf_args, str(reports)], bench.env)
    return (with_pdf - without) / count, with_pdf, without, count


def scale_run(bench: Bench, work: Path, scale: int, many: float) -> dict[str, float]:
    """Steps 10-12: the scale project cold, its no-op rebuild, the front-page search."""
    jobs = str(bench.jobs)
    small = scale_project(work / "scale-small", bench.reports)
    small_s = bench.build(
        f"scale notebook, {bench.reports} reports, cold",
        work / "scale-small-reports",
        *("--project", str(small), "--force", "--jobs", jobs),
        count=bench.reports,
    )
    project = scale_project(work / "scale", scale)
    folder = work / "scale-reports"
    cold = bench.build(
        f"scale notebook, {scale} reports, cold",
        folder,
        *("--project", str(project), "--force", "--jobs", jobs),
        count=scale,
    )
    built = rebuilt(folder)
    assert built == scale, f"scale run built {built} of {scale} reports"
    noop = bench.build(
        f"scale notebook, {scale} reports, no-op",
        folder,
        *("--project", str(project), "--jobs", jobs),
        count=scale,
    )
    search = search_times(folder / "index.html", scale)
    ratio = (cold / scale) / (many / bench.reports)
    growth = (cold / scale) / (small_s / bench.reports)
    cheaper = (small_s / bench.reports) / (many / bench.reports)
    bench.note(
        "scale_ratio (s/report at scale / real cold, ratio)",
        ratio,
        f"not like for like: the scale notebook costs {cheaper:.2f}x a real report "
        f"(s/report, {bench.reports} reports each); the next row compares like for like",
    )
    bench.note(
        f"scale growth ({scale} / {bench.reports} reports, ratio)",
        growth,
        "s/report, the same scale notebook both times",
    )
    bench.note("front page at scale: load (ms)", search["load"], f"{search['entries']:.0f} entries")
    bench.note("search, handler only (median ms)", search["handler"], f"queries {searches(scale)}")
    bench.note("search, with style and layout (ms)", search["layout"], "forced layout after")
    return {"ratio": ratio, "noop": noop, "search": search["handler"]}


def real_builds(bench: Bench, work: Path, data: Path, jobs, skip_cli: bool) -> dict[str, float]:
    """Steps 1-7 on the real matrix; the seconds of each (``cli`` absent when skipped)."""
    out: dict[str, float] = {}
    jobs_n = str(bench.jobs)
    if not skip_cli:
        (work / "cli").mkdir()
        out["cli"] = cli_loop(jobs, work / "cli", bench.env)
        bench.note(
            "papermill CLI loop (baseline)",
            out["cli"],
            f"{out['cli'] / bench.reports:.3f} s/report ({bench.reports})",
        )
        print(f"cli loop: {out['cli']:.1f} s", flush=True)
    out["one"] = bench.build("ukcyber build --force --jobs 1", work / "r1", "--force", "-j", "1")
    busy = cpu_seconds()
    out["many"] = bench.build(
        f"ukcyber build --force --jobs {jobs_n}", work / "rn", "--force", "--jobs", jobs_n
    )
    out["cores_busy"] = (cpu_seconds() - busy) / (bench.jobs * out["many"])
    bench.note("speedup (jobs 1 / jobs N, ratio)", out["one"] / out["many"])
    bench.note(
        f"cores_busy (--jobs {jobs_n})",
        out["cores_busy"],
        f"machine-wide busy CPU s / ({jobs_n} x wall s); {os.cpu_count()} cores, shared",
    )
    out["noop"] = bench.build("no-op rebuild", work / "rn", "--jobs", jobs_n)
    os.utime(data / "regional.csv")
    out["touched"] = bench.build(
        "rebuild after touching regional.csv (mtime)", work / "rn", "--jobs", jobs_n
    )
    edit_one_data_file(data, "sector_statistics", "note")
    out["edited"] = bench.build(
        "rebuild after editing sector_statistics.csv", work / "rn", "--jobs", jobs_n
    )
    out["edited_count"] = rebuilt(work / "rn")
    edit_one_data_file(data, "norms", "short_name")
    out["norms"] = bench.build("rebuild after editing norms.csv", work / "rn", "--jobs", jobs_n)
    out["norms_count"] = rebuilt(work / "rn")
    return out


def page_sizes(site: Path) -> tuple[list[str], float]:
    """Lines on the largest page, the largest report page and the plotly.js asset; its KB."""
    pages = [p for p in site.rglob("*.html") if "assets" not in p.parts]
    largest = max(pages, key=lambda p: p.stat().st_size)
    report_pages = [p for p in pages if p.parent != site]  # not the site's own pages
    largest_report = max(report_pages, key=lambda p: p.stat().st_size)
    asset_kb = (site / "assets" / "plotly.min.js").stat().st_size / 1024
    return [
        f"{'largest page':<50} {largest.stat().st_size / 1024:>8.0f}K  {largest.relative_to(site)}",
        f"{'largest report page':<50} {largest_report.stat().st_size / 1024:>8.0f}K  "
        f"{largest_report.relative_to(site)}",
        f"{'shared plotly.js asset (once)':<50} {asset_kb:>8.0f}K",
    ], largest.stat().st_size / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--skip-cli", action="store_true", help="skip the slow CLI baseline")
    parser.add_argument(
        "--scale", type=int, default=1000, help="reports in the scale run (default 1000)"
    )
    args = parser.parse_args()
    if args.scale < 10:
        parser.error("--scale must be at least 10 (the searches need a subset to match)")

    sys.path.insert(0, str(REPO / "lib"))
    from ukcyber.build import load_matrix

    work = Path(tempfile.mkdtemp(prefix="ukcyber-bench-"))
    data = work / "data"
    shutil.copytree(REPO / "data", data)
    env = dict(os.environ, UKCYBER_DATA=str(data), UKCYBER_CACHE=str(work / "cache"))
    os.environ.update(UKCYBER_DATA=str(data), UKCYBER_CACHE=str(work / "cache"))
    jobs = load_matrix(REPO / "reports.toml")
    bench = Bench(env=env, jobs=args.jobs, reports=len(jobs))

    timed([str(BIN / "ukcyber"), "validate"], env)
    real = real_builds(bench, work, data, jobs, args.skip_cli)
    pdf_each, with_pdf, without, pdf_reports = pdf_printing(bench, jobs, work / "rn")
    sizes, max_kb = page_sizes(work / "rn")
    scale = scale_run(bench, work, args.scale, real["many"])

    print()
    print(f"{len(jobs)} reports, {args.jobs} jobs, {os.cpu_count()} cores (shared: noisy)")
    print(f"{'step (seconds unless said)':<50} {'value':>9}  note")
    for label, value, note in bench.rows:
        print(f"{label:<50} {value:>9.3f}  {note}")
    print("\n".join(sizes))
    print(f"touch/noop: {real['touched']:.2f}/{real['noop']:.2f} s")
    print(f"edit/cold: {real['edited']:.1f}/{real['many']:.1f} s")
    print(f"rebuilt after editing sector_statistics.csv: {real['edited_count']}/{len(jobs)}")
    print(f"rebuilt after editing norms.csv: {real['norms_count']}/{len(jobs)} reports")
    print(f"max_report_kb={max_kb:.0f}")
    print(
        f"PDF printing: {pdf_each:.2f} s/report ({pdf_reports} reports rebuilt with PDFs in "
        f"{with_pdf:.1f} s, without in {without:.1f} s, {args.jobs} jobs; not in the ratios)"
    )
    shutil.rmtree(work, ignore_errors=True)
    many = real["many"]
    vs_cli = f"{real['cli'] / many:.2f}" if "cli" in real else "skipped"
    print(
        f"vs_cli={vs_cli} noop_ratio={real['noop'] / many:.3f} "
        f"edit_table_ratio={real['norms'] / many:.3f} cores_busy={real['cores_busy']:.2f} "
        f"scale_ratio={scale['ratio']:.2f} scale_noop_s={scale['noop']:.2f} "
        f"search_ms={scale['search']:.1f}"
    )


if __name__ == "__main__":
    main()
