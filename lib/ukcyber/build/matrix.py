"""``reports.toml`` as a typed model, checked whole before anything runs, expanded to jobs.

Every mistake — an unknown or misspelt key, a wrong type, an empty matrix, a notebook outside
``notebooks/``, a parameter name that is not an identifier or that the notebook's
``parameters`` cell does not declare — is a :class:`BuildError` naming the file, the
``[[report]]`` entry and the key.
"""

from __future__ import annotations

import difflib
import itertools
import keyword
import math
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from ukcyber.build.jobs import Job, Params, ParamValue, slugify
from ukcyber.build.notebooks import NotebookInfo, inspect
from ukcyber.errors import BuildError

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}")
RESERVED = {"assets"}
"""Folder names under reports/ that a notebook may not take (``_failed`` starts with _)."""
VALUE_KINDS = "text, a whole number, a number or true/false"


def kind(value: object) -> str:
    """How a TOML value reads to the person who wrote it."""
    if isinstance(value, bool):
        return "true/false"
    names = {str: "text", int: "a whole number", float: "a number", list: "a list"}
    if isinstance(value, dict):
        return "a table"
    for typ, name in names.items():
        if isinstance(value, typ):
            return name
    return f"a {type(value).__name__} value" if type(value).__module__ != "datetime" else "a date"


def shown(value: object, limit: int = 60) -> str:
    """A value as the user wrote it (dates as in TOML), cut to ``limit`` characters."""
    text = str(value) if type(value).__module__ == "datetime" else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _notebook(name: str) -> str:
    if name.endswith(".ipynb"):
        raise ValueError(f"write the notebook name without .ipynb: {name.removesuffix('.ipynb')!r}")
    if not NAME.fullmatch(name) or name in RESERVED:
        raise ValueError(
            f"found {shown(name)}, expected the name of a notebook in notebooks/ "
            "(letters, digits, _ and -, without .ipynb or a folder)"
        )
    return name


def _text(text: str) -> str:
    if any(ord(c) < 32 for c in text):
        raise ValueError(f"found {shown(text)}, expected one line of text")
    return text


def _param_name(name: str) -> str:
    if not name.isidentifier() or keyword.iskeyword(name):
        raise ValueError(f"parameter name {shown(name)} is not a Python identifier")
    return name


def _value(value: Any) -> ParamValue:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"found {value!r}, expected a finite number")
    if not isinstance(value, str | bool | int | float):
        raise ValueError(f"found {kind(value)} {shown(value)}, expected {VALUE_KINDS}")
    return value


def _axis(spec: Any) -> list[ParamValue] | str:
    if isinstance(spec, str):
        if not spec.startswith("data:"):
            raise ValueError(f"found {shown(spec)}, expected a list of values or 'data:<name>'")
        return spec
    if not isinstance(spec, list):
        raise ValueError(f"found {kind(spec)}, expected a list of values or 'data:<name>'")
    if not spec:
        raise ValueError("is an empty list: it would build no report")
    return [_value(v) for v in spec]


Title = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(_text)]
ParamName = Annotated[str, AfterValidator(_param_name)]
Value = Annotated[Any, AfterValidator(_value)]
GridAxis = Annotated[Any, AfterValidator(_axis)]


class ReportSpec(BaseModel):
    """One ``[[report]]`` table."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    notebook: Annotated[str, AfterValidator(_notebook)]
    title: Title | None = None
    description: Annotated[str, Field(max_length=1000), AfterValidator(_text)] = ""
    params: Annotated[list[dict[ParamName, Value]], Field(min_length=1)] | None = None
    grid: Annotated[dict[ParamName, GridAxis], Field(min_length=1)] | None = None


class MatrixSpec(BaseModel):
    """The whole file: a non-empty list of ``[[report]]`` tables and nothing else."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    report: Annotated[list[ReportSpec], Field(min_length=1)]


HINTS = {
    "report": "a list of [[report]] tables (double brackets), each with notebook = ...",
    "params": 'a list of tables, e.g. params = [{region = "Wales"}]',
    "grid": 'a table of lists, e.g. grid = {region = ["Wales", "London"]}',
    "notebook": "text: the name of a notebook in notebooks/, without .ipynb",
    "title": "text",
    "description": "one sentence of text",
}
KEYS = {"report": ["report"], "entry": list(ReportSpec.model_fields)}


def _where(loc: tuple[int | str, ...], config: object) -> tuple[str, str]:
    """(``[[report]] #2 (notebook "x")``, ``params[0].regoin``) for a pydantic location."""
    entry, rest = "", list(loc)
    if len(rest) >= 2 and rest[0] == "report" and isinstance(rest[1], int):
        number = rest[1]
        entry = f"[[report]] #{number + 1}"
        reports = config.get("report") if isinstance(config, dict) else None
        if (
            isinstance(reports, list)
            and number < len(reports)
            and isinstance(reports[number], dict)
        ):
            name = reports[number].get("notebook")
            entry += f' (notebook "{name}")' if isinstance(name, str) else ""
        rest = rest[2:]
    key = ""
    for part in rest:
        if part == "[key]":
            continue
        key += f"[{part}]" if isinstance(part, int) else (f".{part}" if key else str(part))
    return entry, key


def _explain(error: Any, key: str) -> str:
    kind_, value, field = error["type"], error.get("input"), key.split(".")[-1].split("[")[0]
    if kind_ in {"extra_forbidden", "missing"}:
        field = str(error["loc"][-1])
    if kind_ == "extra_forbidden":
        allowed = KEYS["report"] if len(error["loc"]) == 1 else KEYS["entry"]
        close = difflib.get_close_matches(field, allowed, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else f"; valid keys: {', '.join(allowed)}"
        return f"unknown key {field!r}{hint}"
    if kind_ == "missing":
        return f"missing key {field!r} ({HINTS[field]})" if field in HINTS else f"missing {field!r}"
    if kind_ == "string_too_short":
        return "is empty; expected text"
    if kind_ == "string_too_long":
        return f"is longer than {error['ctx']['max_length']} characters"
    if kind_ == "too_short":
        return f"is empty; expected {HINTS.get(field, 'at least one item')}"
    if kind_ == "value_error":
        return str(error["ctx"]["error"])
    if kind_ in {"model_type", "dict_type"} and field not in HINTS:
        return f"found {kind(value)} {shown(value)}, expected a table"
    expected = HINTS.get(field, error["msg"].lower())
    return f"found {kind(value)} {shown(value)}, expected {expected}"


def parse(config: object, source: str) -> MatrixSpec:
    """Validate parsed TOML against the model; every problem in one :class:`BuildError`."""
    if isinstance(config, dict) and not config:
        raise BuildError(f"{source}: no [[report]] tables; an empty matrix builds nothing")
    try:
        return MatrixSpec.model_validate(config)
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            loc = error["loc"]
            if error["type"] in {"extra_forbidden", "missing"}:
                loc = loc[:-1]  # the message names the key itself
            entry, key = _where(loc, config)
            where = ", ".join(p for p in (entry, key) if p)
            line = f"{source}: {where + ': ' if where else ''}{_explain(error, key)}"
            if line not in lines:
                lines.append(line)
        raise BuildError("\n".join(lines)) from None


def read(path: Path) -> MatrixSpec:
    """Read and validate ``reports.toml`` (types and names only; no notebook or data read)."""
    if path.is_dir():
        raise BuildError(f"build matrix {path} is a folder, expected a TOML file")
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark is harmless
    except FileNotFoundError:
        raise BuildError(f"build matrix {path} not found") from None
    except UnicodeDecodeError as exc:
        raise BuildError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise BuildError(f"cannot read build matrix {path}: {exc.strerror or exc}") from None
    try:
        config = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BuildError(f"{path}: invalid TOML ({exc})") from None
    return parse(config, path.name)


def check_notebooks(spec: MatrixSpec, folder: Path, source: str) -> dict[str, NotebookInfo]:
    """Read every notebook once and check each entry's parameter names against it."""
    infos: dict[str, NotebookInfo] = {}
    for number, report in enumerate(spec.report, start=1):
        where = f'{source}: [[report]] #{number} (notebook "{report.notebook}")'
        try:
            info = infos.get(report.notebook) or inspect(folder / f"{report.notebook}.ipynb")
        except BuildError as exc:
            raise BuildError(f"{where}: {exc}") from None
        infos[report.notebook] = info
        sets = report.params or []
        names = {n for params in sets for n in params} | set(report.grid or {})
        if names and info.declared is None:
            raise BuildError(
                f"{where}: sets {', '.join(sorted(names))} but {info.path} has no cell tagged "
                "'parameters', so its defaults would overwrite them; tag its parameters cell"
            )
        declared = info.declared or frozenset()
        for name in sorted(names - declared):
            close = difflib.get_close_matches(name, declared, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            listed = ", ".join(sorted(declared)) or "none"
            raise BuildError(
                f"{where}: unknown parameter {name!r}; {hint}its parameters cell declares: {listed}"
            )
        for index, params in enumerate(sets):
            for name in sorted(set(params) & set(report.grid or {})):
                raise BuildError(
                    f"{where}: params[{index}].{name} is also a grid axis; set it once"
                )
    return infos


def expand(spec: MatrixSpec, source: str, resolve: Callable[[str], list[ParamValue]]) -> list[Job]:
    """Every (notebook, parameter set) of the matrix as a job with a unique, bounded slug."""
    jobs: list[tuple[int, Job]] = []
    for number, report in enumerate(spec.report, start=1):
        sets: list[Params] = [dict(p) for p in (report.params or [{}])]
        if report.grid:
            where = f'{source}: [[report]] #{number} (notebook "{report.notebook}")'
            axes = {}
            for name, axis in report.grid.items():
                try:
                    values = resolve(axis) if isinstance(axis, str) else axis
                except BuildError as exc:
                    raise BuildError(f"{where}, grid.{name}: {exc}") from None
                if not values:
                    raise BuildError(f"{where}, grid.{name}: {axis!r} gives no values")
                axes[name] = values
            combos = [dict(zip(axes, v, strict=True)) for v in itertools.product(*axes.values())]
            sets = [{**base, **combo} for base in sets for combo in combos]
        title = report.title or report.notebook.replace("_", " ").capitalize()
        for params in sets:
            label = ", ".join(str(v).replace("_", " ") for v in params.values())
            full = f"{title}: {label}" if label else title
            job = Job(report.notebook, params, full, report.description, slugify(params))
            jobs.append((number, job))
    return _unique(jobs, source)


def _unique(numbered: list[tuple[int, Job]], source: str) -> list[Job]:
    """Reject repeated reports; give distinct parameter sets that share a slug a hashed one."""
    seen: dict[tuple[str, str], int] = {}
    for number, job in numbered:
        identity = (
            job.notebook,
            repr(sorted((k, type(v).__name__, v) for k, v in job.params.items())),
        )
        if identity in seen:
            where = f"#{number}" if seen[identity] == number else f"#{seen[identity]} and #{number}"
            raise BuildError(
                f"{source}: report {job.key} is listed twice ([[report]] {where}, same parameters)"
            )
        seen[identity] = number
    keys = [job.key for _, job in numbered]
    clashes = {k for k in keys if keys.count(k) > 1}
    jobs = []
    for _, job in numbered:
        if job.key in clashes:
            job = Job(
                job.notebook,
                job.params,
                job.title,
                job.description,
                slugify(job.params, hashed=True),
            )
        jobs.append(job)
    return jobs


def resolve(source: str) -> list[ParamValue]:
    """Values of a ``data:<name>`` grid axis, read from the validated data."""
    from ukcyber import options

    name = source.removeprefix("data:")
    if name not in options.OPTIONS:
        valid = ", ".join(f"data:{k}" for k in sorted(options.OPTIONS))
        raise BuildError(f"unknown grid source {source!r}; valid: {valid}")
    return list(options.OPTIONS[name]())


def load_matrix(path: Path) -> list[Job]:
    """Read, check and expand ``path`` (notebooks in ``notebooks/`` beside it) into jobs.

    Raises
    ------
    BuildError
        Naming the file, the entry and the key of the first problem found.
    """
    spec = read(path)
    check_notebooks(spec, path.parent / "notebooks", path.name)
    return expand(spec, path.name, resolve)
