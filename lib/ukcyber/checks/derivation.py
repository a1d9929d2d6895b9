"""Evaluate a figure row's ``derivation``: arithmetic over other rows' values, never ``eval``.

The grammar is tiny: row ids (``sec-000-03``), numbers, ``+ - * /`` and parentheses. A row id
stands for that row's value in absolute terms (value × scale), so ``exm-001-06 / exm-001-05``
compares amounts printed at different scales correctly. The expression is parsed with
:mod:`ast` and walked node by node; anything else (names, calls, powers) is refused.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Mapping

ROW_ID = re.compile(r"\b[a-z]{2,4}-[a-z0-9]{3}-\d{2,3}\b")
"""A figure row id (``sec-000-03``, ``exm-ref-041``)."""

OPERATORS: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
}


class DerivationError(ValueError):
    """A derivation that does not parse, names an unknown row or divides by zero."""


def row_ids(expression: str) -> list[str]:
    """The row ids a derivation names, in order of appearance.

    Parameters
    ----------
    expression : a ``derivation`` cell.
    """
    return ROW_ID.findall(expression)


def evaluate(expression: str, values: Mapping[str, float]) -> float:
    """The number a derivation computes from the rows' absolute values.

    Parameters
    ----------
    expression : e.g. ``sec-000-03 / sec-000-04 * 100`` or ``2 * exm-001-02``.
    values : row id → value × scale of every figure row.

    Raises
    ------
    DerivationError
        If the expression is outside the grammar, names a row not in ``values`` or divides
        by zero.
    """
    names: dict[str, float] = {}

    def placeholder(match: re.Match[str]) -> str:
        """A plain name (``r0``) standing for one row id, whose value is kept in ``names``."""
        if match.group(0) not in values:
            raise DerivationError(f"an unknown row {match.group(0)!r}")
        name = f"r{len(names)}"
        names[name] = float(values[match.group(0)])
        return name

    source = ROW_ID.sub(placeholder, expression)
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError:
        raise DerivationError("arithmetic that does not parse") from None
    return _walk(tree.body, names)


def _walk(node: ast.AST, names: dict[str, float]) -> float:
    """Value of one node of a parsed derivation (numbers, row placeholders, + - * /, unary -)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        if not isinstance(node.value, bool):
            return float(node.value)
    if isinstance(node, ast.Name) and node.id in names:
        return names[node.id]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _walk(node.operand, names)
        return -inner if isinstance(node.op, ast.USub) else inner
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
        left, right = _walk(node.left, names), _walk(node.right, names)
        if isinstance(node.op, ast.Div) and right == 0:
            raise DerivationError("a division by zero")
        return OPERATORS[type(node.op)](left, right)
    raise DerivationError(f"{ast.unparse(node)!r}, outside row ids, numbers, + - * / and ( )")
