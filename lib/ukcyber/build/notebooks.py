"""What a notebook declares: does it have a ``parameters`` cell, and which names does it set.

papermill injects parameters in a new cell after the cell tagged ``parameters``; without that
tag the injected cell goes first and the notebook's own defaults silently overwrite it, and an
unknown name only logs a warning. So the build checks every parameter name against the names
papermill's own inspection finds in the ``parameters`` cell, before anything runs.
Results are cached by the notebook's content hash (papermill is slow to import).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from ukcyber.errors import BuildError
from ukcyber.paths import cache_dir


@dataclass(frozen=True)
class NotebookInfo:
    """A notebook's bytes and its declared parameters (``None``: no ``parameters`` cell)."""

    path: Path
    raw: bytes
    declared: frozenset[str] | None


def _parameters_cell(nb: object, path: Path) -> dict[str, object] | None:
    cells = nb.get("cells") if isinstance(nb, dict) else None
    if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells):
        raise BuildError(f"notebook {path} is not a Jupyter notebook (no list of cells)")
    for cell in cells:
        meta = cell.get("metadata")
        tags = meta.get("tags") if isinstance(meta, dict) else None
        if cell.get("cell_type") == "code" and isinstance(tags, list) and "parameters" in tags:
            return dict(cell)
    return None


def _declared(cell: dict[str, object]) -> frozenset[str]:
    from papermill.translators import PythonTranslator

    source = cell.get("source", "")
    text = "".join(source) if isinstance(source, list) else str(source)
    return frozenset(p.name for p in PythonTranslator.inspect({"source": text}))


def inspect(path: Path) -> NotebookInfo:
    """Read ``path`` and find its declared parameters.

    Raises
    ------
    BuildError
        If the notebook is missing, unreadable, not JSON or not a notebook.
    """
    if path.is_dir():
        raise BuildError(f"notebook {path} is a folder, expected a .ipynb file")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BuildError(f"notebook {path} not found") from None
    except OSError as exc:
        raise BuildError(f"cannot read notebook {path}: {exc.strerror or exc}") from None
    digest = hashlib.sha256(raw).hexdigest()
    stamp = cache_dir() / "notebook-params" / f"{digest}.json"
    try:
        cached = json.loads(stamp.read_text(encoding="utf-8"))
        names = cached["declared"]
        return NotebookInfo(path, raw, None if names is None else frozenset(names))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    try:
        nb = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BuildError(
            f"notebook {path} is not a Jupyter notebook (invalid JSON: {exc})"
        ) from None
    cell = _parameters_cell(nb, path)
    declared = None if cell is None else _declared(cell)
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        names = None if declared is None else sorted(declared)
        stamp.write_text(json.dumps({"declared": names}), encoding="utf-8")
    except OSError:
        pass  # the cache is an optimisation only
    return NotebookInfo(path, raw, declared)


@dataclass(frozen=True)
class Declared:
    """One name of a ``parameters`` cell: its type annotation, default and comment, as written."""

    name: str
    annotation: str
    default: object
    comment: str


def declared_parameters(raw: bytes) -> list[Declared]:
    """The names a notebook's ``parameters`` cell assigns, in order (``[]`` without one).

    Read with :mod:`ast` (no papermill import): defaults that are not literals are ``None``.
    """
    import ast
    import io
    import tokenize

    try:
        cell = _parameters_cell(json.loads(raw.decode("utf-8")), Path("notebook"))
    except (BuildError, UnicodeDecodeError, json.JSONDecodeError):
        return []
    if cell is None:
        return []
    source = cell.get("source", "")
    text = "".join(source) if isinstance(source, list) else str(source)
    try:
        tree = ast.parse(text)
        comments = {
            tok.start[0]: tok.string.lstrip("# ").strip()
            for tok in tokenize.generate_tokens(io.StringIO(text).readline)
            if tok.type == tokenize.COMMENT
        }
    except (SyntaxError, tokenize.TokenError):
        return []
    found = []
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name, annotation, value = node.target.id, ast.unparse(node.annotation), node.value
        elif (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            name, annotation, value = node.targets[0].id, "", node.value
        else:
            continue
        try:
            default = ast.literal_eval(value) if value is not None else None
        except ValueError:
            default = None
        found.append(Declared(name, annotation, default, comments.get(node.lineno, "")))
    return found
