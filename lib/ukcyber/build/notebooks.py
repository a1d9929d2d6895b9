"""What a notebook declares: its ``parameters`` cell, and the choices its metadata allows.

papermill injects parameters in a new cell after the cell tagged ``parameters``; without that
tag the injected cell goes first and the notebook's own defaults silently overwrite it, and an
unknown name only logs a warning. So the build reads every notebook once (:func:`inspect`) and
checks every parameter name against the names the ``parameters`` cell assigns, before anything
runs.

A notebook may also declare, in its top-level metadata, the values each parameter accepts, so
that ``ukcyber build --only NOTEBOOK -p name=value`` can check a value before anything runs::

    "metadata": {"ukcyber": {
        "description": "One sentence shown under the notebook's title.",
        "parameters": {
            "actor": {"options": "actors", "all": true},
            "region": {"options": ["regions", "region_groupings"]},
            "norm": {"column": "norms.norm_id", "all": true},
            "currency": {"values": ["USD", "GBP"]}
        }
    }}

Each entry names a parameter of the ``parameters`` cell and exactly one source of values:
``options`` (one or more lists of :data:`ukcyber.options.OPTIONS`, joined), ``column`` (the
distinct values of ``table.column`` in the data) or ``values`` (a literal list); ``all: true``
also accepts ``"all"``. A parameter without an entry is checked for its type only.
"""

from __future__ import annotations

import ast
import io
import json
import tokenize
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ukcyber.build.jobs import ParamValue
from ukcyber.errors import BuildError

CHOICE_KEYS = {"options", "column", "values", "all"}


@dataclass(frozen=True)
class Declared:
    """One name of a ``parameters`` cell: its type annotation, default and comment, as written."""

    name: str
    annotation: str
    default: object
    comment: str


@dataclass(frozen=True)
class Choices:
    """The values one parameter accepts, as its notebook's metadata declares them."""

    options: tuple[str, ...] = ()
    """Names of lists in :data:`ukcyber.options.OPTIONS`, joined."""
    column: str = ""
    """``table.column``: the distinct values of a column of the data."""
    values: tuple[ParamValue, ...] = ()
    """A literal list."""
    all: bool = False
    """Whether ``"all"`` is accepted too."""


@dataclass(frozen=True)
class NotebookInfo:
    """A notebook's bytes, its ``parameters`` cell (``None``: no such cell) and metadata."""

    path: Path
    raw: bytes
    parameters: tuple[Declared, ...] | None
    choices: Mapping[str, Choices] = field(default_factory=dict)
    description: str = ""
    """``metadata.ukcyber.description``: what the notebook answers, in one sentence."""

    @property
    def declared(self) -> frozenset[str] | None:
        """Give the names the ``parameters`` cell assigns (``None``: no such cell)."""
        return None if self.parameters is None else frozenset(d.name for d in self.parameters)

    @property
    def defaults(self) -> dict[str, object]:
        """Give the literal defaults of the ``parameters`` cell."""
        return {d.name: d.default for d in self.parameters or () if d.default is not None}


def _read(path: Path) -> tuple[bytes, dict[str, Any]]:
    if path.is_dir():
        raise BuildError(f"notebook {path} is a folder, expected a .ipynb file")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BuildError(f"notebook {path} not found") from None
    except OSError as exc:
        raise BuildError(f"cannot read notebook {path}: {exc.strerror or exc}") from None
    try:
        nb = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BuildError(
            f"notebook {path} is not a Jupyter notebook (invalid JSON: {exc})"
        ) from None
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells):
        raise BuildError(f"notebook {path} is not a Jupyter notebook (no list of cells)")
    return raw, nb


def _parameters_source(nb: Mapping[str, Any]) -> str | None:
    for cell in nb["cells"]:
        meta = cell.get("metadata")
        tags = meta.get("tags") if isinstance(meta, dict) else None
        if cell.get("cell_type") == "code" and isinstance(tags, list) and "parameters" in tags:
            source = cell.get("source", "")
            return "".join(source) if isinstance(source, list) else str(source)
    return None


def parse_parameters(source: str) -> tuple[Declared, ...]:
    """Give the names a ``parameters`` cell assigns, in order, with annotation, default and comment.

    Defaults that are not literals are ``None``; a cell that does not parse gives none.
    """
    try:
        tree = ast.parse(source)
        comments = {
            tok.start[0]: tok.string.lstrip("# ").strip()
            for tok in tokenize.generate_tokens(io.StringIO(source).readline)
            if tok.type == tokenize.COMMENT
        }
    except (SyntaxError, tokenize.TokenError):
        return ()
    found = []
    for node in tree.body:
        target: ast.expr | None = node.target if isinstance(node, ast.AnnAssign) else None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        if not isinstance(target, ast.Name):
            continue
        annotation = ast.unparse(node.annotation) if isinstance(node, ast.AnnAssign) else ""
        value = getattr(node, "value", None)
        try:
            default = ast.literal_eval(value) if value is not None else None
        except ValueError:
            default = None
        found.append(Declared(target.id, annotation, default, comments.get(node.lineno, "")))
    return tuple(found)


def _names(where: str, options: object) -> tuple[str, ...]:
    listed = [options] if isinstance(options, str) else options
    if not isinstance(listed, list) or not all(isinstance(o, str) and o for o in listed):
        raise BuildError(
            f"{where}.options: expected the name of a list of ukcyber.options, or a list of names"
        )
    return tuple(listed)


def _column(where: str, column: object) -> str:
    if not isinstance(column, str) or column.count(".") != 1:
        raise BuildError(f"{where}.column: found {column!r}, expected 'table.column'")
    return column


def _values(where: str, values: object) -> tuple[ParamValue, ...]:
    if not isinstance(values, list) or not all(isinstance(v, str | int | float) for v in values):
        raise BuildError(f"{where}.values: expected a list of text or numbers")
    return tuple(values)


def _choice(where: str, spec: object) -> Choices:
    """Check one ``metadata.ukcyber.parameters`` entry and give it typed."""
    if not isinstance(spec, dict) or not spec:
        raise BuildError(f'{where}: found {spec!r}, expected a table like {{"options": "actors"}}')
    unknown = sorted(set(spec) - CHOICE_KEYS)
    if unknown:
        valid = ", ".join(sorted(CHOICE_KEYS))
        raise BuildError(f"{where}: unknown key {unknown[0]!r}; valid keys: {valid}")
    if sum(key in spec for key in ("options", "column", "values")) != 1:
        raise BuildError(f"{where}: give exactly one of options, column or values")
    if not isinstance(spec.get("all", False), bool):
        raise BuildError(f"{where}.all: expected true or false")
    return Choices(
        options=_names(where, spec["options"]) if "options" in spec else (),
        column=_column(where, spec["column"]) if "column" in spec else "",
        values=_values(where, spec["values"]) if "values" in spec else (),
        all=spec.get("all", False),
    )


def _metadata(
    path: Path, nb: Mapping[str, Any], declared: frozenset[str]
) -> tuple[dict[str, Choices], str]:
    meta = nb.get("metadata", {})
    ours = meta.get("ukcyber", {}) if isinstance(meta, dict) else {}
    if not isinstance(ours, dict):
        return {}, ""
    description = str(ours.get("description", "") or "")
    specs = ours.get("parameters", {})
    where = f"notebook {path}: metadata.ukcyber.parameters"
    if not isinstance(specs, dict):
        raise BuildError(f"{where}: found {specs!r}, expected a table of parameter names")
    choices = {}
    for name, spec in specs.items():
        if name not in declared:
            listed = ", ".join(sorted(declared)) or "none"
            raise BuildError(
                f"{where}.{name}: the parameters cell does not declare {name!r}; it declares: {listed}"
            )
        choices[name] = _choice(f"{where}.{name}", spec)
    return choices, description


def inspect(path: Path) -> NotebookInfo:
    """Read ``path``: its parameters cell and its metadata, checked.

    Raises
    ------
    BuildError
        If the notebook is missing, unreadable, not JSON or not a notebook, or its
        ``metadata.ukcyber.parameters`` is malformed.
    """
    raw, nb = _read(path)
    source = _parameters_source(nb)
    parameters = None if source is None else parse_parameters(source)
    declared = frozenset(d.name for d in parameters or ())
    choices, description = _metadata(path, nb, declared)
    return NotebookInfo(path, raw, parameters, choices, description)
