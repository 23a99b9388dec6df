"""Questions asked of Python syntax-tree nodes by the SQL readers: is it a string, what does
a call call."""

from __future__ import annotations

import ast

from guardrails.sql.code.builders import is_ignore_word


def ignore_string(node: ast.AST) -> bool:
    """A string constant that sets IGNORE ("IGNORE", "LOW_PRIORITY IGNORE")."""
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and is_ignore_word(node.value)


def is_string(node: ast.AST) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def is_string_expr(node: ast.AST) -> bool:
    """A string, or a ``+`` chain with at least one string in it."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return is_string_expr(node.left) or is_string_expr(node.right)
    return is_string(node)


def callee(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def chain_names(node: ast.AST) -> list[str]:
    """Method and function names along a call chain, outermost first."""
    names: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Name):
            names.append(node.id)
            return names
        else:
            return names
