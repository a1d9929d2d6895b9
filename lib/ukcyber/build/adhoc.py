"""Ad-hoc cuts: ``ukcyber build --only NOTEBOOK -p name=value ...`` for parameters not in the matrix.

Checked like the matrix before anything runs: the notebook must exist and declare every name in
its ``parameters`` cell; a value is converted to the type the cell annotates (``int``, ``float``,
``bool``, ``Union[int, str]``, text); a parameter whose values the notebook's metadata declares
(:class:`~ukcyber.build.notebooks.Choices`) must be one of them. Each mistake is one
:class:`BuildError` (exit 2). The job gets the title of the notebook's first
matrix entry followed by its values, like a grid report.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from ukcyber.build.jobs import Job, Params, ParamValue, slugify
from ukcyber.build.notebooks import Choices, Declared, NotebookInfo
from ukcyber.errors import BuildError

TRUE, FALSE = {"true", "yes", "1"}, {"false", "no", "0"}


def parse_assignments(items: Sequence[str]) -> dict[str, str]:
    """``["actor=UK government"]`` → ``{"actor": "UK government"}``; each name once."""
    found: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise BuildError(f"-p {item!r}: expected name=value, e.g. -p actor='UK government'")
        if name in found:
            raise BuildError(f"-p {name} is given twice; give each parameter once")
        found[name] = value
    return found


def _convert(notebook: str, declared: Declared, text: str) -> ParamValue:
    """``text`` as the type the ``parameters`` cell gives ``declared``."""
    kind = declared.annotation.replace(" ", "") or type(declared.default).__name__
    where = f"-p {declared.name}={text!r} for {notebook}"
    if kind in {"int", "Union[int,str]", "int|str", "str|int", "Union[str,int]"}:
        try:
            return int(text)
        except ValueError:
            if kind == "int":
                raise BuildError(f"{where}: expected a whole number") from None
            return text
    if kind == "float":
        try:
            return float(text)
        except ValueError:
            raise BuildError(f"{where}: expected a number") from None
    if kind == "bool":
        if text.lower() not in TRUE | FALSE:
            raise BuildError(f"{where}: expected true or false")
        return text.lower() in TRUE
    return text


def allowed(notebook: str, name: str, choices: Choices) -> list[str]:
    """Give the values ``choices`` allows, as text, from the data where they come from it."""
    from ukcyber import options

    found: list[object] = list(choices.values)
    for listed in choices.options:
        if listed not in options.OPTIONS:
            valid = ", ".join(sorted(options.OPTIONS))
            raise BuildError(
                f"{notebook}: metadata.ukcyber.parameters.{name}.options names {listed!r}, "
                f"which is not a list of ukcyber.options; valid: {valid}"
            )
        found += options.OPTIONS[listed]()
    if choices.column:
        found += _column(notebook, name, choices.column)
    texts = list(dict.fromkeys(str(v) for v in found))
    return ["all", *texts] if choices.all else texts


def _column(notebook: str, name: str, column: str) -> list[object]:
    from ukcyber.data import load

    table, _, field = column.partition(".")
    try:
        values = load(table)[field]
    except KeyError:
        raise BuildError(
            f"{notebook}: metadata.ukcyber.parameters.{name}.column names {column!r}, "
            "which is not a column of the data"
        ) from None
    return sorted({v for v in values if v == v and v != ""}, key=str)


def _check_listed(notebook: str, info: NotebookInfo, name: str, value: ParamValue) -> None:
    """A value whose choices the notebook's metadata declares must be one of them."""
    if name not in info.choices:
        return
    valid = allowed(notebook, name, info.choices[name])
    if str(value) not in valid:
        close = difflib.get_close_matches(str(value), valid, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise BuildError(
            f"-p {name}={value!r} for {notebook} is not valid{hint}; "
            f"valid values: {'; '.join(valid)}"
        )


def check_params(notebook: str, info: NotebookInfo, raw: dict[str, str]) -> Params:
    """Typed, checked parameters for ``notebook`` from ``-p`` text values."""
    declared = {d.name: d for d in info.parameters or ()}
    if not declared:
        raise BuildError(f"{notebook} has no cell tagged 'parameters'; it takes no -p values")
    params: Params = {}
    for name in sorted(raw, key=lambda n: list(declared).index(n) if n in declared else -1):
        if name not in declared:
            close = difflib.get_close_matches(name, declared, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise BuildError(
                f"-p {name}: {notebook} has no parameter {name!r}; {hint}"
                f"its parameters: {', '.join(declared)}"
            )
        params[name] = _convert(notebook, declared[name], raw[name])
        _check_listed(notebook, info, name, params[name])
    return params


def _label(params: Params) -> str:
    return ", ".join(str(v).replace("_", " ") for v in params.values())


def base_title(job: Job) -> str:
    """A matrix job's title without the ``: values`` the matrix appends."""
    label = _label(job.params)
    return job.title.removesuffix(f": {label}") if label else job.title


def ad_hoc_job(notebook: str, params: Params, matrix: Sequence[Job]) -> tuple[Job, bool]:
    """The job for ``params`` and whether it is ad hoc (``False``: the matrix already has it)."""
    for job in matrix:
        if job.notebook == notebook and job.params == params:
            return job, False
    titles = [base_title(job) for job in matrix if job.notebook == notebook]
    title = titles[0] if titles else notebook.replace("_", " ").capitalize()
    label = _label(params)
    slug = slugify(params)
    if any(job.key == f"{notebook}/{slug}" for job in matrix):
        slug = slugify(params, hashed=True)
    return Job(notebook, params, f"{title}: {label}" if label else title, "", slug), True


def from_entry(notebook: str, slug: str, title: str, description: str, params: Params) -> Job:
    """The job of an ad-hoc report recorded in the manifest (kept, and rebuilt when stale)."""
    return Job(notebook, dict(params), title, description, slug)
