# Copyright 2026 Inventory Suite
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The End formula of the Inventory Balance sheet: parsed, never ``eval``-ed.

Pure Python (no Odoo import), tested by plain pytest.

A formula is an arithmetic expression over column codes, e.g.
``beginning + production - sales - scrap``.  It is parsed with :mod:`ast` and
checked against a whitelist: numbers, names of known columns, ``+ - * / **``,
unary ``+ -``, parentheses and the functions ``min``, ``max``, ``abs`` and
``round``.  Anything else (attribute access, calls of other names, lambdas,
comprehensions, subscripts, strings, keywords ...) is refused with a
:class:`FormulaError`.  The text is bounded in length, the tree in size and
depth, and exponents in size, so that any input is refused or evaluated in a
bounded time.

Evaluation never raises: errors become values, ``#DIV/0`` for a division by
zero and ``#ERR`` for anything else (overflow, exponent too large, a missing
value), as in a spreadsheet.
"""

import ast
import math

MAX_LENGTH = 500
MAX_NODES = 200
MAX_DEPTH = 40
MAX_EXPONENT = 64
MAX_MAGNITUDE = 1e15
ERR = "#ERR"
DIV0 = "#DIV/0"

FUNCTIONS = {
    "min": (min, "MIN", 1, 8),
    "max": (max, "MAX", 1, 8),
    "abs": (abs, "ABS", 1, 1),
    "round": (round, "ROUND", 1, 2),
}
_BINARY = {
    ast.Add: ("+", lambda a, b: a + b),
    ast.Sub: ("-", lambda a, b: a - b),
    ast.Mult: ("*", lambda a, b: a * b),
    ast.Div: ("/", None),
    ast.Pow: ("^", None),
}
_UNARY = {ast.USub: "-", ast.UAdd: "+"}


class FormulaError(ValueError):
    """The formula is refused; the message says why."""


class _Evaluation(Exception):
    """An error during evaluation, turned into a cell value."""

    def __init__(self, value):
        super().__init__(value)
        self.value = value


def parse_formula(text, names):
    """Check ``text`` and return its tree: nested tuples

    ``("num", float)``, ``("name", code)``, ``("neg", node)``,
    ``("bin", op, left, right)`` with op in ``+ - * / ^``,
    ``("call", function, (args...))``.

    :param text: the formula
    :param names: the column codes it may use
    :raise FormulaError: when the formula is empty, too long, too big, not
        valid syntax, or uses anything outside the whitelist
    """
    if not isinstance(text, str):
        raise FormulaError("The formula must be text.")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"The formula is longer than {MAX_LENGTH} characters.")
    if not text.strip():
        raise FormulaError("The formula is empty.")
    if text.count("(") > MAX_DEPTH:
        raise FormulaError(f"The formula nests more than {MAX_DEPTH} levels.")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        raise FormulaError(f"The formula is not valid: {exc}") from None
    count = sum(1 for _node in ast.walk(tree))
    if count > MAX_NODES:
        raise FormulaError(f"The formula has more than {MAX_NODES} elements.")
    return _convert(tree.body, frozenset(names), 0)


def _convert(node, names, depth):
    if depth > MAX_DEPTH:
        raise FormulaError(f"The formula nests more than {MAX_DEPTH} levels.")
    depth += 1
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FormulaError(f"Only numbers are allowed, not {value!r}.")
        if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
            raise FormulaError(f"The number {value!r} is too large.")
        return ("num", float(value))
    if isinstance(node, ast.Name):
        if node.id not in names:
            raise FormulaError(
                f"Unknown column {node.id!r}; use some of: {', '.join(sorted(names))}."
            )
        return ("name", node.id)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        operand = _convert(node.operand, names, depth)
        return ("neg", operand) if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return (
            "bin",
            _BINARY[type(node.op)][0],
            _convert(node.left, names, depth),
            _convert(node.right, names, depth),
        )
    if isinstance(node, ast.Call):
        function = node.func.id if isinstance(node.func, ast.Name) else None
        if function not in FUNCTIONS:
            raise FormulaError(
                f"Only the functions {', '.join(FUNCTIONS)} may be called."
            )
        _callable, _excel, least, most = FUNCTIONS[function]
        if node.keywords or not least <= len(node.args) <= most:
            raise FormulaError(
                f"{function} takes {least} to {most} plain arguments."
                if least != most
                else f"{function} takes {least} plain argument."
            )
        if any(isinstance(arg, ast.Starred) for arg in node.args):
            raise FormulaError("Starred arguments are not allowed.")
        return (
            "call",
            function,
            tuple(_convert(arg, names, depth) for arg in node.args),
        )
    raise FormulaError(
        f"{type(node).__name__} is not allowed in a formula; use numbers, column "
        "codes, + - * / ** and min, max, abs, round."
    )


def formula_names(tree):
    """The column codes a parsed formula uses."""
    kind = tree[0]
    if kind == "name":
        return {tree[1]}
    if kind == "neg":
        return formula_names(tree[1])
    if kind == "bin":
        return formula_names(tree[2]) | formula_names(tree[3])
    if kind == "call":
        return set().union(*(formula_names(arg) for arg in tree[2]))
    return set()


def evaluate(tree, values):
    """Value of a parsed formula with ``values`` (code -> number or None).

    :return: a float, or ``#DIV/0`` / ``#ERR``; never raises
    """
    try:
        result = _evaluate(tree, values)
    except _Evaluation as error:
        return error.value
    except (ArithmeticError, ValueError, TypeError, RecursionError, MemoryError):
        return ERR
    if not math.isfinite(result):
        return ERR
    return result


def _evaluate(tree, values):
    kind = tree[0]
    if kind == "num":
        return tree[1]
    if kind == "name":
        value = values.get(tree[1])
        if isinstance(value, str):  # an error in a cell the formula uses
            raise _Evaluation(value)
        return float(value or 0.0)
    if kind == "neg":
        return -_evaluate(tree[1], values)
    if kind == "call":
        args = [_evaluate(arg, values) for arg in tree[2]]
        if tree[1] == "round":
            digits = int(args[1]) if len(args) > 1 else 0
            if not -15 <= digits <= 15:
                raise _Evaluation(ERR)
            return float(round(args[0], digits))
        return float(FUNCTIONS[tree[1]][0](*args))
    op, left, right = tree[1], _evaluate(tree[2], values), _evaluate(tree[3], values)
    if op == "/":
        if right == 0:
            raise _Evaluation(DIV0)
        return left / right
    if op == "^":
        if abs(right) > MAX_EXPONENT or (left == 0 and right < 0):
            raise _Evaluation(ERR if left else DIV0)
        result = left**right
        if isinstance(result, complex):
            raise _Evaluation(ERR)
        return result
    return _BINARY[{"+": ast.Add, "-": ast.Sub, "*": ast.Mult}[op]][1](left, right)


def to_excel(tree, references):
    """The formula as Excel text (without ``=``), names replaced by
    ``references`` (code -> cell reference such as ``C5``)."""
    kind = tree[0]
    if kind == "num":
        value = tree[1]
        return repr(int(value)) if value.is_integer() else repr(value)
    if kind == "name":
        return references[tree[1]]
    if kind == "neg":
        return f"(-{to_excel(tree[1], references)})"
    if kind == "call":
        args = ",".join(to_excel(arg, references) for arg in tree[2])
        if tree[1] == "round" and len(tree[2]) == 1:
            args += ",0"
        return f"{FUNCTIONS[tree[1]][1]}({args})"
    return f"({to_excel(tree[2], references)}{tree[1]}{to_excel(tree[3], references)})"
